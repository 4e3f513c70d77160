//! HTTP basic authentication with the site's API key as the user name.
//!
//! Chargebee's password is empty; the sandbox, like Chargebee, looks only at the user
//! name. A missing or wrong key answers 401 `api_authentication_failed`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Site;
use super::errors::ApiError;
use crate::sandbox::basic_auth;

/// The API key a request's `Authorization: Basic` header carries, if any.
pub(super) fn api_key(headers: &HeaderMap) -> Option<String> {
    basic_auth::credentials(headers).map(|(user, _password)| user)
}

/// Middleware: every request needs the site's API key.
pub(super) async fn authenticate(
    State(site): State<Arc<Site>>,
    request: Request,
    next: Next,
) -> Response {
    if api_key(request.headers()).as_deref() != Some(site.settings.api_key.as_str()) {
        return ApiError::authentication().into_response();
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

    fn key(value: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        api_key(&headers)
    }

    #[test]
    fn reads_the_user_name() {
        let empty_password = format!("Basic {}", STANDARD.encode("sandbox_api_key:"));
        assert_eq!(key(&empty_password).as_deref(), Some("sandbox_api_key"));
        assert_eq!(key("Basic !!!"), None);
        assert_eq!(key("Bearer sandbox_api_key"), None);
        assert_eq!(key(&format!("Basic {}", STANDARD.encode("no-colon"))), None);
        assert_eq!(api_key(&HeaderMap::new()), None);
    }
}
