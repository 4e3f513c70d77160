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
use jsonpath_rust::query::queryable::Queryable as _;
use jsonpath_rust::query::{QueryRef, js_path_process};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSONPath that parsed; `query` cannot fail on syntax at run time.
///
/// Equality, hashing and ordering go by the text as written: the parsed query follows
/// from it, and the text is what scenario files use as map keys.
#[derive(Clone)]
pub struct JsonPathExpr {
    /// Shared: a path parsed once is handed out again for the same text.
    source: Arc<str>,
    singular: bool,
    /// Shared rather than copied: specs are cloned per run, and the tree never changes.
    query: Arc<JpQuery>,
    /// The same path as plain steps, when it is made of names, indexes, wildcards
    /// and `..name` only: read and run without the general parser and evaluator.
    simple: Option<Arc<[simple::Step]>>,
}

impl JsonPathExpr {
    /// Parses `source`, rejecting what RFC 9535 rejects. The error says what is wrong
    /// and at which character (counted from 1), in terms of the path rather than of the
    /// parser's grammar; for `$.a[0`: "invalid JSONPath \"$.a[0\": expected `]` after
    /// the index at character 6".
    ///
    /// ```
    /// use gatecheck::spec::jsonpath::JsonPathExpr;
    /// let p = JsonPathExpr::parse("$.customer.id").unwrap();
    /// assert_eq!(p.query(&serde_json::json!({"customer": {"id": "c1"}})), [&serde_json::json!("c1")]);
    /// assert!(JsonPathExpr::parse("customer.id").is_err());
    /// ```
    pub fn parse(source: &str) -> Result<JsonPathExpr, String> {
        if let Some(known) = PARSED.with(|parsed| parsed.borrow().get(source).cloned()) {
            return Ok(known);
        }
        let path = Self::parse_anew(source)?;
        PARSED.with(|parsed| {
            let mut parsed = parsed.borrow_mut();
            if parsed.len() < MAX_REMEMBERED {
                parsed.insert(Arc::clone(&path.source), path.clone());
            }
        });
        Ok(path)
    }

    fn parse_anew(source: &str) -> Result<JsonPathExpr, String> {
        // The parser (and `explain`'s reader) recurse once per bracket or
        // parenthesis: bound what a scenario can ask of the stack before parsing.
        if let Some(why) = too_big(source) {
            let shown: String = source.chars().take(MAX_SHOWN).collect();
            let shown = if shown.len() < source.len() {
                format!("{shown:?}…")
            } else {
                format!("{shown:?}")
            };
            return Err(format!("invalid JSONPath {shown}: {why}"));
        }
        let simple = simple::parse(source);
        let query = match &simple {
            Some(steps) => simple::to_query(steps),
            None => parse_json_path(source).map_err(|e| {
                format!(
                    "invalid JSONPath {source:?}: {}",
                    explain::problem(source, &e)
                )
            })?,
        };
        Ok(JsonPathExpr {
            singular: is_singular(&query),
            source: Arc::from(source),
            query: Arc::new(query),
            simple: simple.map(Arc::from),
        })
    }

    /// `name` when the path is `$..name` and nothing else: a redaction of several such
    /// paths can then be done in one walk of the tree.
    pub fn descendant_name(&self) -> Option<&str> {
        match self.simple.as_deref() {
            Some([simple::Step::Descendant(name)]) => Some(name),
            _ => None,
        }
    }

    /// The path's steps for a [`crate::wire::selection::Selection`], when it is made of
    /// names, indexes and wildcards only (`..name` reaches anywhere below).
    pub fn picks(&self) -> Option<Vec<crate::wire::selection::Pick<'_>>> {
        use crate::wire::selection::Pick;
        self.simple
            .as_deref()?
            .iter()
            .map(|step| match step {
                simple::Step::Name(name) => Some(Pick::Name(name)),
                simple::Step::Index(i) => Some(Pick::Index(*i)),
                simple::Step::Wildcard => Some(Pick::Any),
                simple::Step::Descendant(_) => None,
            })
            .collect()
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
        if let Some(steps) = &self.simple {
            let mut out = Vec::new();
            simple::select(steps, value, &mut out);
            return out;
        }
        self.nodes(value).into_iter().map(QueryRef::val).collect()
    }

    /// Calls `f` on every node the path selects, in document order, each on the tree
    /// as the calls before it left it: a node inside one an earlier call replaced is
    /// no longer selected.
    pub fn for_each_mut(&self, value: &mut Value, mut f: impl FnMut(&mut Value)) {
        if let Some(steps) = &self.simple {
            simple::for_each_mut(steps, value, &mut f);
            return;
        }
        for pointer in self.query_paths(value) {
            if let Some(node) = value.reference_mut(pointer.as_str()) {
                f(node);
            }
        }
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

thread_local! {
    /// The paths this thread parsed, by their text: a suite writes the same paths in
    /// file after file (`$.customer.id`), and a loading thread reads many files.
    /// Parsing one anew (its steps, its query tree) cost ten times a look-up here.
    static PARSED: std::cell::RefCell<rustc_hash::FxHashMap<Arc<str>, JsonPathExpr>> =
        std::cell::RefCell::default();
}

/// Most paths a thread remembers; later ones are parsed each time.
const MAX_REMEMBERED: usize = 4096;

/// Longest path accepted, in characters.
const MAX_LEN: usize = 4096;
/// Deepest nesting of `[...]` and `(...)` accepted.
const MAX_NESTING: usize = 32;
/// Most characters of a refused path quoted in its message.
const MAX_SHOWN: usize = 200;

/// Why `source` is too long or too deeply nested to parse, if it is.
fn too_big(source: &str) -> Option<String> {
    if source.chars().count() > MAX_LEN {
        return Some(format!("a path of more than {MAX_LEN} characters"));
    }
    let (mut depth, mut quote) = (0usize, None);
    for (i, c) in source.chars().enumerate() {
        match (quote, c) {
            (Some(_), '\\') => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(format!(
                        "brackets nest more than {MAX_NESTING} deep at character {}",
                        i + 1
                    ));
                }
            }
            (None, ']' | ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
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
        crate::spec::text::parse_text(deserializer, JsonPathExpr::parse)
    }
}

mod explain;
mod simple;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_parsed_again_is_the_one_parsed_before() {
        let first = JsonPathExpr::parse("$.customer.cards[0]['last 4']").unwrap();
        let again = JsonPathExpr::parse("$.customer.cards[0]['last 4']").unwrap();
        assert!(Arc::ptr_eq(&first.source, &again.source), "remembered");
        assert_eq!(
            again.query(&json!({"customer": {"cards": [{"last 4": "1"}]}})),
            [&json!("1")]
        );
        // A path that does not parse is not remembered: it fails each time alike.
        assert_eq!(JsonPathExpr::parse("$.a[0"), JsonPathExpr::parse("$.a[0"));
        assert!(JsonPathExpr::parse("$.a[0").is_err());
    }

    #[test]
    fn only_plain_paths_have_picks() {
        use crate::wire::selection::Pick;
        let picks = JsonPathExpr::parse("$.a[-1].*[*]").unwrap();
        assert_eq!(
            picks.picks(),
            Some(vec![Pick::Name("a"), Pick::Index(-1), Pick::Any, Pick::Any])
        );
        for other in ["$..a", "$.a..b", "$['a']", "$[0:1]"] {
            assert_eq!(JsonPathExpr::parse(other).unwrap().picks(), None, "{other}");
        }
    }

    #[test]
    fn simple_paths_read_directly_are_what_the_parser_makes_of_them() {
        let parts = [
            ".a",
            ".customer",
            "._x9",
            ".A_b",
            "..token",
            "..a1",
            "[0]",
            "[7]",
            "[10]",
            "[123456]",
            "[01]",
            "[-1]",
            "[1234567]",
            "[ 1]",
            ".1a",
            ".",
            "..",
            "[",
            "[]",
            ".a b",
            ".é",
            "['a']",
            ".*",
            "[*]",
            " .a",
            ".a-b",
            "[0",
            "..[0]",
        ];
        let mut paths = vec!["$".to_string(), "".to_string(), "x.a".to_string()];
        for a in parts {
            paths.push(format!("${a}"));
            for b in parts {
                paths.push(format!("${a}{b}"));
                paths.push(format!("$.customer{a}.card{b}"));
            }
        }
        let mut direct = 0;
        for path in &paths {
            let parsed = parse_json_path(path).ok();
            if let Some(query) = simple::parse(path).map(|steps| simple::to_query(&steps)) {
                direct += 1;
                assert_eq!(Some(query), parsed, "{path}");
            }
        }
        assert!(direct > 200, "{direct} of {} read directly", paths.len());
    }

    #[test]
    fn huge_or_deep_paths_are_refused_before_parsing() {
        let huge = format!("$[?{}@.a{}]", "(".repeat(50_000), ")".repeat(50_000));
        let err = JsonPathExpr::parse(&huge).unwrap_err();
        assert!(err.contains("more than 4096") && err.len() < 400, "{err}");
        let deep = format!("$[?{}@.a{}]", "(".repeat(40), ")".repeat(40));
        assert!(
            JsonPathExpr::parse(&deep)
                .unwrap_err()
                .contains("nest more than 32")
        );
        let long = format!("$.{}", "a".repeat(5000));
        assert!(
            JsonPathExpr::parse(&long)
                .unwrap_err()
                .contains("more than 4096")
        );
        assert!(JsonPathExpr::parse("$['(((((((((((((((((((((((((((((((((((']").is_ok());
    }

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

    /// `(path, message)` for what a user is likely to get wrong.
    const MISTAKES: &[(&str, &str)] = &[
        (
            "",
            "the path is empty; it should start with `$` at character 1",
        ),
        (
            "customer.id",
            "a path starts with `$`, found `customer` at character 1",
        ),
        (
            "$.a[",
            "expected a quoted name, an index, a slice, `*` or a `?` filter after `[`, found the end of the path at character 5",
        ),
        ("$.a[0", "expected `]` after the index at character 6"),
        (
            "$.customer.cards[0",
            "expected `]` after the index at character 19",
        ),
        ("$['a", "unclosed quote in a name at character 3"),
        (
            "$.",
            "expected a name or `*` after `.`, found the end of the path at character 3",
        ),
        (
            "$..",
            "expected a name, `*` or `[` after `..`, found the end of the path at character 4",
        ),
        ("$[?@.x == 1)]", "unexpected `)` at character 12"),
        ("$.a)", "unexpected `)` at character 4"),
        (
            "$.a[?]",
            "a filter `[?...]` needs an expression at character 6",
        ),
        (
            "$.credit-card",
            "a name with `-` needs brackets and quotes, like `['credit-card']`, found `-` at character 9",
        ),
        (
            "$.a[b]",
            "a name in brackets needs quotes, like `['b']`, found `b` at character 5",
        ),
        (
            "$[?@.x = 1]",
            "expected a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`), found `=` at character 8",
        ),
        (
            "$[?@.status == active]",
            "expected a value after `==` (strings need quotes, like `'active'`), found `active` at character 16",
        ),
        (
            "$[?@.a == 1 and @.b]",
            "expected `&&`, found `and` at character 13",
        ),
        (
            "$[?(@.a == 1]",
            "expected `&&`, `||` or `)`, found `]` at character 13",
        ),
        (
            "$[?@.a[*] == 1]",
            "a comparison needs a path to one node (names and indexes only), found `*` at character 8",
        ),
        (
            "$[?length(@.a, 1) > 2]",
            "`length()` takes one argument, found `,` at character 14",
        ),
        (
            "$[?foo(@.a)]",
            "unknown function `foo()`; the functions are `length`, `count`, `value`, `match` and `search` at character 4",
        ),
        (
            "$[?match(@.a, x)]",
            "expected an argument for `match()` (strings need quotes, like `'x'`), found `x` at character 15",
        ),
        (
            "$[?match(@.a)]",
            "`match()` takes two arguments, found `)` at character 13",
        ),
        (
            "$[?true]",
            "a literal alone is not a condition; compare something with it, like `@.x == true` at character 4",
        ),
        (
            "$.1st",
            "expected a name or `*` after `.` (write other names in brackets and quotes, like `['1st']`), found `1st` at character 3",
        ),
        (
            "$[01]",
            "an index cannot have leading zeros, found `01` at character 3",
        ),
        (
            "$[1:2:3:4]",
            "a slice has at most three parts, `start:end:step`, found a fourth `:` at character 8",
        ),
        (
            "$['a\\q']",
            "`\\q` is not an escape in a name at character 5",
        ),
    ];

    #[test]
    fn messages_say_what_is_wrong_and_where() {
        for (path, what) in MISTAKES {
            assert_eq!(
                JsonPathExpr::parse(path).unwrap_err(),
                format!("invalid JSONPath {path:?}: {what}"),
            );
        }
    }

    /// Paths jsonpath-rust accepts, which the explainer must not fault either.
    const VALID: &[&str] = &[
        "$",
        "$.a",
        "$ .a",
        "$.a ",
        "$['a b']['c-d'][0][-1]",
        "$[\"x\\\"y\"]['it\\'s']['\\u00e9\\uD83D\\uDE00\\n']",
        "$.*[*]..*..x..[0]",
        "$[0, 'a', *, 1:2, ::-1, :, 1:, ?@.x]",
        "$[ 1 : 2 : 3 ]",
        "$.café._under",
        "$.customer['credit-cards'][?@.default == true && length(@.token) > 3].token",
        "$[?@.a == 1 || @.b != 'x' && !(@.c < 2.5e-3)]",
        "$[?(@.a >= -0) && (@.b <= $.max)]",
        "$[?!@.gone]",
        "$[?@.a && @.b[?@.c]]",
        "$[?match(@.id, 'c_[0-9]+') && search(@.n, \"x\")]",
        "$[?count(@.items[*]) > 1 && value(@..x) == null]",
        "$[?@ == false]",
        "$[?@.a[0]['b'] == $.c]",
        "$[? @.a == 1 ]",
        "$..items[1:5:2]",
    ];

    #[test]
    fn explainer_agrees_with_the_parser_on_valid_paths() {
        for path in VALID {
            assert!(JsonPathExpr::parse(path).is_ok(), "{path} parses");
            assert_eq!(explain::first_problem(path), None, "{path}");
        }
    }

    /// Malformed paths: every prefix of valid ones, stray characters, and a list.
    fn malformed() -> Vec<String> {
        let mut paths: Vec<String> = Vec::new();
        for valid in [
            "$.customer['credit-cards'][?@.default == true && length(@.token) > 3].token",
            "$..items[1:5:2]['a b', 0]",
            "$[?(@.a == \"x\" || !@.b) && match(@.c, 'd')]",
        ] {
            let chars: Vec<char> = valid.chars().collect();
            paths.extend((0..chars.len()).map(|n| chars[..n].iter().collect()));
            for stray in [")", "]", ",", "'", "\"", "}", "#", " ", "=", "?", "-"] {
                for at in [1, 3, chars.len() / 2, chars.len() - 2] {
                    let mut bad = chars.clone();
                    bad.insert(at, stray.chars().next().unwrap_or(' '));
                    paths.push(bad.into_iter().collect());
                }
            }
        }
        paths.extend(
            [
                "a",
                "@",
                ".a",
                "$$",
                "$.a.",
                "$.a[?",
                "$.a[?@.x ==",
                "$.a[?@.x == 1",
                "$[?@.a ===1]",
                "$[?@.a =! 1]",
                "$[?@.a == 'x' & @.b]",
                "$[?true]",
                "$[?length(@.a)]",
                "$[?@.a == 1 == 2]",
                "$[?!@.a == 1]",
                "$[?()]",
                "$[?match(@.a)]",
                "$[?count(1) > 0]",
                "$[1::x]",
                "$[:-]",
                "$[--1]",
                "$[1.5]",
                "$[ 1 2 ]",
                "$['a' 'b']",
                "$['a',]",
                "$[,]",
                "$[]",
                "$[[0]]",
                "$.a]]",
                "$['a]",
                "$[\"a]",
                "$['\\u12']",
                "$['\\uDC00']",
                "$['\u{1}']",
                "$[?@.a == 1e]",
                "$[?@.a == .5]",
                "$[?@.a == 1.]",
                "$[?@.a == -]",
                "$[?@.a == -01]",
                "$[9007199254740992]",
                "$.a b[",
            ]
            .map(String::from),
        );
        paths.push(format!("${}", "[".repeat(200)));
        paths.retain(|p| JsonPathExpr::parse(p).is_err());
        paths
    }

    /// No rule name (`jp_query`, `EOI`, `wildcard_selector`), and a character position.
    fn assert_in_users_words(path: &str, message: &str) {
        for word in ["_selector", "jp_", "EOI", "Rule"] {
            assert!(!message.contains(word), "{path:?}: {message}");
        }
        for word in message.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            assert!(
                !word.contains('_') || path.contains(word),
                "{path:?}: `{word}` in {message}"
            );
        }
        let (_, n) = message
            .rsplit_once(" at character ")
            .unwrap_or_else(|| panic!("{path:?}: no position in {message}"));
        let n: usize = n.parse().unwrap_or_else(|_| panic!("{path:?}: {message}"));
        assert!(
            (1..=path.chars().count() + 1).contains(&n),
            "{path:?}: {message}"
        );
    }

    #[test]
    fn malformed_paths_are_explained_in_the_users_words() {
        let paths = malformed();
        assert!(paths.len() >= 100, "{} malformed paths", paths.len());
        for path in &paths {
            if too_big(path).is_some() {
                // Refused before any parser sees it (`huge_or_deep_paths_…`).
                continue;
            }
            let message = JsonPathExpr::parse(path).unwrap_err();
            let prefix = format!("invalid JSONPath {path:?}: ");
            assert!(message.starts_with(&prefix), "{message}");
            assert_in_users_words(path, &message[prefix.len()..]);
            // The explainer catches all of these; pest's report, translated by the
            // rule table, is the fallback and must read as well.
            assert!(explain::first_problem(path).is_some(), "{path:?}");
            let err = jsonpath_rust::parser::parse_json_path(path).unwrap_err();
            assert_in_users_words(path, &explain::from_parser(path, &err).to_string());
        }
    }
}
