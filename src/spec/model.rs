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

/// One step: a request and what to check about its answer, or a wait for a webhook
/// the target sends. Exactly one of `request` and `expect_webhook` is given (checked
/// when the file loads).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the step does, shown in reports.
    pub name: String,
    /// The request to send.
    #[serde(default)]
    pub request: Option<Request>,
    /// What the answer must satisfy.
    #[serde(default)]
    pub expect: Expect,
    /// The webhook to wait for instead of sending a request.
    #[serde(default)]
    pub expect_webhook: Option<ExpectWebhook>,
    /// Variables taken from the answer (or the webhook) for later steps: name → source.
    #[serde(default)]
    pub capture: IndexMap<String, Capture>,
    /// Whether (and under which name) to snapshot the normalized answer (or webhook).
    #[serde(default)]
    pub snapshot: SnapshotSetting,
}

/// A webhook a step waits for: the first one of this type that `match` selects among
/// those the run's receiver got since the scenario started (and no earlier step of
/// the scenario took), then checked with `json` and, if asked, its signature.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectWebhook {
    /// The event type, compared with the API's `webhooks.type_path` (default `$.type`).
    #[serde(rename = "type", default)]
    pub kind: Option<Template>,
    /// JSONPath → matcher: which webhook is the one (scenarios run in parallel and
    /// share the receiver, so select by an id of this scenario's).
    #[serde(rename = "match", default)]
    pub select: IndexMap<JsonPathExpr, MatcherSet>,
    /// JSONPath → matcher: what the selected webhook must say.
    #[serde(default)]
    pub json: IndexMap<JsonPathExpr, MatcherSet>,
    /// How long to wait (default 10s).
    #[serde(default, deserialize_with = "super::duration::deserialize")]
    pub within: Option<std::time::Duration>,
    /// Whether the webhook must carry a valid signature, checked by the target's auth
    /// scheme with its keys.
    #[serde(default)]
    pub signature: Option<SignatureExpect>,
}

/// What `expect_webhook.signature` demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureExpect {
    /// Signed with the target's keys over the exact body.
    Valid,
    /// Not a valid signature (a gateway that must not sign, or a forged delivery).
    Invalid,
}

/// How long `expect_webhook` waits when `within` is not given.
pub const DEFAULT_WEBHOOK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Scenario {
    /// Every `${env:NAME}` the scenario reads: its values are treated as secrets.
    pub fn env_vars(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for v in self.vars.values() {
            out.extend(v.env_vars());
        }
        for step in &self.steps {
            if let Some(r) = &step.request {
                out.extend(r.placeholders(Placeholder::Env));
            }
            if let Some(kind) = step.expect_webhook.as_ref().and_then(|w| w.kind.as_ref()) {
                out.extend(kind.env_vars().map(str::to_string));
            }
        }
        out
    }

    /// Whether the scenario needs the run's webhook receiver: it waits for a webhook
    /// or hands `${webhook_url}` to the target.
    pub fn uses_webhooks(&self) -> bool {
        self.steps.iter().any(|s| {
            s.expect_webhook.is_some() || s.vars_used().contains(super::template::WEBHOOK_URL)
        }) || self
            .vars
            .values()
            .any(|v| v.vars().contains(super::template::WEBHOOK_URL))
    }
}

impl Step {
    /// Every `${name}` the step reads: in its request and in its expectations.
    pub fn vars_used(&self) -> std::collections::BTreeSet<String> {
        let mut used = std::collections::BTreeSet::new();
        if let Some(request) = &self.request {
            used.extend(request.placeholders(Placeholder::Var));
        }
        let mut matchers: Vec<&MatcherSet> = self
            .expect
            .json
            .values()
            .chain(self.expect.headers.values())
            .collect();
        if let Some(webhook) = &self.expect_webhook {
            if let Some(kind) = &webhook.kind {
                used.extend(kind.vars().map(str::to_string));
            }
            matchers.extend(webhook.select.values().chain(webhook.json.values()));
        }
        for m in matchers {
            used.extend(m.vars());
        }
        used
    }

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
    /// Query parameters. Names may use `${...}` too, like body keys, so a `cases:`
    /// table can say which parameter to send.
    #[serde(default)]
    pub query: IndexMap<Template, Template>,
    /// Extra headers (on top of the API's and the target's); names may use `${...}`.
    #[serde(default)]
    pub headers: IndexMap<Template, Template>,
    /// The body, written once as YAML and encoded by the wire format.
    #[serde(default)]
    pub body: Option<ValueTemplate>,
    /// Overrides the API's wire format for this request.
    #[serde(default)]
    pub format: Option<Format>,
    /// Whether the target's auth scheme signs this request (`target`, the default)
    /// or it goes out with no credentials at all (`none`).
    #[serde(default)]
    pub auth: StepAuth,
}

/// Which placeholders [`Request::placeholders`] collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `${name}`: variables.
    Var,
    /// `${env:NAME}`: environment variables.
    Env,
}

impl Request {
    /// The names of the placeholders of one kind the request uses: in its path,
    /// query and header values, and its body.
    pub fn placeholders(&self, kind: Placeholder) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let strings = std::iter::once(&self.path)
            .chain(self.query.iter().flat_map(|(k, v)| [k, v]))
            .chain(self.headers.iter().flat_map(|(k, v)| [k, v]));
        for t in strings {
            match kind {
                Placeholder::Var => out.extend(t.vars().map(str::to_string)),
                Placeholder::Env => out.extend(t.env_vars().map(str::to_string)),
            }
        }
        if let Some(body) = &self.body {
            out.extend(match kind {
                Placeholder::Var => body.vars(),
                Placeholder::Env => body.env_vars(),
            });
        }
        out
    }
}

/// The credentials one request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepAuth {
    /// The target's scheme, as `gatecheck.yaml` configures it; headers the step sets
    /// itself replace the generated ones.
    #[default]
    Target,
    /// No generated credentials: only the headers the step sets itself.
    None,
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
                    crate::suggest::did_you_mean(&upper, &names),
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

impl Expect {
    /// True when the step checks nothing about the answer.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.headers.is_empty() && self.json.is_empty()
    }
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
                                crate::suggest::did_you_mean(other, &["json", "header", "regex"]);
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
