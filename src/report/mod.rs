//! Reports: the console, JUnit XML, JSON and an HTML page. Everything they show has
//! already been masked by the runner.

pub mod console;
pub mod diff;
pub mod html;
pub mod junit;
pub mod progress;

use std::path::Path;

use crate::run::{ScenarioOutcome, SkippedScenario};

/// Why a scenario failed, as plain text (no colour), for test output and reports.
pub fn failure_text(outcome: &ScenarioOutcome) -> String {
    anstream::adapter::strip_str(&console::failure_block(outcome)).to_string()
}

/// What a report says about the run as a whole.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// The target's name.
    pub target: String,
    /// When the run started.
    pub started: std::time::SystemTime,
    /// How long it took.
    pub elapsed: std::time::Duration,
}

impl RunMeta {
    /// The start as RFC 3339 UTC (`2026-12-02T06:30:00.123Z`).
    pub fn started_rfc3339(&self) -> String {
        chrono::DateTime::<chrono::Utc>::from(self.started)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

/// Writes the run as JSON to `path`: who ran what when (`gatecheck` version, target,
/// `started_at`, `duration_ms`, `totals`), then every scenario (steps with their
/// requests, answers and times, and failures), skipped ones included.
pub fn write_json(
    path: &Path,
    meta: &RunMeta,
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
) -> Result<(), String> {
    let mut rows: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let mut row = serde_json::to_value(o).unwrap_or_default();
            if let Some(map) = row.as_object_mut() {
                map.insert("passed".into(), o.passed().into());
                if !o.passed() {
                    map.insert("failure".into(), failure_text(o).into());
                }
            }
            row
        })
        .collect();
    for skip in skipped {
        let mut row = serde_json::to_value(skip).unwrap_or_default();
        if let Some(map) = row.as_object_mut() {
            map.insert("skipped".into(), true.into());
            map.insert("passed".into(), false.into());
        }
        rows.push(row);
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let document = serde_json::json!({
        "gatecheck": env!("CARGO_PKG_VERSION"),
        "target": meta.target,
        "started_at": meta.started_rfc3339(),
        "duration_ms": meta.elapsed.as_millis(),
        "totals": {
            "passed": passed,
            "failed": outcomes.len() - passed,
            "errored": outcomes.iter().filter(|o| o.unreachable().is_some()).count(),
            "skipped": skipped.len(),
        },
        "scenarios": rows,
    });
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| format!("cannot render the JSON report: {e}"))?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
