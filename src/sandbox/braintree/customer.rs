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

use super::body::Body;
use super::credit_card::{self, CardPlan, IN_CUSTOMER};
use super::errors::{Rejection, ValidationErrors, customer as codes, paypal_account};
use super::nonce::{self, Content};
use super::params::{self, CardParams, CustomerParams, read_params};
use super::render::{self, bad_request, empty, unprocessable, xml_answer};
use super::validation::{CUSTOMER_ID_RULES, customer_fields, id_form};
use super::vault::{Customer, Instrument, PaymentMethod, Phone, Vault, Verification};
use super::{Gateway, address};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;

/// The payment methods a customer request adds or changes, checked.
#[derive(Debug, Default)]
struct Plans {
    /// The `<credit-card>`, fed by the customer-level nonce when it sends no number.
    card: Option<CardPlan>,
    /// A card added from the customer-level nonce alongside `<credit-card>`.
    nonce_card: Option<CardPlan>,
    /// Another payment method type added from the customer-level nonce, with the
    /// single-use nonce to use up.
    other: Option<(Instrument, Option<String>)>,
    /// Whether that other payment method becomes the default.
    other_default: bool,
    /// Whether `<credit-card>` only carried options for a non-card nonce.
    options_only: bool,
}

/// Checks the payment method parts of a customer request at `now`. `customer` is the
/// stored customer on update.
fn plan_payment_methods(
    vault: &Vault,
    customer: Option<&Customer>,
    p: &CustomerParams,
    now: Timestamp,
    errors: &mut ValidationErrors,
) -> Plans {
    let mut plans = Plans::default();
    let nonce = p.payment_method_nonce.value().cloned();
    let mut nonce_taken = false;
    if let Some(card) = &p.credit_card {
        let mut card = card.clone();
        if card.three_d_secure_pass_thru.is_none() {
            card.three_d_secure_pass_thru = p.three_d_secure_pass_thru.clone();
        }
        // The documented "update customer and existing credit card" example sends the
        // nonce beside `credit_card.options.update_existing_token`: the nonce is the
        // card's new details.
        if !card.payment_method_nonce.is_sent()
            && !card.number.is_sent()
            && let Some(key) = &nonce
        {
            let other_type = matches!(
                nonce::resolve(vault, key, now),
                Ok(r) if matches!(r.content, Content::Other(_))
            );
            let updating = card.options.update_existing_token.is_set();
            if other_type && !updating {
                // `credit_card` holds only options for the nonce's payment method,
                // which is not a card: the card options do not apply to it ("This
                // option will be ignored for PayPal, …"), except make_default.
                plans.other_default = card.options.make_default == Some(true);
                plans.options_only = true;
            } else {
                card.payment_method_nonce = Field::Set(key.clone());
                nonce_taken = true;
            }
        }
        if !plans.options_only {
            let plan = credit_card::plan(vault, customer, &card, IN_CUSTOMER, now, errors);
            plans.card = Some(plan);
        }
    }
    if let (Some(key), false) = (nonce, nonce_taken) {
        match nonce::resolve(vault, &key, now) {
            Err(code) if code == paypal_account::CANNOT_VAULT_ONE_TIME_USE_PAYPAL_ACCOUNT => {
                errors.add(&["customer", "paypal_account"], code);
            }
            Err(code) => errors.add(IN_CUSTOMER.card, code),
            Ok(redeemable) => match redeemable.content {
                Content::Card(_) => {
                    let card = CardParams {
                        payment_method_nonce: Field::Set(key),
                        three_d_secure_pass_thru: p.three_d_secure_pass_thru.clone(),
                        ..CardParams::default()
                    };
                    plans.nonce_card = Some(credit_card::plan(
                        vault,
                        customer,
                        &card,
                        IN_CUSTOMER,
                        now,
                        errors,
                    ));
                }
                Content::Other(instrument) => {
                    let foreign = redeemable
                        .customer_id
                        .as_ref()
                        .is_some_and(|owner| customer.is_none_or(|c| &c.id != owner));
                    if foreign {
                        errors.add(
                            &["customer"],
                            codes::VAULTED_PAYMENT_INSTRUMENT_NONCE_BELONGS_TO_DIFFERENT_CUSTOMER,
                        );
                    }
                    plans.other = Some((instrument, redeemable.single_use_key));
                }
            },
        }
    }
    let id = customer.map(|c| c.id.as_str());
    let new_addresses = plans.card.as_ref().map_or(0, CardPlan::new_addresses);
    address::check_room(vault, id, new_addresses, IN_CUSTOMER.billing, errors);
    plans
}

/// Runs the verifications the plans ask for; the first that does not pass refuses the
/// request.
fn verify(
    vault: &Vault,
    plans: &Plans,
    now: Timestamp,
) -> Result<[Option<Verification>; 2], Rejection> {
    let run = |plan: &Option<CardPlan>| match plan {
        Some(plan) => credit_card::verify(vault, plan, now),
        None => Ok(None),
    };
    Ok([run(&plans.card)?, run(&plans.nonce_card)?])
}

/// Writes checked and verified plans for customer `id`.
fn apply_payment_methods(
    vault: &mut Vault,
    id: &str,
    plans: Plans,
    verifications: [Option<Verification>; 2],
    now: Timestamp,
) {
    let [card_verification, nonce_verification] = verifications;
    if let Some(plan) = plans.card {
        credit_card::apply(vault, id, plan, card_verification, now);
    }
    if let Some(plan) = plans.nonce_card {
        credit_card::apply(vault, id, plan, nonce_verification, now);
    }
    if let Some((instrument, single_use_key)) = plans.other {
        if let Some(key) = single_use_key {
            vault.consume_nonce(&key);
        }
        let token = vault.new_token();
        vault.insert_payment_method(PaymentMethod {
            token: token.clone(),
            customer_id: id.to_string(),
            instrument,
            created_at: now,
            updated_at: now,
        });
        if plans.other_default
            && let Some(customer) = vault.customer_mut(id)
        {
            customer.default_payment_method = Some(token);
        }
    }
}

/// Creates a customer (and its payment methods). Returns the new customer's id.
pub(super) fn create(
    vault: &mut Vault,
    p: &CustomerParams,
    now: Timestamp,
) -> Result<String, Rejection> {
    let mut errors = ValidationErrors::default();
    customer_fields(p, &mut errors);
    let id = match &p.id {
        Field::Set(id) => {
            if id_form(id, &CUSTOMER_ID_RULES, &["customer"], &mut errors)
                && vault.customer_exists(id)
            {
                errors.add(&["customer"], codes::ID_IS_IN_USE);
            }
            Some(id.clone())
        }
        _ => None,
    };
    let plans = plan_payment_methods(vault, None, p, now, &mut errors);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let verifications = verify(vault, &plans, now)?;
    let id = id.unwrap_or_else(|| vault.new_customer_id());
    let mut customer = Customer::new(id.clone(), now);
    set_fields(&mut customer, p);
    vault.insert_customer(customer);
    apply_payment_methods(vault, &id, plans, verifications, now);
    Ok(id)
}

/// Updates customer `id`. `None` when there is no such customer; otherwise the
/// customer's (possibly new) id, or why the request was refused. A refused request
/// changes nothing.
pub(super) fn update(
    vault: &mut Vault,
    id: &str,
    p: &CustomerParams,
    now: Timestamp,
) -> Option<Result<String, Rejection>> {
    let customer = vault.customer(id)?;
    let mut errors = ValidationErrors::default();
    customer_fields(p, &mut errors);
    let new_id = match &p.id {
        Field::Set(new_id) if new_id != id => {
            if id_form(new_id, &CUSTOMER_ID_RULES, &["customer"], &mut errors)
                && vault.customer_exists(new_id)
            {
                errors.add(&["customer"], codes::ID_IS_IN_USE);
            }
            Some(new_id.clone())
        }
        _ => None,
    };
    let plans = plan_payment_methods(vault, Some(customer), p, now, &mut errors);
    // A default token that is not one of the customer's payment methods is ignored:
    // the official clients publish no error code for it.
    let default_token = p
        .default_payment_method_token
        .value()
        .cloned()
        .filter(|token| customer.payment_methods.contains(token));
    if !errors.is_empty() {
        return Some(Err(errors.into()));
    }
    let verifications = match verify(vault, &plans, now) {
        Ok(verifications) => verifications,
        Err(rejection) => return Some(Err(rejection)),
    };
    if let Some(customer) = vault.customer_mut(id) {
        set_fields(customer, p);
        customer.updated_at = now;
    }
    apply_payment_methods(vault, id, plans, verifications, now);
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
    p.first_name.apply_optional(&mut customer.first_name);
    p.last_name.apply_optional(&mut customer.last_name);
    p.company.apply_optional(&mut customer.company);
    p.email.apply_optional(&mut customer.email);
    p.phone.apply_optional(&mut customer.phone);
    p.fax.apply_optional(&mut customer.fax);
    p.website.apply_optional(&mut customer.website);
    for (name, value) in p.custom_fields.iter().flatten() {
        customer.custom_fields.retain(|(k, _)| k != name);
        if !value.is_empty() {
            customer.custom_fields.push((name.clone(), value.clone()));
        }
    }
    p.international_phone
        .as_ref()
        .map(Phone::from)
        .apply_optional(&mut customer.international_phone);
    // One identifier per country code: a new one replaces the old.
    for (country, identifier) in p.tax_identifiers.iter().flatten() {
        customer.tax_identifiers.retain(|(c, _)| c != country);
        customer
            .tax_identifiers
            .push((country.clone(), identifier.clone()));
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
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(merchant_id): Path<String>,
    body: Body,
) -> Response {
    let (tree, p) = match read_params(&body, "customer", params::customer) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    match create(&mut vault, &p, now) {
        Ok(id) => answer(&gateway, &vault, &id, StatusCode::CREATED, now),
        Err(rejection) => unprocessable(&rejection, tree, &[("merchant_id", &merchant_id)]),
    }
}

/// `GET /merchants/{merchant_id}/customers/{id}`: 200 with the customer, or 404.
pub(super) async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, id)): Path<(String, String)>,
) -> Response {
    let vault = gateway.lock();
    answer(&gateway, &vault, &id, StatusCode::OK, gateway.now())
}

/// `PUT /merchants/{merchant_id}/customers/{id}`: 200 with the customer, 404 or 422.
pub(super) async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, id)): Path<(String, String)>,
    body: Body,
) -> Response {
    let (tree, p) = match read_params(&body, "customer", params::customer) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    match update(&mut vault, &id, &p, now) {
        None => empty(StatusCode::NOT_FOUND),
        Some(Ok(id)) => answer(&gateway, &vault, &id, StatusCode::OK, now),
        Some(Err(rejection)) => unprocessable(
            &rejection,
            tree,
            &[("id", &id), ("merchant_id", &merchant_id)],
        ),
    }
}

/// `DELETE /merchants/{merchant_id}/customers/{id}`: 200 with an empty body, or 404.
/// The customer's payment methods and addresses go with it.
pub(super) async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, id)): Path<(String, String)>,
) -> Response {
    match gateway.lock().remove_customer(&id) {
        Some(_) => empty(StatusCode::OK),
        None => empty(StatusCode::NOT_FOUND),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::braintree::params::{AddressParams, CardOptions, CardParams};

    fn some(s: &str) -> Field<String> {
        Field::Set(s.to_string())
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
        let card = vault.payment_method(token)?.instrument.card()?;
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
        let card = vault
            .payment_method("the_token")
            .unwrap()
            .instrument
            .card()
            .unwrap();
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
