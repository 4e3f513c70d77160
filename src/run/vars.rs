//! The variables a running scenario sees: built-ins, the target's, the scenario's and
//! those captured so far.

use std::collections::BTreeMap;

use rand::Rng as _;
use serde_json::Value;

use crate::spec::template::{Lookup, RUN_ID};

/// A scope's own variables (a scenario's, or a fixture's), in the order defined.
pub type Scope = Vec<(String, Value)>;

/// Variable scope of one scenario execution.
#[derive(Debug, Clone)]
pub struct Vars {
    run_id: String,
    target: BTreeMap<String, Value>,
    /// Scenario variables then captures, in the order they were defined.
    own: Scope,
}

/// A fresh id for one scenario execution: short enough to fit in gateway id limits
/// (Braintree's are 36 characters) next to a prefix, unlikely to repeat.
pub fn new_run_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

impl Vars {
    /// A scope with the target's variables and a new run id.
    pub fn new(target: BTreeMap<String, Value>) -> Vars {
        Vars {
            run_id: new_run_id(),
            target,
            own: Vec::new(),
        }
    }

    /// This execution's `${run_id}`.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// Defines or redefines a scenario variable or capture.
    pub fn set(&mut self, name: &str, value: Value) {
        self.own.retain(|(n, _)| n != name);
        self.own.push((name.to_string(), value));
    }

    /// Opens a new scope (a fixture's): only the target's variables and the
    /// built-ins stay visible. Returns the scope left, for [`Vars::close`].
    pub fn open(&mut self) -> Scope {
        std::mem::take(&mut self.own)
    }

    /// Goes back to the scope `outer` that [`Vars::open`] returned, keeping what the
    /// closed scope defined except the names `stays_inside` holds (its parameters).
    pub fn close(&mut self, outer: Scope, stays_inside: impl Fn(&str) -> bool) {
        let inner = std::mem::replace(&mut self.own, outer);
        for (name, value) in inner {
            if !stays_inside(&name) {
                self.set(&name, value);
            }
        }
    }

    /// String-valued variables for snapshot substitution, most specific first:
    /// captures (latest first), scenario variables, the run id, target variables.
    pub fn substitutions(&self) -> Vec<(String, String)> {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let mut out: Vec<(String, String)> = self
            .own
            .iter()
            .rev()
            .filter_map(|(n, v)| text(v).map(|t| (n.clone(), t)))
            .collect();
        out.push((RUN_ID.to_string(), self.run_id.clone()));
        out.extend(
            self.target
                .iter()
                .filter_map(|(n, v)| text(v).map(|t| (n.clone(), t))),
        );
        out
    }
}

impl Lookup for Vars {
    fn var(&self, name: &str) -> Option<Value> {
        if name == RUN_ID {
            return Some(Value::String(self.run_id.clone()));
        }
        self.own
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.target.get(name).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_order_and_run_id() {
        let mut v = Vars::new(BTreeMap::from([("m".to_string(), Value::from("tm"))]));
        assert_eq!(v.var("m"), Some(Value::from("tm")));
        v.set("m", Value::from("own"));
        assert_eq!(v.var("m"), Some(Value::from("own")));
        assert_eq!(v.var("run_id"), Some(Value::from(v.run_id())));
        assert_eq!(v.run_id().len(), 10);
        assert_ne!(new_run_id(), new_run_id());
        assert_eq!(v.substitutions()[0], ("m".to_string(), "own".to_string()));
    }

    #[test]
    fn a_closed_scope_keeps_its_captures_not_its_parameters() {
        let mut v = Vars::new(BTreeMap::from([("m".to_string(), Value::from("tm"))]));
        v.set("first", Value::from("outer"));
        let outer = v.open();
        assert_eq!(v.var("first"), None);
        assert_eq!(v.var("m"), Some(Value::from("tm")));
        v.set("first", Value::from("param"));
        v.set("id", Value::from("captured"));
        v.close(outer, |name| name == "first");
        assert_eq!(v.var("first"), Some(Value::from("outer")));
        assert_eq!(v.var("id"), Some(Value::from("captured")));
    }
}
