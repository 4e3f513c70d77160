//! The console: a line per scenario as it finishes, then each failure in full (step,
//! request sent, expectation, answer, snapshot diff), then a summary line.
//!
//! Text is written with ANSI styles; `anstream` strips them when the output is not a
//! terminal or `NO_COLOR` is set, and `failure_text` strips them for plain reports.

use std::fmt::Write as _;
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use crate::mask::Masked;
use crate::run::{Failure, FailureKind, ScenarioOutcome, StepStatus};
use crate::snapshot::SnapshotResult;

const RED: Style = AnsiColor::Red.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();
/// Lines of an answer body shown in a failure; the rest is elided.
const BODY_LINES: usize = 40;

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

/// The one-line result of a scenario, printed as it finishes.
pub fn progress_line(outcome: &ScenarioOutcome) -> String {
    let verdict = if outcome.passed() {
        paint(GREEN, "PASS")
    } else if outcome.xfailed() {
        paint(YELLOW, "XFAIL")
    } else if outcome.unreachable().is_some() {
        paint(RED, "ERROR")
    } else if outcome.cut_off() {
        paint(YELLOW, "STOP")
    } else {
        paint(RED, "FAIL")
    };
    let note = match &outcome.snapshot {
        Some(SnapshotResult::Written(p)) => {
            format!(
                " {}",
                paint(YELLOW, &format!("(new snapshot {})", p.display()))
            )
        }
        Some(SnapshotResult::Updated(p)) => {
            format!(
                " {}",
                paint(YELLOW, &format!("(snapshot updated {})", p.display()))
            )
        }
        _ => String::new(),
    };
    let note = match outcome.xfail.as_ref().filter(|_| outcome.xfailed()) {
        Some(reason) => format!(
            "{note} {}",
            paint(DIM, &format!("(xfail: {})", reason.as_str()))
        ),
        None => note,
    };
    format!(
        "  {verdict} {} {}{note}",
        outcome.id,
        paint(DIM, &format!("({})", millis(outcome.duration)))
    )
}

/// Indents every line of `text` by `pad`.
fn indent(text: &str, pad: &str) -> String {
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A unified diff with additions green, removals red, hunk headers cyan.
pub fn colour_diff(diff: &str) -> String {
    diff.lines()
        .map(|line| {
            if line.starts_with("+++") || line.starts_with("---") {
                paint(BOLD, line)
            } else if line.starts_with('+') {
                paint(GREEN, line)
            } else if line.starts_with('-') {
                paint(RED, line)
            } else if line.starts_with("@@") {
                paint(AnsiColor::Cyan.on_default(), line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A changed line's words that changed: underlined and bold, in the line's colour.
fn emphasis(line: Style) -> Style {
    line.bold().underline()
}

/// The unified diff of `old` → `new` (as [`crate::snapshot::store::diff`] gives it, and
/// styled as [`colour_diff`] styles one), with the words that changed inside a changed
/// line emphasized, so what moved in a long line shows at a glance.
pub fn word_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    use similar::ChangeTag;
    let removed = AnsiColor::Red.on_default();
    let added = AnsiColor::Green.on_default();
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(BOLD, &format!("--- {old_name}")));
    let _ = writeln!(out, "{}", paint(BOLD, &format!("+++ {new_name}")));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let header = hunk.header().to_string();
        let _ = writeln!(out, "{}", paint(AnsiColor::Cyan.on_default(), &header));
        for op in hunk.ops() {
            for change in diff.iter_inline_changes(op) {
                let (sign, style) = match change.tag() {
                    ChangeTag::Delete => ("-", removed),
                    ChangeTag::Insert => ("+", added),
                    ChangeTag::Equal => (" ", Style::new()),
                };
                out.push_str(&paint(style, sign));
                for (emphasized, text) in change.iter_strings_lossy() {
                    let text = text.trim_end_matches(['\n', '\r']);
                    let style = if emphasized { emphasis(style) } else { style };
                    out.push_str(&paint(style, text));
                }
                out.push('\n');
            }
        }
    }
    out
}

fn body_yaml(body: &serde_json::Value) -> String {
    let text = serde_yaml::to_string(body).unwrap_or_else(|_| body.to_string());
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= BODY_LINES {
        return text.trim_end().to_string();
    }
    format!(
        "{}\n… ({} more lines)",
        lines[..BODY_LINES].join("\n"),
        lines.len() - BODY_LINES
    )
}

/// A webhook a step took: `label #seq url` at `margin`, its headers when asked for,
/// then its body two columns further in (`--verbose` and the failure block alike).
fn write_webhook(
    out: &mut String,
    webhook: &crate::run::outcome::WebhookRecord,
    margin: &str,
    label: &str,
    headers: bool,
) {
    let _ = writeln!(
        out,
        "{margin}{} #{} {}",
        paint(BOLD, label),
        webhook.seq,
        webhook.url
    );
    if headers {
        write_headers(out, &webhook.headers);
    }
    if !webhook.body.is_null() {
        let body_margin = format!("{margin}  ");
        let _ = writeln!(out, "{}", indent(&body_yaml(&webhook.body), &body_margin));
    }
}

fn write_headers(out: &mut String, headers: &crate::mask::HeaderList) {
    for (name, value) in &headers.0 {
        let _ = writeln!(out, "    {}", paint(DIM, &format!("{name}: {value}")));
    }
}

/// Where a failure points: `--> file:line:col`, the line, a caret under the column,
/// and where its fixture was used.
fn pointer(outcome: &ScenarioOutcome, failure: &Failure) -> String {
    paint(DIM, &failure.pointer(&outcome.file))
}

/// One failure: a `✗` line (more for a webhook list or a snapshot), then where it is.
fn write_failure(out: &mut String, outcome: &ScenarioOutcome, failure: &Masked<Failure>) {
    match &failure.kind {
        FailureKind::SnapshotDiffers {
            path,
            pending,
            diff,
        } => {
            let _ = writeln!(
                out,
                "  {} {} differs; the new version is in {}\n  accept or reject it with `gatecheck review`, or rerun with `--snapshots update`",
                paint(RED, "snapshot"),
                path.display(),
                pending.display()
            );
            let _ = writeln!(out, "{}", indent(&pointer(outcome, failure), "  "));
            let _ = writeln!(out, "{}", indent(&colour_diff(diff), "    "));
        }
        FailureKind::SnapshotMissing { path, content } => {
            let _ = writeln!(
                out,
                "  {} {} is missing, and CI does not write snapshots: run the suite locally (or with `--snapshots new`) and commit the file. It would contain:",
                paint(RED, "snapshot"),
                path.display()
            );
            let _ = writeln!(out, "{}", indent(content, "    "));
            let _ = writeln!(out, "{}", indent(&pointer(outcome, failure), "  "));
        }
        kind => {
            let text = kind.to_string();
            let mut lines = text.lines();
            let first = lines.next().unwrap_or_default();
            let _ = writeln!(out, "    {} {first}", paint(RED, "✗"));
            for line in lines {
                let _ = writeln!(out, "      {line}");
            }
            let _ = writeln!(out, "{}", indent(&pointer(outcome, failure), "    "));
        }
    }
}

/// The request line, headers and body, as sent (masked).
fn write_request(out: &mut String, request: &crate::run::outcome::RequestRecord) {
    let _ = writeln!(out, "    {} {}", request.method, request.url);
    write_headers(out, &request.headers);
    if let Some(body) = &request.body {
        let _ = writeln!(out, "{}", indent(body, "    "));
    }
}

/// Every step of a scenario, passed or not: the request sent and the answer, masked
/// like everything else (`--verbose`).
pub fn verbose_block(outcome: &ScenarioOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", paint(DIM, "──"), paint(BOLD, &outcome.id));
    for step in &outcome.steps {
        let _ = writeln!(
            out,
            "  step {} {:?} {}",
            step.index + 1,
            &*step.name,
            paint(DIM, &format!("{:?}", step.status).to_lowercase())
        );
        if let Some(request) = &step.request {
            write_request(&mut out, request);
        }
        if let Some(response) = &step.response {
            let _ = writeln!(
                out,
                "    {} {} {}",
                paint(BOLD, "→"),
                response.status,
                paint(DIM, &format!("({})", millis(response.elapsed)))
            );
            if !response.body.is_null() {
                let _ = writeln!(out, "{}", indent(&body_yaml(&response.body), "      "));
            }
        }
        if let Some(webhook) = &step.webhook {
            write_webhook(&mut out, webhook, "    ", "webhook", false);
        }
    }
    out
}

/// The full account of a failed scenario, styled.
pub fn failure_block(outcome: &ScenarioOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(RED, "──"),
        paint(BOLD, &outcome.id),
        paint(
            DIM,
            &format!("{} · target {}", outcome.file.display(), outcome.target)
        )
    );
    let _ = writeln!(out, "  {}", outcome.name);
    let (snapshots, others): (Vec<&Masked<Failure>>, Vec<&Masked<Failure>>) =
        outcome.failures.iter().partition(|f| {
            matches!(
                f.kind,
                FailureKind::SnapshotDiffers { .. } | FailureKind::SnapshotMissing { .. }
            )
        });
    for failure in others {
        let _ = writeln!(out, "  {} {}", paint(RED, "error:"), failure.kind);
        let _ = writeln!(out, "{}", indent(&pointer(outcome, failure), "  "));
    }
    if let Some(step) = outcome.failed_step() {
        let file = step.origin.file(&outcome.file);
        let at = format!(" ({}:{})", file.display(), step.at.line);
        let _ = writeln!(
            out,
            "  step {} {:?}{}",
            step.index + 1,
            step.name.as_str(),
            paint(DIM, &at)
        );
        for failure in &step.failures {
            write_failure(&mut out, outcome, failure);
        }
        if let Some(request) = &step.request {
            let sent = if step.attempts > 1 {
                format!("request sent ({} tries):", step.attempts)
            } else {
                "request sent:".to_string()
            };
            let _ = writeln!(out, "  {}", paint(BOLD, &sent));
            write_request(&mut out, request);
        }
        if let Some(response) = &step.response {
            let _ = writeln!(
                out,
                "  {} {} {}",
                paint(BOLD, "answer:"),
                response.status,
                paint(DIM, &format!("({})", millis(response.elapsed)))
            );
            if let Some(ct) = crate::wire::headers::find(&response.headers.0, "content-type") {
                let _ = writeln!(out, "    {}", paint(DIM, &format!("content-type: {ct}")));
            }
            if !response.body.is_null() {
                let _ = writeln!(out, "{}", indent(&body_yaml(&response.body), "    "));
            }
        }
        if let Some(webhook) = &step.webhook {
            write_webhook(&mut out, webhook, "  ", "webhook taken:", true);
        }
        let skipped = outcome
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Skipped)
            .count();
        if skipped > 0 {
            let _ = writeln!(
                out,
                "  {}",
                paint(DIM, &format!("({skipped} later step(s) not run)"))
            );
        }
    }
    for failure in snapshots {
        write_failure(&mut out, outcome, failure);
    }
    out
}

/// The summary; its last line is `N passed, N failed, N skipped` as CI systems read
/// it, then `, N xfailed` when scenarios failed as their `xfail:` expects (as pytest
/// says it). Scenarios that could not reach their target count as failed and are named
/// as errors on the line above.
pub fn summary(outcomes: &[ScenarioOutcome], skipped: usize, elapsed: Duration) -> String {
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let failed = outcomes.iter().filter(|o| o.failed()).count();
    // A scenario the run was stopped in is not finished: counted with the skipped.
    let skipped = skipped + outcomes.iter().filter(|o| o.cut_off()).count();
    let xfailed = match outcomes.iter().filter(|o| o.xfailed()).count() {
        0 => String::new(),
        n => format!(", {n} xfailed"),
    };
    let errored = outcomes
        .iter()
        .filter(|o| o.unreachable().is_some())
        .count();
    let verdict = if failed == 0 {
        paint(GREEN, "ok")
    } else {
        paint(RED, "FAILED")
    };
    let errors = if errored > 0 {
        format!("\n{errored} errored: the target could not be reached (see above)")
    } else {
        String::new()
    };
    format!(
        "gatecheck result: {verdict}. {} scenario(s) in {:.2}s{errors}\n{passed} passed, {failed} failed, {skipped} skipped{xfailed}",
        outcomes.len(),
        elapsed.as_secs_f64()
    )
}

/// The scenarios that failed as their `xfail:` expects, each with its reason (their
/// failures are not shown: they are the expected outcome; `--verbose` shows the steps).
pub fn xfailed_list(outcomes: &[ScenarioOutcome]) -> Option<String> {
    let lines: Vec<String> = outcomes
        .iter()
        .filter(|o| o.xfailed())
        .map(|o| {
            let reason = o.xfail.as_ref().map_or("", |r| r.as_str());
            format!("  {} {}: {reason}", paint(YELLOW, "XFAIL"), o.id)
        })
        .collect();
    (!lines.is_empty()).then(|| format!("expected failures (xfail):\n{}", lines.join("\n")))
}

/// Said once, above the failures, when the target could not be reached: which
/// scenarios could not run, and why, instead of the same block for each of them.
pub fn unreachable_notice(outcomes: &[ScenarioOutcome], target: &str) -> Option<String> {
    let why = outcomes.iter().find_map(ScenarioOutcome::unreachable)?;
    let count = outcomes
        .iter()
        .filter(|o| o.unreachable().is_some())
        .count();
    Some(format!(
        "{} target `{target}` is unreachable: {why}\n  {count} scenario(s) could not run; check the target's base_url, that it is up, and the network",
        paint(RED, "error:")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "scenario: x\nsteps:\n  create:\n    message: The request was rejected because the customer was not found\n    status: 404\n";
    const NEW: &str = "scenario: x\nsteps:\n  create:\n    message: The request was refused because the customer was not found\n    status: 404\n";

    #[test]
    fn word_diff_emphasizes_only_the_words_that_changed() {
        let text = word_diff(OLD, NEW, "stored", "pending");
        let removed = emphasis(AnsiColor::Red.on_default());
        let added = emphasis(AnsiColor::Green.on_default());
        assert!(text.contains(&paint(removed, "rejected")), "{text:?}");
        assert!(text.contains(&paint(added, "refused")), "{text:?}");
        // The rest of the changed line is in the line's colour, not emphasized.
        assert!(!text.contains(&paint(removed, "customer")), "{text:?}");
        assert!(
            text.contains(&paint(
                AnsiColor::Red.on_default(),
                " because the customer was not found"
            )),
            "{text:?}"
        );
    }

    #[test]
    fn word_diff_without_styles_is_the_plain_unified_diff() {
        let text = word_diff(OLD, NEW, "stored", "pending");
        let plain = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(
            plain,
            crate::snapshot::store::diff(OLD, NEW, "stored", "pending")
        );
    }
}
