//! Reports: the console, JUnit XML, JSON and an HTML page. Everything they show has
//! already been masked by the runner.

pub mod console;
pub mod diff;
pub mod html;
pub mod junit;
pub mod progress;

use std::io::Write;
use std::path::Path;

use crate::run::{ScenarioOutcome, SkippedScenario};

/// Why a scenario failed, as plain text (no colour), for test output and reports.
pub fn failure_text(outcome: &ScenarioOutcome) -> String {
    anstream::adapter::strip_str(&console::failure_block(outcome)).to_string()
}

/// A scenario's result as a test harness reports it (`cargo test`, through
/// libtest-mimic), which knows only passed, failed and ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestVerdict {
    /// It passed.
    Passed,
    /// Neither a pass nor a failure, and why: it failed as its `xfail:` expects
    /// (`xfail: <reason>`); cargo has no "expected failure", so it is ignored with it.
    Ignored(String),
    /// It failed (an `XPASS` included), with the full plain-text account.
    Failed(String),
}

/// How a test harness reports `outcome`.
pub fn test_verdict(outcome: &ScenarioOutcome) -> TestVerdict {
    if outcome.passed() {
        TestVerdict::Passed
    } else if let Some(reason) = outcome.xfail.as_ref().filter(|_| outcome.xfailed()) {
        TestVerdict::Ignored(format!("xfail: {}", reason.as_str()))
    } else {
        TestVerdict::Failed(failure_text(outcome))
    }
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
/// `started_at`, `duration_ms`, `totals`), then every scenario (its `status`, steps
/// with their requests, answers and times, and failures), skipped ones included.
pub fn write_json(
    path: &Path,
    meta: &RunMeta,
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
) -> Result<(), String> {
    let mut stream = JsonStream::create(path)?;
    for (index, outcome) in outcomes.iter().enumerate() {
        stream.add(index, outcome)?;
    }
    stream.finish(meta, skipped)
}

/// A scenario's row in the JSON report.
fn json_row(outcome: &ScenarioOutcome) -> serde_json::Value {
    let mut row = serde_json::to_value(outcome).unwrap_or_default();
    if let Some(map) = row.as_object_mut() {
        map.insert("status".into(), outcome.status().into());
        map.insert("passed".into(), outcome.passed().into());
        if !outcome.passed() {
            map.insert("failure".into(), failure_text(outcome).into());
        }
    }
    row
}

/// A skipped scenario's row in the JSON report.
fn skipped_row(skip: &SkippedScenario) -> serde_json::Value {
    let mut row = serde_json::to_value(skip).unwrap_or_default();
    if let Some(map) = row.as_object_mut() {
        map.insert("status".into(), "skipped".into());
        map.insert("skipped".into(), true.into());
        map.insert("passed".into(), false.into());
    }
    row
}

/// Where the rows go in the document rendered around them (a string no row renders
/// to: serde_json writes the NUL as `\u0000`).
const ROWS: &str = "\u{0}gatecheck-rows";
/// How a row of `scenarios` is indented in the pretty document.
const ROW_INDENT: &str = "\n    ";

/// The JSON report written as scenarios finish, as [`write_json`] writes it: each
/// scenario's row is rendered when it finishes and put in a side file;
/// [`JsonStream::finish`] writes the document with its totals and copies the rows in,
/// in the order of the trials. Nothing of a finished scenario stays in memory.
#[derive(Debug)]
pub struct JsonStream {
    spool: Spool,
    path: std::path::PathBuf,
    scenarios: usize,
    passed: usize,
    failed: usize,
    errored: usize,
    xfailed: usize,
    /// Scenarios the run was stopped in: not finished, counted with the skipped (as
    /// the console's summary counts them).
    stopped: usize,
}

impl JsonStream {
    /// Starts the report to be written to `path`.
    pub fn create(path: &Path) -> Result<JsonStream, String> {
        Ok(JsonStream {
            spool: Spool::create(path)?,
            path: path.to_path_buf(),
            scenarios: 0,
            passed: 0,
            failed: 0,
            errored: 0,
            xfailed: 0,
            stopped: 0,
        })
    }

    /// Adds the row of the scenario run as trial `index`.
    pub fn add(&mut self, index: usize, outcome: &ScenarioOutcome) -> Result<(), String> {
        self.scenarios += 1;
        self.passed += usize::from(outcome.passed());
        self.failed += usize::from(outcome.failed());
        self.stopped += usize::from(outcome.cut_off());
        self.errored += usize::from(outcome.unreachable().is_some());
        self.xfailed += usize::from(outcome.xfailed());
        let text = row_text(&json_row(outcome))?;
        self.spool.add(index, text.as_bytes())
    }

    /// Writes the document: the run's totals, the rows added, then `skipped`'s.
    pub fn finish(self, meta: &RunMeta, skipped: &[SkippedScenario]) -> Result<(), String> {
        let marker = if self.scenarios + skipped.len() == 0 {
            Vec::new()
        } else {
            vec![serde_json::Value::from(ROWS)]
        };
        let document = serde_json::json!({
            "gatecheck": env!("CARGO_PKG_VERSION"),
            "target": meta.target,
            "started_at": meta.started_rfc3339(),
            "duration_ms": meta.elapsed.as_millis(),
            "totals": {
                "passed": self.passed,
                "failed": self.failed,
                "errored": self.errored,
                "skipped": skipped.len() + self.stopped,
                "xfailed": self.xfailed,
            },
            "scenarios": marker,
        });
        let text = serde_json::to_string_pretty(&document)
            .map_err(|e| format!("cannot render the JSON report: {e}"))?;
        let token = serde_json::to_string(ROWS).unwrap_or_default();
        // The rows are the document's last value: what follows the marker is `]` and `}`.
        let (head, tail) = match text.rfind(&token) {
            Some(at) if !token.is_empty() => (&text[..at], &text[at + token.len()..]),
            _ => (text.as_str(), ""),
        };
        let path = self.path.clone();
        let mut spool = self.spool;
        let has_rows = self.scenarios > 0;
        let mut write = || -> Result<(), String> {
            let io = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
            out.write_all(head.as_bytes()).map_err(io)?;
            let separator = format!(",{ROW_INDENT}");
            spool
                .copy_into(&mut out, separator.as_bytes())
                .map_err(io)?;
            for (i, skip) in skipped.iter().enumerate() {
                if has_rows || i > 0 {
                    out.write_all(separator.as_bytes()).map_err(io)?;
                }
                out.write_all(row_text(&skipped_row(skip))?.as_bytes())
                    .map_err(io)?;
            }
            out.write_all(tail.as_bytes()).map_err(io)?;
            out.flush().map_err(io)
        };
        write()
    }
}

/// A row rendered as it stands in the pretty document: its lines indented under
/// `scenarios` (a JSON string never holds a raw line break, so every one is the
/// layout's).
fn row_text(row: &serde_json::Value) -> Result<String, String> {
    let text = serde_json::to_string_pretty(row)
        .map_err(|e| format!("cannot render the JSON report: {e}"))?;
    Ok(text.replace('\n', ROW_INDENT))
}

/// Pieces of a report kept in a side file (`<report>.partial`) as they come, then
/// copied into the report in the order of their keys: a report of any size is written
/// with the memory of one piece. The side file is removed when the spool is dropped.
#[derive(Debug)]
pub(crate) struct Spool {
    path: std::path::PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    len: u64,
    /// (key, offset, length) of each piece.
    pieces: Vec<(usize, u64, usize)>,
}

impl Spool {
    /// A spool beside `report`.
    pub(crate) fn create(report: &Path) -> Result<Spool, String> {
        let mut name = report.file_name().unwrap_or_default().to_os_string();
        name.push(".partial");
        let path = report.with_file_name(name);
        let file = std::fs::File::create(&path)
            .map_err(|e| format!("cannot write {}: {e}", report.display()))?;
        Ok(Spool {
            path,
            file: std::io::BufWriter::new(file),
            len: 0,
            pieces: Vec::new(),
        })
    }

    /// Keeps `text` as the piece of `key`.
    pub(crate) fn add(&mut self, key: usize, text: &[u8]) -> Result<(), String> {
        self.file
            .write_all(text)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        self.pieces.push((key, self.len, text.len()));
        self.len += text.len() as u64;
        Ok(())
    }

    /// Copies the pieces to `out` in the order of their keys, `separator` between two.
    pub(crate) fn copy_into(
        &mut self,
        out: &mut impl Write,
        separator: &[u8],
    ) -> std::io::Result<()> {
        use std::io::{Read as _, Seek as _};
        self.file.flush()?;
        self.pieces.sort_unstable_by_key(|(key, ..)| *key);
        let mut file = std::fs::File::open(&self.path)?;
        let mut piece = Vec::new();
        for (i, (_, offset, len)) in self.pieces.iter().enumerate() {
            if i > 0 {
                out.write_all(separator)?;
            }
            piece.resize(*len, 0);
            file.seek(std::io::SeekFrom::Start(*offset))?;
            file.read_exact(&mut piece)?;
            out.write_all(&piece)?;
        }
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // A side file left behind would only be clutter: failing to remove it is not
        // worth a message.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::Masker;
    use crate::run::outcome::{ResponseRecord, StepOutcome, StepStatus};
    use crate::run::{Failure, FailureKind};
    use crate::yaml::Span;

    fn outcome(id: &str, failure: Option<FailureKind>) -> ScenarioOutcome {
        let masker = Masker::default();
        let status = if failure.is_some() {
            StepStatus::Failed
        } else {
            StepStatus::Passed
        };
        ScenarioOutcome {
            id: id.into(),
            name: masker.mask(format!("scenario <{id}> & \"quoted\"\nsecond line")),
            file: format!("specs/{id}.yaml").into(),
            target: "t".into(),
            steps: vec![StepOutcome {
                index: 0,
                name: masker.mask("step".to_string()),
                at: Span::new(4, 3),
                origin: crate::run::FixtureOrigin::default(),
                attempts: 1,
                status,
                failures: failure
                    .into_iter()
                    .map(|k| masker.mask(Failure::new(Span::new(7, 9), k)))
                    .collect(),
                request: None,
                response: Some(masker.mask(ResponseRecord {
                    status: 200,
                    headers: crate::mask::HeaderList(vec![("a".into(), "b".into())]),
                    body: serde_json::json!({"x": [1, {"y": "line\nbreak"}], "e": {}}),
                    elapsed: std::time::Duration::from_millis(12),
                })),
                webhook: None,
                observed: None,
            }],
            snapshot: None,
            failures: Vec::new(),
            xfail: None,
            duration: std::time::Duration::from_millis(34),
        }
    }

    fn skipped(id: &str) -> SkippedScenario {
        SkippedScenario {
            id: id.into(),
            name: Masker::default().mask(format!("skipped {id}")),
            file: format!("specs/{id}.yaml").into(),
            target: "t".into(),
            reason: "target `t` does not serve api `x`".into(),
        }
    }

    fn meta() -> RunMeta {
        RunMeta {
            target: "t".into(),
            started: std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000),
            elapsed: std::time::Duration::from_millis(1234),
        }
    }

    fn runs() -> Vec<(Vec<ScenarioOutcome>, Vec<SkippedScenario>)> {
        let outcomes = vec![
            outcome("a", None),
            outcome(
                "b",
                Some(FailureKind::Status {
                    expected: vec![200],
                    got: 500,
                }),
            ),
            outcome(
                "c",
                Some(FailureKind::Unreachable {
                    message: "connection refused".into(),
                }),
            ),
            outcome(
                "d",
                Some(FailureKind::Interrupted {
                    message: "interrupted".into(),
                }),
            ),
            outcome("e", None),
        ];
        vec![
            (Vec::new(), Vec::new()),
            (Vec::new(), vec![skipped("s1"), skipped("s2")]),
            (outcomes[..1].to_vec(), Vec::new()),
            (outcomes.clone(), Vec::new()),
            (outcomes, vec![skipped("s1")]),
        ]
    }

    /// The report as it was written before reports streamed: one document, all rows.
    fn whole_json(outcomes: &[ScenarioOutcome], skipped: &[SkippedScenario]) -> String {
        let rows: Vec<serde_json::Value> = outcomes
            .iter()
            .map(json_row)
            .chain(skipped.iter().map(skipped_row))
            .collect();
        let passed = outcomes.iter().filter(|o| o.passed()).count();
        let m = meta();
        serde_json::to_string_pretty(&serde_json::json!({
            "gatecheck": env!("CARGO_PKG_VERSION"),
            "target": m.target,
            "started_at": m.started_rfc3339(),
            "duration_ms": m.elapsed.as_millis(),
            "totals": {
                "passed": passed,
                "failed": outcomes.iter().filter(|o| o.failed()).count(),
                "errored": outcomes.iter().filter(|o| o.unreachable().is_some()).count(),
                // A scenario the run was stopped in counts with the skipped.
                "skipped": skipped.len() + outcomes.iter().filter(|o| o.cut_off()).count(),
                "xfailed": outcomes.iter().filter(|o| o.xfailed()).count(),
            },
            "scenarios": rows,
        }))
        .unwrap()
    }

    #[test]
    fn a_test_harness_ignores_an_expected_failure_and_fails_an_unexpected_pass() {
        let masker = Masker::default();
        let source = "name: x\napi: a\nxfail: names are lost\n";
        assert_eq!(test_verdict(&outcome("a", None)), TestVerdict::Passed);
        let status = || FailureKind::Status {
            expected: vec![200],
            got: 500,
        };
        let TestVerdict::Failed(text) = test_verdict(&outcome("b", Some(status()))) else {
            panic!("a failure fails");
        };
        assert!(text.contains("status: expected 200, got 500"), "{text}");
        let mut expected = outcome("b", Some(status()));
        expected.expect_failure("names are lost", Span::new(3, 8), source, &masker);
        assert_eq!(
            test_verdict(&expected),
            TestVerdict::Ignored("xfail: names are lost".into())
        );
        let mut xpass = outcome("a", None);
        xpass.expect_failure("names are lost", Span::new(3, 8), source, &masker);
        let TestVerdict::Failed(text) = test_verdict(&xpass) else {
            panic!("an XPASS fails");
        };
        assert!(
            text.contains("XPASS: expected to fail because names are lost, but passed"),
            "{text}"
        );
        assert!(text.contains("specs/a.yaml:3:8"), "{text}");
    }

    #[test]
    fn streamed_reports_are_the_whole_documents_whatever_order_scenarios_finish_in() {
        let dir = tempfile::tempdir().unwrap();
        let (json_path, junit_path) = (dir.path().join("r.json"), dir.path().join("r.xml"));
        for (outcomes, skipped) in runs() {
            let mut json = JsonStream::create(&json_path).unwrap();
            let mut junit = junit::JunitStream::create(&junit_path).unwrap();
            // Finished last to first: the reports still list them in trial order.
            for (index, o) in outcomes.iter().enumerate().rev() {
                json.add(index, o).unwrap();
                junit.add(index, o).unwrap();
            }
            json.finish(&meta(), &skipped).unwrap();
            junit.finish(&meta(), &skipped).unwrap();
            assert_eq!(
                std::fs::read_to_string(&json_path).unwrap(),
                whole_json(&outcomes, &skipped)
            );
            assert_eq!(
                std::fs::read_to_string(&junit_path).unwrap(),
                junit::render(&meta(), &outcomes, &skipped).unwrap()
            );
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(left.len(), 2, "the side files are removed");
        }
    }
}
