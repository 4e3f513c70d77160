//! 3-D Secure pass-through (`three_d_secure_pass_thru`): the result of a merchant's own
//! 3-D Secure authentication, sent with a card.
//!
//! The seed documents list ECI flags per brand (`00`, `01`, `02`, `04` for Mastercard,
//! `05`, `06`, `07` for the others). Braintree's own client-library integration tests
//! disagree: braintree_node's credit card and verification specs and braintree_python's
//! `test_credit_card_verification.py` send a Visa with ECI `02` and expect success, and
//! the only ECI flag any of them sees refused is `bad_eci_flag` (braintree_node's
//! transaction spec). The gateway is what the clients are tested against, so an ECI
//! flag is any of the seven documented values whatever the brand, and anything else is
//! 942114. `three_d_secure_version` is digits separated by periods and is required for
//! Visa and Mastercard; `xid` is base64. The CAVV is required when the ECI flag says the
//! authentication succeeded or was attempted (Braintree publishes `CavvIsRequired`
//! without saying when; this is the card networks' rule). `authentication_response`,
//! `directory_response` and `cavv_algorithm` have published codes (942120-942122) and
//! are checked against the 3-D Secure protocol's values. Errors sit on the `verification`
//! scope at the document's root, as braintree_ruby's customer spec reads them.

use super::errors::{ValidationErrors, sandbox, three_d_secure as codes};
use super::params::ThreeDSecureParams;
use super::vault::ThreeDSecure;
use crate::sandbox::card::Brand;
use crate::sandbox::field::Field;

const SCOPE: [&str; 1] = ["verification"];

/// The ECI flags the seed documents list, Mastercard's and the other brands' together.
const ECI_FLAGS: &[&str] = &["00", "01", "02", "04", "05", "06", "07"];

/// 3-D Secure 1 PARes statuses (Braintree's GraphQL `ThreeDSecureStatusCode`: "a raw
/// 3D Secure PARes or VARes response code (e.g. 'Y')").
const AUTHENTICATION_RESPONSES: &[&str] = &["Y", "N", "U", "A"];

/// VERes enrolment answers (`Y`, `N`, `U`) and 3-D Secure 2 ARes transaction statuses
/// (`A`, `C`, `R`, `D`, `I` besides those), which Braintree takes in the same field.
const DIRECTORY_RESPONSES: &[&str] = &["Y", "N", "U", "A", "C", "R", "D", "I"];

/// CAVV algorithms: Visa's 0-3 (3 is also Mastercard SPA) and Mastercard's SPA2 `A`.
/// Braintree's GraphQL `ThreeDSecureCavvAlgorithm` names 2 and 3; the networks define
/// the others, and a sandbox that refused them would fail real MPI output.
const CAVV_ALGORITHMS: &[&str] = &["0", "1", "2", "3", "A"];

/// Whether `text` is base64 (standard or URL-safe alphabet, padding optional).
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    !body.is_empty()
        && padding <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
        && body.len() % 4 != 1
        && (padding == 0 || text.len().is_multiple_of(4))
}

/// Digits separated by periods, e.g. `2.2.0`.
fn is_version(text: &str) -> bool {
    text.split('.')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks the pass-through fields for a card of `brand` (`None` when not known) and
/// returns them as stored with a verification.
pub(super) fn check(
    p: &ThreeDSecureParams,
    brand: Option<Brand>,
    errors: &mut ValidationErrors,
) -> ThreeDSecure {
    let sent = |f: &Field<String>| f.value().cloned();
    let eci = sent(&p.eci_flag);
    match eci.as_deref() {
        None => errors.add(&SCOPE, codes::ECI_FLAG_IS_REQUIRED),
        // Not per brand: see the module's documentation for the evidence.
        Some(flag) if !ECI_FLAGS.contains(&flag) => {
            errors.add(&SCOPE, codes::ECI_FLAG_IS_INVALID);
        }
        Some(_) => {}
    }
    let authenticated = matches!(eci.as_deref(), Some("01" | "02" | "05" | "06"));
    if authenticated && sent(&p.cavv).is_none() {
        errors.add(&SCOPE, codes::CAVV_IS_REQUIRED);
    }
    match sent(&p.three_d_secure_version) {
        None if matches!(brand, Some(Brand::Visa | Brand::MasterCard)) => {
            errors.add(&SCOPE, codes::VERSION_IS_REQUIRED);
        }
        Some(version) if !is_version(&version) => {
            errors.add(&SCOPE, codes::VERSION_IS_INVALID);
        }
        _ => {}
    }
    if let Some(xid) = sent(&p.xid)
        && !is_base64(&xid)
    {
        errors.add(&SCOPE, sandbox::XID_IS_INVALID);
    }
    let invalid = |f: &Field<String>, accepted: &[&str]| {
        f.value().is_some_and(|v| !accepted.contains(&v.as_str()))
    };
    if invalid(&p.authentication_response, AUTHENTICATION_RESPONSES) {
        errors.add(&SCOPE, codes::AUTHENTICATION_RESPONSE_IS_INVALID);
    }
    if invalid(&p.directory_response, DIRECTORY_RESPONSES) {
        errors.add(&SCOPE, codes::DIRECTORY_RESPONSE_IS_INVALID);
    }
    if invalid(&p.cavv_algorithm, CAVV_ALGORITHMS) {
        errors.add(&SCOPE, codes::CAVV_ALGORITHM_IS_INVALID);
    }
    ThreeDSecure {
        eci_flag: eci,
        cavv: sent(&p.cavv),
        xid: sent(&p.xid),
        version: sent(&p.three_d_secure_version),
        ds_transaction_id: sent(&p.ds_transaction_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(
        eci: &str,
        cavv: Option<&str>,
        xid: Option<&str>,
        version: Option<&str>,
    ) -> ThreeDSecureParams {
        let some = |s: Option<&str>| s.map_or(Field::Absent, |s| Field::Set(s.to_string()));
        ThreeDSecureParams {
            eci_flag: Field::Set(eci.into()),
            cavv: some(cavv),
            xid: some(xid),
            three_d_secure_version: some(version),
            ds_transaction_id: Field::Absent,
            ..ThreeDSecureParams::default()
        }
    }

    fn codes(p: &ThreeDSecureParams, brand: Brand) -> Vec<&'static str> {
        let mut errors = ValidationErrors::default();
        check(p, Some(brand), &mut errors);
        errors.codes()
    }

    #[test]
    fn eci_flags_whatever_the_brand() {
        // braintree_ruby's payment method update sends a Mastercard with 02,
        // braintree_node's credit card create a Visa with 02; both succeed.
        let visa = params("05", Some("cavv"), Some("some_xid"), Some("1.0.2"));
        assert!(codes(&visa, Brand::Visa).is_empty());
        assert!(codes(&visa, Brand::MasterCard).is_empty());
        let mc = params("02", Some("cavv"), None, Some("2.2.0"));
        assert!(codes(&mc, Brand::MasterCard).is_empty());
        assert!(codes(&mc, Brand::Visa).is_empty());
        assert!(codes(&params("07", None, None, None), Brand::AmericanExpress).is_empty());
        let bad = params("bad_eci_flag", None, None, Some("2.2.0"));
        assert_eq!(codes(&bad, Brand::Visa), ["942114"]);
        assert_eq!(
            codes(&params("03", None, None, Some("2.2.0")), Brand::Visa),
            ["942114"]
        );
    }

    #[test]
    fn protocol_statuses_and_cavv_algorithm() {
        let mut p = params("05", Some("c"), None, Some("1.0.2"));
        p.authentication_response = Field::Set("Y".into());
        p.directory_response = Field::Set("C".into());
        p.cavv_algorithm = Field::Set("2".into());
        assert!(codes(&p, Brand::Visa).is_empty());
        p.authentication_response = Field::Set("yes".into());
        p.directory_response = Field::Set("Q".into());
        p.cavv_algorithm = Field::Set("9".into());
        assert_eq!(codes(&p, Brand::Visa), ["942120", "942121", "942122"]);
    }

    #[test]
    fn version_cavv_and_xid() {
        assert_eq!(
            codes(&params("05", Some("c"), None, None), Brand::Visa),
            ["942117"]
        );
        assert_eq!(
            codes(&params("05", Some("c"), None, Some("xx")), Brand::Visa),
            ["942119"]
        );
        assert_eq!(
            codes(&params("05", None, None, Some("1.0.2")), Brand::Visa),
            ["942116"]
        );
        assert_eq!(
            codes(
                &params("05", Some("c"), Some("not base64!"), Some("1")),
                Brand::Visa
            ),
            ["942115"]
        );
        assert!(is_base64("AAAA"));
        assert!(is_base64("YWJjZA=="));
        assert!(!is_base64("YWJjZA="));
        assert!(!is_base64("A"));
    }
}
