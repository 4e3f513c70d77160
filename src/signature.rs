//! HMAC signatures that both sides of the wire compute: the harness signs requests and
//! checks webhooks, the reference gateway checks requests and signs webhooks. One
//! implementation keeps the two from drifting apart.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

/// The parts of a Rapyd request signature besides the method, path and body.
#[derive(Debug, Clone, Copy)]
pub struct RapydKeys<'a> {
    /// The `access_key` header, in clear.
    pub access_key: &'a str,
    /// The secret key; it never travels, only the signature made with it.
    pub secret_key: &'a str,
}

/// Rapyd's request signature:
/// `base64(hex(HMAC-SHA256(secret, lower(method) + path_with_query + salt + timestamp +
/// access_key + secret + body)))`.
///
/// `body` is the exact text sent, the empty string when there is none (never `{}`).
/// Rapyd base64-encodes the lowercase hex text of the digest, not the raw digest;
/// getting that wrong is the classic integration bug, so the tests pin it.
///
/// ```
/// use gatecheck::signature::{RapydKeys, rapyd_request_signature};
///
/// let keys = RapydKeys { access_key: "ak", secret_key: "sk" };
/// let sig = rapyd_request_signature(keys, "GET", "/v1/customers/cus_1?x=1", "s4lt", "1700000001", "");
/// assert_eq!(sig, "YzU2NTU1OThkNjBjOTcyMGZlMzgyODhkYzNkZGY5NWIzODdlOTllNWQ2NzZkZjljZGJmYTI2Y2YyZmEwY2YwZA==");
/// ```
pub fn rapyd_request_signature(
    keys: RapydKeys<'_>,
    method: &str,
    path_with_query: &str,
    salt: &str,
    timestamp: &str,
    body: &str,
) -> String {
    let method = method.to_ascii_lowercase();
    rapyd_hmac(keys, &[&method, path_with_query, salt, timestamp], body)
}

/// Rapyd's webhook signature: like the request signature with the whole webhook URL in
/// place of method and path:
/// `base64(hex(HMAC-SHA256(secret, url + salt + timestamp + access_key + secret + body)))`.
pub fn rapyd_webhook_signature(
    keys: RapydKeys<'_>,
    url: &str,
    salt: &str,
    timestamp: &str,
    body: &str,
) -> String {
    rapyd_hmac(keys, &[url, salt, timestamp], body)
}

/// A fresh random salt for one Rapyd request or webhook: 12 letters and digits (Rapyd
/// asks for 8 to 16 characters).
pub fn rapyd_salt() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(&rand::distr::Alphanumeric)
        .take(12)
        .map(char::from)
        .collect()
}

/// Compares two signatures in time independent of where they first differ.
///
/// `subtle` keeps the comparison out of the optimizer's reach (a hand-written fold
/// may be turned back into an early-exit loop). Only the length may show in the
/// timing, and a signature's length is public anyway.
pub fn signatures_equal(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

fn rapyd_hmac(keys: RapydKeys<'_>, prefix: &[&str], body: &str) -> String {
    // HMAC accepts a key of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(keys.secret_key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    for part in prefix {
        mac.update(part.as_bytes());
    }
    mac.update(keys.access_key.as_bytes());
    mac.update(keys.secret_key.as_bytes());
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    STANDARD.encode(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANDBOX: RapydKeys<'static> = RapydKeys {
        access_key: "sandbox_access",
        secret_key: "sandbox_secret",
    };

    // Vectors made independently with Python's hmac/hashlib/base64.
    fn reference_request() -> String {
        rapyd_request_signature(
            SANDBOX,
            "POST",
            "/v1/customers/cus_9761d",
            "abcdefgh12345678",
            "1700000000",
            r#"{"name":"Jane Doe"}"#,
        )
    }

    #[test]
    fn request_signature_matches_the_reference_vector() {
        let sig = reference_request();
        assert_eq!(
            sig,
            "N2M3YjYzYmQzNmQyMWZjODUzMmUxYTJjMDliNzY4NGRjYzQ1OGEwZDFhNDFjNTk1ZTUyNzllM2I4OTBlYWZmOQ=="
        );
    }

    #[test]
    fn base64_of_the_raw_digest_is_not_the_signature() {
        let sig = reference_request();
        // base64(raw HMAC digest) of the same input: what a careless client sends.
        assert_ne!(sig, "fHtjvTbSH8hTLhosCbdoTcxFig0aQcWV5SeeO4kOr/k=");
    }

    #[test]
    fn method_is_lowercased_and_query_is_signed() {
        let keys = RapydKeys {
            access_key: "ak",
            secret_key: "sk",
        };
        let upper = rapyd_request_signature(
            keys,
            "GET",
            "/v1/customers/cus_1?x=1",
            "s4lt",
            "1700000001",
            "",
        );
        let lower = rapyd_request_signature(
            keys,
            "get",
            "/v1/customers/cus_1?x=1",
            "s4lt",
            "1700000001",
            "",
        );
        assert_eq!(upper, lower);
        let no_query =
            rapyd_request_signature(keys, "get", "/v1/customers/cus_1", "s4lt", "1700000001", "");
        assert_ne!(upper, no_query);
        let braces = rapyd_request_signature(
            keys,
            "get",
            "/v1/customers/cus_1?x=1",
            "s4lt",
            "1700000001",
            "{}",
        );
        assert_ne!(
            upper, braces,
            "an absent body signs as the empty string, not {{}}"
        );
    }

    #[test]
    fn webhook_signature_matches_the_reference_vector() {
        let sig = rapyd_webhook_signature(
            SANDBOX,
            "http://127.0.0.1:8080/webhooks",
            "salty",
            "1700000002",
            r#"{"type":"CUSTOMER_UPDATED"}"#,
        );
        assert_eq!(
            sig,
            "NTE3YWUzOWZiNDgzNzcyNjUyOTZkZWViN2Y3MmQ2ZTIwZTVmYTVmNzczYWRjMDM3MmI4OWYwNDQ5ZDE4OWJlOA=="
        );
    }

    #[test]
    fn equality_is_exact() {
        assert!(signatures_equal("abc", "abc"));
        assert!(!signatures_equal("abc", "abd"));
        assert!(!signatures_equal("abc", "abcd"));
    }
}
