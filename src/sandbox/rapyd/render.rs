//! How the Rapyd API answers: the envelope `status {error_code, status, message,
//! response_code, operation_id}` on every answer, plus `data` on success. Each object's
//! own shape is rendered next to its rules (`customer::render`, ...).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::errors::ErrorCode;

/// The content type of every answer.
pub(super) const JSON: &str = "application/json; charset=utf-8";

/// A fresh `operation_id` (a UUID, as Rapyd's are).
pub(super) fn operation_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `{"status": {... "SUCCESS" ...}, "data": data}` with 200.
pub(super) fn success(operation_id: &str, data: Value) -> Response {
    let body = json!({
        "status": {
            "error_code": "",
            "status": "SUCCESS",
            "message": "",
            "response_code": "",
            "operation_id": operation_id,
        },
        "data": data,
    });
    answer(StatusCode::OK, &body)
}

/// `{"status": {... "ERROR" ...}}`: failed answers carry no `data`.
pub(super) fn failure(code: ErrorCode) -> Response {
    let body = json!({
        "status": {
            "error_code": code.code,
            "status": "ERROR",
            "message": code.message,
            "response_code": code.code,
            "operation_id": operation_id(),
        },
    });
    answer(code.http, &body)
}

impl IntoResponse for ErrorCode {
    fn into_response(self) -> Response {
        failure(self)
    }
}

fn answer(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response()
}
