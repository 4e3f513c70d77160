//! What a step keeps for its scenario's snapshot, and the entry the general path
//! builds of it (the document's `steps.<key>`).

use serde_json::{Map, Value};

use super::normalize::Normalizer;
use crate::spec::jsonpath::JsonPathExpr;

/// A step's entry in its scenario's snapshot document, as kept until the scenario ends.
#[derive(Debug, Clone)]
pub enum Entry {
    /// An answer, not yet normalized.
    Answer(KeptAnswer),
    /// Any other entry (a webhook's), normalized, under its key.
    Normalized {
        /// The step's key in the document's `steps`.
        key: String,
        /// The entry.
        entry: Value,
    },
}

/// A step's answer kept for the scenario's snapshot, until the scenario ends: its
/// body as it came (for the fast pass, `snapshot::fast`) and what its entry is made
/// of besides.
#[derive(Debug, Clone)]
pub struct KeptAnswer {
    /// The step's key in the document's `steps`.
    pub key: String,
    /// The request's method.
    pub method: String,
    /// The request's path, as the scenario writes it.
    pub path: String,
    /// The answer's status.
    pub status: u16,
    /// The answer's body.
    pub body: KeptBody,
    /// The variables whose values are named in the body (as [`Normalizer`] takes
    /// them), as they were when the step ended.
    pub vars: Vec<(String, String)>,
}

/// An answer's body as a step keeps it.
#[derive(Debug, Clone)]
pub enum KeptBody {
    /// A JSON text, not yet read whole.
    Json(Vec<u8>),
    /// Read whole already (another format, or a run that keeps every answer).
    Tree(Value),
}

impl KeptAnswer {
    /// The step's entry, `{request: {method, path}, response: {status, body}}`, its
    /// body normalized with `redact` and the step's variables (not masked: the
    /// document is masked whole).
    pub fn entry(self, redact: &[(&JsonPathExpr, &str)]) -> Result<Value, String> {
        let mut body = match self.body {
            KeptBody::Tree(value) => value,
            KeptBody::Json(bytes) => crate::wire::decode_body(Some("application/json"), &bytes)?,
        };
        Normalizer {
            redact: redact.to_vec(),
            vars: self.vars,
        }
        .apply(&mut body);
        Ok(object([
            (
                "request",
                object([
                    ("method", Value::String(self.method)),
                    ("path", Value::String(self.path)),
                ]),
            ),
            (
                "response",
                object([("status", Value::from(self.status)), ("body", body)]),
            ),
        ]))
    }
}

/// A JSON object of these members, in this order. Snapshot documents and entries are
/// built from their parts this way, rather than with `json!` and an assignment of the
/// part `json!` would copy, which built each entry twice over.
pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

/// What a scenario's snapshot is made of: its name, its steps' entries, and the
/// redactions its answers are normalized with.
#[derive(Debug)]
pub struct Snapshot<'a> {
    /// The scenario's name.
    pub scenario: &'a str,
    /// Its steps' entries, in order.
    pub entries: Vec<Entry>,
    /// The redactions: the API profile's, then the scenario's.
    pub redact: Vec<(&'a JsonPathExpr, &'a str)>,
}

/// The snapshot document `snapshot` makes (answers normalized), not yet masked.
pub(super) fn document(snapshot: Snapshot<'_>) -> Result<Value, String> {
    let mut steps = Map::with_capacity(snapshot.entries.len());
    for entry in snapshot.entries {
        let (key, entry) = match entry {
            Entry::Answer(answer) => (answer.key.clone(), answer.entry(&snapshot.redact)?),
            Entry::Normalized { key, entry } => (key, entry),
        };
        steps.insert(key, entry);
    }
    Ok(object([
        ("scenario", Value::String(snapshot.scenario.to_string())),
        ("steps", Value::Object(steps)),
    ]))
}
