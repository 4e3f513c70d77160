//! Form bodies (bracketed keys, plain or percent-encoded) read into typed requests, with
//! Chargebee's field rules.
//!
//! Blank values count as absent, as in Chargebee. Unknown parameters are ignored.

use serde_json::{Map, Value};

use super::errors::ApiError;
use crate::wire::form;

/// Decodes a form body (bracketed keys, plain or percent-encoded) into its top-level map.
pub(super) fn read_form(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::unreadable("the request body is not UTF-8"))?;
    match form::try_decode(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        // Chargebee's own refusal, on the parameter at fault, rather than a guess.
        Err(form::FormError::TooDeep { name, .. }) => Err(ApiError::invalid(
            &name,
            format!("is nested deeper than {} levels", form::MAX_DEPTH),
        )),
    }
}

/// `payment_method[...]` of an update or create.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PaymentMethodParams {
    pub kind: Option<String>,
    pub gateway: Option<String>,
    pub gateway_account_id: Option<String>,
    pub reference_id: Option<String>,
    pub tmp_token: Option<String>,
    pub issuing_country: Option<String>,
    /// A JSON object (the official clients send it JSON-encoded in one field).
    pub additional_information: Option<Value>,
}

/// The parameters of "Create a customer" the sandbox knows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CustomerParams {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub auto_collection: Option<String>,
    pub locale: Option<String>,
    pub preferred_currency_code: Option<String>,
    pub payment_method: Option<PaymentMethodParams>,
}

/// A simple `local@domain.tld` check: one `@`, no spaces, a dot in the domain.
pub(super) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain
            .split_once('.')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.ends_with('.'))
}

/// A text parameter: a string (blank is absent); a nested map or list is refused.
fn text(map: &Map<String, Value>, key: &str, name: &str) -> Result<Option<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(ApiError::invalid(name, "must be a single value")),
    }
}

fn limit(value: &Option<String>, name: &str, max: usize) -> Result<(), ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::param(
            name,
            "param_too_long",
            format!("cannot be more than {max} characters in length"),
        )),
        _ => Ok(()),
    }
}

/// Reads `payment_method[...]`; `None` when the request has none.
pub(super) fn payment_method(
    root: &Map<String, Value>,
) -> Result<Option<PaymentMethodParams>, ApiError> {
    let map = match root.get("payment_method") {
        None => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(ApiError::blank("payment_method[type]")),
    };
    let field = |key: &str| text(map, key, &format!("payment_method[{key}]"));
    const INFO: &str = "payment_method[additional_information]";
    let additional_information = match map.get("additional_information") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => Some(v),
            _ => return Err(ApiError::invalid(INFO, "must be a JSON object")),
        },
        Some(v @ Value::Object(_)) => Some(v.clone()),
        Some(_) => return Err(ApiError::invalid(INFO, "must be a JSON object")),
    };
    let params = PaymentMethodParams {
        kind: field("type")?,
        gateway: field("gateway")?,
        gateway_account_id: field("gateway_account_id")?,
        reference_id: field("reference_id")?,
        tmp_token: field("tmp_token")?,
        issuing_country: field("issuing_country")?,
        additional_information,
    };
    limit(
        &params.gateway_account_id,
        "payment_method[gateway_account_id]",
        50,
    )?;
    limit(&params.reference_id, "payment_method[reference_id]", 200)?;
    limit(&params.tmp_token, "payment_method[tmp_token]", 300)?;
    limit(
        &params.issuing_country,
        "payment_method[issuing_country]",
        50,
    )?;
    Ok(Some(params))
}

/// Reads and checks the parameters of "Create a customer".
pub(super) fn customer(root: &Map<String, Value>) -> Result<CustomerParams, ApiError> {
    let field = |key: &str| text(root, key, key);
    let params = CustomerParams {
        id: field("id")?,
        first_name: field("first_name")?,
        last_name: field("last_name")?,
        email: field("email")?,
        phone: field("phone")?,
        company: field("company")?,
        auto_collection: field("auto_collection")?,
        locale: field("locale")?,
        preferred_currency_code: field("preferred_currency_code")?,
        payment_method: payment_method(root)?,
    };
    limit(&params.id, "id", 50)?;
    if let Some(id) = &params.id
        && !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
    {
        return Err(ApiError::invalid(
            "id",
            "can contain only letters, digits and _ - . @",
        ));
    }
    limit(&params.first_name, "first_name", 150)?;
    limit(&params.last_name, "last_name", 150)?;
    limit(&params.email, "email", 70)?;
    if let Some(email) = &params.email
        && !is_email(email)
    {
        return Err(ApiError::param(
            "email",
            "param_invalid_email",
            "invalid email format",
        ));
    }
    limit(&params.phone, "phone", 50)?;
    limit(&params.company, "company", 250)?;
    if let Some(v) = &params.auto_collection
        && v != "on"
        && v != "off"
    {
        return Err(ApiError::invalid(
            "auto_collection",
            format!("invalid value {v}; the possible values are on, off"),
        ));
    }
    limit(&params.locale, "locale", 50)?;
    if let Some(code) = &params.preferred_currency_code
        && !(code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()))
    {
        return Err(ApiError::invalid(
            "preferred_currency_code",
            "must be an ISO 4217 currency code",
        ));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(body: &str) -> Map<String, Value> {
        match form::decode(body) {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn reads_payment_method_with_json_information() {
        let pm = payment_method(&root(
            "payment_method%5Btype%5D=card&payment_method[reference_id]=cus_1&payment_method[additional_information]=%7B%22a%22%3A1%7D&payment_method[gateway]=",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(pm.kind.as_deref(), Some("card"));
        assert_eq!(pm.gateway, None);
        assert_eq!(pm.additional_information, Some(serde_json::json!({"a": 1})));
        assert!(payment_method(&root("payment_method[additional_information]=[1]")).is_err());
        assert_eq!(payment_method(&root("id=1")).unwrap(), None);
        assert!(payment_method(&root("payment_method=card")).is_err());
    }

    #[test]
    fn checks_customer_fields() {
        assert!(customer(&root("id=c-1&email=a@b.co&auto_collection=off")).is_ok());
        let param = |body: &str| customer(&root(body)).unwrap_err().param;
        assert_eq!(param("email=nope").as_deref(), Some("email"));
        assert_eq!(param("id=a%20b").as_deref(), Some("id"));
        assert_eq!(
            param(&format!("id={}", "x".repeat(51))).as_deref(),
            Some("id")
        );
        assert_eq!(
            param("auto_collection=maybe").as_deref(),
            Some("auto_collection")
        );
        assert_eq!(param("first_name[x]=1").as_deref(), Some("first_name"));
    }

    #[test]
    fn emails() {
        assert!(is_email("ada@example.com"));
        for bad in ["", "a", "a@b", "@b.c", "a@b.", "a b@c.d", "a@b@c.d"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
