//! HTTP basic credentials as the gateways read them (Braintree: public and private key;
//! Chargebee: the API key as user name, an empty password).

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The user name and password of a request's `Authorization: Basic` header; `None` when
/// the header is missing, of another scheme, or not base64 of UTF-8 `user:password`.
pub(super) fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn read(value: &str) -> Option<(String, String)> {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).ok()?);
        credentials(&headers)
    }

    #[test]
    fn reads_user_and_password() {
        let pair = |u: &str, p: &str| Some((u.to_string(), p.to_string()));
        assert_eq!(
            read(&format!("Basic {}", STANDARD.encode("pub:priv"))),
            pair("pub", "priv")
        );
        assert_eq!(
            read(&format!("basic {}", STANDARD.encode("key:"))),
            pair("key", "")
        );
        assert_eq!(
            read(&format!("Basic {}", STANDARD.encode("a:b:c"))),
            pair("a", "b:c")
        );
        assert_eq!(read("Basic !!!"), None);
        assert_eq!(read("Bearer abc"), None);
        assert_eq!(
            read(&format!("Basic {}", STANDARD.encode("no-colon"))),
            None
        );
        assert_eq!(credentials(&HeaderMap::new()), None);
    }
}
