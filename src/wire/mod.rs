//! Wire formats: every body is a JSON tree on our side, encoded per gateway on the wire,
//! and every answer is decoded back into one, so captures, assertions and snapshots
//! speak JSONPath whatever the gateway.

pub mod form;
pub mod headers;
mod json;
pub mod selection;
pub mod xml;

use serde_json::Value;

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `application/json`
    Json,
    /// `application/x-www-form-urlencoded` with bracketed nested keys.
    Form,
    /// Braintree-style XML: dashed names, `type="boolean"`, `type="array"`, `nil="true"`.
    Xml,
    /// The body is a string sent as it is.
    Raw,
}

/// A short name for a JSON value's type, used in messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Encodes a body tree in `format`; returns the bytes and the content type to send.
pub fn encode_body(format: Format, body: &Value) -> Result<(Vec<u8>, &'static str), String> {
    encode_body_as(format, form::ListStyle::default(), body)
}

/// [`encode_body`], with lists of maps in form bodies written in `lists` style (an
/// API's `form_lists`).
pub fn encode_body_as(
    format: Format,
    lists: form::ListStyle,
    body: &Value,
) -> Result<(Vec<u8>, &'static str), String> {
    match format {
        Format::Json => serde_json::to_vec(body)
            .map(|b| (b, "application/json"))
            .map_err(|e| format!("cannot encode the body as JSON: {e}")),
        Format::Form => Ok((
            form::encode_with(body, lists).into_bytes(),
            "application/x-www-form-urlencoded",
        )),
        Format::Xml => xml::encode(
            body,
            xml::EncodeOptions {
                dasherize: true,
                declaration: true,
            },
        )
        .map(|s| (s.into_bytes(), "application/xml"))
        .map_err(|e| format!("cannot encode the body as XML: {e}")),
        Format::Raw => match body {
            Value::String(s) => Ok((s.clone().into_bytes(), "text/plain")),
            other => Err(format!(
                "`format: raw` sends a string body as it is, but the body is {}",
                kind_of(other)
            )),
        },
    }
}

/// The wire format a `Content-Type` names, if it is one we decode.
pub fn format_of(content_type: &str) -> Option<Format> {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    // Compared without case, not lowered into a new string: every answer asks this.
    let is = |name: &str| essence.eq_ignore_ascii_case(name);
    let ends = |suffix: &str| {
        essence.len() >= suffix.len()
            && essence.as_bytes()[essence.len() - suffix.len()..]
                .eq_ignore_ascii_case(suffix.as_bytes())
    };
    if is("application/json") || ends("+json") {
        Some(Format::Json)
    } else if is("application/xml") || is("text/xml") || ends("+xml") {
        Some(Format::Xml)
    } else if is("application/x-www-form-urlencoded") {
        Some(Format::Form)
    } else {
        None
    }
}

/// Decodes an answer into a JSON tree by its content type. An empty body is `null`; a
/// body of a type we do not decode is kept as a string.
pub fn decode_body(content_type: Option<&str>, body: &[u8]) -> Result<Value, String> {
    decode_body_selected(content_type, body, None).map(|(value, _)| value)
}

/// [`decode_body`], keeping of a JSON or XML answer only what `selection` reads (see
/// [`selection`]); the flag says whether the tree is such a part. It fails exactly
/// where [`decode_body`] fails, and other formats are read whole.
pub fn decode_body_selected(
    content_type: Option<&str>,
    body: &[u8],
    selection: Option<&selection::Selection<'_>>,
) -> Result<(Value, bool), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((Value::Null, false));
    }
    let text = std::str::from_utf8(body).map_err(|e| format!("the body is not UTF-8: {e}"))?;
    let format = content_type.and_then(format_of);
    // JSON and XML are read in part when a selection is given; other formats whole.
    let partial = selection.is_some() && matches!(format, Some(Format::Json | Format::Xml));
    let value = match format {
        Some(Format::Json) => match selection {
            Some(selection) => json::parse_selected(text, selection),
            None => json::parse(text),
        }
        .map_err(|e| format!("the body claims to be JSON but is not: {e}")),
        Some(Format::Xml) => match selection {
            Some(selection) => xml::decode_selected(text, selection),
            None => xml::decode(text),
        }
        .map_err(|e| format!("the body claims to be XML but is not: {e}")),
        Some(Format::Form) => form::try_decode(text)
            .map_err(|e| format!("the body claims to be form-encoded but cannot be read: {e}")),
        Some(Format::Raw) | None => Ok(Value::String(text.to_string())),
    }?;
    Ok((value, partial))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_by_content_type() {
        assert_eq!(
            decode_body(Some("application/json; charset=utf-8"), br#"{"a":1}"#).unwrap(),
            json!({"a": 1})
        );
        assert_eq!(decode_body(Some("text/plain"), b"hi").unwrap(), json!("hi"));
        assert_eq!(decode_body(None, b"  ").unwrap(), Value::Null);
        let err = decode_body(Some("application/json"), b"<html>").unwrap_err();
        assert!(err.contains("claims to be JSON"), "{err}");
        assert!(decode_body(Some("application/json"), &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn too_deep_form_bodies_are_errors() {
        let deep = format!("a{}=1", "[b]".repeat(10_000));
        let err =
            decode_body(Some("application/x-www-form-urlencoded"), deep.as_bytes()).unwrap_err();
        assert!(err.contains("nested deeper than 128 levels"), "{err}");
        assert_eq!(
            decode_body(Some("application/x-www-form-urlencoded"), b"a[b]=1").unwrap(),
            json!({"a": {"b": "1"}})
        );
    }

    #[test]
    fn content_types_are_read_without_case() {
        for (ct, format) in [
            ("Application/JSON; charset=utf-8", Some(Format::Json)),
            ("application/vnd.api+JSON", Some(Format::Json)),
            (" text/XML ", Some(Format::Xml)),
            ("application/atom+xml;type=feed", Some(Format::Xml)),
            ("APPLICATION/X-WWW-FORM-URLENCODED", Some(Format::Form)),
            ("application/jsonx", None),
            ("json", None),
            ("", None),
        ] {
            assert_eq!(format_of(ct), format, "{ct}");
        }
    }

    #[test]
    fn raw_needs_a_string() {
        assert!(encode_body(Format::Raw, &json!({"a": 1})).is_err());
        assert_eq!(encode_body(Format::Raw, &json!("x")).unwrap().0, b"x");
    }
}
