//! The rules of `payment_method[...]`: its type, the gateway account it goes to, its
//! reference or single-use token, and what gets stored.

use serde_json::Value;

use super::accounts::{self, Account, GATEWAYS};
use super::errors::ApiError;
use super::params::PaymentMethodParams;
use super::reference::{self, VaultCard};
use crate::sandbox::{countries, ids};

/// The payment method types Chargebee lists for `payment_method[type]`.
pub(super) const TYPES: [&str; 34] = [
    "card",
    "paypal_express_checkout",
    "amazon_payments",
    "direct_debit",
    "generic",
    "alipay",
    "unionpay",
    "apple_pay",
    "wechat_pay",
    "ideal",
    "google_pay",
    "sofort",
    "bancontact",
    "giropay",
    "dotpay",
    "upi",
    "netbanking_emandates",
    "venmo",
    "pay_to",
    "faster_payments",
    "sepa_instant_transfer",
    "automated_bank_transfer",
    "klarna_pay_now",
    "online_banking_poland",
    "payconiq_by_bancontact",
    "electronic_payment_standard",
    "kbc_payment_button",
    "pay_by_bank",
    "trustly",
    "stablecoin",
    "kakao_pay",
    "naver_pay",
    "revolut_pay",
    "cash_app_pay",
];

/// Whether the call verifies cards (when the account has verification on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verification {
    /// "Update payment method": card verification does not happen.
    Skip,
    /// Calls that verify cards on accounts that ask for it (customer create).
    PerAccount,
}

/// A payment method as stored on a customer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PaymentMethod {
    pub kind: String,
    pub gateway: &'static str,
    pub gateway_account_id: &'static str,
    pub reference_id: String,
    pub issuing_country: Option<String>,
    pub additional_information: Option<Value>,
    /// The card the reference points to, for cards.
    pub card: Option<VaultCard>,
}

const TYPE: &str = "payment_method[type]";
const REFERENCE: &str = "payment_method[reference_id]";
const TOKEN: &str = "payment_method[tmp_token]";

/// Applies the rules and returns what to store, or the first error.
pub(super) fn resolve(
    params: &PaymentMethodParams,
    verification: Verification,
) -> Result<PaymentMethod, ApiError> {
    let kind = params
        .kind
        .as_deref()
        .ok_or_else(|| ApiError::blank(TYPE))?;
    if !TYPES.contains(&kind) {
        return Err(ApiError::invalid(TYPE, format!("invalid value {kind}")));
    }
    if let Some(g) = params.gateway.as_deref()
        && !GATEWAYS.contains(&g)
    {
        return Err(ApiError::invalid(
            "payment_method[gateway]",
            format!("invalid value {g}"),
        ));
    }
    let account = accounts::choose(
        kind,
        params.gateway.as_deref(),
        params.gateway_account_id.as_deref(),
    )?;
    let reference_id = reference_or_token(kind, account, params)?;
    if let Some(country) = params.issuing_country.as_deref()
        && !countries::is_alpha2(country)
    {
        return Err(ApiError::invalid(
            "payment_method[issuing_country]",
            format!("{country} is not a valid ISO 3166 alpha-2 country code"),
        ));
    }
    let card = (kind == "card").then(|| reference::card(&reference_id));
    if verification == Verification::PerAccount
        && account.verifies_cards
        && card.as_ref().is_some_and(|c| c.declines_verification)
    {
        return Err(ApiError::verification_failed(format!(
            "Payment method verification failed at {}: (card_declined) Your card was declined.",
            account.gateway
        )));
    }
    Ok(PaymentMethod {
        kind: kind.to_string(),
        gateway: account.gateway,
        gateway_account_id: account.id,
        reference_id,
        issuing_country: params.issuing_country.clone(),
        additional_information: params.additional_information.clone(),
        card,
    })
}

/// The reference to store: the given `reference_id`, or what the gateway makes of a
/// single-use `tmp_token` (which may be passed only when `reference_id` is not).
fn reference_or_token(
    kind: &str,
    account: &Account,
    params: &PaymentMethodParams,
) -> Result<String, ApiError> {
    let takes_token = match kind {
        // Single-use card tokens go through "Update card for a customer".
        "card" | "amazon_payments" => false,
        // A billing agreement id, unless Braintree makes one from a PayPal nonce.
        "paypal_express_checkout" => account.gateway == "braintree",
        _ => true,
    };
    match (params.reference_id.as_deref(), params.tmp_token.as_deref()) {
        (Some(_), Some(_)) => Err(ApiError::not_allowed(
            TOKEN,
            "should be passed only if reference_id is not passed",
        )),
        (None, Some(_)) if !takes_token => Err(ApiError::not_allowed(
            TOKEN,
            format!("is not supported for {kind}; pass reference_id"),
        )),
        (None, None) => Err(ApiError::blank(REFERENCE)),
        (Some(reference), None) => match reference::check(kind, account, reference) {
            None => Ok(reference.to_string()),
            Some(shape) => Err(ApiError::invalid(
                REFERENCE,
                format!(
                    "invalid reference id for {}; expected {shape}",
                    account.gateway
                ),
            )),
        },
        (None, Some(token)) => exchange(kind, account, token),
    }
}

/// What the gateway returns for a single-use token: a permanent reference.
fn exchange(kind: &str, account: &Account, token: &str) -> Result<String, ApiError> {
    match (account.gateway, kind) {
        ("stripe", "direct_debit") if !token.starts_with("btok_") => Err(ApiError::invalid(
            TOKEN,
            "invalid token for stripe; expected a bank account token (btok_…)",
        )),
        ("stripe", "direct_debit") => Ok(format!(
            "cus_{}/ba_{}",
            ids::alphanumeric(14),
            ids::alphanumeric(24)
        )),
        ("stripe", _) => Ok(format!(
            "cus_{}/src_{}",
            ids::alphanumeric(14),
            ids::alphanumeric(24)
        )),
        ("authorize_net", _) => Ok(format!("{}/{}", ids::digits(9), ids::digits(9))),
        ("gocardless", _) => Ok(format!("MD{}", ids::alphanumeric(12).to_ascii_uppercase())),
        _ => Ok(format!(
            "{}/{}",
            ids::digits(8),
            ids::alphanumeric(6).to_ascii_lowercase()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(pairs: &[(&str, &str)]) -> PaymentMethodParams {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        PaymentMethodParams {
            kind: get("type"),
            gateway: get("gateway"),
            gateway_account_id: get("gateway_account_id"),
            reference_id: get("reference_id"),
            tmp_token: get("tmp_token"),
            issuing_country: get("issuing_country"),
            additional_information: None,
        }
    }

    fn error(pairs: &[(&str, &str)]) -> (String, String) {
        let e = resolve(&pm(pairs), Verification::Skip).unwrap_err();
        (e.param.unwrap_or_default(), e.error_code.to_string())
    }

    #[test]
    fn card_on_default_gateway() {
        let m = resolve(
            &pm(&[("type", "card"), ("reference_id", "cus_1/card_2")]),
            Verification::Skip,
        )
        .unwrap();
        assert_eq!((m.gateway, m.gateway_account_id), ("stripe", "gw_stripe"));
        assert_eq!(m.card.map(|c| c.last4), Some("1111"));
    }

    #[test]
    fn rules() {
        assert_eq!(error(&[]).0, TYPE);
        assert_eq!(error(&[("type", "cheque")]).0, TYPE);
        assert_eq!(error(&[("type", "card")]).0, REFERENCE);
        assert_eq!(
            error(&[("type", "card"), ("tmp_token", "tok_visa")]).0,
            TOKEN
        );
        assert_eq!(
            error(&[
                ("type", "direct_debit"),
                ("reference_id", "MD0001"),
                ("tmp_token", "x")
            ])
            .0,
            TOKEN
        );
        assert_eq!(
            error(&[
                ("type", "card"),
                ("reference_id", "cus_1"),
                ("issuing_country", "XX")
            ])
            .0,
            "payment_method[issuing_country]"
        );
        assert_eq!(
            error(&[("type", "card"), ("gateway", "acme"), ("reference_id", "x")]).0,
            "payment_method[gateway]"
        );
    }

    #[test]
    fn tokens_become_references() {
        let m = resolve(
            &pm(&[
                ("type", "direct_debit"),
                ("gateway", "stripe"),
                ("tmp_token", "btok_1"),
            ]),
            Verification::Skip,
        )
        .unwrap();
        assert!(m.reference_id.starts_with("cus_") && m.reference_id.contains("/ba_"));
        assert!(
            reference::check("direct_debit", &accounts::ACCOUNTS[0], &m.reference_id).is_none()
        );
    }

    #[test]
    fn verification_only_when_asked() {
        let params = pm(&[
            ("type", "card"),
            ("gateway", "braintree"),
            ("reference_id", "c1/declined"),
        ]);
        assert!(resolve(&params, Verification::Skip).is_ok());
        let e = resolve(&params, Verification::PerAccount).unwrap_err();
        assert_eq!(e.api_error_code, "payment_method_verification_failed");
    }
}
