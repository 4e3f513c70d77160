//! Payment methods by token: find and update.
//!
//! An update (`PUT …/payment_methods/any/{token}`, body `<payment_method>`) changes a
//! stored card the way a customer update with `options.update_existing_token` does, with
//! its errors scoped under `credit_card`:
//! - card fields as on create, none of them required; the CVV is checked, never kept;
//! - `payment_method_nonce` gives the card new details; fields sent explicitly take
//!   precedence over the nonce's. A nonce made from a vaulted payment method (tied to a
//!   customer) is refused with 91735, a nonce for another type with 91738;
//! - `token` renames the card (the old token then answers 404);
//! - `billing_address` with `options.update_existing` changes the card's address in
//!   place (every card sharing it sees the change), without it adds a new address to
//!   the customer; `billing_address_id` links one of the customer's addresses;
//! - `options.make_default` makes it the customer's default;
//! - `options.verify_card` (with `verification_amount`, `verification_merchant_account_id`
//!   and `three_d_secure_pass_thru`) verifies the card as updated; a declined
//!   verification refuses the update;
//! - `options.fail_on_duplicate_payment_method` (81724) and
//!   `options.fail_on_duplicate_payment_method_for_customer` (81763) refuse a number
//!   that another stored card (of any customer, or of the same customer) already has.
//!
//! A PayPal account (also at `…/payment_methods/paypal_account/{token}`, body
//! `<paypal_account>`) takes only `token` and `options.make_default`; anything else is
//! 92915, a nonce 92914. Other types (Apple Pay, Google Pay, Venmo) cannot be updated
//! at all: Braintree answers 403 (braintree/braintree_php#230), so does the sandbox.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::body::Body;
use super::credit_card::{self, IN_PAYMENT_METHOD, IN_PAYMENT_METHOD_CREATE, TOKEN_RULES};
use super::errors::{
    Code, Rejection, ValidationErrors, credit_card as card_codes, customer as customer_codes,
    payment_method as create_codes, paypal_account as paypal_codes,
};
use super::nonce::{self, Content, Redeemable};
use super::params::{self, CardParams, read_params, read_params_any};
use super::render::{bad_request, empty, unprocessable, xml_answer};
use super::validation::id_form;
use super::vault::{Instrument, PaymentMethod, Vault};
use super::{Gateway, address, render};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;

/// The answer for the payment method `token`, under its type's root element.
fn answer_tree(vault: &Vault, token: &str, now: Timestamp) -> Option<Value> {
    let pm = vault.payment_method(token)?;
    let owner = vault.customer(&pm.customer_id)?;
    let (root, tree) = render::payment_method(vault, pm, owner, now);
    let mut answer = Map::new();
    answer.insert(root.to_string(), tree);
    Some(Value::Object(answer))
}

/// Which payment methods a path serves: `…/any/{token}` every type, the typed paths
/// (`…/credit_card/{token}`, `…/paypal_account/{token}`) only their own, answering 404
/// for a token of another type as Braintree does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Any,
    CreditCard,
    PayPalAccount,
}

impl Kind {
    fn serves(self, instrument: &Instrument) -> bool {
        match self {
            Kind::Any => true,
            Kind::CreditCard => matches!(instrument, Instrument::Card(_)),
            Kind::PayPalAccount => matches!(instrument, Instrument::PayPal(_)),
        }
    }
}

/// Whether `token` names a payment method that a `kind` path serves.
fn found(vault: &Vault, token: &str, kind: Kind) -> bool {
    vault
        .payment_method(token)
        .is_some_and(|pm| kind.serves(&pm.instrument))
}

fn find(gateway: &Gateway, token: &str, kind: Kind) -> Response {
    let vault = gateway.lock();
    match answer_tree(&vault, token, gateway.now()).filter(|_| found(&vault, token, kind)) {
        Some(tree) => xml_answer(StatusCode::OK, &tree),
        None => empty(StatusCode::NOT_FOUND),
    }
}

fn delete(gateway: &Gateway, token: &str, kind: Kind) -> Response {
    let mut vault = gateway.lock();
    if !found(&vault, token, kind) {
        return empty(StatusCode::NOT_FOUND);
    }
    vault.remove_payment_method(token);
    empty(StatusCode::OK)
}

/// `GET /merchants/{merchant_id}/payment_methods/any/{token}`: 200, or 404.
pub(super) async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    find(&gateway, &token, Kind::Any)
}

/// `GET …/payment_methods/credit_card/{token}`: 200, or 404 (also for another type).
pub(super) async fn find_card_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    find(&gateway, &token, Kind::CreditCard)
}

/// `GET …/payment_methods/paypal_account/{token}`: 200, or 404 (also for another type).
pub(super) async fn find_paypal_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    find(&gateway, &token, Kind::PayPalAccount)
}

/// `DELETE …/payment_methods/any/{token}` (Payment Method: Delete; a
/// `revoke_all_grants` query is accepted and has nothing to revoke): 200 with an empty
/// body, or 404. When it was the customer's default, the customer's oldest remaining
/// payment method becomes the default.
pub(super) async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    delete(&gateway, &token, Kind::Any)
}

/// `DELETE …/payment_methods/credit_card/{token}`: like [`delete_handler`], 404 for
/// another type.
pub(super) async fn delete_card_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    delete(&gateway, &token, Kind::CreditCard)
}

/// `DELETE …/payment_methods/paypal_account/{token}`: like [`delete_handler`], 404 for
/// another type.
pub(super) async fn delete_paypal_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    delete(&gateway, &token, Kind::PayPalAccount)
}

/// Why an update was not done.
#[derive(Debug)]
pub(super) enum Refusal {
    /// No payment method has that token.
    NotFound,
    /// The payment method's type cannot be updated.
    Forbidden,
    /// 422.
    Rejected(Rejection),
}

impl From<ValidationErrors> for Refusal {
    fn from(errors: ValidationErrors) -> Self {
        Refusal::Rejected(errors.into())
    }
}

/// Updates the payment method `token` and returns its (possibly new) token. A refused
/// update changes nothing.
pub(super) fn update(
    vault: &mut Vault,
    token: &str,
    p: &CardParams,
    now: Timestamp,
) -> Result<String, Refusal> {
    let pm = vault.payment_method(token).ok_or(Refusal::NotFound)?;
    let customer = vault.customer(&pm.customer_id).ok_or(Refusal::NotFound)?;
    let customer_id = customer.id.clone();
    match pm.instrument {
        Instrument::Card(_) => {}
        Instrument::PayPal(_) => return update_paypal(vault, token, &customer_id, p, now),
        Instrument::ApplePay(_) | Instrument::GooglePay(_) | Instrument::Venmo(_) => {
            return Err(Refusal::Forbidden);
        }
    }
    let mut p = p.clone();
    p.options.update_existing_token = Field::Set(token.to_string());
    let mut errors = ValidationErrors::default();
    let plan = credit_card::plan(
        vault,
        Some(customer),
        &p,
        IN_PAYMENT_METHOD,
        now,
        &mut errors,
    );
    address::check_room(
        vault,
        Some(&customer_id),
        plan.new_addresses(),
        IN_PAYMENT_METHOD.billing,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let verification = credit_card::verify(vault, &plan, now).map_err(Refusal::Rejected)?;
    Ok(credit_card::apply(
        vault,
        &customer_id,
        plan,
        verification,
        now,
    ))
}

/// A PayPal account: only `token` and `options.make_default`.
fn update_paypal(
    vault: &mut Vault,
    token: &str,
    customer_id: &str,
    p: &CardParams,
    now: Timestamp,
) -> Result<String, Refusal> {
    const SCOPE: [&str; 1] = ["paypal_account"];
    let mut errors = ValidationErrors::default();
    if p.payment_method_nonce.is_set() {
        errors.add(
            &SCOPE,
            paypal_codes::CANNOT_UPDATE_USING_PAYMENT_METHOD_NONCE,
        );
    }
    if !p.card_fields_sent().is_empty() || p.options.other_than_make_default() {
        errors.add(
            &SCOPE,
            paypal_codes::INVALID_PARAMS_FOR_PAYPAL_ACCOUNT_UPDATE,
        );
    }
    let new_token = match &p.token {
        Field::Set(new) if new != token => {
            if id_form(new, &TOKEN_RULES, &SCOPE, &mut errors) && vault.token_exists(new) {
                errors.add(&SCOPE, paypal_codes::TOKEN_IS_IN_USE);
            }
            new.clone()
        }
        _ => token.to_string(),
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    vault.rename_payment_method(token, &new_token);
    if p.options.make_default == Some(true)
        && let Some(customer) = vault.customer_mut(customer_id)
    {
        customer.default_payment_method = Some(new_token.clone());
    }
    if let Some(pm) = vault.payment_method_mut(&new_token) {
        pm.updated_at = now;
    }
    Ok(new_token)
}

/// Reads and applies an update whose body has the root element `root`, at a path that
/// serves `kind`.
fn update_with_root(
    gateway: &Gateway,
    merchant_id: &str,
    token: &str,
    body: &Body,
    (root, kind): (&str, Kind),
) -> Response {
    let (tree, p) = match read_params(body, root, params::card) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    if !found(&vault, token, kind) {
        return empty(StatusCode::NOT_FOUND);
    }
    match update(&mut vault, token, &p, now) {
        Err(Refusal::NotFound) => empty(StatusCode::NOT_FOUND),
        Err(Refusal::Forbidden) => empty(StatusCode::FORBIDDEN),
        Err(Refusal::Rejected(rejection)) => {
            unprocessable(&rejection, tree, &[("merchant_id", merchant_id)])
        }
        Ok(token) => match answer_tree(&vault, &token, now) {
            Some(tree) => xml_answer(StatusCode::OK, &tree),
            None => empty(StatusCode::INTERNAL_SERVER_ERROR),
        },
    }
}

/// `PUT /merchants/{merchant_id}/payment_methods/any/{token}` (body `<payment_method>`):
/// 200 with the payment method under its type's root, 403, 404 with an empty body, or
/// 422.
pub(super) async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, token)): Path<(String, String)>,
    body: Body,
) -> Response {
    update_with_root(
        &gateway,
        &merchant_id,
        &token,
        &body,
        ("payment_method", Kind::Any),
    )
}

/// `PUT /merchants/{merchant_id}/payment_methods/paypal_account/{token}` (body
/// `<paypal_account>`, as `gateway.paypal_account.update` sends it): like
/// [`update_handler`].
pub(super) async fn update_paypal_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, token)): Path<(String, String)>,
    body: Body,
) -> Response {
    update_with_root(
        &gateway,
        &merchant_id,
        &token,
        &body,
        ("paypal_account", Kind::PayPalAccount),
    )
}

/// `PUT /merchants/{merchant_id}/payment_methods/credit_card/{token}` (body
/// `<credit_card>`, as `gateway.credit_card.update` sends it): like [`update_handler`],
/// 404 for a payment method that is not a card.
pub(super) async fn update_card_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((merchant_id, token)): Path<(String, String)>,
    body: Body,
) -> Response {
    update_with_root(
        &gateway,
        &merchant_id,
        &token,
        &body,
        ("credit_card", Kind::CreditCard),
    )
}

/// Payment Method: Create's errors about the request as a whole sit on this scope.
const CREATE_SCOPE: [&str; 1] = ["payment_method"];

/// Where a nonce that cannot be redeemed is reported on create: Payment Method's own
/// codes for an unknown or used nonce, the nonce type's scope for the rest.
fn nonce_refusal(code: Code) -> (&'static [&'static str], Code) {
    if code == card_codes::PAYMENT_METHOD_NONCE_UNKNOWN {
        (&CREATE_SCOPE, create_codes::PAYMENT_METHOD_NONCE_UNKNOWN)
    } else if code == card_codes::PAYMENT_METHOD_NONCE_CONSUMED {
        (&CREATE_SCOPE, create_codes::PAYMENT_METHOD_NONCE_CONSUMED)
    } else if code == paypal_codes::CANNOT_VAULT_ONE_TIME_USE_PAYPAL_ACCOUNT {
        (&["paypal_account"], code)
    } else {
        (IN_PAYMENT_METHOD.card, code)
    }
}

/// Payment Method: Create (and Credit Card: Create): a payment method for the customer
/// `customer_id` from a nonce of any type, or from card details. Returns its token. A
/// refused request changes nothing.
pub(super) fn create(
    vault: &mut Vault,
    p: &CardParams,
    now: Timestamp,
) -> Result<String, Rejection> {
    let mut errors = ValidationErrors::default();
    let customer_id = match &p.customer_id {
        Field::Set(id) if vault.customer_exists(id) => Some(id.clone()),
        Field::Set(_) => {
            errors.add(&CREATE_SCOPE, create_codes::CUSTOMER_ID_IS_INVALID);
            None
        }
        _ => {
            errors.add(&CREATE_SCOPE, create_codes::CUSTOMER_ID_IS_REQUIRED);
            None
        }
    };
    let redeemable = match p.payment_method_nonce.value() {
        Some(key) => match nonce::resolve(vault, key, now) {
            Ok(redeemable) => Some(redeemable),
            Err(code) => {
                let (scope, code) = nonce_refusal(code);
                errors.add(scope, code);
                None
            }
        },
        None => {
            if !p.number.is_sent() {
                errors.add(&CREATE_SCOPE, create_codes::NONCE_IS_REQUIRED);
            }
            None
        }
    };
    let (Some(customer_id), true) = (customer_id, errors.is_empty()) else {
        return Err(errors.into());
    };
    if let Some(Redeemable {
        content: Content::Other(instrument),
        customer_id: owner,
        single_use_key,
    }) = redeemable
    {
        return create_other(
            vault,
            &customer_id,
            p,
            instrument,
            (owner, single_use_key),
            now,
        );
    }
    let customer = vault.customer(&customer_id);
    let plan = credit_card::plan(
        vault,
        customer,
        p,
        IN_PAYMENT_METHOD_CREATE,
        now,
        &mut errors,
    );
    address::check_room(
        vault,
        Some(&customer_id),
        plan.new_addresses(),
        IN_PAYMENT_METHOD_CREATE.billing,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let verification = credit_card::verify(vault, &plan, now)?;
    Ok(credit_card::apply(
        vault,
        &customer_id,
        plan,
        verification,
        now,
    ))
}

/// Vaults a PayPal account, wallet card or Venmo account from its nonce: only `token`
/// and `options.make_default` apply (the card options are "ignored for PayPal, Pay with
/// Venmo, Apple Pay, Google Pay").
fn create_other(
    vault: &mut Vault,
    customer_id: &str,
    p: &CardParams,
    instrument: Instrument,
    (owner, single_use_key): (Option<String>, Option<String>),
    now: Timestamp,
) -> Result<String, Rejection> {
    let mut errors = ValidationErrors::default();
    if owner.is_some_and(|owner| owner != customer_id) {
        errors.add(
            &CREATE_SCOPE,
            customer_codes::VAULTED_PAYMENT_INSTRUMENT_NONCE_BELONGS_TO_DIFFERENT_CUSTOMER,
        );
    }
    let paypal = matches!(instrument, Instrument::PayPal(_));
    let (scope, taken): (&[&'static str], Code) = if paypal {
        (&["paypal_account"], paypal_codes::TOKEN_IS_IN_USE)
    } else {
        (IN_PAYMENT_METHOD.card, card_codes::TOKEN_IS_IN_USE)
    };
    if let Field::Set(token) = &p.token
        && id_form(token, &TOKEN_RULES, scope, &mut errors)
        && vault.token_exists(token)
    {
        errors.add(scope, taken);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    if let Some(key) = single_use_key {
        vault.consume_nonce(&key);
    }
    let token = p
        .token
        .value()
        .cloned()
        .unwrap_or_else(|| vault.new_token());
    vault.insert_payment_method(PaymentMethod {
        token: token.clone(),
        customer_id: customer_id.to_string(),
        instrument,
        created_at: now,
        updated_at: now,
    });
    if p.options.make_default == Some(true)
        && let Some(customer) = vault.customer_mut(customer_id)
    {
        customer.default_payment_method = Some(token.clone());
    }
    Ok(token)
}

/// `POST /merchants/{merchant_id}/payment_methods` (body `<payment_method>`, or
/// `<credit_card>` from `credit_card.create`): 201 with the payment method under its
/// type's root, or 422.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(merchant_id): Path<String>,
    body: Body,
) -> Response {
    let (tree, p) = match read_params_any(&body, &["payment_method", "credit_card"], params::card) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let now = gateway.now();
    let mut vault = gateway.lock();
    match create(&mut vault, &p, now) {
        Err(rejection) => unprocessable(&rejection, tree, &[("merchant_id", &merchant_id)]),
        Ok(token) => match answer_tree(&vault, &token, now) {
            Some(tree) => xml_answer(StatusCode::CREATED, &tree),
            None => empty(StatusCode::INTERNAL_SERVER_ERROR),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::braintree::customer;
    use crate::sandbox::braintree::params::{AddressParams, CardOptions, CustomerParams};

    fn some(s: &str) -> Field<String> {
        Field::Set(s.to_string())
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
        let card = vault.payment_method(token)?.instrument.card()?;
        card.billing_address_id.clone()
    }

    #[test]
    fn unknown_token_is_none() {
        let mut vault = Vault::default();
        assert!(matches!(
            update(&mut vault, "nope", &CardParams::default(), Timestamp(1)),
            Err(Refusal::NotFound)
        ));
    }

    #[test]
    fn shared_address_updated_in_place_and_new_address_otherwise() {
        let mut vault = Vault::default();
        customer_with_card(&mut vault, "c1", "a", "4111111111111111");
        add_card(&mut vault, "c1", "b", "5105105105105100");
        let shared = billing_of(&vault, "a").unwrap();
        let link = CardParams {
            billing_address_id: Field::Set(shared.clone()),
            ..CardParams::default()
        };
        update(&mut vault, "b", &link, Timestamp(1)).unwrap();
        assert_eq!(billing_of(&vault, "b"), Some(shared.clone()));

        let in_place = CardParams {
            billing_address: Some(AddressParams {
                street_address: some("100 Maple Lane"),
                update_existing: Some(true),
                ..AddressParams::default()
            }),
            ..CardParams::default()
        };
        update(&mut vault, "a", &in_place, Timestamp(2)).unwrap();
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
        update(&mut vault, "a", &new, Timestamp(3)).unwrap();
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
        assert_eq!(update(&mut vault, "b", &p, Timestamp(1)).unwrap(), "b2");
        assert!(vault.payment_method("b").is_none());
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.default_payment_method.as_deref(), Some("b2"));
        assert_eq!(customer.payment_methods, ["a", "b2"]);

        let taken = CardParams {
            token: some("a"),
            ..CardParams::default()
        };
        let Err(Refusal::Rejected(errors)) = update(&mut vault, "b2", &taken, Timestamp(2)) else {
            panic!("refused");
        };
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
        let codes = |vault: &mut Vault, p: &CardParams| match update(vault, "b", p, Timestamp(1)) {
            Err(Refusal::Rejected(e)) => e.codes(),
            _ => Vec::new(),
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
            cardholder_name: Field::Set("x".repeat(176)),
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
