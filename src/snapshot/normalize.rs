//! Normalization: turning an answer into something stable from run to run and from
//! target to target, and safe to commit.
//!
//! Two passes, in this order: variable substitution (a value equal to a captured or
//! target variable becomes `${name}`), then redactions of what is left volatile
//! (JSONPath → placeholder, from the API profile and the scenario). Masking (card data
//! and secrets) is not done here: what is normalized is only ever written as part of a
//! document masked whole ([`crate::mask::Masked`]), after normalization, so nothing a
//! redaction rule forgot can leak, and masking each entry as well would mask it twice.

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
        self.substitute(value);
        for (path, placeholder) in &self.redact {
            path.for_each_mut(value, |node| {
                // A value already named by a variable says more than a placeholder.
                if !node.is_null() && !node.as_str().is_some_and(|s| s.contains("${")) {
                    *node = Value::String((*placeholder).to_string());
                }
            });
        }
    }

    fn substitute(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                if let Some((name, _)) = self
                    .vars
                    .iter()
                    .find(|(_, v)| v.len() >= WHOLE_MIN && v == s)
                {
                    *s = format!("${{{name}}}");
                    return;
                }
                for (name, v) in &self.vars {
                    if v.len() >= SUBSTRING_MIN && s.contains(v.as_str()) {
                        *s = s.replace(v.as_str(), &format!("${{{name}}}"));
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.substitute(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.substitute(v)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
