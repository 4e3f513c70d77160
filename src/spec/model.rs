//! The scenario language: what a scenario file may say, as typed Rust.
//!
//! Every struct denies unknown keys so a typo is a load error with a position, not a
//! silently ignored expectation.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::jsonpath::JsonPathExpr;
use super::matcher::{MatcherSet, Pattern};
use super::template::{Template, ValueTemplate, kind_of};

/// One scenario file: a sequence of requests with captures and expectations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario shows, in a sentence.
    pub name: String,
    /// The API the scenario speaks (a label matched against the targets' `apis`).
    pub api: String,
    /// Longer explanation, e.g. the documentation sentence it checks.
    #[serde(default)]
    pub description: Option<String>,
    /// Free labels for selecting scenarios.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Scenario variables; may use target variables, `${env:...}` and built-ins.
    #[serde(default)]
    pub vars: IndexMap<String, ValueTemplate>,
    /// Extra snapshot redactions for this scenario: JSONPath → placeholder.
    #[serde(default)]
    pub redact: IndexMap<JsonPathExpr, String>,
    /// The requests, run in order.
    pub steps: Vec<Step>,
    /// Data-driven cases: the scenario runs once per case, as its own test
    /// (`<scenario id>::<case name>`), with the case's variables on top of `vars`.
    #[serde(default)]
    pub cases: Vec<Case>,
}

/// One row of a data-driven scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case's name: letters, digits, `_` and `-`; it ends the test id.
    pub name: String,
    /// What the case checks, if the name does not say it all.
    #[serde(default)]
    pub description: Option<String>,
    /// Variables for this case; they may use the scenario's `vars`.
    #[serde(default)]
    pub vars: IndexMap<String, ValueTemplate>,
}

/// One request and what to check about its answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the step does, shown in reports.
    pub name: String,
    /// The request to send.
    pub request: Request,
    /// What the answer must satisfy.
    #[serde(default)]
    pub expect: Expect,
    /// Variables taken from the answer for later steps: name → source.
    #[serde(default)]
    pub capture: IndexMap<String, Capture>,
    /// Whether (and under which name) to snapshot the normalized answer.
    #[serde(default)]
    pub snapshot: SnapshotSetting,
}

impl Scenario {
    /// Every `${env:NAME}` the scenario reads: its values are treated as secrets.
    pub fn env_vars(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for v in self.vars.values() {
            out.extend(v.env_vars());
        }
        for step in &self.steps {
            let r = &step.request;
            out.extend(r.path.env_vars().map(str::to_string));
            for t in r.query.values().chain(r.headers.values()) {
                out.extend(t.env_vars().map(str::to_string));
            }
            if let Some(body) = &r.body {
                out.extend(body.env_vars());
            }
        }
        out
    }
}

impl Step {
    /// The key this step's snapshot is stored under, if it has one (`index` is 0-based).
    pub fn snapshot_key(&self, index: usize) -> Option<String> {
        match &self.snapshot {
            SnapshotSetting::Off => None,
            SnapshotSetting::On => Some(crate::snapshot::step_key(index, &self.name)),
            SnapshotSetting::Named(name) => Some(name.clone()),
        }
    }
}

/// An HTTP request, every string of which may use `${...}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path under the target's base URL, e.g. `/merchants/${merchant_id}/customers`.
    pub path: Template,
    /// Query parameters.
    #[serde(default)]
    pub query: IndexMap<String, Template>,
    /// Extra headers (on top of the API's and the target's).
    #[serde(default)]
    pub headers: IndexMap<String, Template>,
    /// The body, written once as YAML and encoded by the wire format.
    #[serde(default)]
    pub body: Option<ValueTemplate>,
    /// Overrides the API's wire format for this request.
    #[serde(default)]
    pub format: Option<Format>,
}

/// HTTP methods a step may use (written in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    const ALL: [Method; 7] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
        Method::Options,
    ];

    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let upper = text.to_ascii_uppercase();
        Method::ALL
            .into_iter()
            .find(|m| m.as_str() == upper)
            .ok_or_else(|| {
                let names: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
                serde::de::Error::custom(format!(
                    "unknown method `{text}`{}; methods are {}",
                    super::suggest::did_you_mean(&upper, &names),
                    names.join(", ")
                ))
            })
    }
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `application/json`
    Json,
    /// `application/x-www-form-urlencoded` with bracketed nested keys.
    Form,
    /// Braintree-style XML: dashed names, `type="boolean"`, `type="array"`, `nil="true"`.
    Xml,
    /// The body is a string sent as it is.
    Raw,
}

/// What an answer must satisfy.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The status code, or a list of acceptable ones.
    #[serde(default)]
    pub status: Option<StatusExpect>,
    /// Header name (any case) → matcher on its value.
    #[serde(default)]
    pub headers: IndexMap<String, MatcherSet>,
    /// JSONPath into the decoded body → matcher.
    #[serde(default)]
    pub json: IndexMap<JsonPathExpr, MatcherSet>,
}

/// The acceptable status codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusExpect(pub Vec<u16>);

impl StatusExpect {
    /// Whether `status` is acceptable.
    pub fn accepts(&self, status: u16) -> bool {
        self.0.contains(&status)
    }
}

fn status_code(value: &Value) -> Result<u16, String> {
    value
        .as_u64()
        .filter(|n| (100..=599).contains(n))
        .map(|n| n as u16)
        .ok_or_else(|| format!("a status is a number from 100 to 599, found {value}"))
}

impl<'de> Deserialize<'de> for StatusExpect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let codes = match &value {
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(status_code).collect::<Result<Vec<_>, _>>()
            }
            Value::Array(_) => Err("`status` needs at least one code".to_string()),
            single => status_code(single).map(|c| vec![c]),
        };
        codes.map(StatusExpect).map_err(serde::de::Error::custom)
    }
}

/// Where a captured variable comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// The part of the answer read.
    pub source: CaptureSource,
    /// Optional regex; its first group (or whole match) becomes the value.
    pub regex: Option<Pattern>,
}

/// The part of an answer a capture reads.
#[derive(Debug, Clone, PartialEq)]
pub enum CaptureSource {
    /// A JSONPath into the decoded body (the first node it selects).
    Json(JsonPathExpr),
    /// A response header.
    Header(String),
}

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        const HELP: &str = "a capture is a JSONPath (`$.customer.id`), `{ header: Location }` or `{ json: $.path, regex: 'id=(\\w+)' }`";
        let value = Value::deserialize(deserializer)?;
        match value {
            Value::String(path) => Ok(Capture {
                source: CaptureSource::Json(JsonPathExpr::parse(&path).map_err(D::Error::custom)?),
                regex: None,
            }),
            Value::Object(map) => {
                let mut json = None;
                let mut header = None;
                let mut regex = None;
                for (key, v) in map {
                    let text = v.as_str().ok_or_else(|| {
                        D::Error::custom(format!("`{key}` takes a string, found {}", kind_of(&v)))
                    })?;
                    match key.as_str() {
                        "json" => json = Some(JsonPathExpr::parse(text).map_err(D::Error::custom)?),
                        "header" => header = Some(text.to_string()),
                        "regex" => regex = Some(Pattern::new(text).map_err(D::Error::custom)?),
                        other => {
                            let hint =
                                super::suggest::did_you_mean(other, &["json", "header", "regex"]);
                            return Err(D::Error::custom(format!(
                                "unknown capture key `{other}`{hint}; {HELP}"
                            )));
                        }
                    }
                }
                let source = match (json, header) {
                    (Some(path), None) => CaptureSource::Json(path),
                    (None, Some(name)) => CaptureSource::Header(name),
                    _ => {
                        return Err(D::Error::custom(format!(
                            "give exactly one of `json` or `header`; {HELP}"
                        )));
                    }
                };
                Ok(Capture { source, regex })
            }
            other => Err(D::Error::custom(format!(
                "found {}; {HELP}",
                kind_of(&other)
            ))),
        }
    }
}

/// Whether a step's answer is snapshotted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SnapshotSetting {
    /// No snapshot.
    #[default]
    Off,
    /// Snapshot, keyed by the step's position and name.
    On,
    /// Snapshot under this name.
    Named(String),
}

impl<'de> Deserialize<'de> for SnapshotSetting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Bool(false) | Value::Null => Ok(SnapshotSetting::Off),
            Value::Bool(true) => Ok(SnapshotSetting::On),
            Value::String(name) if !name.trim().is_empty() => Ok(SnapshotSetting::Named(name)),
            other => Err(serde::de::Error::custom(format!(
                "`snapshot` is true, false or a name, found {}",
                kind_of(&other)
            ))),
        }
    }
}
