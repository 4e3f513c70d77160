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
//! - Only the customer fields listed in `params` are read; others are ignored. Of
//!   "Create a customer"'s parameters that means `net_term_days`, `allow_direct_debit`,
//!   `vat_number`, `vat_number_prefix`, `entity_identifier_scheme`,
//!   `entity_identifier_standard`, `registered_for_gst`, `is_einvoice_enabled`,
//!   `einvoicing_method`, `taxability`, `customer_type`, `client_profile_id`,
//!   `taxjar_exemption_category`, `business_customer_without_vat_number`, `entity_code`,
//!   `exempt_number`, `offline_payment_method`, `auto_close_invoices`,
//!   `consolidated_invoicing`, `card[...]`, `bank_account[...]`, `token_id`,
//!   `payment_intent[...]`, `billing_address[...]`, `brand_id`, `created_from_ip` and
//!   `invoice_notes` are accepted and dropped (the seed document does not cover
//!   customer create; `business_entity_id` comes from the header only). Customer
//!   update (`POST /customers/{id}`) is not served.
//! - Lists and JSON-typed parameters (see `encodings`): Chargebee documents list items
//!   as `name[field][i]`, which both official clients send. Chargebee does not read a
//!   filter list sent as index keys (`id[in][0]=a`: chargebee-typescript#17 saw the
//!   filter ignored) and leaves bracketed metadata empty (chargebee-php#97); the sandbox
//!   refuses both with `param_invalid`, and refuses index-first lists
//!   (`entity_identifiers[0][scheme]`) the same way, so the mistake shows. Filter lists
//!   are read as JSON (Node), Python repr (Python) or `[a,b]` (Chargebee's own examples,
//!   chargebee-node#51). What Chargebee's servers do with the Python client's repr of
//!   `meta_data`, `exemption_details` and `additional_information` (`{'a': True}`) is
//!   not published and no issue reports it lost; the sandbox reads it as the JSON it
//!   stands for, which is what a lenient JSON reader such as org.json (the one
//!   Chargebee's own Java library uses) does. An object inside a list item, which the
//!   Python client sends without the item's index (and later items overwrite earlier
//!   ones before sending), is placed on the only item or refused when there are more;
//!   no operation the sandbox serves has such a parameter. The Node client (3.33) sends
//!   two operators on one filter field as `id[starts_with]=…&id[starts_with][not_in]=…`,
//!   which is refused (`id[starts_with]`); one operator per field works with both
//!   clients.
//! - `exemption_details` from the Python client arrives as one key per item with nothing
//!   to tell an item from a whole array: one value that reads as an array is the array,
//!   otherwise each value is an item (a value that is neither JSON nor a Python literal
//!   is a string). An empty list sends nothing from Python and `[]` from Node.
//! - "List customers": the filters in `listing` only (no `include_deleted`,
//!   `relationship`, `offline_payment_method`, `channel`, `business_entity_id`, custom
//!   fields); `on` matches the same UTC day and `between` includes both ends (Chargebee
//!   does not say); `next_offset` is the sandbox's own token.
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
