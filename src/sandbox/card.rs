//! Payment cards as the three gateways see them: number checks, brand, expiry, and what
//! is kept of a number.
//!
//! A full card number lives only while a request is handled, as a [`Number`]; what a
//! vault keeps is [`Kept`] (brand, BIN, last four digits, fingerprint). Security codes
//! are never kept at all. Each gateway names brands its own way ([`Brand::braintree_name`],
//! [`Brand::rapyd_name`], [`Brand::chargebee_name`]).

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;

use crate::mask::{luhn, mask_pan};
use crate::sandbox::clock::Timestamp;

/// Card networks the sandbox recognises from a number's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Brand {
    Visa,
    MasterCard,
    AmericanExpress,
    Discover,
    Jcb,
    DinersClub,
    Maestro,
    UnionPay,
    Unknown,
}

impl Brand {
    /// The brand a number's (or a BIN's) prefix announces.
    pub(super) fn of(digits: &str) -> Brand {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
        let in_range =
            |n: usize, lo: u32, hi: u32| prefix(n).is_some_and(|p| (lo..=hi).contains(&p));
        if digits.starts_with('4') {
            Brand::Visa
        } else if in_range(2, 51, 55) || in_range(4, 2221, 2720) {
            Brand::MasterCard
        } else if in_range(2, 34, 34) || in_range(2, 37, 37) {
            Brand::AmericanExpress
        } else if digits.starts_with("6011") || in_range(2, 65, 65) || in_range(3, 644, 649) {
            Brand::Discover
        } else if in_range(4, 3528, 3589) {
            Brand::Jcb
        } else if in_range(3, 300, 305) || in_range(2, 36, 36) || in_range(2, 38, 39) {
            Brand::DinersClub
        } else if in_range(2, 62, 62) {
            Brand::UnionPay
        } else if in_range(2, 50, 50)
            || in_range(2, 56, 58)
            || in_range(2, 63, 63)
            || in_range(2, 67, 67)
        {
            Brand::Maestro
        } else {
            Brand::Unknown
        }
    }

    /// Braintree's name (`card_type`).
    pub(super) fn braintree_name(self) -> &'static str {
        match self {
            Brand::Visa => "Visa",
            Brand::MasterCard => "MasterCard",
            Brand::AmericanExpress => "American Express",
            Brand::Discover => "Discover",
            Brand::Jcb => "JCB",
            Brand::DinersClub => "Diners Club",
            Brand::Maestro => "Maestro",
            Brand::UnionPay => "UnionPay",
            Brand::Unknown => "Unknown",
        }
    }

    /// Rapyd's name (`bin_details.brand`); `None` (shown as `null`) when unknown.
    /// Rapyd's examples show `VISA`; the other names follow the same BIN-lookup style.
    pub(super) fn rapyd_name(self) -> Option<&'static str> {
        match self {
            Brand::Visa => Some("VISA"),
            Brand::MasterCard => Some("MASTERCARD"),
            Brand::AmericanExpress => Some("AMERICAN EXPRESS"),
            Brand::Discover => Some("DISCOVER"),
            Brand::Jcb => Some("JCB"),
            Brand::DinersClub => Some("DINERS CLUB"),
            Brand::Maestro => Some("MAESTRO"),
            Brand::UnionPay => Some("UNIONPAY"),
            Brand::Unknown => None,
        }
    }

    /// Chargebee's name (`card_type`); brands Chargebee does not list are `other`.
    pub(super) fn chargebee_name(self) -> &'static str {
        match self {
            Brand::Visa => "visa",
            Brand::MasterCard => "mastercard",
            Brand::AmericanExpress => "american_express",
            Brand::Discover => "discover",
            Brand::Jcb => "jcb",
            Brand::DinersClub => "diners_club",
            Brand::Maestro => "maestro",
            Brand::UnionPay | Brand::Unknown => "other",
        }
    }
}

/// Why a card number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberError {
    /// Not 12-19 ASCII digits.
    Length,
    /// The check digit is wrong.
    Luhn,
}

/// A card number that passed [`Number::parse`]. It never leaves the request that sent
/// it: a vault keeps [`Number::keep`] instead.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Number(String);

impl fmt::Debug for Number {
    // A debug print must not be where a full number escapes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", mask_pan(&self.0))
    }
}

impl Number {
    /// Checks a card number: 12-19 ASCII digits, then Luhn.
    pub(super) fn parse(digits: &str) -> Result<Number, NumberError> {
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Length);
        }
        if !luhn(digits) {
            return Err(NumberError::Luhn);
        }
        Ok(Number(digits.to_string()))
    }

    /// The brand the number's prefix announces.
    pub(super) fn brand(&self) -> Brand {
        Brand::of(&self.0)
    }

    /// What may be kept of the number: its brand, BIN, last four digits and its
    /// fingerprint under `fingerprints`.
    pub(super) fn keep(&self, fingerprints: &Fingerprints) -> Kept {
        let n = &self.0;
        Kept {
            brand: self.brand(),
            bin: n[..6].to_string(),
            last_4: n[n.len() - 4..].to_string(),
            fingerprint: fingerprints.of(self),
        }
    }
}

/// What is kept of a card number: never the number itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Kept {
    pub brand: Brand,
    /// The first six digits.
    pub bin: String,
    pub last_4: String,
    /// 32 lowercase hex digits (see [`Fingerprints`]).
    pub fingerprint: String,
}

/// A vault's fingerprint key: the same number gives the same fingerprint within one
/// vault, and fingerprints say nothing about the number without the key (a random one
/// per vault).
#[derive(Debug)]
pub(super) struct Fingerprints(RandomState);

impl Default for Fingerprints {
    fn default() -> Self {
        Fingerprints(RandomState::new())
    }
}

impl Fingerprints {
    /// The number's fingerprint: 32 lowercase hex digits.
    pub(super) fn of(&self, number: &Number) -> String {
        let a = self.0.hash_one(("a", &number.0));
        let b = self.0.hash_one(("b", &number.0));
        format!("{a:016x}{b:016x}")
    }
}

/// An expiration month, `1`-`12`, written with one or two characters.
pub(super) fn month(text: &str) -> Option<u32> {
    let n: u32 = text
        .parse()
        .ok()
        .filter(|_| (1..=2).contains(&text.len()))?;
    (1..=12).contains(&n).then_some(n)
}

/// An expiration year of two (20YY) or four digits, as four digits.
pub(super) fn year(text: &str) -> Option<u32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = text.parse().ok()?;
    match text.len() {
        2 => Some(2000 + n),
        4 => Some(n),
        _ => None,
    }
}

/// Whether an expiration month (`MM`, `YYYY`) lies before the month of `now`. A card
/// is good through the last day of its month.
pub(super) fn is_expired(month: &str, year: &str, now: Timestamp) -> bool {
    let (this_year, this_month, _) = now.date();
    match (year.parse::<i64>(), month.parse::<u32>()) {
        (Ok(y), Ok(m)) => (y, m) < (this_year, this_month),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands() {
        for (number, brand) in [
            ("4111111111111111", Brand::Visa),
            ("5105105105105100", Brand::MasterCard),
            ("2223000048400011", Brand::MasterCard),
            ("378282246310005", Brand::AmericanExpress),
            ("6011111111111117", Brand::Discover),
            ("3530111333300000", Brand::Jcb),
            ("30569309025904", Brand::DinersClub),
            ("6221261111117766", Brand::UnionPay),
            ("6304000000000000", Brand::Maestro),
        ] {
            assert_eq!(
                Number::parse(number).map(|n| n.brand()),
                Ok(brand),
                "{number}"
            );
        }
        assert_eq!(Brand::of("999999"), Brand::Unknown);
        assert_eq!(Brand::Visa.braintree_name(), "Visa");
        assert_eq!(Brand::Visa.rapyd_name(), Some("VISA"));
        assert_eq!(Brand::Unknown.rapyd_name(), None);
        assert_eq!(Brand::AmericanExpress.chargebee_name(), "american_express");
    }

    #[test]
    fn numbers() {
        assert_eq!(
            Number::parse("4111111111111112"),
            Err(NumberError::Luhn),
            "check digit"
        );
        for bad in [
            "41111111111",
            "41111111111111111111",
            "4111 1111 1111 1111",
            "",
            "٤١١١١١١١١١١١١١١١",
        ] {
            assert_eq!(Number::parse(bad), Err(NumberError::Length), "{bad}");
        }
    }

    #[test]
    fn only_bin_last_four_and_fingerprint_are_kept() {
        let fingerprints = Fingerprints::default();
        let number = Number::parse("4111111111111111").unwrap();
        let kept = number.keep(&fingerprints);
        assert_eq!(
            (kept.bin.as_str(), kept.last_4.as_str()),
            ("411111", "1111")
        );
        assert_eq!(kept.brand, Brand::Visa);
        assert!(!format!("{kept:?}{number:?}").contains("4111111111111111"));
        assert_eq!(kept.fingerprint.len(), 32);
        assert_eq!(kept.fingerprint, fingerprints.of(&number));
        let other = Number::parse("5555555555554444").unwrap();
        assert_ne!(fingerprints.of(&other), kept.fingerprint);
        let elsewhere = Fingerprints::default();
        assert_ne!(elsewhere.of(&number), kept.fingerprint, "a key per vault");
    }

    #[test]
    fn months_and_years() {
        assert_eq!(month("5"), Some(5));
        assert_eq!(month("05"), Some(5));
        assert_eq!(month("12"), Some(12));
        for bad in ["0", "13", "005", "", "x"] {
            assert_eq!(month(bad), None, "{bad}");
        }
        assert_eq!(year("30"), Some(2030));
        assert_eq!(year("2031"), Some(2031));
        for bad in ["203", "20301", "", "+030", "2O30"] {
            assert_eq!(year(bad), None, "{bad}");
        }
    }

    #[test]
    fn expiry_is_by_month() {
        let nov_2026 = Timestamp(1_795_424_701);
        assert!(!is_expired("11", "2026", nov_2026));
        assert!(!is_expired("01", "2027", nov_2026));
        assert!(is_expired("10", "2026", nov_2026));
        assert!(is_expired("12", "2025", nov_2026));
    }
}
