//! The Chargebee API's routes.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};

use super::{Site, auth, customer};

/// All Chargebee routes, behind authentication. Paths and methods the sandbox does not
/// have answer Chargebee's 404 document.
pub(super) fn router(site: Arc<Site>) -> Router {
    let v2 = "/api/v2";
    Router::new()
        .route(
            &format!("{v2}/customers"),
            post(customer::create_handler)
                .get(customer::list_handler)
                .fallback(customer::unknown_handler),
        )
        .route(
            &format!("{v2}/customers/{{id}}"),
            get(customer::retrieve_handler).fallback(customer::unknown_handler),
        )
        .route(
            &format!("{v2}/customers/{{id}}/update_payment_method"),
            post(customer::update_payment_method_handler).fallback(customer::unknown_handler),
        )
        .route(&format!("{v2}/{{*rest}}"), any(customer::unknown_handler))
        .route(v2, any(customer::unknown_handler))
        .layer(from_fn_with_state(site.clone(), auth::authenticate))
        .with_state(site)
}
