//! One self-contained HTML page per run or diff: the figures on top, then a matrix of
//! scenarios (grouped by API and area, from the test id `api::area::name`) against
//! targets, where a click on a row opens its steps.
//!
//! The page has no external assets (its CSS and script are inlined, and its
//! Content-Security-Policy allows nothing else), so it works from a `file://` URL and as
//! a CI artifact. Everything it shows comes from [`Masked`] records, and every text is
//! written through [`escape`]: scenario names, values and paths may hold `<`, `&` or
//! quotes. The policy allows only the page's own script (by its hash), so even a text
//! that escaped escaping could not run.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::diff::flatten::flatten;
use crate::diff::{DiffResult, ScenarioComparison, StepComparison, Verdict};
use crate::mask::{HeaderList, Masked};
use crate::run::outcome::Observation;
use crate::run::{Failure, FailureKind, ScenarioOutcome, SkippedScenario, StepOutcome, StepStatus};
use crate::snapshot::SnapshotResult;
use crate::spec::matcher::show;

const CSS: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

/// Writing to a `String` cannot fail; this says so once instead of at every line.
macro_rules! w {
    ($($arg:tt)*) => {{
        let _ = write!($($arg)*);
    }};
}

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe as element text
/// and inside a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[plain..i])?;
        out.write_str(entity)?;
        plain = i + c.len_utf8();
    }
    out.write_str(&text[plain..])
}

/// Any `Display` value, escaped as it is written (`{}` of `Esc(x)`), so that no
/// `write!` of a text can forget to escape it.
struct Esc<T>(T);

impl<T: fmt::Display> fmt::Display for Esc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Escaping<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                escape_into(self.0, s)
            }
        }
        write!(Escaping(f), "{}", self.0)
    }
}

/// The page around `body`: inline CSS and script, and a policy that loads nothing else.
fn page(title: &str, body: &str) -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'\">\n\
<meta name=\"generator\" content=\"gatecheck {version}\">\n\
<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}\
<footer>gatecheck {version}</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        version = env!("CARGO_PKG_VERSION"),
        title = Esc(title),
    )
}

/// A cell's verdict: its word is its CSS class (`v-<word>`) and the text shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Passed,
    Failed,
    Same,
    Diverges,
    Known,
    Skipped,
    /// Failed as its `xfail:` expects.
    Xfailed,
}

impl Mark {
    fn word(self) -> &'static str {
        match self {
            Mark::Passed => "passed",
            Mark::Failed => "failed",
            Mark::Same => "same",
            Mark::Diverges => "diverges",
            Mark::Known => "known",
            Mark::Skipped => "skipped",
            Mark::Xfailed => "xfailed",
        }
    }

    /// A symbol beside the word, so the verdict reads at a glance without colour.
    fn symbol(self) -> &'static str {
        match self {
            Mark::Passed | Mark::Same => "✓",
            Mark::Failed => "✗",
            Mark::Diverges => "≠",
            Mark::Known => "≈",
            Mark::Skipped => "–",
            Mark::Xfailed => "⊘",
        }
    }
}

/// One cell of the matrix.
struct Cell {
    mark: Mark,
    /// Shown on hover (why a scenario was skipped).
    title: Option<String>,
}

/// One scenario's row, whatever the page.
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    /// The row's verdict, for the filter bar (`same`, `fails_on_a`, `passed`…).
    verdict: &'static str,
    cells: Vec<Cell>,
    /// Already-escaped HTML for the last column.
    note: String,
    /// Already-escaped HTML opened by a click.
    detail: String,
}

/// `api::area::name` → (`api`, `area`, `name`); the area is everything between, and
/// is empty for a file directly under the API's directory.
fn split_id(id: &str) -> (&str, String, &str) {
    let parts: Vec<&str> = id.split("::").collect();
    match parts.as_slice() {
        [] | [_] => ("", String::new(), id),
        [api, leaf] => (api, String::new(), leaf),
        [api, middle @ .., leaf] => (api, middle.join("::"), leaf),
    }
}

/// The matrix: one `tbody` per API, an area header before each area's rows, and after
/// each row its (hidden until clicked) detail row.
fn matrix(out: &mut String, caption: &str, columns: &[String], rows: &[Row<'_>]) {
    let mut groups: BTreeMap<&str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let (api, area, _) = split_id(row.id);
        groups
            .entry(api)
            .or_default()
            .entry(area)
            .or_default()
            .push(i);
    }
    let width = columns.len() + 2;
    w!(
        out,
        "<nav id=\"filters\" aria-label=\"Filter scenarios by verdict\"></nav>\n\
<table class=\"matrix\">\n<caption class=\"muted\">{}</caption>\n<thead><tr><th scope=\"col\">scenario</th>",
        Esc(caption)
    );
    for column in columns {
        w!(out, "<th scope=\"col\">{}</th>", Esc(column));
    }
    w!(out, "<th scope=\"col\">notes</th></tr></thead>\n");
    for (api, areas) in &groups {
        let shown = if api.is_empty() { "(suite root)" } else { api };
        w!(
            out,
            "<tbody data-api=\"{}\">\n<tr class=\"api\"><th colspan=\"{width}\" scope=\"rowgroup\">{}</th></tr>\n",
            Esc(api),
            Esc(shown)
        );
        for (area, members) in areas {
            if !area.is_empty() {
                w!(
                    out,
                    "<tr class=\"area\"><th colspan=\"{width}\" scope=\"rowgroup\">{}</th></tr>\n",
                    Esc(area)
                );
            }
            for &i in members {
                write_row(out, i, &rows[i], width);
            }
        }
        w!(out, "</tbody>\n");
    }
    w!(out, "</table>\n");
}

fn write_row(out: &mut String, i: usize, row: &Row<'_>, width: usize) {
    let (_, _, leaf) = split_id(row.id);
    w!(
        out,
        "<tr class=\"row\" id=\"row-{i}\" data-id=\"{}\" data-verdict=\"{}\" data-detail=\"detail-{i}\">\
<th scope=\"row\"><button type=\"button\" class=\"toggle\" aria-expanded=\"false\" aria-controls=\"detail-{i}\" title=\"{}\">\
<span class=\"leaf\">{}</span><span class=\"name\">{}</span></button></th>",
        Esc(row.id),
        row.verdict,
        Esc(row.id),
        Esc(leaf),
        Esc(row.name)
    );
    for cell in &row.cells {
        let word = cell.mark.word();
        w!(out, "<td class=\"cell v-{word}\" data-cell=\"{word}\"");
        if let Some(title) = &cell.title {
            w!(out, " title=\"{}\"", Esc(title));
        }
        w!(
            out,
            "><span class=\"sym\" aria-hidden=\"true\">{}</span>{word}</td>",
            cell.mark.symbol()
        );
    }
    w!(
        out,
        "<td class=\"note\">{}</td></tr>\n<tr class=\"detail\" id=\"detail-{i}\"><td colspan=\"{width}\">{}</td></tr>\n",
        row.note,
        row.detail
    );
}

/// A count in the summary, in its verdict's colour (faded when none).
fn chip(out: &mut String, verdict: &str, n: usize, label: &str) {
    let zero = if n == 0 { " zero" } else { "" };
    w!(
        out,
        "<span class=\"chip v-{verdict}{zero}\">{n} {}</span> ",
        Esc(label)
    );
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

fn percent(score: &crate::diff::Score) -> String {
    format!("{:.1}%", score.percent())
}

// ---------------------------------------------------------------------------------------
// What a run shows: failures, requests, answers, snapshots.

/// One failure: its message, where it is, and a snapshot's diff or would-be content.
fn write_failure(out: &mut String, file: &Path, failure: &Masked<Failure>) {
    let message = failure.kind.to_string();
    w!(
        out,
        "<div class=\"failure\"><p class=\"msg\"><span aria-hidden=\"true\">✗ </span>{}</p><pre class=\"where\">{}</pre>",
        Esc(&message),
        Esc(failure.pointer(file).trim_start())
    );
    match &failure.kind {
        FailureKind::SnapshotDiffers { diff, .. } => {
            w!(
                out,
                "<p class=\"muted\">accept or reject it with <code>gatecheck review</code>, or rerun with <code>--snapshots update</code></p>"
            );
            write_diff(out, diff);
        }
        FailureKind::SnapshotMissing { content, .. } => {
            w!(
                out,
                "<p class=\"muted\">it would contain:</p><pre>{}</pre>",
                Esc(content)
            );
        }
        _ => {}
    }
    w!(out, "</div>\n");
}

/// A unified diff, a line per span: additions, removals, hunk and file headers marked.
fn write_diff(out: &mut String, diff: &str) {
    w!(out, "<pre class=\"diff\">");
    for line in diff.lines() {
        let class = if line.starts_with("+++") || line.starts_with("---") {
            "head"
        } else if line.starts_with('+') {
            "add"
        } else if line.starts_with('-') {
            "del"
        } else if line.starts_with("@@") {
            "hunk"
        } else {
            ""
        };
        if class.is_empty() {
            w!(out, "{}\n", Esc(line));
        } else {
            w!(out, "<span class=\"{class}\">{}</span>", Esc(line));
        }
    }
    w!(out, "</pre>");
}

fn write_headers(out: &mut String, headers: &HeaderList) {
    if headers.0.is_empty() {
        return;
    }
    w!(out, "<table class=\"kv\">");
    for (name, value) in &headers.0 {
        w!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            Esc(name),
            Esc(value)
        );
    }
    w!(out, "</table>");
}

/// A decoded body as YAML, as the console shows it.
fn write_body(out: &mut String, body: &Value) {
    if body.is_null() {
        return;
    }
    let text = serde_yaml::to_string(body).unwrap_or_else(|_| body.to_string());
    w!(out, "<pre>{}</pre>", Esc(text.trim_end()));
}

/// A step of a run: its failures, then what was sent and what came back (folded away
/// for a step that passed).
fn write_run_step(out: &mut String, file: &Path, step: &StepOutcome) {
    let (class, word) = match step.status {
        StepStatus::Passed => ("passed", "passed"),
        StepStatus::Failed => ("failed", "failed"),
        StepStatus::Skipped => ("skipped", "not run"),
    };
    w!(
        out,
        "<section class=\"step s-{class}\"><h4>step {} · {} <span class=\"tag v-{class}\">{word}</span> <span class=\"muted mono\">{}:{}</span></h4>\n",
        step.index + 1,
        Esc(&step.name),
        Esc(step.origin.file(file).display()),
        step.at.line
    );
    for failure in &step.failures {
        write_failure(out, file, failure);
    }
    if step.request.is_none() && step.response.is_none() && step.webhook.is_none() {
        w!(out, "</section>\n");
        return;
    }
    let open = if step.status == StepStatus::Failed {
        " open"
    } else {
        ""
    };
    w!(
        out,
        "<details{open}><summary>request and answer</summary>\n"
    );
    if let Some(request) = &step.request {
        let tries = if step.attempts > 1 {
            format!(" ({} tries)", step.attempts)
        } else {
            String::new()
        };
        w!(
            out,
            "<h5>request sent{tries}</h5><pre>{} {}</pre>",
            Esc(&request.method),
            Esc(&request.url)
        );
        write_headers(out, &request.headers);
        if let Some(body) = &request.body {
            w!(out, "<pre>{}</pre>", Esc(body));
        }
    }
    if let Some(response) = &step.response {
        w!(
            out,
            "<h5>answer {} <span class=\"muted\">({})</span></h5>",
            response.status,
            millis(response.elapsed)
        );
        write_headers(out, &response.headers);
        write_body(out, &response.body);
    }
    if let Some(webhook) = &step.webhook {
        w!(
            out,
            "<h5>webhook taken: #{} {}</h5>",
            webhook.seq,
            Esc(&webhook.url)
        );
        write_headers(out, &webhook.headers);
        write_body(out, &webhook.body);
    }
    w!(out, "</details></section>\n");
}

/// A scenario's failures outside its steps (a snapshot, a scenario variable, a crash).
fn write_scenario_failures(out: &mut String, outcome: &ScenarioOutcome) {
    for failure in &outcome.failures {
        let what = match failure.kind {
            FailureKind::SnapshotDiffers { .. } | FailureKind::SnapshotMissing { .. } => "snapshot",
            _ => "scenario",
        };
        w!(out, "<section class=\"step s-failed\"><h4>{what}</h4>");
        write_failure(out, &outcome.file, failure);
        w!(out, "</section>\n");
    }
}

fn run_detail(outcome: &ScenarioOutcome) -> String {
    let mut out = String::new();
    w!(
        out,
        "<div class=\"scenario-head\"><code>{}</code> · <span class=\"mono\">{}</span> · target <code>{}</code> · {}",
        Esc(&outcome.id),
        Esc(outcome.file.display()),
        Esc(&outcome.target),
        millis(outcome.duration)
    );
    match &outcome.snapshot {
        Some(SnapshotResult::Written(p)) => {
            w!(out, " · new snapshot <code>{}</code>", Esc(p.display()));
        }
        Some(SnapshotResult::Updated(p)) => {
            w!(out, " · snapshot updated <code>{}</code>", Esc(p.display()));
        }
        _ => {}
    }
    w!(out, "</div>\n");
    for step in &outcome.steps {
        write_run_step(&mut out, &outcome.file, step);
    }
    write_scenario_failures(&mut out, outcome);
    out
}

/// A single target's run: the counts on top, then the pass/fail matrix; a click on a
/// row opens each step with its request, its answer, each failure at its
/// `file:line:col` with the source line, and the snapshot diff when there is one.
pub fn run_page(
    outcomes: &[ScenarioOutcome],
    skipped: &[SkippedScenario],
    target: &str,
    elapsed: Duration,
) -> String {
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let xfailed = outcomes.iter().filter(|o| o.xfailed()).count();
    let failed = outcomes.len() - passed - xfailed;
    let mut body = String::new();
    w!(
        body,
        "<header><h1>gatecheck run on <code>{}</code></h1>\n<p class=\"sub\">{} scenario(s) in {:.2}s</p>\n<p class=\"summary\">",
        Esc(target),
        outcomes.len(),
        elapsed.as_secs_f64()
    );
    chip(&mut body, "passed", passed, "passed");
    chip(&mut body, "failed", failed, "failed");
    chip(&mut body, "skipped", skipped.len(), "skipped");
    if xfailed > 0 {
        chip(&mut body, "xfailed", xfailed, "xfailed");
    }
    w!(body, "</p></header>\n");
    let mut rows: Vec<Row<'_>> = outcomes
        .iter()
        .map(|o| {
            let (mark, title) = if o.passed() {
                (Mark::Passed, None)
            } else if o.xfailed() {
                (
                    Mark::Xfailed,
                    o.xfail.as_ref().map(|r| format!("xfail: {}", r.as_str())),
                )
            } else {
                (Mark::Failed, None)
            };
            let failures = o.all_failures().count();
            let mut note = millis(o.duration);
            if let Some(reason) = o.xfail.as_ref().filter(|_| o.xfailed()) {
                w!(note, " · expected to fail: {}", Esc(reason.as_str()));
            } else if failures > 0 {
                w!(note, " · {failures} failure(s)");
            }
            Row {
                id: &o.id,
                name: &o.name,
                verdict: mark.word(),
                cells: vec![Cell { mark, title }],
                note,
                detail: run_detail(o),
            }
        })
        .collect();
    rows.extend(skipped.iter().map(|s| Row {
        id: &s.id,
        name: &s.name,
        verdict: Mark::Skipped.word(),
        cells: vec![Cell {
            mark: Mark::Skipped,
            title: Some(s.reason.clone()),
        }],
        note: format!("skipped: {}", Esc(&s.reason)),
        detail: format!(
            "<div class=\"scenario-head\"><code>{}</code> · <span class=\"mono\">{}</span> · not run: {}</div>\n",
            Esc(&s.id),
            Esc(s.file.display()),
            Esc(&s.reason)
        ),
    }));
    w!(body, "<h2>Scenarios</h2>\n");
    matrix(
        &mut body,
        "Click a scenario to open its steps.",
        &[target.to_string()],
        &rows,
    );
    page(&format!("gatecheck run · {target}"), &body)
}

// ---------------------------------------------------------------------------------------
// What a diff shows: parity, verdicts, both answers side by side.

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Same => "same",
        Verdict::Diverges => "diverges",
        Verdict::Known => "known",
        Verdict::FailsOnA => "fails_on_a",
        Verdict::FailsOnB => "fails_on_b",
        Verdict::Skipped => "skipped",
    }
}

/// A verdict as the page says it.
fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::FailsOnA => "fails on A",
        Verdict::FailsOnB => "fails on B",
        other => verdict_word(other),
    }
}

/// A target's cell: skipped when it did not run, failed when its own expectations
/// failed, else how its answers compare with the other target's.
fn diff_cell(c: &ScenarioComparison, run: Option<&ScenarioOutcome>) -> Cell {
    let mark = match run {
        None => Mark::Skipped,
        Some(run) if !run.passed() => Mark::Failed,
        Some(_) if c.new_divergences().next().is_some() => Mark::Diverges,
        Some(_) if c.steps.iter().any(|s| !s.divergences.is_empty()) => Mark::Known,
        Some(_) => Mark::Same,
    };
    Cell {
        mark,
        title: c.reason.clone(),
    }
}

/// A step's observation as rows (`status`, `headers.<name>`, then the body's leaves),
/// with the paths a divergence names.
fn observation_rows(o: &Observation) -> Vec<(String, Value)> {
    let mut rows = Vec::new();
    if let Some(status) = o.status {
        rows.push(("status".to_string(), Value::from(status)));
    }
    for (name, value) in &o.headers {
        rows.push((format!("headers.{name}"), Value::String(value.clone())));
    }
    rows.extend(flatten(&o.body));
    rows
}

/// A's and B's rows aligned by path: A's order, with each path only B has placed after
/// the path B has before it, so both answers read top to bottom side by side.
fn align<'a>(
    a: &'a [(String, Value)],
    b: &'a [(String, Value)],
) -> Vec<(&'a str, Option<&'a Value>, Option<&'a Value>)> {
    let in_b: BTreeMap<&str, &Value> = b.iter().map(|(p, v)| (p.as_str(), v)).collect();
    let in_a: BTreeMap<&str, usize> = a
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p.as_str(), i))
        .collect();
    // B-only paths, by the A row they follow (none: before A's first row).
    let mut after: BTreeMap<Option<usize>, Vec<(&str, &Value)>> = BTreeMap::new();
    let mut anchor = None;
    for (path, value) in b {
        match in_a.get(path.as_str()) {
            Some(&i) => anchor = Some(i),
            None => after.entry(anchor).or_default().push((path, value)),
        }
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let b_only = |out: &mut Vec<_>, key| {
        for &(path, value) in after.get(&key).into_iter().flatten() {
            out.push((path, None, Some(value)));
        }
    };
    b_only(&mut out, None);
    for (i, (path, value)) in a.iter().enumerate() {
        out.push((path.as_str(), Some(value), in_b.get(path.as_str()).copied()));
        b_only(&mut out, Some(i));
    }
    out
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_string(), show)
}

fn value_cell(out: &mut String, value: Option<&Value>) {
    match value {
        Some(v) => w!(out, "<td>{}</td>", Esc(show(v))),
        None => w!(out, "<td class=\"absent\">(absent)</td>"),
    }
}

/// How a known difference is described: its class and reason.
fn known_text(k: &crate::diff::KnownDifference) -> String {
    let class = format!("{:?}", k.class).to_lowercase();
    format!("{class}: {}", k.reason)
}

/// One compared step: its divergences (new or known, with why), its noise, and both
/// answers side by side with the differing paths highlighted.
fn write_diff_step(
    out: &mut String,
    c: &ScenarioComparison,
    step: &StepComparison,
    (a, b): (&str, &str),
) {
    let new = step.divergences.iter().any(|d| d.known.is_none());
    let (class, word) = if !step.compared {
        ("skipped", "not compared")
    } else if new {
        ("diverges", "diverges")
    } else if !step.divergences.is_empty() {
        ("known", "known")
    } else {
        ("same", "same")
    };
    w!(
        out,
        "<section class=\"step s-{class}\"><h4>step {} · {} <span class=\"tag v-{class}\">{word}</span> <code>{}</code> <span class=\"muted mono\">{}:{}</span></h4>\n",
        step.index + 1,
        Esc(&step.name),
        Esc(&step.endpoint),
        Esc(step.origin.file(&c.file).display()),
        step.at.line
    );
    let observed = |run: &Option<ScenarioOutcome>| {
        run.as_ref()
            .and_then(|r| r.steps.get(step.index))
            .and_then(|s| s.observed.as_ref())
            .map(|o| observation_rows(o))
    };
    let (rows_a, rows_b) = (observed(&c.a), observed(&c.b));
    if !step.compared {
        let missing: Vec<&str> = [(a, &rows_a), (b, &rows_b)]
            .into_iter()
            .filter(|(_, rows)| rows.is_none())
            .map(|(t, _)| t)
            .collect();
        w!(
            out,
            "<p class=\"muted\">not compared: no answer from {}</p></section>\n",
            Esc(missing.join(" and "))
        );
        return;
    }
    if !step.divergences.is_empty() {
        w!(
            out,
            "<table class=\"divergences\"><caption class=\"muted\">differences</caption><colgroup><col class=\"path\"><col><col><col class=\"what\"></colgroup>\
<thead><tr><th scope=\"col\">path</th><th scope=\"col\">A · {}</th><th scope=\"col\">B · {}</th><th scope=\"col\">what</th></tr></thead><tbody>",
            Esc(a),
            Esc(b)
        );
        for d in &step.divergences {
            let (class, what) = match &d.known {
                None => ("d-new", "new".to_string()),
                Some(k) => ("d-known", known_text(k)),
            };
            w!(
                out,
                "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"what\">{}</td></tr>",
                Esc(&d.path),
                Esc(shown(d.a.as_ref())),
                Esc(shown(d.b.as_ref())),
                Esc(what)
            );
        }
        w!(out, "</tbody></table>\n");
    }
    if !step.noise.is_empty() {
        w!(
            out,
            "<p class=\"muted\">noise (differs between runs on {}): <code>{}</code></p>\n",
            Esc(a),
            Esc(step.noise.join(", "))
        );
    }
    let (Some(rows_a), Some(rows_b)) = (rows_a, rows_b) else {
        w!(out, "</section>\n");
        return;
    };
    let differing: BTreeMap<&str, (&str, String)> = step
        .divergences
        .iter()
        .map(|d| {
            let mark = match &d.known {
                None => ("d-new", "new".to_string()),
                Some(k) => ("d-known", known_text(k)),
            };
            (d.path.as_str(), mark)
        })
        .chain(
            step.noise
                .iter()
                .map(|p| (p.as_str(), ("d-noise", "noise".to_string()))),
        )
        .collect();
    let aligned = align(&rows_a, &rows_b);
    let open = if step.divergences.is_empty() {
        ""
    } else {
        " open"
    };
    w!(
        out,
        "<details{open}><summary>both answers, normalized ({} paths)</summary>\
<table class=\"sides\"><colgroup><col class=\"path\"><col><col><col class=\"what\"></colgroup>\
<thead><tr><th scope=\"col\">path</th><th scope=\"col\">A · {}</th><th scope=\"col\">B · {}</th><th scope=\"col\">difference</th></tr></thead><tbody>",
        aligned.len(),
        Esc(a),
        Esc(b)
    );
    for (path, va, vb) in aligned {
        match differing.get(path) {
            Some((class, _)) => w!(
                out,
                "<tr class=\"{class}\" data-path=\"{}\"><td>{}</td>",
                Esc(path),
                Esc(path)
            ),
            None => w!(out, "<tr><td>{}</td>", Esc(path)),
        }
        value_cell(out, va);
        value_cell(out, vb);
        let what = differing.get(path).map(|(_, w)| w.as_str()).unwrap_or("");
        w!(out, "<td class=\"what\">{}</td></tr>", Esc(what));
    }
    w!(out, "</tbody></table></details></section>\n");
}

fn diff_detail(c: &ScenarioComparison, a: &str, b: &str) -> String {
    let mut out = String::new();
    w!(
        out,
        "<div class=\"scenario-head\"><code>{}</code> · <span class=\"mono\">{}</span> · {}",
        Esc(&c.id),
        Esc(c.file.display()),
        verdict_label(c.verdict)
    );
    if let Some(reason) = &c.reason {
        w!(out, " ({})", Esc(reason));
    }
    w!(out, "</div>\n");
    for (target, run) in [(a, &c.a), (b, &c.b)] {
        let Some(run) = run.as_ref().filter(|r| !r.passed()) else {
            continue;
        };
        w!(
            out,
            "<section class=\"step s-failed\"><h4>its own expectations failed on <code>{}</code></h4>\n",
            Esc(target)
        );
        for failure in run.all_failures() {
            write_failure(&mut out, &run.file, failure);
        }
        w!(out, "</section>\n");
    }
    for step in &c.steps {
        write_diff_step(&mut out, c, step, (a, b));
    }
    out
}

fn diff_note(c: &ScenarioComparison) -> String {
    if let Some(reason) = &c.reason {
        return escape(reason);
    }
    let new = c.new_divergences().count();
    let all: usize = c.steps.iter().map(|s| s.divergences.len()).sum();
    let noise: usize = c.steps.iter().map(|s| s.noise.len()).sum();
    let mut parts = Vec::new();
    match c.verdict {
        Verdict::FailsOnA => parts.push("fails on A".to_string()),
        Verdict::FailsOnB => parts.push("fails on B".to_string()),
        _ => {}
    }
    if new > 0 {
        parts.push(format!("{new} new"));
    }
    if all > new {
        parts.push(format!("{} known", all - new));
    }
    if noise > 0 {
        parts.push(format!("{noise} noise"));
    }
    parts.join(" · ")
}

/// Endpoints listed open under an API's parity; more are folded away.
const ENDPOINTS_SHOWN: usize = 6;

fn write_parity(out: &mut String, result: &DiffResult) {
    w!(
        out,
        "<section class=\"parity\" aria-labelledby=\"parity-title\"><h2 id=\"parity-title\">Parity: steps the same on <code>{}</code> and <code>{}</code></h2>\n",
        Esc(&result.a),
        Esc(&result.b)
    );
    if result.parity.apis.is_empty() {
        w!(
            out,
            "<p class=\"muted\">No step was answered by both targets.</p></section>\n"
        );
        return;
    }
    w!(out, "<div class=\"apis\">\n");
    for (api, score) in &result.parity.apis {
        let pct = percent(score);
        // Least alike first: in a large suite, what differs is what a reader looks for.
        let mut endpoints: Vec<_> = result
            .parity
            .endpoints
            .get(api)
            .into_iter()
            .flatten()
            .collect();
        endpoints.sort_by(|x, y| x.1.percent().total_cmp(&y.1.percent()).then(x.0.cmp(y.0)));
        // A few endpoints show at once; a long list waits for a click, out of the matrix's way.
        let open = if endpoints.len() <= ENDPOINTS_SHOWN {
            " open"
        } else {
            ""
        };
        w!(
            out,
            "<article class=\"api-parity\" data-api=\"{}\"><h3>{}</h3>\
<p class=\"figure\"><span class=\"pct\">{pct}</span> <span class=\"muted\">{}/{} steps the same</span></p>\
<div class=\"bar\" role=\"img\" aria-label=\"{pct} of steps the same\"><span style=\"width:{:.1}%\"></span></div>\n\
<details class=\"endpoints\"{open}><summary>{count} endpoint(s), least alike first</summary>\
<table class=\"endpoints\"><colgroup><col class=\"num\"><col class=\"num\"><col></colgroup><thead><tr><th scope=\"col\">parity</th><th scope=\"col\">same</th><th scope=\"col\">endpoint</th></tr></thead><tbody>",
            Esc(api),
            Esc(api),
            score.same,
            score.compared,
            score.percent(),
            count = endpoints.len(),
        );
        for (endpoint, score) in endpoints {
            w!(
                out,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}/{}</td><td><code>{}</code></td></tr>",
                percent(score),
                score.same,
                score.compared,
                Esc(endpoint)
            );
        }
        w!(out, "</tbody></table></details></article>\n");
    }
    w!(out, "</div></section>\n");
}

/// A comparison of two targets: parity per API and endpoint on top, then the
/// conformance matrix (scenarios × both targets, each cell same, diverges, known,
/// failed or skipped); a click on a row opens its steps, with the divergences (new or
/// known, and why), the noise, and both normalized answers side by side.
pub fn diff_page(result: &DiffResult) -> String {
    let (a, b) = (result.a.as_str(), result.b.as_str());
    let count = |v: Verdict| result.count(v);
    let new = result.new_divergences();
    let mut body = String::new();
    w!(
        body,
        "<header><h1>gatecheck diff: A <code>{}</code> vs B <code>{}</code></h1>\n<p class=\"sub\">{} scenario(s); {} new difference(s). {}</p>\n<p class=\"summary\">",
        Esc(a),
        Esc(b),
        result.comparisons.len(),
        new,
        if result.fails() {
            "The diff fails."
        } else {
            "The diff passes."
        }
    );
    for (verdict, label) in [
        (Verdict::Same, "same"),
        (Verdict::Diverges, "diverge"),
        (Verdict::Known, "known"),
        (Verdict::FailsOnA, "fail on A"),
        (Verdict::FailsOnB, "fail on B"),
        (Verdict::Skipped, "skipped"),
    ] {
        chip(&mut body, verdict_word(verdict), count(verdict), label);
    }
    w!(body, "</p></header>\n");
    if result.interrupted {
        w!(
            body,
            "<p class=\"banner\">Interrupted: not every scenario was compared.</p>\n"
        );
    }
    write_parity(&mut body, result);
    let rows: Vec<Row<'_>> = result
        .comparisons
        .iter()
        .map(|c| Row {
            id: &c.id,
            name: &c.name,
            verdict: verdict_word(c.verdict),
            cells: vec![diff_cell(c, c.a.as_ref()), diff_cell(c, c.b.as_ref())],
            note: diff_note(c),
            detail: diff_detail(c, a, b),
        })
        .collect();
    w!(body, "<h2>Conformance matrix</h2>\n");
    matrix(
        &mut body,
        "Click a scenario to open its steps with both answers side by side.",
        &[format!("A · {a}"), format!("B · {b}")],
        &rows,
    );
    page(&format!("gatecheck diff · {a} vs {b}"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("plain é ✓"), "plain é ✓");
        assert_eq!(format!("{}", Esc("<&>")), "&lt;&amp;&gt;");
    }

    #[test]
    fn ids_split_into_api_area_and_name() {
        assert_eq!(
            split_id("braintree::customer_update::x"),
            ("braintree", "customer_update".to_string(), "x")
        );
        assert_eq!(split_id("a::b::c::d"), ("a", "b::c".to_string(), "d"));
        assert_eq!(split_id("a::x"), ("a", String::new(), "x"));
        assert_eq!(split_id("x"), ("", String::new(), "x"));
    }

    #[test]
    fn both_answers_align_by_path() {
        let a = vec![
            ("status".to_string(), json!(200)),
            ("$.a".to_string(), json!(1)),
            ("$.c".to_string(), json!(3)),
        ];
        let b = vec![
            ("$.z".to_string(), json!(0)),
            ("status".to_string(), json!(201)),
            ("$.a".to_string(), json!(1)),
            ("$.b".to_string(), json!(2)),
        ];
        let aligned: Vec<(&str, bool, bool)> = align(&a, &b)
            .into_iter()
            .map(|(p, x, y)| (p, x.is_some(), y.is_some()))
            .collect();
        assert_eq!(
            aligned,
            [
                ("$.z", false, true),
                ("status", true, true),
                ("$.a", true, true),
                ("$.b", false, true),
                ("$.c", true, false),
            ]
        );
    }
}
