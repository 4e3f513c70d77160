//! An address's country: alpha-2, alpha-3, numeric code or name, each checked against
//! ISO 3166-1, and all of those sent naming the same country.

use super::errors::{Code, ValidationErrors, address as codes};
use super::params::AddressParams;
use crate::sandbox::countries::{Country, by_alpha2, by_alpha3, by_name, by_numeric};
use crate::sandbox::field::Field;

/// Checks the country fields sent: each must name a country (its own code when not),
/// and together they must name one country (91815 when not).
pub(super) fn check(p: &AddressParams, scope: &[&'static str], errors: &mut ValidationErrors) {
    type Lookup = fn(&str) -> Option<&'static Country>;
    let fields: [(&Field<String>, Lookup, Code); 4] = [
        (
            &p.country_code_alpha2,
            by_alpha2,
            codes::COUNTRY_CODE_ALPHA2_IS_NOT_ACCEPTED,
        ),
        (
            &p.country_code_alpha3,
            by_alpha3,
            codes::COUNTRY_CODE_ALPHA3_IS_NOT_ACCEPTED,
        ),
        (
            &p.country_code_numeric,
            by_numeric,
            codes::COUNTRY_CODE_NUMERIC_IS_NOT_ACCEPTED,
        ),
        (
            &p.country_name,
            by_name,
            codes::COUNTRY_NAME_IS_NOT_ACCEPTED,
        ),
    ];
    let mut named: Vec<&'static str> = Vec::new();
    for (field, lookup, code) in fields {
        if let Field::Set(text) = field {
            match lookup(text) {
                Some(country) => named.push(country.alpha2),
                None => errors.add(scope, code),
            }
        }
    }
    if named.windows(2).any(|pair| pair[0] != pair[1]) {
        errors.add(scope, codes::INCONSISTENT_COUNTRY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(
        a2: Option<&str>,
        a3: Option<&str>,
        num: Option<&str>,
        name: Option<&str>,
    ) -> Vec<&'static str> {
        let some = |s: Option<&str>| s.map_or(Field::Absent, |s| Field::Set(s.to_string()));
        let p = AddressParams {
            country_code_alpha2: some(a2),
            country_code_alpha3: some(a3),
            country_code_numeric: some(num),
            country_name: some(name),
            ..AddressParams::default()
        };
        let mut errors = ValidationErrors::default();
        check(&p, &["address"], &mut errors);
        errors.codes()
    }

    #[test]
    fn countries() {
        assert!(codes(Some("FJ"), Some("FJI"), Some("242"), Some("Fiji")).is_empty());
        assert!(codes(Some("US"), None, None, Some("United States of America")).is_empty());
        assert_eq!(codes(Some("ZZ"), None, None, None), ["91814"]);
        assert_eq!(codes(None, Some("ZZZ"), None, None), ["91816"]);
        assert_eq!(codes(None, None, Some("999"), None), ["91817"]);
        assert_eq!(codes(None, None, None, Some("Atlantis")), ["91803"]);
        assert_eq!(codes(Some("US"), Some("CAN"), None, None), ["91815"]);
    }
}
