//! Normalization: turning an answer into something stable from run to run and from
//! target to target, and safe to commit.
//!
//! Two passes, in this order: variable substitution (a value equal to a captured or
//! target variable becomes `${name}`), then redactions of what is left volatile
//! (JSONPath → placeholder, from the API profile and the scenario). Masking (card data
//! and secrets) is not done here: what is normalized is only ever written as part of a
//! document masked whole ([`crate::mask::Masked`]), after normalization, so nothing a
//! redaction rule forgot can leak, and masking each entry as well would mask it twice.

use std::borrow::Cow;

use serde_json::Value;

use crate::spec::jsonpath::JsonPathExpr;

/// Values shorter than this are replaced only when a whole string equals them, and
/// values at least this long also inside longer strings (`c-${run_id}`).
const SUBSTRING_MIN: usize = 8;
/// Variable values shorter than this are left alone: replacing `"1"` everywhere
/// would hide more than it stabilizes.
const WHOLE_MIN: usize = 2;

/// Everything normalization needs besides the value itself.
pub struct Normalizer<'a> {
    /// Redaction rules: JSONPath → placeholder.
    pub redact: Vec<(&'a JsonPathExpr, &'a str)>,
    /// Variables whose values are replaced by `${name}`, in order of preference.
    pub vars: Vec<(String, String)>,
}

impl Normalizer<'_> {
    /// Normalizes `value` in place.
    ///
    /// ```
    /// use gatecheck::{snapshot::normalize::Normalizer, spec::jsonpath::JsonPathExpr};
    /// let path = JsonPathExpr::parse("$..created_at").unwrap();
    /// let n = Normalizer {
    ///     redact: vec![(&path, "[timestamp]")],
    ///     vars: vec![("customer_id".into(), "c-k3j2h4g5".into())],
    /// };
    /// let mut v = serde_json::json!({"customer": {"id": "c-k3j2h4g5", "created_at": "2026-11-23T10:00:00Z"}});
    /// n.apply(&mut v);
    /// assert_eq!(v, serde_json::json!({"customer": {"id": "${customer_id}", "created_at": "[timestamp]"}}));
    /// ```
    pub fn apply(&self, value: &mut Value) {
        // The usual redactions (an API profile's `$..created_at`, ...) are done in the
        // walk that substitutes, rather than in a walk each: one walk instead of six.
        if let Some(names) = descendant_names(&self.redact) {
            self.walk(value, &names);
            return;
        }
        self.walk(value, &[]);
        for (path, placeholder) in &self.redact {
            path.for_each_mut(value, |node| redact(node, placeholder));
        }
    }

    /// Substitutes every string of `value`, and redacts every member named in `names`
    /// (in their order) as a `$..name` path would, after its substitution. A stack
    /// rather than recursion: the depth is the answer's.
    fn walk(&self, value: &mut Value, names: &[(&str, &str)]) {
        let mut stack = vec![value];
        while let Some(node) = stack.pop() {
            match node {
                Value::String(s) => substitute(&self.vars, s),
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(map) => {
                    for (key, member) in map.iter_mut() {
                        normalize_member(&self.vars, names, key, member);
                        if matches!(member, Value::Array(_) | Value::Object(_)) {
                            stack.push(member);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Normalizes the member `key` of an object before the walk goes into it: a string
/// substituted, then the member redacted by every one of `names` that is its name,
/// in their order.
pub(crate) fn normalize_member(
    vars: &[(String, String)],
    names: &[(&str, &str)],
    key: &str,
    member: &mut Value,
) {
    if let Value::String(s) = member {
        substitute(vars, s);
    }
    for (name, placeholder) in names {
        if key == *name {
            redact(member, placeholder);
        }
    }
}

/// Names the values of `vars` in `s` (see [`substituted`]).
fn substitute(vars: &[(String, String)], s: &mut String) {
    if let Cow::Owned(named) = substituted(vars, s) {
        *s = named;
    }
}

/// Redactions as member names and placeholders, when every one is a `$..name` path
/// (the usual case), in their order.
pub(crate) fn descendant_names<'a>(
    redact: &[(&'a JsonPathExpr, &'a str)],
) -> Option<Vec<(&'a str, &'a str)>> {
    redact
        .iter()
        .map(|(path, placeholder)| Some((path.descendant_name()?, *placeholder)))
        .collect()
}

/// `s` with the values of `vars` in it named (`${name}`): the first variable whose
/// value is the whole of `s`, else every long value inside it. Borrowed when none is.
pub(crate) fn substituted<'s>(vars: &[(String, String)], s: &'s str) -> Cow<'s, str> {
    if let Some((name, _)) = vars.iter().find(|(_, v)| v.len() >= WHOLE_MIN && v == s) {
        return Cow::Owned(format!("${{{name}}}"));
    }
    let mut out = Cow::Borrowed(s);
    for (name, v) in vars {
        if v.len() >= SUBSTRING_MIN
            && out.len() >= v.len()
            && has_pair(out.as_bytes(), v.as_bytes())
            && out.contains(v.as_str())
        {
            out = Cow::Owned(out.replace(v.as_str(), &format!("${{{name}}}")));
        }
    }
    out
}

/// Whether `needle`'s first two bytes occur together in `text`: most strings are
/// short and hold no variable's value, and this tells most of them so in a fraction of
/// a substring search's set-up.
fn has_pair(text: &[u8], needle: &[u8]) -> bool {
    match needle {
        [a, b, ..] => text.windows(2).any(|w| w[0] == *a && w[1] == *b),
        _ => true,
    }
}

/// Replaces a redacted node by its placeholder, unless it is null or a variable's
/// name already says more.
fn redact(node: &mut Value, placeholder: &str) {
    if !node.is_null() && !node.as_str().is_some_and(|s| s.contains("${")) {
        *node = Value::String(placeholder.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn redacts_only_present_non_null_values() {
        let path = JsonPathExpr::parse("$..updated_at").unwrap();
        let n = Normalizer {
            redact: vec![(&path, "[ts]")],
            vars: vec![],
        };
        let mut v = json!({"a": {"updated_at": "x"}, "b": [{"updated_at": null}]});
        n.apply(&mut v);
        assert_eq!(
            v,
            json!({"a": {"updated_at": "[ts]"}, "b": [{"updated_at": null}]})
        );
    }

    fn small_tree() -> impl Strategy<Value = Value> {
        let key = prop::sample::select(vec!["a", "b", "id", "x"]).prop_map(String::from);
        let leaf = prop_oneof![
            Just(Value::Null),
            Just(json!(1)),
            prop::sample::select(vec!["v", "c-r7x2k9q4m1", "${id}", "r7x2k9q4m1"])
                .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 4, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// `$..name` redactions done in the substituting walk give what they give one
        /// path at a time, after substitution.
        #[test]
        fn one_walk_redacts_as_each_path_does(doc in small_tree()) {
            let paths: Vec<JsonPathExpr> = ["$..a", "$..id", "$..a", "$..b"]
                .iter()
                .map(|p| JsonPathExpr::parse(p).unwrap())
                .collect();
            let n = Normalizer {
                redact: paths.iter().zip(["[a]", "[id]", "${kept}", "[b]"]).collect(),
                vars: vec![("run".into(), "r7x2k9q4m1".into())],
            };
            let mut walked = doc.clone();
            n.apply(&mut walked);
            let mut each = doc;
            n.walk(&mut each, &[]);
            for (path, placeholder) in &n.redact {
                path.for_each_mut(&mut each, |node| redact(node, placeholder));
            }
            prop_assert_eq!(walked, each);
        }
    }

    #[test]
    fn substitutes_whole_and_long_substrings() {
        let n = Normalizer {
            redact: vec![],
            vars: vec![
                ("run_id".into(), "r7x2k9q4m1".into()),
                ("token".into(), "tk".into()),
                ("one".into(), "1".into()),
            ],
        };
        let mut v = json!({"id": "c-r7x2k9q4m1", "t": "tk", "n": "1", "other": "tkx"});
        n.apply(&mut v);
        assert_eq!(
            v,
            json!({"id": "c-${run_id}", "t": "${token}", "n": "1", "other": "tkx"})
        );
    }
}
