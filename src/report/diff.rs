//! How a comparison of two targets is shown: a line per scenario as it is compared,
//! each divergence with its step, place and both values, the parity figures, and the
//! reports CI systems read (JUnit, JSON).

use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::diff::{DiffResult, ScenarioComparison, Verdict};
use crate::spec::matcher::show;

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn verdict_word(verdict: Verdict) -> (&'static str, Style) {
    match verdict {
        Verdict::Same => ("same", GREEN),
        Verdict::Diverges => ("DIVERGES", RED),
        Verdict::Known => ("known", YELLOW),
        Verdict::FailsOnA => ("FAILS ON A", RED),
        Verdict::FailsOnB => ("FAILS ON B", RED),
        Verdict::Skipped => ("skipped", DIM),
    }
}

/// The one-line verdict of a scenario, printed as it is compared.
pub fn progress_line(c: &ScenarioComparison) -> String {
    let (word, style) = verdict_word(c.verdict);
    let why = c
        .reason
        .as_deref()
        .map(|r| paint(DIM, &format!(" ({r})")))
        .unwrap_or_default();
    format!("  {} {}{why}", paint(style, &format!("{word:<10}")), c.id)
}

fn value(v: Option<&serde_json::Value>) -> String {
    v.map_or_else(|| "(absent)".to_string(), show)
}

/// The account of one scenario that is not the same on both targets.
pub fn detail_block(c: &ScenarioComparison, a: &str, b: &str) -> String {
    let mut out = String::new();
    let (word, style) = verdict_word(c.verdict);
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(style, "──"),
        paint(BOLD, &c.id),
        paint(DIM, &format!("{} · {word}", c.file.display()))
    );
    let _ = writeln!(out, "  {}", c.name);
    for (target, run) in [(a, &c.a), (b, &c.b)] {
        if let Some(run) = run
            && !run.passed()
        {
            let _ = writeln!(
                out,
                "  {} on `{target}`:",
                paint(RED, "its own expectations failed")
            );
            for failure in run.all_failures() {
                let _ = writeln!(
                    out,
                    "    {} {} {}",
                    paint(RED, "✗"),
                    failure.kind.to_string().lines().next().unwrap_or_default(),
                    paint(
                        DIM,
                        &format!(
                            "({}:{})",
                            failure.origin.file(&c.file).display(),
                            failure.at
                        )
                    )
                );
            }
        }
    }
    for step in c.steps.iter().filter(|s| !s.divergences.is_empty()) {
        let _ = writeln!(
            out,
            "  step {} {:?} {} {}",
            step.index + 1,
            step.name,
            paint(
                DIM,
                &format!("({}:{})", step.origin.file(&c.file).display(), step.at.line)
            ),
            paint(DIM, &step.endpoint)
        );
        for d in &step.divergences {
            let tag = match &d.known {
                None => paint(RED, "new  "),
                Some(k) => paint(
                    YELLOW,
                    &format!("{:<5}", format!("{:?}", k.class).to_lowercase()),
                ),
            };
            let _ = writeln!(
                out,
                "    {tag} {}: {a} {} · {b} {}",
                d.path,
                value(d.a.as_ref()),
                value(d.b.as_ref())
            );
            if let Some(k) = &d.known {
                let _ = writeln!(out, "          {}", paint(DIM, &k.reason));
            }
        }
        if !step.noise.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    DIM,
                    &format!(
                        "noise (differs between runs on {a}): {}",
                        step.noise.join(", ")
                    )
                )
            );
        }
    }
    out
}

/// The parity figures and the verdict counts; the last line is `N same, N diverge, …`.
pub fn summary(result: &DiffResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "parity ({} vs {}):", result.a, result.b);
    for (api, score) in &result.parity.apis {
        let _ = writeln!(
            out,
            "  {api:<12} {:>5.1}% ({}/{} steps the same)",
            score.percent(),
            score.same,
            score.compared
        );
        for (endpoint, score) in result.parity.endpoints.get(api).into_iter().flatten() {
            let _ = writeln!(
                out,
                "    {:>5.1}% ({}/{}) {endpoint}",
                score.percent(),
                score.same,
                score.compared
            );
        }
    }
    let count = |v: Verdict| result.count(v);
    let new = result.new_divergences();
    let _ = write!(
        out,
        "\n{} same, {} diverge ({new} new difference(s)), {} known, {} fail on A, {} fail on B, {} skipped",
        count(Verdict::Same),
        count(Verdict::Diverges),
        count(Verdict::Known),
        count(Verdict::FailsOnA),
        count(Verdict::FailsOnB),
        count(Verdict::Skipped)
    );
    out
}

/// A JUnit report: one case per scenario; a divergence or a failure on a target is a
/// failure listing the paths, a skipped scenario is skipped.
pub fn junit(result: &DiffResult) -> Result<String, String> {
    let mut report = Report::new("gatecheck diff");
    let mut suite = TestSuite::new(format!("{}..{}", result.a, result.b));
    for c in &result.comparisons {
        let status = match c.verdict {
            Verdict::Same | Verdict::Known => TestCaseStatus::success(),
            Verdict::Skipped => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(c.reason.clone().unwrap_or_default());
                s
            }
            _ => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let text = anstream::adapter::strip_str(&detail_block(c, &result.a, &result.b))
                    .to_string();
                s.set_message(verdict_word(c.verdict).0)
                    .set_description(text);
                s
            }
        };
        let mut case = TestCase::new(c.id.clone(), status);
        case.set_classname(c.file.display().to_string());
        let diverging = c
            .steps
            .iter()
            .find(|s| s.divergences.iter().any(|d| d.known.is_none()));
        // A step of a fixture is annotated in the fixture's file.
        let file = diverging.map_or(c.file.as_path(), |s| s.origin.file(&c.file));
        case.extra
            .insert("file".into(), file.display().to_string().into());
        if let Some(step) = diverging {
            case.extra
                .insert("line".into(), step.at.line.to_string().into());
        }
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    report
        .to_string()
        .map_err(|e| format!("cannot render the JUnit report: {e}"))
}

/// Writes `text` to `path`.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The whole result as JSON: every comparison, with both runs, and parity.
pub fn json(result: &DiffResult) -> Result<String, String> {
    serde_json::to_string_pretty(result).map_err(|e| format!("cannot render the JSON report: {e}"))
}
