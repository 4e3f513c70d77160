//! The Rapyd API's routes. Every path under `/v1/` is authenticated first; a path or
//! method the API does not have then answers `UNAUTHORIZED_API_CALL`, as Rapyd does.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};

use super::errors::{ErrorCode, UNAUTHORIZED_API_CALL};
use super::{Gateway, auth, coupon, customer, idempotency, payment_method};

/// All Rapyd routes, behind authentication and idempotent replay.
pub(super) fn router(gateway: Arc<Gateway>) -> Router {
    Router::new()
        .route(
            "/v1/customers",
            post(customer::create_handler)
                .get(customer::list_handler)
                .fallback(unknown),
        )
        .route(
            "/v1/customers/{customer}",
            get(customer::retrieve_handler)
                .post(customer::update_handler)
                .delete(customer::delete_handler)
                .fallback(unknown),
        )
        .route(
            "/v1/customers/{customer}/payment_methods",
            post(payment_method::create_handler)
                .get(payment_method::list_handler)
                .fallback(unknown),
        )
        .route(
            "/v1/customers/{customer}/payment_methods/{payment_method}",
            get(payment_method::retrieve_handler)
                .delete(payment_method::delete_handler)
                .fallback(unknown),
        )
        .route(
            "/v1/coupons",
            post(coupon::create_handler).fallback(unknown),
        )
        .route(
            "/v1/coupons/{coupon}",
            get(coupon::retrieve_handler).fallback(unknown),
        )
        .route("/v1/{*rest}", any(unknown))
        .layer(from_fn_with_state(gateway.clone(), idempotency::replay))
        .layer(from_fn_with_state(gateway.clone(), auth::authenticate))
        .with_state(gateway)
}

async fn unknown() -> ErrorCode {
    UNAUTHORIZED_API_CALL
}
