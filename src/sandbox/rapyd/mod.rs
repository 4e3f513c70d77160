//! Rapyd's signed JSON API under `/v1/`, over a vault of its own.
//!
//! | module | holds |
//! |---|---|
//! | `routes` | the paths and the middleware order |
//! | `auth` | the signature and timestamp checks |
//! | `vault` | what is stored |
//! | `params` | request bodies read into fields (absent, cleared, set) |
//! | `errors` | Rapyd's error codes, statuses and messages |
//! | `render` | the answer envelope: `status`, and `data` on success |
//! | `customer`, `payment_method`, `address`, `coupon` | each object's rules, endpoints and shape |
//! | `idempotency` | replay of first answers |
//! | `webhook` | signed webhooks to the configured URL |
//!
//! Endpoints: customers (`POST /v1/customers`, `GET /v1/customers?limit=`,
//! `GET`/`POST`/`DELETE /v1/customers/{id}`), a customer's payment methods
//! (`POST`/`GET /v1/customers/{id}/payment_methods`, `GET`/`DELETE
//! /v1/customers/{id}/payment_methods/{pm}`), coupons (`POST /v1/coupons`, `GET
//! /v1/coupons/{id}`).
//!
//! Choices and known differences from Rapyd:
//! - Error codes and messages are Rapyd's published ones, except three the
//!   documentation does not name, chosen here: `INVALID_PHONE_NUMBER` for a customer
//!   `phone_number` that is not E.164 (by analogy with `INVALID_ADDRESS_PHONE_NUMBER`),
//!   `INVALID_FIELDS` for a field of the wrong type or a body that is not a JSON object,
//!   and `ERROR_INVALID_EWALLET`'s message for a wallet id not starting with `ewallet_`.
//! - A customer, payment method or coupon named in the path that does not exist answers
//!   404 (`ERROR_GET_CUSTOMER`, `INVALID_PAYMENT_METHOD`, `ERROR_GET_COUPON`); one
//!   named in the body answers 400. Rapyd's pages show 400 for body errors and do not
//!   show a not-found status.
//! - `default_payment_method` that does not start with `card_`/`other_`, or names no
//!   payment method: `INVALID_PAYMENT_METHOD`; another customer's:
//!   `ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER`.
//! - Stale (older than 60 s) and future timestamps answer `UNAUTHENTICATED_API_CALL`,
//!   like a bad signature or access key, with Rapyd's documented message for all three.
//! - Idempotency covers every method but GET/HEAD and, as with Rapyd's "all POST
//!   requests" configuration, looks only at the header: the same key with another
//!   request replays the first answer. Refused authentications are not recorded.
//! - Update Customer's page says it triggers the *Customer Created* webhook; this
//!   gateway sends `CUSTOMER_UPDATED` on update, `CUSTOMER_CREATED` on create and
//!   `CUSTOMER_DELETED` on delete (Rapyd's webhook list), nothing for payment methods.
//! - Wallets, subscriptions and 3-D Secure are not modelled: any `ewallet_…` id is
//!   accepted (once per customer), `subscriptions` is `null`, cards show
//!   `next_action: 3d_verification` and unchecked ACS/CVV. Card `bin_details` show the
//!   BIN and the brand its prefix announces (`VISA`, as in Rapyd's Create Payment
//!   example, `MASTERCARD`, `AMERICAN EXPRESS`, ...; `null` when unknown), no type,
//!   issuer or country. Payment method tokens from hosted pages are unknown (`token` answers
//!   `INVALID_PAYMENT_METHOD`). Non-card types keep their `fields` unchecked.
//! - `name` is not required on create and `email` is not checked.
//! - A coupon's discount ends at `discount_valid_until` when set, else never (`-1`);
//!   assigning a coupon does not count as a redemption.
//! - Customers made here are not seen by the Braintree or Chargebee APIs.

mod address;
mod auth;
mod coupon;
mod customer;
mod errors;
mod idempotency;
mod params;
mod payment_method;
mod render;
mod routes;
mod vault;
mod webhook;

use std::sync::{Arc, MutexGuard};

use axum::Router;

use super::RapydSettings;
use super::clock::{SharedClock, Timestamp};
use super::state::Locked;

/// What every Rapyd handler needs: the keys, the vault, kept answers, webhooks and the
/// clock.
#[derive(Debug)]
pub(super) struct Gateway {
    settings: RapydSettings,
    vault: Locked<vault::Vault>,
    idempotency: idempotency::Cache,
    webhooks: webhook::Webhooks,
    clock: SharedClock,
}

impl Gateway {
    fn new(settings: RapydSettings, clock: SharedClock) -> Gateway {
        Gateway {
            webhooks: webhook::Webhooks::new(&settings),
            settings,
            vault: Locked::default(),
            idempotency: idempotency::Cache::default(),
            clock,
        }
    }

    /// Locks the vault for a whole request (every check runs before any change).
    fn lock(&self) -> MutexGuard<'_, vault::Vault> {
        self.vault.lock()
    }

    /// The time now, by the gateway's clock.
    fn timestamp(&self) -> Timestamp {
        self.clock.now()
    }

    /// Unix seconds now.
    fn now(&self) -> u64 {
        self.timestamp().0
    }
}

/// All Rapyd routes, on a fresh vault.
pub(super) fn router(settings: RapydSettings, clock: SharedClock) -> Router {
    routes::router(Arc::new(Gateway::new(settings, clock)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use reqwest::{Method, StatusCode};
    use serde_json::Value;

    use crate::sandbox::clock::{Clock, ManualClock, Timestamp};
    use crate::sandbox::{RapydSettings, SandboxConfig, router_with_clock};
    use crate::server::BackgroundServer;
    use crate::signature::{RapydKeys, rapyd_request_signature};

    use super::auth::MAX_AGE_SECS;
    use super::idempotency::TTL_SECS;

    const START: Timestamp = Timestamp(1_700_000_000);

    /// The sandbox on a free port, its time stopped at [`START`].
    async fn serve() -> (BackgroundServer, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::at(START));
        let app = router_with_clock(SandboxConfig::default(), clock.clone());
        let server = BackgroundServer::bind(([127, 0, 0, 1], 0).into(), app)
            .await
            .expect("a free port");
        (server, clock)
    }

    /// Sends a request signed at `signed_at` with the default keys; the status and the
    /// answer's JSON.
    async fn send(
        server: &BackgroundServer,
        method: Method,
        path: &str,
        body: &str,
        signed_at: Timestamp,
        idempotency: Option<&str>,
    ) -> (StatusCode, Value) {
        let settings = RapydSettings::default();
        let keys = RapydKeys {
            access_key: &settings.access_key,
            secret_key: &settings.secret_key,
        };
        let timestamp = signed_at.0.to_string();
        let signature =
            rapyd_request_signature(keys, method.as_str(), path, "s4lt", &timestamp, body);
        let mut request = reqwest::Client::new()
            .request(method, format!("http://{}{path}", server.addr()))
            .header("content-type", "application/json")
            .header("access_key", &settings.access_key)
            .header("salt", "s4lt")
            .header("timestamp", timestamp)
            .header("signature", signature)
            .body(body.to_string());
        if let Some(key) = idempotency {
            request = request.header("idempotency", key);
        }
        let answer = request.send().await.expect("an answer");
        let status = answer.status();
        let json = answer.json().await.expect("a JSON answer");
        (status, json)
    }

    fn refused(answer: &(StatusCode, Value)) -> bool {
        answer.0 == StatusCode::UNAUTHORIZED
            && answer.1["status"]["error_code"] == "UNAUTHENTICATED_API_CALL"
    }

    #[tokio::test]
    async fn a_request_is_accepted_within_60_seconds_of_its_timestamp() {
        let (server, clock) = serve().await;
        let signed_at = |t: Timestamp| send(&server, Method::GET, "/v1/customers", "", t, None);
        let ahead = signed_at(Timestamp(START.0 + MAX_AGE_SECS + 1)).await;
        assert!(refused(&ahead), "signed 61 s in the future: {ahead:?}");

        clock.advance(Duration::from_secs(MAX_AGE_SECS - 1));
        let fresh = signed_at(START).await;
        assert_eq!(fresh.0, StatusCode::OK, "signed 59 s ago: {fresh:?}");
        clock.advance(Duration::from_secs(2));
        let stale = signed_at(START).await;
        assert!(refused(&stale), "signed 61 s ago: {stale:?}");
        server.shutdown().await;
    }

    #[tokio::test]
    async fn an_idempotency_key_replays_its_first_answer_for_24_hours() {
        let (server, clock) = serve().await;
        let create = || {
            let now = clock.now();
            let server = &server;
            async move {
                let body = r#"{"name": "Jane Doe"}"#;
                let answer = send(
                    server,
                    Method::POST,
                    "/v1/customers",
                    body,
                    now,
                    Some("k-1"),
                );
                let (status, json) = answer.await;
                assert_eq!(status, StatusCode::OK, "{json}");
                json["data"]["id"].as_str().unwrap_or_default().to_string()
            }
        };
        let first = create().await;
        clock.advance(Duration::from_secs(TTL_SECS - 1));
        assert_eq!(create().await, first, "a second short of a day: replayed");
        clock.advance(Duration::from_secs(1));
        let again = create().await;
        assert!(
            !again.is_empty() && again != first,
            "a day later: a new customer"
        );
        server.shutdown().await;
    }
}
