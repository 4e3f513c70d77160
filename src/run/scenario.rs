//! Running one scenario against one target: for each step, render ▶ encode ▶ sign ▶
//! send ▶ decode ▶ assert ▶ capture ▶ normalize; then compare the snapshot. A step
//! that waits for a webhook is run by `webhook_step`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::outcome::{RequestRecord, ResponseRecord, ScenarioOutcome, StepOutcome, StepStatus};
use super::vars::Vars;
use super::webhook_step::Cursor;
use crate::mask::Masker;
use crate::snapshot::normalize::Normalizer;
use crate::snapshot::{SnapshotMode, store};
use crate::spec::ScenarioFile;
use crate::spec::jsonpath::JsonPathExpr;
use crate::spec::matcher::{MatcherSet, show};
use crate::spec::model::{Capture, CaptureSource, Request, Step, StepAuth};
use crate::spec::template::Lookup;
use crate::target::ResolvedApi;
use crate::target::auth::Outgoing;
use crate::webhook::Inbox;
use crate::wire::headers::{find as header, set as set_header};

/// Most of an answer body kept in memory; larger ones are cut (and the step fails).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Everything shared by the scenarios of one run on one API of one target.
#[derive(Debug, Clone)]
pub struct RunContext {
    /// The HTTP client (connection pool shared by all scenarios).
    pub client: reqwest::Client,
    /// The target's settings for the API.
    pub api: ResolvedApi,
    /// Masks this target's secrets and card data.
    pub masker: Masker,
    /// Where snapshots live.
    pub snapshots_dir: PathBuf,
    /// What to do with snapshots.
    pub mode: SnapshotMode,
    /// Whether this is CI (missing snapshots fail).
    pub ci: bool,
    /// The run's webhook receiver's deliveries, when one is running.
    pub webhooks: Option<Arc<Inbox>>,
}

impl RunContext {
    /// A context with a fresh client, masking the API's secrets.
    pub fn new(
        api: ResolvedApi,
        snapshots_dir: PathBuf,
        mode: SnapshotMode,
    ) -> Result<RunContext, String> {
        let client = http_client()?;
        Ok(RunContext {
            masker: Masker::new(api.secrets.iter().cloned()),
            client,
            api,
            snapshots_dir,
            mode,
            ci: store::in_ci(),
            webhooks: None,
        })
    }

    /// This context with the run's webhook receiver, whose URL the scenarios see as
    /// `${webhook_url}`.
    pub fn with_webhooks(mut self, url: &str, inbox: Arc<Inbox>) -> RunContext {
        self.api.vars.insert(
            crate::spec::template::WEBHOOK_URL.to_string(),
            Value::String(url.to_string()),
        );
        self.webhooks = Some(inbox);
        self
    }
}

/// The HTTP client gatecheck sends with: gzip, no redirects (a redirect is something
/// a scenario should see), a connect timeout so a dead host fails fast.
pub fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("gatecheck/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// An answer as received, before masking.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
    elapsed: Duration,
}

/// Runs `file` with `ctx` and reports everything that happened.
pub async fn run_scenario(file: &ScenarioFile, ctx: &RunContext) -> ScenarioOutcome {
    let started = Instant::now();
    let scenario = &file.scenario;
    // Values the scenario reads from the environment are secrets too.
    let env_secrets: Vec<String> = scenario
        .env_vars()
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .collect();
    let scoped;
    let ctx = if env_secrets.is_empty() {
        ctx
    } else {
        scoped = RunContext {
            masker: ctx.masker.with_secrets(env_secrets),
            ..ctx.clone()
        };
        &scoped
    };
    let mut vars = Vars::new(ctx.api.vars.clone());
    let mut outcome = ScenarioOutcome {
        id: file.id.clone(),
        name: scenario.name.clone(),
        file: file.path.clone(),
        target: ctx.api.target.clone(),
        steps: Vec::with_capacity(scenario.steps.len()),
        snapshot: None,
        error: None,
        duration: Duration::ZERO,
    };
    for (name, template) in &scenario.vars {
        match template.render(&vars) {
            Ok(value) => vars.set(name, value),
            Err(e) => {
                outcome.error = Some(format!("scenario variable `{name}`: {e}"));
                outcome.duration = started.elapsed();
                return outcome;
            }
        }
    }
    let lines = file.step_lines();
    let mut run = ScenarioRun {
        ctx,
        file,
        vars,
        snapshots: Map::new(),
        webhooks: Cursor::start(ctx),
    };
    let mut failed = false;
    for (index, step) in scenario.steps.iter().enumerate() {
        let mut step_outcome = StepOutcome {
            index,
            name: step.name.clone(),
            line: lines.get(index).copied(),
            status: StepStatus::Skipped,
            failures: Vec::new(),
            request: None,
            response: None,
            webhook: None,
        };
        if !failed {
            run.step(step, index, &mut step_outcome).await;
            failed = step_outcome.status == StepStatus::Failed;
        }
        outcome.steps.push(step_outcome);
    }
    let snapshots = run.snapshots;
    if !failed && !snapshots.is_empty() {
        let doc = serde_json::json!({ "scenario": scenario.name, "steps": snapshots });
        let path = store::snapshot_path(&ctx.snapshots_dir, &file.relative);
        match store::render(&file.relative, &doc)
            .and_then(|text| store::compare(&path, &text, ctx.mode, ctx.ci))
        {
            Ok(result) => outcome.snapshot = Some(result),
            Err(e) => outcome.error = Some(e),
        }
    }
    outcome.duration = started.elapsed();
    outcome
}

/// The state of one scenario execution as its steps run.
pub(super) struct ScenarioRun<'a> {
    pub(super) ctx: &'a RunContext,
    pub(super) file: &'a ScenarioFile,
    pub(super) vars: Vars,
    /// Snapshot entries so far, by step key.
    pub(super) snapshots: Map<String, Value>,
    /// Which webhooks this scenario may still take.
    pub(super) webhooks: Cursor,
}

impl ScenarioRun<'_> {
    async fn step(&mut self, step: &Step, index: usize, out: &mut StepOutcome) {
        match (&step.request, &step.expect_webhook) {
            (Some(request), _) => self.request_step(step, request, index, out).await,
            (None, Some(expect)) => self.webhook_step(step, expect, index, out).await,
            // Loading refuses such a step; should one get here, it fails plainly.
            (None, None) => self.fail(out, "the step has neither `request` nor `expect_webhook`"),
        }
    }

    pub(super) fn fail(&self, out: &mut StepOutcome, why: &str) {
        out.failures.push(self.ctx.masker.text(why));
        out.status = StepStatus::Failed;
    }

    /// Records `failures` (masked: expected and received values may hold card data
    /// or secrets); true when there were none.
    pub(super) fn settle(&self, out: &mut StepOutcome, failures: Vec<String>) -> bool {
        if failures.is_empty() {
            return true;
        }
        out.failures = failures.iter().map(|f| self.ctx.masker.text(f)).collect();
        out.status = StepStatus::Failed;
        false
    }

    /// Stores a step's snapshot entry, if the step asks for one: `entry` gets `body`
    /// normalized (variables named, volatile values redacted, secrets masked).
    pub(super) fn snapshot(
        &mut self,
        step: &Step,
        index: usize,
        mut body: Value,
        entry: impl FnOnce(Value) -> Value,
    ) {
        let Some(key) = step.snapshot_key(index) else {
            return;
        };
        let redact = self
            .ctx
            .api
            .redact
            .iter()
            .chain(self.file.scenario.redact.iter())
            .map(|(p, s)| (p, s.as_str()))
            .collect();
        Normalizer {
            redact,
            vars: self.vars.substitutions(),
            masker: &self.ctx.masker,
        }
        .apply(&mut body);
        self.snapshots.insert(key, entry(body));
    }

    async fn request_step(
        &mut self,
        step: &Step,
        request: &Request,
        index: usize,
        out: &mut StepOutcome,
    ) {
        let ctx = self.ctx;
        let prepared = match prepare(request, ctx, &self.vars) {
            Ok(p) => p,
            Err(why) => return self.fail(out, &why),
        };
        let retry_429 = step.expect.status.as_ref().is_none_or(|s| !s.accepts(429));
        let (sent_headers, answer) = send(ctx, &prepared, retry_429).await;
        out.request = Some(prepared.record(ctx, &sent_headers));
        let answer = match answer {
            Ok(a) => a,
            Err(why) => return self.fail(out, &why),
        };
        let mut failures = check(step, &answer, &self.vars);
        let mut shown_body = answer.body.clone();
        ctx.masker.value(&mut shown_body);
        out.response = Some(ResponseRecord {
            status: answer.status,
            headers: answer
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), ctx.masker.header(n, v)))
                .collect(),
            body: shown_body,
            elapsed: answer.elapsed,
        });
        if failures.is_empty() {
            failures = capture(&step.capture, &answer.body, &answer.headers, &mut self.vars);
        }
        if !self.settle(out, failures) {
            return;
        }
        let status = answer.status;
        self.snapshot(step, index, answer.body, |body| {
            serde_json::json!({
                "request": {
                    "method": request.method.as_str(),
                    "path": request.path.source(),
                },
                "response": { "status": status, "body": body },
            })
        });
        out.status = StepStatus::Passed;
    }
}

/// A request ready to send, but for its credentials: a signing scheme signs each
/// attempt afresh (a new salt and timestamp per retry).
struct Prepared {
    method: reqwest::Method,
    url: reqwest::Url,
    /// Path and query exactly as they go on the wire, for signing.
    path_with_query: String,
    /// Every header but the generated credentials.
    headers: Vec<(String, String)>,
    /// Whether the target's auth scheme adds credentials.
    sign: bool,
    body: Option<Vec<u8>>,
    /// The body as it may be shown.
    shown_body: Option<String>,
}

impl Prepared {
    /// The headers of one attempt: the request's own plus freshly made credentials.
    fn headers_to_send(&self, ctx: &RunContext) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        if self.sign {
            let generated = ctx.api.auth.sign(&Outgoing {
                method: self.method.as_str(),
                path_with_query: &self.path_with_query,
                body: self.body.as_deref().unwrap_or_default(),
                headers: &self.headers,
            });
            headers.extend(generated);
        }
        headers
    }

    /// The request as it may be shown, with the headers of the attempt that was made.
    fn record(&self, ctx: &RunContext, headers: &[(String, String)]) -> RequestRecord {
        RequestRecord {
            method: self.method.to_string(),
            url: ctx.masker.text(self.url.as_str()),
            headers: headers
                .iter()
                .map(|(n, v)| (n.clone(), ctx.masker.header(n, v)))
                .collect(),
            body: self.shown_body.clone(),
        }
    }
}

fn prepare(request: &Request, ctx: &RunContext, vars: &Vars) -> Result<Prepared, String> {
    let path = request
        .path
        .render(vars)
        .map_err(|e| format!("request path: {e}"))?;
    let mut url = format!("{}{}", ctx.api.base_url, path);
    if !request.query.is_empty() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, t) in &request.query {
            let name = name
                .render(vars)
                .map_err(|e| format!("query name `{name}`: {e}"))?;
            let value = t.render(vars).map_err(|e| format!("query `{name}`: {e}"))?;
            query.append_pair(&name, &value);
        }
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.finish());
    }
    // Parsed once here and sent as parsed, so the path a scheme signs is the one on
    // the wire, percent-encoding included.
    let url = reqwest::Url::parse(&url)
        .map_err(|e| ctx.masker.text(&format!("bad request URL {url:?}: {e}")))?;
    let path_with_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let mut headers = ctx.api.headers.clone();
    let mut body = None;
    let mut shown_body = None;
    if let Some(template) = &request.body {
        let tree = template
            .render(vars)
            .map_err(|e| format!("request body: {e}"))?;
        let format = request.format.unwrap_or(ctx.api.format);
        let (bytes, content_type) = crate::wire::encode_body(format, &tree)?;
        set_header(&mut headers, "Content-Type", content_type.to_string());
        let mut masked = tree;
        ctx.masker.value(&mut masked);
        shown_body = Some(match crate::wire::encode_body(format, &masked) {
            Ok((b, _)) => String::from_utf8_lossy(&b).into_owned(),
            Err(_) => ctx.masker.text(&String::from_utf8_lossy(&bytes)),
        });
        body = Some(bytes);
    }
    for (name, t) in &request.headers {
        let name = name
            .render(vars)
            .map_err(|e| format!("header name `{name}`: {e}"))?;
        let value = t
            .render(vars)
            .map_err(|e| format!("header `{name}`: {e}"))?;
        set_header(&mut headers, &name, value);
    }
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
        .map_err(|e| format!("method: {e}"))?;
    Ok(Prepared {
        method,
        url,
        path_with_query,
        headers,
        sign: request.auth == StepAuth::Target,
        body,
        shown_body,
    })
}

/// Times a 429 answer is retried when the step does not itself expect a 429.
const MAX_RETRIES_429: u32 = 3;
/// Longest `Retry-After` honoured; a longer one fails the step instead of stalling the run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Sends, respecting rate limits: a 429 is waited out (its `Retry-After` in seconds,
/// else 1 s, 2 s, 4 s) and retried, unless the step expects the 429 itself. Each
/// attempt is signed afresh. Returns the headers of the last attempt with its result.
async fn send(
    ctx: &RunContext,
    prepared: &Prepared,
    retry_429: bool,
) -> (Vec<(String, String)>, Result<Answer, String>) {
    let mut attempt = 0;
    loop {
        let headers = prepared.headers_to_send(ctx);
        let answer = match send_once(ctx, prepared, &headers).await {
            Ok(answer) => answer,
            Err(why) => return (headers, Err(why)),
        };
        if answer.status != 429 || !retry_429 || attempt >= MAX_RETRIES_429 {
            return (headers, Ok(answer));
        }
        let wait = header(&answer.headers, "retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(Duration::from_secs(1 << attempt), Duration::from_secs);
        if wait > MAX_RETRY_AFTER {
            return (headers, Ok(answer));
        }
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

async fn send_once(
    ctx: &RunContext,
    prepared: &Prepared,
    headers: &[(String, String)],
) -> Result<Answer, String> {
    let mut builder = ctx
        .client
        .request(prepared.method.clone(), prepared.url.clone())
        .timeout(ctx.api.timeout);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &prepared.body {
        builder = builder.body(body.clone());
    }
    let started = Instant::now();
    let shown_url = ctx.masker.text(prepared.url.as_str());
    let explain = |e: reqwest::Error| {
        let what = if e.is_timeout() {
            format!("no complete answer within {:?}", ctx.api.timeout)
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else if e.is_builder() {
            "cannot build the request".to_string()
        } else {
            "the request failed".to_string()
        };
        let mut detail = String::new();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        ctx.masker.text(&format!(
            "{what}: {shown_url}: {e}{}",
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            }
        ))
    };
    let mut response = builder.send().await.map_err(explain)?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(explain)? {
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(format!("the answer body is larger than {MAX_BODY} bytes"));
        }
        bytes.extend_from_slice(&chunk);
    }
    let elapsed = started.elapsed();
    let content_type = header(&headers, "content-type");
    let body = crate::wire::decode_body(content_type, &bytes).map_err(|why| {
        let preview: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
        ctx.masker.text(&format!(
            "status {status}: {why}; the body begins: {preview:?}"
        ))
    })?;
    Ok(Answer {
        status,
        headers,
        body,
        elapsed,
    })
}

fn check(step: &Step, answer: &Answer, vars: &dyn Lookup) -> Vec<String> {
    let mut failures = Vec::new();
    let expect = &step.expect;
    if let Some(status) = &expect.status
        && !status.accepts(answer.status)
    {
        let want: Vec<String> = status.0.iter().map(u16::to_string).collect();
        failures.push(format!(
            "status: expected {}, got {}",
            want.join(" or "),
            answer.status
        ));
    }
    for (name, matchers) in &expect.headers {
        let value = header(&answer.headers, name).map(|v| Value::String(v.to_string()));
        let nodes: Vec<&Value> = value.iter().collect();
        match matchers.check(&nodes, true, vars) {
            Ok(fs) => failures.extend(fs.into_iter().map(|f| format!("header {name}: {f}"))),
            Err(e) => failures.push(format!("header {name}: {e}")),
        }
    }
    failures.extend(check_json(&expect.json, &answer.body, vars));
    failures
}

/// Checks JSONPath expectations against a decoded body (an answer's or a webhook's).
pub(super) fn check_json(
    expectations: &IndexMap<JsonPathExpr, MatcherSet>,
    body: &Value,
    vars: &dyn Lookup,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (path, matchers) in expectations {
        let nodes = path.query(body);
        // What a CVV path selected must not be shown; the masker cannot tell it from
        // any other short number once it is in a message.
        let cvv = crate::mask::is_cvv_path(&path.to_string());
        let shown = |f: String| {
            if !cvv {
                return f;
            }
            nodes.iter().filter(|v| !v.is_null()).fold(f, |f, v| {
                f.replace(&show(v), &format!("\"{}\"", crate::mask::MASKED))
            })
        };
        match matchers.check(&nodes, path.is_singular(), vars) {
            Ok(fs) => failures.extend(fs.into_iter().map(|f| format!("{path}: {}", shown(f)))),
            Err(e) => failures.push(format!("{path}: {e}")),
        }
    }
    failures
}

/// Takes a step's captures from a decoded body and its headers (an answer's or a
/// webhook's) into `vars`.
pub(super) fn capture(
    captures: &IndexMap<String, Capture>,
    body: &Value,
    headers: &[(String, String)],
    vars: &mut Vars,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, capture) in captures {
        let (found, from) = match &capture.source {
            CaptureSource::Json(path) => (
                path.query(body).first().map(|v| (*v).clone()),
                path.to_string(),
            ),
            CaptureSource::Header(h) => (
                header(headers, h).map(|v| Value::String(v.to_string())),
                format!("header {h}"),
            ),
        };
        let Some(mut value) = found else {
            failures.push(format!("capture `{name}`: {from} matched nothing"));
            continue;
        };
        if let Some(pattern) = &capture.regex {
            let text = match &value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match pattern.regex().captures(&text) {
                Some(caps) => {
                    let m = caps
                        .get(1)
                        .or_else(|| caps.get(0))
                        .map_or("", |m| m.as_str());
                    value = Value::String(m.to_string());
                }
                None => {
                    failures.push(format!(
                        "capture `{name}`: /{}/ does not match {}",
                        pattern.regex().as_str(),
                        show(&value)
                    ));
                    continue;
                }
            }
        }
        vars.set(name, value);
    }
    failures
}
