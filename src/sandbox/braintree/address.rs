//! Addresses: their validation, how request fields land on a stored address, and the
//! address endpoints.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::body::Body;
use super::errors::{ValidationErrors, address as codes};
use super::params::{self, AddressParams, read_params};
use super::render::{bad_request, empty, unprocessable, xml_answer};
use super::validation::{international_phone, max_len};
use super::vault::{Address, Phone, Vault};
use super::{Gateway, country, render};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;

/// How many addresses one customer may have.
pub(super) const MAX_ADDRESSES_PER_CUSTOMER: usize = 50;

/// Checks the address fields that are sent.
pub(super) fn validate(p: &AddressParams, scope: &[&'static str], errors: &mut ValidationErrors) {
    max_len(&p.company, 255, scope, codes::COMPANY_IS_TOO_LONG, errors);
    max_len(
        &p.extended_address,
        255,
        scope,
        codes::EXTENDED_ADDRESS_IS_TOO_LONG,
        errors,
    );
    max_len(
        &p.first_name,
        255,
        scope,
        codes::FIRST_NAME_IS_TOO_LONG,
        errors,
    );
    max_len(
        &p.last_name,
        255,
        scope,
        codes::LAST_NAME_IS_TOO_LONG,
        errors,
    );
    max_len(&p.locality, 255, scope, codes::LOCALITY_IS_TOO_LONG, errors);
    if let Field::Set(postal_code) = &p.postal_code {
        if !postal_code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            errors.add(scope, codes::POSTAL_CODE_INVALID_CHARACTERS);
        } else if postal_code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .count()
            > 9
        {
            errors.add(scope, codes::POSTAL_CODE_IS_TOO_LONG);
        }
    }
    max_len(&p.region, 255, scope, codes::REGION_IS_TOO_LONG, errors);
    max_len(
        &p.street_address,
        255,
        scope,
        codes::STREET_ADDRESS_IS_TOO_LONG,
        errors,
    );
    country::check(p, scope, errors);
    if let Field::Set(phone) = &p.international_phone {
        let mut phone_scope = scope.to_vec();
        phone_scope.push("international_phone");
        international_phone(phone, &phone_scope, errors);
    }
}

/// Checks that the customer has room for `adding` more addresses.
pub(super) fn check_room(
    vault: &Vault,
    customer_id: Option<&str>,
    adding: usize,
    scope: &[&'static str],
    errors: &mut ValidationErrors,
) {
    let existing = customer_id
        .and_then(|id| vault.customer(id))
        .map_or(0, |c| c.addresses.len());
    if existing + adding > MAX_ADDRESSES_PER_CUSTOMER {
        errors.add(scope, codes::TOO_MANY_ADDRESSES_PER_CUSTOMER);
    }
}

/// Writes the sent fields onto `address`, leaving the others as they are.
pub(super) fn apply(address: &mut Address, p: &AddressParams, now: Timestamp) {
    p.first_name.apply_optional(&mut address.first_name);
    p.last_name.apply_optional(&mut address.last_name);
    p.company.apply_optional(&mut address.company);
    p.street_address.apply_optional(&mut address.street_address);
    p.extended_address
        .apply_optional(&mut address.extended_address);
    p.locality.apply_optional(&mut address.locality);
    p.region.apply_optional(&mut address.region);
    p.postal_code.apply_optional(&mut address.postal_code);
    p.country_name.apply_optional(&mut address.country_name);
    p.country_code_alpha2
        .apply_optional(&mut address.country_code_alpha2);
    p.country_code_alpha3
        .apply_optional(&mut address.country_code_alpha3);
    p.country_code_numeric
        .apply_optional(&mut address.country_code_numeric);
    p.phone_number.apply_optional(&mut address.phone_number);
    p.international_phone
        .as_ref()
        .map(Phone::from)
        .apply_optional(&mut address.international_phone);
    address.updated_at = Some(now);
}

/// Stores a new address for an existing customer and returns its id.
pub(super) fn create(
    vault: &mut Vault,
    customer_id: &str,
    p: &AddressParams,
    now: Timestamp,
) -> String {
    let mut address = Address {
        id: vault.new_address_id(),
        customer_id: customer_id.to_string(),
        created_at: Some(now),
        ..Address::default()
    };
    apply(&mut address, p, now);
    let id = address.id.clone();
    vault.insert_address(address);
    id
}

const ADDRESS_SCOPE: [&str; 1] = ["address"];

/// `GET /merchants/{merchant_id}/customers/{customer_id}/addresses/{id}`: 200 or 404.
pub(super) async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, customer_id, id)): Path<(String, String, String)>,
) -> Response {
    let vault = gateway.lock();
    match vault.address(&id).filter(|a| a.customer_id == customer_id) {
        Some(address) => xml_answer(
            StatusCode::OK,
            &json!({"address": render::address(address)}),
        ),
        None => empty(StatusCode::NOT_FOUND),
    }
}

/// `POST /merchants/{merchant_id}/customers/{customer_id}/addresses`: 201, 404 or 422.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, customer_id)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (tree, p) = match read_params(&body, "address", params::address) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    if vault.customer(&customer_id).is_none() {
        return empty(StatusCode::NOT_FOUND);
    }
    let mut errors = ValidationErrors::default();
    if !p.has_content() {
        errors.add(&ADDRESS_SCOPE, codes::CANNOT_BE_BLANK);
    }
    validate(&p, &ADDRESS_SCOPE, &mut errors);
    check_room(&vault, Some(&customer_id), 1, &ADDRESS_SCOPE, &mut errors);
    if !errors.is_empty() {
        return unprocessable(
            &errors.into(),
            tree,
            &[("customer_id", &customer_id), ("merchant_id", &merchant_id)],
        );
    }
    let id = create(&mut vault, &customer_id, &p, now);
    match vault.address(&id) {
        Some(address) => xml_answer(
            StatusCode::CREATED,
            &json!({"address": render::address(address)}),
        ),
        None => empty(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// `PUT /merchants/{merchant_id}/customers/{customer_id}/addresses/{id}`: 200 with the
/// address (only the fields sent change; every card billing to it sees the change),
/// 404, or 422 with errors under `address`.
pub(super) async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, customer_id, id)): Path<(String, String, String)>,
    body: Body,
) -> Response {
    let (tree, p) = match read_params(&body, "address", params::address) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    if vault
        .address(&id)
        .is_none_or(|a| a.customer_id != customer_id)
    {
        return empty(StatusCode::NOT_FOUND);
    }
    let mut errors = ValidationErrors::default();
    validate(&p, &ADDRESS_SCOPE, &mut errors);
    if !errors.is_empty() {
        return unprocessable(
            &errors.into(),
            tree,
            &[
                ("customer_id", &customer_id),
                ("id", &id),
                ("merchant_id", &merchant_id),
            ],
        );
    }
    match vault.address_mut(&id) {
        Some(address) => {
            apply(address, &p, now);
            xml_answer(
                StatusCode::OK,
                &json!({"address": render::address(address)}),
            )
        }
        None => empty(StatusCode::NOT_FOUND),
    }
}

/// `DELETE /merchants/{merchant_id}/customers/{customer_id}/addresses/{id}`: 200 with an
/// empty body, or 404. Cards that billed to it keep no billing address.
pub(super) async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, customer_id, id)): Path<(String, String, String)>,
) -> Response {
    let mut vault = gateway.lock();
    if vault
        .address(&id)
        .is_none_or(|a| a.customer_id != customer_id)
    {
        return empty(StatusCode::NOT_FOUND);
    }
    vault.remove_address(&id);
    empty(StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes() {
        let check = |code: &str| {
            let p = AddressParams {
                postal_code: Field::Set(code.into()),
                ..AddressParams::default()
            };
            let mut errors = ValidationErrors::default();
            validate(&p, &["address"], &mut errors);
            errors.codes()
        };
        assert!(check("60622").is_empty());
        assert!(check("SW1A 1AA").is_empty());
        assert!(check("12345-6789").is_empty());
        assert_eq!(check("60622!"), ["81813"]);
        assert_eq!(check("1234567890"), ["81809"]);
    }
}
