//! Request authentication: the `access_key`, `salt`, `timestamp` and `signature`
//! headers, checked against the configured keys with `crate::signature`.
//!
//! - A header missing or empty, or a timestamp that is not a whole number:
//!   `MISSING_AUTHENTICATION_HEADERS` (400).
//! - Another access key, a timestamp older than 60 s or in the future, or a signature
//!   that is not `rapyd_request_signature` over the method, the path with its query
//!   exactly as received, the salt, the timestamp as sent and the exact body:
//!   `UNAUTHENTICATED_API_CALL` (401).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Gateway;
use super::errors::{
    ErrorCode, INVALID_FIELDS, MISSING_AUTHENTICATION_HEADERS, UNAUTHENTICATED_API_CALL,
};
use crate::sandbox::RapydSettings;
use crate::sandbox::clock::Timestamp;
use crate::signature::{RapydKeys, rapyd_request_signature, signatures_equal};

/// How old a request's timestamp may be.
pub(super) const MAX_AGE_SECS: u64 = 60;
/// The largest body read.
const MAX_BODY: usize = 1 << 20;

/// One request, as the signature sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Signed<'a> {
    pub method: &'a str,
    pub path_with_query: &'a str,
    pub body: &'a [u8],
}

/// Checks a request's authentication headers and signature at time `now`.
pub(super) fn check(
    settings: &RapydSettings,
    headers: &HeaderMap,
    request: Signed<'_>,
    now: Timestamp,
) -> Result<(), ErrorCode> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .ok_or(MISSING_AUTHENTICATION_HEADERS)
    };
    let access_key = header("access_key")?;
    let salt = header("salt")?;
    let timestamp = header("timestamp")?;
    let signature = header("signature")?;
    let sent_at: u64 = timestamp
        .parse()
        .map_err(|_| MISSING_AUTHENTICATION_HEADERS)?;
    if !signatures_equal(access_key, &settings.access_key) {
        return Err(UNAUTHENTICATED_API_CALL);
    }
    if sent_at > now.0 || now.0 - sent_at > MAX_AGE_SECS {
        return Err(UNAUTHENTICATED_API_CALL);
    }
    // The signature covers the body as text; bytes that are not UTF-8 cannot match.
    let body = std::str::from_utf8(request.body).map_err(|_| UNAUTHENTICATED_API_CALL)?;
    let keys = RapydKeys {
        access_key: &settings.access_key,
        secret_key: &settings.secret_key,
    };
    let expected = rapyd_request_signature(
        keys,
        request.method,
        request.path_with_query,
        salt,
        timestamp,
        body,
    );
    if signatures_equal(signature, &expected) {
        Ok(())
    } else {
        Err(UNAUTHENTICATED_API_CALL)
    }
}

/// Middleware: refuses requests that fail [`check`], with Rapyd's error envelope.
pub(super) async fn authenticate(
    State(gateway): State<Arc<Gateway>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return INVALID_FIELDS.into_response();
    };
    let path_with_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let signed = Signed {
        method: parts.method.as_str(),
        path_with_query,
        body: &bytes,
    };
    if let Err(error) = check(
        &gateway.settings,
        &parts.headers,
        signed,
        gateway.timestamp(),
    ) {
        return error.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const NOW: Timestamp = Timestamp(1_700_000_000);
    const PATH: &str = "/v1/customers/cus_1?x=1";
    const BODY: &str = r#"{"name":"Jane Doe"}"#;

    fn headers(timestamp: &str, signature: Option<String>) -> HeaderMap {
        let settings = RapydSettings::default();
        let keys = RapydKeys {
            access_key: &settings.access_key,
            secret_key: &settings.secret_key,
        };
        let signature = signature.unwrap_or_else(|| {
            rapyd_request_signature(keys, "POST", PATH, "s4lt", timestamp, BODY)
        });
        let mut h = HeaderMap::new();
        h.insert("access_key", HeaderValue::from_static("sandbox_access"));
        h.insert("salt", HeaderValue::from_static("s4lt"));
        h.insert("timestamp", HeaderValue::from_str(timestamp).unwrap());
        h.insert("signature", HeaderValue::from_str(&signature).unwrap());
        h
    }

    fn run(h: &HeaderMap, body: &str) -> Result<(), ErrorCode> {
        let request = Signed {
            method: "POST",
            path_with_query: PATH,
            body: body.as_bytes(),
        };
        check(&RapydSettings::default(), h, request, NOW)
    }

    #[test]
    fn a_fresh_correct_signature_passes() {
        assert_eq!(run(&headers("1700000000", None), BODY), Ok(()));
        assert_eq!(run(&headers("1699999940", None), BODY), Ok(()));
    }

    #[test]
    fn missing_headers_and_bad_timestamps() {
        for name in ["access_key", "salt", "timestamp", "signature"] {
            let mut h = headers("1700000000", None);
            h.remove(name);
            assert_eq!(run(&h, BODY), Err(MISSING_AUTHENTICATION_HEADERS), "{name}");
        }
        assert_eq!(
            run(&headers("soon", None), BODY),
            Err(MISSING_AUTHENTICATION_HEADERS)
        );
        assert_eq!(
            run(&headers("1699999939", None), BODY),
            Err(UNAUTHENTICATED_API_CALL)
        );
        assert_eq!(
            run(&headers("1700000001", None), BODY),
            Err(UNAUTHENTICATED_API_CALL)
        );
    }

    #[test]
    fn wrong_signatures_fail() {
        assert_eq!(
            run(&headers("1700000000", None), "{}"),
            Err(UNAUTHENTICATED_API_CALL)
        );
        let wrong = Some("N2M3YjYzYmQzNmQyMWZj".to_string());
        assert_eq!(
            run(&headers("1700000000", wrong), BODY),
            Err(UNAUTHENTICATED_API_CALL)
        );
        let mut h = headers("1700000000", None);
        h.insert("access_key", HeaderValue::from_static("someone_else"));
        assert_eq!(run(&h, BODY), Err(UNAUTHENTICATED_API_CALL));
    }
}
