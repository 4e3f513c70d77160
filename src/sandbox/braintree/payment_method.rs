//! Payment methods found by token.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::http::{empty, xml_answer};
use super::{Gateway, render};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::store::Instrument;

/// `GET /merchants/{merchant_id}/payment_methods/any/{token}` (and
/// `…/payment_methods/credit_card/{token}`): 200 with `<credit-card>`, or 404.
pub async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    let vault = gateway.store.lock();
    let found = vault.payment_method(&token).and_then(|pm| {
        let owner = vault.customer(&pm.customer_id)?;
        Some(match &pm.instrument {
            Instrument::Card(_) => json!({
                "credit_card": render::credit_card(&vault, pm, owner, Timestamp::now())
            }),
        })
    });
    match found {
        Some(tree) => xml_answer(StatusCode::OK, &tree),
        None => empty(StatusCode::NOT_FOUND),
    }
}
