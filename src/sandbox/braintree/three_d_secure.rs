//! 3-D Secure pass-through (`three_d_secure_pass_thru`): the result of a merchant's own
//! 3-D Secure authentication, sent with a card.
//!
//! Rules from the seed documents: the ECI flag takes `00`, `01`, `02`, `04` for
//! Mastercard and `05`, `06`, `07` for other brands; `three_d_secure_version` is digits
//! separated by periods and is required for Visa and Mastercard; `xid` is base64. The
//! CAVV is required when the ECI flag says the authentication succeeded or was
//! attempted (Braintree publishes `CavvIsRequired` without saying when; this is the
//! card networks' rule). Errors sit on the `verification` scope at the document's root,
//! as braintree_ruby's customer spec reads them.

use super::errors::{ValidationErrors, sandbox, three_d_secure as codes};
use super::params::ThreeDSecureParams;
use super::vault::ThreeDSecure;
use crate::sandbox::card::Brand;
use crate::sandbox::field::Field;

const SCOPE: [&str; 1] = ["verification"];

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
    let mastercard = brand == Some(Brand::MasterCard);
    let known = brand.is_some_and(|b| b != Brand::Unknown);
    match eci.as_deref() {
        None => errors.add(&SCOPE, codes::ECI_FLAG_IS_REQUIRED),
        Some(flag) => {
            let accepted: &[&str] = match (known, mastercard) {
                (true, true) => &["00", "01", "02", "04"],
                (true, false) => &["05", "06", "07"],
                (false, _) => &["00", "01", "02", "04", "05", "06", "07"],
            };
            if !accepted.contains(&flag) {
                errors.add(&SCOPE, codes::ECI_FLAG_IS_INVALID);
            }
        }
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
        }
    }

    fn codes(p: &ThreeDSecureParams, brand: Brand) -> Vec<&'static str> {
        let mut errors = ValidationErrors::default();
        check(p, Some(brand), &mut errors);
        errors.codes()
    }

    #[test]
    fn eci_flags_per_brand() {
        let ok = params("05", Some("cavv"), Some("some_xid"), Some("1.0.2"));
        assert!(codes(&ok, Brand::Visa).is_empty());
        assert_eq!(codes(&ok, Brand::MasterCard), ["942114"]);
        let mc = params("02", Some("cavv"), None, Some("2.2.0"));
        assert!(codes(&mc, Brand::MasterCard).is_empty());
        assert_eq!(codes(&mc, Brand::AmericanExpress), ["942114"]);
        assert!(codes(&params("07", None, None, None), Brand::AmericanExpress).is_empty());
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
