//! What the Rapyd API stores: customers with their addresses and discount, payment
//! methods, coupons.
//!
//! Rapyd's objects have fields no other gateway has (metadata, invoice prefix, VAT id,
//! wallet, discount), so they live here rather than in Braintree's vault. Card numbers
//! and CVVs are never stored: a card keeps its brand, BIN, last four digits and
//! fingerprint (`sandbox::card`).

use std::collections::HashMap;

use indexmap::IndexMap;

use super::params::Object;
use crate::sandbox::card::{Brand, Fingerprints};

/// A customer profile. Empty strings are cleared fields, as Rapyd shows them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Customer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone_number: String,
    pub description: String,
    pub invoice_prefix: String,
    pub business_vat_id: String,
    pub ewallet: String,
    pub default_payment_method: String,
    pub metadata: Object,
    pub addresses: Vec<Address>,
    /// Ids of the customer's payment methods, oldest first.
    pub payment_methods: Vec<String>,
    pub discount: Option<Discount>,
    pub created_at: u64,
}

impl Customer {
    /// A customer with only an id and its creation time.
    pub(super) fn new(id: String, created_at: u64) -> Customer {
        Customer {
            id,
            name: String::new(),
            email: String::new(),
            phone_number: String::new(),
            description: String::new(),
            invoice_prefix: String::new(),
            business_vat_id: String::new(),
            ewallet: String::new(),
            default_payment_method: String::new(),
            metadata: Object::new(),
            addresses: Vec::new(),
            payment_methods: Vec::new(),
            discount: None,
            created_at,
        }
    }
}

/// An address of a customer.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Address {
    pub id: String,
    pub name: String,
    pub line_1: String,
    pub line_2: String,
    pub line_3: String,
    pub city: String,
    pub district: String,
    pub canton: String,
    pub state: String,
    pub country: String,
    pub zip: String,
    pub phone_number: String,
    pub metadata: Object,
    pub created_at: u64,
}

/// A payment method saved to a customer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PaymentMethod {
    /// `card_…` or `other_…`.
    pub id: String,
    pub customer_id: String,
    /// Rapyd's payment method type, e.g. `us_visa_card`, `us_ach_bank`.
    pub kind: String,
    pub metadata: Object,
    pub instrument: Instrument,
}

/// What a payment method is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Instrument {
    Card(Card),
    /// Any other type: its `fields` as sent, shown at the top level of the object.
    Other(Object),
}

/// A card, without its number or CVV.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Card {
    pub name: String,
    pub brand: Brand,
    pub bin: String,
    pub last4: String,
    pub expiration_month: String,
    pub expiration_year: String,
    /// `ocfp_` + 32 hex digits; the same number gives the same fingerprint.
    pub fingerprint: String,
}

/// A discount coupon.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Coupon {
    pub id: String,
    pub amount_off: f64,
    pub percent_off: f64,
    pub currency: String,
    pub duration: String,
    pub duration_in_months: i64,
    pub max_redemptions: i64,
    pub redeem_by: i64,
    pub times_redeemed: i64,
    pub discount_valid_until: i64,
    pub discount_validity_in_months: i64,
    pub discount_duration_in_uses: i64,
    pub description: String,
    pub metadata: Object,
    pub created: u64,
}

/// A coupon applied to a customer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Discount {
    /// `dis_` + 32 hex digits.
    pub id: String,
    pub coupon: String,
    pub start: u64,
    /// Unix time the discount ends, or -1 for never.
    pub end: i64,
}

/// Everything the Rapyd API stores.
#[derive(Debug, Default)]
pub(super) struct Vault {
    /// In creation order, which is the order lists show (newest first).
    pub customers: IndexMap<String, Customer>,
    pub payment_methods: HashMap<String, PaymentMethod>,
    pub coupons: HashMap<String, Coupon>,
    fingerprints: Fingerprints,
}

impl Vault {
    /// The customer, if there is one with that id.
    pub(super) fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.get(id)
    }

    /// Stores a payment method and lists it on its customer (which must exist).
    pub(super) fn insert_payment_method(&mut self, pm: PaymentMethod) {
        if let Some(customer) = self.customers.get_mut(&pm.customer_id) {
            customer.payment_methods.push(pm.id.clone());
        }
        self.payment_methods.insert(pm.id.clone(), pm);
    }

    /// Removes a customer with its payment methods.
    pub(super) fn remove_customer(&mut self, id: &str) -> Option<Customer> {
        let customer = self.customers.shift_remove(id)?;
        for pm in &customer.payment_methods {
            self.payment_methods.remove(pm);
        }
        Some(customer)
    }

    /// The customer other than `except` whose wallet is `ewallet`, if any.
    pub(super) fn ewallet_owner(&self, ewallet: &str, except: Option<&str>) -> Option<&str> {
        self.customers
            .values()
            .find(|c| c.ewallet == ewallet && Some(c.id.as_str()) != except)
            .map(|c| c.id.as_str())
    }

    /// This vault's card fingerprint key.
    pub(super) fn fingerprints(&self) -> &Fingerprints {
        &self.fingerprints
    }
}

/// `prefix` + 32 random lowercase hex digits: the shape of every Rapyd id
/// (`cus_`, `card_`, `other_`, `address_`, `coupon_`, `dis_`, `wh_`).
pub(super) use crate::sandbox::ids::prefixed_hex as new_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_rapyds_shape() {
        let id = new_id("cus_");
        assert_eq!(id.len(), 4 + 32);
        assert!(
            id[4..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(new_id("cus_"), id);
    }
}
