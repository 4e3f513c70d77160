//! Credit cards sent inside a customer request: validation, then changes to the vault.
//!
//! [`plan`] checks a `<credit-card>` and reports every error; only when a request has
//! no errors at all does [`verify`] run the verification asked for, and only when that
//! passes does [`apply`] write the plan, so a failed request changes nothing.
//!
//! A `payment_method_nonce` for a card supplies the number, expiration and cardholder
//! name; fields sent explicitly take precedence over the nonce's.

use super::address;
use super::errors::{
    Rejection, ValidationErrors, credit_card as codes, customer as customer_codes,
};
use super::nonce::{self, Content, NonceCard};
use super::params::{AddressParams, CardOptions, CardParams};
use super::validation::{IdRules, id_form, max_len};
use super::vault::{
    Address, Card, Customer, Instrument, NonceDefaults, PaymentMethod, ThreeDSecure, Vault,
    Verification, VerificationStatus,
};
use super::{render, three_d_secure, verification};
use crate::sandbox::card::{self, Brand, Kept, Number, NumberError};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;

/// Where a card's errors are reported (the card itself, its options, its billing
/// address), and which nonces the request may redeem.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scopes {
    pub card: &'static [&'static str],
    pub options: &'static [&'static str],
    pub billing: &'static [&'static str],
    /// A payment method update refuses every nonce made from a vaulted payment method
    /// (91735); a customer update refuses only another customer's (91617).
    pub in_payment_method: bool,
}

/// A `<credit-card>` inside a customer request.
pub(super) const IN_CUSTOMER: Scopes = Scopes {
    card: &["customer", "credit_card"],
    options: &["customer", "credit_card", "options"],
    billing: &["customer", "credit_card", "billing_address"],
    in_payment_method: false,
};

/// A card changed by a payment method request: Braintree scopes its errors under
/// `credit_card`.
pub(super) const IN_PAYMENT_METHOD: Scopes = Scopes {
    card: &["credit_card"],
    options: &["credit_card", "options"],
    billing: &["credit_card", "billing_address"],
    in_payment_method: true,
};

/// A card created by Payment Method: Create (or Credit Card: Create): errors under
/// `credit_card`, as for an update, but any nonce that is not another customer's is
/// redeemable.
pub(super) const IN_PAYMENT_METHOD_CREATE: Scopes = Scopes {
    in_payment_method: false,
    ..IN_PAYMENT_METHOD
};

/// A payment method token's form: the card token codes.
pub(super) const TOKEN_RULES: IdRules = IdRules {
    too_long: codes::TOKEN_IS_TOO_LONG,
    invalid: codes::TOKEN_FORMAT_IS_INVALID,
    not_allowed: codes::TOKEN_IS_NOT_ALLOWED,
};

/// Checks a card number: 12-19 digits (spaces and dashes are ignored), then Luhn.
pub(super) fn check_number(vault: &Vault, number: &str) -> Result<Kept, super::errors::Code> {
    let digits: String = number.chars().filter(|c| *c != ' ' && *c != '-').collect();
    match Number::parse(&digits) {
        Ok(number) => Ok(number.keep(vault.fingerprints())),
        Err(NumberError::Length) => Err(codes::NUMBER_LENGTH_IS_INVALID),
        Err(NumberError::Luhn) => Err(codes::NUMBER_IS_INVALID),
    }
}

/// A month, `1`-`12`, as two digits.
fn month(text: &str) -> Option<String> {
    card::month(text.trim()).map(|n| format!("{n:02}"))
}

/// A year of two (20YY) or four digits, as four digits; Braintree takes 1900-2199.
fn year(text: &str) -> Option<String> {
    card::year(text.trim())
        .filter(|y| (1900..2200).contains(y))
        .map(|y| y.to_string())
}

/// The month and year sent, checked: from `expiration_date` (`MM/YY` or `MM/YYYY`)
/// or from `expiration_month` and `expiration_year`.
fn expiration(
    p: &CardParams,
    scope: &[&'static str],
    errors: &mut ValidationErrors,
) -> (Option<String>, Option<String>) {
    let sent = |f: &Field<String>| f.value().cloned();
    let (date, m, y) = (
        sent(&p.expiration_date),
        sent(&p.expiration_month),
        sent(&p.expiration_year),
    );
    if date.is_some() && (m.is_some() || y.is_some()) {
        errors.add(scope, codes::EXPIRATION_DATE_CONFLICT);
        return (None, None);
    }
    if let Some(date) = date {
        let Some((m, y)) = date.split_once('/') else {
            errors.add(scope, codes::EXPIRATION_DATE_IS_INVALID);
            return (None, None);
        };
        let (month, year) = (month(m), year(y));
        if month.is_none() || year.is_none() {
            errors.add(scope, codes::EXPIRATION_DATE_IS_INVALID);
        }
        return (month, year);
    }
    let month = m.map(|m| month(&m).ok_or(()));
    let year = y.map(|y| year(&y).ok_or(()));
    if matches!(month, Some(Err(()))) {
        errors.add(scope, codes::EXPIRATION_MONTH_IS_INVALID);
    }
    if matches!(year, Some(Err(()))) {
        errors.add(scope, codes::EXPIRATION_YEAR_IS_INVALID);
    }
    (month.and_then(Result::ok), year.and_then(Result::ok))
}

/// What a request does with a card's billing address.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Billing {
    /// Leave it as it is.
    Keep,
    /// Point at an address the customer already has.
    Link(String),
    /// Change the card's current billing address in place.
    UpdateExisting(String, AddressParams),
    /// Create a new customer address and make it the card's billing address.
    New(AddressParams),
}

/// A checked card change, ready to verify and apply.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CardPlan {
    /// `Some(token)` to change that card, `None` to add a card.
    pub existing: Option<String>,
    pub token: Option<String>,
    pub cardholder_name: Field<String>,
    pub number: Option<Kept>,
    pub expiration_month: Option<String>,
    pub expiration_year: Option<String>,
    pub make_default: bool,
    pub billing: Billing,
    /// A single-use nonce to use up when the plan is applied.
    pub consume_nonce: Option<String>,
    /// The verification to run before applying, when `verify_card` is set.
    pub verification: Option<verification::Request>,
}

impl CardPlan {
    /// How many customer addresses applying this plan adds.
    pub(super) fn new_addresses(&self) -> usize {
        usize::from(matches!(self.billing, Billing::New(_)))
    }
}

/// Redeems the card nonce of a card request. A nonce for another payment method type
/// is refused (only cards are updated or added through `<credit-card>`).
fn card_nonce(
    vault: &Vault,
    customer: Option<&Customer>,
    key: &str,
    scopes: Scopes,
    now: Timestamp,
    errors: &mut ValidationErrors,
) -> Option<(NonceCard, Option<String>)> {
    let redeemable = match nonce::resolve(vault, key, now) {
        Ok(redeemable) => redeemable,
        Err(code) => {
            errors.add(scopes.card, code);
            return None;
        }
    };
    if let Some(owner) = &redeemable.customer_id {
        if scopes.in_payment_method {
            errors.add(
                scopes.card,
                codes::CANNOT_UPDATE_CARD_USING_PAYMENT_METHOD_NONCE,
            );
            return None;
        }
        if customer.is_none_or(|c| &c.id != owner) {
            errors.add(
                &scopes.card[..1],
                customer_codes::VAULTED_PAYMENT_INSTRUMENT_NONCE_BELONGS_TO_DIFFERENT_CUSTOMER,
            );
            return None;
        }
    }
    match redeemable.content {
        Content::Card(card) => Some((card, redeemable.single_use_key)),
        Content::Other(_) => {
            errors.add(scopes.card, codes::PAYMENT_METHOD_IS_NOT_A_CREDIT_CARD);
            None
        }
    }
}

/// Whether another stored card than `token` has the number of `facts`; with
/// `customer_id`, only that customer's cards count.
fn duplicate_exists(
    vault: &Vault,
    token: Option<&str>,
    facts: &Kept,
    customer_id: Option<&str>,
) -> bool {
    vault.payment_methods().any(|pm| {
        pm.instrument.card().is_some_and(|card| {
            Some(pm.token.as_str()) != token
                && customer_id.is_none_or(|id| pm.customer_id == id)
                && !card.fingerprint.is_empty()
                && card.fingerprint == facts.fingerprint
        })
    })
}

/// Checks a `<credit-card>` at `now` (nonces expire). `customer` is the stored customer
/// on update, `None` on create.
pub(super) fn plan(
    vault: &Vault,
    customer: Option<&Customer>,
    p: &CardParams,
    scopes: Scopes,
    now: Timestamp,
    errors: &mut ValidationErrors,
) -> CardPlan {
    let owned_by_customer = |token: &str| {
        customer.is_some_and(|c| {
            vault
                .payment_method(token)
                .is_some_and(|pm| pm.customer_id == c.id && pm.instrument.card().is_some())
        })
    };
    let existing = match &p.options.update_existing_token {
        Field::Set(token) if owned_by_customer(token) => Some(token.clone()),
        Field::Set(_) => {
            errors.add(
                scopes.options,
                codes::options::UPDATE_EXISTING_TOKEN_IS_INVALID,
            );
            None
        }
        _ => None,
    };
    let existing_card = existing
        .as_deref()
        .and_then(|t| vault.payment_method(t))
        .and_then(|pm| pm.instrument.card());
    let updating = p.options.update_existing_token.is_set();

    let (from_nonce, consume_nonce) = match &p.payment_method_nonce {
        Field::Set(key) => card_nonce(vault, customer, key, scopes, now, errors).unzip(),
        _ => (None, None),
    };
    let consume_nonce = consume_nonce.flatten();
    // A nonce tokenized with a client token brings that token's options; what the
    // request sets itself wins.
    let options = with_defaults(&p.options, from_nonce.as_ref().map(|c| c.defaults));
    // A nonce that could not be redeemed has its own error; the card fields it would
    // have supplied are not reported missing as well.
    let nonce_failed = p.payment_method_nonce.is_set() && from_nonce.is_none();

    let token = match &p.token {
        Field::Set(token) => {
            if id_form(token, &TOKEN_RULES, scopes.card, errors)
                && existing.as_deref() != Some(token.as_str())
                && vault.token_exists(token)
            {
                errors.add(scopes.card, codes::TOKEN_IS_IN_USE);
            }
            Some(token.clone())
        }
        _ => None,
    };
    max_len(
        &p.cardholder_name,
        175,
        scopes.card,
        codes::CARDHOLDER_NAME_IS_TOO_LONG,
        errors,
    );
    let nonce_name = from_nonce.as_ref().and_then(|c| c.cardholder_name.clone());
    let cardholder_name = match (&p.cardholder_name, nonce_name) {
        (Field::Absent, Some(name)) => Field::Set(name),
        (sent, _) => sent.clone(),
    };

    let number = match &p.number {
        Field::Set(number) => check_number(vault, number)
            .map_err(|code| errors.add(scopes.card, code))
            .ok(),
        _ => {
            if !updating && from_nonce.is_none() && !nonce_failed {
                errors.add(scopes.card, codes::NUMBER_IS_REQUIRED);
            }
            from_nonce.as_ref().map(|card| card.facts.clone())
        }
    };
    let brand = number
        .as_ref()
        .map(|n| n.brand)
        .or(existing_card.map(|c| c.brand));
    if let Field::Set(cvv) = &p.cvv {
        let valid_lengths: &[usize] = match brand {
            Some(Brand::AmericanExpress) => &[4],
            Some(Brand::Unknown) | None => &[3, 4],
            Some(_) => &[3],
        };
        if !cvv.bytes().all(|b| b.is_ascii_digit()) || !valid_lengths.contains(&cvv.len()) {
            errors.add(scopes.card, codes::CVV_IS_INVALID);
        }
    }

    let before = errors.len();
    let (mut expiration_month, mut expiration_year) = expiration(p, scopes.card, errors);
    let expiration_failed = errors.len() > before;
    if let Some(card) = &from_nonce
        && !expiration_failed
        && expiration_month.is_none()
        && expiration_year.is_none()
    {
        expiration_month = Some(card.expiration_month.clone());
        expiration_year = Some(card.expiration_year.clone());
    }
    if !updating
        && from_nonce.is_none()
        && !nonce_failed
        && !expiration_failed
        && (expiration_month.is_none() || expiration_year.is_none())
    {
        errors.add(scopes.card, codes::EXPIRATION_DATE_IS_REQUIRED);
    }

    let billing_address_id = p.billing_address_id.value().cloned();
    let billing = match (&p.billing_address, billing_address_id) {
        (Some(_), Some(_)) => {
            errors.add(scopes.card, codes::BILLING_ADDRESS_CONFLICT);
            Billing::Keep
        }
        (None, Some(id)) => {
            let owned = customer.is_some_and(|c| c.addresses.contains(&id));
            if !owned {
                errors.add(scopes.card, codes::BILLING_ADDRESS_ID_IS_INVALID);
            }
            Billing::Link(id)
        }
        (Some(params), None) => {
            address::validate(params, scopes.billing, errors);
            let current = existing_card.and_then(|c| c.billing_address_id.clone());
            match current {
                Some(id) if params.update_existing == Some(true) => {
                    Billing::UpdateExisting(id, params.clone())
                }
                _ if params.has_content() => Billing::New(params.clone()),
                _ => Billing::Keep,
            }
        }
        (None, None) => Billing::Keep,
    };

    if let Some(facts) = &number {
        let own = existing.as_deref();
        if options.fail_on_duplicate_payment_method == Some(true)
            && duplicate_exists(vault, own, facts, None)
        {
            errors.add(scopes.card, codes::DUPLICATE_CARD_EXISTS);
        }
        if options.fail_on_duplicate_payment_method_for_customer == Some(true)
            && let Some(customer) = customer
            && duplicate_exists(vault, own, facts, Some(&customer.id))
        {
            errors.add(scopes.card, codes::DUPLICATE_CARD_EXISTS_FOR_CUSTOMER);
        }
    }

    let three_d_secure: Option<ThreeDSecure> = p
        .three_d_secure_pass_thru
        .as_ref()
        .map(|tds| three_d_secure::check(tds, brand, errors));
    let verification = verification::check_options(&options, scopes.options, errors).map(
        |(merchant_account, amount)| {
            let address = billing_fields(vault, existing_card, &billing);
            verification::Request {
                amount,
                merchant_account,
                three_d_secure,
                cvv_sent: p.cvv.is_set(),
                postal_code_known: address.0,
                street_address_known: address.1,
            }
        },
    );

    CardPlan {
        existing,
        token,
        cardholder_name,
        number,
        expiration_month,
        expiration_year,
        make_default: options.make_default == Some(true),
        billing,
        consume_nonce,
        verification,
    }
}

/// The request's card options, with a client token's options filling those it leaves
/// unset.
fn with_defaults(options: &CardOptions, defaults: Option<NonceDefaults>) -> CardOptions {
    let mut options = options.clone();
    if let Some(d) = defaults {
        options.make_default = options.make_default.or(d.make_default);
        options.verify_card = options.verify_card.or(d.verify_card);
        options.fail_on_duplicate_payment_method = options
            .fail_on_duplicate_payment_method
            .or(d.fail_on_duplicate_payment_method);
        options.fail_on_duplicate_payment_method_for_customer = options
            .fail_on_duplicate_payment_method_for_customer
            .or(d.fail_on_duplicate_payment_method_for_customer);
    }
    options
}

/// Whether the card will bill to an address with a postal code, and with a street.
fn billing_fields(vault: &Vault, existing: Option<&Card>, billing: &Billing) -> (bool, bool) {
    let stored = |id: &str| {
        vault.address(id).map_or((false, false), |a| {
            (a.postal_code.is_some(), a.street_address.is_some())
        })
    };
    match billing {
        Billing::Keep => existing
            .and_then(|c| c.billing_address_id.as_deref())
            .map_or((false, false), stored),
        Billing::Link(id) => stored(id),
        Billing::UpdateExisting(id, p) => {
            let (postal, street) = stored(id);
            (
                postal || p.postal_code.is_set(),
                street || p.street_address.is_set(),
            )
        }
        Billing::New(p) => (p.postal_code.is_set(), p.street_address.is_set()),
    }
}

/// The card as the plan leaves it (without a new billing address id, which only
/// [`apply`] creates).
pub(super) fn resulting_card(vault: &Vault, plan: &CardPlan) -> Card {
    let mut card = plan
        .existing
        .as_deref()
        .and_then(|t| vault.payment_method(t))
        .and_then(|pm| pm.instrument.card())
        .cloned()
        .unwrap_or(Card {
            brand: Brand::Unknown,
            bin: String::new(),
            last_4: String::new(),
            fingerprint: String::new(),
            cardholder_name: None,
            expiration_month: String::new(),
            expiration_year: String::new(),
            billing_address_id: None,
            verifications: Vec::new(),
        });
    if let Some(facts) = &plan.number {
        card.brand = facts.brand;
        card.bin.clone_from(&facts.bin);
        card.last_4.clone_from(&facts.last_4);
        card.fingerprint.clone_from(&facts.fingerprint);
    }
    plan.cardholder_name
        .apply_optional(&mut card.cardholder_name);
    if let Some(month) = &plan.expiration_month {
        card.expiration_month.clone_from(month);
    }
    if let Some(year) = &plan.expiration_year {
        card.expiration_year.clone_from(year);
    }
    if let Billing::Link(id) = &plan.billing {
        card.billing_address_id = Some(id.clone());
    }
    card
}

/// Runs the verification the plan asks for. A declined or failed verification is the
/// request's [`Rejection`]; a successful one is returned for [`apply`] to keep.
pub(super) fn verify(
    vault: &Vault,
    plan: &CardPlan,
    now: Timestamp,
) -> Result<Option<Verification>, Rejection> {
    let Some(request) = &plan.verification else {
        return Ok(None);
    };
    let card = resulting_card(vault, plan);
    let outcome = verification::run(vault, request, &card, now);
    if outcome.status == VerificationStatus::Verified {
        return Ok(Some(outcome));
    }
    Err(Rejection::Declined {
        message: outcome.processor_response_text.clone(),
        verification: render::verification(&outcome, &card, plan.existing.as_deref()),
    })
}

/// Writes a checked (and verified) plan for the customer `customer_id` (which exists)
/// and returns the card's token.
pub(super) fn apply(
    vault: &mut Vault,
    customer_id: &str,
    plan: CardPlan,
    verification: Option<Verification>,
    now: Timestamp,
) -> String {
    let mut card = resulting_card(vault, &plan);
    match &plan.billing {
        Billing::Keep | Billing::Link(_) => {}
        Billing::UpdateExisting(id, params) => {
            if let Some(address) = vault.address_mut(id) {
                address::apply(address, params, now);
            }
        }
        Billing::New(params) => {
            card.billing_address_id = Some(address::create(vault, customer_id, params, now));
        }
    }
    card.verifications.extend(verification);
    if let Some(key) = &plan.consume_nonce {
        vault.consume_nonce(key);
    }
    let token = match plan.existing {
        Some(old) => {
            let token = plan.token.unwrap_or_else(|| old.clone());
            vault.rename_payment_method(&old, &token);
            if let Some(pm) = vault.payment_method_mut(&token) {
                pm.updated_at = now;
                pm.instrument = Instrument::Card(card);
            }
            token
        }
        None => {
            let token = plan.token.unwrap_or_else(|| vault.new_token());
            vault.insert_payment_method(PaymentMethod {
                token: token.clone(),
                customer_id: customer_id.to_string(),
                instrument: Instrument::Card(card),
                created_at: now,
                updated_at: now,
            });
            token
        }
    };
    if plan.make_default
        && let Some(customer) = vault.customer_mut(customer_id)
    {
        customer.default_payment_method = Some(token.clone());
    }
    token
}

/// The address a card bills to, if any.
pub(super) fn billing_address<'v>(vault: &'v Vault, card: &Card) -> Option<&'v Address> {
    card.billing_address_id
        .as_deref()
        .and_then(|id| vault.address(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let vault = Vault::default();
        let facts = check_number(&vault, "4111 1111 1111 1111").unwrap();
        assert_eq!(
            (facts.bin.as_str(), facts.last_4.as_str()),
            ("411111", "1111")
        );
        assert_eq!(
            check_number(&vault, "4111111111111112"),
            Err(codes::NUMBER_IS_INVALID)
        );
        assert_eq!(
            check_number(&vault, "invalid"),
            Err(codes::NUMBER_LENGTH_IS_INVALID)
        );
        assert_eq!(
            check_number(&vault, "41111111111"),
            Err(codes::NUMBER_LENGTH_IS_INVALID)
        );
        assert_eq!(
            check_number(&vault, "٤١١١١١١١١١١١١١١١"),
            Err(codes::NUMBER_LENGTH_IS_INVALID)
        );
    }

    fn card_params(date: Option<&str>, m: Option<&str>, y: Option<&str>) -> CardParams {
        CardParams {
            number: Field::Set("4111111111111111".into()),
            expiration_date: date.map_or(Field::Absent, |d| Field::Set(d.into())),
            expiration_month: m.map_or(Field::Absent, |d| Field::Set(d.into())),
            expiration_year: y.map_or(Field::Absent, |d| Field::Set(d.into())),
            ..CardParams::default()
        }
    }

    #[test]
    fn expirations() {
        let vault = Vault::default();
        let check = |p: CardParams| {
            let mut errors = ValidationErrors::default();
            let plan = plan(&vault, None, &p, IN_CUSTOMER, Timestamp(0), &mut errors);
            (errors.codes(), plan.expiration_month, plan.expiration_year)
        };
        let ok = |m: &str, y: &str| (vec![], Some(m.to_string()), Some(y.to_string()));
        assert_eq!(
            check(card_params(Some("05/2030"), None, None)),
            ok("05", "2030")
        );
        assert_eq!(
            check(card_params(Some("8/12"), None, None)),
            ok("08", "2012")
        );
        assert_eq!(
            check(card_params(None, Some("11"), Some("2031"))),
            ok("11", "2031")
        );
        assert_eq!(check(card_params(Some("13/2030"), None, None)).0, ["81710"]);
        assert_eq!(check(card_params(Some("05-2030"), None, None)).0, ["81710"]);
        assert_eq!(
            check(card_params(Some("05/2030"), Some("05"), None)).0,
            ["91708"]
        );
        assert_eq!(
            check(card_params(None, Some("13"), Some("30"))).0,
            ["81712"]
        );
        assert_eq!(
            check(card_params(None, Some("12"), Some("203"))).0,
            ["81713"]
        );
        assert_eq!(check(card_params(None, None, None)).0, ["81709"]);
        assert_eq!(check(card_params(None, Some("12"), None)).0, ["81709"]);
    }

    #[test]
    fn new_card_reports_everything_at_once() {
        let vault = Vault::default();
        let p = CardParams {
            token: Field::Set("bad token".into()),
            cardholder_name: Field::Set("x".repeat(176)),
            cvv: Field::Set("12".into()),
            billing_address: Some(AddressParams {
                street_address: Field::Set("x".repeat(256)),
                ..AddressParams::default()
            }),
            ..CardParams::default()
        };
        let mut errors = ValidationErrors::default();
        plan(&vault, None, &p, IN_CUSTOMER, Timestamp(0), &mut errors);
        assert_eq!(
            errors.codes(),
            ["91718", "81723", "81714", "81707", "81709", "81812"]
        );
    }
}
