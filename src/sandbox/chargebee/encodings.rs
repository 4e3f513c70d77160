//! How Chargebee's official clients encode list parameters, filter lists and JSON-typed
//! parameters, read back into one meaning whichever client sent them.
//!
//! | what | Node `chargebee` | Python `chargebee` |
//! |---|---|---|
//! | list of objects (`entity_identifiers`) | `entity_identifiers[id][0]=…` | the same |
//! | object inside a list item | `a[b][0][c]=…` | `a[b][c]=…` (the index is lost, later items overwrite earlier ones) |
//! | filter list (`id[in]`, `between`) | JSON: `["a","b"]`, `[1,2]` | Python repr: `['a', 'b']`, `['1', '2']` |
//! | JSON object (`meta_data`, `additional_information`) | JSON text | Python repr: `{'a': 1, 'b': True, 'c': None}` |
//! | JSON array (`exemption_details`) | JSON text, `[]` included | one repeated key per item, each item in Python repr; an empty list sends nothing |
//!
//! A list parameter is read with [`rows`], a JSON-typed one with [`json_value`], a filter
//! list with [`filter_list`]. Python's repr is turned into JSON by a linear scan
//! ([`python_literal_to_json`]) and then parsed by `serde_json`, whose nesting limit
//! (128) bounds the depth; the form decoder bounds key depth the same way.

use serde_json::{Map, Value};

use super::errors::ApiError;

/// The most items a list parameter may have: an index above this is refused rather
/// than allocating a list as long as the index.
pub(super) const MAX_ITEMS: usize = 250;

/// Reads the list parameter `name` (`name[field][i]`, Chargebee's order) into one map
/// per item, in index order. Gaps in the indices are left out.
///
/// A field without an index (`name[field][sub]`, which is how the Python client sends an
/// object inside a list item) belongs to the only item when there is one; with more
/// items it cannot be placed and is refused, as is the row-first order
/// (`name[0][field]`) Chargebee does not read.
pub(super) fn rows(
    root: &Map<String, Value>,
    name: &str,
) -> Result<Vec<Map<String, Value>>, ApiError> {
    let columns = match root.get(name) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(columns)) => columns,
        Some(Value::Array(_)) => {
            return Err(ApiError::invalid(
                name,
                format!(
                    "list items are sent as {name}[<field>][<index>], not {name}[<index>][<field>]"
                ),
            ));
        }
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Vec::new()),
        Some(Value::String(_)) => {
            return Err(ApiError::invalid(
                name,
                format!("is a list; send {name}[<field>][<index>]"),
            ));
        }
        Some(_) => return Err(ApiError::invalid(name, "is not a list")),
    };
    let mut indexed: Vec<Option<Map<String, Value>>> = Vec::new();
    let mut unplaced: Vec<(&String, &Value)> = Vec::new();
    for (field, column) in columns {
        let cells: Vec<(usize, &Value)> = match column {
            Value::Array(items) => items.iter().enumerate().collect(),
            Value::Object(map)
                if !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok()) =>
            {
                let mut cells = Vec::with_capacity(map.len());
                for (k, v) in map {
                    // Every key parsed above.
                    cells.push((k.parse::<usize>().unwrap_or(usize::MAX), v));
                }
                cells
            }
            other => {
                unplaced.push((field, other));
                continue;
            }
        };
        for (index, cell) in cells {
            if index >= MAX_ITEMS {
                return Err(ApiError::invalid(
                    &format!("{name}[{field}][{index}]"),
                    format!("a list has at most {MAX_ITEMS} items"),
                ));
            }
            if indexed.len() <= index {
                indexed.resize(index + 1, None);
            }
            indexed[index]
                .get_or_insert_with(Map::new)
                .insert(field.clone(), cell.clone());
        }
    }
    let mut items: Vec<Map<String, Value>> = indexed.into_iter().flatten().collect();
    if let Some((field, _)) = unplaced.first()
        && items.len() > 1
    {
        return Err(ApiError::invalid(
            &format!("{name}[{field}]"),
            format!("has no item index; with more than one item send {name}[{field}][<index>]"),
        ));
    }
    if !unplaced.is_empty() {
        if items.is_empty() {
            items.push(Map::new());
        }
        for (field, value) in unplaced {
            items[0].insert(field.clone(), value.clone());
        }
    }
    Ok(items)
}

/// What a JSON-typed parameter must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JsonKind {
    /// A JSON object (`meta_data`, `additional_information`).
    Object,
    /// A JSON array (`exemption_details`).
    Array,
}

/// Reads one field of a JSON-typed parameter: JSON text, or the Python client's repr of
/// the same value. A blank value is absent. Anything else, or a value of the wrong
/// kind, is refused on `name`.
pub(super) fn json_value(
    text: &str,
    name: &str,
    kind: JsonKind,
) -> Result<Option<Value>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let expected = match kind {
        JsonKind::Object => "must be a JSON object",
        JsonKind::Array => "must be a JSON array",
    };
    let value = parse_json_or_python(text).ok_or_else(|| ApiError::invalid(name, expected))?;
    match (kind, &value) {
        (JsonKind::Object, Value::Object(_)) | (JsonKind::Array, Value::Array(_)) => {
            Ok(Some(value))
        }
        _ => Err(ApiError::invalid(name, expected)),
    }
}

/// Reads a JSON array parameter from every value its key was sent with. One value that
/// reads as an array is the array (Node, or JSON by hand); otherwise each value is one
/// item (Python sends `exemption_details=<item>` once per item), an item that reads as
/// neither JSON nor a Python literal being a string.
pub(super) fn json_array(values: &[String], name: &str) -> Result<Option<Value>, ApiError> {
    let values: Vec<&str> = values.iter().map(|v| v.trim()).collect();
    match values.as_slice() {
        [] => Ok(None),
        [""] => Ok(None),
        [one] if one.starts_with('[') => json_value(one, name, JsonKind::Array),
        many => Ok(Some(Value::Array(
            many.iter()
                .map(|v| parse_json_or_python(v).unwrap_or_else(|| Value::String((*v).to_string())))
                .collect(),
        ))),
    }
}

/// Reads a filter list (`id[in]`, `created_at[between]`): `["a","b"]` (Node, JSON),
/// `['a', 'b']` (Python) or `[a,b]` (by hand, as Chargebee's documentation and
/// Postman show it). Items are returned as text. Anything not in brackets is refused.
pub(super) fn filter_list(text: &str, name: &str) -> Result<Vec<String>, ApiError> {
    let text = text.trim();
    let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return Err(ApiError::invalid(
            name,
            "must be a list in brackets, e.g. [\"a\",\"b\"]",
        ));
    };
    if let Some(Value::Array(items)) = parse_json_or_python(text) {
        return items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                Value::Bool(b) => Ok(b.to_string()),
                _ => Err(ApiError::invalid(name, "list items must be single values")),
            })
            .collect();
    }
    Ok(inner
        .split(',')
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect())
}

fn parse_json_or_python(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&python_literal_to_json(text)?).ok())
}

/// Rewrites a Python literal (what `str()` gives for dicts, lists, strings, numbers,
/// `True`, `False` and `None`) as JSON text; `None` when it cannot be one. One pass over
/// the text, no recursion: nesting is left to the JSON parser, which bounds it.
pub(super) fn python_literal_to_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push('"');
                loop {
                    match chars.next()? {
                        q if q == c => break,
                        '"' => out.push_str("\\\""),
                        '\\' => match chars.next()? {
                            '\'' => out.push('\''),
                            '"' => out.push_str("\\\""),
                            'x' => {
                                let hex: String = [chars.next()?, chars.next()?].iter().collect();
                                u8::from_str_radix(&hex, 16).ok()?;
                                out.push_str("\\u00");
                                out.push_str(&hex);
                            }
                            e @ ('\\' | 'n' | 't' | 'r' | 'b' | 'f' | 'u') => {
                                out.push('\\');
                                out.push(e);
                            }
                            _ => return None,
                        },
                        // A raw control character is not valid inside a JSON string.
                        ch if ch.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(ch))),
                        ch => out.push(ch),
                    }
                }
                out.push('"');
            }
            c if c.is_ascii_alphabetic() => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if !n.is_ascii_alphanumeric() && n != '_' {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::form;
    use serde_json::json;

    fn root(body: &str) -> Map<String, Value> {
        match form::decode(body) {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    fn param(e: ApiError) -> String {
        e.param.unwrap_or_default()
    }

    #[test]
    fn rows_in_chargebee_order_from_both_clients() {
        let body = "e[id][0]=e1&e[scheme][0]=s1&e[scheme][1]=s2&e[value][1]=v2";
        let items = rows(&root(body), "e").unwrap();
        assert_eq!(
            Value::Array(items.into_iter().map(Value::Object).collect()),
            json!([{"id": "e1", "scheme": "s1"}, {"scheme": "s2", "value": "v2"}])
        );
        // Only item 1 sent: a sparse index is still item 1, not item 0.
        let items = rows(&root("e[scheme][1]=s2"), "e").unwrap();
        assert_eq!(
            items,
            vec![json!({"scheme": "s2"}).as_object().unwrap().clone()]
        );
        assert!(rows(&root("x=1"), "e").unwrap().is_empty());
    }

    #[test]
    fn objects_inside_list_items() {
        // Node keeps the index: a[b][0][c].
        let items = rows(&root("a[b][0][c]=1&a[d][0]=2&a[b][1][c]=3"), "a").unwrap();
        assert_eq!(
            items[0],
            json!({"b": {"c": "1"}, "d": "2"})
                .as_object()
                .unwrap()
                .clone()
        );
        assert_eq!(
            items[1],
            json!({"b": {"c": "3"}}).as_object().unwrap().clone()
        );
        // Python drops it: a[b][c]. One item: it is that item's.
        let items = rows(&root("a[b][c]=1&a[d][0]=2"), "a").unwrap();
        assert_eq!(
            items,
            vec![
                json!({"b": {"c": "1"}, "d": "2"})
                    .as_object()
                    .unwrap()
                    .clone()
            ]
        );
        // More than one item: it cannot be placed.
        let e = rows(&root("a[b][c]=3&a[d][0]=2&a[d][1]=4"), "a").unwrap_err();
        assert_eq!(param(e), "a[b]");
    }

    #[test]
    fn row_first_order_huge_indices_and_scalars_are_refused() {
        assert_eq!(param(rows(&root("e[0][id]=x"), "e").unwrap_err()), "e");
        assert_eq!(param(rows(&root("e=x"), "e").unwrap_err()), "e");
        let e = rows(&root("e[id][99999999]=x"), "e").unwrap_err();
        assert_eq!(param(e), "e[id][99999999]");
    }

    #[test]
    fn json_objects_from_both_clients_mean_the_same() {
        let node = r#"{"a":1,"b":[true,null,"x"],"c":{"d":"e'f"}}"#;
        let python = r#"{'a': 1, 'b': [True, None, 'x'], 'c': {'d': "e'f"}}"#;
        let expected = json!({"a": 1, "b": [true, null, "x"], "c": {"d": "e'f"}});
        for text in [node, python] {
            assert_eq!(
                json_value(text, "m", JsonKind::Object).unwrap(),
                Some(expected.clone())
            );
        }
        assert_eq!(
            json_value(r#"{'q': 'say "hi"\n', 'u': '\xe9'}"#, "m", JsonKind::Object).unwrap(),
            Some(json!({"q": "say \"hi\"\n", "u": "é"}))
        );
        assert_eq!(json_value(" ", "m", JsonKind::Object).unwrap(), None);
        for bad in [
            "[1]",
            "{'a': nan}",
            "{a: 1}",
            "{'a': 1",
            "'x'",
            "{\"a\": 1}}",
        ] {
            assert_eq!(
                param(json_value(bad, "m", JsonKind::Object).unwrap_err()),
                "m",
                "{bad}"
            );
        }
        assert!(json_value("{}", "m", JsonKind::Array).is_err());
    }

    #[test]
    fn json_arrays_whole_or_one_key_per_item() {
        let node = vec![r#"[{"x":"y"},"s"]"#.to_string()];
        let python = vec!["{'x': 'y'}".to_string(), "s".to_string()];
        for values in [node, python] {
            assert_eq!(
                json_array(&values, "ed").unwrap(),
                Some(json!([{"x": "y"}, "s"]))
            );
        }
        assert_eq!(json_array(&["[]".into()], "ed").unwrap(), Some(json!([])));
        assert_eq!(json_array(&[], "ed").unwrap(), None);
        assert!(json_array(&["[1".into()], "ed").is_err());
    }

    #[test]
    fn filter_lists_json_python_and_bare() {
        for text in [r#"["a","b"]"#, "['a', 'b']", "[a, b]", "[a,b]"] {
            assert_eq!(
                filter_list(text, "id[in]").unwrap(),
                vec!["a", "b"],
                "{text}"
            );
        }
        assert_eq!(filter_list("[1,2]", "t").unwrap(), vec!["1", "2"]);
        assert_eq!(filter_list("['1', '2']", "t").unwrap(), vec!["1", "2"]);
        assert!(filter_list("[]", "t").unwrap().is_empty());
        assert_eq!(param(filter_list("a,b", "id[in]").unwrap_err()), "id[in]");
        assert!(filter_list(r#"[{"a":1}]"#, "t").is_err());
    }

    #[test]
    fn python_literals_that_are_not_json() {
        assert_eq!(python_literal_to_json("(1, 2)").as_deref(), Some("(1, 2)"));
        assert_eq!(python_literal_to_json("{'a': inf}"), None);
        assert_eq!(python_literal_to_json("'open"), None);
        assert_eq!(python_literal_to_json(r"'\q'"), None);
    }
}
