//! What a run found: per scenario, per step, with the request sent, the answer and
//! every failure, each already masked (only a [`Masked`] value can be recorded here),
//! so any report can show them.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::failure::{Failure, FixtureOrigin};
use crate::mask::{HeaderList, Maskable, Masked, Masker};
use crate::snapshot::SnapshotResult;
use crate::yaml::Span;

/// A request as it was sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestRecord {
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers sent.
    pub headers: HeaderList,
    /// Body as sent on the wire.
    pub body: Option<String>,
}

impl Maskable for RequestRecord {
    fn mask_with(&mut self, masker: &Masker) {
        self.url.mask_with(masker);
        self.headers.mask_with(masker);
        self.body.mask_with(masker);
    }
}

/// An answer as received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRecord {
    /// Status code.
    pub status: u16,
    /// Headers received.
    pub headers: HeaderList,
    /// The body decoded to a JSON tree (a string when it could not be decoded).
    pub body: Value,
    /// Time from sending to the end of the body.
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

impl Maskable for ResponseRecord {
    fn mask_with(&mut self, masker: &Masker) {
        self.headers.mask_with(masker);
        self.body.mask_with(masker);
    }
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(d.as_millis())
}

/// A webhook a step took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookRecord {
    /// Its position among the run's deliveries.
    pub seq: usize,
    /// The URL it was sent to (as the sender was given it).
    pub url: String,
    /// Headers received (credentials and signatures are masked with them).
    pub headers: HeaderList,
    /// The body decoded to a JSON tree.
    pub body: Value,
}

impl Maskable for WebhookRecord {
    fn mask_with(&mut self, masker: &Masker) {
        self.url.mask_with(masker);
        self.headers.mask_with(masker);
        self.body.mask_with(masker);
    }
}

/// What a step saw, normalized as snapshots are (captured values as `${name}`,
/// redactions, masking), for comparing two targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// The answer's status; none for a webhook.
    pub status: Option<u16>,
    /// The answer's (or webhook's) body.
    pub body: Value,
    /// The headers the API profile names as compared, lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Maskable for Observation {
    fn mask_with(&mut self, masker: &Masker) {
        self.body.mask_with(masker);
        for (_, value) in &mut self.headers {
            value.mask_with(masker);
        }
    }
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Every expectation held.
    Passed,
    /// Something did not hold, or the request could not be made.
    Failed,
    /// Not run because an earlier step failed.
    Skipped,
}

/// One step's result.
#[derive(Debug, Clone, Serialize)]
pub struct StepOutcome {
    /// 0-based position.
    pub index: usize,
    /// The step's name (a user may write a card number in it).
    pub name: Masked<String>,
    /// Where the step is written: in the scenario file, or in `origin`'s fixture.
    pub at: Span,
    /// The fixture the step is written in, if a `- use:` brought it in.
    #[serde(flatten)]
    pub origin: FixtureOrigin,
    /// How many times its request was sent (0 for a webhook step or one not run;
    /// more than 1 after retries).
    pub attempts: u32,
    /// How it ended.
    pub status: StepStatus,
    /// Every reason it failed, each at the place in the file it concerns.
    pub failures: Vec<Masked<Failure>>,
    /// What was sent, if anything.
    pub request: Option<Masked<RequestRecord>>,
    /// What came back, if anything.
    pub response: Option<Masked<ResponseRecord>>,
    /// The webhook a webhook step took, if any.
    pub webhook: Option<Masked<WebhookRecord>>,
    /// What the step saw, normalized, when the run compares targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<Masked<Observation>>,
}

impl StepOutcome {
    /// Records `failures` with the lines they point at (of the step's fixture, else of
    /// the scenario's `source`), masked, and marks
    /// the step failed when there are any; true when there were none.
    pub fn settle(&mut self, masker: &Masker, source: &str, failures: Vec<Failure>) -> bool {
        if failures.is_empty() {
            return true;
        }
        let origin = self.origin.0.clone();
        self.failures.extend(
            failures
                .into_iter()
                .map(|f| masker.mask(f.located(origin.as_ref(), source))),
        );
        self.status = StepStatus::Failed;
        false
    }
}

/// One scenario's result on one target.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOutcome {
    /// Test id (`braintree::customer_update::x`).
    pub id: String,
    /// The scenario's name (masked like the step names).
    pub name: Masked<String>,
    /// The scenario file.
    pub file: PathBuf,
    /// The target it ran on.
    pub target: String,
    /// Step by step.
    pub steps: Vec<StepOutcome>,
    /// How the snapshot compared, if the scenario has one and got that far.
    #[serde(skip)]
    pub snapshot: Option<SnapshotResult>,
    /// Failures outside any one step: the snapshot, a scenario variable, a crash.
    pub failures: Vec<Masked<Failure>>,
    /// Why the scenario is expected to fail, when it says `xfail:` (and the run judged
    /// it so: `gatecheck diff` compares answers and does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xfail: Option<Masked<String>>,
    /// Wall time.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

impl ScenarioOutcome {
    /// Whether the scenario passed: every step, the snapshot, and nothing else wrong.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.steps.iter().all(|s| s.status == StepStatus::Passed)
    }

    /// The first failed step, if any.
    pub fn failed_step(&self) -> Option<&StepOutcome> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }

    /// Every failure, the scenario's own after the steps', with the file they point into.
    pub fn all_failures(&self) -> impl Iterator<Item = &Masked<Failure>> {
        self.steps
            .iter()
            .flat_map(|s| s.failures.iter())
            .chain(self.failures.iter())
    }

    /// Why the target could not be reached, when that is what stopped the scenario:
    /// an error of the target rather than a failure of the scenario.
    pub fn unreachable(&self) -> Option<&str> {
        self.all_failures().find_map(|f| match &f.kind {
            super::failure::FailureKind::Unreachable { message } => Some(message.as_str()),
            _ => None,
        })
    }

    /// Whether the run was stopped before this scenario's end: it is not finished,
    /// neither passed nor failed.
    pub fn cut_off(&self) -> bool {
        self.all_failures()
            .any(|f| matches!(f.kind, super::failure::FailureKind::Interrupted { .. }))
    }

    /// Whether the scenario failed: it finished, something did not hold, and it was
    /// not a failure its `xfail:` expects.
    pub fn failed(&self) -> bool {
        !self.passed() && !self.cut_off() && !self.xfailed()
    }

    /// Whether the scenario failed as its `xfail:` expects (`XFAIL`): neither a pass
    /// nor a failure. A target that cannot be reached is still an error: the mark is
    /// about the gateway's answers, not the network.
    pub fn xfailed(&self) -> bool {
        self.xfail.is_some()
            && !self.passed()
            && !self.cut_off()
            && self.unreachable().is_none()
            && !self.xpassed()
    }

    /// Whether the scenario passed although its `xfail:` expects a failure (`XPASS`):
    /// a failure, so a stale mark is noticed and removed.
    pub fn xpassed(&self) -> bool {
        self.failures
            .iter()
            .any(|f| matches!(f.kind, super::failure::FailureKind::UnexpectedPass { .. }))
    }

    /// The verdict as one word, as `--json` gives it: `passed`, `failed`, `errored`
    /// (the target could not be reached), `xfailed`, or `stopped` (cut off).
    pub fn status(&self) -> &'static str {
        if self.passed() {
            "passed"
        } else if self.cut_off() {
            "stopped"
        } else if self.unreachable().is_some() {
            "errored"
        } else if self.xfailed() {
            "xfailed"
        } else {
            "failed"
        }
    }

    /// Applies the scenario's `xfail:` (`reason`, written at `at` in `source`): a
    /// finished scenario that passed gets the `XPASS` failure there. A failure is left
    /// as it is; [`ScenarioOutcome::xfailed`] tells it apart.
    pub fn expect_failure(&mut self, reason: &str, at: Span, source: &str, masker: &Masker) {
        self.xfail = Some(masker.mask(reason.to_string()));
        if self.passed() {
            let failure = Failure::new(
                at,
                super::failure::FailureKind::UnexpectedPass {
                    reason: reason.to_string(),
                },
            );
            self.failures.push(masker.mask(failure.in_source(source)));
        }
    }

    /// The place of the first failure, for reports that give one place per test.
    pub fn first_failure_at(&self) -> Option<Span> {
        self.all_failures().next().map(|f| f.at)
    }

    /// The file of the first failure (a fixture's, for an included step), else the
    /// scenario's.
    pub fn first_failure_file(&self) -> &std::path::Path {
        self.all_failures()
            .next()
            .map_or(self.file.as_path(), |f| f.origin.file(&self.file))
    }
}

/// A scenario a run did not run, and why (its target does not serve its API, or may
/// not be written to).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedScenario {
    /// Test id.
    pub id: String,
    /// The scenario's name (masked: a name may hold a card number).
    pub name: Masked<String>,
    /// The scenario file.
    pub file: PathBuf,
    /// The target it was not run on.
    pub target: String,
    /// Why.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::FailureKind;

    fn outcome(failure: Option<FailureKind>) -> ScenarioOutcome {
        let masker = Masker::default();
        ScenarioOutcome {
            id: "x".into(),
            name: masker.mask("x".to_string()),
            file: "x.yaml".into(),
            target: "t".into(),
            steps: Vec::new(),
            snapshot: None,
            failures: failure
                .into_iter()
                .map(|k| masker.mask(Failure::new(Span::new(9, 1), k)))
                .collect(),
            xfail: None,
            duration: Duration::ZERO,
        }
    }

    fn judged(failure: Option<FailureKind>) -> ScenarioOutcome {
        let mut o = outcome(failure);
        let source = "name: x\napi: a\nxfail: not yet 4111111111111111\n";
        o.expect_failure(
            "not yet 4111111111111111",
            Span::new(3, 8),
            source,
            &Masker::default(),
        );
        o
    }

    fn other(message: &str) -> Option<FailureKind> {
        Some(FailureKind::Other {
            message: message.into(),
        })
    }

    #[test]
    fn an_expected_failure_is_neither_a_pass_nor_a_failure() {
        let o = judged(other("status 500"));
        assert!(o.xfailed() && !o.failed() && !o.passed() && !o.xpassed());
        assert_eq!(o.status(), "xfailed");
        assert_eq!(o.failures.len(), 1, "the real failure stays to be read");
        assert!(!o.xfail.as_ref().unwrap().contains("4111111111111111"));
        // Without the mark, the same outcome is a failure.
        assert_eq!(outcome(other("status 500")).status(), "failed");
    }

    #[test]
    fn a_pass_under_xfail_is_a_located_failure() {
        let o = judged(None);
        assert!(o.xpassed() && o.failed() && !o.xfailed() && !o.passed());
        assert_eq!(o.status(), "failed");
        let failure = &o.failures[0];
        assert_eq!((failure.at.line, failure.at.column), (3, 8));
        let text = failure.kind.to_string();
        assert!(
            text.starts_with("XPASS: expected to fail because not yet"),
            "{text}"
        );
        assert!(!text.contains("4111111111111111"), "{text}");
        assert!(
            failure
                .source_line
                .as_deref()
                .unwrap()
                .starts_with("xfail:")
        );
    }

    #[test]
    fn an_unreachable_target_or_a_stopped_run_is_not_an_expected_failure() {
        let down = judged(Some(FailureKind::Unreachable {
            message: "connection refused".into(),
        }));
        assert!(!down.xfailed() && down.failed());
        assert_eq!(down.status(), "errored");
        let stopped = judged(Some(FailureKind::Interrupted {
            message: "interrupted".into(),
        }));
        assert!(!stopped.xfailed() && !stopped.failed());
        assert_eq!(stopped.status(), "stopped");
    }
}
