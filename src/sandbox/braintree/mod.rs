//! The Braintree XML API over the sandbox's vault.
//!
//! | module | holds |
//! |---|---|
//! | `routes` | the paths and the middleware order |
//! | `auth` | basic authentication, merchant check |
//! | `http` | body reading, XML answers, gzip |
//! | `params` | request trees read into typed parameters |
//! | `validation` | field rules shared by the objects |
//! | `errors` | Braintree's error codes and the `<api-error-response>` document |
//! | `customer`, `credit_card`, `address`, `payment_method` | each object's rules and endpoints |
//! | `render` | stored objects as Braintree shows them |
//!
//! Choices and known differences from Braintree:
//! - A merchant id in the path other than the configured one answers 401, like wrong
//!   keys (Braintree's keys belong to one merchant).
//! - A body that is not XML, has another root element, or holds elements where text
//!   belongs answers 400 with a plain-text reason. Unknown elements are ignored.
//! - Empty answers (404, a delete's 200) have an empty body and no `Content-Encoding`;
//!   every other answer is gzipped when the request accepts gzip.
//! - Not checked yet: country names and codes, `international_phone` (the official
//!   clients publish no error codes for it), custom field names (any name is
//!   accepted), `verify_card` (no verification runs), payment method nonces and PayPal accounts. A `default_payment_method_token`
//!   that is not one of the customer's is ignored (no published code either).

mod address;
mod auth;
mod country;
mod country_table;
mod credit_card;
mod customer;
mod errors;
mod http;
mod nonce;
mod params;
mod payment_method;
mod render;
mod routes;
mod three_d_secure;
mod validation;
mod verification;

use std::sync::Arc;

use super::BraintreeCredentials;
use super::store::Store;

pub use routes::router;

/// What every Braintree handler needs: the merchant's keys and the vault.
#[derive(Debug)]
pub struct Gateway {
    pub credentials: BraintreeCredentials,
    pub store: Arc<Store>,
}
