//! The Braintree XML API under `/merchants/{merchant_id}/`, over a vault of its own.
//!
//! | module | holds |
//! |---|---|
//! | `routes` | the paths and the middleware order (authentication, API version, gzip) |
//! | `auth` | basic authentication, merchant check |
//! | `vault` | what is stored: customers, payment methods, addresses, nonces |
//! | `body` | request bodies, XML or JSON, decoded into one tree |
//! | `params` | decoded bodies read into typed parameters |
//! | `errors` | Braintree's error codes and the `<api-error-response>` document |
//! | `render` | XML answers: stored objects as Braintree shows them, errors, empty answers |
//! | `customer`, `credit_card`, `address`, `payment_method` | each object's rules and endpoints |
//! | `client_token` | client tokens, and the client API's card tokenization (a nonce, as the Drop-in makes one) |
//! | `nonce` | documented sandbox nonces, nonces made from vaulted payment methods |
//! | `verification` | `verify_card`: options, merchant accounts, sandbox outcomes |
//! | `three_d_secure` | `three_d_secure_pass_thru` rules |
//! | `validation` | field rules shared by the objects, configured custom fields |
//! | `country` | the address country checks (the table is `sandbox::countries`) |
//!
//! The sandbox merchant's set-up (what a real merchant configures in its Control Panel):
//! - merchant accounts `sandbox_merchant_account` (default, USD),
//!   `sandbox_eur_merchant_account` (EUR) and `sandbox_sub_merchant_account` (a
//!   Marketplace sub-merchant, which cannot verify cards: 91755);
//! - custom fields `store_me` and `color`; any other name is 91602;
//! - no AVS or CVV rules: verifications report `M` for what was sent and `I` for what
//!   was not, and never fail on them.
//!
//! Choices and known differences from Braintree:
//! - A merchant id in the path other than the configured one answers 401, like wrong
//!   keys (Braintree's keys belong to one merchant).
//! - What the official clients send differs, and all of it is accepted: Python, Ruby,
//!   Java and PHP send XML (underscored, dashed or camelCase names; booleans typed or
//!   plain), the Node client JSON (`Content-Type: application/json`, the same root key,
//!   snake_case keys, native booleans, numbers and nulls) while reading XML answers.
//!   Answers are XML whatever the request's format. User agents are not looked at.
//!   `X-ApiVersion` below 4 (or not a number) answers 426 with an empty body, as
//!   Braintree does for retired client versions; a request without it is served, so
//!   hand-written requests work (every official client sends 6).
//! - A body that cannot be decoded (malformed XML or JSON, JSON nested deeper than 64
//!   levels, another root element, elements where text belongs) answers 400 with an
//!   `<api-error-response>` that has no validation errors and says what is wrong in its
//!   `<message>` (Braintree publishes nothing for this; clients raise an unexpected
//!   error on a 400 whatever its body). Unknown elements are ignored.
//! - Empty answers (404, 403, a delete's 200) have an empty body and no
//!   `Content-Encoding`; every other answer is gzipped when the request accepts gzip.
//! - Codes Braintree does not publish, and the sandbox's own choice (`errors::sandbox`):
//!   `international_phone` (customer or address) with a country code that is not 1-3
//!   digits is 81620, a national number that is not 4-12 digits 81621; a 3-D Secure
//!   `xid` that is not base64 is 942115 (the gap in Braintree's pass-through codes).
//!   3-D Secure errors sit on the root `verification` scope, as braintree_ruby reads
//!   them; the pass-through is checked whenever it is sent, with or without
//!   `verify_card`. CAVV is required for ECI flags 01, 02, 05, 06.
//! - ECI flags are not checked per brand. The seed lists 00/01/02/04 for Mastercard and
//!   05/06/07 for other brands; Braintree's client-library integration tests send a
//!   Visa with 02 and succeed (braintree_node's credit card and verification specs,
//!   braintree_python `tests/integration/test_credit_card_verification.py`), and
//!   braintree_ruby `spec/integration/braintree/payment_method_spec.rb` updates a card
//!   to a Mastercard with 02. Any of the seven is accepted for any brand; only another
//!   value (braintree_node's `bad_eci_flag`) is 942114. `authentication_response`
//!   (Y, N, U, A), `directory_response` (Y, N, U, A, C, R, D, I) and `cavv_algorithm`
//!   (0-3, A) are checked with Braintree's published 942120-942122; the value sets are
//!   the 3-D Secure protocol's, as Braintree publishes none beyond "e.g. 'Y'" and
//!   "2, 3".
//! - Verification: the sandbox's processor declines Braintree's published
//!   "fails sandbox verification" cards (4000111111111115, 5105105105105100,
//!   378734493671000, 6011000990139424: processor_declined, 2000 Do Not Honor) and fails
//!   3566002020360505 (failed, 3000); everything else verifies. The amount does not
//!   change the outcome. Without `verification_amount` the amount is 0.00.
//!   Verification ids are random; a declined verification is not kept.
//! - Nonces: the documented fake nonces are reusable and stand for fixed details (card
//!   nonces expire 12/2030; `fake-valid-nonce` is Visa 4012888888881881). Nonces made
//!   with `POST payment_methods/{token}/nonces` are single-use and tied to the payment
//!   method's customer. On customer update, a customer-level nonce beside a
//!   `<credit-card>` without a number feeds that card (with `update_existing_token`, the
//!   card is updated from it); a nonce of another type there is 91738 when a card is to
//!   be updated, and otherwise the `<credit-card>` options only carry `make_default`
//!   for it. Not modelled: 3-D Secure nonces, Samsung Pay, Visa Checkout, Masterpass,
//!   bank accounts, locked nonces.
//! - Apple Pay, Google Pay and Venmo payment methods cannot be updated through
//!   `payment_methods/any/{token}`: 403, as Braintree answers (braintree_php#230).
//! - `default_payment_method_token` that is not one of the customer's is ignored (no
//!   published code). Tax identifiers are stored (one per country code) and never
//!   shown, nor echoed in error documents; their country codes are not checked (no
//!   published code).
//! - `fail_on_duplicate_payment_method` together with
//!   `fail_on_duplicate_payment_method_for_customer`: Braintree says they cannot be
//!   combined but publishes no code, so both checks run. The "at most 100 credit cards"
//!   limit of the `_for_customer` option is not enforced (no published code).
//! - Country fields are stored as sent; the sandbox does not fill in the other three.
//! - Payment Method: Create takes `<payment_method>` or `<credit_card>` (what
//!   `credit_card.create` sends). A missing or unknown `customer_id` is 93104/93105, no
//!   nonce and no number 93103, an unknown or used nonce 93108/93107 on the
//!   `payment_method` scope (Payment Method's own codes); card errors sit under
//!   `credit_card` as on update. Nonces for PayPal, wallets and Venmo take only `token`
//!   and `make_default`.
//! - Deleting a customer's default payment method makes its oldest remaining one the
//!   default (Braintree does not say which becomes the default). Deleting an address
//!   leaves the cards that billed to it without a billing address.
//! - `global_id` is unpadded base64 of `customer_{id}` or `paymentmethod_{kind}_{token}`
//!   (kinds `cc`, `pp`, `applepay`, `androidpay`, `venmo`), so renaming a token changes
//!   it; Braintree's stay fixed. BIN data (`business`, `consumer`, `prepaid`, …) is
//!   always `Unknown`.
//! - Client tokens: the fingerprint is the sandbox's own signed format (see
//!   `client_token.rs`); the client API serves only `v1/configuration` and card
//!   tokenization (no GraphQL, PayPal or 3-D Secure), and drops the billing address sent
//!   with a card. Codes 92801-92807 for the token's own errors are braintree_python's.

mod address;
mod auth;
mod body;
mod client_token;
mod country;
mod credit_card;
mod customer;
mod errors;
mod nonce;
mod params;
mod payment_method;
mod render;
mod routes;
mod three_d_secure;
mod validation;
mod vault;
mod verification;

use std::sync::{Arc, MutexGuard};

use axum::Router;

use super::BraintreeCredentials;
use super::clock::{SharedClock, Timestamp};
use super::state::Locked;

/// What every Braintree handler needs: the merchant's keys, the vault and the clock.
#[derive(Debug)]
pub(super) struct Gateway {
    credentials: BraintreeCredentials,
    vault: Locked<vault::Vault>,
    clock: SharedClock,
}

impl Gateway {
    fn new(credentials: BraintreeCredentials, clock: SharedClock) -> Gateway {
        Gateway {
            credentials,
            vault: Locked::default(),
            clock,
        }
    }

    /// Locks the vault for a whole request (every check runs before any change).
    fn lock(&self) -> MutexGuard<'_, vault::Vault> {
        self.vault.lock()
    }

    /// The time now, by the gateway's clock.
    fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

/// All Braintree routes, on a fresh vault.
pub(super) fn router(credentials: BraintreeCredentials, clock: SharedClock) -> Router {
    routes::router(Arc::new(Gateway::new(credentials, clock)))
}
