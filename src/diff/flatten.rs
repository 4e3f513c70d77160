//! A JSON tree as a list of leaves, each at its path (`$.customer.cards[0].token`),
//! so two answers can be compared path by path.

use indexmap::IndexMap;
use serde_json::Value;

use crate::spec::jsonpath::JsonPathExpr;

/// Every leaf of `value` (scalars, and empty lists and maps) by its path, in document
/// order. Walks with an explicit stack: depth costs heap, not call stack.
pub fn flatten(value: &Value) -> IndexMap<String, Value> {
    let mut out = IndexMap::new();
    let mut stack: Vec<(String, &Value)> = vec![("$".to_string(), value)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Object(map) if !map.is_empty() => {
                for (key, child) in map.iter().rev() {
                    stack.push((child_path(&path, key), child));
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((format!("{path}[{i}]"), child));
                }
            }
            leaf => {
                out.insert(path, leaf.clone());
            }
        }
    }
    out
}

/// `$.a.b` for plain names, `$['a-b']` for others, as a user would write the path.
fn child_path(parent: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{parent}.{key}")
    } else {
        format!(
            "{parent}['{}']",
            key.replace('\\', "\\\\").replace('\'', "\\'")
        )
    }
}

/// Sorts, in place, the lists `paths` select, so that their order does not count
/// (for lists a gateway returns in no particular order).
pub fn sort_unordered(value: &mut Value, paths: &[JsonPathExpr]) {
    for path in paths {
        path.for_each_mut(value, |node| {
            if let Value::Array(items) = node {
                items.sort_by_cached_key(|v| v.to_string());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leaves_by_path() {
        let flat = flatten(&json!({"a": {"b": [1, {"c-d": null}], "e": {}}, "f": []}));
        let paths: Vec<&str> = flat.keys().map(String::as_str).collect();
        assert_eq!(paths, ["$.a.b[0]", "$.a.b[1]['c-d']", "$.a.e", "$.f"]);
        assert_eq!(flat["$.a.e"], json!({}));
        assert_eq!(flatten(&json!("x"))["$"], json!("x"));
    }

    #[test]
    fn unordered_lists_compare_as_sets() {
        let path = JsonPathExpr::parse("$.cards").unwrap();
        let mut a = json!({"cards": [{"t": "b"}, {"t": "a"}]});
        let mut b = json!({"cards": [{"t": "a"}, {"t": "b"}]});
        sort_unordered(&mut a, std::slice::from_ref(&path));
        sort_unordered(&mut b, &[path]);
        assert_eq!(a, b);
    }
}
