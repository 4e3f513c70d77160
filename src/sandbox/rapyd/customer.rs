//! Customers: create, retrieve, update (`POST /v1/customers/{id}`), delete, list.
//!
//! Create and update read the same fields and run the same checks, all before anything
//! is written, so a refused request changes nothing. Update changes only the fields
//! sent; an empty string clears a field (`metadata` becomes `{}`, `addresses` `[]`,
//! `coupon` removes the discount). `addresses` sent on update are added to the
//! customer's (Rapyd: "use Update Customer to add more addresses").

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::errors::{
    ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE,
    ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER, ERROR_GET_CUSTOMER,
    ERROR_INVALID_EWALLET, ErrorCode, INVALID_FIELDS, INVALID_PAYMENT_METHOD, INVALID_PHONE_NUMBER,
};
use super::params::{Object, is_e164, object, object_field, object_list, text};
use super::render::{operation_id, success};
use super::vault::{Address, Customer, Discount, PaymentMethod, Vault, new_id};
use super::webhook::Event;
use super::{Gateway, address, coupon, payment_method};
use crate::sandbox::field::Field;

/// A create or update request, checked and ready to be written.
#[derive(Debug)]
struct Plan {
    name: Field<String>,
    email: Field<String>,
    phone_number: Field<String>,
    description: Field<String>,
    invoice_prefix: Field<String>,
    business_vat_id: Field<String>,
    ewallet: Field<String>,
    default_payment_method: Field<String>,
    metadata: Field<Object>,
    addresses: Field<Vec<Address>>,
    discount: Field<Discount>,
    /// Create only: the payment method made with the customer, which becomes its default.
    payment_method: Option<PaymentMethod>,
}

/// Checks a request for customer `id` (which need not exist yet, on create).
fn plan(
    vault: &Vault,
    id: &str,
    obj: &Object,
    creating: bool,
    now: u64,
) -> Result<Plan, ErrorCode> {
    let phone_number = text(obj, "phone_number")?;
    if let Field::Set(phone) = &phone_number
        && !is_e164(phone)
    {
        return Err(INVALID_PHONE_NUMBER);
    }
    let ewallet = text(obj, "ewallet")?;
    if let Field::Set(wallet) = &ewallet {
        if !wallet.starts_with("ewallet_") {
            return Err(ERROR_INVALID_EWALLET);
        }
        if vault.ewallet_owner(wallet, Some(id)).is_some() {
            return Err(ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE);
        }
    }
    let default_payment_method = text(obj, "default_payment_method")?;
    if let Field::Set(pm) = &default_payment_method {
        check_default(vault, id, pm)?;
    }
    let addresses = object_list(obj, "addresses")?.try_map(|list| {
        list.iter()
            .map(|a| address::parse(a, now))
            .collect::<Result<_, _>>()
    })?;
    let discount = text(obj, "coupon")?.try_map(|id| coupon::discount(vault, &id, now))?;
    let payment_method = match obj.get("payment_method") {
        Some(Value::Object(pm)) if creating => Some(payment_method::parse(vault, id, pm)?),
        None | Some(Value::Null) => None,
        Some(_) if creating => return Err(INVALID_FIELDS),
        Some(_) => None,
    };
    Ok(Plan {
        name: text(obj, "name")?,
        email: text(obj, "email")?,
        phone_number,
        description: text(obj, "description")?,
        invoice_prefix: text(obj, "invoice_prefix")?,
        business_vat_id: text(obj, "business_vat_id")?,
        ewallet,
        default_payment_method,
        metadata: object_field(obj, "metadata")?,
        addresses,
        discount,
        payment_method,
    })
}

/// A default payment method must look like one (`card_…`, `other_…`), exist, and be
/// this customer's.
fn check_default(vault: &Vault, customer_id: &str, pm_id: &str) -> Result<(), ErrorCode> {
    if !(pm_id.starts_with("card_") || pm_id.starts_with("other_")) {
        return Err(INVALID_PAYMENT_METHOD);
    }
    match vault.payment_methods.get(pm_id) {
        None => Err(INVALID_PAYMENT_METHOD),
        Some(pm) if pm.customer_id != customer_id => {
            Err(ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER)
        }
        Some(_) => Ok(()),
    }
}

/// Writes a checked plan into the customer.
fn apply(customer: &mut Customer, plan: Plan) {
    plan.name.apply(&mut customer.name);
    plan.email.apply(&mut customer.email);
    plan.phone_number.apply(&mut customer.phone_number);
    plan.description.apply(&mut customer.description);
    plan.invoice_prefix.apply(&mut customer.invoice_prefix);
    plan.business_vat_id.apply(&mut customer.business_vat_id);
    plan.ewallet.apply(&mut customer.ewallet);
    plan.default_payment_method
        .apply(&mut customer.default_payment_method);
    plan.metadata.apply(&mut customer.metadata);
    match plan.addresses {
        Field::Set(list) => customer.addresses.extend(list),
        Field::Clear => customer.addresses.clear(),
        Field::Absent => {}
    }
    plan.discount.apply_optional(&mut customer.discount);
}

/// The customer as Rapyd shows it, in the order of Rapyd's examples.
pub(super) fn render(vault: &Vault, c: &Customer, now: u64) -> Value {
    let methods: Vec<Value> = payment_method::of_customer(vault, &c.id)
        .into_iter()
        .map(payment_method::render)
        .collect();
    json!({
        "id": c.id,
        "delinquent": false,
        "discount": c.discount.as_ref().map(|d| coupon::render_discount(vault, d, now)),
        "name": c.name,
        "default_payment_method": c.default_payment_method,
        "description": c.description,
        "email": c.email,
        "phone_number": c.phone_number,
        "invoice_prefix": c.invoice_prefix,
        "addresses": c.addresses.iter().map(address::render).collect::<Vec<_>>(),
        "payment_methods": {
            "data": methods,
            "has_more": false,
            "total_count": methods.len(),
            "url": format!("/v1/customers/{}/payment_methods", c.id),
        },
        "subscriptions": null,
        "created_at": c.created_at,
        "metadata": c.metadata,
        "business_vat_id": c.business_vat_id,
        "ewallet": c.ewallet,
    })
}

/// `POST /v1/customers`.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    body: Bytes,
) -> Result<Response, ErrorCode> {
    let obj = object(&body)?;
    let now = gateway.now();
    let data = {
        let mut vault = gateway.lock();
        let id = new_id("cus_");
        let mut plan = plan(&vault, &id, &obj, true, now)?;
        let mut customer = Customer::new(id.clone(), now);
        let pm = plan.payment_method.take();
        apply(&mut customer, plan);
        if let Some(pm) = &pm {
            customer.default_payment_method = pm.id.clone();
        }
        vault.customers.insert(id.clone(), customer);
        if let Some(pm) = pm {
            vault.insert_payment_method(pm);
        }
        rendered(&vault, &id, now)?
    };
    Ok(answer(&gateway, Event::CustomerCreated, data))
}

/// `GET /v1/customers/{customer}`.
pub(super) async fn retrieve_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(id): Path<String>,
) -> Result<Response, ErrorCode> {
    let now = gateway.now();
    let vault = gateway.lock();
    Ok(success(&operation_id(), rendered(&vault, &id, now)?))
}

/// `POST /v1/customers/{customer}`: Update Customer.
pub(super) async fn update_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ErrorCode> {
    let now = gateway.now();
    // Parsed before the lock; an unknown customer is still reported first.
    let obj = object(&body);
    let data = {
        let mut vault = gateway.lock();
        if vault.customer(&id).is_none() {
            return Err(ERROR_GET_CUSTOMER);
        }
        let obj = obj?;
        let plan = plan(&vault, &id, &obj, false, now)?;
        let customer = vault.customers.get_mut(&id).ok_or(ERROR_GET_CUSTOMER)?;
        apply(customer, plan);
        rendered(&vault, &id, now)?
    };
    Ok(answer(&gateway, Event::CustomerUpdated, data))
}

/// `DELETE /v1/customers/{customer}`: `{"deleted": true, "id": …}`.
pub(super) async fn delete_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(id): Path<String>,
) -> Result<Response, ErrorCode> {
    gateway
        .lock()
        .remove_customer(&id)
        .ok_or(ERROR_GET_CUSTOMER)?;
    Ok(answer(
        &gateway,
        Event::CustomerDeleted,
        json!({"deleted": true, "id": id}),
    ))
}

/// `GET /v1/customers?limit=N`: newest first, `limit` 1-100 (default 10).
pub(super) async fn list_handler(
    State(gateway): State<Arc<Gateway>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ErrorCode> {
    let limit = match query.get("limit") {
        None => 10,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(INVALID_FIELDS),
        },
    };
    let now = gateway.now();
    let vault = gateway.lock();
    let list: Vec<Value> = vault
        .customers
        .values()
        .rev()
        .take(limit)
        .map(|c| render(&vault, c, now))
        .collect();
    Ok(success(&operation_id(), Value::Array(list)))
}

fn rendered(vault: &Vault, id: &str, now: u64) -> Result<Value, ErrorCode> {
    let customer = vault.customer(id).ok_or(ERROR_GET_CUSTOMER)?;
    Ok(render(vault, customer, now))
}

/// The success answer, and its webhook (same data, same operation id).
fn answer(gateway: &Gateway, event: Event, data: Value) -> Response {
    let operation = operation_id();
    let millis = gateway.clock.now_millis();
    gateway
        .webhooks
        .send(event, data.clone(), &operation, millis);
    success(&operation, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sandbox::rapyd::params::obj;

    fn vault_with_two_customers() -> Vault {
        let mut vault = Vault::default();
        for id in ["cus_a", "cus_b"] {
            let plan = plan(&vault, id, &obj(json!({"name": id})), true, 0).unwrap();
            let mut c = Customer::new(id.into(), 0);
            apply(&mut c, plan);
            vault.customers.insert(id.into(), c);
        }
        let pm = payment_method::parse(
            &vault,
            "cus_b",
            &obj(json!({"type": "us_ach_bank", "fields": {}})),
        )
        .unwrap();
        vault.insert_payment_method(pm);
        vault
    }

    #[test]
    fn default_payment_method_rules() {
        let vault = vault_with_two_customers();
        let b_pm = vault.customer("cus_b").unwrap().payment_methods[0].clone();
        assert_eq!(
            check_default(&vault, "cus_a", "pm_1"),
            Err(INVALID_PAYMENT_METHOD)
        );
        assert_eq!(
            check_default(&vault, "cus_a", "card_0"),
            Err(INVALID_PAYMENT_METHOD)
        );
        assert_eq!(
            check_default(&vault, "cus_a", &b_pm),
            Err(ERROR_DEFAULT_PAYMENT_METHOD_BELONGS_TO_DIFFERENT_CUSTOMER)
        );
        assert_eq!(check_default(&vault, "cus_b", &b_pm), Ok(()));
    }

    #[test]
    fn a_refused_update_changes_nothing() {
        let vault = vault_with_two_customers();
        let err = plan(
            &vault,
            "cus_a",
            &obj(json!({"name": "New", "phone_number": "555"})),
            false,
            0,
        )
        .err();
        assert_eq!(err, Some(INVALID_PHONE_NUMBER));
        assert_eq!(vault.customer("cus_a").unwrap().name, "cus_a");
    }

    #[test]
    fn empty_string_clears_and_absent_keeps() {
        let vault = vault_with_two_customers();
        let mut c = vault.customer("cus_a").unwrap().clone();
        let p = plan(
            &vault,
            "cus_a",
            &obj(json!({"email": "x@y.z", "metadata": {"k": 1}, "invoice_prefix": "JD-"})),
            false,
            0,
        )
        .unwrap();
        apply(&mut c, p);
        let p = plan(
            &vault,
            "cus_a",
            &obj(json!({"email": "", "metadata": ""})),
            false,
            0,
        )
        .unwrap();
        apply(&mut c, p);
        assert_eq!(c.email, "");
        assert!(c.metadata.is_empty());
        assert_eq!(c.invoice_prefix, "JD-");
        assert_eq!(c.name, "cus_a");
    }

    #[test]
    fn a_wallet_belongs_to_one_customer() {
        let mut vault = vault_with_two_customers();
        if let Some(b) = vault.customers.get_mut("cus_b") {
            b.ewallet = "ewallet_1".into();
        }
        let taken = plan(
            &vault,
            "cus_a",
            &obj(json!({"ewallet": "ewallet_1"})),
            false,
            0,
        )
        .err();
        assert_eq!(taken, Some(ERROR_CREATE_CUSTOMER_EWALLET_ALREADY_IN_USE));
        let own = plan(
            &vault,
            "cus_b",
            &obj(json!({"ewallet": "ewallet_1"})),
            false,
            0,
        );
        assert!(own.is_ok());
        let bad = plan(
            &vault,
            "cus_a",
            &obj(json!({"ewallet": "wallet_1"})),
            false,
            0,
        )
        .err();
        assert_eq!(bad, Some(ERROR_INVALID_EWALLET));
    }
}
