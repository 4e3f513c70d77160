//! JSONPath expressions (RFC 9535), checked when the scenario loads.

use std::fmt;

use jsonpath_rust::JsonPath as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSONPath that parsed; `query` cannot fail on syntax at run time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPathExpr {
    source: String,
    singular: bool,
}

impl JsonPathExpr {
    /// Parses `source`, rejecting what RFC 9535 rejects.
    ///
    /// ```
    /// use gatecheck::spec::jsonpath::JsonPathExpr;
    /// let p = JsonPathExpr::parse("$.customer.id").unwrap();
    /// assert_eq!(p.query(&serde_json::json!({"customer": {"id": "c1"}})), [&serde_json::json!("c1")]);
    /// assert!(JsonPathExpr::parse("customer.id").is_err());
    /// ```
    pub fn parse(source: &str) -> Result<JsonPathExpr, String> {
        jsonpath_rust::parser::parse_json_path(source)
            .map_err(|e| format!("invalid JSONPath {source:?}: {}", one_line(&e.to_string())))?;
        Ok(JsonPathExpr {
            singular: is_singular(source),
            source: source.to_string(),
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True when the path names at most one node (no wildcard, slice, filter, union
    /// or descendant step), so matchers see that node itself rather than a list.
    pub fn is_singular(&self) -> bool {
        self.singular
    }

    /// Every node the path selects, in document order.
    pub fn query<'a>(&self, value: &'a Value) -> Vec<&'a Value> {
        value.query(&self.source).unwrap_or_default()
    }

    /// The normalized paths (`$['a'][0]`) of every node the path selects.
    pub fn query_paths(&self, value: &Value) -> Vec<String> {
        value.query_only_path(&self.source).unwrap_or_default()
    }
}

/// The parser's multi-line report (with its own caret drawing) as one clause:
/// `at character 5: expected selector`.
fn one_line(report: &str) -> String {
    let position = report
        .lines()
        .find_map(|l| l.split_once("--> ").map(|(_, p)| p))
        .and_then(|p| p.split(':').nth(1))
        .map(|col| format!("at character {col}"));
    let reason = report
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .map(str::to_string);
    match (position, reason) {
        (Some(p), Some(r)) => format!("{p}: {r}"),
        (None, Some(r)) => r,
        _ => report.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Outside quoted names, any of these makes a path select possibly many nodes.
fn is_singular(source: &str) -> bool {
    let mut quote = None;
    for c in source.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '*' | '?' | ':' | ',') => return false,
            _ => {}
        }
    }
    !source.contains("..")
}

impl fmt::Display for JsonPathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for JsonPathExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        JsonPathExpr::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn singular_detection() {
        assert!(JsonPathExpr::parse("$.a.b[0]").unwrap().is_singular());
        assert!(JsonPathExpr::parse("$['a:b']").unwrap().is_singular());
        assert!(!JsonPathExpr::parse("$.a[*].b").unwrap().is_singular());
        assert!(!JsonPathExpr::parse("$..token").unwrap().is_singular());
        assert!(!JsonPathExpr::parse("$.a[?@.x == 1]").unwrap().is_singular());
        assert!(!JsonPathExpr::parse("$.a[0:2]").unwrap().is_singular());
    }

    #[test]
    fn queries() {
        let doc = json!({"c": {"cards": [{"t": "a"}, {"t": "b"}]}});
        let p = JsonPathExpr::parse("$.c.cards[*].t").unwrap();
        assert_eq!(p.query(&doc), [&json!("a"), &json!("b")]);
        assert_eq!(p.query_paths(&doc).len(), 2);
        assert!(
            JsonPathExpr::parse("$.nope")
                .unwrap()
                .query(&doc)
                .is_empty()
        );
    }

    #[test]
    fn rejects_bad_syntax() {
        let err = JsonPathExpr::parse("$.a[").unwrap_err();
        assert_eq!(
            err,
            "invalid JSONPath \"$.a[\": at character 5: expected selector"
        );
    }
}
