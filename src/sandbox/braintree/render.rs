//! Stored objects as Braintree answers show them, built as JSON trees and encoded with
//! the shared XML codec (dashed names, `type` attributes).
//!
//! Every attribute the official clients read is present; unset ones are nil. A card
//! without a billing address has no `<billing-address>` element at all. Attributes the
//! clients compute themselves are left out: the Python client's `CreditCard` has
//! read-only `masked_number` and `expiration_date` properties and fails on answers
//! that carry them.

use serde_json::{Map, Value, json};

use super::credit_card::{billing_address, brand_name};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::store::{Address, Card, Customer, Instrument, PaymentMethod, Vault};
use crate::wire::xml::{EncodeOptions, XmlError, encode_with_string_types};

/// Encodes an answer: dashed names, datetimes typed `datetime`, error attributes typed
/// `symbol`.
pub fn to_xml(tree: &Value) -> Result<String, XmlError> {
    let opts = EncodeOptions {
        dasherize: true,
        declaration: true,
    };
    encode_with_string_types(tree, opts, |name| match name {
        "created_at" | "updated_at" => Some("datetime"),
        "attribute" => Some("symbol"),
        _ => None,
    })
}

fn text(value: &Option<String>) -> Value {
    value
        .as_deref()
        .map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn time(value: Timestamp) -> Value {
    Value::String(value.rfc3339())
}

/// `<customer>` (without the root key).
pub fn customer(vault: &Vault, customer: &Customer, merchant_id: &str, now: Timestamp) -> Value {
    let custom_fields: Map<String, Value> = customer
        .custom_fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let credit_cards: Vec<Value> = customer
        .payment_methods
        .iter()
        .filter_map(|token| vault.payment_method(token))
        .map(|pm| credit_card(vault, pm, customer, now))
        .collect();
    let addresses: Vec<Value> = customer
        .addresses
        .iter()
        .filter_map(|id| vault.address(id))
        .map(address)
        .collect();
    json!({
        "id": customer.id,
        "merchant_id": merchant_id,
        "first_name": text(&customer.first_name),
        "last_name": text(&customer.last_name),
        "company": text(&customer.company),
        "email": text(&customer.email),
        "phone": text(&customer.phone),
        "fax": text(&customer.fax),
        "website": text(&customer.website),
        "international_phone": customer.international_phone.as_ref().map_or(Value::Null, |p| json!({
            "country_code": p.country_code,
            "national_number": p.national_number,
        })),
        "created_at": time(customer.created_at),
        "updated_at": time(customer.updated_at),
        "custom_fields": custom_fields,
        "credit_cards": credit_cards,
        "addresses": addresses,
    })
}

/// `<credit-card>` (without the root key).
pub fn credit_card(vault: &Vault, pm: &PaymentMethod, owner: &Customer, now: Timestamp) -> Value {
    let Instrument::Card(card) = &pm.instrument;
    let mut tree = card_fields(card, now);
    let fields = [
        ("token", json!(pm.token)),
        ("customer_id", json!(pm.customer_id)),
        (
            "default",
            json!(owner.default_payment_method.as_deref() == Some(pm.token.as_str())),
        ),
        ("created_at", time(pm.created_at)),
        ("updated_at", time(pm.updated_at)),
    ];
    tree.extend(fields.into_iter().map(|(k, v)| (k.to_string(), v)));
    if let Some(address) = billing_address(vault, card) {
        tree.insert("billing_address".into(), self::address(address));
    }
    Value::Object(tree)
}

fn card_fields(card: &Card, now: Timestamp) -> Map<String, Value> {
    let brand = brand_name(card.brand);
    let logo = brand.to_ascii_lowercase().replace(' ', "_");
    let unknown = || json!("Unknown");
    let tree = json!({
        "bin": card.bin,
        "card_type": brand,
        "cardholder_name": text(&card.cardholder_name),
        "commercial": unknown(),
        "country_of_issuance": unknown(),
        "customer_location": "US",
        "debit": unknown(),
        "durbin_regulated": unknown(),
        "expiration_month": card.expiration_month,
        "expiration_year": card.expiration_year,
        "expired": card.is_expired(now),
        "healthcare": unknown(),
        "image_url": format!("https://assets.braintreegateway.com/payment_method_logo/{logo}.png?environment=sandbox"),
        "issuing_bank": unknown(),
        "last_4": card.last_4,
        "payroll": unknown(),
        "prepaid": unknown(),
        "product_id": unknown(),
        "unique_number_identifier": card.fingerprint,
        "venmo_sdk": false,
        "subscriptions": [],
        "verifications": [],
    });
    match tree {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `<address>` (without the root key).
pub fn address(address: &Address) -> Value {
    json!({
        "id": address.id,
        "customer_id": address.customer_id,
        "first_name": text(&address.first_name),
        "last_name": text(&address.last_name),
        "company": text(&address.company),
        "street_address": text(&address.street_address),
        "extended_address": text(&address.extended_address),
        "locality": text(&address.locality),
        "region": text(&address.region),
        "postal_code": text(&address.postal_code),
        "country_code_alpha2": text(&address.country_code_alpha2),
        "country_code_alpha3": text(&address.country_code_alpha3),
        "country_code_numeric": text(&address.country_code_numeric),
        "country_name": text(&address.country_name),
        "phone_number": text(&address.phone_number),
        "created_at": address.created_at.map_or(Value::Null, time),
        "updated_at": address.updated_at.map_or(Value::Null, time),
    })
}
