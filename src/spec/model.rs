//! The scenario language: what a scenario file may say, as typed Rust.
//!
//! Every struct denies unknown keys so a typo is a load error with a position, not a
//! silently ignored expectation.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::jsonpath::JsonPathExpr;
use super::matcher::{MatcherSet, Pattern};
use super::schema as S;
use super::template::{Template, TemplateError, ValueTemplate};
pub use crate::wire::Format;
use crate::yaml::Spanned;

/// One scenario file: a sequence of requests with captures and expectations.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
    #[schemars(with = "IndexMap<String, S::ValueTemplateSchema>")]
    pub vars: IndexMap<String, ValueTemplate>,
    /// Extra snapshot redactions for this scenario: JSONPath → placeholder.
    #[serde(default)]
    #[schemars(with = "IndexMap<S::JsonPathSchema, String>")]
    pub redact: IndexMap<JsonPathExpr, String>,
    /// Lists whose order does not count when `gatecheck diff` compares two targets.
    #[serde(default)]
    #[schemars(with = "Vec<S::JsonPathSchema>")]
    pub unordered: Vec<JsonPathExpr>,
    /// The requests, run in order, each with the place it is written. Once loaded,
    /// each `- use:` item is replaced by its fixture's steps.
    #[schemars(with = "Vec<super::fixture::StepItem>")]
    pub steps: Vec<Spanned<Step>>,
    /// Data-driven cases: the scenario runs once per case, as its own test
    /// (`<scenario id>::<case name>`), with the case's variables on top of `vars`.
    #[serde(default)]
    pub cases: Vec<Case>,
    /// Not run, and why: counted and shown as skipped (every case, when it has cases).
    #[serde(default, deserialize_with = "present_reason")]
    #[schemars(with = "S::ReasonSchema")]
    pub skip: Option<Spanned<Reason>>,
    /// Run, but expected to fail, and why: a failure is counted as `xfailed` and does
    /// not fail the run; a pass fails it (`XPASS`), so a stale mark gets removed.
    #[serde(default, deserialize_with = "present_reason")]
    #[schemars(with = "S::ReasonSchema")]
    pub xfail: Option<Spanned<Reason>>,
}

/// Why a scenario or case is marked `skip` or `xfail`: a non-empty line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(pub String);

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `skip:` or `xfail:` that is written must give its reason: `skip:` alone (a YAML
/// null) is refused, not read as "no mark".
fn present_reason<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<Reason>>, D::Error> {
    Spanned::<Reason>::deserialize(deserializer).map(Some)
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const HELP: &str = "give the reason as text, e.g. `skip: the sandbox has no refunds yet`";
        match Value::deserialize(deserializer)? {
            // One line, as every report shows it (a folded YAML block keeps its breaks).
            Value::String(text) if !text.trim().is_empty() => Ok(Reason(
                text.split_whitespace().collect::<Vec<_>>().join(" "),
            )),
            Value::String(_) => Err(serde::de::Error::custom(format!(
                "the reason is empty; {HELP}"
            ))),
            other => Err(serde::de::Error::custom(format!(
                "a reason is text, found {}; {HELP}",
                crate::wire::kind_of(&other)
            ))),
        }
    }
}

/// One row of a data-driven scenario.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case's name: letters, digits, `_` and `-`; it ends the test id.
    pub name: Spanned<String>,
    /// What the case checks, if the name does not say it all.
    #[serde(default)]
    pub description: Option<String>,
    /// Variables for this case; they may use the scenario's `vars`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::ValueTemplateSchema>")]
    pub vars: IndexMap<String, ValueTemplate>,
    /// This case is not run, and why (the others are).
    #[serde(default, deserialize_with = "present_reason")]
    #[schemars(with = "S::ReasonSchema")]
    pub skip: Option<Spanned<Reason>>,
    /// This case is expected to fail, and why (as the scenario's `xfail`).
    #[serde(default, deserialize_with = "present_reason")]
    #[schemars(with = "S::ReasonSchema")]
    pub xfail: Option<Spanned<Reason>>,
}

/// One step: a request and what to check about its answer, or a wait for a webhook
/// the target sends. Which one is settled when the file loads, so a step that does
/// neither (or both) cannot exist.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawStep")]
pub struct Step {
    /// What the step does, shown in reports.
    pub name: String,
    /// What the step does: send a request or wait for a webhook.
    pub action: Action,
    /// Variables taken from the answer (or the webhook) for later steps: name → source.
    pub capture: IndexMap<Spanned<String>, Capture>,
    /// Whether (and under which name) to snapshot the normalized answer (or webhook).
    pub snapshot: SnapshotSetting,
    /// The `use:` of a fixture this step came from, if it was written in one.
    pub included: Option<std::sync::Arc<super::include::Inclusion>>,
}

/// The two things a step can do.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send a request and check its answer.
    Request {
        /// The request to send.
        request: Box<Request>,
        /// What the answer must satisfy.
        expect: Box<Expect>,
    },
    /// Wait for a webhook instead of sending a request.
    Webhook(ExpectWebhook),
}

/// A step as written, before its shape is checked.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Step")]
// A step sends a request or waits for a webhook: exactly one of the two.
#[schemars(extend("oneOf" = [{ "required": ["request"] }, { "required": ["expect_webhook"] }]))]
struct RawStep {
    name: String,
    // Boxed as they are read, so that the step is moved about small while it is built.
    #[serde(default)]
    request: Option<Box<Request>>,
    #[serde(default)]
    expect: Option<Box<Expect>>,
    #[serde(default)]
    expect_webhook: Option<ExpectWebhook>,
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::CaptureSchema>")]
    capture: IndexMap<Spanned<String>, Capture>,
    #[serde(default)]
    #[schemars(with = "S::SnapshotSchema")]
    snapshot: SnapshotSetting,
}

// The YAML holds a `RawStep`; the shape check after it is in its `oneOf`.
impl schemars::JsonSchema for Step {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        RawStep::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawStep::json_schema(generator)
    }
}

impl TryFrom<RawStep> for Step {
    type Error = String;

    fn try_from(raw: RawStep) -> Result<Step, String> {
        let action = match (raw.request, raw.expect_webhook, raw.expect) {
            (Some(request), None, expect) => Action::Request {
                request,
                expect: expect.unwrap_or_default(),
            },
            (None, Some(webhook), None) => Action::Webhook(webhook),
            (None, None, _) => {
                return Err("the step neither sends a request nor waits for a webhook; give it `request:` (or `expect_webhook:` to wait for a webhook)".into());
            }
            (Some(_), Some(_), _) => {
                return Err("a step either sends a request or waits for a webhook, not both; move `expect_webhook:` to a step of its own after this one".into());
            }
            (None, Some(_), Some(_)) => {
                return Err("`expect:` checks the answer to a request; a webhook step has none: put the webhook's JSONPath checks under `expect_webhook.json`".into());
            }
        };
        Ok(Step {
            name: raw.name,
            action,
            capture: raw.capture,
            snapshot: raw.snapshot,
            included: None,
        })
    }
}

/// A webhook a step waits for: the first one of this type that `match` selects among
/// those the run's receiver got since the scenario started (and no earlier step of
/// the scenario took), then checked with `json` and, if asked, its signature.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectWebhook {
    /// The event type, compared with the API's `webhooks.type_path` (default `$.type`).
    #[serde(rename = "type", default)]
    #[schemars(with = "Option<S::TemplateSchema>")]
    pub kind: Option<Template>,
    /// JSONPath → matcher: which webhook is the one (scenarios run in parallel and
    /// share the receiver, so select by an id of this scenario's).
    #[serde(rename = "match", default)]
    #[schemars(with = "IndexMap<S::JsonPathSchema, S::MatcherSetSchema>")]
    pub select: IndexMap<Spanned<JsonPathExpr>, MatcherSet>,
    /// JSONPath → matcher: what the selected webhook must say.
    #[serde(default)]
    #[schemars(with = "IndexMap<S::JsonPathSchema, S::MatcherSetSchema>")]
    pub json: IndexMap<Spanned<JsonPathExpr>, MatcherSet>,
    /// How long to wait (default 10s).
    #[serde(default, deserialize_with = "super::duration::deserialize")]
    #[schemars(with = "S::DurationSchema")]
    pub within: Option<std::time::Duration>,
    /// Whether the webhook must carry a valid signature, checked by the target's auth
    /// scheme with its keys.
    #[serde(default)]
    pub signature: Option<SignatureExpect>,
}

/// What `expect_webhook.signature` demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
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
            out.extend(v.env_vars().map(str::to_string));
        }
        for frame in self.inclusions() {
            for v in frame.templates() {
                out.extend(v.env_vars().map(str::to_string));
            }
        }
        for step in &self.steps {
            match &step.action {
                Action::Request { request, .. } => {
                    request.each_placeholder(Placeholder::Env, &mut |name| {
                        out.insert(name.to_string());
                    });
                }
                Action::Webhook(webhook) => {
                    if let Some(kind) = &webhook.kind {
                        out.extend(kind.env_vars().map(str::to_string));
                    }
                }
            }
        }
        out
    }

    /// Whether the scenario needs the run's webhook receiver: it waits for a webhook
    /// or hands `${webhook_url}` to the target.
    pub fn uses_webhooks(&self) -> bool {
        fn hands_url<'a>(mut names: impl Iterator<Item = &'a str>) -> bool {
            names.any(|n| n == super::template::WEBHOOK_URL)
        }
        self.steps.iter().any(|s| {
            matches!(s.action, Action::Webhook(_)) || s.reads(super::template::WEBHOOK_URL)
        }) || self.vars.values().any(|v| hands_url(v.vars()))
            || self
                .inclusions()
                .iter()
                .any(|frame| frame.templates().any(|v| hands_url(v.vars())))
    }

    /// Every `- use:` the scenario's steps came through, nested ones included.
    fn inclusions(&self) -> Vec<std::sync::Arc<super::include::Inclusion>> {
        let mut out: Vec<std::sync::Arc<super::include::Inclusion>> = Vec::new();
        for step in &self.steps {
            for frame in super::include::Inclusion::chain(step.included.as_ref()) {
                if !out.iter().any(|f| std::sync::Arc::ptr_eq(f, &frame)) {
                    out.push(frame);
                }
            }
        }
        out
    }
}

impl Step {
    /// Every `${name}` the step reads: in its request and in its expectations.
    pub fn vars_used(&self) -> std::collections::BTreeSet<&str> {
        let mut used = std::collections::BTreeSet::new();
        self.each_var(&mut |name| {
            used.insert(name);
        });
        used
    }

    /// Whether the step reads `${name}`.
    pub fn reads(&self, name: &str) -> bool {
        let mut found = false;
        self.each_var(&mut |used| found |= used == name);
        found
    }

    /// Hands `f` each `${name}` of [`Step::vars_used`], as often as it is written:
    /// for callers that need no set of them (loading asks three times per step).
    pub fn each_var<'a>(&'a self, f: &mut dyn FnMut(&'a str)) {
        match &self.action {
            Action::Request { request, expect } => {
                request.each_placeholder(Placeholder::Var, f);
                for m in expect.json.values().chain(expect.headers.values()) {
                    m.each_var(f);
                }
            }
            Action::Webhook(webhook) => {
                if let Some(kind) = &webhook.kind {
                    kind.vars().for_each(&mut *f);
                }
                for m in webhook.select.values().chain(webhook.json.values()) {
                    m.each_var(f);
                }
            }
        }
    }

    /// The key this step's snapshot is stored under, if it has one (`index` is 0-based).
    pub fn snapshot_key(&self, index: usize) -> Option<String> {
        match &self.snapshot {
            SnapshotSetting::Off => None,
            SnapshotSetting::On => Some(step_key(index, &self.name)),
            SnapshotSetting::Named(name) => Some(name.clone()),
        }
    }
}

/// The key a `snapshot: true` step is stored under: its position and a slug of its name.
///
/// ```
/// use gatecheck::spec::model::step_key;
/// assert_eq!(step_key(1, "Update with a new card!"), "02_update_with_a_new_card");
/// assert_eq!(step_key(9, "-"), "10_");
/// assert_eq!(step_key(99, "x"), "100_x");
/// ```
pub fn step_key(index: usize, name: &str) -> String {
    // Written straight into the key (not a slug formatted into it): a key is made for
    // every snapshot a run compares.
    let mut key = String::with_capacity(name.len() + 4);
    // The usual two digits by hand: `format!` cost more than the rest of the key.
    match u8::try_from(index + 1) {
        Ok(number) if number < 100 => {
            key.push(char::from(b'0' + number / 10));
            key.push(char::from(b'0' + number % 10));
        }
        _ => {
            // Writing into a `String` cannot fail.
            let _ = write!(key, "{}", index + 1);
        }
    }
    key.push('_');
    let start = key.len();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && key.len() > start {
            key.push('_');
        }
    }
    if key.len() > start && key.ends_with('_') {
        key.pop();
    }
    key
}

/// An HTTP request, every string of which may use `${...}`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The HTTP method.
    #[schemars(with = "S::MethodSchema")]
    pub method: Method,
    /// The path under the target's base URL, e.g. `/merchants/${merchant_id}/customers`.
    #[schemars(with = "S::TemplateSchema")]
    pub path: Template,
    /// Query parameters. Names may use `${...}` too, like body keys, so a `cases:`
    /// table can say which parameter to send.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::TemplateSchema>")]
    pub query: IndexMap<Template, Template>,
    /// Extra headers (on top of the API's and the target's); names may use `${...}`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::TemplateSchema>")]
    pub headers: IndexMap<Template, Template>,
    /// The body, written once as YAML and encoded by the wire format.
    #[serde(default)]
    #[schemars(with = "S::ValueTemplateSchema")]
    pub body: Option<ValueTemplate>,
    /// Overrides the API's wire format for this request.
    #[serde(default)]
    #[schemars(with = "Option<S::FormatSchema>")]
    pub format: Option<Format>,
    /// Whether the target's auth scheme signs this request (`target`, the default)
    /// or it goes out with no credentials at all (`none`).
    #[serde(default)]
    pub auth: StepAuth,
    /// Retries of transient failures for this request, over the target's
    /// (`{ attempts: 1 }` turns them off).
    #[serde(default)]
    pub retry: Option<super::retry::RetryPolicy>,
}

/// A kind of placeholder: `${name}` or `${env:NAME}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `${name}`: variables.
    Var,
    /// `${env:NAME}`: environment variables.
    Env,
}

impl Request {
    /// Hands `f` the name of each placeholder of one kind the request uses: in its
    /// path, query and header values, and its body (a name may come more than once).
    fn each_placeholder<'a>(&'a self, kind: Placeholder, f: &mut dyn FnMut(&'a str)) {
        let strings = std::iter::once(&self.path)
            .chain(self.query.iter().flat_map(|(k, v)| [k, v]))
            .chain(self.headers.iter().flat_map(|(k, v)| [k, v]));
        for t in strings {
            match kind {
                Placeholder::Var => t.vars().for_each(&mut *f),
                Placeholder::Env => t.env_vars().for_each(&mut *f),
            }
        }
        if let Some(body) = &self.body {
            match kind {
                Placeholder::Var => body.vars().for_each(&mut *f),
                Placeholder::Env => body.env_vars().for_each(&mut *f),
            }
        }
    }
}

/// The credentials one request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
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
        super::text::parse_text(deserializer, |text| {
            // Written in any case: equal to a name ignoring case is equal to it in
            // upper case (the names are upper-case ASCII).
            Method::ALL
                .into_iter()
                .find(|m| m.as_str().eq_ignore_ascii_case(text))
                .ok_or_else(|| {
                    let upper = text.to_ascii_uppercase();
                    let names: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
                    format!(
                        "unknown method `{text}`{}; methods are {}",
                        crate::suggest::did_you_mean(&upper, &names),
                        names.join(", ")
                    )
                })
        })
    }
}

/// What an answer must satisfy.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The status code, or a list of acceptable ones.
    #[serde(default)]
    #[schemars(with = "Option<S::StatusSchema>")]
    pub status: Option<Spanned<StatusExpect>>,
    /// Header name (any case) → matcher on its value.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::MatcherSetSchema>")]
    pub headers: IndexMap<Spanned<String>, MatcherSet>,
    /// JSONPath into the decoded body → matcher.
    #[serde(default)]
    #[schemars(with = "IndexMap<S::JsonPathSchema, S::MatcherSetSchema>")]
    pub json: IndexMap<Spanned<JsonPathExpr>, MatcherSet>,
}

impl Expect {
    /// True when the step checks nothing about the answer.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.headers.is_empty() && self.json.is_empty()
    }
}

/// The acceptable status codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusExpect(pub Vec<StatusItem>);

/// One acceptable status: a code, or one `${var}` holding a code (so a `cases:` table
/// can say which status each case expects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusItem {
    /// A code written in the file.
    Code(u16),
    /// A variable holding the code, read when the step runs.
    Var(String),
}

impl StatusExpect {
    /// The acceptable codes, placeholders read from `lookup`.
    pub fn codes(&self, lookup: &dyn super::template::Lookup) -> Result<Vec<u16>, TemplateError> {
        self.0
            .iter()
            .map(|item| match item {
                StatusItem::Code(code) => Ok(*code),
                StatusItem::Var(name) => {
                    let value = lookup
                        .var(name)
                        .ok_or_else(|| TemplateError::Undefined(name.clone()))?;
                    let number = value
                        .as_str()
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .map(Value::from)
                        .unwrap_or_else(|| value.clone());
                    status_code(&number).map_err(|_| TemplateError::WrongType {
                        name: name.clone(),
                        wanted: "a status code from 100 to 599",
                        found: crate::spec::matcher::show(&value),
                    })
                }
            })
            .collect()
    }

    /// Whether `status` is acceptable; a placeholder that cannot be read accepts none.
    pub fn accepts(&self, status: u16, lookup: &dyn super::template::Lookup) -> bool {
        self.codes(lookup)
            .is_ok_and(|codes| codes.contains(&status))
    }

    /// The variables the expectation reads.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|item| match item {
            StatusItem::Var(name) => Some(name.as_str()),
            StatusItem::Code(_) => None,
        })
    }
}

fn status_code(value: &Value) -> Result<u16, String> {
    value
        .as_u64()
        .filter(|n| (100..=599).contains(n))
        .map(|n| n as u16)
        .ok_or_else(|| {
            format!("a status is a number from 100 to 599 or one `${{var}}`, found {value}")
        })
}

fn status_item(value: &Value) -> Result<StatusItem, String> {
    if let Some(var) = value
        .as_str()
        .and_then(|text| Template::parse(text).ok())
        .and_then(|t| t.sole_var().map(str::to_string))
    {
        return Ok(StatusItem::Var(var));
    }
    status_code(value).map(StatusItem::Code)
}

impl<'de> Deserialize<'de> for StatusExpect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let codes = match &value {
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(status_item).collect::<Result<Vec<_>, _>>()
            }
            Value::Array(_) => Err("`status` needs at least one code".to_string()),
            single => status_item(single).map(|c| vec![c]),
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

const CAPTURE_HELP: &str = "a capture is a JSONPath (`$.customer.id`), `{ header: Location }` or `{ json: $.path, regex: 'id=(\\w+)' }`";

/// The keys of a capture written as a map.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum CaptureKey {
    Json,
    Header,
    Regex,
}

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CaptureVisitor;
        impl<'de> serde::de::Visitor<'de> for CaptureVisitor {
            type Value = Capture;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(CAPTURE_HELP)
            }
            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<Capture, E> {
                Ok(Capture {
                    source: CaptureSource::Json(JsonPathExpr::parse(path).map_err(E::custom)?),
                    regex: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Capture, A::Error> {
                use serde::de::Error;
                let mut json = None;
                let mut header = None;
                let mut regex = None;
                while let Some(key) = map.next_key::<CaptureKey>()? {
                    match key {
                        CaptureKey::Json => json = Some(map.next_value::<JsonPathExpr>()?),
                        CaptureKey::Header => header = Some(map.next_value::<String>()?),
                        CaptureKey::Regex => regex = Some(map.next_value::<Pattern>()?),
                    }
                }
                let source = match (json, header) {
                    (Some(path), None) => CaptureSource::Json(path),
                    (None, Some(name)) => CaptureSource::Header(name),
                    _ => {
                        return Err(A::Error::custom(format!(
                            "give exactly one of `json` or `header`; {CAPTURE_HELP}"
                        )));
                    }
                };
                Ok(Capture { source, regex })
            }
        }
        deserializer.deserialize_any(CaptureVisitor)
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
                crate::wire::kind_of(&other)
            ))),
        }
    }
}
