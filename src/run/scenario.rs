//! Running one scenario against one target, step by step: build the request
//! (`build`, pure) ▶ send it (`send`, the only I/O) ▶ evaluate the answer
//! (`evaluate`, pure) ▶ capture ▶ normalize for the snapshot; then compare the
//! snapshot. A step that waits for a webhook is run by `webhook_step`.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::Keep;
use super::build::prepare;
use super::context::RunContext;
use super::evaluate::{capture, check_answer, reads};
use super::failure::{Failure, FailureKind, FixtureOrigin};
use super::outcome::{Observation, ResponseRecord, ScenarioOutcome, StepOutcome, StepStatus};
use super::scope::Scopes;
use super::send::{Answer, Reads, send};
use super::vars::Vars;
use super::webhook_step::Cursor;
use crate::mask::HeaderList;
use crate::snapshot::normalize::Normalizer;
use crate::snapshot::store;
use crate::snapshot::{Entry, KeptAnswer, KeptBody, Snapshot, SnapshotResult};
use crate::spec::ScenarioFile;
use crate::spec::jsonpath::JsonPathExpr;
use crate::spec::model::{Action, Expect, Request, SnapshotSetting, Step};
use crate::yaml::{Span, Spanned};

/// Runs `file` with `ctx` and reports everything that happened.
pub async fn run_scenario(file: &ScenarioFile, ctx: &RunContext) -> ScenarioOutcome {
    run_scenario_until(file, ctx, None).await
}

/// Like [`run_scenario`], but no further step starts once `stop` turns true: the
/// scenario then fails as interrupted, with the steps not run marked skipped.
pub async fn run_scenario_until(
    file: &ScenarioFile,
    ctx: &RunContext,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
) -> ScenarioOutcome {
    run_scenario_keeping(file, ctx, stop, Keep::Everything).await
}

/// Like [`run_scenario_until`], recording requests and answers as `keep` says.
pub async fn run_scenario_keeping(
    file: &ScenarioFile,
    ctx: &RunContext,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
    keep: Keep,
) -> ScenarioOutcome {
    let mut outcome = execute(file, ctx, stop, keep).await;
    // Comparing two targets judges answers, not marks: there an xfail scenario is
    // compared as any other (it may well pass on one of the two).
    if let Some(reason) = file.scenario.xfail.as_ref().filter(|_| !ctx.observe) {
        outcome.expect_failure(&reason.value.0, reason.span, &file.source, &ctx.masker);
    }
    outcome
}

async fn execute(
    file: &ScenarioFile,
    ctx: &RunContext,
    stop: Option<&tokio::sync::watch::Receiver<bool>>,
    keep: Keep,
) -> ScenarioOutcome {
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
        name: ctx.masker.mask(scenario.name.clone()),
        file: file.path.clone(),
        target: ctx.api.target.clone(),
        steps: Vec::with_capacity(scenario.steps.len()),
        snapshot: None,
        failures: Vec::new(),
        xfail: None,
        duration: Duration::ZERO,
    };
    let vars_node = file.tree.entry("vars").map(|(_, v)| v);
    for (name, template) in &scenario.vars {
        // The command line wins over what the files say (see the README).
        if ctx.api.overrides.contains(name) {
            continue;
        }
        match template.render(&vars) {
            Ok(value) => vars.set(name, value),
            Err(e) => {
                let at = vars_node
                    .and_then(|n| n.entry(name))
                    .map_or(file.key_span("vars"), |(_, v)| v.span);
                let failure = Failure::new(
                    at,
                    FailureKind::Template {
                        what: format!("scenario variable `{name}`"),
                        message: e.to_string(),
                    },
                );
                outcome
                    .failures
                    .push(ctx.masker.mask(failure.in_source(&file.source)));
                outcome.duration = started.elapsed();
                return outcome;
            }
        }
    }
    let mut run = ScenarioRun {
        ctx,
        file,
        vars,
        snapshots: Vec::new(),
        webhooks: Cursor::start(ctx),
        keep,
    };
    let mut failed = false;
    let mut scopes = Scopes::default();
    for (index, step) in scenario.steps.iter().enumerate() {
        let origin = step.included.as_ref().map(|frame| &frame.origin);
        let mut step_outcome = StepOutcome {
            index,
            name: ctx.masker.mask(step.name.clone()),
            at: step.span,
            origin: FixtureOrigin(origin.cloned()),
            attempts: 0,
            observed: None,
            status: StepStatus::Skipped,
            failures: Vec::new(),
            request: None,
            response: None,
            webhook: None,
        };
        if !failed && stop.is_some_and(|s| *s.borrow()) {
            let failure = Failure::new(
                step.span,
                FailureKind::Interrupted {
                    message: format!(
                        "interrupted: step {} and those after it were not run",
                        index + 1
                    ),
                },
            );
            outcome
                .failures
                .push(ctx.masker.mask(failure.located(origin, &file.source)));
            failed = true;
        }
        if !failed {
            match scopes.enter(step.included.as_ref(), &mut run.vars, &file.source) {
                Ok(()) => run.step(step, index, &mut step_outcome).await,
                Err(failure) => {
                    step_outcome.failures.push(ctx.masker.mask(*failure));
                    step_outcome.status = StepStatus::Failed;
                }
            }
            failed = step_outcome.status == StepStatus::Failed;
        }
        outcome.steps.push(step_outcome);
    }
    // A comparison of targets has no snapshot of its own: the other target is the
    // reference.
    if !failed && !run.snapshots.is_empty() && !ctx.observe {
        // The entries are not masked: the document is masked whole, once, so that
        // nothing unmasked can reach a snapshot file.
        let snapshot = Snapshot {
            scenario: &scenario.name,
            redact: run.redactions(),
            entries: std::mem::take(&mut run.snapshots),
        };
        let path = store::snapshot_path(&ctx.snapshots_dir, &file.relative);
        // A snapshot failure is about the steps that snapshot: point at the first.
        let first = scenario
            .steps
            .iter()
            .find(|s| !matches!(s.snapshot, SnapshotSetting::Off));
        let at = first.map_or(file.key_span("steps"), |s| s.span);
        let origin = first
            .and_then(|s| s.included.as_ref())
            .map(|frame| &frame.origin);
        match store::compare_snapshot(
            &path,
            &file.relative,
            snapshot,
            &ctx.masker,
            &ctx.snapshot_memo,
            ctx.mode,
            ctx.ci,
        ) {
            Ok(result) => {
                if let Some(kind) = snapshot_failure(&result) {
                    outcome.failures.push(
                        ctx.masker
                            .mask(Failure::new(at, kind).located(origin, &file.source)),
                    );
                }
                outcome.snapshot = Some(result);
            }
            Err(message) => {
                let failure = Failure::new(at, FailureKind::Other { message });
                outcome
                    .failures
                    .push(ctx.masker.mask(failure.located(origin, &file.source)));
            }
        }
    }
    outcome.duration = started.elapsed();
    outcome
}

/// The failure a snapshot comparison amounts to, if any.
fn snapshot_failure(result: &SnapshotResult) -> Option<FailureKind> {
    match result {
        SnapshotResult::Mismatch {
            path,
            pending,
            diff,
        } => Some(FailureKind::SnapshotDiffers {
            path: path.clone(),
            pending: pending.clone(),
            diff: diff.clone(),
        }),
        SnapshotResult::Missing { path, content } => Some(FailureKind::SnapshotMissing {
            path: path.clone(),
            content: content.clone(),
        }),
        _ => None,
    }
}

/// The state of one scenario execution as its steps run.
pub(super) struct ScenarioRun<'a> {
    pub(super) ctx: &'a RunContext,
    pub(super) file: &'a ScenarioFile,
    pub(super) vars: Vars,
    /// Snapshot entries so far, in step order.
    pub(super) snapshots: Vec<Entry>,
    /// Which webhooks this scenario may still take.
    pub(super) webhooks: Cursor,
    /// Whether a passing step records its request and answer.
    pub(super) keep: Keep,
}

impl<'a> ScenarioRun<'a> {
    async fn step(&mut self, step: &Spanned<Step>, index: usize, out: &mut StepOutcome) {
        match &step.action {
            Action::Request { request, expect } => {
                self.request_step(step, request, expect, index, out).await;
            }
            Action::Webhook(expect) => self.webhook_step(step, expect, index, out).await,
        }
    }

    /// Records one failure at `at`.
    pub(super) fn fail(&self, out: &mut StepOutcome, at: Span, kind: FailureKind) {
        out.settle(
            &self.ctx.masker,
            &self.file.source,
            vec![Failure::new(at, kind)],
        );
    }

    /// `body` as snapshots and comparisons see it: variables named, volatile values
    /// redacted. Not yet masked: it is only ever kept inside a document masked whole
    /// (the snapshot document, an observation).
    pub(super) fn normalize(&self, mut body: Value) -> Value {
        Normalizer {
            redact: self.redactions(),
            vars: self.vars.substitutions(),
        }
        .apply(&mut body);
        body
    }

    /// The redactions answers are normalized with: the API profile's, then the
    /// scenario's.
    fn redactions(&self) -> Vec<(&'a JsonPathExpr, &'a str)> {
        self.ctx
            .api
            .redact
            .iter()
            .chain(self.file.scenario.redact.iter())
            .map(|(p, s)| (p, s.as_str()))
            .collect()
    }

    /// Keeps a step's snapshot entry, if the step asks for one: `entry` makes it from
    /// the step's key, and is only called for a step that snapshots, so others copy
    /// nothing.
    pub(super) fn snapshot(
        &mut self,
        step: &Step,
        index: usize,
        entry: impl FnOnce(&Self, String) -> Entry,
    ) {
        let Some(key) = step.snapshot_key(index) else {
            return;
        };
        let entry = entry(self, key);
        self.snapshots.push(entry);
    }

    /// Records what a step saw, normalized, when the run compares targets.
    /// `seen` is only called when observing, so other runs copy nothing.
    pub(super) fn observe(&self, out: &mut StepOutcome, seen: impl FnOnce() -> Observation) {
        if !self.ctx.observe {
            return;
        }
        let Observation {
            status,
            body,
            headers,
        } = seen();
        let headers = headers
            .into_iter()
            .map(|(name, value)| {
                let value = match self.normalize(Value::String(value)) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (name, value)
            })
            .collect();
        out.observed = Some(self.ctx.masker.mask(Observation {
            status,
            body: self.normalize(body),
            headers,
        }));
    }

    /// Checks an answer against the step's expectations, then (if they hold) takes its
    /// captures.
    fn judge(&mut self, step: &Step, expect: &Expect, answer: &Answer) -> Vec<Failure> {
        let failures = check_answer(expect, answer, &self.vars);
        if !failures.is_empty() {
            return failures;
        }
        capture(&step.capture, &answer.body, &answer.headers, &mut self.vars)
    }

    async fn request_step(
        &mut self,
        step: &Spanned<Step>,
        request: &Request,
        expect: &Expect,
        index: usize,
        out: &mut StepOutcome,
    ) {
        let ctx = self.ctx;
        let prepared = match prepare(request, ctx, &self.vars) {
            Ok(p) => p,
            Err(kind) => return self.fail(out, step.span, kind),
        };
        let retry_429 = expect
            .status
            .as_ref()
            .is_none_or(|s| !s.accepts(429, &self.vars));
        let policy = request.retry.as_ref().or(ctx.api.retry.as_ref());
        // The answer is built only as far as the step's paths read it, unless all of it
        // may be kept: in a report of every step, a comparison of targets. (A snapshot
        // keeps the answer's text.)
        let whole = self.keep == Keep::Everything || ctx.observe;
        let selection = if whole {
            None
        } else {
            reads(expect, &step.capture)
        };
        let reads = Reads {
            selection: selection.as_ref(),
            json_only: step.snapshot_key(index).is_some(),
        };
        let sent = send(ctx, &prepared, retry_429, policy, reads).await;
        out.attempts = sent.attempts;
        let mut answer = match sent.answer {
            Ok(a) => a,
            Err(kind) => {
                out.request = Some(prepared.record(ctx, &sent.headers));
                return self.fail(out, step.span, kind);
            }
        };
        let failures = self.judge(step, expect, &answer);
        // A failure shows the whole answer. (The paths select the same from the part.)
        if !failures.is_empty()
            && let Err(kind) = answer.read_whole(&ctx.masker)
        {
            out.request = Some(prepared.record(ctx, &sent.headers));
            return self.fail(out, step.span, kind);
        }
        // Records are masked copies of the whole exchange: made only when something
        // will show them (a report of every step, or this step's failure), since
        // masking and keeping them for every passing step cost CPU and memory that
        // grow with the run.
        if self.keep == Keep::Everything || !failures.is_empty() {
            out.request = Some(prepared.record(ctx, &sent.headers));
            out.response = Some(ctx.masker.mask(ResponseRecord {
                status: answer.status,
                headers: HeaderList(answer.headers.clone()),
                body: answer.body.clone(),
                elapsed: answer.elapsed,
            }));
        }
        self.observe(out, || Observation {
            status: Some(answer.status),
            body: answer.body.clone(),
            headers: ctx
                .api
                .compare_headers
                .iter()
                .filter_map(|name| {
                    crate::wire::headers::find(&answer.headers, name)
                        .map(|v| (name.to_ascii_lowercase(), v.to_string()))
                })
                .collect(),
        });
        if !out.settle(&ctx.masker, &self.file.source, failures) {
            return;
        }
        let status = answer.status;
        self.snapshot(step, index, |run, key| {
            Entry::Answer(KeptAnswer {
                key,
                method: request.method.as_str().to_string(),
                path: request.path.source().to_string(),
                status,
                body: match answer.partial {
                    // JSON: a snapshot step reads any other format whole.
                    Some(text) => KeptBody::Json(text),
                    None => KeptBody::Tree(answer.body),
                },
                vars: run.vars.substitutions(),
            })
        });
        out.status = StepStatus::Passed;
    }
}
