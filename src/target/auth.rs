//! Authentication schemes a target can use, how each signs a request, and how each
//! verifies the webhooks a target sends back.
//!
//! Static schemes (basic, bearer, a header) add the same headers to every request.
//! Signing schemes (`rapyd`) read the request being sent: its method, its path and
//! query exactly as they go on the wire, and its body bytes. Either way a header the
//! step sets itself wins over the generated one, so a scenario can send a stale
//! timestamp or a wrong signature on purpose.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::Deserialize;

use crate::signature::{
    RapydKeys, rapyd_request_signature, rapyd_webhook_signature, signatures_equal,
};
use crate::spec::template::Template;
use crate::wire::headers::find as find_header;

/// How requests to a target's API authenticate, as written in `gatecheck.yaml`:
/// `none`, or a map with one key naming the scheme (`{ basic: { username, password } }`).
#[derive(Debug, Clone, Default)]
pub enum AuthConfig {
    /// No credentials.
    #[default]
    None,
    /// HTTP basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// User name (Braintree: public key; Chargebee: API key).
        username: Template,
        /// Password (Braintree: private key; Chargebee: empty).
        password: Template,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token.
        token: Template,
    },
    /// A header of your choosing carrying a key.
    Header {
        /// Header name, e.g. `X-Api-Key`.
        name: String,
        /// Header value.
        value: Template,
    },
    /// Rapyd's signed requests: `access_key`, `salt`, `timestamp` and `signature`
    /// headers, made fresh for every request sent.
    Rapyd {
        /// The access key, sent in clear in the `access_key` header.
        access_key: Template,
        /// The secret key; only signatures made with it travel.
        secret_key: Template,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicFields {
    username: Template,
    #[serde(default)]
    password: Option<Template>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BearerFields {
    token: Template,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderFields {
    name: String,
    value: Template,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RapydFields {
    access_key: Template,
    secret_key: Template,
}

const SCHEMES: [&str; 5] = ["none", "basic", "bearer", "header", "rapyd"];

impl<'de> Deserialize<'de> for AuthConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        let unknown = |name: &str| {
            D::Error::custom(format!(
                "unknown auth scheme `{name}`{}; schemes: none, basic {{ username, password }}, bearer {{ token }}, header {{ name, value }}, rapyd {{ access_key, secret_key }}",
                crate::suggest::did_you_mean(name, &SCHEMES)
            ))
        };
        let (scheme, fields) = match value {
            serde_json::Value::String(s) if s == "none" => return Ok(AuthConfig::None),
            serde_json::Value::String(s) => return Err(unknown(&s)),
            serde_json::Value::Object(map) if map.len() == 1 => map
                .into_iter()
                .next()
                .ok_or_else(|| D::Error::custom("empty auth"))?,
            _ => {
                return Err(D::Error::custom(
                    "`auth` is `none` or a map with one scheme, e.g. `{ basic: { username: ..., password: ... } }`",
                ));
            }
        };
        let field_error = |e: serde_json::Error| D::Error::custom(format!("auth.{scheme}: {e}"));
        match scheme.as_str() {
            "none" => Ok(AuthConfig::None),
            "basic" => {
                let f: BasicFields = serde_json::from_value(fields).map_err(field_error)?;
                let password = match f.password {
                    Some(p) => p,
                    None => Template::parse("").map_err(D::Error::custom)?,
                };
                Ok(AuthConfig::Basic {
                    username: f.username,
                    password,
                })
            }
            "bearer" => {
                let f: BearerFields = serde_json::from_value(fields).map_err(field_error)?;
                Ok(AuthConfig::Bearer { token: f.token })
            }
            "header" => {
                let f: HeaderFields = serde_json::from_value(fields).map_err(field_error)?;
                Ok(AuthConfig::Header {
                    name: f.name,
                    value: f.value,
                })
            }
            "rapyd" => {
                let f: RapydFields = serde_json::from_value(fields).map_err(field_error)?;
                Ok(AuthConfig::Rapyd {
                    access_key: f.access_key,
                    secret_key: f.secret_key,
                })
            }
            other => Err(unknown(other)),
        }
    }
}

impl AuthConfig {
    /// The templates holding credentials, so their rendered values count as secrets.
    pub fn templates(&self) -> Vec<&Template> {
        match self {
            AuthConfig::None => vec![],
            AuthConfig::Basic { username, password } => vec![username, password],
            AuthConfig::Bearer { token } => vec![token],
            AuthConfig::Header { value, .. } => vec![value],
            AuthConfig::Rapyd {
                access_key,
                secret_key,
            } => vec![access_key, secret_key],
        }
    }

    /// The scheme's name as written in `gatecheck.yaml`.
    pub fn scheme(&self) -> &'static str {
        match self {
            AuthConfig::None => "none",
            AuthConfig::Basic { .. } => "basic",
            AuthConfig::Bearer { .. } => "bearer",
            AuthConfig::Header { .. } => "header",
            AuthConfig::Rapyd { .. } => "rapyd",
        }
    }

    /// Whether the scheme can tell a genuine webhook from a forged one, so that a
    /// scenario's `expect_webhook.signature` can be refused before anything is sent.
    pub fn verifies_webhooks(&self) -> bool {
        matches!(self, AuthConfig::Rapyd { .. })
    }
}

/// Credentials with their values resolved from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    None,
    /// HTTP basic.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// Bearer token.
    Bearer(String),
    /// A named header.
    Header(String, String),
    /// Rapyd's request signatures.
    Rapyd {
        /// The `access_key` header.
        access_key: String,
        /// The key signatures are made with.
        secret_key: String,
    },
}

/// The parts of a request a scheme reads to sign it, exactly as they go on the wire.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// Path and query as sent, percent-encoding included (`/v1/customers?limit=2`).
    pub path_with_query: &'a str,
    /// The body bytes as sent; empty when there is no body.
    pub body: &'a [u8],
    /// The headers the request already carries, the step's own among them. A scheme
    /// does not generate a header that is already there, and signs with the step's
    /// `salt`, `timestamp` and `access_key` when it gives them.
    pub headers: &'a [(String, String)],
}

impl Outgoing<'_> {
    /// The value of a header already on the request (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(self.headers, name)
    }
}

/// The current time in Unix seconds, as Rapyd's `timestamp` header wants it.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Auth {
    /// The headers this scheme adds to `request`, leaving out any the request already
    /// has (a step's explicit header wins).
    ///
    /// ```
    /// use gatecheck::target::auth::{Auth, Outgoing};
    /// let auth = Auth::Basic { username: "u".into(), password: "p".into() };
    /// let request = Outgoing { method: "GET", path_with_query: "/", body: b"", headers: &[] };
    /// assert_eq!(auth.sign(&request), [("Authorization".to_string(), "Basic dTpw".to_string())]);
    /// // Chargebee: the API key as user name and an empty password, base64("key:").
    /// let auth = Auth::Basic { username: "key".into(), password: String::new() };
    /// assert_eq!(auth.sign(&request)[0].1, "Basic a2V5Og==");
    /// ```
    pub fn sign(&self, request: &Outgoing<'_>) -> Vec<(String, String)> {
        let out = match self {
            Auth::Rapyd {
                access_key,
                secret_key,
            } => rapyd_headers(access_key, secret_key, request),
            _ => self.same_for_all().unwrap_or_default(),
        };
        without_given(out, request)
    }

    /// The headers of a scheme that signs every request alike (all but Rapyd's).
    fn same_for_all(&self) -> Option<Vec<(String, String)>> {
        Some(match self {
            Auth::None => vec![],
            Auth::Basic { username, password } => {
                vec![("Authorization".into(), basic_value(username, password))]
            }
            Auth::Bearer(token) => vec![("Authorization".into(), format!("Bearer {token}"))],
            Auth::Header(name, value) => vec![(name.clone(), value.clone())],
            Auth::Rapyd { .. } => return None,
        })
    }

    /// Every credential value, to be masked wherever output could show it. The
    /// encoded forms (the basic header) are included, since they leak just as well.
    pub fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Auth::None => vec![],
            Auth::Basic { username, password } => vec![
                username.clone(),
                password.clone(),
                basic_value(username, password),
            ],
            Auth::Bearer(token) => vec![token.clone(), format!("Bearer {token}")],
            Auth::Header(_, value) => vec![value.clone()],
            Auth::Rapyd {
                access_key,
                secret_key,
            } => vec![access_key.clone(), secret_key.clone()],
        };
        out.retain(|s| !s.is_empty());
        out
    }

    /// Checks a webhook's signature: `None` when the scheme has no way to, else
    /// whether the headers and the exact body bytes were signed with these
    /// credentials. `url` is the webhook URL the sender was given.
    pub fn verify_webhook(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Option<Result<(), String>> {
        let Auth::Rapyd {
            access_key,
            secret_key,
        } = self
        else {
            return None;
        };
        let missing: Vec<&str> = ["salt", "timestamp", "signature"]
            .into_iter()
            .filter(|h| find_header(headers, h).is_none())
            .collect();
        if !missing.is_empty() {
            return Some(Err(format!(
                "the webhook has no {} header(s), so its signature cannot be checked",
                missing.join(", ")
            )));
        }
        let get = |name: &str| find_header(headers, name).unwrap_or_default();
        let Ok(text) = std::str::from_utf8(body) else {
            return Some(Err("the webhook body is not UTF-8".into()));
        };
        let keys = RapydKeys {
            access_key,
            secret_key,
        };
        let expected = rapyd_webhook_signature(keys, url, get("salt"), get("timestamp"), text);
        Some(if signatures_equal(&expected, get("signature")) {
            Ok(())
        } else {
            Err(format!(
                "the webhook's signature is not Rapyd's signature of its body for {url} (salt {:?}, timestamp {:?}) with this target's keys",
                get("salt"),
                get("timestamp")
            ))
        })
    }
}

/// [`Auth`] for a run: the headers of a scheme that signs every request alike are
/// made once (encoding the basic header was a measurable part of each request).
#[derive(Debug, Clone)]
pub struct Signer {
    auth: Auth,
    same_for_all: Option<Vec<(String, String)>>,
}

impl Signer {
    /// Makes the headers that do not depend on the request, if the scheme has them.
    pub fn new(auth: Auth) -> Signer {
        Signer {
            same_for_all: auth.same_for_all(),
            auth,
        }
    }

    /// [`Auth::sign`], with the headers made once where they can be.
    pub fn sign(&self, request: &Outgoing<'_>) -> Vec<(String, String)> {
        match &self.same_for_all {
            Some(headers) => without_given(headers.clone(), request),
            None => self.auth.sign(request),
        }
    }
}

/// `generated` without the headers the request already has: a step's explicit
/// header wins.
fn without_given(
    mut generated: Vec<(String, String)>,
    request: &Outgoing<'_>,
) -> Vec<(String, String)> {
    generated.retain(|(name, _)| request.header(name).is_none());
    generated
}

fn basic_value(username: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    format!("Basic {token}")
}

/// `access_key`, `salt`, `timestamp` and `signature` for one Rapyd request. The step's
/// own `salt`, `timestamp` and `access_key` are signed when it gives them, so that a
/// stale timestamp arrives with an otherwise valid signature.
fn rapyd_headers(
    access_key: &str,
    secret_key: &str,
    request: &Outgoing<'_>,
) -> Vec<(String, String)> {
    let salt = request
        .header("salt")
        .map_or_else(crate::signature::rapyd_salt, str::to_string);
    let timestamp = request
        .header("timestamp")
        .map_or_else(|| unix_now().to_string(), str::to_string);
    let access_key = request.header("access_key").unwrap_or(access_key);
    // The body is signed as the text sent; the encoders only produce UTF-8, and a
    // lossy view of anything else still signs what a server would read.
    let body = String::from_utf8_lossy(request.body);
    let signature = rapyd_request_signature(
        RapydKeys {
            access_key,
            secret_key,
        },
        request.method,
        request.path_with_query,
        &salt,
        &timestamp,
        &body,
    );
    vec![
        ("access_key".into(), access_key.to_string()),
        ("salt".into(), salt),
        ("timestamp".into(), timestamp),
        ("signature".into(), signature),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAPYD: fn() -> Auth = || Auth::Rapyd {
        access_key: "sandbox_access".into(),
        secret_key: "sandbox_secret".into(),
    };

    fn get<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
        find_header(headers, name).unwrap_or_else(|| panic!("no {name} in {headers:?}"))
    }

    fn outgoing<'a>(
        method: &'a str,
        path: &'a str,
        body: &'a [u8],
        headers: &'a [(String, String)],
    ) -> Outgoing<'a> {
        Outgoing {
            method,
            path_with_query: path,
            body,
            headers,
        }
    }

    #[test]
    fn rapyd_signs_path_with_query_and_exact_body() {
        // The vector of `signature::tests`: made independently with Python's hmac.
        let given = [
            ("salt".to_string(), "abcdefgh12345678".to_string()),
            ("timestamp".to_string(), "1700000000".to_string()),
        ];
        let body = br#"{"name":"Jane Doe"}"#;
        let headers = RAPYD().sign(&outgoing("POST", "/v1/customers/cus_9761d", body, &given));
        assert_eq!(
            get(&headers, "signature"),
            "N2M3YjYzYmQzNmQyMWZjODUzMmUxYTJjMDliNzY4NGRjYzQ1OGEwZDFhNDFjNTk1ZTUyNzllM2I4OTBlYWZmOQ=="
        );
        // base64 of the raw digest, the classic mistake, is not what is sent.
        assert_ne!(
            get(&headers, "signature"),
            "fHtjvTbSH8hTLhosCbdoTcxFig0aQcWV5SeeO4kOr/k="
        );
        assert_eq!(get(&headers, "access_key"), "sandbox_access");
        // The step gave salt and timestamp: they are not generated again.
        assert!(find_header(&headers, "salt").is_none());
        assert!(find_header(&headers, "timestamp").is_none());

        // The query string is signed as sent, percent-encoding included.
        let ak = Auth::Rapyd {
            access_key: "ak".into(),
            secret_key: "sk".into(),
        };
        let given = [
            ("salt".to_string(), "s4lt".to_string()),
            ("timestamp".to_string(), "1700000001".to_string()),
        ];
        let with_query = ak.sign(&outgoing("GET", "/v1/customers/cus_1?x=1", b"", &given));
        assert_eq!(
            get(&with_query, "signature"),
            "YzU2NTU1OThkNjBjOTcyMGZlMzgyODhkYzNkZGY5NWIzODdlOTllNWQ2NzZkZjljZGJmYTI2Y2YyZmEwY2YwZA=="
        );
        let encoded = ak.sign(&outgoing("GET", "/v1/customers/cus_1?x=a%20b", b"", &given));
        let plain = ak.sign(&outgoing("GET", "/v1/customers/cus_1?x=a b", b"", &given));
        assert_ne!(get(&encoded, "signature"), get(&plain, "signature"));
        assert_eq!(
            get(&encoded, "signature"),
            rapyd_request_signature(
                RapydKeys {
                    access_key: "ak",
                    secret_key: "sk"
                },
                "get",
                "/v1/customers/cus_1?x=a%20b",
                "s4lt",
                "1700000001",
                ""
            )
        );
    }

    #[test]
    fn rapyd_empty_body_signs_as_empty_string_not_braces() {
        let given = [
            ("salt".to_string(), "s4lt".to_string()),
            ("timestamp".to_string(), "1700000001".to_string()),
        ];
        let ak = Auth::Rapyd {
            access_key: "ak".into(),
            secret_key: "sk".into(),
        };
        let none = ak.sign(&outgoing("GET", "/v1/customers/cus_1?x=1", b"", &given));
        let braces = ak.sign(&outgoing("GET", "/v1/customers/cus_1?x=1", b"{}", &given));
        assert_ne!(get(&none, "signature"), get(&braces, "signature"));
        assert_eq!(
            get(&none, "signature"),
            "YzU2NTU1OThkNjBjOTcyMGZlMzgyODhkYzNkZGY5NWIzODdlOTllNWQ2NzZkZjljZGJmYTI2Y2YyZmEwY2YwZA=="
        );
    }

    #[test]
    fn rapyd_salt_and_timestamp_are_fresh_and_step_headers_win() {
        let a = RAPYD().sign(&outgoing("GET", "/v1/x", b"", &[]));
        let b = RAPYD().sign(&outgoing("GET", "/v1/x", b"", &[]));
        let salt = get(&a, "salt");
        assert!((8..=16).contains(&salt.len()), "{salt}");
        assert!(salt.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(salt, get(&b, "salt"));
        let ts: u64 = get(&a, "timestamp").parse().unwrap();
        assert!(ts.abs_diff(unix_now()) <= 5);
        // An explicit signature is sent as given: none is generated.
        let given = [("Signature".to_string(), "bogus".to_string())];
        let signed = RAPYD().sign(&outgoing("GET", "/v1/x", b"", &given));
        assert!(find_header(&signed, "signature").is_none());
        assert!(find_header(&signed, "salt").is_some());
        // An explicit access key is both sent and signed with.
        let given = [("access_key".to_string(), "other".to_string())];
        let signed = RAPYD().sign(&outgoing("GET", "/v1/x", b"", &given));
        assert!(find_header(&signed, "access_key").is_none());
        let expected = rapyd_request_signature(
            RapydKeys {
                access_key: "other",
                secret_key: "sandbox_secret",
            },
            "GET",
            "/v1/x",
            get(&signed, "salt"),
            get(&signed, "timestamp"),
            "",
        );
        assert_eq!(get(&signed, "signature"), expected);
    }

    #[test]
    fn rapyd_webhooks_verify_against_the_given_url() {
        let body = r#"{"type":"CUSTOMER_UPDATED"}"#;
        let url = "http://127.0.0.1:8080/webhooks";
        let headers = vec![
            ("salt".to_string(), "salty".to_string()),
            ("timestamp".to_string(), "1700000002".to_string()),
            (
                "signature".to_string(),
                "NTE3YWUzOWZiNDgzNzcyNjUyOTZkZWViN2Y3MmQ2ZTIwZTVmYTVmNzczYWRjMDM3MmI4OWYwNDQ5ZDE4OWJlOA==".to_string(),
            ),
        ];
        assert_eq!(
            RAPYD().verify_webhook(url, &headers, body.as_bytes()),
            Some(Ok(()))
        );
        let other_url =
            RAPYD().verify_webhook("http://elsewhere/webhooks", &headers, body.as_bytes());
        assert!(matches!(other_url, Some(Err(_))));
        let tampered = RAPYD().verify_webhook(url, &headers, br#"{"type":"CUSTOMER_DELETED"}"#);
        assert!(matches!(tampered, Some(Err(_))));
        let missing = RAPYD().verify_webhook(url, &headers[..1], body.as_bytes());
        assert!(
            matches!(&missing, Some(Err(e)) if e.contains("timestamp, signature")),
            "{missing:?}"
        );
        assert_eq!(
            Auth::Bearer("t".into()).verify_webhook(url, &headers, body.as_bytes()),
            None
        );
    }

    #[test]
    fn rapyd_keys_are_secrets_and_config_parses() {
        let secrets = RAPYD().secrets();
        assert!(secrets.contains(&"sandbox_access".to_string()));
        assert!(secrets.contains(&"sandbox_secret".to_string()));
        let config: AuthConfig = serde_json::from_value(serde_json::json!({
            "rapyd": { "access_key": "a", "secret_key": "${env:X}" }
        }))
        .unwrap();
        assert_eq!(config.scheme(), "rapyd");
        assert!(config.verifies_webhooks());
        let err = serde_json::from_value::<AuthConfig>(serde_json::json!({
            "rapyd": { "access_key": "a" }
        }))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("auth.rapyd") && err.contains("secret_key"),
            "{err}"
        );
        let err = serde_json::from_value::<AuthConfig>(serde_json::json!({ "rapid": {} }))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `rapyd`"), "{err}");
    }

    #[test]
    fn explicit_headers_replace_static_ones() {
        let auth = Auth::Basic {
            username: "u".into(),
            password: "p".into(),
        };
        let given = [("authorization".to_string(), "Basic bad".to_string())];
        assert!(auth.sign(&outgoing("GET", "/", b"", &given)).is_empty());
        assert!(auth.secrets().contains(&"Basic dTpw".to_string()));
    }
}
