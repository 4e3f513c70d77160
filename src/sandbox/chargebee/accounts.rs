//! The sandbox site's gateway accounts, and how a payment method picks one.
//!
//! | `gateway_account_id` | `gateway` | payment method types | notes |
//! |---|---|---|---|
//! | `gw_stripe` | `stripe` | card, direct_debit, ideal, sofort, giropay, bancontact, alipay, wechat_pay, apple_pay, google_pay | the site's default gateway (cards) |
//! | `gw_braintree` | `braintree` | card, paypal_express_checkout, venmo, apple_pay, google_pay | card verification on |
//! | `gw_authorize_net` | `authorize_net` | card, direct_debit | |
//! | `gw_gocardless` | `gocardless` | direct_debit | the site's direct debit gateway |
//! | `gw_spreedly` | `worldpay` | card | cards kept in the Spreedly vault |
//! | `gw_paypal` | `paypal_express_checkout` | paypal_express_checkout | |
//! | `gw_amazon` | `amazon_payments` | amazon_payments | |
//!
//! Without `gateway` or `gateway_account_id`, a card goes to the default gateway, a
//! direct debit to the direct debit gateway, PayPal Express Checkout to `gw_paypal`, and
//! any other type to the first account above that takes it. With `gateway` alone, the
//! first account of that gateway that takes the type.

use super::errors::ApiError;

/// Where an account keeps the payment details its references point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vault {
    /// The gateway's own vault.
    Gateway,
    /// Spreedly's card vault, in front of the gateway.
    Spreedly,
}

/// One gateway account configured on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Account {
    /// `gateway_account_id`.
    pub id: &'static str,
    /// The gateway, as the `gateway` parameter names it.
    pub gateway: &'static str,
    /// The payment method types it takes.
    pub types: &'static [&'static str],
    /// Where references point.
    pub vault: Vault,
    /// Whether cards added through calls that verify are verified on this account.
    pub verifies_cards: bool,
}

/// Every account of the site, in the order the table above lists them.
pub(super) const ACCOUNTS: [Account; 7] = [
    Account {
        id: "gw_stripe",
        gateway: "stripe",
        types: &[
            "card",
            "direct_debit",
            "ideal",
            "sofort",
            "giropay",
            "bancontact",
            "alipay",
            "wechat_pay",
            "apple_pay",
            "google_pay",
        ],
        vault: Vault::Gateway,
        verifies_cards: false,
    },
    Account {
        id: "gw_braintree",
        gateway: "braintree",
        types: &[
            "card",
            "paypal_express_checkout",
            "venmo",
            "apple_pay",
            "google_pay",
        ],
        vault: Vault::Gateway,
        verifies_cards: true,
    },
    Account {
        id: "gw_authorize_net",
        gateway: "authorize_net",
        types: &["card", "direct_debit"],
        vault: Vault::Gateway,
        verifies_cards: false,
    },
    Account {
        id: "gw_gocardless",
        gateway: "gocardless",
        types: &["direct_debit"],
        vault: Vault::Gateway,
        verifies_cards: false,
    },
    Account {
        id: "gw_spreedly",
        gateway: "worldpay",
        types: &["card"],
        vault: Vault::Spreedly,
        verifies_cards: false,
    },
    Account {
        id: "gw_paypal",
        gateway: "paypal_express_checkout",
        types: &["paypal_express_checkout"],
        vault: Vault::Gateway,
        verifies_cards: false,
    },
    Account {
        id: "gw_amazon",
        gateway: "amazon_payments",
        types: &["amazon_payments"],
        vault: Vault::Gateway,
        verifies_cards: false,
    },
];

/// The site's default gateway account (cards).
pub(super) const DEFAULT_ACCOUNT: &str = "gw_stripe";
/// The site's direct debit gateway account.
pub(super) const DIRECT_DEBIT_ACCOUNT: &str = "gw_gocardless";

/// The values Chargebee takes for `gateway`.
pub(super) const GATEWAYS: [&str; 62] = [
    "chargebee",
    "chargebee_payments",
    "adyen",
    "stripe",
    "wepay",
    "braintree",
    "authorize_net",
    "paypal_pro",
    "pin",
    "eway",
    "eway_rapid",
    "worldpay",
    "balanced_payments",
    "beanstream",
    "bluepay",
    "elavon",
    "first_data_global",
    "hdfc",
    "migs",
    "nmi",
    "ogone",
    "paymill",
    "paypal_payflow_pro",
    "sage_pay",
    "tco",
    "wirecard",
    "amazon_payments",
    "paypal_express_checkout",
    "orbital",
    "moneris_us",
    "moneris",
    "bluesnap",
    "cybersource",
    "vantiv",
    "checkout_com",
    "paypal",
    "ingenico_direct",
    "exact",
    "mollie",
    "quickbooks",
    "razorpay",
    "global_payments",
    "bank_of_america",
    "ecentric",
    "metrics_global",
    "windcave",
    "pay_com",
    "ebanx",
    "dlocal",
    "nuvei",
    "solidgate",
    "paystack",
    "jp_morgan",
    "deutsche_bank",
    "ezidebit",
    "twikey",
    "tempus",
    "moyasar",
    "payway",
    "payu",
    "gocardless",
    "not_applicable",
];

fn by_id(id: &str) -> Option<&'static Account> {
    ACCOUNTS.iter().find(|a| a.id == id)
}

/// Picks the account a payment method of `kind` goes to, from the optional `gateway`
/// and `gateway_account_id` parameters (already checked to be known values).
pub(super) fn choose(
    kind: &str,
    gateway: Option<&str>,
    account_id: Option<&str>,
) -> Result<&'static Account, ApiError> {
    const GATEWAY: &str = "payment_method[gateway]";
    const ACCOUNT: &str = "payment_method[gateway_account_id]";
    let account = match (account_id, gateway) {
        (Some(id), _) => {
            let account = by_id(id)
                .ok_or_else(|| ApiError::not_found(Some(ACCOUNT), format!("{id} not found")))?;
            if let Some(g) = gateway
                && g != account.gateway
            {
                return Err(ApiError::invalid(
                    GATEWAY,
                    format!("{g} does not match the gateway of gateway account {id}"),
                ));
            }
            account
        }
        (None, Some(g)) => ACCOUNTS
            .iter()
            .find(|a| a.gateway == g && a.types.contains(&kind))
            .or_else(|| ACCOUNTS.iter().find(|a| a.gateway == g))
            .ok_or_else(|| {
                ApiError::invalid(GATEWAY, format!("{g} is not configured for this site"))
            })?,
        (None, None) => {
            let preferred = match kind {
                "card" => by_id(DEFAULT_ACCOUNT),
                "direct_debit" => by_id(DIRECT_DEBIT_ACCOUNT),
                "paypal_express_checkout" => by_id("gw_paypal"),
                _ => None,
            };
            preferred
                .or_else(|| ACCOUNTS.iter().find(|a| a.types.contains(&kind)))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "payment_method[type]",
                        format!("no gateway account of this site supports {kind}"),
                    )
                })?
        }
    };
    if !account.types.contains(&kind) {
        return Err(ApiError::invalid(
            "payment_method[type]",
            format!(
                "{kind} is not supported by gateway account {} ({})",
                account.id, account.gateway
            ),
        ));
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_per_type() {
        assert_eq!(choose("card", None, None).map(|a| a.id), Ok("gw_stripe"));
        assert_eq!(
            choose("direct_debit", None, None).map(|a| a.id),
            Ok("gw_gocardless")
        );
        assert_eq!(
            choose("amazon_payments", None, None).map(|a| a.id),
            Ok("gw_amazon")
        );
        assert_eq!(
            choose("paypal_express_checkout", None, None).map(|a| a.id),
            Ok("gw_paypal")
        );
        assert!(choose("upi", None, None).is_err());
    }

    #[test]
    fn gateway_and_account_must_agree() {
        assert_eq!(
            choose("card", Some("braintree"), None).map(|a| a.id),
            Ok("gw_braintree")
        );
        assert!(choose("card", Some("adyen"), None).is_err());
        assert!(choose("card", Some("stripe"), Some("gw_braintree")).is_err());
        let e = choose("card", None, Some("gw_nope")).unwrap_err();
        assert_eq!(e.status.as_u16(), 404);
        assert!(choose("direct_debit", Some("braintree"), None).is_err());
    }
}
