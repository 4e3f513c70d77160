//! Answers as Chargebee writes them: JSON documents, customers and cards as Chargebee
//! shows them, and the error document.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::vault::{Customer, StoredPaymentMethod};

/// The content type of every answer.
pub(super) const JSON: &str = "application/json;charset=utf-8";

/// A JSON answer.
pub(super) fn json(status: StatusCode, body: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json(self.status, &self.to_json())
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&String>) {
    if let Some(v) = value {
        map.insert(key.into(), json!(v));
    }
}

/// The `customer` object.
pub(super) fn customer(c: &Customer) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(c.id));
    put(&mut m, "first_name", c.first_name.as_ref());
    put(&mut m, "last_name", c.last_name.as_ref());
    put(&mut m, "email", c.email.as_ref());
    put(&mut m, "phone", c.phone.as_ref());
    put(&mut m, "company", c.company.as_ref());
    m.insert("auto_collection".into(), json!(c.auto_collection));
    m.insert("net_term_days".into(), json!(0));
    m.insert("allow_direct_debit".into(), json!(false));
    m.insert("created_at".into(), json!(c.created_at.0));
    m.insert("taxability".into(), json!("taxable"));
    m.insert("updated_at".into(), json!(c.updated_at.0));
    put(&mut m, "locale", c.locale.as_ref());
    m.insert("pii_cleared".into(), json!("active"));
    m.insert("channel".into(), json!("web"));
    m.insert("resource_version".into(), json!(c.resource_version));
    m.insert("deleted".into(), json!(false));
    m.insert("object".into(), json!("customer"));
    let card_status = match &c.payment_method {
        Some(p) if p.method.card.is_some() => "valid",
        _ => "no_card",
    };
    m.insert("card_status".into(), json!(card_status));
    if let Some(p) = &c.payment_method {
        m.insert(
            "primary_payment_source_id".into(),
            json!(p.payment_source_id),
        );
        m.insert(
            "payment_method".into(),
            json!({
                "object": "payment_method",
                "type": p.method.kind,
                "reference_id": p.method.reference_id,
                "gateway": p.method.gateway,
                "gateway_account_id": p.method.gateway_account_id,
                "status": "valid",
            }),
        );
    }
    put(&mut m, "business_entity_id", c.business_entity_id.as_ref());
    if let Some(meta) = &c.meta_data {
        m.insert("meta_data".into(), meta.clone());
    }
    if let Some(exemptions) = &c.exemption_details {
        m.insert("exemption_details".into(), exemptions.clone());
    }
    if !c.entity_identifiers.is_empty() {
        let items = c.entity_identifiers.iter().map(|e| {
            let mut item = Map::new();
            put(&mut item, "id", e.id.as_ref());
            put(&mut item, "value", e.value.as_ref());
            item.insert("scheme".into(), json!(e.scheme));
            item.insert("standard".into(), json!(e.standard));
            Value::Object(item)
        });
        m.insert("entity_identifiers".into(), Value::Array(items.collect()));
    }
    if !c.tax_providers_fields.is_empty() {
        let items = c.tax_providers_fields.iter().map(|f| {
            json!({
                "provider_name": f.provider_name,
                "field_id": f.field_id,
                "field_value": f.field_value,
            })
        });
        m.insert("tax_providers_fields".into(), Value::Array(items.collect()));
    }
    m.insert(
        "preferred_currency_code".into(),
        json!(c.preferred_currency_code),
    );
    for zero in [
        "promotional_credits",
        "refundable_credits",
        "excess_payments",
        "unbilled_charges",
    ] {
        m.insert(zero.into(), json!(0));
    }
    Value::Object(m)
}

/// The `card` object of a card payment method; `None` for other types. Only the
/// first six and last four digits are known.
pub(super) fn card(customer_id: &str, p: &StoredPaymentMethod) -> Option<Value> {
    let card = p.method.card.as_ref()?;
    let mut m = Map::new();
    m.insert("status".into(), json!("valid"));
    m.insert("gateway".into(), json!(p.method.gateway));
    m.insert(
        "gateway_account_id".into(),
        json!(p.method.gateway_account_id),
    );
    m.insert("iin".into(), json!(card.iin));
    m.insert("last4".into(), json!(card.last4));
    m.insert("card_type".into(), json!(card.brand.chargebee_name()));
    m.insert("funding_type".into(), json!(card.funding_type));
    m.insert("expiry_month".into(), json!(card.expiry_month));
    m.insert("expiry_year".into(), json!(card.expiry_year));
    put(&mut m, "issuing_country", p.method.issuing_country.as_ref());
    m.insert("created_at".into(), json!(p.created_at.0));
    m.insert("updated_at".into(), json!(p.created_at.0));
    m.insert("resource_version".into(), json!(p.resource_version));
    m.insert("object".into(), json!("card"));
    m.insert(
        "masked_number".into(),
        json!(format!("************{}", card.last4)),
    );
    m.insert("customer_id".into(), json!(customer_id));
    m.insert("payment_source_id".into(), json!(p.payment_source_id));
    Some(Value::Object(m))
}

/// `{"customer": …}`, with `"card": …` when the payment method is a card.
pub(super) fn customer_answer(c: &Customer) -> Value {
    let mut doc = Map::new();
    doc.insert("customer".into(), customer(c));
    if let Some(card) = c.payment_method.as_ref().and_then(|p| card(&c.id, p)) {
        doc.insert("card".into(), card);
    }
    Value::Object(doc)
}
