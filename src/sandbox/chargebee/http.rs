//! HTTP plumbing for the Chargebee handlers: reading form bodies, writing JSON answers.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::errors::ApiError;
use crate::wire::form;

/// The content type of every answer.
pub const JSON: &str = "application/json;charset=utf-8";

/// A JSON answer.
pub fn json(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json(self.status, &self.to_json())
    }
}

/// Decodes a form body (bracketed keys, plain or percent-encoded) into its top-level map.
pub fn read_form(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::unreadable("the request body is not UTF-8"))?;
    match form::decode(text) {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}
