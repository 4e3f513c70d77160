//! Request parameters: bodies decoded (`body.rs`, XML or JSON) and read into typed
//! structs.
//!
//! Shapes only; business rules live in `validation.rs`. A body that cannot be decoded, or a
//! value of the wrong shape (an element with children where text belongs, a boolean that
//! reads neither `true` nor `false`), is a [`ParamError`], answered with 400. Unknown
//! elements are ignored.

use serde_json::{Map, Value};

use super::body::Body;
use crate::sandbox::field::Field;

/// A request whose shape cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(super) struct ParamError(pub String);

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CustomerParams {
    pub id: Field<String>,
    pub first_name: Field<String>,
    pub last_name: Field<String>,
    pub company: Field<String>,
    pub email: Field<String>,
    pub phone: Field<String>,
    pub fax: Field<String>,
    pub website: Field<String>,
    /// `Some(empty)` clears nothing; each pair sets one field (empty value clears it).
    pub custom_fields: Option<Vec<(String, String)>>,
    pub international_phone: Field<PhoneParams>,
    pub default_payment_method_token: Field<String>,
    pub credit_card: Option<CardParams>,
    /// A nonce for any payment method type, added to the customer (or, with
    /// `credit_card.options.update_existing_token`, updating that card).
    pub payment_method_nonce: Field<String>,
    /// (country code, identifier) pairs; accepted, never shown.
    pub tax_identifiers: Option<Vec<(String, String)>>,
    pub three_d_secure_pass_thru: Option<ThreeDSecureParams>,
}

/// A merchant-performed 3-D Secure authentication passed through with a card.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ThreeDSecureParams {
    pub eci_flag: Field<String>,
    pub cavv: Field<String>,
    pub xid: Field<String>,
    pub three_d_secure_version: Field<String>,
    pub ds_transaction_id: Field<String>,
    pub authentication_response: Field<String>,
    pub directory_response: Field<String>,
    pub cavv_algorithm: Field<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct PhoneParams {
    pub country_code: String,
    pub national_number: String,
}

impl From<&PhoneParams> for super::vault::Phone {
    fn from(p: &PhoneParams) -> Self {
        super::vault::Phone {
            country_code: p.country_code.clone(),
            national_number: p.national_number.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CardParams {
    /// Payment Method: Create's owner (ignored where the path names the card).
    pub customer_id: Field<String>,
    pub token: Field<String>,
    pub cardholder_name: Field<String>,
    pub number: Field<String>,
    pub cvv: Field<String>,
    pub expiration_date: Field<String>,
    pub expiration_month: Field<String>,
    pub expiration_year: Field<String>,
    pub billing_address: Option<AddressParams>,
    pub billing_address_id: Field<String>,
    pub payment_method_nonce: Field<String>,
    pub three_d_secure_pass_thru: Option<ThreeDSecureParams>,
    pub options: CardOptions,
}

impl CardParams {
    /// The names of the card fields sent (other than `token`, `options` and nonce),
    /// for updates that accept none of them.
    pub(super) fn card_fields_sent(&self) -> Vec<&'static str> {
        let fields: [(&'static str, bool); 9] = [
            ("cardholder_name", self.cardholder_name.is_sent()),
            ("number", self.number.is_sent()),
            ("cvv", self.cvv.is_sent()),
            ("expiration_date", self.expiration_date.is_sent()),
            ("expiration_month", self.expiration_month.is_sent()),
            ("expiration_year", self.expiration_year.is_sent()),
            ("billing_address", self.billing_address.is_some()),
            ("billing_address_id", self.billing_address_id.is_sent()),
            (
                "three_d_secure_pass_thru",
                self.three_d_secure_pass_thru.is_some(),
            ),
        ];
        fields
            .into_iter()
            .filter(|(_, sent)| *sent)
            .map(|(name, _)| name)
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CardOptions {
    pub update_existing_token: Field<String>,
    pub make_default: Option<bool>,
    pub verify_card: Option<bool>,
    pub fail_on_duplicate_payment_method: Option<bool>,
    pub fail_on_duplicate_payment_method_for_customer: Option<bool>,
    pub verification_amount: Field<String>,
    pub verification_merchant_account_id: Field<String>,
}

impl CardOptions {
    /// Whether an option other than `make_default` was sent.
    pub(super) fn other_than_make_default(&self) -> bool {
        self.update_existing_token.is_sent()
            || self.verify_card.is_some()
            || self.fail_on_duplicate_payment_method.is_some()
            || self.fail_on_duplicate_payment_method_for_customer.is_some()
            || self.verification_amount.is_sent()
            || self.verification_merchant_account_id.is_sent()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct AddressParams {
    pub first_name: Field<String>,
    pub last_name: Field<String>,
    pub company: Field<String>,
    pub street_address: Field<String>,
    pub extended_address: Field<String>,
    pub locality: Field<String>,
    pub region: Field<String>,
    pub postal_code: Field<String>,
    pub country_name: Field<String>,
    pub country_code_alpha2: Field<String>,
    pub country_code_alpha3: Field<String>,
    pub country_code_numeric: Field<String>,
    pub phone_number: Field<String>,
    pub international_phone: Field<PhoneParams>,
    pub update_existing: Option<bool>,
}

impl AddressParams {
    /// Whether any address field carries text.
    pub(super) fn has_content(&self) -> bool {
        self.fields().iter().any(|(_, f)| f.is_set()) || self.international_phone.is_set()
    }

    /// The address fields with their names, in document order.
    pub(super) fn fields(&self) -> [(&'static str, &Field<String>); 13] {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company", &self.company),
            ("street_address", &self.street_address),
            ("extended_address", &self.extended_address),
            ("locality", &self.locality),
            ("region", &self.region),
            ("postal_code", &self.postal_code),
            ("country_name", &self.country_name),
            ("country_code_alpha2", &self.country_code_alpha2),
            ("country_code_alpha3", &self.country_code_alpha3),
            ("country_code_numeric", &self.country_code_numeric),
            ("phone_number", &self.phone_number),
        ]
    }
}

/// Decodes a request body (XML or JSON) and reads the parameters under its root element (`customer`,
/// `payment_method`, `address`); returns the decoded tree too, for the error echo.
pub(super) fn read_params<T>(
    body: &Body,
    root: &str,
    parse: impl FnOnce(&Map<String, Value>) -> Result<T, ParamError>,
) -> Result<(Option<Value>, T), ParamError> {
    let tree = body.decode()?;
    let params = parse(&body_object(tree.as_ref(), root)?)?;
    Ok((tree, params))
}

/// Like [`read_params`] for an endpoint that takes several root elements (Payment
/// Method: Create takes `<payment_method>` and, from `credit_card.create`,
/// `<credit-card>`): the first of `roots` the body has, else the first of `roots`.
pub(super) fn read_params_any<T>(
    body: &Body,
    roots: &[&str],
    parse: impl FnOnce(&Map<String, Value>) -> Result<T, ParamError>,
) -> Result<(Option<Value>, T), ParamError> {
    let tree = body.decode()?;
    let root = roots
        .iter()
        .find(|r| tree.as_ref().is_some_and(|t| t.get(**r).is_some()))
        .or(roots.first())
        .copied()
        .unwrap_or_default();
    let params = parse(&body_object(tree.as_ref(), root)?)?;
    Ok((tree, params))
}

/// The body of a request: the decoded tree must have `root` as its root element. An
/// empty body counts as an empty `root`.
pub(super) fn body_object(
    tree: Option<&Value>,
    root: &str,
) -> Result<Map<String, Value>, ParamError> {
    let Some(tree) = tree else {
        return Ok(Map::new());
    };
    match tree.get(root) {
        Some(value) => object(value, root),
        None => Err(ParamError(format!(
            "expected a <{root}> document, got <{}>",
            tree.as_object()
                .and_then(|m| m.keys().next())
                .map_or("?", |k| k.as_str())
        ))),
    }
}

/// `<client_token>`: what a client token is generated for.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ClientTokenParams {
    pub version: Field<String>,
    pub customer_id: Field<String>,
    pub merchant_account_id: Field<String>,
    pub make_default: Option<bool>,
    pub verify_card: Option<bool>,
    pub fail_on_duplicate_payment_method: Option<bool>,
    pub fail_on_duplicate_payment_method_for_customer: Option<bool>,
}

pub(super) fn client_token(map: &Map<String, Value>) -> Result<ClientTokenParams, ParamError> {
    let options = match map.get("options") {
        Some(v) => object(v, "options")?,
        None => Map::new(),
    };
    Ok(ClientTokenParams {
        version: text(map, "version")?,
        customer_id: text(map, "customer_id")?,
        merchant_account_id: text(map, "merchant_account_id")?,
        make_default: boolean(&options, "make_default")?,
        verify_card: boolean(&options, "verify_card")?,
        fail_on_duplicate_payment_method: boolean(&options, "fail_on_duplicate_payment_method")?,
        fail_on_duplicate_payment_method_for_customer: boolean(
            &options,
            "fail_on_duplicate_payment_method_for_customer",
        )?,
    })
}

pub(super) fn customer(map: &Map<String, Value>) -> Result<CustomerParams, ParamError> {
    Ok(CustomerParams {
        id: text(map, "id")?,
        first_name: text(map, "first_name")?,
        last_name: text(map, "last_name")?,
        company: text(map, "company")?,
        email: text(map, "email")?,
        phone: text(map, "phone")?,
        fax: text(map, "fax")?,
        website: text(map, "website")?,
        custom_fields: map
            .get("custom_fields")
            .map(|v| {
                object(v, "custom_fields")?
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), text_value(v, k)?.unwrap_or_default())))
                    .collect::<Result<Vec<_>, ParamError>>()
            })
            .transpose()?,
        international_phone: phone(map)?,
        default_payment_method_token: text(map, "default_payment_method_token")?,
        credit_card: map
            .get("credit_card")
            .map(|v| card(&object(v, "credit_card")?))
            .transpose()?,
        payment_method_nonce: text(map, "payment_method_nonce")?,
        tax_identifiers: map
            .get("tax_identifiers")
            .map(tax_identifiers)
            .transpose()?,
        three_d_secure_pass_thru: three_d_secure(map)?,
    })
}

fn phone(map: &Map<String, Value>) -> Result<Field<PhoneParams>, ParamError> {
    Ok(match map.get("international_phone") {
        None => Field::Absent,
        Some(Value::Null) => Field::Clear,
        Some(v) => {
            let phone = object(v, "international_phone")?;
            Field::Set(PhoneParams {
                country_code: text(&phone, "country_code")?.or_empty(),
                national_number: text(&phone, "national_number")?.or_empty(),
            })
        }
    })
}

fn three_d_secure(map: &Map<String, Value>) -> Result<Option<ThreeDSecureParams>, ParamError> {
    map.get("three_d_secure_pass_thru")
        .map(|v| {
            let m = object(v, "three_d_secure_pass_thru")?;
            Ok(ThreeDSecureParams {
                eci_flag: text(&m, "eci_flag")?,
                cavv: text(&m, "cavv")?,
                xid: text(&m, "xid")?,
                three_d_secure_version: text(&m, "three_d_secure_version")?,
                ds_transaction_id: text(&m, "ds_transaction_id")?,
                authentication_response: text(&m, "authentication_response")?,
                directory_response: text(&m, "directory_response")?,
                cavv_algorithm: text(&m, "cavv_algorithm")?,
            })
        })
        .transpose()
}

/// `<tax_identifiers type="array">` of `{country_code, identifier}` items. A client that
/// sends no `type="array"` gives one item as a map, or items under one repeated name.
fn tax_identifiers(value: &Value) -> Result<Vec<(String, String)>, ParamError> {
    let items: Vec<Value> = match value {
        Value::Array(items) => items.clone(),
        Value::Object(map) if map.contains_key("country_code") => vec![value.clone()],
        Value::Object(map) => map
            .values()
            .flat_map(|v| match v {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            })
            .collect(),
        Value::Null => Vec::new(),
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        _ => {
            return Err(ParamError(
                "<tax_identifiers> must contain items, not text".into(),
            ));
        }
    };
    items
        .iter()
        .map(|item| {
            let m = object(item, "tax_identifiers")?;
            Ok((
                text(&m, "country_code")?.or_empty(),
                text(&m, "identifier")?.or_empty(),
            ))
        })
        .collect()
}

pub(super) fn card(map: &Map<String, Value>) -> Result<CardParams, ParamError> {
    let options = match map.get("options") {
        Some(v) => object(v, "options")?,
        None => Map::new(),
    };
    Ok(CardParams {
        customer_id: text(map, "customer_id")?,
        token: text(map, "token")?,
        cardholder_name: text(map, "cardholder_name")?,
        number: text(map, "number")?,
        cvv: text(map, "cvv")?,
        expiration_date: text(map, "expiration_date")?,
        expiration_month: text(map, "expiration_month")?,
        expiration_year: text(map, "expiration_year")?,
        billing_address: map
            .get("billing_address")
            .map(|v| address(&object(v, "billing_address")?))
            .transpose()?,
        billing_address_id: text(map, "billing_address_id")?,
        payment_method_nonce: text(map, "payment_method_nonce")?,
        three_d_secure_pass_thru: three_d_secure(map)?,
        options: CardOptions {
            update_existing_token: text(&options, "update_existing_token")?,
            make_default: boolean(&options, "make_default")?,
            verify_card: boolean(&options, "verify_card")?,
            fail_on_duplicate_payment_method: boolean(
                &options,
                "fail_on_duplicate_payment_method",
            )?,
            fail_on_duplicate_payment_method_for_customer: boolean(
                &options,
                "fail_on_duplicate_payment_method_for_customer",
            )?,
            verification_amount: text(&options, "verification_amount")?,
            verification_merchant_account_id: text(&options, "verification_merchant_account_id")?,
        },
    })
}

pub(super) fn address(map: &Map<String, Value>) -> Result<AddressParams, ParamError> {
    let options = match map.get("options") {
        Some(v) => object(v, "options")?,
        None => Map::new(),
    };
    Ok(AddressParams {
        first_name: text(map, "first_name")?,
        last_name: text(map, "last_name")?,
        company: text(map, "company")?,
        street_address: text(map, "street_address")?,
        extended_address: text(map, "extended_address")?,
        locality: text(map, "locality")?,
        region: text(map, "region")?,
        postal_code: text(map, "postal_code")?,
        country_name: text(map, "country_name")?,
        country_code_alpha2: text(map, "country_code_alpha2")?,
        country_code_alpha3: text(map, "country_code_alpha3")?,
        country_code_numeric: text(map, "country_code_numeric")?,
        phone_number: text(map, "phone_number")?,
        international_phone: phone(map)?,
        update_existing: boolean(&options, "update_existing")?,
    })
}

/// An element that holds other elements, as its own map.
pub(super) fn object_of(value: &Value, name: &str) -> Result<Map<String, Value>, ParamError> {
    object(value, name)
}

/// A text field of `map`, as [`text`] reads it.
pub(super) fn text_of(map: &Map<String, Value>, name: &str) -> Result<Field<String>, ParamError> {
    text(map, name)
}

/// An element that holds other elements. An empty element (`<options/>`, decoded as
/// `""`) or a nil one counts as empty.
fn object(value: &Value, name: &str) -> Result<Map<String, Value>, ParamError> {
    match value {
        Value::Object(map) => Ok(map.clone()),
        Value::Null => Ok(Map::new()),
        Value::String(s) if s.trim().is_empty() => Ok(Map::new()),
        _ => Err(ParamError(format!(
            "<{name}> must contain elements, not text"
        ))),
    }
}

/// A text field: absent when the element is missing, cleared when it is empty or nil.
fn text(map: &Map<String, Value>, name: &str) -> Result<Field<String>, ParamError> {
    Ok(match map.get(name) {
        None => Field::Absent,
        Some(value) => match text_value(value, name)? {
            None => Field::Clear,
            Some(text) => Field::Set(text),
        },
    })
}

fn text_value(value: &Value, name: &str) -> Result<Option<String>, ParamError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Array(_) | Value::Object(_) => {
            Err(ParamError(format!("<{name}> must hold text, not elements")))
        }
    }
}

/// A boolean: `type="boolean"` or plain text (`true`, `false`, `1`, `0`).
fn boolean(map: &Map<String, Value>, name: &str) -> Result<Option<bool>, ParamError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) => match s.trim() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" | "" => Ok(Some(false)),
            other => Err(ParamError(format!(
                "<{name}> must be true or false, not {other:?}"
            ))),
        },
        Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
        Some(other) => Err(ParamError(format!(
            "<{name}> must be true or false, not {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_fields_and_options_in_both_boolean_styles() {
        let tree = json!({"customer": {
            "first_name": "Ada", "last_name": null, "company": "",
            "custom_fields": {"color": "blue"},
            "credit_card": {"number": "4111111111111111", "options": {"make_default": "true", "verify_card": true},
                "billing_address": {"postal_code": 60622, "options": {"update_existing": "1"}}}
        }});
        let body = body_object(Some(&tree), "customer").unwrap();
        let p = customer(&body).unwrap();
        assert_eq!(p.first_name, Field::Set("Ada".into()));
        assert_eq!(p.last_name, Field::Clear);
        assert_eq!(p.company, Field::Clear);
        assert_eq!(p.email, Field::Absent);
        assert_eq!(p.custom_fields, Some(vec![("color".into(), "blue".into())]));
        let card = p.credit_card.unwrap();
        assert_eq!(card.options.make_default, Some(true));
        assert_eq!(card.options.verify_card, Some(true));
        let address = card.billing_address.unwrap();
        assert_eq!(address.postal_code, Field::Set("60622".into()));
        assert_eq!(address.update_existing, Some(true));
    }

    #[test]
    fn rejects_wrong_shapes() {
        let bad = [
            json!({"customer": {"first_name": {"x": "y"}}}),
            json!({"customer": {"credit_card": "4111"}}),
            json!({"customer": {"credit_card": {"options": {"make_default": "maybe"}}}}),
            json!({"customer": "text"}),
        ];
        for tree in bad {
            let result = body_object(Some(&tree), "customer").and_then(|m| customer(&m));
            assert!(result.is_err(), "{tree}");
        }
        assert!(body_object(Some(&json!({"address": {}})), "customer").is_err());
        assert_eq!(body_object(None, "customer").unwrap(), Map::new());
    }
}
