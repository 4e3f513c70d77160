//! The Braintree XML API's routes, behind authentication and gzip.

use std::io::Write;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use flate2::Compression;
use flate2::write::GzEncoder;

use super::{Gateway, address, auth, client_token, customer, nonce, payment_method};

/// All Braintree routes, behind authentication and gzip.
pub(super) fn router(gateway: Arc<Gateway>) -> Router {
    let m = "/merchants/{merchant_id}";
    Router::new()
        .route(&format!("{m}/customers"), post(customer::create_handler))
        .route(
            &format!("{m}/customers/{{id}}"),
            get(customer::find_handler)
                .put(customer::update_handler)
                .delete(customer::delete_handler),
        )
        .route(
            &format!("{m}/customers/{{customer_id}}/addresses"),
            post(address::create_handler),
        )
        .route(
            &format!("{m}/customers/{{customer_id}}/addresses/{{id}}"),
            get(address::find_handler)
                .put(address::update_handler)
                .delete(address::delete_handler),
        )
        .route(
            &format!("{m}/client_token"),
            post(client_token::generate_handler),
        )
        .route(
            &format!("{m}/client_api/v1/configuration"),
            get(client_token::configuration_handler),
        )
        .route(
            &format!("{m}/client_api/v1/payment_methods/credit_cards"),
            post(client_token::tokenize_handler),
        )
        .route(
            &format!("{m}/payment_methods"),
            post(payment_method::create_handler),
        )
        .route(
            &format!("{m}/payment_methods/any/{{token}}"),
            get(payment_method::find_handler)
                .put(payment_method::update_handler)
                .delete(payment_method::delete_handler),
        )
        .route(
            &format!("{m}/payment_methods/credit_card/{{token}}"),
            get(payment_method::find_card_handler)
                .put(payment_method::update_card_handler)
                .delete(payment_method::delete_card_handler),
        )
        .route(
            &format!("{m}/payment_methods/paypal_account/{{token}}"),
            get(payment_method::find_paypal_handler)
                .put(payment_method::update_paypal_handler)
                .delete(payment_method::delete_paypal_handler),
        )
        .route(
            &format!("{m}/payment_methods/{{token}}/nonces"),
            post(nonce::create_handler),
        )
        .route(
            &format!("{m}/payment_method_nonces/{{nonce}}"),
            get(nonce::find_handler),
        )
        .layer(from_fn(api_version))
        .layer(from_fn_with_state(gateway.clone(), auth::authenticate))
        .layer(from_fn(gzip))
        .with_state(gateway)
}

/// The oldest `X-ApiVersion` the gateway still serves. Every official client of the
/// last decade sends 6 (Python, Node, Java, PHP, Ruby, .NET alike).
const OLDEST_API_VERSION: u32 = 4;

/// Middleware: a request that names an `X-ApiVersion` older than
/// [`OLDEST_API_VERSION`], or one that is not a number, answers 426 Upgrade Required
/// with an empty body, which the clients raise as `UpgradeRequiredError`. A request
/// without the header is served: Braintree's clients always send it, and a
/// hand-written `curl` need not.
async fn api_version(request: Request, next: Next) -> Response {
    let version = request
        .headers()
        .get("x-apiversion")
        .map(|v| v.to_str().ok().and_then(|v| v.trim().parse::<u32>().ok()));
    match version {
        Some(Some(v)) if v >= OLDEST_API_VERSION => next.run(request).await,
        None => next.run(request).await,
        Some(_) => StatusCode::UPGRADE_REQUIRED.into_response(),
    }
}

/// Whether `Accept-Encoding` allows gzip (`gzip`, `x-gzip` or `*`, with a q above 0).
pub(super) fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            matches!(coding.as_str(), "gzip" | "x-gzip" | "*") && !refused
        })
}

/// Middleware: gzips every non-empty answer when the request accepts gzip. (The Ruby
/// client reads a body only when it carries `Content-Encoding: gzip`.) Empty bodies
/// stay empty, with no `Content-Encoding`.
pub(super) async fn gzip(request: Request, next: Next) -> Response {
    let accepts = accepts_gzip(request.headers());
    let response = next.run(request).await;
    if !accepts || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let Ok(compressed) = encoder.write_all(&bytes).and_then(|()| encoder.finish()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Response::from_parts(parts, Body::from(compressed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accept("gzip"));
        assert!(accept("deflate, gzip;q=0.5"));
        assert!(accept("*"));
        assert!(!accept("gzip;q=0"));
        assert!(!accept("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
