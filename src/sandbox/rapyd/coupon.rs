//! Coupons (`POST /v1/coupons`, `GET /v1/coupons/{id}`) and the discount a coupon
//! becomes when it is assigned to a customer.
//!
//! A coupon takes off a percentage (`percent_off`) or a fixed amount (`amount_off`
//! with `currency`), never both. It can be assigned while `redeem_by` (if set) is in
//! the future and `times_redeemed` is below `max_redemptions` (if set). Assigning does
//! not count as a redemption: Rapyd's example shows `times_redeemed: 0` on a customer's
//! discount.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::Gateway;
use super::errors::{
    COUPON_NOT_FOUND, ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED, ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE,
    ERROR_CREATE_COUPON_ID_ALREADY_USED, ERROR_GET_COUPON, ErrorCode,
    INVALID_AMOUNT_OFF_AND_CURRENCY, INVALID_FIELDS,
};
use super::params::{Object, integer, number, object, object_field, text, text_or_empty};
use super::render::{operation_id, success};
use super::vault::{Coupon, Discount, Vault, new_id};
use crate::sandbox::field::Field;

/// Reads a new coupon.
pub(super) fn parse(vault: &Vault, obj: &Object, now: u64) -> Result<Coupon, ErrorCode> {
    let id = match text(obj, "id")? {
        Field::Set(id) => {
            if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(INVALID_FIELDS);
            }
            if vault.coupons.contains_key(&id) {
                return Err(ERROR_CREATE_COUPON_ID_ALREADY_USED);
            }
            id
        }
        Field::Absent | Field::Clear => new_id("coupon_"),
    };
    let percent_off = number(obj, "percent_off")?.unwrap_or(0.0);
    let amount_off = number(obj, "amount_off")?.unwrap_or(0.0);
    let currency = text_or_empty(obj, "currency")?;
    match (percent_off != 0.0, amount_off != 0.0) {
        (true, false) if percent_off > 0.0 && percent_off <= 100.0 => {}
        (true, false) => return Err(INVALID_FIELDS),
        (false, true) => {
            let currency_ok =
                currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase());
            if amount_off < 0.0 || !currency_ok {
                return Err(INVALID_AMOUNT_OFF_AND_CURRENCY);
            }
        }
        _ => return Err(ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED),
    }
    let duration = match text(obj, "duration")? {
        Field::Set(d) if matches!(d.as_str(), "forever" | "once" | "repeating") => d,
        Field::Set(_) => return Err(INVALID_FIELDS),
        Field::Absent | Field::Clear => "forever".to_string(),
    };
    let count = |name| integer(obj, name).map(|n| n.unwrap_or(0));
    let coupon = Coupon {
        id,
        amount_off,
        percent_off,
        currency,
        duration,
        duration_in_months: count("duration_in_months")?,
        max_redemptions: count("max_redemptions")?,
        redeem_by: count("redeem_by")?,
        times_redeemed: 0,
        discount_valid_until: count("discount_valid_until")?,
        discount_validity_in_months: count("discount_validity_in_months")?,
        discount_duration_in_uses: count("discount_duration_in_uses")?,
        description: text_or_empty(obj, "description")?,
        metadata: object_field(obj, "metadata")?.or_empty(),
        created: now,
    };
    let negative = [
        coupon.duration_in_months,
        coupon.max_redemptions,
        coupon.redeem_by,
        coupon.discount_valid_until,
        coupon.discount_validity_in_months,
        coupon.discount_duration_in_uses,
    ]
    .iter()
    .any(|n| *n < 0);
    if negative {
        return Err(INVALID_FIELDS);
    }
    Ok(coupon)
}

/// Whether a coupon can still be assigned at `now`.
fn is_valid(coupon: &Coupon, now: u64) -> bool {
    let before_deadline =
        coupon.redeem_by == 0 || u64::try_from(coupon.redeem_by).is_ok_and(|t| t > now);
    let redemptions_left =
        coupon.max_redemptions == 0 || coupon.times_redeemed < coupon.max_redemptions;
    before_deadline && redemptions_left
}

/// The discount coupon `coupon_id` gives a customer from `now`.
pub(super) fn discount(vault: &Vault, coupon_id: &str, now: u64) -> Result<Discount, ErrorCode> {
    let coupon = vault.coupons.get(coupon_id).ok_or(ERROR_GET_COUPON)?;
    if !is_valid(coupon, now) {
        return Err(ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE);
    }
    Ok(Discount {
        id: new_id("dis_"),
        coupon: coupon.id.clone(),
        start: now,
        end: if coupon.discount_valid_until > 0 {
            coupon.discount_valid_until
        } else {
            -1
        },
    })
}

/// A whole amount as an integer (`2`, as Rapyd shows it), otherwise a decimal.
fn amount(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// The coupon as Rapyd shows it.
pub(super) fn render(coupon: &Coupon, now: u64) -> Value {
    json!({
        "id": coupon.id,
        "amount_off": amount(coupon.amount_off),
        "created": coupon.created,
        "currency": coupon.currency,
        "duration": coupon.duration,
        "duration_in_months": coupon.duration_in_months,
        "max_redemptions": coupon.max_redemptions,
        "metadata": coupon.metadata,
        "percent_off": amount(coupon.percent_off),
        "redeem_by": coupon.redeem_by,
        "times_redeemed": coupon.times_redeemed,
        "discount_valid_until": coupon.discount_valid_until,
        "discount_validity_in_months": coupon.discount_validity_in_months,
        "discount_duration_in_uses": coupon.discount_duration_in_uses,
        "description": coupon.description,
        "valid": is_valid(coupon, now),
    })
}

/// A customer's discount as Rapyd shows it, with its coupon.
pub(super) fn render_discount(vault: &Vault, discount: &Discount, now: u64) -> Value {
    let coupon = vault
        .coupons
        .get(&discount.coupon)
        .map_or(Value::Null, |c| render(c, now));
    let valid = discount.end < 0 || u64::try_from(discount.end).is_ok_and(|end| end > now);
    json!({
        "id": discount.id,
        "coupon": coupon,
        "end": discount.end,
        "start": discount.start,
        "subscription": "",
        "number_of_uses": 0,
        "valid": valid,
    })
}

/// `POST /v1/coupons`.
pub(super) async fn create_handler(
    State(gateway): State<Arc<Gateway>>,
    body: Bytes,
) -> Result<Response, ErrorCode> {
    let obj = object(&body)?;
    let now = gateway.now();
    let mut vault = gateway.lock();
    let coupon = parse(&vault, &obj, now)?;
    let data = render(&coupon, now);
    vault.coupons.insert(coupon.id.clone(), coupon);
    Ok(success(&operation_id(), data))
}

/// `GET /v1/coupons/{coupon}`.
pub(super) async fn retrieve_handler(
    State(gateway): State<Arc<Gateway>>,
    Path(id): Path<String>,
) -> Result<Response, ErrorCode> {
    let now = gateway.now();
    let vault = gateway.lock();
    let coupon = vault.coupons.get(&id).ok_or(COUPON_NOT_FOUND)?;
    Ok(success(&operation_id(), render(coupon, now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sandbox::rapyd::params::obj;

    #[test]
    fn percent_or_amount_never_both() {
        let vault = Vault::default();
        let parse = |v| parse(&vault, &obj(v), 100);
        assert!(parse(json!({"amount_off": 2, "currency": "USD"})).is_ok());
        assert!(parse(json!({"percent_off": 10})).is_ok());
        assert_eq!(
            parse(json!({"percent_off": 10, "amount_off": 2, "currency": "USD"})).err(),
            Some(ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED)
        );
        assert_eq!(
            parse(json!({})).err(),
            Some(ERROR_COUPON_DISCOUNT_NOT_RECOGNIZED)
        );
        assert_eq!(
            parse(json!({"amount_off": 2})).err(),
            Some(INVALID_AMOUNT_OFF_AND_CURRENCY)
        );
    }

    #[test]
    fn expired_or_used_coupons_give_no_discount() {
        let mut vault = Vault::default();
        let mut coupon = parse(
            &vault,
            &obj(json!({"id": "c1", "percent_off": 5, "redeem_by": 50})),
            10,
        )
        .unwrap();
        vault.coupons.insert("c1".into(), coupon.clone());
        assert!(discount(&vault, "c1", 40).is_ok());
        assert_eq!(
            discount(&vault, "c1", 60).err(),
            Some(ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE)
        );
        coupon.redeem_by = 0;
        coupon.max_redemptions = 1;
        coupon.times_redeemed = 1;
        vault.coupons.insert("c1".into(), coupon);
        assert_eq!(
            discount(&vault, "c1", 60).err(),
            Some(ERROR_COUPON_WAS_USED_OR_OUT_OF_DATE)
        );
        assert_eq!(discount(&vault, "nope", 60).err(), Some(ERROR_GET_COUPON));
        assert_eq!(
            parse(&vault, &obj(json!({"id": "c1", "percent_off": 5})), 0).err(),
            Some(ERROR_CREATE_COUPON_ID_ALREADY_USED)
        );
    }
}
