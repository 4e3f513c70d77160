//! Request bodies, XML or JSON, decoded into one tree before `params` reads them.
//!
//! Braintree's clients do not agree on a body format. Python, Ruby, Java and PHP send
//! XML (underscored, dashed or camelCase names); the Node client sends JSON with the same
//! root key and snake_case names (`{"customer": {"first_name": …}}`), native booleans,
//! numbers and nulls, under `Content-Type: application/json`, and still reads XML
//! answers. Both decode to the same tree, so the rest of the gateway never knows which
//! was sent: names are snake_cased the way the XML decoder does it, and a JSON number or
//! boolean is read wherever the XML text would be.
//!
//! The format is the `Content-Type`'s; without a usable one, a body whose first
//! character is `{` is JSON and anything else XML (a hand-written `curl` often sends
//! `application/x-www-form-urlencoded`).

use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::Response;
use serde_json::{Map, Value};

use super::params::ParamError;
use super::render::bad_request;
use crate::wire::{Format, format_of, xml};

/// How deeply a JSON body may nest. The check runs over the text before any parser
/// recurses on it, so a request cannot make the gateway recurse deeper than this (the
/// XML decoder has its own bound, [`xml::MAX_DEPTH`]). Braintree's deepest request,
/// a customer's card's billing address's phone, is five levels.
pub(super) const MAX_JSON_DEPTH: usize = 64;

/// A Braintree request body and the format it was sent in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Body {
    pub text: String,
    pub json: bool,
}

impl Body {
    /// A body in the format its first character suggests (for tests and callers that
    /// have no headers).
    #[cfg(test)]
    pub(super) fn sniffed(text: &str) -> Body {
        Body {
            json: looks_like_json(text),
            text: text.to_string(),
        }
    }

    /// Decodes the body into a tree with snake_case names. An empty body is `None`.
    pub(super) fn decode(&self) -> Result<Option<Value>, ParamError> {
        if self.text.trim().is_empty() {
            return Ok(None);
        }
        if self.json {
            decode_json(&self.text).map(Some)
        } else {
            xml::decode(&self.text)
                .map(Some)
                .map_err(|e| ParamError(format!("could not read the request body: {e}")))
        }
    }
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(format_of);
        let text = String::from_request(request, state)
            .await
            .map_err(|_| bad_request("the request body is not UTF-8 text"))?;
        let json = match declared {
            Some(Format::Json) => true,
            Some(Format::Xml) => false,
            _ => looks_like_json(&text),
        };
        Ok(Body { text, json })
    }
}

/// Refuses a JSON text nested deeper than [`MAX_JSON_DEPTH`], scanning it once without
/// recursion (brackets inside strings do not count).
fn check_depth(text: &str) -> Result<(), ParamError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(ParamError(format!(
                        "could not read the request body: JSON nests deeper than {MAX_JSON_DEPTH} levels at byte {offset}"
                    )));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a JSON body: one object whose single key is the root element's name.
fn decode_json(text: &str) -> Result<Value, ParamError> {
    let map = json_object(text)?;
    if map.len() != 1 {
        return Err(ParamError(format!(
            "a JSON body needs one root key (`customer`, `payment_method`, …), got {}",
            map.len()
        )));
    }
    Ok(Value::Object(map))
}

/// A JSON object with snake_case keys at every depth, depth-checked before parsing.
pub(super) fn json_object(text: &str) -> Result<Map<String, Value>, ParamError> {
    check_depth(text)?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ParamError(format!("could not read the request body as JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(snake_keys(map)),
        other => Err(ParamError(format!(
            "a JSON body must be an object, not {}",
            crate::wire::kind_of(&other)
        ))),
    }
}

/// Snake-cases every key, at every depth (bounded by [`check_depth`]).
fn snake_keys(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, value)| (snake_case(&key), snake_values(value)))
        .collect()
}

fn snake_values(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(snake_keys(map)),
        Value::Array(items) => Value::Array(items.into_iter().map(snake_values).collect()),
        other => other,
    }
}

/// `firstName`, `first-name` and `first_name` are all `first_name`, as the XML decoder
/// reads names (the Node client underscores its keys itself; other JSON senders may not).
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c == '-' {
            out.push('_');
        } else if c.is_uppercase() {
            if previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_xml_decode_to_the_same_tree() {
        let json = Body::sniffed(
            r#"{"customer": {"first_name": "Ada", "lastName": null, "credit_card": {"expiration_month": 5, "options": {"verify_card": true, "update_existing_token": "t"}}}}"#,
        );
        let xml = Body::sniffed(
            "<customer><first-name>Ada</first-name><lastName nil=\"true\"/><credit_card><expiration_month>5</expiration_month><options><verify_card type=\"boolean\">true</verify_card><update_existing_token>t</update_existing_token></options></credit_card></customer>",
        );
        let from_json = json.decode().unwrap().unwrap();
        let mut from_xml = xml.decode().unwrap().unwrap();
        // The one difference left is the number's type, which `params` reads as text.
        from_xml["customer"]["credit_card"]["expiration_month"] = json!(5);
        assert_eq!(from_json, from_xml);
        assert_eq!(Body::sniffed("  ").decode().unwrap(), None);
    }

    #[test]
    fn malformed_json_is_a_param_error() {
        for bad in [
            "{\"customer\": ",
            "[1]",
            "{\"a\": {}, \"b\": {}}",
            "\"text\"",
            "{\"customer\": {\"first_name\": \"Ada\"}} trailing",
        ] {
            let body = Body {
                text: bad.into(),
                json: true,
            };
            assert!(body.decode().is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_json_is_refused_before_parsing() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = Body::sniffed(&deep).decode().unwrap_err();
        assert!(err.0.contains("deeper than"), "{err}");
        let at_limit = format!(
            "{{\"a\":{}1{}}}",
            "[".repeat(MAX_JSON_DEPTH - 1),
            "]".repeat(MAX_JSON_DEPTH - 1)
        );
        assert!(Body::sniffed(&at_limit).decode().is_ok());
        // Brackets inside strings do not count.
        let quoted = format!("{{\"a\": \"{}\\\"\"}}", "[".repeat(1000));
        assert!(Body::sniffed(&quoted).decode().is_ok());
    }

    #[test]
    fn names_are_snake_cased() {
        assert_eq!(snake_case("countryCodeAlpha2"), "country_code_alpha2");
        assert_eq!(snake_case("first-name"), "first_name");
        assert_eq!(snake_case("last_4"), "last_4");
    }
}
