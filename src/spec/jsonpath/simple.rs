//! The paths scenarios write most (`$.customer.id`, `$.cards[0].last_4`,
//! `$..created_at`, `$.list[*].id`), read and run without the general parser and
//! evaluator: parsing them with the grammar cost about a quarter of a run's CPU (every
//! file repeats them), and running them walks the tree directly instead of building
//! the general evaluator's lists of located nodes.
//!
//! A path this module does not read whole goes to the general parser; what it reads
//! gives the same query tree as the general parser would (tested), and the same nodes
//! in the same order as the general evaluator (tested).

use jsonpath_rust::parser::model::{JpQuery, Segment, Selector};
use serde_json::Value;

/// One step of a simple path.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// `.name`: the member of that name.
    Name(String),
    /// `[n]`: the item at that index, from the end when negative.
    Index(i64),
    /// `.*` or `[*]`: every member or item.
    Wildcard,
    /// `..name`: the member of that name of the node and of every node below it.
    Descendant(String),
}

/// Longest index read here; longer ones go to the general parser, which checks
/// RFC 9535's range.
const MAX_INDEX_DIGITS: usize = 9;

/// The steps of `source` when it is made of `.name`, `..name`, `.*`, `[*]` and `[n]`
/// only (names written bare, in ASCII); `None` for anything else.
pub(super) fn parse(source: &str) -> Option<Vec<Step>> {
    let rest = source.strip_prefix('$')?;
    let bytes = rest.as_bytes();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'.' if bytes.get(i + 1) == Some(&b'.') => {
                let (name, end) = name_at(rest, i + 2)?;
                steps.push(Step::Descendant(name.to_string()));
                i = end;
            }
            b'.' if bytes.get(i + 1) == Some(&b'*') => {
                steps.push(Step::Wildcard);
                i += 2;
            }
            b'.' => {
                let (name, end) = name_at(rest, i + 1)?;
                steps.push(Step::Name(name.to_string()));
                i = end;
            }
            b'[' => {
                let close = i + 1 + rest[i + 1..].find(']')?;
                let inner = &rest[i + 1..close];
                steps.push(if inner == "*" {
                    Step::Wildcard
                } else {
                    Step::Index(index(inner)?)
                });
                i = close + 1;
            }
            _ => return None,
        }
    }
    Some(steps)
}

/// The bare name starting at `start` and where it ends.
fn name_at(text: &str, start: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let first = *bytes.get(start)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    // A name going on with other characters (`-`, non-ASCII) is the general parser's.
    match bytes.get(start + len) {
        None | Some(b'.' | b'[') => Some((&text[start..start + len], start + len)),
        Some(_) => None,
    }
}

/// An index as RFC 9535 writes it: `0`, or digits not starting with `0`, maybe negative.
fn index(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = text == "0"
        || (!digits.is_empty()
            && digits.len() <= MAX_INDEX_DIGITS
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| text.parse().ok()).flatten()
}

/// The query tree the general parser makes of the same path.
pub(super) fn to_query(steps: &[Step]) -> JpQuery {
    JpQuery::new(
        steps
            .iter()
            .map(|step| match step {
                Step::Name(name) => Segment::Selector(Selector::Name(name.clone())),
                Step::Index(i) => Segment::Selector(Selector::Index(*i)),
                Step::Wildcard => Segment::Selector(Selector::Wildcard),
                Step::Descendant(name) => {
                    Segment::Descendant(Box::new(Segment::Selector(Selector::Name(name.clone()))))
                }
            })
            .collect(),
    )
}

/// The item of `items` at `index` (from the end when negative).
fn at(len: usize, index: i64) -> Option<usize> {
    let i = if index < 0 {
        i64::try_from(len).ok()? + index
    } else {
        index
    };
    usize::try_from(i).ok().filter(|i| *i < len)
}

/// Every container at or below `node`, the node first, then each child's in order
/// (the order the general evaluator visits them). A stack rather than recursion: the
/// depth is the answer's.
fn containers(node: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        let children: Box<dyn DoubleEndedIterator<Item = &Value>> = match n {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        out.push(n);
        stack.extend(children.rev());
    }
    out
}

/// Appends to `out` the nodes `steps` select from `node`, in document order.
pub(super) fn select<'a>(steps: &[Step], node: &'a Value, out: &mut Vec<&'a Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(node);
        return;
    };
    match (step, node) {
        (Step::Name(name), Value::Object(map)) => {
            if let Some(child) = map.get(name) {
                select(rest, child, out);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(child) = at(items.len(), *i).and_then(|i| items.get(i)) {
                select(rest, child, out);
            }
        }
        (Step::Wildcard, Value::Array(items)) => items.iter().for_each(|c| select(rest, c, out)),
        (Step::Wildcard, Value::Object(map)) => map.values().for_each(|c| select(rest, c, out)),
        (Step::Descendant(name), _) => {
            for container in containers(node) {
                if let Some(child) = container.as_object().and_then(|m| m.get(name)) {
                    select(rest, child, out);
                }
            }
        }
        _ => {}
    }
}

/// Calls `f` on every node `steps` select from `node`, in document order, on the tree
/// as `f` has left it so far: a node below one `f` replaced is no longer there.
pub(super) fn for_each_mut(steps: &[Step], node: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    let Some((step, rest)) = steps.split_first() else {
        f(node);
        return;
    };
    match (step, node) {
        (Step::Name(name), Value::Object(map)) => {
            if let Some(child) = map.get_mut(name) {
                for_each_mut(rest, child, f);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(i) = at(items.len(), *i) {
                for_each_mut(rest, &mut items[i], f);
            }
        }
        (Step::Wildcard, Value::Array(items)) => {
            items.iter_mut().for_each(|c| for_each_mut(rest, c, f));
        }
        (Step::Wildcard, Value::Object(map)) => {
            map.values_mut().for_each(|c| for_each_mut(rest, c, f));
        }
        (Step::Descendant(name), node) => {
            let mut stack = vec![node];
            while let Some(n) = stack.pop() {
                if let Value::Object(map) = n
                    && let Some(child) = map.get_mut(name)
                {
                    for_each_mut(rest, child, f);
                }
                match n {
                    Value::Array(items) => stack.extend(items.iter_mut().rev()),
                    Value::Object(map) => stack.extend(map.values_mut().rev()),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonpath_rust::parser::parse_json_path;
    use jsonpath_rust::query::{QueryRef, js_path_process};
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn reads_the_simple_forms_only() {
        assert_eq!(
            parse("$.a..b[0].*[*][-2]"),
            Some(vec![
                Step::Name("a".into()),
                Step::Descendant("b".into()),
                Step::Index(0),
                Step::Wildcard,
                Step::Wildcard,
                Step::Index(-2),
            ])
        );
        assert_eq!(parse("$"), Some(vec![]));
        for other in [
            "$['a']",
            "$.a-b",
            "$.1a",
            "$[01]",
            "$[-0]",
            "$[1,2]",
            "$[0:1]",
            "$..*",
            "$..[0]",
            "$. a",
            "$.a ",
            "$.é",
            "$[?@.a]",
            "a",
            "$[1234567890]",
            "$.",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
    }

    fn general<'a>(path: &str, value: &'a Value) -> Vec<(&'a Value, String)> {
        let query = parse_json_path(path).unwrap();
        js_path_process(&query, value)
            .unwrap()
            .into_iter()
            .map(|r: QueryRef<'a, Value>| (r.val, r.path))
            .collect()
    }

    fn tree() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            (0i64..5).prop_map(Value::from),
            "[ab]".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(("[abc]", inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn path() -> impl Strategy<Value = String> {
        path_with(true)
    }

    /// Paths of names, indexes and wildcards, and of `..name` too if `descendants`.
    fn path_with(descendants: bool) -> impl Strategy<Value = String> {
        let step = prop_oneof![
            "[abc]".prop_map(|n| format!(".{n}")),
            "[abc]".prop_map(move |n| if descendants {
                format!("..{n}")
            } else {
                format!(".{n}")
            }),
            Just(".*".to_string()),
            Just("[*]".to_string()),
            (-3i64..3).prop_map(|i| format!("[{i}]")),
        ];
        prop::collection::vec(step, 0..4).prop_map(|s| format!("${}", s.concat()))
    }

    proptest! {
        #[test]
        fn agrees_with_the_general_parser_and_evaluator(doc in tree(), p in path()) {
            let steps = parse(&p).unwrap();
            prop_assert_eq!(to_query(&steps), parse_json_path(&p).unwrap());
            let mut fast = Vec::new();
            select(&steps, &doc, &mut fast);
            let slow: Vec<&Value> = general(&p, &doc).into_iter().map(|(v, _)| v).collect();
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn replaces_what_the_general_evaluator_locates(doc in tree(), p in path()) {
            use jsonpath_rust::query::queryable::Queryable as _;
            // The general way: locate every node first, then replace each one still there.
            let mut slow = doc.clone();
            for (_, pointer) in general(&p, &doc) {
                if let Some(node) = slow.reference_mut(pointer.as_str()) && !node.is_null() {
                    *node = json!("x");
                }
            }
            let mut fast = doc;
            for_each_mut(&parse(&p).unwrap(), &mut fast, &mut |node| {
                if !node.is_null() {
                    *node = json!("x");
                }
            });
            prop_assert_eq!(fast, slow);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// An answer read as far as some paths go (`wire::selection`): they select
        /// what they select from the whole answer.
        #[test]
        fn paths_select_from_the_part_they_read_what_they_select_from_the_whole(
            doc in tree(),
            sources in prop::collection::vec(path_with(false), 0..4),
            duplicate in any::<bool>(),
        ) {
            use crate::spec::jsonpath::JsonPathExpr;
            use crate::wire::selection::Selection;
            let mut text = serde_json::to_string(&doc).unwrap();
            // A repeated member: the first place and the last value count, in both readings.
            if duplicate && text.starts_with("{\"") {
                text = format!("{{\"a\": [0], {}", &text[1..]);
            }
            let paths: Vec<JsonPathExpr> =
                sources.iter().map(|p| JsonPathExpr::parse(p).unwrap()).collect();
            let selection = Selection::of(paths.iter().map(|p| p.picks().unwrap())).unwrap();
            let json = Some("application/json");
            let whole = crate::wire::decode_body(json, text.as_bytes()).unwrap();
            let (part, partial) =
                crate::wire::decode_body_selected(json, text.as_bytes(), Some(&selection)).unwrap();
            prop_assert!(partial);
            for path in &paths {
                prop_assert_eq!(path.query(&part), path.query(&whole), "{}", path);
            }
        }
    }
}
