//! How the Braintree API answers: stored objects as Braintree shows them, built as JSON
//! trees and encoded with the shared XML codec (dashed names, `type` attributes); the
//! 422 error document; empty answers (404, 403, a delete's 200); and the 400 error
//! document for a body that cannot be read.
//!
//! Every attribute the official clients read is present; unset ones are nil. A card
//! without a billing address has no `<billing-address>` element at all. Attributes the
//! clients compute themselves are left out: the Python client's `CreditCard` and
//! `ApplePayCard` have a read-only `expiration_date` property (and `CreditCard` a
//! `masked_number`), its `AndroidPayCard` read-only `last_4` and `card_type`; answers
//! that carry those fail to load.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::credit_card::billing_address;
use super::errors::{Rejection, echo};
use super::vault::{
    Address, Card, Customer, Instrument, PayPalAccount, PaymentMethod, Phone, Vault, VenmoAccount,
    Verification, VerificationStatus, WalletCard,
};
use super::verification::status_name;
use crate::sandbox::card::Brand;
use crate::sandbox::clock::Timestamp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;

use crate::wire::xml::{EncodeOptions, XmlError, encode_with_string_types};

/// The content type of every XML answer.
pub(super) const XML: &str = "application/xml; charset=utf-8";

/// A request body that cannot be read (malformed XML or JSON, a wrong root, text where
/// elements belong): 400 with an `<api-error-response>` that holds no validation errors
/// and says what is wrong in `<message>`, so a client that reads the body finds
/// Braintree's error document rather than plain text.
pub(super) fn bad_request(message: impl std::fmt::Display) -> Response {
    xml_answer(
        StatusCode::BAD_REQUEST,
        &json!({"api_error_response": {
            "errors": {"errors": []},
            "message": message.to_string(),
        }}),
    )
}

/// The 422 answer: the `<api-error-response>` document, echoing the request and the ids in its path.
pub(super) fn unprocessable(
    rejection: &Rejection,
    request: Option<Value>,
    path_ids: &[(&str, &str)],
) -> Response {
    xml_answer(
        StatusCode::UNPROCESSABLE_ENTITY,
        &rejection.to_document(echo(request, path_ids)),
    )
}

/// An XML answer with Braintree's content type.
pub(super) fn xml_answer(status: StatusCode, tree: &Value) -> Response {
    match to_xml(tree) {
        Ok(body) => (status, [(header::CONTENT_TYPE, XML)], body).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("could not write the answer: {e}\n"),
        )
            .into_response(),
    }
}

/// An answer with an empty body (404, and 200 after a delete).
pub(super) fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// Encodes an answer: dashed names, datetimes typed `datetime`, error attributes typed
/// `symbol`.
pub(super) fn to_xml(tree: &Value) -> Result<String, XmlError> {
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

/// A Braintree GraphQL id: unpadded base64 of the object's kind and id
/// (`customer_…`, `paymentmethod_cc_…`). The clients read it as `graphql_id`.
fn global_id(kind: &str, id: &str) -> Value {
    Value::String(STANDARD_NO_PAD.encode(format!("{kind}_{id}")))
}

fn time(value: Timestamp) -> Value {
    Value::String(value.rfc3339())
}

/// `<customer>` (without the root key).
pub(super) fn customer(
    vault: &Vault,
    customer: &Customer,
    merchant_id: &str,
    now: Timestamp,
) -> Value {
    let custom_fields: Map<String, Value> = customer
        .custom_fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    // One list per payment method type, as Braintree answers; clients join them into
    // `Customer.payment_methods` themselves.
    let mut lists: [(&str, Vec<Value>); 5] = [
        ("credit_cards", Vec::new()),
        ("paypal_accounts", Vec::new()),
        ("apple_pay_cards", Vec::new()),
        ("android_pay_cards", Vec::new()),
        ("venmo_accounts", Vec::new()),
    ];
    for pm in customer
        .payment_methods
        .iter()
        .filter_map(|token| vault.payment_method(token))
    {
        let (root, tree) = payment_method(vault, pm, customer, now);
        if let Some((_, list)) = lists.iter_mut().find(|(name, _)| name.starts_with(root)) {
            list.push(tree);
        }
    }
    let addresses: Vec<Value> = customer
        .addresses
        .iter()
        .filter_map(|id| vault.address(id))
        .map(address)
        .collect();
    let mut tree = json!({
        "id": customer.id,
        "global_id": global_id("customer", &customer.id),
        "merchant_id": merchant_id,
        "first_name": text(&customer.first_name),
        "last_name": text(&customer.last_name),
        "company": text(&customer.company),
        "email": text(&customer.email),
        "phone": text(&customer.phone),
        "fax": text(&customer.fax),
        "website": text(&customer.website),
        "international_phone": phone(customer.international_phone.as_ref()),
        "created_at": time(customer.created_at),
        "updated_at": time(customer.updated_at),
        "custom_fields": custom_fields,
    });
    if let Some(map) = tree.as_object_mut() {
        let [cards, others @ ..] = lists;
        map.insert(cards.0.into(), Value::Array(cards.1));
        map.insert("addresses".into(), Value::Array(addresses));
        for (name, list) in others {
            map.insert(name.into(), Value::Array(list));
        }
    }
    tree
}

fn phone(phone: Option<&Phone>) -> Value {
    phone.map_or(
        Value::Null,
        |p| json!({"country_code": p.country_code, "national_number": p.national_number}),
    )
}

fn object(tree: Value) -> Map<String, Value> {
    match tree {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A payment method as its own type's element: the root name (`credit_card`,
/// `paypal_account`, `apple_pay_card`, `android_pay_card`, `venmo_account`) and the
/// element without the root key.
pub(super) fn payment_method(
    vault: &Vault,
    pm: &PaymentMethod,
    owner: &Customer,
    now: Timestamp,
) -> (&'static str, Value) {
    let kind = match &pm.instrument {
        Instrument::Card(_) => "cc",
        Instrument::PayPal(_) => "pp",
        Instrument::ApplePay(_) => "applepay",
        Instrument::GooglePay(_) => "androidpay",
        Instrument::Venmo(_) => "venmo",
    };
    let (root, fields) = match &pm.instrument {
        Instrument::Card(card) => ("credit_card", card_fields(card, now)),
        Instrument::PayPal(account) => ("paypal_account", paypal_fields(account)),
        Instrument::ApplePay(card) => ("apple_pay_card", apple_pay_fields(card, now)),
        Instrument::GooglePay(card) => ("android_pay_card", google_pay_fields(card, now)),
        Instrument::Venmo(account) => ("venmo_account", venmo_fields(account)),
    };
    // The type's own attributes in alphabetical order, then the vault's.
    let mut sorted: Vec<(String, Value)> = fields.into_iter().collect();
    sorted.push(("subscriptions".into(), json!([])));
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tree: Map<String, Value> = sorted.into_iter().collect();
    let common = [
        ("token", json!(pm.token)),
        (
            "global_id",
            global_id(&format!("paymentmethod_{kind}"), &pm.token),
        ),
        ("customer_id", json!(pm.customer_id)),
        (
            "default",
            json!(owner.default_payment_method.as_deref() == Some(pm.token.as_str())),
        ),
        ("created_at", time(pm.created_at)),
        ("updated_at", time(pm.updated_at)),
    ];
    tree.extend(common.into_iter().map(|(k, v)| (k.to_string(), v)));
    if let Some(address) = pm
        .instrument
        .card()
        .and_then(|card| billing_address(vault, card))
    {
        tree.insert("billing_address".into(), self::address(address));
    }
    (root, Value::Object(tree))
}

fn logo_url(name: &str) -> String {
    let logo = name.to_ascii_lowercase().replace(' ', "_");
    format!(
        "https://assets.braintreegateway.com/payment_method_logo/{logo}.png?environment=sandbox"
    )
}

/// What Braintree's BIN lookup reports on every card, Apple Pay and Google Pay card
/// (each `Yes`, `No` or `Unknown`); the sandbox knows none of it.
fn bin_data() -> Map<String, Value> {
    let unknown = || json!("Unknown");
    object(json!({
        "business": unknown(),
        "commercial": unknown(),
        "consumer": unknown(),
        "corporate": unknown(),
        "prepaid_reloadable": unknown(),
        "purchase": unknown(),
        "country_of_issuance": unknown(),
        "debit": unknown(),
        "durbin_regulated": unknown(),
        "healthcare": unknown(),
        "issuing_bank": unknown(),
        "payroll": unknown(),
        "prepaid": unknown(),
        "product_id": unknown(),
    }))
}

fn card_fields(card: &Card, now: Timestamp) -> Map<String, Value> {
    let brand = card.brand.braintree_name();
    let mut tree = object(json!({
        "bin": card.bin,
        "card_type": brand,
        "cardholder_name": text(&card.cardholder_name),
        "customer_location": "US",
        "expiration_month": card.expiration_month,
        "expiration_year": card.expiration_year,
        "expired": card.is_expired(now),
        "image_url": logo_url(brand),
        "is_network_tokenized": false,
        "last_4": card.last_4,
        "unique_number_identifier": card.fingerprint,
        "venmo_sdk": false,
        "verifications": card
            .verifications
            .iter()
            .rev()
            .map(|v| verification_fields(v, None))
            .collect::<Vec<_>>(),
    }));
    tree.extend(bin_data());
    tree
}

fn apple_pay_fields(card: &WalletCard, now: Timestamp) -> Map<String, Value> {
    let brand = card.brand.braintree_name();
    let mut tree = object(json!({
        "bin": card.bin,
        "card_type": format!("Apple Pay - {brand}"),
        "cardholder_name": null,
        "expiration_month": card.expiration_month,
        "expiration_year": card.expiration_year,
        "expired": card.is_expired(now),
        "image_url": logo_url("apple_pay"),
        "is_device_token": true,
        "last_4": card.last_4,
        "payment_instrument_name": card.description,
        "source_description": card.description,
    }));
    tree.extend(bin_data());
    tree
}

fn google_pay_fields(card: &WalletCard, now: Timestamp) -> Map<String, Value> {
    let brand = card.brand.braintree_name();
    let mut tree = object(json!({
        "bin": card.bin,
        "expiration_month": card.expiration_month,
        "expiration_year": card.expiration_year,
        "expired": card.is_expired(now),
        "google_transaction_id": null,
        "image_url": logo_url("android_pay"),
        "is_network_tokenized": card.brand == Brand::MasterCard,
        "source_card_last_4": card.last_4,
        "source_card_type": brand,
        "source_description": card.description,
        "virtual_card_last_4": card.last_4,
        "virtual_card_type": brand,
    }));
    tree.extend(bin_data());
    tree
}

fn paypal_fields(account: &PayPalAccount) -> Map<String, Value> {
    object(json!({
        "email": account.email,
        "payer_id": account.payer_id,
        "billing_agreement_id": text(&account.billing_agreement_id),
        "edit_paypal_vault_id": null,
        "funding_source_description": null,
        "image_url": logo_url("paypal"),
        "is_channel_initiated": false,
        "revoked_at": null,
    }))
}

fn venmo_fields(account: &VenmoAccount) -> Map<String, Value> {
    object(json!({
        "username": account.username,
        "venmo_user_id": account.venmo_user_id,
        "source_description": format!("Venmo Account: {}", account.username),
        "image_url": logo_url("venmo"),
    }))
}

/// `<verification>` (without the root key) of `card`; `token` is the card's token, nil
/// when the card was never stored.
pub(super) fn verification(v: &Verification, card: &Card, token: Option<&str>) -> Value {
    let mut tree = verification_fields(v, Some(card));
    if let Some(Value::Object(card_tree)) = tree.get_mut("credit_card") {
        card_tree.insert("token".into(), json!(token));
    }
    tree
}

fn verification_fields(v: &Verification, card: Option<&Card>) -> Value {
    let (response_type, declined) = match v.status {
        VerificationStatus::Verified => ("approved", false),
        VerificationStatus::ProcessorDeclined => ("soft_declined", true),
        VerificationStatus::Failed => ("soft_declined", true),
    };
    let three_d_secure = v.three_d_secure.as_ref().map_or(Value::Null, |t| {
        json!({
            "eci_flag": text(&t.eci_flag),
            "cavv": text(&t.cavv),
            "xid": text(&t.xid),
            "three_d_secure_version": text(&t.version),
            "ds_transaction_id": text(&t.ds_transaction_id),
            "enrolled": "Y",
            "liability_shift_possible": true,
            "liability_shifted": matches!(t.eci_flag.as_deref(), Some("02" | "05")),
            "status": "authenticate_successful",
        })
    });
    let mut tree = json!({
        "id": v.id,
        "status": status_name(v.status),
        "amount": v.amount,
        "currency_iso_code": v.currency,
        "merchant_account_id": v.merchant_account_id,
        "processor_response_code": v.processor_response_code,
        "processor_response_text": v.processor_response_text,
        "processor_response_type": response_type,
        "network_response_code": if declined { "05" } else { "00" },
        "network_response_text": if declined { "Do not honor" } else { "Successful approval/completion or V.I.P. PIN verification is successful" },
        "cvv_response_code": v.cvv_response_code,
        "avs_error_response_code": null,
        "avs_postal_code_response_code": v.avs_postal_code_response_code,
        "avs_street_address_response_code": v.avs_street_address_response_code,
        "gateway_rejection_reason": null,
        "three_d_secure_info": three_d_secure,
        "created_at": time(v.created_at),
        "updated_at": time(v.created_at),
    });
    if let (Some(card), Some(map)) = (card, tree.as_object_mut()) {
        map.insert(
            "credit_card".into(),
            json!({
                "bin": card.bin,
                "last_4": card.last_4,
                "card_type": card.brand.braintree_name(),
                "expiration_month": card.expiration_month,
                "expiration_year": card.expiration_year,
                "cardholder_name": text(&card.cardholder_name),
                "customer_location": "US",
                "unique_number_identifier": card.fingerprint,
            }),
        );
    }
    tree
}

/// `<address>` (without the root key).
pub(super) fn address(address: &Address) -> Value {
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
        "international_phone": phone(address.international_phone.as_ref()),
        "created_at": address.created_at.map_or(Value::Null, time),
        "updated_at": address.updated_at.map_or(Value::Null, time),
    })
}
