//! Client tokens, and as much of the client API as the Drop-in uses to turn a card into
//! a nonce, so that a server integration can be tested offline end to end: client
//! token → nonce → customer or payment method update.
//!
//! `POST …/client_token` (`<client_token>`: `version` 1, 2 or 3, `customer_id`,
//! `merchant_account_id`, `options` `make_default`, `verify_card` and the two
//! `fail_on_duplicate_…`) answers `<client-token><value>`: the configuration as JSON,
//! base64-encoded from version 2 on. Its `authorizationFingerprint` is
//! `hex(HMAC-SHA256(private_key, claims)) + "|" + claims`, the claims being
//! `created_at=…&merchant_id=…&public_key=…` plus the customer and options, so the
//! gateway keeps no state for it and a changed claim fails the signature. A fingerprint
//! is good for 24 hours, as Braintree's are.
//!
//! The client API lives under `…/client_api/` and is authorized by the fingerprint, not
//! the merchant's keys: `GET v1/configuration` and `POST v1/payment_methods/credit_cards`
//! (JSON, `creditCard` or `credit_card`, names in either case), which answers 201
//! `{"creditCards": [{"nonce", "type", "details", …}]}` or 422 with the client API's
//! `fieldErrors`. The nonce is single-use, expires like any nonce, and is tied to the
//! token's customer: a payment method update refuses it (91735, as the seed says), and
//! when it is vaulted the token's options apply unless the request sets its own. A
//! billing address sent with the card is checked and not kept.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use super::body::{Body, json_object};
use super::credit_card::{self, IN_PAYMENT_METHOD};
use super::errors::{ValidationErrors, client_token as codes};
use super::params::{self, ClientTokenParams, read_params};
use super::render::{bad_request, unprocessable, xml_answer};
use super::vault::{Instrument, Nonce, NonceDefaults};
use super::verification::MERCHANT_ACCOUNTS;
use super::{BraintreeCredentials, Gateway};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::field::Field;
use crate::signature::signatures_equal;

/// How long an authorization fingerprint is good for.
const FINGERPRINT_LIFETIME_SECS: u64 = 24 * 60 * 60;

const SCOPE: [&str; 1] = ["client_token"];

/// What a valid fingerprint says.
#[derive(Debug, Clone, PartialEq, Default)]
struct Claims {
    customer_id: Option<String>,
    defaults: NonceDefaults,
}

fn sign(credentials: &BraintreeCredentials, claims: &str) -> String {
    // An HMAC takes a key of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(credentials.private_key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(claims.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fingerprint for `claims` issued at `now`.
fn fingerprint(
    credentials: &BraintreeCredentials,
    p: &ClientTokenParams,
    now: Timestamp,
) -> String {
    let mut claims = format!(
        "created_at={}&merchant_id={}&public_key={}",
        now.0, credentials.merchant_id, credentials.public_key
    );
    if let Some(id) = p.customer_id.value() {
        claims.push_str(&format!("&customer_id={id}"));
    }
    let options = [
        ("make_default", p.make_default),
        ("verify_card", p.verify_card),
        (
            "fail_on_duplicate_payment_method",
            p.fail_on_duplicate_payment_method,
        ),
        (
            "fail_on_duplicate_payment_method_for_customer",
            p.fail_on_duplicate_payment_method_for_customer,
        ),
    ];
    for (name, value) in options {
        if let Some(value) = value {
            claims.push_str(&format!("&{name}={value}"));
        }
    }
    format!("{}|{claims}", sign(credentials, &claims))
}

/// Checks a fingerprint from a request: signed by this merchant's key, not expired.
fn verify(credentials: &BraintreeCredentials, fingerprint: &str, now: Timestamp) -> Option<Claims> {
    let (signature, claims) = fingerprint.split_once('|')?;
    if !signatures_equal(signature, &sign(credentials, claims)) {
        return None;
    }
    let pairs: HashMap<&str, &str> = claims
        .split('&')
        .filter_map(|p| p.split_once('='))
        .collect();
    let created: u64 = pairs.get("created_at")?.parse().ok()?;
    if now.0 >= created.saturating_add(FINGERPRINT_LIFETIME_SECS)
        || pairs.get("merchant_id") != Some(&credentials.merchant_id.as_str())
    {
        return None;
    }
    let flag = |name: &str| pairs.get(name).map(|v| *v == "true");
    Some(Claims {
        customer_id: pairs.get("customer_id").map(|s| s.to_string()),
        defaults: NonceDefaults {
            make_default: flag("make_default"),
            verify_card: flag("verify_card"),
            fail_on_duplicate_payment_method: flag("fail_on_duplicate_payment_method"),
            fail_on_duplicate_payment_method_for_customer: flag(
                "fail_on_duplicate_payment_method_for_customer",
            ),
        },
    })
}

/// `http://HOST` as the request reached the gateway, for the URLs a token carries.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// The configuration a client token carries and `v1/configuration` answers.
fn configuration(gateway: &Gateway, headers: &HeaderMap, fingerprint: Option<String>) -> Value {
    let merchant = &gateway.credentials.merchant_id;
    let client_api = format!("{}/merchants/{merchant}/client_api", origin(headers));
    let mut config = json!({
        "environment": "development",
        "merchantId": merchant,
        "clientApiUrl": client_api,
        "configUrl": format!("{client_api}/v1/configuration"),
        "assetsUrl": origin(headers),
        "challenges": [],
        "threeDSecureEnabled": false,
        "paypalEnabled": false,
        "analytics": {"url": null},
        "creditCards": {"supportedCardTypes": [
            "American Express", "Discover", "JCB", "MasterCard", "Visa", "UnionPay", "Maestro"
        ]},
    });
    if let (Some(fingerprint), Some(map)) = (fingerprint, config.as_object_mut()) {
        map.insert("authorizationFingerprint".into(), json!(fingerprint));
    }
    config
}

/// Checks a client token request.
fn check(gateway: &Gateway, p: &ClientTokenParams) -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    match p.version.value().map(String::as_str) {
        None | Some("1" | "2" | "3") => {}
        Some(_) => errors.add(&SCOPE, codes::UNSUPPORTED_VERSION),
    }
    match p.customer_id.value() {
        Some(id) if !gateway.lock().customer_exists(id) => {
            errors.add(&SCOPE, codes::CUSTOMER_DOES_NOT_EXIST);
        }
        Some(_) => {}
        None => {
            let needs_customer = [
                (p.make_default, codes::MAKE_DEFAULT_REQUIRES_CUSTOMER_ID),
                (p.verify_card, codes::VERIFY_CARD_REQUIRES_CUSTOMER_ID),
                (
                    p.fail_on_duplicate_payment_method,
                    codes::FAIL_ON_DUPLICATE_PAYMENT_METHOD_REQUIRES_CUSTOMER_ID,
                ),
                (
                    p.fail_on_duplicate_payment_method_for_customer,
                    codes::FAIL_ON_DUPLICATE_PAYMENT_METHOD_FOR_CUSTOMER_REQUIRES_CUSTOMER_ID,
                ),
            ];
            for (option, code) in needs_customer {
                if option == Some(true) {
                    errors.add(&SCOPE, code);
                }
            }
        }
    }
    if let Some(id) = p.merchant_account_id.value()
        && !MERCHANT_ACCOUNTS.iter().any(|a| a.id == id)
    {
        errors.add(&SCOPE, codes::MERCHANT_ACCOUNT_DOES_NOT_EXIST);
    }
    errors
}

/// `POST /merchants/{merchant_id}/client_token`: 201 with `<client-token><value>`, or
/// 422 (the clients raise the error document's message).
pub(super) async fn generate_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(merchant_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (tree, p) = match read_params(&body, "client_token", params::client_token) {
        Ok(read) => read,
        Err(e) => return bad_request(e),
    };
    let errors = check(&gateway, &p);
    if !errors.is_empty() {
        return unprocessable(&errors.into(), tree, &[("merchant_id", &merchant_id)]);
    }
    let print = fingerprint(&gateway.credentials, &p, gateway.now());
    let mut config = configuration(&gateway, &headers, Some(print));
    let version = p.version.value().cloned().unwrap_or_else(|| "2".into());
    if let Some(map) = config.as_object_mut() {
        map.insert("version".into(), json!(version.parse::<u8>().unwrap_or(2)));
    }
    let text = config.to_string();
    let value = if version == "1" {
        text
    } else {
        STANDARD.encode(text)
    };
    xml_answer(
        StatusCode::CREATED,
        &json!({"client_token": {"value": value}}),
    )
}

fn client_api_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": {"message": message}}))).into_response()
}

/// `GET …/client_api/v1/configuration?authorizationFingerprint=…`: the configuration,
/// or 401.
pub(super) async fn configuration_handler(
    State(gateway): State<Arc<Gateway>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let print = query
        .get("authorizationFingerprint")
        .or(query.get("authorization_fingerprint"));
    match print.and_then(|p| verify(&gateway.credentials, p, gateway.now())) {
        Some(_) => axum::Json(configuration(&gateway, &headers, None)).into_response(),
        None => client_api_error(StatusCode::UNAUTHORIZED, "Authorization failed"),
    }
}

/// `POST …/client_api/v1/payment_methods/credit_cards`: tokenizes a card into a nonce.
pub(super) async fn tokenize_handler(State(gateway): State<Arc<Gateway>>, body: Body) -> Response {
    let request = match json_object(&body.text) {
        Ok(request) => request,
        Err(e) => return client_api_error(StatusCode::BAD_REQUEST, &e.0),
    };
    let print = match params::text_of(&request, "authorization_fingerprint") {
        Ok(Field::Set(print)) => print,
        _ => return client_api_error(StatusCode::UNAUTHORIZED, "Authorization failed"),
    };
    let now = gateway.now();
    let Some(claims) = verify(&gateway.credentials, &print, now) else {
        return client_api_error(StatusCode::UNAUTHORIZED, "Authorization failed");
    };
    let card = request
        .get("credit_card")
        .map_or(Ok(Map::new()), |v| params::object_of(v, "credit_card"))
        .and_then(|map| params::card(&map));
    let mut p = match card {
        Ok(p) => p,
        Err(e) => return client_api_error(StatusCode::BAD_REQUEST, &e.0),
    };
    // The client API tokenizes: it takes no token, nonce or vaulting options.
    p.token = Field::Absent;
    p.payment_method_nonce = Field::Absent;
    p.options = Default::default();
    let mut vault = gateway.lock();
    let mut errors = ValidationErrors::default();
    let plan = credit_card::plan(&vault, None, &p, IN_PAYMENT_METHOD, now, &mut errors);
    if !errors.is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(errors.to_client_api_document()),
        )
            .into_response();
    }
    let mut card = credit_card::resulting_card(&vault, &plan);
    card.billing_address_id = None;
    let details = json!({
        "bin": card.bin,
        "cardType": card.brand.braintree_name(),
        "lastTwo": card.last_4.get(2..).unwrap_or_default(),
        "lastFour": card.last_4,
        "expirationMonth": card.expiration_month,
        "expirationYear": card.expiration_year,
    });
    let description = format!("ending in {}", card.last_4.get(2..).unwrap_or_default());
    let key = vault.insert_nonce(Nonce {
        instrument: Instrument::Card(card),
        customer_id: claims.customer_id,
        defaults: claims.defaults,
        consumed: false,
        created: now,
    });
    (
        StatusCode::CREATED,
        axum::Json(json!({"creditCards": [{
            "type": "CreditCard",
            "nonce": key,
            "description": description,
            "consumed": false,
            "default": false,
            "details": details,
            "threeDSecureInfo": null,
        }]})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_carry_their_claims_and_refuse_changes() {
        let credentials = BraintreeCredentials::default();
        let p = ClientTokenParams {
            customer_id: Field::Set("c1".into()),
            make_default: Some(true),
            ..ClientTokenParams::default()
        };
        let now = Timestamp(1_700_000_000);
        let print = fingerprint(&credentials, &p, now);
        let claims = verify(&credentials, &print, now).unwrap();
        assert_eq!(claims.customer_id.as_deref(), Some("c1"));
        assert_eq!(claims.defaults.make_default, Some(true));
        assert_eq!(claims.defaults.verify_card, None);
        let forged = print.replace("customer_id=c1", "customer_id=c2");
        assert!(verify(&credentials, &forged, now).is_none());
        let later = Timestamp(now.0 + FINGERPRINT_LIFETIME_SECS);
        assert!(verify(&credentials, &print, later).is_none(), "expired");
        let other = BraintreeCredentials {
            private_key: "other".into(),
            ..BraintreeCredentials::default()
        };
        assert!(verify(&other, &print, now).is_none());
        assert!(verify(&credentials, "no bar", now).is_none());
    }
}
