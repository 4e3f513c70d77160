//! `application/x-www-form-urlencoded` with bracketed nested keys
//! (`customer[card][number]=4111…`, lists as `items[0][id]=…`), as Chargebee and
//! Stripe-like APIs speak it.

use serde_json::{Map, Value};

/// Encodes a JSON map as a form body. Scalars are written as text, `null` as an empty
/// value, nested maps and lists with bracketed keys.
///
/// ```
/// let body = gatecheck::wire::form::encode(&serde_json::json!({"payment_method": {"type": "card"}, "ids": [1, 2]}));
/// assert_eq!(body, "payment_method%5Btype%5D=card&ids%5B0%5D=1&ids%5B1%5D=2");
/// ```
pub fn encode(value: &Value) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                append(&mut serializer, key, v);
            }
        }
        other => {
            serializer.append_pair("value", &scalar(other));
        }
    }
    serializer.finish()
}

fn append(serializer: &mut form_urlencoded::Serializer<String>, key: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                append(serializer, &format!("{key}[{k}]"), v);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                append(serializer, &format!("{key}[{i}]"), v);
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

/// Decodes a form body into a JSON tree: bracketed keys nest (whether or not the
/// brackets are percent-encoded), maps whose keys are 0..n become lists, `a[]` appends,
/// and every value is a string.
///
/// ```
/// let tree = gatecheck::wire::form::decode("customer[id]=c1&cards[0][last4]=1111&cards%5B1%5D%5Blast4%5D=4444");
/// assert_eq!(tree, serde_json::json!({"customer": {"id": "c1"}, "cards": [{"last4": "1111"}, {"last4": "4444"}]}));
/// ```
pub fn decode(body: &str) -> Value {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(body.trim().as_bytes()) {
        let segments = split_key(&key);
        insert(
            &mut root,
            &segments,
            Value::String(value.into_owned()),
            false,
        );
    }
    listify(Value::Object(root))
}

fn split_key(key: &str) -> Vec<String> {
    let (head, mut rest) = match key.find('[') {
        Some(i) if key.ends_with(']') => (&key[..i], &key[i..]),
        _ => return vec![key.to_string()],
    };
    let mut segments = vec![head.to_string()];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(end) = inner.find(']') else { break };
        segments.push(inner[..end].to_string());
        rest = &inner[end + 1..];
    }
    segments
}

fn insert(map: &mut Map<String, Value>, segments: &[String], value: Value, nested: bool) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    // `a[]` appends; a top-level empty name is just a (strange) name.
    let key = if first.is_empty() && nested {
        map.len().to_string()
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, value);
        return;
    }
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Value::Object(child) = slot {
        insert(child, rest, value, true);
    }
}

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
    fn odd_keys_do_not_panic() {
        assert_eq!(decode("a[=1&]=2&=3"), json!({"a[": "1", "]": "2", "": "3"}));
        assert_eq!(decode(""), json!({}));
        assert_eq!(decode("a=1&a[b]=2"), json!({"a": {"b": "2"}}));
    }
}
