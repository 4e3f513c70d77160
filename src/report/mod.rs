//! Reports: the console, JUnit XML, JSON and an HTML page. Everything they show has
//! already been masked by the runner.

pub mod console;
pub mod diff;
pub mod html;
pub mod junit;

use std::path::Path;

use crate::run::{ScenarioOutcome, SkippedScenario};

/// Why a scenario failed, as plain text (no colour), for test output and reports.
pub fn failure_text(outcome: &ScenarioOutcome) -> String {
    anstream::adapter::strip_str(&console::failure_block(outcome)).to_string()
}

/// Writes every outcome as JSON (steps, requests, answers, failures) to `path`.
pub fn write_json(
    path: &Path,
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
    let text = serde_json::to_string_pretty(&rows)
        .map_err(|e| format!("cannot render the JSON report: {e}"))?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
