//! JSONPath expressions (RFC 9535), checked when the scenario loads.
//!
//! A path is parsed once, when the scenario loads, and the parsed query is kept: the
//! harness runs the same few paths against every response body, and re-parsing the text
//! on each call cost 12–19 % of its CPU.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jsonpath_rust::parser::model::{JpQuery, Segment, Selector};
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::{QueryRef, js_path_process};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSONPath that parsed; `query` cannot fail on syntax at run time.
///
/// Equality, hashing and ordering go by the text as written: the parsed query follows
/// from it, and the text is what scenario files use as map keys.
#[derive(Clone)]
pub struct JsonPathExpr {
    source: String,
    singular: bool,
    /// Shared rather than copied: specs are cloned per run, and the tree never changes.
    query: Arc<JpQuery>,
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
        let query = parse_json_path(source)
            .map_err(|e| format!("invalid JSONPath {source:?}: {}", one_line(&e.to_string())))?;
        Ok(JsonPathExpr {
            singular: is_singular(&query),
            source: source.to_string(),
            query: Arc::new(query),
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
        self.nodes(value).into_iter().map(QueryRef::val).collect()
    }

    /// The normalized paths (`$['a'][0]`) of every node the path selects.
    pub fn query_paths(&self, value: &Value) -> Vec<String> {
        self.nodes(value).into_iter().map(QueryRef::path).collect()
    }

    /// Runs the parsed query. It only fails when the query yields a computed value
    /// rather than nodes, which a path (as opposed to a filter expression) never does.
    fn nodes<'a>(&self, value: &'a Value) -> Vec<QueryRef<'a, Value>> {
        js_path_process(&self.query, value).unwrap_or_default()
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

/// Singular when every segment is one name or one index: a wildcard, slice, filter,
/// several selectors or a descendant (`..`) segment may select many nodes. Deciding on
/// the parsed segments keeps quoted names such as `$['a..b']` singular.
fn is_singular(query: &JpQuery) -> bool {
    query
        .segments
        .iter()
        .all(|s| matches!(s, Segment::Selector(Selector::Name(_) | Selector::Index(_))))
}

// By the source text alone: two spellings of one query (`$.a`, `$['a']`) stay two keys,
// as they were when only the text was kept.
impl PartialEq for JsonPathExpr {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for JsonPathExpr {}

impl Hash for JsonPathExpr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

impl PartialOrd for JsonPathExpr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for JsonPathExpr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.source.cmp(&other.source)
    }
}

// The parsed tree is noise in test failures; the text says everything.
impl fmt::Debug for JsonPathExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonPathExpr")
            .field("source", &self.source)
            .field("singular", &self.singular)
            .finish_non_exhaustive()
    }
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
        let singular = |p: &str| JsonPathExpr::parse(p).unwrap().is_singular();
        for p in [
            "$",
            "$.a.b[0]",
            "$[-1]",
            "$['a']['b'][0]",
            "$['a:b']",
            // Quoted names may hold the characters that mean "many" outside quotes.
            "$['a..b']",
            "$[\"x:y\"]",
            "$['a,b'].c",
            "$['*']",
            "$['?x']",
            "$[\"a..b\"][\"c*d\"]",
        ] {
            assert!(singular(p), "{p} is singular");
        }
        for p in [
            "$.a[*].b",
            "$.*",
            "$..token",
            "$..[0]",
            "$.a..['b']",
            "$.a[?@.x == 1]",
            "$.a[0:2]",
            "$.a[:]",
            "$['a','b']",
            "$[0,1]",
            "$['a'][0, 'b']",
        ] {
            assert!(!singular(p), "{p} is not singular");
        }
    }

    #[test]
    fn equality_hash_and_order_follow_the_text() {
        use std::collections::HashSet;
        let a = JsonPathExpr::parse("$.a").unwrap();
        let quoted = JsonPathExpr::parse("$['a']").unwrap();
        assert_eq!(a, a.clone());
        assert_ne!(a, quoted, "two spellings stay two keys");
        assert!(a < quoted, "ordered like the text: '.' sorts before '['");
        let set: HashSet<_> = [a.clone(), a.clone(), quoted].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert_eq!(a.to_string(), "$.a");
    }

    #[test]
    fn queries() {
        let doc = json!({"c": {"cards": [{"t": "a"}, {"t": "b"}]}});
        let p = JsonPathExpr::parse("$.c.cards[*].t").unwrap();
        assert_eq!(p.query(&doc), [&json!("a"), &json!("b")]);
        assert_eq!(
            p.query_paths(&doc),
            ["$['c']['cards'][0]['t']", "$['c']['cards'][1]['t']"]
        );
        // The same parsed query serves any number of documents.
        assert_eq!(p.query(&json!({"c": {"cards": [{"t": 1}]}})), [&json!(1)]);
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
