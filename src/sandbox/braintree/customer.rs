//! Customers: create, find, update and delete.
//!
//! Create and update run the same validations and report every error of the request at
//! once. Update changes only what is sent. A `<credit-card>` adds a card unless
//! `options.update_existing_token` names one of the customer's cards.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::credit_card;
use super::errors::{ValidationErrors, customer as codes};
use super::http::{bad_request, empty, read_params, unprocessable, xml_answer};
use super::params::{self, CustomerParams, set};
use super::render;
use super::validation::{CUSTOMER_ID_RULES, customer_fields, id_form};
use super::{Gateway, address};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::store::{Customer, Phone, Vault};

/// Creates a customer (and its card). Returns the new customer's id.
pub fn create(
    vault: &mut Vault,
    p: &CustomerParams,
    now: Timestamp,
) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    customer_fields(p, &mut errors);
    let id = match &p.id {
        Some(Some(id)) => {
            if id_form(id, &CUSTOMER_ID_RULES, &["customer"], &mut errors)
                && vault.customer_exists(id)
            {
                errors.add(&["customer"], codes::ID_IS_IN_USE);
            }
            Some(id.clone())
        }
        _ => None,
    };
    let card = p
        .credit_card
        .as_ref()
        .map(|card| credit_card::plan(vault, None, card, credit_card::IN_CUSTOMER, &mut errors));
    if !errors.is_empty() {
        return Err(errors);
    }
    let id = id.unwrap_or_else(|| vault.new_customer_id());
    let mut customer = Customer::new(id.clone(), now);
    set_fields(&mut customer, p);
    vault.insert_customer(customer);
    if let Some(plan) = card {
        credit_card::apply(vault, &id, plan, now);
    }
    Ok(id)
}

/// Updates customer `id`. `None` when there is no such customer; otherwise the
/// customer's (possibly new) id, or the validation errors.
pub fn update(
    vault: &mut Vault,
    id: &str,
    p: &CustomerParams,
    now: Timestamp,
) -> Option<Result<String, ValidationErrors>> {
    let customer = vault.customer(id)?;
    let mut errors = ValidationErrors::default();
    customer_fields(p, &mut errors);
    let new_id = match &p.id {
        Some(Some(new_id)) if new_id != id => {
            if id_form(new_id, &CUSTOMER_ID_RULES, &["customer"], &mut errors)
                && vault.customer_exists(new_id)
            {
                errors.add(&["customer"], codes::ID_IS_IN_USE);
            }
            Some(new_id.clone())
        }
        _ => None,
    };
    let card = p.credit_card.as_ref().map(|card| {
        let plan = credit_card::plan(
            vault,
            Some(customer),
            card,
            credit_card::IN_CUSTOMER,
            &mut errors,
        );
        address::check_room(
            vault,
            Some(id),
            plan.new_addresses(),
            credit_card::IN_CUSTOMER.billing,
            &mut errors,
        );
        plan
    });
    // A default token that is not one of the customer's payment methods is ignored:
    // the official clients publish no error code for it.
    let default_token = p
        .default_payment_method_token
        .clone()
        .flatten()
        .filter(|token| customer.payment_methods.contains(token));
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    if let Some(customer) = vault.customer_mut(id) {
        set_fields(customer, p);
        customer.updated_at = now;
    }
    if let Some(plan) = card {
        credit_card::apply(vault, id, plan, now);
    }
    if let (Some(token), Some(customer)) = (default_token, vault.customer_mut(id)) {
        customer.default_payment_method = Some(token);
    }
    match new_id {
        Some(new_id) => {
            vault.rename_customer(id, &new_id);
            Some(Ok(new_id))
        }
        None => Some(Ok(id.to_string())),
    }
}

/// Writes the sent customer fields (not id, not card).
fn set_fields(customer: &mut Customer, p: &CustomerParams) {
    set(&mut customer.first_name, &p.first_name);
    set(&mut customer.last_name, &p.last_name);
    set(&mut customer.company, &p.company);
    set(&mut customer.email, &p.email);
    set(&mut customer.phone, &p.phone);
    set(&mut customer.fax, &p.fax);
    set(&mut customer.website, &p.website);
    for (name, value) in p.custom_fields.iter().flatten() {
        customer.custom_fields.retain(|(k, _)| k != name);
        if !value.is_empty() {
            customer.custom_fields.push((name.clone(), value.clone()));
        }
    }
    if let Some(phone) = &p.international_phone {
        customer.international_phone = phone.as_ref().map(|p| Phone {
            country_code: p.country_code.clone(),
            national_number: p.national_number.clone(),
        });
    }
}

fn answer(
    gateway: &Gateway,
    vault: &Vault,
    id: &str,
    status: StatusCode,
    now: Timestamp,
) -> Response {
    match vault.customer(id) {
        Some(customer) => xml_answer(
            status,
            &json!({"customer": render::customer(vault, customer, &gateway.credentials.merchant_id, now)}),
        ),
        None => empty(StatusCode::NOT_FOUND),
    }
}

/// `POST /merchants/{merchant_id}/customers`: 201 with the customer, or 422.
pub async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(merchant_id): Path<String>,
    body: String,
) -> Response {
    let (tree, p) = match read_params(&body, "customer", params::customer) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = Timestamp::now();
    let mut vault = gateway.store.lock();
    match create(&mut vault, &p, now) {
        Ok(id) => answer(&gateway, &vault, &id, StatusCode::CREATED, now),
        Err(errors) => unprocessable(&errors, tree, &[("merchant_id", &merchant_id)]),
    }
}

/// `GET /merchants/{merchant_id}/customers/{id}`: 200 with the customer, or 404.
pub async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, id)): Path<(String, String)>,
) -> Response {
    let vault = gateway.store.lock();
    answer(&gateway, &vault, &id, StatusCode::OK, Timestamp::now())
}

/// `PUT /merchants/{merchant_id}/customers/{id}`: 200 with the customer, 404 or 422.
pub async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, id)): Path<(String, String)>,
    body: String,
) -> Response {
    let (tree, p) = match read_params(&body, "customer", params::customer) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = Timestamp::now();
    let mut vault = gateway.store.lock();
    match update(&mut vault, &id, &p, now) {
        None => empty(StatusCode::NOT_FOUND),
        Some(Ok(id)) => answer(&gateway, &vault, &id, StatusCode::OK, now),
        Some(Err(errors)) => {
            unprocessable(&errors, tree, &[("id", &id), ("merchant_id", &merchant_id)])
        }
    }
}

/// `DELETE /merchants/{merchant_id}/customers/{id}`: 200 with an empty body, or 404.
/// The customer's payment methods and addresses go with it.
pub async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, id)): Path<(String, String)>,
) -> Response {
    match gateway.store.lock().remove_customer(&id) {
        Some(_) => empty(StatusCode::OK),
        None => empty(StatusCode::NOT_FOUND),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::braintree::params::{AddressParams, CardOptions, CardParams, Field};
    use crate::sandbox::store::Instrument;

    fn some(s: &str) -> Field {
        Some(Some(s.to_string()))
    }

    fn card(number: &str, date: &str) -> CardParams {
        CardParams {
            number: some(number),
            expiration_date: some(date),
            ..CardParams::default()
        }
    }

    fn with_card(id: &str) -> CustomerParams {
        CustomerParams {
            id: some(id),
            first_name: some("Ada"),
            credit_card: Some(CardParams {
                token: some("the_token"),
                billing_address: Some(AddressParams {
                    street_address: some("1 Old St"),
                    ..AddressParams::default()
                }),
                ..card("4111111111111111", "05/2030")
            }),
            ..CustomerParams::default()
        }
    }

    fn billing_of(vault: &Vault, token: &str) -> Option<String> {
        let Instrument::Card(card) = &vault.payment_method(token)?.instrument;
        card.billing_address_id.clone()
    }

    #[test]
    fn update_keeps_what_is_not_sent_and_adds_a_card() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        let p = CustomerParams {
            last_name: some("Lovelace"),
            credit_card: Some(card("5105105105105100", "11/2031")),
            ..CustomerParams::default()
        };
        update(&mut vault, "c1", &p, Timestamp(1)).unwrap().unwrap();
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.first_name.as_deref(), Some("Ada"));
        assert_eq!(customer.last_name.as_deref(), Some("Lovelace"));
        assert_eq!(customer.payment_methods.len(), 2);
        assert_eq!(
            customer.default_payment_method.as_deref(),
            Some("the_token")
        );
    }

    #[test]
    fn update_existing_token_changes_that_card_and_its_address() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        let old_address = billing_of(&vault, "the_token").unwrap();
        let p = CustomerParams {
            credit_card: Some(CardParams {
                cardholder_name: some("New Cardholder Name"),
                options: CardOptions {
                    update_existing_token: some("the_token"),
                    ..CardOptions::default()
                },
                billing_address: Some(AddressParams {
                    street_address: some("New Street Address"),
                    update_existing: Some(true),
                    ..AddressParams::default()
                }),
                ..card("5105105105105100", "08/2012")
            }),
            ..CustomerParams::default()
        };
        update(&mut vault, "c1", &p, Timestamp(1)).unwrap().unwrap();
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.payment_methods, ["the_token"]);
        assert_eq!(customer.addresses, std::slice::from_ref(&old_address));
        assert_eq!(billing_of(&vault, "the_token"), Some(old_address.clone()));
        let address = vault.address(&old_address).unwrap();
        assert_eq!(
            address.street_address.as_deref(),
            Some("New Street Address")
        );
        let Instrument::Card(card) = &vault.payment_method("the_token").unwrap().instrument;
        assert_eq!(
            (card.bin.as_str(), card.expiration_year.as_str()),
            ("510510", "2012")
        );
    }

    #[test]
    fn billing_address_without_update_existing_makes_a_new_address() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        let old_address = billing_of(&vault, "the_token").unwrap();
        let p = CustomerParams {
            credit_card: Some(CardParams {
                options: CardOptions {
                    update_existing_token: some("the_token"),
                    ..CardOptions::default()
                },
                billing_address: Some(AddressParams {
                    street_address: some("New Street Address"),
                    ..AddressParams::default()
                }),
                ..CardParams::default()
            }),
            ..CustomerParams::default()
        };
        update(&mut vault, "c1", &p, Timestamp(1)).unwrap().unwrap();
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.addresses.len(), 2);
        assert_eq!(customer.addresses[0], old_address);
        let new_address = billing_of(&vault, "the_token").unwrap();
        assert_ne!(new_address, old_address);
        assert_eq!(
            vault
                .address(&old_address)
                .unwrap()
                .street_address
                .as_deref(),
            Some("1 Old St")
        );
    }

    #[test]
    fn failed_update_changes_nothing() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        let before = vault.customer("c1").unwrap().clone();
        let p = CustomerParams {
            first_name: some("Changed"),
            email: some("not-an-email"),
            credit_card: Some(CardParams {
                options: CardOptions {
                    update_existing_token: some("nope"),
                    ..CardOptions::default()
                },
                ..CardParams::default()
            }),
            ..CustomerParams::default()
        };
        let errors = update(&mut vault, "c1", &p, Timestamp(1))
            .unwrap()
            .unwrap_err();
        assert_eq!(errors.codes(), ["81604", "91723"]);
        assert_eq!(vault.customer("c1").unwrap(), &before);
    }

    #[test]
    fn ids_must_be_unique_and_renames_move_everything() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        let again = create(
            &mut vault,
            &CustomerParams {
                id: some("c1"),
                ..CustomerParams::default()
            },
            Timestamp(0),
        );
        assert_eq!(again.unwrap_err().codes(), ["91609"]);
        let generated = create(&mut vault, &CustomerParams::default(), Timestamp(0)).unwrap();
        assert!(generated.bytes().all(|b| b.is_ascii_digit()));
        let rename = CustomerParams {
            id: some("c2"),
            ..CustomerParams::default()
        };
        assert_eq!(
            update(&mut vault, "c1", &rename, Timestamp(1))
                .unwrap()
                .unwrap(),
            "c2"
        );
        assert!(vault.customer("c1").is_none());
        assert_eq!(vault.payment_method("the_token").unwrap().customer_id, "c2");
        assert!(update(&mut vault, "nobody", &rename, Timestamp(1)).is_none());
    }

    #[test]
    fn fifty_addresses_at_most() {
        let mut vault = Vault::default();
        create(&mut vault, &with_card("c1"), Timestamp(0)).unwrap();
        for _ in 1..50 {
            address::create(&mut vault, "c1", &AddressParams::default(), Timestamp(0));
        }
        let p = CustomerParams {
            credit_card: Some(CardParams {
                billing_address: Some(AddressParams {
                    postal_code: some("60622"),
                    ..AddressParams::default()
                }),
                ..card("4111111111111111", "05/2030")
            }),
            ..CustomerParams::default()
        };
        let errors = update(&mut vault, "c1", &p, Timestamp(1))
            .unwrap()
            .unwrap_err();
        assert_eq!(errors.codes(), ["91818"]);
    }
}
