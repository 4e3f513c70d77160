//! Payment method nonces: Braintree's documented sandbox nonces, and nonces made from
//! vaulted payment methods (`POST …/payment_methods/{token}/nonces`).
//!
//! The documented nonces (`fake-valid-visa-nonce`, `fake-paypal-future-nonce`, …, the
//! names braintree_python lists in `braintree/test/nonces.py`) never run out. A nonce
//! made from a vaulted payment method is tied to that method's customer and can be
//! redeemed once.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::Gateway;
use super::credit_card::check_number;
use super::errors::{Code, credit_card as codes, paypal_account};
use super::render::{empty, xml_answer};
use super::vault::{
    Instrument, Nonce, NonceDefaults, PayPalAccount, Vault, VenmoAccount, WalletCard,
};
use crate::sandbox::card::{Brand, Kept};
use crate::sandbox::clock::Timestamp;

/// The card a nonce stands for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NonceCard {
    pub facts: Kept,
    pub expiration_month: String,
    pub expiration_year: String,
    pub cardholder_name: Option<String>,
    /// The client token's vaulting options, for a nonce tokenized with one.
    pub defaults: NonceDefaults,
}

/// What a nonce stands for.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Content {
    Card(NonceCard),
    /// Any other payment method type (PayPal, wallets, Venmo).
    Other(Instrument),
}

/// A nonce that can be redeemed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Redeemable {
    pub content: Content,
    /// Set for a nonce made from a vaulted payment method: the customer it belongs to.
    pub customer_id: Option<String>,
    /// Set when redeeming uses the nonce up.
    pub single_use_key: Option<String>,
}

/// The year the documented card nonces expire in. Fixed, so answers are stable.
const FAKE_EXPIRATION: (&str, &str) = ("12", "2030");

/// Documented card nonces and the test card number each stands for.
const CARD_NONCES: &[(&str, &str)] = &[
    ("fake-valid-nonce", "4012888888881881"),
    ("fake-valid-visa-nonce", "4012888888881881"),
    ("fake-valid-amex-nonce", "378282246310005"),
    ("fake-valid-mastercard-nonce", "5555555555554444"),
    ("fake-valid-discover-nonce", "6011111111111117"),
    ("fake-valid-jcb-nonce", "3530111333300000"),
    ("fake-valid-maestro-nonce", "6304000000000000"),
    ("fake-valid-dinersclub-nonce", "36259600000004"),
    ("fake-valid-prepaid-nonce", "4500600000000061"),
    ("fake-processor-declined-visa-nonce", "4000111111111115"),
    (
        "fake-processor-declined-mastercard-nonce",
        "5105105105105100",
    ),
    ("fake-processor-declined-amex-nonce", "378734493671000"),
    ("fake-processor-declined-discover-nonce", "6011000990139424"),
    ("fake-processor-failure-jcb-nonce", "3566002020360505"),
    // Fails the Luhn check: redeeming it reports 81715 like a mistyped number.
    ("fake-luhn-invalid-nonce", "4111111111111112"),
];

/// Documented wallet card nonces: (nonce, is Apple Pay, brand, bin, last 4).
const WALLET_NONCES: &[(&str, bool, Brand, &str, &str)] = &[
    (
        "fake-apple-pay-visa-nonce",
        true,
        Brand::Visa,
        "401288",
        "1881",
    ),
    (
        "fake-apple-pay-mastercard-nonce",
        true,
        Brand::MasterCard,
        "555555",
        "4444",
    ),
    (
        "fake-apple-pay-amex-nonce",
        true,
        Brand::AmericanExpress,
        "378282",
        "0005",
    ),
    (
        "fake-android-pay-nonce",
        false,
        Brand::Discover,
        "601111",
        "1117",
    ),
    (
        "fake-android-pay-visa-nonce",
        false,
        Brand::Visa,
        "401288",
        "1881",
    ),
    (
        "fake-android-pay-mastercard-nonce",
        false,
        Brand::MasterCard,
        "555555",
        "4444",
    ),
    (
        "fake-android-pay-amex-nonce",
        false,
        Brand::AmericanExpress,
        "378282",
        "0005",
    ),
    (
        "fake-android-pay-discover-nonce",
        false,
        Brand::Discover,
        "601111",
        "1117",
    ),
];

/// Resolves a nonce, or says why it cannot be redeemed. The error is reported on the
/// request's card scope.
pub(super) fn resolve(vault: &Vault, nonce: &str, now: Timestamp) -> Result<Redeemable, Code> {
    let documented = |content| {
        Ok(Redeemable {
            content,
            customer_id: None,
            single_use_key: None,
        })
    };
    if let Some((_, number)) = CARD_NONCES.iter().find(|(n, _)| *n == nonce) {
        let facts = check_number(vault, number)?;
        return documented(Content::Card(NonceCard {
            facts,
            expiration_month: FAKE_EXPIRATION.0.into(),
            expiration_year: FAKE_EXPIRATION.1.into(),
            cardholder_name: None,
            defaults: NonceDefaults::default(),
        }));
    }
    if let Some((_, apple, brand, bin, last_4)) = WALLET_NONCES.iter().find(|w| w.0 == nonce) {
        let card = WalletCard {
            brand: *brand,
            bin: bin.to_string(),
            last_4: last_4.to_string(),
            expiration_month: FAKE_EXPIRATION.0.into(),
            expiration_year: FAKE_EXPIRATION.1.into(),
            description: format!("{} {last_4}", brand.braintree_name()),
        };
        let instrument = if *apple {
            Instrument::ApplePay(card)
        } else {
            Instrument::GooglePay(card)
        };
        return documented(Content::Other(instrument));
    }
    match nonce {
        "fake-paypal-future-nonce" | "fake-paypal-billing-agreement-nonce" => {
            documented(Content::Other(Instrument::PayPal(PayPalAccount {
                email: "jane.doe@example.com".into(),
                payer_id: "FAKE-PAYER-ID".into(),
                billing_agreement_id: (nonce == "fake-paypal-billing-agreement-nonce")
                    .then(|| "B-FAKE-AGREEMENT".into()),
            })))
        }
        "fake-venmo-account-nonce" => documented(Content::Other(Instrument::Venmo(VenmoAccount {
            username: "venmojoe".into(),
            venmo_user_id: "Venmo-Joe-1".into(),
        }))),
        "fake-paypal-one-time-nonce" => {
            Err(paypal_account::CANNOT_VAULT_ONE_TIME_USE_PAYPAL_ACCOUNT)
        }
        "fake-consumed-nonce" => Err(codes::PAYMENT_METHOD_NONCE_CONSUMED),
        _ => match vault.nonce(nonce, now) {
            None => Err(codes::PAYMENT_METHOD_NONCE_UNKNOWN),
            Some(stored) if stored.consumed => Err(codes::PAYMENT_METHOD_NONCE_CONSUMED),
            Some(stored) => Ok(Redeemable {
                content: match &stored.instrument {
                    Instrument::Card(card) => Content::Card(NonceCard {
                        facts: Kept {
                            brand: card.brand,
                            bin: card.bin.clone(),
                            last_4: card.last_4.clone(),
                            fingerprint: card.fingerprint.clone(),
                        },
                        expiration_month: card.expiration_month.clone(),
                        expiration_year: card.expiration_year.clone(),
                        cardholder_name: card.cardholder_name.clone(),
                        defaults: stored.defaults,
                    }),
                    other => Content::Other(other.clone()),
                },
                customer_id: stored.customer_id.clone(),
                single_use_key: Some(nonce.to_string()),
            }),
        },
    }
}

/// Braintree's name for a payment method type, as nonces report it.
fn type_name(instrument: &Instrument) -> &'static str {
    match instrument {
        Instrument::Card(_) => "CreditCard",
        Instrument::PayPal(_) => "PayPalAccount",
        Instrument::ApplePay(_) => "ApplePayCard",
        Instrument::GooglePay(_) => "AndroidPayCard",
        Instrument::Venmo(_) => "VenmoAccount",
    }
}

/// `<payment-method-nonce>` (without the root key).
fn nonce_tree(key: &str, nonce: &Nonce) -> Value {
    let details = match &nonce.instrument {
        Instrument::Card(card) => json!({
            "bin": card.bin,
            "last_two": card.last_4.get(2..).unwrap_or_default(),
            "last_four": card.last_4,
            "card_type": card.brand.braintree_name(),
            "expiration_month": card.expiration_month,
            "expiration_year": card.expiration_year,
        }),
        Instrument::PayPal(account) => {
            json!({"email": account.email, "payer_id": account.payer_id})
        }
        Instrument::ApplePay(card) | Instrument::GooglePay(card) => json!({
            "bin": card.bin,
            "last_four": card.last_4,
            "card_type": card.brand.braintree_name(),
        }),
        Instrument::Venmo(account) => {
            json!({"username": account.username, "venmo_user_id": account.venmo_user_id})
        }
    };
    json!({
        "nonce": key,
        "type": type_name(&nonce.instrument),
        "default": false,
        "is_locked": false,
        "consumed": nonce.consumed,
        "details": details,
        "three_d_secure_info": null,
    })
}

/// `POST /merchants/{merchant_id}/payment_methods/{token}/nonces`: 201 with a
/// single-use nonce tied to the payment method's customer, or 404.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, token)): Path<(String, String)>,
) -> Response {
    let mut vault = gateway.lock();
    let Some(pm) = vault.payment_method(&token) else {
        return empty(StatusCode::NOT_FOUND);
    };
    let nonce = Nonce {
        instrument: pm.instrument.clone(),
        customer_id: Some(pm.customer_id.clone()),
        defaults: NonceDefaults::default(),
        consumed: false,
        created: gateway.now(),
    };
    let tree = |key: &str, nonce: &Nonce| json!({"payment_method_nonce": nonce_tree(key, nonce)});
    let key = vault.insert_nonce(nonce.clone());
    xml_answer(StatusCode::CREATED, &tree(&key, &nonce))
}

/// `GET /merchants/{merchant_id}/payment_method_nonces/{nonce}`: 200 or 404.
pub(super) async fn find_handler(
    State(gateway): State<Arc<Gateway>>,
    Path((_merchant_id, key)): Path<(String, String)>,
) -> Response {
    let vault = gateway.lock();
    match vault.nonce(&key, gateway.now()) {
        Some(nonce) => xml_answer(
            StatusCode::OK,
            &json!({"payment_method_nonce": nonce_tree(&key, nonce)}),
        ),
        None => empty(StatusCode::NOT_FOUND),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::body::to_bytes;

    use super::*;
    use crate::sandbox::BraintreeCredentials;
    use crate::sandbox::braintree::vault::{Customer, NONCE_LIFETIME_SECS, PaymentMethod};
    use crate::sandbox::clock::ManualClock;
    use crate::wire::xml;

    const NOW: Timestamp = Timestamp(1_700_000_000);

    #[test]
    fn documented_nonces_resolve() {
        let vault = Vault::default();
        let Ok(Redeemable {
            content: Content::Card(card),
            customer_id: None,
            single_use_key: None,
        }) = resolve(&vault, "fake-valid-visa-nonce", NOW)
        else {
            panic!("a card nonce");
        };
        assert_eq!(
            (card.facts.bin.as_str(), card.facts.last_4.as_str()),
            ("401288", "1881")
        );
        assert!(matches!(
            resolve(&vault, "fake-paypal-future-nonce", NOW).map(|r| r.content),
            Ok(Content::Other(Instrument::PayPal(_)))
        ));
        assert!(matches!(
            resolve(&vault, "fake-android-pay-visa-nonce", NOW).map(|r| r.content),
            Ok(Content::Other(Instrument::GooglePay(_)))
        ));
        assert_eq!(
            resolve(&vault, "fake-consumed-nonce", NOW).err(),
            Some(codes::PAYMENT_METHOD_NONCE_CONSUMED)
        );
        assert_eq!(
            resolve(&vault, "nope", NOW).err(),
            Some(codes::PAYMENT_METHOD_NONCE_UNKNOWN)
        );
        assert_eq!(
            resolve(&vault, "fake-luhn-invalid-nonce", NOW).err(),
            Some(codes::NUMBER_IS_INVALID)
        );
        assert_eq!(
            resolve(&vault, "fake-paypal-one-time-nonce", NOW).err(),
            Some(paypal_account::CANNOT_VAULT_ONE_TIME_USE_PAYPAL_ACCOUNT)
        );
    }

    /// Customer `c1` with a Venmo account `tok`, in a gateway whose clock is `clock`.
    fn gateway_with_a_payment_method(clock: Arc<ManualClock>) -> Arc<Gateway> {
        let gateway = Arc::new(Gateway::new(BraintreeCredentials::default(), clock));
        let mut vault = gateway.lock();
        vault.insert_customer(Customer::new("c1".into(), NOW));
        vault.insert_payment_method(PaymentMethod {
            token: "tok".into(),
            customer_id: "c1".into(),
            instrument: Instrument::Venmo(VenmoAccount {
                username: "venmojoe".into(),
                venmo_user_id: "Venmo-Joe-1".into(),
            }),
            created_at: NOW,
            updated_at: NOW,
        });
        drop(vault);
        gateway
    }

    #[tokio::test]
    async fn a_vaulted_nonce_expires_three_hours_after_it_is_made() {
        let clock = Arc::new(ManualClock::at(NOW));
        let gateway = gateway_with_a_payment_method(clock.clone());
        let path = |id: &str| Path(("sandbox_merchant".to_string(), id.to_string()));
        let made = create_handler(State(gateway.clone()), path("tok")).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let body = to_bytes(made.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        let tree = xml::decode(&String::from_utf8_lossy(&body)).unwrap_or_default();
        let key = tree["payment_method_nonce"]["nonce"]
            .as_str()
            .unwrap_or_default();
        assert!(key.starts_with("tokencc_"), "{tree}");

        let find = || find_handler(State(gateway.clone()), path(key));
        clock.advance(Duration::from_secs(NONCE_LIFETIME_SECS - 1));
        assert_eq!(
            find().await.status(),
            StatusCode::OK,
            "a second short of 3 h"
        );
        assert!(resolve(&gateway.lock(), key, gateway.now()).is_ok());
        clock.advance(Duration::from_secs(1));
        assert_eq!(find().await.status(), StatusCode::NOT_FOUND, "3 h old");
        assert_eq!(
            resolve(&gateway.lock(), key, gateway.now()).err(),
            Some(codes::PAYMENT_METHOD_NONCE_UNKNOWN)
        );
    }
}
