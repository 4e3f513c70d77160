//! HTTP basic authentication with the merchant's API keys.
//!
//! Every path under `/merchants/{merchant_id}/` needs `Authorization: Basic
//! base64(public_key:private_key)`. Missing or wrong keys answer 401 with an empty body.
//! So does a merchant id in the path that is not the configured one: Braintree's keys
//! belong to one merchant, so keys used against another merchant's path fail to
//! authenticate (the client raises `AuthenticationError`, not `NotFoundError`). The
//! client API under `/merchants/{merchant_id}/client_api/` takes no keys: a client
//! token's authorization fingerprint authorizes it (`client_token.rs`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Gateway;
use crate::sandbox::{BraintreeCredentials, basic_auth};

/// Whether the request carries the configured public and private key.
pub(super) fn has_valid_keys(credentials: &BraintreeCredentials, headers: &HeaderMap) -> bool {
    basic_auth::credentials(headers).is_some_and(|(public, private)| {
        public == credentials.public_key && private == credentials.private_key
    })
}

/// Middleware: requests under `/merchants/…` need the keys and the configured merchant.
pub(super) async fn authenticate(
    State(gateway): State<Arc<Gateway>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(rest) = request.uri().path().strip_prefix("/merchants/") {
        let mut segments = rest.split('/');
        let merchant_id = segments.next().unwrap_or_default();
        // The client API (what a browser's Drop-in calls) is authorized by the client
        // token's fingerprint in the request, never by the merchant's keys.
        let client_api = segments.next() == Some("client_api");
        let credentials = &gateway.credentials;
        if merchant_id != credentials.merchant_id
            || (!client_api && !has_valid_keys(credentials, request.headers()))
        {
            return StatusCode::UNAUTHORIZED.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn checks_basic_credentials() {
        let credentials = BraintreeCredentials::default();
        let good = format!(
            "Basic {}",
            STANDARD.encode("sandbox_public:sandbox_private")
        );
        assert!(has_valid_keys(&credentials, &headers(&good)));
        let wrong = format!("Basic {}", STANDARD.encode("sandbox_public:nope"));
        assert!(!has_valid_keys(&credentials, &headers(&wrong)));
        assert!(!has_valid_keys(&credentials, &headers("Basic !!!")));
        assert!(!has_valid_keys(&credentials, &headers("Bearer x")));
        assert!(!has_valid_keys(&credentials, &HeaderMap::new()));
    }
}
