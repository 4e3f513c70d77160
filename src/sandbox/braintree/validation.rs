//! Field rules shared by Braintree's customer, card and address validations.

use std::sync::LazyLock;

use regex::Regex;

use super::errors::{Code, ValidationErrors, customer as codes, sandbox};
use super::params::{CustomerParams, PhoneParams};
use crate::sandbox::field::Field;

/// The custom fields the sandbox merchant has set up in its Control Panel. Braintree
/// refuses any other name (91602). `store_me` is the name Braintree's own client
/// integration tests use; `color` is the one in /work/shared/braintree-wire.md.
pub(super) const CUSTOM_FIELDS: [&str; 2] = ["store_me", "color"];

/// Checks an `international_phone`: country code of 1-3 digits, national number of
/// 4-12 digits, both required. Braintree publishes no codes for these; the sandbox's
/// own are in `errors::sandbox`.
pub(super) fn international_phone(
    p: &PhoneParams,
    scope: &[&'static str],
    errors: &mut ValidationErrors,
) {
    let digits = |text: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(&p.country_code, 1..=3) {
        errors.add(scope, sandbox::PHONE_COUNTRY_CODE_IS_INVALID);
    }
    if !digits(&p.national_number, 4..=12) {
        errors.add(scope, sandbox::PHONE_NATIONAL_NUMBER_IS_INVALID);
    }
}

/// Adds `code` when the field is set and longer than `max` characters.
pub(super) fn max_len(
    field: &Field<String>,
    max: usize,
    scope: &[&'static str],
    code: Code,
    errors: &mut ValidationErrors,
) {
    if let Field::Set(value) = field
        && value.chars().count() > max
    {
        errors.add(scope, code);
    }
}

/// The rules for a customer id or a payment method token: the codes to report when it
/// is too long, has other characters than letters, digits, `-` and `_`, or is a
/// reserved word.
pub(super) struct IdRules {
    pub too_long: Code,
    pub invalid: Code,
    pub not_allowed: Code,
}

/// Checks an id's form (not whether it is taken). Returns true when it passes.
pub(super) fn id_form(
    id: &str,
    rules: &IdRules,
    scope: &[&'static str],
    errors: &mut ValidationErrors,
) -> bool {
    let before = errors.len();
    if id.chars().count() > 36 {
        errors.add(scope, rules.too_long);
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.add(scope, rules.invalid);
    }
    if id == "all" || id == "new" {
        errors.add(scope, rules.not_allowed);
    }
    errors.len() == before
}

pub(super) const CUSTOMER_ID_RULES: IdRules = IdRules {
    too_long: codes::ID_IS_TOO_LONG,
    invalid: codes::ID_IS_INVALID,
    not_allowed: codes::ID_IS_NOT_ALLOWED,
};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
        .expect("static regex")
});

static WEBSITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:https?://)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?::[0-9]{1,5})?(?:[/?#][^\s]*)?$")
        .expect("static regex")
});

/// A well-formed ASCII email address.
pub(super) fn is_email(value: &str) -> bool {
    EMAIL.is_match(value)
}

/// A well-formed website; the scheme (http or https) is optional.
pub(super) fn is_website(value: &str) -> bool {
    WEBSITE.is_match(value)
}

/// The customer's own fields (not its id, not its card).
pub(super) fn customer_fields(p: &CustomerParams, errors: &mut ValidationErrors) {
    let scope = ["customer"];
    max_len(&p.company, 255, &scope, codes::COMPANY_IS_TOO_LONG, errors);
    max_len(
        &p.first_name,
        255,
        &scope,
        codes::FIRST_NAME_IS_TOO_LONG,
        errors,
    );
    max_len(
        &p.last_name,
        255,
        &scope,
        codes::LAST_NAME_IS_TOO_LONG,
        errors,
    );
    max_len(&p.fax, 255, &scope, codes::FAX_IS_TOO_LONG, errors);
    max_len(&p.phone, 255, &scope, codes::PHONE_IS_TOO_LONG, errors);
    max_len(&p.email, 255, &scope, codes::EMAIL_IS_TOO_LONG, errors);
    if let Field::Set(email) = &p.email
        && !is_email(email)
    {
        errors.add(&scope, codes::EMAIL_FORMAT_IS_INVALID);
    }
    max_len(&p.website, 255, &scope, codes::WEBSITE_IS_TOO_LONG, errors);
    if let Field::Set(website) = &p.website
        && !is_website(website)
    {
        errors.add(&scope, codes::WEBSITE_FORMAT_IS_INVALID);
    }
    for (name, value) in p.custom_fields.iter().flatten() {
        if !CUSTOM_FIELDS.contains(&name.as_str()) {
            errors.add(&scope, codes::CUSTOM_FIELD_IS_INVALID);
        } else if value.chars().count() >= 255 {
            errors.add(&scope, codes::CUSTOM_FIELD_IS_TOO_LONG);
        }
    }
    if let Field::Set(phone) = &p.international_phone {
        international_phone(phone, &["customer", "international_phone"], errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@example.com",
            "new.email@example.com",
            "a+b@sub.example.co",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@",
            "@b.com",
            "a@b",
            "a b@c.com",
            "é@example.com",
            "a@@b.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn websites() {
        for ok in [
            "example.com",
            "http://example.com",
            "https://www.example.com/a?b=c",
            "EXAMPLE.com:8080/x",
        ] {
            assert!(is_website(ok), "{ok}");
        }
        for bad in [
            "",
            "example",
            "ftp://example.com",
            "http://",
            "exa mple.com",
            "http://.com",
        ] {
            assert!(!is_website(bad), "{bad}");
        }
    }

    #[test]
    fn reports_every_field_at_once() {
        let long = Field::Set("x".repeat(256));
        let p = CustomerParams {
            first_name: long.clone(),
            last_name: long.clone(),
            company: long.clone(),
            fax: long.clone(),
            phone: long,
            email: Field::Set("nope".into()),
            website: Field::Set("nope".into()),
            custom_fields: Some(vec![("color".into(), "y".repeat(255))]),
            ..CustomerParams::default()
        };
        let mut errors = ValidationErrors::default();
        customer_fields(&p, &mut errors);
        assert_eq!(
            errors.codes(),
            [
                "81601", "81608", "81613", "81607", "81614", "81604", "81616", "81603"
            ]
        );
    }

    #[test]
    fn id_forms() {
        let mut errors = ValidationErrors::default();
        assert!(id_form(
            "abc-_09",
            &CUSTOMER_ID_RULES,
            &["customer"],
            &mut errors
        ));
        assert!(!id_form(
            &"a".repeat(37),
            &CUSTOMER_ID_RULES,
            &["customer"],
            &mut errors
        ));
        assert!(!id_form(
            "a b",
            &CUSTOMER_ID_RULES,
            &["customer"],
            &mut errors
        ));
        assert!(!id_form(
            "all",
            &CUSTOMER_ID_RULES,
            &["customer"],
            &mut errors
        ));
        assert_eq!(errors.codes(), ["91612", "91610", "91611"]);
    }
}
