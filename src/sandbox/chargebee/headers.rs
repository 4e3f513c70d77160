//! Chargebee's optional request headers. Each is accepted; values that cannot be right
//! are refused like a bad parameter, with the header's name as `param`.
//!
//! | header | accepted value |
//! |---|---|
//! | `chargebee-event-webhook`, `chargebee-event-actions`, `chargebee-event-email` | `all-disabled` (skip webhooks, all event actions, emails) |
//! | `chargebee-request-origin-ip` | an IPv4 or IPv6 address |
//! | `chargebee-request-origin-user` | an ASCII email address (ignored when the encoded form is sent) |
//! | `chargebee-request-origin-user-encoded` | an email address, Base64-encoded UTF-8 |
//! | `chargebee-request-origin-device` | any text |
//! | `chargebee-business-entity-id` | any id; a customer created with it belongs to that entity |
//!
//! The sandbox sends no webhooks or emails, so the event headers change nothing else.

use std::net::IpAddr;

use axum::http::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::errors::ApiError;
use super::params::is_email;

/// What the headers of one request ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RequestHeaders {
    /// `chargebee-business-entity-id`.
    pub business_entity_id: Option<String>,
}

const EVENT_HEADERS: [&str; 3] = [
    "chargebee-event-webhook",
    "chargebee-event-actions",
    "chargebee-event-email",
];

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ApiError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .map(|s| Some(s.trim()))
            .map_err(|_| ApiError::invalid(name, "must be ASCII text")),
    }
}

/// Checks the documented headers of a request.
pub(super) fn read(headers: &HeaderMap) -> Result<RequestHeaders, ApiError> {
    for name in EVENT_HEADERS {
        if let Some(value) = text(headers, name)?
            && value != "all-disabled"
        {
            return Err(ApiError::invalid(
                name,
                format!("invalid value {value}; the possible value is all-disabled"),
            ));
        }
    }
    const IP: &str = "chargebee-request-origin-ip";
    if let Some(value) = text(headers, IP)?
        && value.parse::<IpAddr>().is_err()
    {
        return Err(ApiError::invalid(
            IP,
            format!("{value} is not an IP address"),
        ));
    }
    const ENCODED: &str = "chargebee-request-origin-user-encoded";
    const USER: &str = "chargebee-request-origin-user";
    if let Some(value) = text(headers, ENCODED)? {
        let decoded = STANDARD
            .decode(value)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        if !decoded.as_deref().is_some_and(is_email) {
            return Err(ApiError::invalid(
                ENCODED,
                "must be a Base64-encoded email address",
            ));
        }
    } else if let Some(value) = text(headers, USER)?
        && !is_email(value)
    {
        return Err(ApiError::invalid(USER, "must be an email address"));
    }
    text(headers, "chargebee-request-origin-device")?;
    let business_entity_id = text(headers, "chargebee-business-entity-id")?
        .filter(|v| !v.is_empty())
        .map(str::to_string);
    Ok(RequestHeaders { business_entity_id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn accepts_documented_values() {
        let h = with(&[
            ("chargebee-event-webhook", "all-disabled"),
            ("chargebee-event-actions", "all-disabled"),
            ("chargebee-event-email", "all-disabled"),
            ("chargebee-request-origin-ip", "2001:db8::1"),
            ("chargebee-request-origin-user", "ada@example.com"),
            ("chargebee-request-origin-device", "iPhone"),
            ("chargebee-business-entity-id", "be_1"),
        ]);
        assert_eq!(
            read(&h).unwrap().business_entity_id.as_deref(),
            Some("be_1")
        );
        let encoded = STANDARD.encode("zoë@example.com");
        let h = with(&[
            ("chargebee-request-origin-user-encoded", &encoded),
            ("chargebee-request-origin-user", "ignored"),
        ]);
        assert!(read(&h).is_ok());
    }

    #[test]
    fn refuses_wrong_values() {
        for (name, value) in [
            ("chargebee-event-webhook", "off"),
            ("chargebee-request-origin-ip", "300.1.1.1"),
            ("chargebee-request-origin-user", "nobody"),
            ("chargebee-request-origin-user-encoded", "!!!"),
        ] {
            let e = read(&with(&[(name, value)])).unwrap_err();
            assert_eq!(e.param.as_deref(), Some(name));
        }
    }
}
