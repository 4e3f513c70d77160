//! What the Chargebee site stores: its customers, each with its payment method.
//!
//! Chargebee keeps references to payment details held by the gateways, not the details
//! themselves, so its customers live here rather than in Braintree's card vault.

use std::collections::HashMap;

use serde_json::Value;

use super::params::{EntityIdentifier, TaxProvidersField};
use super::payment_method::PaymentMethod;
use crate::sandbox::clock::Timestamp;

/// A customer of the site.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Customer {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub auto_collection: String,
    pub locale: Option<String>,
    pub preferred_currency_code: String,
    pub business_entity_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Milliseconds; grows with every change.
    pub resource_version: u64,
    pub payment_method: Option<StoredPaymentMethod>,
    /// A JSON object, as sent.
    pub meta_data: Option<Value>,
    /// A JSON array, as sent.
    pub exemption_details: Option<Value>,
    /// Each with its id (made up when not sent).
    pub entity_identifiers: Vec<EntityIdentifier>,
    pub tax_providers_fields: Vec<TaxProvidersField>,
    /// The order of creation: the last key of the list's sort.
    pub sequence: u64,
}

/// The customer's payment method and the payment source that holds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoredPaymentMethod {
    pub method: PaymentMethod,
    pub payment_source_id: String,
    pub created_at: Timestamp,
    pub resource_version: u64,
}

/// Everything the Chargebee API stores.
#[derive(Debug, Default)]
pub(super) struct Vault {
    /// The customers, by id.
    pub customers: HashMap<String, Customer>,
    last_version: u64,
    last_sequence: u64,
}

impl Vault {
    /// A new `resource_version` at `now_millis`: the time in milliseconds, always above
    /// the last one (two changes in one millisecond still get two versions).
    pub(super) fn next_version(&mut self, now_millis: u64) -> u64 {
        self.last_version = now_millis.max(self.last_version + 1);
        self.last_version
    }

    /// The next creation sequence number.
    pub(super) fn next_sequence(&mut self) -> u64 {
        self.last_sequence += 1;
        self.last_sequence
    }
}
