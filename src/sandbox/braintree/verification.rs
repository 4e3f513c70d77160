//! Card verification (`options.verify_card`): its options, the sandbox's merchant
//! accounts, and the outcome Braintree's sandbox gives each test card.
//!
//! A verification runs only when `verify_card` is true and the request is otherwise
//! valid. Braintree's sandbox declines its published "unsuccessful verification" card
//! numbers (braintree_python `CreditCardNumbers.FailsSandboxVerification`, plus the JCB
//! processor-failure card); every other card verifies. A declined verification fails the
//! whole request: 422 with an `<api-error-response>` that holds no errors and a
//! `<verification>`, read by the clients as `result.credit_card_verification`.

use super::errors::{ValidationErrors, credit_card::options as codes};
use super::params::CardOptions;
use super::vault::{Card, ThreeDSecure, Vault, Verification, VerificationStatus};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;

/// A merchant account verifications can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MerchantAccount {
    pub id: &'static str,
    pub currency: &'static str,
    /// A Braintree Marketplace sub-merchant: cannot verify cards.
    pub sub_merchant: bool,
}

/// The sandbox merchant's accounts; the first is the default.
pub(super) const MERCHANT_ACCOUNTS: [MerchantAccount; 3] = [
    MerchantAccount {
        id: "sandbox_merchant_account",
        currency: "USD",
        sub_merchant: false,
    },
    MerchantAccount {
        id: "sandbox_eur_merchant_account",
        currency: "EUR",
        sub_merchant: false,
    },
    MerchantAccount {
        id: "sandbox_sub_merchant_account",
        currency: "USD",
        sub_merchant: true,
    },
];

/// A verification to run once the request is known to be valid.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Request {
    pub amount: String,
    pub merchant_account: MerchantAccount,
    pub three_d_secure: Option<ThreeDSecure>,
    pub cvv_sent: bool,
    pub postal_code_known: bool,
    pub street_address_known: bool,
}

/// A non-negative amount with at most two decimals, normalised to two (`1` → `1.00`).
/// `Err(true)` when it is negative, `Err(false)` when it is not an amount.
pub(super) fn amount(text: &str) -> Result<String, bool> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = !whole.is_empty()
        && whole.len() <= 12
        && cents.len() <= 2
        && whole
            .bytes()
            .chain(cents.bytes())
            .all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && cents.is_empty());
    if !valid {
        return Err(false);
    }
    let whole: u64 = whole.parse().map_err(|_| false)?;
    let cents = format!("{cents:0<2}");
    if negative && (whole > 0 || cents != "00") {
        return Err(true);
    }
    Ok(format!("{whole}.{cents}"))
}

/// Checks the verification options (whether or not `verify_card` is set, as Braintree
/// does) and returns the merchant account and amount when a verification is to run.
pub(super) fn check_options(
    options: &CardOptions,
    scope: &[&'static str],
    errors: &mut ValidationErrors,
) -> Option<(MerchantAccount, String)> {
    let amount = match &options.verification_amount {
        Field::Set(text) => match amount(text) {
            Ok(amount) => Some(amount),
            Err(true) => {
                errors.add(scope, codes::VERIFICATION_AMOUNT_CANNOT_BE_NEGATIVE);
                None
            }
            Err(false) => {
                errors.add(scope, codes::VERIFICATION_AMOUNT_FORMAT_IS_INVALID);
                None
            }
        },
        _ => None,
    };
    let account = match &options.verification_merchant_account_id {
        Field::Set(id) => match MERCHANT_ACCOUNTS.iter().find(|a| a.id == id) {
            Some(account) if account.sub_merchant => {
                errors.add(
                    scope,
                    codes::VERIFICATION_MERCHANT_ACCOUNT_CANNOT_BE_SUB_MERCHANT_ACCOUNT,
                );
                None
            }
            Some(account) => Some(*account),
            None => {
                errors.add(scope, codes::VERIFICATION_MERCHANT_ACCOUNT_ID_IS_INVALID);
                None
            }
        },
        _ => Some(MERCHANT_ACCOUNTS[0]),
    };
    if options.verify_card != Some(true) {
        return None;
    }
    // Without an amount the gateway picks $0 (the seed: "$0 or $1, depending on the
    // processor and/or card type").
    Some((account?, amount.unwrap_or_else(|| "0.00".into())))
}

/// How the sandbox's processor answers a verification of this card.
fn processor_response(card: &Card) -> (VerificationStatus, &'static str, &'static str) {
    const DECLINED: [(&str, &str); 4] = [
        ("400011", "1115"),
        ("510510", "5100"),
        ("378734", "1000"),
        ("601100", "9424"),
    ];
    let key = (card.bin.as_str(), card.last_4.as_str());
    if DECLINED.contains(&key) {
        (
            VerificationStatus::ProcessorDeclined,
            "2000",
            "Do Not Honor",
        )
    } else if key == ("356600", "0505") {
        (
            VerificationStatus::Failed,
            "3000",
            "Processor Network Unavailable - Try Again",
        )
    } else {
        (VerificationStatus::Verified, "1000", "Approved")
    }
}

/// Runs a verification of `card` (as it will be stored).
pub(super) fn run(vault: &Vault, request: &Request, card: &Card, now: Timestamp) -> Verification {
    let (status, code, text) = processor_response(card);
    let matched = |known: bool| if known { "M" } else { "I" };
    Verification {
        id: vault.new_verification_id(),
        status,
        amount: request.amount.clone(),
        currency: request.merchant_account.currency.into(),
        merchant_account_id: request.merchant_account.id.into(),
        processor_response_code: code.into(),
        processor_response_text: text.into(),
        cvv_response_code: matched(request.cvv_sent).into(),
        avs_postal_code_response_code: matched(request.postal_code_known).into(),
        avs_street_address_response_code: matched(request.street_address_known).into(),
        three_d_secure: request.three_d_secure.clone(),
        created_at: now,
    }
}

/// Braintree's name for a verification status.
pub(super) fn status_name(status: VerificationStatus) -> &'static str {
    match status {
        VerificationStatus::Verified => "verified",
        VerificationStatus::ProcessorDeclined => "processor_declined",
        VerificationStatus::Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(amount("1"), Ok("1.00".into()));
        assert_eq!(amount("2.5"), Ok("2.50".into()));
        assert_eq!(amount("0.00"), Ok("0.00".into()));
        assert_eq!(amount("-0"), Ok("0.00".into()));
        assert_eq!(amount("-1.00"), Err(true));
        for bad in ["", "abc", "1.234", "1.", ".5", "1,00", "1e3", "--1"] {
            assert_eq!(amount(bad), Err(false), "{bad}");
        }
    }

    #[test]
    fn options_are_checked_even_without_verify_card() {
        let mut errors = ValidationErrors::default();
        let options = CardOptions {
            verification_amount: Field::Set("-1".into()),
            verification_merchant_account_id: Field::Set("nope".into()),
            ..CardOptions::default()
        };
        assert_eq!(check_options(&options, &["o"], &mut errors), None);
        assert_eq!(errors.codes(), ["91739", "91728"]);
        let mut errors = ValidationErrors::default();
        let options = CardOptions {
            verify_card: Some(true),
            verification_merchant_account_id: Field::Set("sandbox_eur_merchant_account".into()),
            ..CardOptions::default()
        };
        let (account, amount) = check_options(&options, &["o"], &mut errors).unwrap();
        assert_eq!((account.currency, amount.as_str()), ("EUR", "0.00"));
        assert!(errors.is_empty());
    }
}
