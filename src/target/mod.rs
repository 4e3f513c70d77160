//! Target profiles: where a suite runs (`gatecheck.yaml`), and the API profiles that say
//! how each gateway API is spoken on the wire.
//!
//! Layering: an API profile gives the wire format, default headers and snapshot
//! redactions; a target gives the base URL, auth, variables and timeout, per API it
//! serves. Values may read the environment with `${env:NAME}`, which is how secrets
//! arrive; every credential is registered for masking.

pub mod auth;
pub mod outside;
mod preflight;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::spec::Diagnostic;
use crate::spec::jsonpath::JsonPathExpr;
use crate::spec::load::{parse_yaml, read_bounded};
use crate::spec::retry::{Rate, RetryPolicy};
use crate::spec::template::{Lookup, Template, TemplateError};
use crate::wire::Format;
use crate::yaml::{Limits, Span};
use auth::{Auth, AuthConfig};

/// The name of the target that starts the embedded reference gateway.
pub const EMBEDDED: &str = "embedded";
/// How long a request may take unless the target says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// `gatecheck.yaml`: the project's suites, APIs and targets.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where scenarios live, relative to this file (default `specs`).
    #[serde(default = "default_specs")]
    pub specs: PathBuf,
    /// Where snapshots live, relative to this file (default `snapshots`).
    #[serde(default = "default_snapshots")]
    pub snapshots: PathBuf,
    /// The target `run` uses without `--target` (default `embedded`).
    #[serde(default = "default_target")]
    pub default_target: String,
    /// API profiles by name: the `api:` label of scenarios.
    #[serde(default)]
    pub apis: IndexMap<String, ApiProfile>,
    /// Targets by name.
    pub targets: IndexMap<String, TargetProfile>,
    /// The directory the file was read from; relative paths resolve against it.
    #[serde(skip)]
    pub root: PathBuf,
    /// The file itself, for messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// The file's text, for showing the lines messages point at.
    #[serde(skip)]
    pub source: std::sync::Arc<str>,
    /// The file's located tree, for finding where a value is written.
    #[serde(skip)]
    pub tree: Option<std::sync::Arc<crate::yaml::Node>>,
    /// Variables given from outside the file (`--vars FILE`, `--var NAME=VALUE`): on
    /// top of every target's `vars`.
    #[serde(skip)]
    pub outside: outside::OutsideVars,
}

fn default_specs() -> PathBuf {
    "specs".into()
}
fn default_snapshots() -> PathBuf {
    "snapshots".into()
}
fn default_target() -> String {
    EMBEDDED.into()
}

/// How one gateway API is spoken, whatever the target.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiProfile {
    /// The wire format of request bodies.
    #[schemars(with = "crate::spec::schema::FormatSchema")]
    pub format: Format,
    /// For `format: form`: where a list's index goes when its items are maps
    /// (`index_first`: `items[0][id]`, the default; `index_last`: `items[id][0]`, as
    /// Chargebee reads lists).
    #[serde(default)]
    pub form_lists: crate::wire::form::ListStyle,
    /// Headers every request of this API carries (e.g. `X-ApiVersion: "6"`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, crate::spec::schema::TemplateSchema>")]
    pub headers: IndexMap<String, Template>,
    /// Snapshot redactions of volatile values: JSONPath → placeholder.
    #[serde(default)]
    #[schemars(with = "IndexMap<crate::spec::schema::JsonPathSchema, String>")]
    pub redact: IndexMap<JsonPathExpr, String>,
    /// How this API's webhooks are read.
    #[serde(default)]
    pub webhooks: ApiWebhooks,
    /// Answer headers `gatecheck diff` compares between targets (others differ by
    /// nature: dates, request ids).
    #[serde(default)]
    pub compare_headers: Vec<String>,
    /// Lists in answers whose order does not count when two targets are compared.
    #[serde(default)]
    #[schemars(with = "Vec<crate::spec::schema::JsonPathSchema>")]
    pub unordered: Vec<JsonPathExpr>,
}

/// How an API's webhooks say what they are about.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiWebhooks {
    /// Where a webhook body names its event type, which `expect_webhook.type`
    /// compares with (default `$.type`).
    #[serde(default = "default_type_path")]
    #[schemars(with = "crate::spec::schema::JsonPathSchema")]
    pub type_path: JsonPathExpr,
}

impl Default for ApiWebhooks {
    fn default() -> Self {
        ApiWebhooks {
            type_path: default_type_path(),
        }
    }
}

fn default_type_path() -> JsonPathExpr {
    match JsonPathExpr::parse("$.type") {
        Ok(path) => path,
        Err(e) => unreachable!("a constant path parses: {e}"),
    }
}

/// One place a suite can run.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetProfile {
    /// Start the embedded reference gateway and use its address as the base URL.
    #[serde(default)]
    pub embedded: bool,
    /// Base URL shared by the APIs below unless one overrides it.
    #[serde(default)]
    #[schemars(with = "Option<crate::spec::schema::TemplateSchema>")]
    pub base_url: Option<Template>,
    /// Request timeout (`30s`, `500ms`, `2m`, or seconds as a number).
    #[serde(default, deserialize_with = "crate::spec::duration::deserialize")]
    #[schemars(with = "crate::spec::schema::DurationSchema")]
    pub timeout: Option<Duration>,
    /// Variables for every API of this target.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, crate::spec::schema::TemplateSchema>")]
    pub vars: IndexMap<String, Template>,
    /// Headers for every request to this target, whatever the API (on top of the API
    /// profile's; an API's own `headers` and a step's override them by name).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, crate::spec::schema::TemplateSchema>")]
    pub headers: IndexMap<String, Template>,
    /// The APIs this target serves, by API profile name.
    pub apis: IndexMap<String, TargetApi>,
    /// Where the run's webhook receiver listens, and the URL the target can reach it
    /// at (a tunnel's, for a target that cannot reach this machine).
    #[serde(default)]
    pub webhooks: WebhookSettings,
    /// Opt-in retries of transient failures for every API of this target.
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
    /// At most this many requests to the target, all APIs and scenarios together
    /// (`150/min`): vendor sandboxes block clients that go faster.
    #[serde(default)]
    pub rate_limit: Option<Rate>,
    /// Production, say: `run` and `diff` send nothing but GET, HEAD and OPTIONS, and
    /// skip scenarios that would write, saying so.
    #[serde(default)]
    pub read_only: bool,
}

/// The webhook receiver's address for a target.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// The local address to listen on (default `127.0.0.1:0`, a free port).
    #[serde(default)]
    pub listen: Option<std::net::SocketAddr>,
    /// The URL handed to the target as `${webhook_url}` instead of the local one,
    /// e.g. a tunnel's `https://…` that forwards to `listen`.
    #[serde(default)]
    #[schemars(with = "Option<crate::spec::schema::TemplateSchema>")]
    pub public_url: Option<Template>,
}

/// A target's settings for one API.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetApi {
    /// Overrides the target's base URL for this API.
    #[serde(default)]
    #[schemars(with = "Option<crate::spec::schema::TemplateSchema>")]
    pub base_url: Option<Template>,
    /// How requests authenticate.
    #[serde(default)]
    #[schemars(with = "crate::spec::schema::AuthSchema")]
    pub auth: AuthConfig,
    /// Variables scenarios of this API can use, e.g. `merchant_id`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, crate::spec::schema::TemplateSchema>")]
    pub vars: IndexMap<String, Template>,
    /// Extra headers for every request of this API on this target (override the API
    /// profile's and the target's by name).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, crate::spec::schema::TemplateSchema>")]
    pub headers: IndexMap<String, Template>,
    /// Overrides the target's timeout.
    #[serde(default, deserialize_with = "crate::spec::duration::deserialize")]
    #[schemars(with = "crate::spec::schema::DurationSchema")]
    pub timeout: Option<Duration>,
    /// Overrides the target's retries for this API.
    #[serde(default)]
    pub retry: Option<RetryPolicy>,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is missing, unreadable or invalid.
    #[error("{0}")]
    File(Box<Diagnostic>),
    /// `--target` names no target.
    #[error("no target named `{name}` in {file}{hint}; targets: {known}")]
    UnknownTarget {
        /// What was asked for.
        name: String,
        /// The config file.
        file: String,
        /// A suggestion.
        hint: String,
        /// The targets there are.
        known: String,
    },
    /// A target's API settings could not be resolved (an unset environment variable, say).
    #[error("target `{target}`, api `{api}`: {message}")]
    Resolve {
        /// The target.
        target: String,
        /// The API.
        api: String,
        /// What went wrong.
        message: String,
    },
    /// A target's `webhooks` settings could not be resolved.
    #[error("target `{target}`, webhooks: {message}")]
    Webhooks {
        /// The target.
        target: String,
        /// What went wrong.
        message: String,
    },
}

impl Config {
    /// Reads and validates `gatecheck.yaml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = read_bounded(path, &Limits::default(), "the targets file").map_err(|d| {
            ConfigError::File(Box::new((*d).with_help(
                "run gatecheck from the project root, or pass --config PATH/gatecheck.yaml",
            )))
        })?;
        let (mut config, tree, source): (Config, _, _) =
            parse_yaml(path, &bytes).map_err(ConfigError::File)?;
        config.root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = path.to_path_buf();
        config.source = std::sync::Arc::clone(&source);
        config.tree = Some(std::sync::Arc::new(tree.clone()));
        let target_node = |name: &str| {
            tree.entry("targets")
                .and_then(|(_, t)| t.entry(name))
                .map(|(k, v)| (k.span, v))
        };
        let at = |span: Span, message: String| {
            Diagnostic::at(path, &source, span.line, span.column, message)
        };
        for (name, target) in &config.targets {
            let (target_span, node) = target_node(name).unwrap_or((tree.span, &tree));
            for api in target.apis.keys() {
                if !config.apis.contains_key(api) {
                    let known: Vec<&str> = config.apis.keys().map(String::as_str).collect();
                    let api_span = node
                        .entry("apis")
                        .and_then(|(_, a)| a.entry(api))
                        .map_or(target_span, |(k, _)| k.span);
                    return Err(ConfigError::File(Box::new(
                        at(
                            api_span,
                            format!(
                                "target `{name}` serves api `{api}`, which `apis` does not define"
                            ),
                        )
                        .with_help(format!(
                            "add `apis: {{ {api}: {{ format: json }} }}`{}",
                            crate::suggest::did_you_mean(api, &known)
                        )),
                    )));
                }
            }
            if !target.embedded
                && target.base_url.is_none()
                && let Some((api, _)) = target.apis.iter().find(|(_, a)| a.base_url.is_none())
            {
                let api_span = node
                    .entry("apis")
                    .and_then(|(_, a)| a.entry(api))
                    .map_or(target_span, |(k, _)| k.span);
                return Err(ConfigError::File(Box::new(at(
                    api_span,
                    format!(
                        "target `{name}` has no base_url for api `{api}`: give the target or the api a `base_url`, or set `embedded: true`"
                    ),
                ))));
            }
        }
        Ok(config)
    }

    /// The suite directory.
    pub fn specs_dir(&self) -> PathBuf {
        self.root.join(&self.specs)
    }

    /// The snapshot directory.
    pub fn snapshots_dir(&self) -> PathBuf {
        self.root.join(&self.snapshots)
    }

    /// The named target's profile.
    pub fn target(&self, name: &str) -> Result<&TargetProfile, ConfigError> {
        self.targets.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.targets.keys().map(String::as_str).collect();
            ConfigError::UnknownTarget {
                name: name.to_string(),
                file: self.path.display().to_string(),
                hint: crate::suggest::did_you_mean(name, &known),
                known: known.join(", "),
            }
        })
    }

    /// Names of the variables a target defines for an API, those given from outside
    /// included (for load-time checks).
    pub fn var_names(&self, target: &str, api: &str) -> Vec<String> {
        let Some(profile) = self.targets.get(target) else {
            return vec![];
        };
        let mut names: Vec<String> = profile.vars.keys().cloned().collect();
        if let Some(settings) = profile.apis.get(api) {
            names.extend(settings.vars.keys().cloned());
        }
        names.extend(self.outside.values().keys().cloned());
        names
    }

    /// Where the webhook receiver listens for `target` (`127.0.0.1:0` unless the
    /// target says), and the public URL it is reached at, if the target gives one.
    pub fn webhook_listen(
        &self,
        target_name: &str,
    ) -> Result<(std::net::SocketAddr, Option<String>), ConfigError> {
        let settings = &self.target(target_name)?.webhooks;
        let listen = settings
            .listen
            .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
        let public_url = match &settings.public_url {
            None => None,
            Some(t) => Some(t.render(&EnvOnly).map_err(|e| ConfigError::Webhooks {
                target: target_name.to_string(),
                message: format!("public_url: {e}"),
            })?),
        };
        Ok((listen, public_url))
    }

    /// Resolves one API of a target: renders every template against the environment.
    /// `embedded_url` is the running reference gateway's address, for embedded targets.
    pub fn resolve(
        &self,
        target_name: &str,
        api: &str,
        embedded_url: Option<&str>,
    ) -> Result<ResolvedApi, ConfigError> {
        let target = self.target(target_name)?;
        let err = |message: String| ConfigError::Resolve {
            target: target_name.to_string(),
            api: api.to_string(),
            message,
        };
        let settings = target.apis.get(api).ok_or_else(|| {
            let served: Vec<&str> = target.apis.keys().map(String::as_str).collect();
            err(format!(
                "this target does not serve it (it serves: {})",
                served.join(", ")
            ))
        })?;
        let profile = self
            .apis
            .get(api)
            .ok_or_else(|| err("no such api profile in `apis`".into()))?;
        let env = EnvOnly;
        let render = |what: &str, t: &Template| {
            t.render(&env).map_err(|e| match e {
                TemplateError::UnsetEnv(name) => err(format!(
                    "{what} needs environment variable `{name}`, which is not set"
                )),
                other => err(format!("{what}: {other}")),
            })
        };
        let base_url = match (&settings.base_url, &target.base_url, embedded_url) {
            (Some(url), _, _) | (None, Some(url), _) => render("base_url", url)?,
            (None, None, Some(url)) if target.embedded => url.to_string(),
            _ => {
                return Err(err(
                    "no base_url (and the embedded gateway is not running)".into()
                ));
            }
        };
        let mut vars = BTreeMap::new();
        for (name, t) in target.vars.iter().chain(settings.vars.iter()) {
            vars.insert(
                name.clone(),
                Value::String(render(&format!("vars.{name}"), t)?),
            );
        }
        // Given from outside the suite: over the target's own.
        for (name, value) in self.outside.values() {
            vars.insert(name.clone(), value.clone());
        }
        let auth = match &settings.auth {
            AuthConfig::None => Auth::None,
            AuthConfig::Basic { username, password } => Auth::Basic {
                username: render("auth.basic.username", username)?,
                password: render("auth.basic.password", password)?,
            },
            AuthConfig::Bearer { token } => Auth::Bearer(render("auth.bearer.token", token)?),
            AuthConfig::Header { name, value } => {
                Auth::Header(name.clone(), render("auth.header.value", value)?)
            }
            AuthConfig::Rapyd {
                access_key,
                secret_key,
            } => Auth::Rapyd {
                access_key: render("auth.rapyd.access_key", access_key)?,
                secret_key: render("auth.rapyd.secret_key", secret_key)?,
            },
        };
        // Layered: API profile, then target, then the target's API; a later layer's
        // header replaces an earlier one of the same name (names are case-insensitive).
        let mut headers: Vec<(String, String)> = Vec::new();
        let layers = profile
            .headers
            .iter()
            .chain(target.headers.iter())
            .chain(settings.headers.iter());
        for (name, t) in layers {
            let value = render(&format!("headers.{name}"), t)?;
            crate::wire::headers::set(&mut headers, name, value);
        }
        let mut secrets = auth.secrets();
        secrets.extend(userinfo_secrets(&base_url));
        secrets.extend(self.outside.secrets().iter().cloned());
        // Every template of the target (the base URL and webhook public URL too: some
        // gateways and tunnels take a key in the URL) and the API profile's headers.
        let env_templates = settings
            .vars
            .values()
            .chain(target.vars.values())
            .chain(settings.headers.values())
            .chain(target.headers.values())
            .chain(profile.headers.values())
            .chain(settings.base_url.iter())
            .chain(target.base_url.iter())
            .chain(target.webhooks.public_url.iter())
            .chain(settings.auth.templates());
        for t in env_templates {
            for name in t.env_vars() {
                if let Ok(value) = std::env::var(name) {
                    secrets.push(value);
                }
            }
        }
        Ok(ResolvedApi {
            target: target_name.to_string(),
            api: api.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            format: profile.format,
            form_lists: profile.form_lists,
            auth,
            vars,
            overrides: self.outside.values().keys().cloned().collect(),
            headers,
            timeout: settings
                .timeout
                .or(target.timeout)
                .unwrap_or(DEFAULT_TIMEOUT),
            redact: profile.redact.clone(),
            webhook_type: profile.webhooks.type_path.clone(),
            secrets,
            retry: settings.retry.clone().or_else(|| target.retry.clone()),
            rate_limit: target.rate_limit,
            compare_headers: profile.compare_headers.clone(),
            unordered: profile.unordered.clone(),
        })
    }
}

/// The credentials written in a URL's `user:password@`, as they may show: decoded
/// (the masker finds their percent-encoded forms from these) and as the basic
/// credentials the HTTP client turns them into, which a gateway may echo.
fn userinfo_secrets(url: &str) -> Vec<String> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return vec![];
    };
    if parsed.username().is_empty() && parsed.password().is_none() {
        return vec![];
    }
    Auth::Basic {
        username: percent_decode(parsed.username()),
        password: percent_decode(parsed.password().unwrap_or_default()),
    }
    .secrets()
}

/// `%XX` sequences decoded (invalid ones kept as written), as the HTTP client
/// decodes URL userinfo.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Renders target templates: only `${env:...}` is available there.
struct EnvOnly;

impl Lookup for EnvOnly {
    fn var(&self, _name: &str) -> Option<Value> {
        None
    }
}

/// Everything the runner needs to talk to one API of one target.
#[derive(Debug, Clone)]
pub struct ResolvedApi {
    /// Target name, for reports.
    pub target: String,
    /// API name.
    pub api: String,
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// Wire format of request bodies.
    pub format: Format,
    /// Where lists of maps put their index in form bodies.
    pub form_lists: crate::wire::form::ListStyle,
    /// Credentials.
    pub auth: Auth,
    /// Variables scenarios can use.
    pub vars: BTreeMap<String, Value>,
    /// The variables of `vars` given from outside the suite (`--var`, `--vars`):
    /// a scenario's own `vars:` (and its cases') do not replace them.
    pub overrides: std::collections::BTreeSet<String>,
    /// Headers every request carries.
    pub headers: Vec<(String, String)>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Snapshot redactions from the API profile.
    pub redact: IndexMap<JsonPathExpr, String>,
    /// Where this API's webhooks name their type.
    pub webhook_type: JsonPathExpr,
    /// Values that must never be shown.
    pub secrets: Vec<String>,
    /// Retries of transient failures, when the target opts in.
    pub retry: Option<RetryPolicy>,
    /// The target's request rate limit, shared by all its APIs.
    pub rate_limit: Option<Rate>,
    /// Answer headers compared between targets.
    pub compare_headers: Vec<String>,
    /// Lists whose order does not count when two targets are compared.
    pub unordered: Vec<JsonPathExpr>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gatecheck.yaml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path)
    }

    const FILE: &str = r#"
apis:
  braintree:
    format: xml
    headers: { X-ApiVersion: "6" }
    redact: { "$..created_at": "[timestamp]" }
targets:
  embedded:
    embedded: true
    apis:
      braintree:
        auth: { basic: { username: pub_key, password: priv_key } }
        vars: { merchant_id: m1 }
  vendor:
    base_url: https://example.invalid/
    timeout: 5s
    apis:
      braintree:
        auth: { basic: { username: "${env:GATECHECK_TEST_UNSET_PUB}", password: x } }
"#;

    #[test]
    fn a_password_in_the_base_url_is_a_secret() {
        let c = config(
            "apis: { a: { format: json } }\ntargets:\n  t:\n    base_url: \"https://gc_user:p%40ss%20w0rd@pay.example/v1\"\n    apis: { a: {} }\n",
        )
        .unwrap();
        let api = c.resolve("t", "a", None).unwrap();
        for secret in ["gc_user", "p@ss w0rd", "Basic Z2NfdXNlcjpwQHNzIHcwcmQ="] {
            assert!(api.secrets.contains(&secret.to_string()), "{secret}");
        }
        assert_eq!(percent_decode("a%2fb%zz%"), "a/b%zz%");
    }

    #[test]
    fn resolves_embedded() {
        let c = config(FILE).unwrap();
        let api = c
            .resolve("embedded", "braintree", Some("http://127.0.0.1:9"))
            .unwrap();
        assert_eq!(api.base_url, "http://127.0.0.1:9");
        assert_eq!(api.format, Format::Xml);
        assert_eq!(api.vars["merchant_id"], "m1");
        assert_eq!(api.headers, [("X-ApiVersion".to_string(), "6".to_string())]);
        assert_eq!(api.timeout, DEFAULT_TIMEOUT);
        assert!(api.secrets.contains(&"priv_key".to_string()));
    }

    #[test]
    fn unset_env_is_named() {
        let c = config(FILE).unwrap();
        let e = c
            .resolve("vendor", "braintree", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("GATECHECK_TEST_UNSET_PUB"), "{e}");
        assert!(e.contains("auth.basic.username"), "{e}");
    }

    #[test]
    fn unknown_target_suggests() {
        let c = config(FILE).unwrap();
        let e = c.target("vendr").unwrap_err().to_string();
        assert!(e.contains("did you mean `vendor`"), "{e}");
    }

    #[test]
    fn bad_files_are_located() {
        let e = config("targets:\n  t:\n    embeded: true\n    apis: {}\n").unwrap_err();
        let ConfigError::File(d) = e else { panic!() };
        assert_eq!(d.line, Some(3));
        assert_eq!(d.help.as_deref(), Some("did you mean `embedded`?"));
        let e = config("targets:\n  t:\n    embedded: true\n    apis: { stripe: {} }\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`apis` does not define"), "{e}");
    }

    #[test]
    fn headers_layer_by_name() {
        let c = config(
            r#"
apis:
  chargebee:
    format: form
    headers: { Accept: application/json, chargebee-event-email: on }
targets:
  t:
    base_url: https://example.invalid
    headers: { Chargebee-Event-Email: all-disabled, X-Target: "1" }
    apis:
      chargebee:
        headers: { x-target: "2", chargebee-event-webhook: all-disabled }
"#,
        )
        .unwrap();
        let api = c.resolve("t", "chargebee", None).unwrap();
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            api.headers,
            pairs(&[
                ("Accept", "application/json"),
                ("Chargebee-Event-Email", "all-disabled"),
                ("x-target", "2"),
                ("chargebee-event-webhook", "all-disabled"),
            ])
        );
    }

    #[test]
    fn bad_headers_are_located() {
        let e = config(
            "targets:\n  t:\n    base_url: https://x.invalid\n    headers: [a]\n    apis: {}\n",
        )
        .unwrap_err();
        let ConfigError::File(d) = e else { panic!() };
        assert_eq!(d.line, Some(4));
        let e = config("targets:\n  t:\n    base_url: https://x.invalid\n    headers: { X-A: \"${nope\" }\n    apis: {}\n")
            .unwrap_err();
        let ConfigError::File(d) = e else { panic!() };
        assert_eq!(d.line, Some(4));
    }
}
