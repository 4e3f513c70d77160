//! Payment methods of a customer: add (`POST /v1/customers/{id}/payment_methods`),
//! list, retrieve and delete, and the `payment_method` of Create Customer.
//!
//! A type ending in `_card` is a card: `fields.number` (Luhn-valid, 12-19 digits),
//! `expiration_month`, `expiration_year`, optional `cvv` and `name`; its id starts with
//! `card_` and only the brand, BIN, last four digits and a fingerprint are kept. Any other
//! type gets an `other_…` id and keeps its `fields` as sent, except card numbers and CVVs
//! (masked; Rapyd's per-type required fields are not checked).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::mask::Masker;
use crate::sandbox::field::Field;

use super::Gateway;
use super::errors::{
    CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN,
    DELETE_CUSTOMER_DEFAULT_PAYMENT_METHOD_NOT_ALLOWED, ERROR_CREATE_PAYMENT_METHOD,
    ERROR_GET_CUSTOMER, ERROR_GET_PAYMENT_METHOD_TYPE, ErrorCode, INVALID_CARD_EXPIRATION_DATE,
    INVALID_FIELDS, INVALID_PAYMENT_METHOD, PAYMENT_METHOD_NOT_FOUND,
};
use super::params::{Object, object, object_field, text};
use super::render::{operation_id, success};
use super::vault::{Card, Instrument, PaymentMethod, Vault, new_id};
use crate::sandbox::card::{self, Number};

/// Reads a payment method to add to customer `customer_id`.
pub(super) fn parse(
    vault: &Vault,
    customer_id: &str,
    obj: &Object,
) -> Result<PaymentMethod, ErrorCode> {
    let kind = match (text(obj, "type")?, text(obj, "token")?) {
        (Field::Set(kind), Field::Absent | Field::Clear) => kind,
        // A token names a card saved through a hosted page, which this gateway has not.
        (Field::Absent | Field::Clear, Field::Set(_)) => return Err(INVALID_PAYMENT_METHOD),
        _ => return Err(CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN),
    };
    if !is_type(&kind) {
        return Err(ERROR_GET_PAYMENT_METHOD_TYPE);
    }
    let fields = object_field(obj, "fields")?.or_empty();
    let metadata = object_field(obj, "metadata")?.or_empty();
    let (id, instrument) = if kind.ends_with("_card") {
        (new_id("card_"), Instrument::Card(card(vault, &fields)?))
    } else {
        (
            new_id("other_"),
            Instrument::Other(without_card_data(fields)),
        )
    };
    Ok(PaymentMethod {
        id,
        customer_id: customer_id.to_string(),
        kind,
        metadata,
        instrument,
    })
}

/// The fields of a non-card type as they are kept: card numbers sent there anyway are
/// cut to first six and last four digits and CVV-named fields are masked, so no
/// answer or webhook ever carries them.
fn without_card_data(fields: Object) -> Object {
    let mut tree = Value::Object(fields);
    Masker::new([]).value(&mut tree);
    match tree {
        Value::Object(fields) => fields,
        _ => Object::new(),
    }
}

/// `us_visa_card`, `us_ach_bank`: a two-letter country, `_`, lowercase letters,
/// digits and underscores.
fn is_type(kind: &str) -> bool {
    let bytes = kind.as_bytes();
    bytes.len() > 3
        && bytes[..2].iter().all(u8::is_ascii_lowercase)
        && bytes[2] == b'_'
        && bytes[3..]
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
}

fn card(vault: &Vault, fields: &Object) -> Result<Card, ErrorCode> {
    let digits_field = |name: &str| match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() => {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(name.to_string()),
    };
    let number = match digits_field("number") {
        Ok(Some(n)) => Number::parse(&n).map_err(|_| ERROR_CREATE_PAYMENT_METHOD)?,
        _ => return Err(ERROR_CREATE_PAYMENT_METHOD),
    };
    match digits_field("cvv") {
        Ok(None) => {}
        Ok(Some(cvv)) if (3..=4).contains(&cvv.len()) => {}
        _ => return Err(ERROR_CREATE_PAYMENT_METHOD),
    }
    let (month, year) = match (
        digits_field("expiration_month"),
        digits_field("expiration_year"),
    ) {
        (Ok(Some(m)), Ok(Some(y))) => (m, y),
        (Ok(None), _) | (_, Ok(None)) => return Err(ERROR_CREATE_PAYMENT_METHOD),
        _ => return Err(INVALID_CARD_EXPIRATION_DATE),
    };
    // Kept as sent (`"12"`, `"25"`), as Rapyd shows them.
    if card::month(&month).is_none() || card::year(&year).is_none() {
        return Err(INVALID_CARD_EXPIRATION_DATE);
    }
    let name = match fields.get("name") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(INVALID_FIELDS),
    };
    let kept = number.keep(vault.fingerprints());
    Ok(Card {
        name,
        brand: kept.brand,
        bin: kept.bin,
        last4: kept.last_4,
        expiration_month: month,
        expiration_year: year,
        fingerprint: format!("ocfp_{}", kept.fingerprint),
    })
}

/// Rapyd's category of a type, from its suffix.
fn category(kind: &str) -> &'static str {
    match kind.rsplit('_').next() {
        Some("card") => "card",
        Some("bank") => "bank_transfer",
        Some("cash") => "cash",
        Some("ewallet") => "ewallet",
        _ => "bank_redirect",
    }
}

/// The payment method as Rapyd shows it, in Rapyd's field order.
pub(super) fn render(pm: &PaymentMethod) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(pm.id));
    out.insert("type".into(), json!(pm.kind));
    out.insert("category".into(), json!(category(&pm.kind)));
    out.insert("metadata".into(), Value::Object(pm.metadata.clone()));
    out.insert(
        "image".into(),
        json!(format!(
            "https://iconslib.rapyd.net/checkout/{}.png",
            pm.kind
        )),
    );
    out.insert("webhook_url".into(), json!(""));
    out.insert("supporting_documentation".into(), json!(""));
    match &pm.instrument {
        Instrument::Card(card) => {
            out.insert("next_action".into(), json!("3d_verification"));
            out.insert("name".into(), json!(card.name));
            out.insert("last4".into(), json!(card.last4));
            out.insert("acs_check".into(), json!("unchecked"));
            out.insert("cvv_check".into(), json!("unchecked"));
            out.insert(
                "bin_details".into(),
                json!({"type": null, "brand": card.brand.rapyd_name(), "country": null, "bin_number": card.bin}),
            );
            out.insert("expiration_year".into(), json!(card.expiration_year));
            out.insert("expiration_month".into(), json!(card.expiration_month));
            out.insert("fingerprint_token".into(), json!(card.fingerprint));
        }
        Instrument::Other(fields) => {
            out.insert("next_action".into(), json!("not_applicable"));
            for (key, value) in fields {
                if !out.contains_key(key) {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
    }
    Value::Object(out)
}

/// The customer's payment methods, oldest first.
pub(super) fn of_customer<'a>(vault: &'a Vault, customer_id: &str) -> Vec<&'a PaymentMethod> {
    vault
        .customer(customer_id)
        .map(|c| {
            c.payment_methods
                .iter()
                .filter_map(|id| vault.payment_methods.get(id))
                .collect()
        })
        .unwrap_or_default()
}

/// `POST /v1/customers/{customer}/payment_methods`.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(customer_id): Path<String>,
    body: Bytes,
) -> Result<Response, ErrorCode> {
    let obj = object(&body)?;
    let mut vault = gateway.lock();
    if vault.customer(&customer_id).is_none() {
        return Err(ERROR_GET_CUSTOMER);
    }
    let pm = parse(&vault, &customer_id, &obj)?;
    let data = render(&pm);
    vault.insert_payment_method(pm);
    Ok(success(&operation_id(), data))
}

/// `GET /v1/customers/{customer}/payment_methods`: a list, oldest first.
pub(super) async fn list_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(customer_id): Path<String>,
) -> Result<Response, ErrorCode> {
    let vault = gateway.lock();
    if vault.customer(&customer_id).is_none() {
        return Err(ERROR_GET_CUSTOMER);
    }
    let list: Vec<Value> = of_customer(&vault, &customer_id)
        .into_iter()
        .map(render)
        .collect();
    Ok(success(&operation_id(), Value::Array(list)))
}

/// `GET /v1/customers/{customer}/payment_methods/{payment_method}`.
pub(super) async fn retrieve_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((customer_id, pm_id)): Path<(String, String)>,
) -> Result<Response, ErrorCode> {
    let vault = gateway.lock();
    let pm = owned(&vault, &customer_id, &pm_id)?;
    Ok(success(&operation_id(), render(pm)))
}

/// `DELETE /v1/customers/{customer}/payment_methods/{payment_method}`. The default
/// payment method cannot be deleted.
pub(super) async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((customer_id, pm_id)): Path<(String, String)>,
) -> Result<Response, ErrorCode> {
    let mut vault = gateway.lock();
    owned(&vault, &customer_id, &pm_id)?;
    if let Some(customer) = vault.customers.get_mut(&customer_id) {
        if customer.default_payment_method == pm_id {
            return Err(DELETE_CUSTOMER_DEFAULT_PAYMENT_METHOD_NOT_ALLOWED);
        }
        customer.payment_methods.retain(|id| id != &pm_id);
    }
    vault.payment_methods.remove(&pm_id);
    Ok(success(
        &operation_id(),
        json!({"deleted": true, "id": pm_id}),
    ))
}

/// Payment method `pm_id` of customer `customer_id`.
fn owned<'a>(
    vault: &'a Vault,
    customer_id: &str,
    pm_id: &str,
) -> Result<&'a PaymentMethod, ErrorCode> {
    if vault.customer(customer_id).is_none() {
        return Err(ERROR_GET_CUSTOMER);
    }
    vault
        .payment_methods
        .get(pm_id)
        .filter(|pm| pm.customer_id == customer_id)
        .ok_or(PAYMENT_METHOD_NOT_FOUND)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sandbox::rapyd::params::obj;

    #[test]
    fn other_types_never_keep_card_numbers_or_cvvs() {
        let kept = without_card_data(obj(json!({
            "number": "4111111111111111", "cvv": "123", "nested": {"cvc": "999"},
            "account": "000123456789"
        })));
        let text = Value::Object(kept).to_string();
        assert!(
            !text.contains("4111111111111111") && !text.contains("123\""),
            "{text}"
        );
        assert!(
            text.contains("411111******1111") && !text.contains("999"),
            "{text}"
        );
        assert!(
            text.contains("000123456789"),
            "not a card number: kept as sent"
        );
    }

    fn card_body(number: &str, month: &str) -> Object {
        obj(json!({"type": "us_visa_card", "fields": {
            "number": number, "expiration_month": month, "expiration_year": "29",
            "cvv": "123", "name": "John Doe"
        }}))
    }

    #[test]
    fn cards_keep_no_number_or_cvv() {
        let vault = Vault::default();
        let pm = parse(&vault, "cus_1", &card_body("4111111111111111", "12")).unwrap();
        assert!(pm.id.starts_with("card_"));
        let shown = render(&pm).to_string();
        assert!(!shown.contains("4111111111111111"));
        assert!(!shown.contains("123\""));
        let shown = render(&pm);
        assert_eq!(shown["last4"], "1111");
        assert_eq!(shown["bin_details"]["bin_number"], "411111");
        assert_eq!(shown["bin_details"]["brand"], "VISA");
        let fingerprint = shown["fingerprint_token"].as_str().unwrap_or_default();
        assert!(fingerprint.starts_with("ocfp_") && fingerprint.len() == 5 + 32);
        assert_eq!(shown["category"], "card");
    }

    #[test]
    fn card_validation() {
        let vault = Vault::default();
        let err = |body| parse(&vault, "cus_1", &body).err();
        assert_eq!(
            err(card_body("4111111111111112", "12")),
            Some(ERROR_CREATE_PAYMENT_METHOD)
        );
        assert_eq!(
            err(card_body("4111111111111111", "13")),
            Some(INVALID_CARD_EXPIRATION_DATE)
        );
        assert_eq!(
            err(obj(json!({}))),
            Some(CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN)
        );
        assert_eq!(
            err(obj(json!({"type": "us_visa_card", "token": "card_1"}))),
            Some(CREATE_CARD_TYPE_REQUIRES_ONLY_ONE_OF_FIELDS_OR_TOKEN)
        );
        assert_eq!(
            err(obj(json!({"type": "Visa"}))),
            Some(ERROR_GET_PAYMENT_METHOD_TYPE)
        );
    }

    #[test]
    fn other_types_show_their_fields() {
        let vault = Vault::default();
        let body = obj(
            json!({"type": "us_ach_bank", "fields": {"first_name": "John"},
            "metadata": {"merchant_defined": true}}),
        );
        let pm = parse(&vault, "cus_1", &body).unwrap();
        assert!(pm.id.starts_with("other_"));
        let shown = render(&pm);
        assert_eq!(shown["category"], "bank_transfer");
        assert_eq!(shown["first_name"], "John");
        assert_eq!(shown["next_action"], "not_applicable");
        assert_eq!(category("us_psc_cash"), "cash");
    }
}
