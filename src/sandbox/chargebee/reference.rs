//! The formats of `reference_id`, which depend on the gateway (or vault) that keeps the
//! payment details:
//!
//! | where | format | example |
//! |---|---|---|
//! | Stripe, card | customer id, optionally `/` card id | `cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G` |
//! | Stripe, direct debit | customer id, optionally `/` bank account id | `cus_8suoHaLQH4G5AW/ba_18b8z2KmcbENlhgU03RznRYW` |
//! | Stripe, other types | customer id, optionally `/` source or payment method id | `cus_1/src_2` |
//! | Braintree | customer id, optionally `/` payment method token | `cust_42/tok_9` |
//! | Authorize.Net | customer profile id, optionally `/` payment profile id | `2384383/34834382` |
//! | GoCardless | mandate id | `MD0077Z99TTQXK` |
//! | Spreedly vault | Spreedly payment method token | `1rpKvP8zOUhj4Y9EDrIoIYQzzD5` |
//! | PayPal Express Checkout | billing agreement id | `B-5YM89394MX9271022` |
//! | Login and Pay with Amazon | billing agreement id | `C01-1234567-1234567` |
//!
//! A single-use token (Stripe's `tok_…`) is not a reference and is refused.
//!
//! The sandbox has no access to the gateways' vaults, so a well-formed reference names a
//! card that exists ([`card`]). Its details are the gateways' test cards, picked by a
//! word in the reference: `mastercard` gives a Mastercard (5555…4444), `amex` an
//! American Express card (3782…0005), anything else a Visa (4111…1111); all expire
//! 12/2030. A reference containing `declined` names a card the gateway declines when
//! asked to verify it (Stripe's `card_chargeDeclined` test card, say).

use std::sync::LazyLock;

use regex::Regex;

use super::accounts::{Account, Vault};
use crate::sandbox::card::Brand;

fn pattern(text: &str) -> Regex {
    // The patterns are constants of this file, checked by its tests.
    Regex::new(text).unwrap_or_else(|e| unreachable!("bad reference pattern {text}: {e}"))
}

static STRIPE_CARD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^cus_[A-Za-z0-9]+(/card_[A-Za-z0-9]+)?$"));
static STRIPE_BANK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^cus_[A-Za-z0-9]+(/ba_[A-Za-z0-9]+)?$"));
static STRIPE_OTHER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^cus_[A-Za-z0-9]+(/(src|pm)_[A-Za-z0-9]+)?$"));
static BRAINTREE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^[A-Za-z0-9_-]{1,36}(/[A-Za-z0-9_-]{1,36})?$"));
static AUTHORIZE_NET: LazyLock<Regex> = LazyLock::new(|| pattern(r"^[0-9]{1,20}(/[0-9]{1,20})?$"));
static GOCARDLESS: LazyLock<Regex> = LazyLock::new(|| pattern(r"^MD[0-9A-Z]{4,30}$"));
static SPREEDLY: LazyLock<Regex> = LazyLock::new(|| pattern(r"^[A-Za-z0-9]{20,40}$"));
static PAYPAL: LazyLock<Regex> = LazyLock::new(|| pattern(r"^B-[0-9A-Z]{17}$"));
static AMAZON: LazyLock<Regex> = LazyLock::new(|| pattern(r"^[A-Z][0-9]{2}-[0-9]{7}-[0-9]{7}$"));

/// What a reference of `kind` on `account` looks like, for the error message; `None`
/// when `reference` has that form.
pub(super) fn check(kind: &str, account: &Account, reference: &str) -> Option<&'static str> {
    let (re, shape): (&Regex, &'static str) = match (account.vault, account.gateway, kind) {
        (Vault::Spreedly, _, _) => (&SPREEDLY, "a Spreedly payment method token"),
        (_, "stripe", "card") => (
            &STRIPE_CARD,
            "a Stripe customer id, optionally followed by /card id (cus_…/card_…)",
        ),
        (_, "stripe", "direct_debit") => (
            &STRIPE_BANK,
            "a Stripe customer id, optionally followed by /bank account id (cus_…/ba_…)",
        ),
        (_, "stripe", _) => (
            &STRIPE_OTHER,
            "a Stripe customer id, optionally followed by /source id (cus_…/src_…)",
        ),
        (_, "braintree", _) => (
            &BRAINTREE,
            "a Braintree customer id, optionally followed by /payment method token",
        ),
        (_, "authorize_net", _) => (
            &AUTHORIZE_NET,
            "an Authorize.Net customer profile id, optionally followed by /payment profile id",
        ),
        (_, "gocardless", _) => (&GOCARDLESS, "a GoCardless mandate id (MD…)"),
        (_, "paypal_express_checkout", _) => (&PAYPAL, "a PayPal billing agreement id (B-…)"),
        (_, "amazon_payments", _) => (
            &AMAZON,
            "an Amazon billing agreement id (C01-1234567-1234567)",
        ),
        _ => return None,
    };
    (!re.is_match(reference)).then_some(shape)
}

/// A card as the gateway's vault describes it. Only the first six and last four digits
/// are known, never the full number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct VaultCard {
    pub iin: &'static str,
    pub last4: &'static str,
    /// From the IIN, as for a number sent to Braintree or Rapyd.
    pub brand: Brand,
    pub funding_type: &'static str,
    pub expiry_month: u32,
    pub expiry_year: u32,
    /// Whether a verification of this card fails.
    pub declines_verification: bool,
}

/// The card `reference` points to.
pub(super) fn card(reference: &str) -> VaultCard {
    let lower = reference.to_ascii_lowercase();
    let (iin, last4) = if lower.contains("mastercard") {
        ("555555", "4444")
    } else if lower.contains("amex") {
        ("378282", "0005")
    } else {
        ("411111", "1111")
    };
    VaultCard {
        iin,
        last4,
        brand: Brand::of(iin),
        funding_type: "credit",
        expiry_month: 12,
        expiry_year: 2030,
        declines_verification: lower.contains("declined"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::chargebee::accounts::ACCOUNTS;

    fn account(id: &str) -> &'static Account {
        ACCOUNTS.iter().find(|a| a.id == id).unwrap()
    }

    #[test]
    fn documented_examples_pass() {
        let ok = [
            (
                "card",
                "gw_stripe",
                "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G",
            ),
            ("card", "gw_stripe", "cus_63MnDn0t6kfDW7"),
            (
                "direct_debit",
                "gw_stripe",
                "cus_8suoHaLQH4G5AW/ba_18b8z2KmcbENlhgU03RznRYW",
            ),
            (
                "card",
                "gw_braintree",
                "cus_63MnDn0t6kfDW7/card_6WjCF20vT9WN1G",
            ),
            ("card", "gw_braintree", "42"),
            ("direct_debit", "gw_authorize_net", "2384383/34834382"),
            ("direct_debit", "gw_authorize_net", "2384383"),
            ("direct_debit", "gw_gocardless", "MD0077Z99TTQXK"),
            ("card", "gw_spreedly", "1rpKvP8zOUhj4Y9EDrIoIYQzzD5"),
            (
                "paypal_express_checkout",
                "gw_paypal",
                "B-5YM89394MX9271022",
            ),
            ("amazon_payments", "gw_amazon", "C01-1234567-1234567"),
        ];
        for (kind, id, reference) in ok {
            assert_eq!(check(kind, account(id), reference), None, "{reference}");
        }
    }

    #[test]
    fn other_shapes_fail() {
        let bad = [
            ("card", "gw_stripe", "tok_visa"),
            ("card", "gw_stripe", "cus_1/ba_2"),
            ("direct_debit", "gw_stripe", "cus_1/card_2"),
            ("card", "gw_braintree", "a/b/c"),
            ("direct_debit", "gw_authorize_net", "abc/12"),
            ("direct_debit", "gw_gocardless", "cus_1"),
            ("card", "gw_spreedly", "cus_1/card_2"),
            ("paypal_express_checkout", "gw_paypal", "I-12345"),
            ("amazon_payments", "gw_amazon", "B-5YM89394MX9271022"),
        ];
        for (kind, id, reference) in bad {
            assert!(check(kind, account(id), reference).is_some(), "{reference}");
        }
    }

    #[test]
    fn picks_test_cards_by_word() {
        assert_eq!(card("cus_1/card_2").brand, Brand::Visa);
        assert_eq!(card("cus_1/card_Mastercard").last4, "4444");
        assert_eq!(card("c/amex1").brand, Brand::AmericanExpress);
        assert!(card("cus_1/card_chargeDeclined").declines_verification);
        assert!(!card("cus_1/card_2").declines_verification);
    }
}
