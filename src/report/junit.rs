//! JUnit XML, which CI systems (GitLab, Jenkins, GitHub test reporters) read.

use std::io::Write as _;
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
    let mut report = new_report(meta);
    let mut targets: Vec<&str> = outcomes
        .iter()
        .map(|o| o.target.as_str())
        .chain(skipped.iter().map(|s| s.target.as_str()))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    for target in targets {
        let mut suite = new_suite(meta, target);
        for outcome in outcomes.iter().filter(|o| o.target == target) {
            suite.add_test_case(case_of(outcome));
        }
        for skip in skipped.iter().filter(|s| s.target == target) {
            suite.add_test_case(skipped_case(skip));
        }
        report.add_test_suite(suite);
    }
    to_text(&report)
}

fn new_report(meta: &super::RunMeta) -> Report {
    let mut report = Report::new("gatecheck");
    report.set_time(meta.elapsed);
    report.set_timestamp(started(meta));
    report
}

fn new_suite(meta: &super::RunMeta, target: &str) -> TestSuite {
    let mut suite = TestSuite::new(target);
    suite.set_timestamp(started(meta));
    suite
}

fn started(meta: &super::RunMeta) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::<chrono::Utc>::from(meta.started).fixed_offset()
}

fn to_text(report: &Report) -> Result<String, String> {
    report
        .to_string()
        .map_err(|e| format!("cannot render the JUnit report: {e}"))
}

/// A scenario's test case.
fn case_of(outcome: &ScenarioOutcome) -> TestCase {
    let status = if outcome.passed() {
        TestCaseStatus::success()
    } else if outcome.xfailed() {
        // As pytest writes an xfail: skipped, with the reason, so CI shows it apart
        // from both passes and failures; what failed is in the description.
        let mut status = TestCaseStatus::skipped();
        let reason = outcome.xfail.as_ref().map_or("", |r| r.as_str());
        status
            .set_type("xfail")
            .set_message(format!("xfail: {reason}"))
            .set_description(super::failure_text(outcome));
        status
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
                l.trim_start().starts_with('✗') || l.contains("error:") || l.contains("snapshot")
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
    case
}

/// A scenario not run, as a skipped test case.
fn skipped_case(skip: &SkippedScenario) -> TestCase {
    let mut status = TestCaseStatus::skipped();
    status.set_message(skip.reason.clone());
    let mut case = TestCase::new(skip.id.clone(), status);
    case.set_classname(skip.file.display().to_string());
    case.extra
        .insert("file".into(), skip.file.display().to_string().into());
    case
}

/// The name of the placeholder case whose line the streamed cases replace.
const SPLICE: &str = "gatecheck-streamed-cases";
/// How a case of a suite starts in quick-junit's text (its indentation).
const CASE_START: &str = "\n        <testcase";
/// How a suite ends in quick-junit's text.
const SUITE_END: &str = "\n    </testsuite>";

/// A JUnit report of one target's run written as scenarios finish: each test case is
/// rendered (by quick-junit, so the text is what [`render`] gives) when its scenario
/// finishes and put in a side file; [`JunitStream::finish`] writes the report with
/// its totals and copies the cases in, in the order of the trials. Nothing of a
/// finished scenario stays in memory.
#[derive(Debug)]
pub struct JunitStream {
    spool: super::Spool,
    path: std::path::PathBuf,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl JunitStream {
    /// Starts the report to be written to `path`.
    pub fn create(path: &Path) -> Result<JunitStream, String> {
        Ok(JunitStream {
            spool: super::Spool::create(path)?,
            path: path.to_path_buf(),
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
        })
    }

    /// Adds the case of the scenario run as trial `index`.
    pub fn add(&mut self, index: usize, outcome: &ScenarioOutcome) -> Result<(), String> {
        let case = case_of(outcome);
        self.count(&case.status);
        // One case in an otherwise empty report: its lines are the case's text.
        let mut report = Report::new("gatecheck");
        let mut suite = TestSuite::new("x");
        suite.add_test_case(case);
        report.add_test_suite(suite);
        let text = to_text(&report)?;
        let start = text.find(CASE_START).map_or(0, |i| i + 1);
        let end = text.rfind(SUITE_END).unwrap_or(text.len()).max(start);
        self.spool.add(index, &text.as_bytes()[start..end])
    }

    fn count(&mut self, status: &TestCaseStatus) {
        self.tests += 1;
        match status {
            TestCaseStatus::Success { .. } => {}
            TestCaseStatus::NonSuccess { kind, .. } => match kind {
                NonSuccessKind::Failure => self.failures += 1,
                NonSuccessKind::Error => self.errors += 1,
            },
            TestCaseStatus::Skipped { .. } => self.skipped += 1,
        }
    }

    /// Writes the report: the run's totals, the cases added, then `skipped`.
    pub fn finish(
        mut self,
        meta: &super::RunMeta,
        skipped: &[SkippedScenario],
    ) -> Result<(), String> {
        if self.tests == 0 {
            return write_text(&self.path, &render(meta, &[], skipped)?);
        }
        let cases: Vec<TestCase> = skipped.iter().map(skipped_case).collect();
        for case in &cases {
            self.count(&case.status);
        }
        // The report with one placeholder case and the real totals: everything but
        // the cases, as quick-junit writes it.
        let mut report = new_report(meta);
        let mut suite = new_suite(meta, &meta.target);
        suite.add_test_case(TestCase::new(SPLICE, TestCaseStatus::success()));
        suite.add_test_cases(cases);
        suite.tests = self.tests;
        suite.failures = self.failures;
        suite.errors = self.errors;
        suite.skipped = self.skipped;
        report.add_test_suite(suite);
        let text = to_text(&report)?;
        let marker = format!("{CASE_START} name=\"{SPLICE}\"");
        let Some(at) = text.find(&marker).map(|i| i + 1) else {
            return Err("cannot render the JUnit report: no place for its cases".into());
        };
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let path = self.path.clone();
        let mut write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
            out.write_all(&text.as_bytes()[..at])?;
            self.spool.copy_into(&mut out, b"\n")?;
            out.write_all(&text.as_bytes()[line_end..])?;
            out.flush()
        };
        write().map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

fn write_text(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes the JUnit report to `path`.
pub fn write(
    path: &Path,
    meta: &super::RunMeta,
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
) -> Result<(), String> {
    let mut stream = JunitStream::create(path)?;
    for (index, outcome) in outcomes.iter().enumerate() {
        stream.add(index, outcome)?;
    }
    stream.finish(meta, skipped)
}
