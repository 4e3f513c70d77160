//! JUnit XML, which CI systems (GitLab, Jenkins, GitHub test reporters) read.

use std::path::Path;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::run::{ScenarioOutcome, SkippedScenario};

/// Renders outcomes as a JUnit report: one suite per target, one case per scenario,
/// the failure's full plain-text account as its description.
pub fn render(
    meta: &super::RunMeta,
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
) -> Result<String, String> {
    let mut report = Report::new("gatecheck");
    report.set_time(meta.elapsed);
    let started = chrono::DateTime::<chrono::Utc>::from(meta.started).fixed_offset();
    report.set_timestamp(started);
    let mut targets: Vec<&str> = outcomes
        .iter()
        .map(|o| o.target.as_str())
        .chain(skipped.iter().map(|s| s.target.as_str()))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    for target in targets {
        let mut suite = TestSuite::new(target);
        suite.set_timestamp(started);
        for outcome in outcomes.iter().filter(|o| o.target == target) {
            let status = if outcome.passed() {
                TestCaseStatus::success()
            } else if outcome.cut_off() {
                let mut status = TestCaseStatus::skipped();
                status.set_message("the run was stopped before this scenario's end");
                status
            } else {
                // A target that cannot be reached is an error of the run, not a
                // failure of the scenario.
                let kind = if outcome.unreachable().is_some() {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut status = TestCaseStatus::non_success(kind);
                let text = super::failure_text(outcome);
                let first = text
                    .lines()
                    .find(|l| {
                        l.trim_start().starts_with('✗')
                            || l.contains("error:")
                            || l.contains("snapshot")
                    })
                    .unwrap_or("failed")
                    .trim()
                    .to_string();
                status.set_message(first).set_description(text);
                status
            };
            let mut case = TestCase::new(outcome.id.clone(), status);
            case.set_classname(outcome.file.display().to_string())
                .set_time(outcome.duration);
            // Where CI annotators point: the failed expectation, else the scenario.
            // A failure in a fixture is annotated in the fixture's file.
            case.extra.insert(
                "file".into(),
                outcome.first_failure_file().display().to_string().into(),
            );
            if let Some(at) = outcome.first_failure_at() {
                case.extra.insert("line".into(), at.line.to_string().into());
            }
            suite.add_test_case(case);
        }
        for skip in skipped.iter().filter(|s| s.target == target) {
            let mut status = TestCaseStatus::skipped();
            status.set_message(skip.reason.clone());
            let mut case = TestCase::new(skip.id.clone(), status);
            case.set_classname(skip.file.display().to_string());
            case.extra
                .insert("file".into(), skip.file.display().to_string().into());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .map_err(|e| format!("cannot render the JUnit report: {e}"))
}

/// Writes the JUnit report to `path`.
pub fn write(
    path: &Path,
    meta: &super::RunMeta,
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
) -> Result<(), String> {
    let text = render(meta, outcomes, skipped)?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
