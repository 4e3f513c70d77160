//! The Braintree API's vault: customers, their payment methods, addresses and nonces.
//!
//! Rapyd and Chargebee keep their own (`rapyd/vault.rs`, `chargebee/vault.rs`): their
//! customers and payment references do not share this shape. Card numbers are never
//! stored: only the BIN, the last four digits and a fingerprint (the same number gives
//! the same fingerprint within one vault). Security codes are never stored at all.

use std::collections::HashMap;

use rand::Rng;

use crate::sandbox::card::{self, Brand, Fingerprints};
use crate::sandbox::clock::Timestamp;
use crate::sandbox::ids;

/// A customer of the merchant.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Customer {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub website: Option<String>,
    pub international_phone: Option<Phone>,
    /// Merchant-defined fields, in the order they were first set.
    pub custom_fields: Vec<(String, String)>,
    /// National tax identifiers: (country code, identifier), one per country code.
    /// Personal data: kept, never shown.
    pub tax_identifiers: Vec<(String, String)>,
    /// Token of the default payment method.
    pub default_payment_method: Option<String>,
    /// Tokens of the customer's payment methods, oldest first.
    pub payment_methods: Vec<String>,
    /// Ids of the customer's addresses, oldest first.
    pub addresses: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Customer {
    /// A customer with only an id.
    pub(super) fn new(id: String, now: Timestamp) -> Customer {
        Customer {
            id,
            first_name: None,
            last_name: None,
            company: None,
            email: None,
            phone: None,
            fax: None,
            website: None,
            international_phone: None,
            custom_fields: Vec::new(),
            tax_identifiers: Vec::new(),
            default_payment_method: None,
            payment_methods: Vec::new(),
            addresses: Vec::new(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// A phone number split into country code and national number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Phone {
    pub country_code: String,
    pub national_number: String,
}

/// A postal address that belongs to a customer.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Address {
    pub id: String,
    pub customer_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub street_address: Option<String>,
    pub extended_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country_name: Option<String>,
    pub country_code_alpha2: Option<String>,
    pub country_code_alpha3: Option<String>,
    pub country_code_numeric: Option<String>,
    pub phone_number: Option<String>,
    pub international_phone: Option<Phone>,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

/// A stored payment method.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PaymentMethod {
    pub token: String,
    pub customer_id: String,
    pub instrument: Instrument,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a payment method is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Instrument {
    /// A card entered by number.
    Card(Card),
    /// A PayPal account vaulted with a billing agreement.
    PayPal(PayPalAccount),
    /// A card tokenized by Apple Pay.
    ApplePay(WalletCard),
    /// A card tokenized by Google Pay.
    GooglePay(WalletCard),
    /// A Venmo account.
    Venmo(VenmoAccount),
}

impl Instrument {
    /// The card, when the instrument is one entered by number.
    pub(super) fn card(&self) -> Option<&Card> {
        match self {
            Instrument::Card(card) => Some(card),
            _ => None,
        }
    }
}

/// A PayPal account.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PayPalAccount {
    pub email: String,
    pub payer_id: String,
    pub billing_agreement_id: Option<String>,
}

/// A card held in a wallet (Apple Pay, Google Pay): the network token's details.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WalletCard {
    pub brand: Brand,
    pub bin: String,
    pub last_4: String,
    pub expiration_month: String,
    pub expiration_year: String,
    /// What the wallet shows the payer, e.g. `Visa 8886`.
    pub description: String,
}

impl WalletCard {
    /// Whether the card's expiration month lies before the month of `now`.
    pub(super) fn is_expired(&self, now: Timestamp) -> bool {
        card::is_expired(&self.expiration_month, &self.expiration_year, now)
    }
}

/// A Venmo account.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct VenmoAccount {
    pub username: String,
    pub venmo_user_id: String,
}

/// The outcome of checking a card with its issuer (a zero- or low-amount authorization).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Verification {
    pub id: String,
    pub status: VerificationStatus,
    /// Decimal text, e.g. `0.00`.
    pub amount: String,
    pub currency: String,
    pub merchant_account_id: String,
    pub processor_response_code: String,
    pub processor_response_text: String,
    /// `M` (matches) or `I` (not provided): the sandbox runs no AVS or CVV rules.
    pub cvv_response_code: String,
    pub avs_postal_code_response_code: String,
    pub avs_street_address_response_code: String,
    /// The 3-D Secure result the merchant passed through, if any.
    pub three_d_secure: Option<ThreeDSecure>,
    pub created_at: Timestamp,
}

/// How a verification ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VerificationStatus {
    Verified,
    ProcessorDeclined,
    Failed,
}

/// A merchant-performed 3-D Secure authentication's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct ThreeDSecure {
    pub eci_flag: Option<String>,
    pub cavv: Option<String>,
    pub xid: Option<String>,
    pub version: Option<String>,
    pub ds_transaction_id: Option<String>,
}

/// A one-time reference to payment details, handed out to a client and redeemed by
/// the server. `customer_id` is set when it was made from a vaulted payment method.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Nonce {
    pub instrument: Instrument,
    pub customer_id: Option<String>,
    /// Options of the client token the nonce was tokenized with, applied when it is
    /// vaulted unless the request sets them itself.
    pub defaults: NonceDefaults,
    pub consumed: bool,
    /// When it was made: a nonce expires after [`NONCE_LIFETIME_SECS`], as Braintree's do.
    pub created: Timestamp,
}

/// The vaulting options a client token carries (`make_default`, `verify_card`, the
/// two `fail_on_duplicate_…`) into the nonces tokenized with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct NonceDefaults {
    pub make_default: Option<bool>,
    pub verify_card: Option<bool>,
    pub fail_on_duplicate_payment_method: Option<bool>,
    pub fail_on_duplicate_payment_method_for_customer: Option<bool>,
}

/// Braintree's payment method nonces expire three hours after they are made.
pub(super) const NONCE_LIFETIME_SECS: u64 = 3 * 60 * 60;

/// Most nonces kept at once; past this, expired and used ones are dropped first, then
/// the oldest, so endless nonce requests cannot grow the server's memory without end.
pub(super) const MAX_NONCES: usize = 10_000;

/// A payment card, without its number or security code.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Card {
    pub brand: Brand,
    /// The first six digits.
    pub bin: String,
    pub last_4: String,
    /// Same number, same fingerprint (within one vault).
    pub fingerprint: String,
    pub cardholder_name: Option<String>,
    /// Two digits, `01`-`12`.
    pub expiration_month: String,
    /// Four digits.
    pub expiration_year: String,
    pub billing_address_id: Option<String>,
    /// Successful verifications, oldest first.
    pub verifications: Vec<Verification>,
}

impl Card {
    /// Whether the card's expiration month lies before the month of `now`.
    pub(super) fn is_expired(&self, now: Timestamp) -> bool {
        card::is_expired(&self.expiration_month, &self.expiration_year, now)
    }
}

/// Everything stored.
#[derive(Debug, Default)]
pub(super) struct Vault {
    customers: HashMap<String, Customer>,
    payment_methods: HashMap<String, PaymentMethod>,
    addresses: HashMap<String, Address>,
    nonces: HashMap<String, Nonce>,
    fingerprints: Fingerprints,
}

impl Vault {
    pub(super) fn customer(&self, id: &str) -> Option<&Customer> {
        self.customers.get(id)
    }

    pub(super) fn customer_mut(&mut self, id: &str) -> Option<&mut Customer> {
        self.customers.get_mut(id)
    }

    pub(super) fn payment_method(&self, token: &str) -> Option<&PaymentMethod> {
        self.payment_methods.get(token)
    }

    /// Every stored payment method, in no particular order.
    pub(super) fn payment_methods(&self) -> impl Iterator<Item = &PaymentMethod> {
        self.payment_methods.values()
    }

    pub(super) fn payment_method_mut(&mut self, token: &str) -> Option<&mut PaymentMethod> {
        self.payment_methods.get_mut(token)
    }

    pub(super) fn address(&self, id: &str) -> Option<&Address> {
        self.addresses.get(id)
    }

    pub(super) fn address_mut(&mut self, id: &str) -> Option<&mut Address> {
        self.addresses.get_mut(id)
    }

    /// Stores a new customer. The caller has checked that the id is free.
    pub(super) fn insert_customer(&mut self, customer: Customer) {
        self.customers.insert(customer.id.clone(), customer);
    }

    /// Gives a customer a new id, carrying its payment methods and addresses along.
    /// Returns false when there is no customer `old` or `new` is taken.
    pub(super) fn rename_customer(&mut self, old: &str, new: &str) -> bool {
        if old == new {
            return self.customers.contains_key(old);
        }
        if self.customers.contains_key(new) {
            return false;
        }
        let Some(mut customer) = self.customers.remove(old) else {
            return false;
        };
        customer.id = new.to_string();
        for token in &customer.payment_methods {
            if let Some(pm) = self.payment_methods.get_mut(token) {
                pm.customer_id = new.to_string();
            }
        }
        for id in &customer.addresses {
            if let Some(address) = self.addresses.get_mut(id) {
                address.customer_id = new.to_string();
            }
        }
        self.customers.insert(new.to_string(), customer);
        true
    }

    /// Removes a customer with its payment methods and addresses.
    pub(super) fn remove_customer(&mut self, id: &str) -> Option<Customer> {
        let customer = self.customers.remove(id)?;
        for token in &customer.payment_methods {
            self.payment_methods.remove(token);
        }
        for address in &customer.addresses {
            self.addresses.remove(address);
        }
        Some(customer)
    }

    /// Stores a payment method for its customer (which must exist); the customer's
    /// first payment method becomes the default.
    pub(super) fn insert_payment_method(&mut self, pm: PaymentMethod) {
        if let Some(customer) = self.customers.get_mut(&pm.customer_id) {
            customer.payment_methods.push(pm.token.clone());
            if customer.default_payment_method.is_none() {
                customer.default_payment_method = Some(pm.token.clone());
            }
        }
        self.payment_methods.insert(pm.token.clone(), pm);
    }

    /// Gives a payment method a new token. Returns false when `new` is taken.
    pub(super) fn rename_payment_method(&mut self, old: &str, new: &str) -> bool {
        if old == new {
            return true;
        }
        if self.payment_methods.contains_key(new) {
            return false;
        }
        let Some(mut pm) = self.payment_methods.remove(old) else {
            return false;
        };
        pm.token = new.to_string();
        if let Some(customer) = self.customers.get_mut(&pm.customer_id) {
            for token in &mut customer.payment_methods {
                if token == old {
                    *token = new.to_string();
                }
            }
            if customer.default_payment_method.as_deref() == Some(old) {
                customer.default_payment_method = Some(new.to_string());
            }
        }
        self.payment_methods.insert(new.to_string(), pm);
        true
    }

    /// Removes a payment method from its customer. When it was the default, the
    /// customer's oldest remaining payment method becomes the default.
    pub(super) fn remove_payment_method(&mut self, token: &str) -> Option<PaymentMethod> {
        let pm = self.payment_methods.remove(token)?;
        if let Some(customer) = self.customers.get_mut(&pm.customer_id) {
            customer.payment_methods.retain(|t| t != token);
            if customer.default_payment_method.as_deref() == Some(token) {
                customer.default_payment_method = customer.payment_methods.first().cloned();
            }
        }
        Some(pm)
    }

    /// Removes an address from its customer; cards that billed to it have no billing
    /// address any more.
    pub(super) fn remove_address(&mut self, id: &str) -> Option<Address> {
        let address = self.addresses.remove(id)?;
        if let Some(customer) = self.customers.get_mut(&address.customer_id) {
            customer.addresses.retain(|a| a != id);
        }
        for pm in self.payment_methods.values_mut() {
            if let Instrument::Card(card) = &mut pm.instrument
                && card.billing_address_id.as_deref() == Some(id)
            {
                card.billing_address_id = None;
            }
        }
        Some(address)
    }

    /// Stores an address for its customer (which must exist).
    pub(super) fn insert_address(&mut self, address: Address) {
        if let Some(customer) = self.customers.get_mut(&address.customer_id) {
            customer.addresses.push(address.id.clone());
        }
        self.addresses.insert(address.id.clone(), address);
    }

    /// Stores a nonce and returns it: a fresh random reference.
    pub(super) fn insert_nonce(&mut self, nonce: Nonce) -> String {
        if self.nonces.len() >= MAX_NONCES {
            let now = nonce.created.0;
            self.nonces.retain(|_, n| {
                !n.consumed && now < n.created.0.saturating_add(NONCE_LIFETIME_SECS)
            });
            while self.nonces.len() >= MAX_NONCES {
                let oldest = self
                    .nonces
                    .iter()
                    .min_by_key(|(_, n)| n.created.0)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => self.nonces.remove(&k),
                    None => break,
                };
            }
        }
        let key = loop {
            let key = format!(
                "tokencc_{}_{}",
                ids::lower_alphanumeric(6),
                ids::lower_alphanumeric(6)
            );
            if !self.nonces.contains_key(&key) {
                break key;
            }
        };
        self.nonces.insert(key.clone(), nonce);
        key
    }

    /// The nonce `key` names, if it exists and has not expired at `now`.
    pub(super) fn nonce(&self, key: &str, now: Timestamp) -> Option<&Nonce> {
        self.nonces
            .get(key)
            .filter(|n| now.0 < n.created.0.saturating_add(NONCE_LIFETIME_SECS))
    }

    /// Marks a nonce used; a consumed nonce cannot be redeemed again.
    pub(super) fn consume_nonce(&mut self, key: &str) {
        if let Some(nonce) = self.nonces.get_mut(key) {
            nonce.consumed = true;
        }
    }

    /// A fresh verification id: lowercase letters and digits.
    pub(super) fn new_verification_id(&self) -> String {
        ids::lower_alphanumeric(8)
    }

    /// Whether `id` is taken by a customer.
    pub(super) fn customer_exists(&self, id: &str) -> bool {
        self.customers.contains_key(id)
    }

    /// Whether `token` is taken by a payment method.
    pub(super) fn token_exists(&self, token: &str) -> bool {
        self.payment_methods.contains_key(token)
    }

    /// A free customer id that looks like a gateway's: 8 or 9 digits.
    pub(super) fn new_customer_id(&self) -> String {
        let mut rng = rand::rng();
        loop {
            let id = rng.random_range(10_000_000u32..1_000_000_000).to_string();
            if !self.customers.contains_key(&id) {
                return id;
            }
        }
    }

    /// A free payment method token: 7 lowercase letters and digits.
    pub(super) fn new_token(&self) -> String {
        loop {
            let token = ids::lower_alphanumeric(7);
            if !self.payment_methods.contains_key(&token) {
                return token;
            }
        }
    }

    /// A free address id: lowercase letters and digits only.
    pub(super) fn new_address_id(&self) -> String {
        loop {
            let id = ids::lower_alphanumeric(6);
            if !self.addresses.contains_key(&id) {
                return id;
            }
        }
    }

    /// This vault's card fingerprint key.
    pub(super) fn fingerprints(&self) -> &Fingerprints {
        &self.fingerprints
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venmo_nonce(created: u64, consumed: bool) -> Nonce {
        Nonce {
            instrument: Instrument::Venmo(VenmoAccount {
                username: "u".into(),
                venmo_user_id: "v".into(),
            }),
            customer_id: None,
            defaults: NonceDefaults::default(),
            consumed,
            created: Timestamp(created),
        }
    }

    #[test]
    fn nonces_expire_and_are_bounded() {
        let mut vault = Vault::default();
        let now = 1_700_000_000;
        let at = |secs| Timestamp(now + secs);
        let expired = vault.insert_nonce(venmo_nonce(now - NONCE_LIFETIME_SECS, false));
        assert!(
            vault.nonce(&expired, at(0)).is_none(),
            "three hours old: expired"
        );
        let used = vault.insert_nonce(venmo_nonce(now, true));
        let first = vault.insert_nonce(venmo_nonce(now, false));
        assert!(vault.nonce(&first, at(0)).is_some());
        while vault.nonces.len() < MAX_NONCES {
            vault.insert_nonce(venmo_nonce(now + 1, false));
        }
        let last = vault.insert_nonce(venmo_nonce(now + 2, false));
        assert!(vault.nonces.len() <= MAX_NONCES);
        assert!(!vault.nonces.contains_key(&expired) && !vault.nonces.contains_key(&used));
        assert!(vault.nonce(&first, at(2)).is_some() && vault.nonce(&last, at(2)).is_some());
    }

    fn card(customer: &str, token: &str) -> PaymentMethod {
        PaymentMethod {
            token: token.to_string(),
            customer_id: customer.to_string(),
            instrument: Instrument::Card(Card {
                brand: Brand::Visa,
                bin: "411111".into(),
                last_4: "1111".into(),
                fingerprint: "f".into(),
                cardholder_name: None,
                expiration_month: "05".into(),
                expiration_year: "2030".into(),
                billing_address_id: None,
                verifications: Vec::new(),
            }),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn first_payment_method_is_default_and_delete_cascades() {
        let mut vault = Vault::default();
        vault.insert_customer(Customer::new("c1".into(), Timestamp(0)));
        vault.insert_payment_method(card("c1", "t1"));
        vault.insert_payment_method(card("c1", "t2"));
        vault.insert_address(Address {
            id: "a1".into(),
            customer_id: "c1".into(),
            ..Address::default()
        });
        let customer = vault.customer("c1").unwrap();
        assert_eq!(customer.default_payment_method.as_deref(), Some("t1"));
        assert_eq!(customer.payment_methods, ["t1", "t2"]);
        assert!(vault.remove_customer("c1").is_some());
        assert!(vault.payment_method("t1").is_none());
        assert!(vault.address("a1").is_none());
    }

    #[test]
    fn renames_keep_links() {
        let mut vault = Vault::default();
        vault.insert_customer(Customer::new("c1".into(), Timestamp(0)));
        vault.insert_customer(Customer::new("c2".into(), Timestamp(0)));
        vault.insert_payment_method(card("c1", "t1"));
        assert!(!vault.rename_customer("c1", "c2"));
        assert!(vault.rename_customer("c1", "c3"));
        assert_eq!(vault.payment_method("t1").unwrap().customer_id, "c3");
        assert!(vault.rename_payment_method("t1", "t9"));
        assert_eq!(
            vault
                .customer("c3")
                .unwrap()
                .default_payment_method
                .as_deref(),
            Some("t9")
        );
    }

    #[test]
    fn generated_ids_have_the_documented_shapes() {
        let vault = Vault::default();
        let id = vault.new_customer_id();
        assert!(id.len() >= 8 && id.bytes().all(|b| b.is_ascii_digit()));
        let token = vault.new_token();
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(
            vault
                .new_address_id()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric())
        );
    }

    #[test]
    fn expiry_is_by_month() {
        let Instrument::Card(mut c) = card("c", "t").instrument else {
            panic!("a card")
        };
        let nov_2026 = Timestamp(1_795_424_701);
        c.expiration_year = "2026".into();
        c.expiration_month = "11".into();
        assert!(!c.is_expired(nov_2026));
        c.expiration_month = "10".into();
        assert!(c.is_expired(nov_2026));
    }
}
