//! What a run found: per scenario, per step, with the request sent and the answer,
//! already masked so any report can show them.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::snapshot::SnapshotResult;

/// A request as it may be shown (credentials and card data masked).
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers sent.
    pub headers: Vec<(String, String)>,
    /// Body as sent on the wire, masked.
    pub body: Option<String>,
}

/// An answer as it may be shown.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseRecord {
    /// Status code.
    pub status: u16,
    /// Headers received.
    pub headers: Vec<(String, String)>,
    /// The body decoded to a JSON tree (a string when it could not be decoded), masked.
    pub body: Value,
    /// Time from sending to the end of the body.
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(d.as_millis())
}

/// A webhook a step took, as it may be shown.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookRecord {
    /// Its position among the run's deliveries.
    pub seq: usize,
    /// The URL it was sent to (as the sender was given it).
    pub url: String,
    /// Headers received, credentials and signatures masked.
    pub headers: Vec<(String, String)>,
    /// The body decoded to a JSON tree, masked.
    pub body: Value,
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
    /// The step's name.
    pub name: String,
    /// Where the step is written in the scenario file.
    pub line: Option<usize>,
    /// How it ended.
    pub status: StepStatus,
    /// Every reason it failed, one line each.
    pub failures: Vec<String>,
    /// What was sent, if anything.
    pub request: Option<RequestRecord>,
    /// What came back, if anything.
    pub response: Option<ResponseRecord>,
    /// The webhook a webhook step took, if any.
    pub webhook: Option<WebhookRecord>,
}

/// One scenario's result on one target.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOutcome {
    /// Test id (`braintree::customer_update::x`).
    pub id: String,
    /// The scenario's name.
    pub name: String,
    /// The scenario file.
    pub file: PathBuf,
    /// The target it ran on.
    pub target: String,
    /// Step by step.
    pub steps: Vec<StepOutcome>,
    /// How the snapshot compared, if the scenario has one and got that far.
    #[serde(skip)]
    pub snapshot: Option<SnapshotResult>,
    /// A failure outside any step (the snapshot file could not be written, say).
    pub error: Option<String>,
    /// Wall time.
    #[serde(serialize_with = "millis")]
    pub duration: Duration,
}

impl ScenarioOutcome {
    /// Whether the scenario passed: every step, the snapshot, and nothing else wrong.
    pub fn passed(&self) -> bool {
        self.error.is_none()
            && self.steps.iter().all(|s| s.status == StepStatus::Passed)
            && self.snapshot.as_ref().is_none_or(SnapshotResult::is_ok)
    }

    /// The first failed step, if any.
    pub fn failed_step(&self) -> Option<&StepOutcome> {
        self.steps.iter().find(|s| s.status == StepStatus::Failed)
    }

    /// A plain-text account of why the scenario failed (empty when it passed),
    /// for test harness output and JUnit reports.
    pub fn failure_text(&self) -> String {
        crate::report::failure_text(self)
    }
}
