//! Payment methods by token: find and update.
//!
//! An update (`PUT …/payment_methods/any/{token}`, body `<payment_method>`) changes a
//! stored card the way a customer update with `options.update_existing_token` does, with
//! its errors scoped under `credit_card`:
//! - card fields as on create, none of them required; the CVV is checked, never kept;
//! - `token` renames the card (the old token then answers 404);
//! - `billing_address` with `options.update_existing` changes the card's address in
//!   place (every card sharing it sees the change), without it adds a new address to
//!   the customer; `billing_address_id` links one of the customer's addresses;
//! - `options.make_default` makes it the customer's default;
//! - `options.fail_on_duplicate_payment_method` (81724) and
//!   `options.fail_on_duplicate_payment_method_for_customer` (81763) refuse a number
//!   that another stored card (of any customer, or of the same customer) already has.
//!   They are checked only when a number is sent. Braintree says the two cannot be
//!   combined but publishes no error code for that, so both checks simply run.
//!
//! Not done yet: `payment_method_nonce`, `verify_card` and the other verification
//! options (accepted and ignored), `three_d_secure_pass_thru`, PayPal accounts.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::credit_card::{self, IN_PAYMENT_METHOD, NumberFacts};
use super::errors::{ValidationErrors, credit_card as codes};
use super::http::{bad_request, empty, read_params, unprocessable, xml_answer};
use super::params::{self, CardParams};
use super::{Gateway, address, render};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::store::{Instrument, Vault};

/// The `<credit-card>` answer for the payment method `token`, if it exists.
fn answer_tree(vault: &Vault, token: &str, now: Timestamp) -> Option<Value> {
    let pm = vault.payment_method(token)?;
    let owner = vault.customer(&pm.customer_id)?;
    Some(match &pm.instrument {
        Instrument::Card(_) => json!({
            "credit_card": render::credit_card(vault, pm, owner, now)
        }),
    })
}

/// `GET /merchants/{merchant_id}/payment_methods/any/{token}` (and
/// `…/payment_methods/credit_card/{token}`): 200 with `<credit-card>`, or 404.
pub async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    let vault = gateway.store.lock();
    match answer_tree(&vault, &token, Timestamp::now()) {
        Some(tree) => xml_answer(StatusCode::OK, &tree),
        None => empty(StatusCode::NOT_FOUND),
    }
}

/// Whether another stored card than `token` has the number of `facts`; with
/// `customer_id`, only that customer's cards count.
fn duplicate_exists(
    vault: &Vault,
    token: &str,
    facts: &NumberFacts,
    customer_id: Option<&str>,
) -> bool {
    vault.payment_methods().any(|pm| {
        let Instrument::Card(card) = &pm.instrument;
        pm.token != token
            && customer_id.is_none_or(|id| pm.customer_id == id)
            && !card.fingerprint.is_empty()
            && card.fingerprint == facts.fingerprint
    })
}

/// Updates the payment method `token`. `None` when there is no such payment method;
/// otherwise its (possibly new) token, or the validation errors. A failed update
/// changes nothing.
pub fn update(
    vault: &mut Vault,
    token: &str,
    p: &CardParams,
    now: Timestamp,
) -> Option<Result<String, ValidationErrors>> {
    let pm = vault.payment_method(token)?;
    let customer = vault.customer(&pm.customer_id)?;
    let customer_id = customer.id.clone();
    let mut p = p.clone();
    p.options.update_existing_token = Some(Some(token.to_string()));
    let mut errors = ValidationErrors::default();
    let plan = credit_card::plan(vault, Some(customer), &p, IN_PAYMENT_METHOD, &mut errors);
    address::check_room(
        vault,
        Some(&customer_id),
        plan.new_addresses(),
        IN_PAYMENT_METHOD.billing,
        &mut errors,
    );
    if let Some(facts) = &plan.number {
        if p.options.fail_on_duplicate_payment_method == Some(true)
            && duplicate_exists(vault, token, facts, None)
        {
            errors.add(IN_PAYMENT_METHOD.card, codes::DUPLICATE_CARD_EXISTS);
        }
        if p.options.fail_on_duplicate_payment_method_for_customer == Some(true)
            && duplicate_exists(vault, token, facts, Some(&customer_id))
        {
            errors.add(
                IN_PAYMENT_METHOD.card,
                codes::DUPLICATE_CARD_EXISTS_FOR_CUSTOMER,
            );
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    Some(Ok(credit_card::apply(vault, &customer_id, plan, now)))
}

/// `PUT /merchants/{merchant_id}/payment_methods/any/{token}`: 200 with
/// `<credit-card>`, 404 with an empty body, or 422.
pub async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, token)): Path<(String, String)>,
    body: String,
) -> Response {
    let (tree, p) = match read_params(&body, "payment_method", params::card) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = Timestamp::now();
    let mut vault = gateway.store.lock();
    match update(&mut vault, &token, &p, now) {
        None => empty(StatusCode::NOT_FOUND),
        Some(Ok(token)) => match answer_tree(&vault, &token, now) {
            Some(tree) => xml_answer(StatusCode::OK, &tree),
            None => empty(StatusCode::INTERNAL_SERVER_ERROR),
        },
        Some(Err(errors)) => unprocessable(&errors, tree, &[("merchant_id", &merchant_id)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::braintree::customer;
    use crate::sandbox::braintree::params::{AddressParams, CardOptions, CustomerParams, Field};

    fn some(s: &str) -> Field {
        Some(Some(s.to_string()))
    }

    /// Customer `id` with one card `token` (number `number`) billing to `street`.
    fn customer_with_card(vault: &mut Vault, id: &str, token: &str, number: &str) {
        let p = CustomerParams {
            id: some(id),
            credit_card: Some(CardParams {
                token: some(token),
                number: some(number),
                expiration_date: some("05/2030"),
                billing_address: Some(AddressParams {
                    street_address: some("1 Old St"),
                    ..AddressParams::default()
                }),
                ..CardParams::default()
            }),
            ..CustomerParams::default()
        };
        customer::create(vault, &p, Timestamp(0)).unwrap();
    }

    fn add_card(vault: &mut Vault, customer_id: &str, token: &str, number: &str) {
        let p = CustomerParams {
            credit_card: Some(CardParams {
                token: some(token),
                number: some(number),
                expiration_date: some("05/2030"),
                ..CardParams::default()
            }),
            ..CustomerParams::default()
        };
        customer::update(vault, customer_id, &p, Timestamp(0))
            .unwrap()
            .unwrap();
    }

    fn billing_of(vault: &Vault, token: &str) -> Option<String> {
        let Instrument::Card(card) = &vault.payment_method(token)?.instrument;
        card.billing_address_id.clone()
    }

    #[test]
    fn unknown_token_is_none() {
        let mut vault = Vault::default();
        assert!(update(&mut vault, "nope", &CardParams::default(), Timestamp(1)).is_none());
    }

    #[test]
    fn shared_address_updated_in_place_and_new_address_otherwise() {
        let mut vault = Vault::default();
        customer_with_card(&mut vault, "c1", "a", "4111111111111111");
        add_card(&mut vault, "c1", "b", "5105105105105100");
        let shared = billing_of(&vault, "a").unwrap();
        let link = CardParams {
            billing_address_id: Some(Some(shared.clone())),
            ..CardParams::default()
        };
        update(&mut vault, "b", &link, Timestamp(1))
            .unwrap()
            .unwrap();
        assert_eq!(billing_of(&vault, "b"), Some(shared.clone()));

        let in_place = CardParams {
            billing_address: Some(AddressParams {
                street_address: some("100 Maple Lane"),
                update_existing: Some(true),
                ..AddressParams::default()
            }),
            ..CardParams::default()
        };
        update(&mut vault, "a", &in_place, Timestamp(2))
            .unwrap()
            .unwrap();
        assert_eq!(billing_of(&vault, "b"), Some(shared.clone()));
        let street = |v: &Vault, id: &str| v.address(id).unwrap().street_address.clone();
        assert_eq!(street(&vault, &shared).as_deref(), Some("100 Maple Lane"));
        assert_eq!(vault.customer("c1").unwrap().addresses.len(), 1);

        let new = CardParams {
            billing_address: Some(AddressParams {
                street_address: some("1 E Main St"),
                ..AddressParams::default()
            }),
            ..CardParams::default()
        };
        update(&mut vault, "a", &new, Timestamp(3))
            .unwrap()
            .unwrap();
        let fresh = billing_of(&vault, "a").unwrap();
        assert_ne!(fresh, shared);
        assert_eq!(vault.customer("c1").unwrap().addresses.len(), 2);
        assert_eq!(billing_of(&vault, "b"), Some(shared));
    }

    #[test]
    fn rename_and_make_default() {
        let mut vault = Vault::default();
        customer_with_card(&mut vault, "c1", "a", "4111111111111111");
        add_card(&mut vault, "c1", "b", "5105105105105100");
        let p = CardParams {
            token: some("b2"),
            options: CardOptions {
                make_default: Some(true),
                ..CardOptions::default()
            },
            ..CardParams::default()
        };
        assert_eq!(
            update(&mut vault, "b", &p, Timestamp(1)).unwrap().unwrap(),
            "b2"
        );
        assert!(vault.payment_method("b").is_none());
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.default_payment_method.as_deref(), Some("b2"));
        assert_eq!(customer.payment_methods, ["a", "b2"]);

        let taken = CardParams {
            token: some("a"),
            ..CardParams::default()
        };
        let errors = update(&mut vault, "b2", &taken, Timestamp(2))
            .unwrap()
            .unwrap_err();
        assert_eq!(errors.codes(), ["91719"]);
    }

    #[test]
    fn duplicates_and_validations_change_nothing() {
        let mut vault = Vault::default();
        customer_with_card(&mut vault, "c1", "a", "4111111111111111");
        add_card(&mut vault, "c1", "b", "5105105105105100");
        customer_with_card(&mut vault, "c2", "z", "6011111111111117");
        let dup = |number: &str, any: bool, same: bool| CardParams {
            number: some(number),
            options: CardOptions {
                fail_on_duplicate_payment_method: Some(any),
                fail_on_duplicate_payment_method_for_customer: Some(same),
                ..CardOptions::default()
            },
            ..CardParams::default()
        };
        let codes = |vault: &mut Vault, p: &CardParams| {
            update(vault, "b", p, Timestamp(1))
                .unwrap()
                .err()
                .map(|e| e.codes())
                .unwrap_or_default()
        };
        assert_eq!(
            codes(&mut vault, &dup("6011111111111117", true, false)),
            ["81724"]
        );
        assert_eq!(
            codes(&mut vault, &dup("4111111111111111", false, true)),
            ["81763"]
        );
        // Another customer's card is not a duplicate for the customer.
        assert!(codes(&mut vault, &dup("6011111111111117", false, true)).is_empty());
        // Both options: each check runs (no published code for the combination).
        assert_eq!(
            codes(&mut vault, &dup("6011111111111117", true, true)),
            ["81724"]
        );
        assert!(codes(&mut vault, &dup("3530111333300000", true, true)).is_empty());
        // Its own number (now 3530…) is not a duplicate of itself.
        assert!(codes(&mut vault, &dup("3530111333300000", true, true)).is_empty());

        let before = vault.customer("c1").unwrap().clone();
        let bad = CardParams {
            number: some("4111111111111112"),
            cvv: some("12"),
            cardholder_name: Some(Some("x".repeat(176))),
            billing_address_id: some("nope"),
            ..CardParams::default()
        };
        assert_eq!(
            codes(&mut vault, &bad),
            ["81723", "81715", "81707", "91702"]
        );
        assert_eq!(vault.customer("c1").unwrap(), &before);
    }
}
