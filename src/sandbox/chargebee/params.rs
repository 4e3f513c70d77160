//! Form bodies (bracketed keys, plain or percent-encoded) read into typed requests, with
//! Chargebee's field rules.
//!
//! Blank values count as absent, as in Chargebee. Unknown parameters are ignored. How
//! each official client encodes lists and JSON-typed parameters is in `encodings`.

use serde_json::{Map, Value};

use super::encodings::{self, JsonKind};
use super::errors::ApiError;
use crate::wire::form;

/// A decoded form body (or query string): the tree of its bracketed keys, and the text,
/// for parameters sent as one repeated key.
#[derive(Debug, Clone, Default)]
pub(super) struct Form {
    /// The top-level map of the decoded tree.
    pub root: Map<String, Value>,
    text: String,
}

impl Form {
    /// Every value the plain key `key` was sent with, in order.
    fn all(&self, key: &str) -> Vec<String> {
        form::values(&self.text, key)
    }
}

/// Decodes a form body (bracketed keys, plain or percent-encoded).
pub(super) fn read_form(body: &[u8]) -> Result<Form, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::unreadable("the request body is not UTF-8"))?;
    let root = match form::try_decode(text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => Map::new(),
        // Chargebee's own refusal, on the parameter at fault, rather than a guess.
        Err(form::FormError::TooDeep { name, .. }) => {
            return Err(ApiError::invalid(
                &name,
                format!("is nested deeper than {} levels", form::MAX_DEPTH),
            ));
        }
    };
    Ok(Form {
        root,
        text: text.to_string(),
    })
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
    /// `meta_data`: a JSON object.
    pub meta_data: Option<Value>,
    /// `exemption_details`: a JSON array.
    pub exemption_details: Option<Value>,
    pub entity_identifiers: Vec<EntityIdentifier>,
    pub tax_providers_fields: Vec<TaxProvidersField>,
}

/// One item of `entity_identifiers[...][i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct EntityIdentifier {
    /// Chargebee's id for the identifier; made up when not given.
    pub id: Option<String>,
    pub scheme: String,
    pub value: Option<String>,
    pub standard: String,
}

/// One item of `tax_providers_fields[...][i]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct TaxProvidersField {
    pub provider_name: String,
    pub field_id: String,
    pub field_value: String,
}

/// The standard of an entity identifier when none is given.
const DEFAULT_STANDARD: &str = "iso6523-actorid-upis";

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

/// A JSON-typed parameter sent as one field: JSON text or the Python client's repr.
/// Bracketed keys (`meta_data[a]=1`) are refused: Chargebee reads these parameters
/// as JSON text only.
fn json_object(map: &Map<String, Value>, key: &str, name: &str) -> Result<Option<Value>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => encodings::json_value(s, name, JsonKind::Object),
        Some(_) => Err(ApiError::invalid(
            name,
            "must be a JSON object sent as JSON text in one field, not bracketed keys",
        )),
    }
}

/// A list item's text field (`name[field][i]`), blank being absent, with its limit.
fn item_text(
    item: &Map<String, Value>,
    name: &str,
    field: &str,
    index: usize,
    max: usize,
) -> Result<Option<String>, ApiError> {
    let param = format!("{name}[{field}][{index}]");
    let value = text(item, field, &param)?;
    limit(&value, &param, max)?;
    Ok(value)
}

/// `entity_identifiers[id|scheme|value|standard][i]`: `scheme` is required.
fn entity_identifiers(root: &Map<String, Value>) -> Result<Vec<EntityIdentifier>, ApiError> {
    const NAME: &str = "entity_identifiers";
    let mut out = Vec::new();
    for (i, item) in encodings::rows(root, NAME)?.iter().enumerate() {
        let scheme = item_text(item, NAME, "scheme", i, 50)?
            .ok_or_else(|| ApiError::blank(&format!("{NAME}[scheme][{i}]")))?;
        out.push(EntityIdentifier {
            id: item_text(item, NAME, "id", i, 40)?,
            scheme,
            value: item_text(item, NAME, "value", i, 50)?,
            standard: item_text(item, NAME, "standard", i, 50)?
                .unwrap_or_else(|| DEFAULT_STANDARD.to_string()),
        });
    }
    Ok(out)
}

/// `tax_providers_fields[provider_name|field_id|field_value][i]`, all three required.
fn tax_providers_fields(root: &Map<String, Value>) -> Result<Vec<TaxProvidersField>, ApiError> {
    const NAME: &str = "tax_providers_fields";
    let mut out = Vec::new();
    for (i, item) in encodings::rows(root, NAME)?.iter().enumerate() {
        let required = |field: &str, max: usize| {
            item_text(item, NAME, field, i, max)?
                .ok_or_else(|| ApiError::blank(&format!("{NAME}[{field}][{i}]")))
        };
        out.push(TaxProvidersField {
            provider_name: required("provider_name", 50)?,
            field_id: required("field_id", 50)?,
            field_value: required("field_value", 50)?,
        });
    }
    Ok(out)
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
    let additional_information = json_object(
        map,
        "additional_information",
        "payment_method[additional_information]",
    )?;
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
pub(super) fn customer(form: &Form) -> Result<CustomerParams, ApiError> {
    let root = &form.root;
    let field = |key: &str| text(root, key, key);
    const EXEMPTIONS: &str = "exemption_details";
    let exemption_details = match root.get(EXEMPTIONS) {
        None | Some(Value::Null | Value::String(_)) => {
            encodings::json_array(&form.all(EXEMPTIONS), EXEMPTIONS)?
        }
        Some(_) => {
            return Err(ApiError::invalid(
                EXEMPTIONS,
                "must be a JSON array sent as JSON text in one field, not bracketed keys",
            ));
        }
    };
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
        meta_data: json_object(root, "meta_data", "meta_data")?,
        exemption_details,
        entity_identifiers: entity_identifiers(root)?,
        tax_providers_fields: tax_providers_fields(root)?,
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
        read_form(body.as_bytes()).unwrap().root
    }

    fn customer_of(body: &str) -> Result<CustomerParams, ApiError> {
        customer(&read_form(body.as_bytes()).unwrap())
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
        // The Python client's repr means the same; bracketed keys are not JSON text.
        let pm = payment_method(&root(
            "payment_method[type]=card&payment_method[additional_information]=%7B%27a%27%3A+1%7D",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(pm.additional_information, Some(serde_json::json!({"a": 1})));
        assert!(payment_method(&root("payment_method[additional_information][a]=1")).is_err());
        assert_eq!(payment_method(&root("id=1")).unwrap(), None);
        assert!(payment_method(&root("payment_method=card")).is_err());
    }

    #[test]
    fn checks_customer_fields() {
        assert!(customer_of("id=c-1&email=a@b.co&auto_collection=off").is_ok());
        let param = |body: &str| customer_of(body).unwrap_err().param;
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
        assert_eq!(param("meta_data[a]=1").as_deref(), Some("meta_data"));
        assert_eq!(param("meta_data=%5B1%5D").as_deref(), Some("meta_data"));
        assert_eq!(
            param("exemption_details[0]=x").as_deref(),
            Some("exemption_details")
        );
        assert_eq!(
            param("entity_identifiers[value][0]=v").as_deref(),
            Some("entity_identifiers[scheme][0]")
        );
        assert_eq!(
            param(&format!("entity_identifiers[scheme][0]={}", "s".repeat(51))).as_deref(),
            Some("entity_identifiers[scheme][0]")
        );
        assert_eq!(
            param("tax_providers_fields[provider_name][0]=p&tax_providers_fields[field_id][0]=f")
                .as_deref(),
            Some("tax_providers_fields[field_value][0]")
        );
    }

    #[test]
    fn reads_json_and_list_fields() {
        let p = customer_of(
            "meta_data=%7B%22a%22%3A1%7D&exemption_details=%7B%27x%27%3A+%27y%27%7D&exemption_details=s\
             &entity_identifiers[scheme][0]=iso&entity_identifiers[value][0]=v&entity_identifiers[id][1]=e2&entity_identifiers[scheme][1]=s2",
        )
        .unwrap();
        assert_eq!(p.meta_data, Some(serde_json::json!({"a": 1})));
        assert_eq!(
            p.exemption_details,
            Some(serde_json::json!([{"x": "y"}, "s"]))
        );
        assert_eq!(p.entity_identifiers.len(), 2);
        assert_eq!(p.entity_identifiers[0].standard, DEFAULT_STANDARD);
        assert_eq!(p.entity_identifiers[1].id.as_deref(), Some("e2"));
    }

    #[test]
    fn emails() {
        assert!(is_email("ada@example.com"));
        for bad in ["", "a", "a@b", "@b.c", "a@b.", "a b@c.d", "a@b@c.d"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
