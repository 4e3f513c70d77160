//! HTTP basic authentication with the site's API key as the user name.
//!
//! Chargebee's password is empty; the sandbox, like Chargebee, looks only at the user
//! name. A missing or wrong key answers 401 `api_authentication_failed`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Site;
use super::errors::ApiError;

/// The API key a request's `Authorization: Basic` header carries, if any.
pub fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, _password) = decoded.split_once(':')?;
    Some(user.to_string())
}

/// Middleware: every request needs the site's API key.
pub async fn authenticate(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    if api_key(request.headers()).as_deref() != Some(site.settings.api_key.as_str()) {
        return ApiError::authentication().into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
