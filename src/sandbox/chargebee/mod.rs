//! Chargebee's form-encoded API under `/api/v2/`, for the sandbox site.
//!
//! Requests are `application/x-www-form-urlencoded` with bracketed keys
//! (`payment_method[type]=card`, plain or percent-encoded); answers and errors are JSON.
//! Every request authenticates with HTTP basic, the site's API key as the user name and
//! an empty password (`sandbox_api_key` unless `--chargebee-api-key` says otherwise).
//!
//! | path | what |
//! |---|---|
//! | `POST /api/v2/customers` | create a customer, optionally with `payment_method[...]` |
//! | `GET /api/v2/customers` | list customers: filters, sort order, pages (`listing`) |
//! | `GET /api/v2/customers/{id}` | retrieve a customer |
//! | `POST /api/v2/customers/{id}/update_payment_method` | replace the customer's payment method |
//!
//! | module | holds |
//! |---|---|
//! | `routes` | the paths and the middleware |
//! | `auth` | the API key check |
//! | `vault` | what is stored |
//! | `params` | form bodies read into typed requests, customer field rules |
//! | `encodings` | how each official client encodes lists, filter lists and JSON-typed parameters |
//! | `listing` | "List customers": filters, sort order, pages |
//! | `errors` | Chargebee's errors and their JSON document |
//! | `render` | JSON answers: customers, cards, errors |
//! | `customer` | the customer endpoints |
//! | `payment_method` | the payment method rules (types, gateway, reference, token, country, verification) |
//! | `accounts` | the site's gateway accounts and how one is chosen (the table is there) |
//! | `reference` | `reference_id` formats per gateway, and the card a reference names |
//! | `headers` | Chargebee's optional request headers |
//!
//! The gateway accounts (see `accounts`): `gw_stripe` (stripe, the default gateway),
//! `gw_braintree` (braintree, card verification on), `gw_authorize_net`,
//! `gw_gocardless` (the direct debit gateway), `gw_spreedly` (worldpay behind the
//! Spreedly vault), `gw_paypal` (paypal_express_checkout) and `gw_amazon`
//! (amazon_payments).
//!
//! Choices and known differences from Chargebee:
//! - Parameters are checked before the customer is looked up, and the first problem is
//!   the one answered (Chargebee reports one error at a time too).
//! - A reference naming only a gateway customer (`cus_…` alone) is stored as passed:
//!   the sandbox cannot see which card the gateway would pick.
//! - Card details come from the imagined vaults in `reference`; no full card number or CVV
//!   is ever received, stored or shown.
//! - Card verification runs only on customer create, on accounts with verification on
//!   (`gw_braintree`); "update payment method" never verifies, as documented.
//! - Payment method types other than card, direct debit, PayPal Express Checkout and
//!   Amazon Payments take a reference or a single-use token on any account that lists
//!   the type; their gateway-specific rules are not modelled.
//! - Only the customer fields listed in `params` are read; others are ignored.
//! - Customers are separate from the Braintree and Rapyd vaults: Chargebee holds
//!   references to payment details, not the details.

mod accounts;
mod auth;
mod customer;
mod encodings;
mod errors;
mod headers;
mod listing;
mod params;
mod payment_method;
mod reference;
mod render;
mod routes;
mod vault;

use std::sync::{Arc, MutexGuard};

use axum::Router;

use super::ChargebeeSettings;
use super::clock::SharedClock;
use super::state::Locked;

/// What every Chargebee handler needs: the site's settings, its customers and the clock.
#[derive(Debug)]
pub(super) struct Site {
    settings: ChargebeeSettings,
    vault: Locked<vault::Vault>,
    clock: SharedClock,
}

impl Site {
    /// Locks the vault for a whole request (every check runs before any change).
    fn lock(&self) -> MutexGuard<'_, vault::Vault> {
        self.vault.lock()
    }
}

/// All Chargebee routes, on an empty site.
pub(super) fn router(settings: ChargebeeSettings, clock: SharedClock) -> Router {
    routes::router(Arc::new(Site {
        settings,
        vault: Locked::default(),
        clock,
    }))
}
