//! The Braintree XML API's routes.

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};

use super::{Gateway, address, auth, customer, http, nonce, payment_method};

/// All Braintree routes, behind authentication and gzip.
pub fn router(gateway: Arc<Gateway>) -> Router {
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
            get(address::find_handler),
        )
        .route(
            &format!("{m}/payment_methods/any/{{token}}"),
            get(payment_method::find_handler).put(payment_method::update_handler),
        )
        .route(
            &format!("{m}/payment_methods/credit_card/{{token}}"),
            get(payment_method::find_handler),
        )
        .route(
            &format!("{m}/payment_methods/paypal_account/{{token}}"),
            get(payment_method::find_handler).put(payment_method::update_paypal_handler),
        )
        .route(
            &format!("{m}/payment_methods/{{token}}/nonces"),
            post(nonce::create_handler),
        )
        .route(
            &format!("{m}/payment_method_nonces/{{nonce}}"),
            get(nonce::find_handler),
        )
        .layer(from_fn_with_state(gateway.clone(), auth::authenticate))
        .layer(from_fn(http::gzip))
        .with_state(gateway)
}
