//! `application/x-www-form-urlencoded` with bracketed nested keys
//! (`customer[card][number]=4111…`, lists as `items[0][id]=…`), as Chargebee and
//! Stripe-like APIs speak it.

use serde_json::{Map, Value};

/// Where a list's index goes when a list item is a map: APIs disagree.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ListStyle {
    /// `items[0][id]=…`: the index right after the list's name (Rails, Stripe, PHP).
    #[default]
    IndexFirst,
    /// `items[id][0]=…`: the index after the item's field, as Chargebee reads lists of
    /// objects (`subscription_items[item_price_id][0]`); a map inside an item goes on
    /// after the index (`a[b][0][c]`, what Chargebee's Node client sends).
    IndexLast,
}

/// Encodes a JSON map as a form body. Scalars are written as text, `null` as an empty
/// value, nested maps and lists with bracketed keys, lists index first.
///
/// ```
/// let body = gatecheck::wire::form::encode(&serde_json::json!({"payment_method": {"type": "card"}, "ids": [1, 2]}));
/// assert_eq!(body, "payment_method%5Btype%5D=card&ids%5B0%5D=1&ids%5B1%5D=2");
/// ```
pub fn encode(value: &Value) -> String {
    encode_with(value, ListStyle::IndexFirst)
}

/// Encodes a JSON map as a form body with lists of maps written in `lists` style.
///
/// ```
/// use gatecheck::wire::form::{ListStyle, encode_with};
///
/// let tree = serde_json::json!({"items": [{"id": "a", "qty": 1}, {"id": "b"}], "tags": ["x"]});
/// assert_eq!(
///     encode_with(&tree, ListStyle::IndexLast),
///     "items%5Bid%5D%5B0%5D=a&items%5Bqty%5D%5B0%5D=1&items%5Bid%5D%5B1%5D=b&tags%5B0%5D=x"
/// );
/// ```
pub fn encode_with(value: &Value, lists: ListStyle) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                append(&mut serializer, lists, key, v);
            }
        }
        other => {
            serializer.append_pair("value", &scalar(other));
        }
    }
    serializer.finish()
}

// Recursion is bounded: bodies come from scenario files, whose depth the YAML reader
// limits, or from captured answers, whose decoders do.
fn append(
    serializer: &mut form_urlencoded::Serializer<String>,
    lists: ListStyle,
    key: &str,
    value: &Value,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                append(serializer, lists, &format!("{key}[{k}]"), v);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                match (lists, v) {
                    (ListStyle::IndexLast, Value::Object(fields)) => {
                        for (field, v) in fields {
                            append(serializer, lists, &format!("{key}[{field}][{i}]"), v);
                        }
                    }
                    _ => append(serializer, lists, &format!("{key}[{i}]"), v),
                }
            }
        }
        scalar_value => {
            serializer.append_pair(key, &scalar(scalar_value));
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How many bracketed levels (`[...]`) one key may nest, as deep as JSON and XML.
pub const MAX_DEPTH: usize = 128;

/// Why a form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// A key nests deeper than [`MAX_DEPTH`] bracketed levels.
    #[error("the key {preview:?} is nested deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// The key's name before its first `[`: the parameter a gateway names in its error.
        name: String,
        /// The start of the key, shortened so that a message stays readable.
        preview: String,
    },
}

/// Decodes a form body into a JSON tree: bracketed keys nest (whether or not the
/// brackets are percent-encoded), maps whose keys are 0..n become lists, `a[]` appends,
/// and every value is a string.
///
/// A key nested deeper than [`MAX_DEPTH`] levels is an error, so that hostile input
/// costs neither the stack nor time.
///
/// ```
/// use gatecheck::wire::form::{FormError, MAX_DEPTH, try_decode};
///
/// let tree = try_decode("customer[id]=c1&cards[0][last4]=1111&cards%5B1%5D%5Blast4%5D=4444");
/// assert_eq!(tree.unwrap(), serde_json::json!({"customer": {"id": "c1"}, "cards": [{"last4": "1111"}, {"last4": "4444"}]}));
///
/// let deep = format!("a{}=1", "[b]".repeat(MAX_DEPTH + 1));
/// assert!(matches!(try_decode(&deep), Err(FormError::TooDeep { name, .. }) if name == "a"));
/// ```
pub fn try_decode(body: &str) -> Result<Value, FormError> {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(body.trim().as_bytes()) {
        let Some(segments) = split_key(&key) else {
            return Err(too_deep(&key));
        };
        insert(&mut root, &segments, Value::String(value.into_owned()));
    }
    Ok(listify(Value::Object(root)))
}

/// Like [`try_decode`], but never fails: a pair whose key nests deeper than
/// [`MAX_DEPTH`] levels is left out. For callers that answer for unknown parameters
/// anyway; prefer [`try_decode`], which says what was wrong.
///
/// ```
/// let tree = gatecheck::wire::form::decode("customer[id]=c1&cards[0][last4]=1111&cards%5B1%5D%5Blast4%5D=4444");
/// assert_eq!(tree, serde_json::json!({"customer": {"id": "c1"}, "cards": [{"last4": "1111"}, {"last4": "4444"}]}));
/// ```
pub fn decode(body: &str) -> Value {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(body.trim().as_bytes()) {
        if let Some(segments) = split_key(&key) {
            insert(&mut root, &segments, Value::String(value.into_owned()));
        }
    }
    listify(Value::Object(root))
}

/// Every value sent under the key `key` exactly (after percent-decoding), in order: for
/// parameters some clients send as one key repeated per list item (`a=1&a=2`), which
/// the tree of [`try_decode`] keeps only the last of.
///
/// ```
/// let values = gatecheck::wire::form::values("a=1&b%5B0%5D=x&a=%7B%7D&a[0]=y", "a");
/// assert_eq!(values, ["1", "{}"]);
/// ```
pub fn values(body: &str, key: &str) -> Vec<String> {
    form_urlencoded::parse(body.trim().as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn too_deep(key: &str) -> FormError {
    const PREVIEW: usize = 40;
    let name = key.split('[').next().unwrap_or(key);
    let mut preview: String = key.chars().take(PREVIEW).collect();
    if key.chars().nth(PREVIEW).is_some() {
        preview.push('…');
    }
    FormError::TooDeep {
        name: name.to_string(),
        preview,
    }
}

/// The key's name and bracketed segments, or `None` when it nests deeper than
/// [`MAX_DEPTH`] (found without splitting the rest of the key).
fn split_key(key: &str) -> Option<Vec<&str>> {
    let (head, mut rest) = match key.find('[') {
        Some(i) if key.ends_with(']') => (&key[..i], &key[i..]),
        _ => return Some(vec![key]),
    };
    let mut segments = vec![head];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(end) = inner.find(']') else { break };
        if segments.len() > MAX_DEPTH {
            return None;
        }
        segments.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    Some(segments)
}

/// Files `value` under the path `segments` names, creating maps on the way (and
/// replacing a scalar that stands in the way). A loop, not recursion: the depth comes
/// from the input.
fn insert(root: &mut Map<String, Value>, segments: &[&str], value: Value) {
    let Some((last, path)) = segments.split_last() else {
        return;
    };
    let mut map = root;
    for (level, segment) in path.iter().enumerate() {
        let key = key_at(map, segment, level > 0);
        let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(child) = slot else {
            return;
        };
        map = child;
    }
    let key = key_at(map, last, !path.is_empty());
    map.insert(key, value);
}

/// The key a segment stands for: `a[]` appends; a top-level empty name is just a
/// (strange) name.
fn key_at(map: &Map<String, Value>, segment: &str, nested: bool) -> String {
    if segment.is_empty() && nested {
        map.len().to_string()
    } else {
        segment.to_string()
    }
}

/// Turns maps whose keys are 0..n into lists. Recursive, but on a tree at most
/// [`MAX_DEPTH`] + 1 levels deep, as [`split_key`] ensures.
fn listify(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_list = !map.is_empty()
                && map
                    .keys()
                    .enumerate()
                    .all(|(i, k)| k.parse::<usize>().ok() == Some(i));
            let items = map.into_iter().map(|(k, v)| (k, listify(v)));
            if is_list {
                Value::Array(items.map(|(_, v)| v).collect())
            } else {
                Value::Object(items.collect())
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_nested() {
        let tree = json!({
            "payment_method": {"type": "card", "reference_id": "cus_1/card_2"},
            "items": [{"id": "a"}, {"id": "b"}],
            "flag": true,
            "empty": null
        });
        let decoded = decode(&encode(&tree));
        assert_eq!(
            decoded,
            json!({
                "payment_method": {"type": "card", "reference_id": "cus_1/card_2"},
                "items": [{"id": "a"}, {"id": "b"}],
                "flag": "true",
                "empty": ""
            })
        );
    }

    #[test]
    fn plain_and_encoded_brackets_and_appends() {
        assert_eq!(
            decode("a[b]=1&a%5Bc%5D=2&l[]=x&l[]=y&plus=a+b&pct=50%25"),
            json!({"a": {"b": "1", "c": "2"}, "l": ["x", "y"], "plus": "a b", "pct": "50%"})
        );
    }

    #[test]
    fn index_last_puts_the_index_after_the_field_and_before_nested_maps() {
        let tree = json!({"a": [{"b": {"c": 1}, "d": [true]}, {"b": {"c": 2}}], "s": ["x", "y"]});
        let body = encode_with(&tree, ListStyle::IndexLast);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let expected = [
            ("a[b][0][c]", "1"),
            ("a[d][0][0]", "true"),
            ("a[b][1][c]", "2"),
            ("s[0]", "x"),
            ("s[1]", "y"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(encode(&tree), encode_with(&tree, ListStyle::IndexFirst));
    }

    #[test]
    fn lists_of_maps_both_ways() {
        let tree = json!({"a": [{"b": "x", "c": {"d": "y"}}, {"b": "z"}]});
        let body = encode(&tree);
        assert_eq!(
            body,
            "a%5B0%5D%5Bb%5D=x&a%5B0%5D%5Bc%5D%5Bd%5D=y&a%5B1%5D%5Bb%5D=z"
        );
        assert_eq!(decode(&body), tree);
        // The same body with plain brackets, and with brackets mixed.
        assert_eq!(decode("a[0][b]=x&a[0][c][d]=y&a[1][b]=z"), tree);
        assert_eq!(decode("a[0]%5Bb%5D=x&a%5B0%5D[c][d]=y&a[1][b]=z"), tree);
        // Lower-case percent-encoding is the same.
        assert_eq!(decode("a%5b0%5d%5bb%5d=x"), json!({"a": [{"b": "x"}]}));
    }

    #[test]
    fn deep_keys_are_refused_not_a_stack_overflow() {
        // 100,000 levels overflowed the stack of any thread when the decoder recursed.
        let deep = format!("x=1&customer{}=1", "[a]".repeat(100_000));
        let err = try_decode(&deep).unwrap_err();
        let FormError::TooDeep { name, preview } = &err;
        assert_eq!(name, "customer");
        assert_eq!(preview.chars().count(), 41);
        assert!(
            err.to_string()
                .ends_with("is nested deeper than 128 levels"),
            "{err}"
        );
        // The lenient decoder leaves the pair out and keeps the rest.
        assert_eq!(decode(&deep), json!({"x": "1"}));
        // Encoded brackets count the same.
        let encoded = format!("a{}=1", "%5Bb%5D".repeat(MAX_DEPTH + 1));
        assert!(try_decode(&encoded).is_err());
        // The limit itself is fine, and round trips.
        let mut tree = json!("v");
        for _ in 0..MAX_DEPTH {
            tree = json!({ "k": tree });
        }
        let tree = json!({ "root": tree });
        assert_eq!(try_decode(&encode(&tree)).unwrap(), tree);
    }

    #[test]
    fn odd_keys_do_not_panic() {
        assert_eq!(decode("a[=1&]=2&=3"), json!({"a[": "1", "]": "2", "": "3"}));
        assert_eq!(decode(""), json!({}));
        assert_eq!(decode("a=1&a[b]=2"), json!({"a": {"b": "2"}}));
    }
}
