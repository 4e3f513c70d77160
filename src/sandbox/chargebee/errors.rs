//! Chargebee's error document and the errors the sandbox answers with.
//!
//! Every error is one JSON object: `message` (the developer-facing text, for
//! parameters `"<param> : <reason>"`), `type` (`invalid_request`, `payment` or
//! `operation_failed`, which the official clients turn into `InvalidRequestError`,
//! `PaymentError` and `OperationFailedError`; absent for authentication failures, which
//! the clients raise as plain `APIError`), `api_error_code`, `param` when a parameter is
//! at fault, and the older fields `error_code`, `error_msg`, `error_param` and
//! `http_status_code` that older clients still read.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// The `type` of an error: which handling routine (and client exception) it calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ErrorType {
    /// A bad request: wrong parameters, unknown resources.
    InvalidRequest,
    /// A payment or verification failure at the gateway.
    Payment,
    /// No type: authentication failures and unknown paths.
    Untyped,
}

/// One error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `type` field.
    pub kind: ErrorType,
    /// The `api_error_code` field.
    pub api_error_code: &'static str,
    /// The older `error_code` field: a finer code than `api_error_code`.
    pub error_code: &'static str,
    /// The parameter at fault, as the request names it (`payment_method[type]`).
    pub param: Option<String>,
    /// The reason, without the parameter name.
    pub reason: String,
}

impl ApiError {
    /// A 400 `param_wrong_value` on `param`, with the finer `error_code`.
    pub(super) fn param(
        param: &str,
        error_code: &'static str,
        reason: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: ErrorType::InvalidRequest,
            api_error_code: "param_wrong_value",
            error_code,
            param: Some(param.to_string()),
            reason: reason.into(),
        }
    }

    /// A required parameter is missing or blank.
    pub(super) fn blank(param: &str) -> ApiError {
        ApiError::param(param, "param_blank", "cannot be blank")
    }

    /// A parameter whose value is not one of the allowed ones, or badly formed.
    pub(super) fn invalid(param: &str, reason: impl Into<String>) -> ApiError {
        ApiError::param(param, "param_invalid", reason)
    }

    /// A parameter that must not be passed in this combination.
    pub(super) fn not_allowed(param: &str, reason: impl Into<String>) -> ApiError {
        ApiError::param(param, "param_not_required", reason)
    }

    /// A 404 for a resource named in the path (`param` absent) or in a parameter.
    pub(super) fn not_found(param: Option<&str>, reason: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: ErrorType::InvalidRequest,
            api_error_code: "resource_not_found",
            error_code: "resource_not_found",
            param: param.map(str::to_string),
            reason: reason.into(),
        }
    }

    /// A 400 for an id that is already taken.
    pub(super) fn duplicate(param: &str, value: &str) -> ApiError {
        ApiError {
            api_error_code: "duplicate_entry",
            error_code: "duplicate_entry",
            ..ApiError::param(
                param,
                "duplicate_entry",
                format!("The value {value} is already present."),
            )
        }
    }

    /// A 401 for a missing or wrong API key.
    pub(super) fn authentication() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            kind: ErrorType::Untyped,
            api_error_code: "api_authentication_failed",
            error_code: "api_authentication_failed",
            param: None,
            reason: "Sorry, authentication failed. Invalid api key".into(),
        }
    }

    /// A 404 for a path the API does not have.
    pub(super) fn unknown_path() -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: ErrorType::Untyped,
            api_error_code: "resource_not_found",
            error_code: "resource_not_found",
            param: None,
            reason: "Sorry, we couldn't find that resource".into(),
        }
    }

    /// A 400 for a body that cannot be read at all.
    pub(super) fn unreadable(reason: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: ErrorType::InvalidRequest,
            api_error_code: "invalid_request",
            error_code: "invalid_request",
            param: None,
            reason: reason.into(),
        }
    }

    /// A 400 payment error: the gateway refused to verify a card.
    pub(super) fn verification_failed(reason: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: ErrorType::Payment,
            api_error_code: "payment_method_verification_failed",
            error_code: "payment_method_verification_failed",
            param: None,
            reason: reason.into(),
        }
    }

    /// The `message` field: `"<param> : <reason>"` when a parameter is at fault.
    pub(super) fn message(&self) -> String {
        match &self.param {
            Some(p) => format!("{p} : {}", self.reason),
            None => self.reason.clone(),
        }
    }

    /// The JSON error document.
    pub(super) fn to_json(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("message".into(), json!(self.message()));
        let kind = match self.kind {
            ErrorType::InvalidRequest => Some("invalid_request"),
            ErrorType::Payment => Some("payment"),
            ErrorType::Untyped => None,
        };
        if let Some(kind) = kind {
            doc.insert("type".into(), json!(kind));
        }
        doc.insert("api_error_code".into(), json!(self.api_error_code));
        if let Some(param) = &self.param {
            doc.insert("param".into(), json!(param));
        }
        doc.insert("error_code".into(), json!(self.error_code));
        doc.insert("error_msg".into(), json!(self.reason));
        if let Some(param) = &self.param {
            doc.insert("error_param".into(), json!(param));
        }
        doc.insert("http_status_code".into(), json!(self.status.as_u16()));
        Value::Object(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_errors_name_the_parameter() {
        let doc = ApiError::blank("payment_method[type]").to_json();
        assert_eq!(
            doc,
            json!({
                "message": "payment_method[type] : cannot be blank",
                "type": "invalid_request",
                "api_error_code": "param_wrong_value",
                "param": "payment_method[type]",
                "error_code": "param_blank",
                "error_msg": "cannot be blank",
                "error_param": "payment_method[type]",
                "http_status_code": 400
            })
        );
    }

    #[test]
    fn authentication_errors_have_no_type() {
        let doc = ApiError::authentication().to_json();
        assert_eq!(doc["http_status_code"], 401);
        assert!(doc.get("type").is_none());
        assert!(doc.get("param").is_none());
    }
}
