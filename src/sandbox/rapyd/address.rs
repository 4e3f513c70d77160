//! Addresses sent with a customer: Rapyd's `address` object (see Create Address).
//!
//! `name` and `line_1` are required; a phone number must be E.164.

use serde_json::{Value, json};

use super::errors::{
    ErrorCode, INVALID_ADDRESS_LINE_1, INVALID_ADDRESS_NAME, INVALID_ADDRESS_PHONE_NUMBER,
};
use super::params::{Object, is_e164, object_field, text_or_empty};
use super::vault::{Address, new_id};

/// Reads one address of a request; it gets a fresh `address_…` id.
pub(super) fn parse(obj: &Object, now: u64) -> Result<Address, ErrorCode> {
    let address = Address {
        id: new_id("address_"),
        name: text_or_empty(obj, "name")?,
        line_1: text_or_empty(obj, "line_1")?,
        line_2: text_or_empty(obj, "line_2")?,
        line_3: text_or_empty(obj, "line_3")?,
        city: text_or_empty(obj, "city")?,
        district: text_or_empty(obj, "district")?,
        canton: text_or_empty(obj, "canton")?,
        state: text_or_empty(obj, "state")?,
        country: text_or_empty(obj, "country")?,
        zip: text_or_empty(obj, "zip")?,
        phone_number: text_or_empty(obj, "phone_number")?,
        metadata: object_field(obj, "metadata")?.or_empty(),
        created_at: now,
    };
    if address.name.is_empty() {
        return Err(INVALID_ADDRESS_NAME);
    }
    if address.line_1.is_empty() {
        return Err(INVALID_ADDRESS_LINE_1);
    }
    if !address.phone_number.is_empty() && !is_e164(&address.phone_number) {
        return Err(INVALID_ADDRESS_PHONE_NUMBER);
    }
    Ok(address)
}

/// The address as Rapyd shows it.
pub(super) fn render(a: &Address) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "line_1": a.line_1,
        "line_2": a.line_2,
        "line_3": a.line_3,
        "city": a.city,
        "district": a.district,
        "canton": a.canton,
        "state": a.state,
        "country": a.country,
        "zip": a.zip,
        "phone_number": a.phone_number,
        "metadata": a.metadata,
        "created_at": a.created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sandbox::rapyd::params::obj;

    #[test]
    fn requires_name_and_line_1() {
        let ok = parse(&obj(json!({"name": "Jo", "line_1": "1 Main St"})), 5).unwrap();
        assert!(ok.id.starts_with("address_"));
        assert_eq!(render(&ok)["created_at"], 5);
        assert_eq!(
            parse(&obj(json!({"line_1": "1 Main St"})), 0),
            Err(INVALID_ADDRESS_NAME)
        );
        assert_eq!(
            parse(&obj(json!({"name": "Jo"})), 0),
            Err(INVALID_ADDRESS_LINE_1)
        );
        assert_eq!(
            parse(
                &obj(json!({"name": "Jo", "line_1": "x", "phone_number": "555"})),
                0
            ),
            Err(INVALID_ADDRESS_PHONE_NUMBER)
        );
    }
}
