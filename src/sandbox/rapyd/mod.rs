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
use super::clock::Timestamp;
use super::state::Locked;

/// What every Rapyd handler needs: the keys, the vault, kept answers and webhooks.
#[derive(Debug)]
pub struct Gateway {
    settings: RapydSettings,
    vault: Locked<vault::Vault>,
    idempotency: idempotency::Cache,
    webhooks: webhook::Webhooks,
}

impl Gateway {
    fn new(settings: RapydSettings) -> Gateway {
        Gateway {
            webhooks: webhook::Webhooks::new(&settings),
            settings,
            vault: Locked::default(),
            idempotency: idempotency::Cache::default(),
        }
    }

    /// Locks the vault for a whole request (every check runs before any change).
    fn lock(&self) -> MutexGuard<'_, vault::Vault> {
        self.vault.lock()
    }

    fn timestamp(&self) -> Timestamp {
        Timestamp::now()
    }

    /// Unix seconds now.
    fn now(&self) -> u64 {
        self.timestamp().0
    }
}

/// All Rapyd routes, on a fresh vault.
pub fn router(settings: RapydSettings) -> Router {
    routes::router(Arc::new(Gateway::new(settings)))
}
