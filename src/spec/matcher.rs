//! Matchers: what an expectation says about the value a JSONPath selects.
//!
//! In YAML a matcher is either a plain value (deep equality) or a map of matcher
//! keywords, all of which must hold: `{ gte: 1, lte: 5 }`. A map with no keyword is
//! a plain value; `equals:` compares with a map that happens to use a keyword.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::template::{Lookup, TemplateError, ValueTemplate};
use crate::wire::kind_of;

/// A regular expression, compiled when the scenario loads.
///
/// One compiled expression per distinct text for the whole process, shared by every
/// scenario that writes it: a regex builds its matching state on first use, per
/// compiled copy, which cost far more than the match itself when each of hundreds of
/// files had its own copy.
#[derive(Debug, Clone)]
pub struct Pattern(Arc<regex::Regex>);

/// The patterns compiled so far, by text.
static COMPILED: LazyLock<Mutex<HashMap<String, Arc<regex::Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl Pattern {
    /// Compiles `source`, or shares the expression already compiled from it.
    pub fn new(source: &str) -> Result<Pattern, String> {
        // A panic elsewhere while the lock was held leaves a map that is still whole.
        let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(regex) = compiled.get(source) {
            return Ok(Pattern(Arc::clone(regex)));
        }
        let regex = regex::Regex::new(source)
            .map(Arc::new)
            .map_err(|e| format!("invalid regex {source:?}: {e}"))?;
        compiled.insert(source.to_string(), Arc::clone(&regex));
        Ok(Pattern(regex))
    }

    /// The compiled expression.
    pub fn regex(&self) -> &regex::Regex {
        &self.0
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::parse_text(deserializer, Pattern::new)
    }
}

/// The JSON types `type:` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    /// A string.
    String,
    /// Any number.
    Number,
    /// A number without a fractional part.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A list.
    Array,
    /// A map.
    Object,
    /// `null` (XML `nil="true"`).
    Null,
}

impl JsonType {
    const NAMES: [(&'static str, JsonType); 7] = [
        ("string", JsonType::String),
        ("number", JsonType::Number),
        ("integer", JsonType::Integer),
        ("boolean", JsonType::Boolean),
        ("array", JsonType::Array),
        ("object", JsonType::Object),
        ("null", JsonType::Null),
    ];

    fn parse(name: &str) -> Result<JsonType, String> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<_> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown type {name:?}{}: expected one of {}",
                    crate::suggest::did_you_mean(name, &names),
                    names.join(", ")
                )
            })
    }

    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("?", |(n, _)| n)
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            JsonType::String => value.is_string(),
            JsonType::Number => value.is_number(),
            JsonType::Integer => value.is_i64() || value.is_u64(),
            JsonType::Boolean => value.is_boolean(),
            JsonType::Array => value.is_array(),
            JsonType::Object => value.is_object(),
            JsonType::Null => value.is_null(),
        }
    }
}

/// One test applied to the value a path selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// Deep equality with a value (templates allowed).
    Equals(ValueTemplate),
    /// Length of a list, map or string; for a multi-node path, how many nodes matched.
    Length(usize),
    /// Whether the path selects anything.
    Exists(bool),
    /// A regex search in a string (numbers and booleans are matched as text).
    Matches(Pattern),
    /// The JSON type.
    Type(JsonType),
    /// Substring of a string, element of a list, or key of a map.
    Contains(ValueTemplate),
    /// Equal to one of these.
    OneOf(Vec<ValueTemplate>),
    /// Numeric comparisons; numeric strings (`"1.00"`) count as numbers.
    Compare(Comparison, f64),
    /// A keyword whose argument is one `${var}`, read when the step runs (so a
    /// `cases:` table can vary it) and then checked as if written in the file.
    Deferred {
        /// The keyword (`length`, `gt`, `type`, …).
        keyword: &'static str,
        /// The variable holding its argument.
        var: String,
    },
}

/// A numeric comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `gt`
    Gt,
    /// `gte`
    Gte,
    /// `lt`
    Lt,
    /// `lte`
    Lte,
}

impl Comparison {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Comparison::Gt => a > b,
            Comparison::Gte => a >= b,
            Comparison::Lt => a < b,
            Comparison::Lte => a <= b,
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Comparison::Gt => ">",
            Comparison::Gte => ">=",
            Comparison::Lt => "<",
            Comparison::Lte => "<=",
        }
    }
}

/// The matcher keywords, for parsing and for "did you mean" suggestions.
pub const KEYWORDS: [&str; 11] = [
    "equals", "length", "exists", "matches", "type", "contains", "one_of", "gt", "gte", "lt", "lte",
];

/// All the matchers one expectation entry holds; every one must pass.
#[derive(Debug, Clone, PartialEq)]
pub struct MatcherSet(pub Vec<Matcher>);

impl MatcherSet {
    /// Reads a matcher from the YAML value written after a JSONPath (as JSON).
    pub fn from_value(value: Value) -> Result<MatcherSet, String> {
        MatcherSet::deserialize(value).map_err(|e| e.to_string())
    }

    /// Hands `f` each variable the expected values use.
    pub fn each_var<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        for m in &self.0 {
            match m {
                Matcher::Equals(t) | Matcher::Contains(t) => t.vars().for_each(&mut *f),
                Matcher::OneOf(ts) => ts.iter().for_each(|t| t.vars().for_each(&mut *f)),
                Matcher::Deferred { var, .. } => f(var),
                _ => {}
            }
        }
    }

    /// Checks `nodes` (what the path selected) and returns every matcher that failed.
    pub fn check(
        &self,
        nodes: &[&Value],
        singular: bool,
        lookup: &dyn Lookup,
    ) -> Result<Vec<Mismatch>, TemplateError> {
        let mut failures = Vec::new();
        for m in &self.0 {
            if let Some(failure) = m.check(nodes, singular, lookup)? {
                failures.push(failure);
            }
        }
        Ok(failures)
    }
}

fn template(value: Value) -> Result<ValueTemplate, String> {
    ValueTemplate::new(value).map_err(|e| e.to_string())
}

/// A matcher keyword, read from a key (so a misspelt one is an error at that key).
struct Keyword(&'static str);

impl<'de> Deserialize<'de> for Keyword {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::text::parse_text(deserializer, |key| {
            match KEYWORDS.iter().find(|k| **k == key) {
                Some(k) => Ok(Keyword(k)),
                None => Err(format!(
                    "unknown matcher `{key}`{}; matchers are {} (to compare with a map as it is, write `equals: {{...}}`)",
                    crate::suggest::did_you_mean(key, &KEYWORDS),
                    KEYWORDS.join(", ")
                )),
            }
        })
    }
}

/// Reads the value of one keyword, so a bad value is an error at that value.
struct KeywordValue(&'static str);

impl<'de> serde::de::DeserializeSeed<'de> for KeywordValue {
    type Value = Matcher;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Matcher, D::Error> {
        parse_keyword(self.0, Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

fn parse_keyword(key: &'static str, value: Value) -> Result<Matcher, String> {
    // `equals`, `contains` and `one_of` take templates already; the others take one
    // placeholder standing for their whole argument.
    if !matches!(key, "equals" | "contains" | "one_of")
        && let Some(var) = value
            .as_str()
            .and_then(|text| super::template::Template::parse(text).ok())
            .and_then(|t| t.sole_var().map(str::to_string))
    {
        return Ok(Matcher::Deferred { keyword: key, var });
    }
    let number = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| format!("`{key}` takes a number, found {}", kind_of(v)))
    };
    Ok(match key {
        "equals" => Matcher::Equals(template(value)?),
        "length" => {
            Matcher::Length(value.as_u64().map(|n| n as usize).ok_or_else(|| {
                format!("`length` takes a whole number, found {}", kind_of(&value))
            })?)
        }
        "exists" => {
            Matcher::Exists(value.as_bool().ok_or_else(|| {
                format!("`exists` takes true or false, found {}", kind_of(&value))
            })?)
        }
        "matches" => Matcher::Matches(Pattern::new(value.as_str().ok_or_else(|| {
            format!("`matches` takes a regex string, found {}", kind_of(&value))
        })?)?),
        "type" => Matcher::Type(JsonType::parse(value.as_str().ok_or_else(|| {
            format!("`type` takes a type name, found {}", kind_of(&value))
        })?)?),
        "contains" => Matcher::Contains(template(value)?),
        "one_of" => match value {
            Value::Array(items) => {
                Matcher::OneOf(items.into_iter().map(template).collect::<Result<_, _>>()?)
            }
            other => return Err(format!("`one_of` takes a list, found {}", kind_of(&other))),
        },
        "gt" => Matcher::Compare(Comparison::Gt, number(&value)?),
        "gte" => Matcher::Compare(Comparison::Gte, number(&value)?),
        "lt" => Matcher::Compare(Comparison::Lt, number(&value)?),
        "lte" => Matcher::Compare(Comparison::Lte, number(&value)?),
        other => return Err(format!("unknown matcher `{other}`")),
    })
}

impl<'de> Deserialize<'de> for MatcherSet {
    /// A map is a set of matcher keywords (each key and value checked where it is
    /// written); anything else is a value the node must equal.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SetVisitor;
        impl<'de> serde::de::Visitor<'de> for SetVisitor {
            type Value = MatcherSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value, or a map of matchers such as `{ length: 2 }`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<MatcherSet, A::Error> {
                let mut matchers = Vec::new();
                while let Some(Keyword(key)) = map.next_key::<Keyword>()? {
                    matchers.push(map.next_value_seed(KeywordValue(key))?);
                }
                // `{}` has no keyword to misspell: it is the empty map.
                if matchers.is_empty() {
                    return equals(Value::Object(serde_json::Map::new()));
                }
                Ok(MatcherSet(matchers))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MatcherSet, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                }
                equals(Value::Array(items))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<MatcherSet, E> {
                equals(Value::Bool(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<MatcherSet, E> {
                equals(Value::from(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<MatcherSet, E> {
                equals(Value::from(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<MatcherSet, E> {
                equals(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MatcherSet, E> {
                equals(Value::String(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<MatcherSet, E> {
                equals(Value::Null)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<MatcherSet, E> {
                equals(Value::Null)
            }
        }
        fn equals<E: serde::de::Error>(value: Value) -> Result<MatcherSet, E> {
            Ok(MatcherSet(vec![Matcher::Equals(
                template(value).map_err(E::custom)?,
            )]))
        }
        deserializer.deserialize_any(SetVisitor)
    }
}

/// A matcher that did not hold: what it wanted and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What the matcher wanted (`expected length 2`).
    pub expected: String,
    /// What it found (`got length 1 ([1])`).
    pub actual: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.expected, self.actual)
    }
}

/// What a keyword's argument must be, for messages.
fn argument_kind(keyword: &str) -> &'static str {
    match keyword {
        "length" => "a whole number",
        "exists" => "true or false",
        "matches" => "a regex",
        "type" => "a type name",
        _ => "a number",
    }
}

/// Compact one-line rendering of a value for messages.
pub fn show(value: &Value) -> String {
    const MAX: usize = 200;
    let text = value.to_string();
    if text.len() <= MAX {
        return text;
    }
    let cut = (0..=MAX)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}… ({} bytes)", &text[..cut], text.len())
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn length_of(value: &Value) -> Option<usize> {
    match value {
        Value::Array(a) => Some(a.len()),
        Value::Object(o) => Some(o.len()),
        Value::String(s) => Some(s.chars().count()),
        _ => None,
    }
}

impl Matcher {
    /// `None` when the matcher holds, else why not.
    pub fn check(
        &self,
        nodes: &[&Value],
        singular: bool,
        lookup: &dyn Lookup,
    ) -> Result<Option<Mismatch>, TemplateError> {
        if let Matcher::Deferred { keyword, var } = self {
            let value = lookup
                .var(var)
                .ok_or_else(|| TemplateError::Undefined(var.clone()))?;
            let concrete =
                parse_keyword(keyword, value.clone()).map_err(|_| TemplateError::WrongType {
                    name: var.clone(),
                    wanted: argument_kind(keyword),
                    found: show(&value),
                })?;
            // A variable holding another placeholder is not followed further.
            if matches!(concrete, Matcher::Deferred { .. }) {
                return Err(TemplateError::WrongType {
                    name: var.clone(),
                    wanted: argument_kind(keyword),
                    found: show(&value),
                });
            }
            return concrete.check(nodes, singular, lookup);
        }
        if let Matcher::Exists(want) = self {
            let found = !nodes.is_empty();
            return Ok((found != *want).then(|| {
                if *want {
                    Mismatch {
                        expected: "expected the path to exist".into(),
                        actual: "it matched nothing".into(),
                    }
                } else {
                    Mismatch {
                        expected: "expected the path to match nothing".into(),
                        actual: format!("it matched {}", show_nodes(nodes)),
                    }
                }
            }));
        }
        let fail = |actual: String| {
            Ok(Some(Mismatch {
                expected: self.to_string(),
                actual,
            }))
        };
        let list;
        let subject: &Value = if singular {
            match nodes.first() {
                Some(v) => v,
                None => return fail("the path matched nothing".into()),
            }
        } else {
            if nodes.is_empty() && !matches!(self, Matcher::Length(_)) {
                return fail("the path matched nothing".into());
            }
            list = Value::Array(nodes.iter().map(|v| (*v).clone()).collect());
            &list
        };
        match self {
            Matcher::Exists(_) | Matcher::Deferred { .. } => Ok(None),
            Matcher::Equals(expected) => {
                let expected = expected.rendered(lookup)?;
                if loosely_equal(subject, &expected) {
                    Ok(None)
                } else {
                    fail(format!("got {}", show(subject)))
                }
            }
            Matcher::Length(n) => match length_of(subject) {
                Some(len) if len == *n => Ok(None),
                Some(len) => fail(format!("got length {len} ({})", show(subject))),
                None => fail(format!("{} has no length", kind_of(subject))),
            },
            Matcher::Matches(pattern) => {
                let text = match subject {
                    Value::String(s) => s.clone(),
                    Value::Number(_) | Value::Bool(_) => subject.to_string(),
                    other => return fail(format!("got {}, which is not text", kind_of(other))),
                };
                if pattern.regex().is_match(&text) {
                    Ok(None)
                } else {
                    fail(format!("got {}", show(subject)))
                }
            }
            Matcher::Type(t) => {
                if t.holds(subject) {
                    Ok(None)
                } else {
                    fail(format!("got {} {}", kind_of(subject), show(subject)))
                }
            }
            Matcher::Contains(expected) => {
                let expected = expected.rendered(lookup)?;
                let holds = match (subject, expected.as_ref()) {
                    (Value::String(s), Value::String(e)) => s.contains(e.as_str()),
                    (Value::Array(items), e) => items.iter().any(|i| loosely_equal(i, e)),
                    (Value::Object(map), Value::String(key)) => map.contains_key(key),
                    (Value::Object(map), Value::Object(part)) => is_subset(map, part),
                    _ => false,
                };
                if holds {
                    Ok(None)
                } else {
                    fail(format!("got {}", show(subject)))
                }
            }
            Matcher::OneOf(options) => {
                for option in options {
                    if loosely_equal(subject, option.rendered(lookup)?.as_ref()) {
                        return Ok(None);
                    }
                }
                fail(format!("got {}", show(subject)))
            }
            Matcher::Compare(op, bound) => match as_number(subject) {
                Some(n) if op.holds(n, *bound) => Ok(None),
                Some(_) => fail(format!("got {}", show(subject))),
                None => fail(format!("got {}, which is not a number", show(subject))),
            },
        }
    }
}

/// Deep equality where an integer and a float of the same value are equal.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| loosely_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loosely_equal(v, w)))
        }
        _ => a == b,
    }
}

fn is_subset(map: &Map<String, Value>, part: &Map<String, Value>) -> bool {
    part.iter()
        .all(|(k, v)| map.get(k).is_some_and(|w| loosely_equal(w, v)))
}

fn show_nodes(nodes: &[&Value]) -> String {
    match nodes {
        [one] => show(one),
        many => format!("{} nodes", many.len()),
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Equals(v) => write!(f, "expected {}", show(v.raw())),
            Matcher::Length(n) => write!(f, "expected length {n}"),
            Matcher::Exists(true) => write!(f, "expected to exist"),
            Matcher::Exists(false) => write!(f, "expected not to exist"),
            Matcher::Matches(p) => write!(f, "expected to match /{}/", p.regex().as_str()),
            Matcher::Type(t) => write!(f, "expected type {}", t.name()),
            Matcher::Contains(v) => write!(f, "expected to contain {}", show(v.raw())),
            Matcher::OneOf(vs) => {
                let shown: Vec<_> = vs.iter().map(|v| show(v.raw())).collect();
                write!(f, "expected one of [{}]", shown.join(", "))
            }
            Matcher::Compare(op, n) => write!(f, "expected {} {n}", op.symbol()),
            Matcher::Deferred { keyword, var } => write!(f, "expected {keyword} ${{{var}}}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct NoVars;
    impl Lookup for NoVars {
        fn var(&self, name: &str) -> Option<Value> {
            (name == "tok").then(|| json!("t1"))
        }
    }

    fn check(yaml: Value, nodes: &[&Value], singular: bool) -> Vec<String> {
        MatcherSet::from_value(yaml)
            .unwrap()
            .check(nodes, singular, &NoVars)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn plain_values_are_equality() {
        assert!(check(json!("Ada"), &[&json!("Ada")], true).is_empty());
        assert_eq!(
            check(json!("Ada"), &[&json!("Bob")], true),
            ["expected \"Ada\": got \"Bob\""]
        );
        assert!(check(json!({"equals": {"a": 1}}), &[&json!({"a": 1.0})], true).is_empty());
        assert!(check(json!("${tok}"), &[&json!("t1")], true).is_empty());
    }

    #[test]
    fn keywords_combine() {
        let m = json!({"gte": 1, "lte": 3});
        assert!(check(m.clone(), &[&json!(2)], true).is_empty());
        assert_eq!(check(m.clone(), &[&json!(5)], true).len(), 1);
        assert!(check(json!({"gt": 0.5}), &[&json!("1.00")], true).is_empty());
        assert_eq!(check(json!({"gt": 0}), &[&json!("abc")], true).len(), 1);
    }

    #[test]
    fn length_type_matches_contains_one_of() {
        assert!(check(json!({"length": 2}), &[&json!([1, 2])], true).is_empty());
        assert!(check(json!({"length": 2}), &[&json!(1), &json!(2)], false).is_empty());
        assert!(check(json!({"length": 0}), &[], false).is_empty());
        assert!(check(json!({"type": "integer"}), &[&json!(3)], true).is_empty());
        assert_eq!(
            check(json!({"type": "string"}), &[&json!(3)], true).len(),
            1
        );
        assert!(check(json!({"matches": "^4111"}), &[&json!("411111")], true).is_empty());
        assert!(
            check(
                json!({"contains": "${tok}"}),
                &[&json!("t1"), &json!("t2")],
                false
            )
            .is_empty()
        );
        assert!(check(json!({"contains": "da"}), &[&json!("Ada")], true).is_empty());
        assert!(
            check(
                json!({"contains": {"a": 1}}),
                &[&json!({"a": 1, "b": 2})],
                true
            )
            .is_empty()
        );
        assert!(check(json!({"one_of": [1, 2]}), &[&json!(2)], true).is_empty());
    }

    #[test]
    fn nothing_matched() {
        assert_eq!(
            check(json!("x"), &[], true),
            ["expected \"x\": the path matched nothing"]
        );
        assert!(check(json!({"exists": false}), &[], true).is_empty());
        assert_eq!(check(json!({"exists": true}), &[], true).len(), 1);
    }

    #[test]
    fn keyword_arguments_can_be_placeholders() {
        struct Case;
        impl Lookup for Case {
            fn var(&self, name: &str) -> Option<Value> {
                match name {
                    "n" => Some(json!(2)),
                    "t" => Some(json!("string")),
                    "bad" => Some(json!("two")),
                    _ => None,
                }
            }
        }
        let set = MatcherSet::from_value(json!({"length": "${n}", "type": "${t}"})).unwrap();
        let mut vars = Vec::new();
        set.each_var(&mut |name| vars.push(name));
        assert_eq!(vars, ["n", "t"]);
        assert!(set.check(&[&json!("ab")], true, &Case).unwrap().is_empty());
        let failed = set.check(&[&json!("abc")], true, &Case).unwrap();
        assert_eq!(
            failed[0].to_string(),
            "expected length 2: got length 3 (\"abc\")"
        );
        let bad = MatcherSet::from_value(json!({"gt": "${bad}"})).unwrap();
        let err = bad.check(&[&json!(1)], true, &Case).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`${bad}` stands for a number here, but it is \"two\""
        );
    }

    #[test]
    fn bad_matchers_are_load_errors() {
        let err = MatcherSet::from_value(json!({"lenght": 2})).unwrap_err();
        assert!(err.contains("did you mean `length`"), "{err}");
        let err = MatcherSet::from_value(json!({"length": 2, "bogus": 1})).unwrap_err();
        assert!(err.contains("unknown matcher `bogus`"), "{err}");
        assert!(MatcherSet::from_value(json!({"matches": "("})).is_err());
        let err = MatcherSet::from_value(json!({"type": "strng"})).unwrap_err();
        assert!(err.contains("did you mean `string`"), "{err}");
        let err = MatcherSet::from_value(json!({"startswith": "a"})).unwrap_err();
        assert!(err.contains("unknown matcher `startswith`"), "{err}");
        assert!(MatcherSet::from_value(json!({"length": "two"})).is_err());
    }
}
