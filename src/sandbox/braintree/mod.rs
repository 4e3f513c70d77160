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

mod address;
mod auth;
mod credit_card;
mod customer;
mod errors;
mod http;
mod params;
mod payment_method;
mod render;
mod routes;
mod validation;

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
