//! Request bodies read into fields, with Rapyd's update rule: a field that is absent
//! (or `null`) stays as it is, and an empty string clears it.

use serde_json::{Map, Value};

use super::errors::{ErrorCode, INVALID_FIELDS};
use crate::sandbox::field::Field;

/// A JSON object of a request.
pub(super) type Object = Map<String, Value>;

/// Reads a request body as a JSON object. An empty body is an empty object (a GET or
/// DELETE carries none).
pub(super) fn object(body: &[u8]) -> Result<Object, ErrorCode> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Object::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(INVALID_FIELDS),
    }
}

/// A text field. Anything but a string or `null` is `INVALID_FIELDS`.
pub(super) fn text(obj: &Object, name: &str) -> Result<Field<String>, ErrorCode> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(Field::Absent),
        Some(Value::String(s)) if s.is_empty() => Ok(Field::Clear),
        Some(Value::String(s)) => Ok(Field::Set(s.clone())),
        Some(_) => Err(INVALID_FIELDS),
    }
}

/// A text field read as a whole: absent and cleared both give `""`.
pub(super) fn text_or_empty(obj: &Object, name: &str) -> Result<String, ErrorCode> {
    text(obj, name).map(Field::or_empty)
}

/// A JSON object field (`metadata`); `""` clears it.
pub(super) fn object_field(obj: &Object, name: &str) -> Result<Field<Object>, ErrorCode> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(Field::Absent),
        Some(Value::String(s)) if s.is_empty() => Ok(Field::Clear),
        Some(Value::Object(map)) => Ok(Field::Set(map.clone())),
        Some(_) => Err(INVALID_FIELDS),
    }
}

/// A list of objects (`addresses`); `""` clears it.
pub(super) fn object_list(obj: &Object, name: &str) -> Result<Field<Vec<Object>>, ErrorCode> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(Field::Absent),
        Some(Value::String(s)) if s.is_empty() => Ok(Field::Clear),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_object().cloned().ok_or(INVALID_FIELDS))
            .collect::<Result<_, _>>()
            .map(Field::Set),
        Some(_) => Err(INVALID_FIELDS),
    }
}

/// A whole number (`max_redemptions`, `redeem_by`...); absent is `None`.
pub(super) fn integer(obj: &Object, name: &str) -> Result<Option<i64>, ErrorCode> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(INVALID_FIELDS),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| INVALID_FIELDS),
        Some(_) => Err(INVALID_FIELDS),
    }
}

/// A decimal number (`amount_off`, `percent_off`); absent is `None`.
pub(super) fn number(obj: &Object, name: &str) -> Result<Option<f64>, ErrorCode> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(INVALID_FIELDS),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| INVALID_FIELDS),
        Some(_) => Err(INVALID_FIELDS),
    }
}

/// E.164: a `+`, a country code that does not start with 0, at most 15 digits in all.
pub(super) fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// Test input: the object a `json!({...})` literal holds.
#[cfg(test)]
pub(super) fn obj(value: Value) -> Object {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_string_clears_and_absent_leaves() {
        let o = obj(json!({"name": "", "email": "a@b.c", "x": null, "n": 5}));
        assert_eq!(text(&o, "name"), Ok(Field::Clear));
        assert_eq!(text(&o, "email"), Ok(Field::Set("a@b.c".into())));
        assert_eq!(text(&o, "x"), Ok(Field::Absent));
        assert_eq!(text(&o, "missing"), Ok(Field::Absent));
        assert_eq!(text(&o, "n"), Err(INVALID_FIELDS));
    }

    #[test]
    fn bodies_must_be_objects() {
        assert_eq!(object(b""), Ok(Object::new()));
        assert_eq!(object(b"[1]"), Err(INVALID_FIELDS));
        assert_eq!(object(b"{nope"), Err(INVALID_FIELDS));
        assert!(object(br#"{"a":1}"#).is_ok());
    }

    #[test]
    fn e164() {
        assert!(is_e164("+14155559983"));
        assert!(is_e164("+442071838750"));
        assert!(!is_e164("14155559983"));
        assert!(!is_e164("+0123456"));
        assert!(!is_e164("+1 415 555 9983"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+"));
    }
}
