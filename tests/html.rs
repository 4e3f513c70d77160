//! The HTML reports (`--html FILE` on `run` and `diff`).
//!
//! First the rendered page as text: every text escaped, every scenario present, each
//! cell's verdict, nothing unmasked. Then the real thing: `gatecheck run --html` and
//! `gatecheck diff --html` in a temp project, each page loaded by headless Chromium,
//! and the matrix checked in the DOM the browser dumps after the page's script ran.
//!
//! The browser is Debian's `chromium` at `/usr/bin/chromium` (`.ci/run` installs it).
//! Where it is missing the browser tests fail, saying so, unless
//! `GATECHECK_SKIP_BROWSER=1`. `GATECHECK_KEEP_PAGES=DIR` copies the pages the browser
//! tests make into DIR (`docs/diff-report.png` is a screenshot of that diff page).
//!
//! Hermetic: temp dirs, servers on 127.0.0.1:0, no sleeps; the browser gets its own
//! throwaway profile and no network.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use base64::Engine as _;
use regex::Regex;
use serde_json::{Value, json};

use gatecheck::diff::{
    Class, DiffResult, Divergence, KnownDifference, Parity, ScenarioComparison, StepComparison,
    Verdict,
};
use gatecheck::mask::{HeaderList, Masker};
use gatecheck::report::html::{diff_page, escape, run_page};
use gatecheck::run::outcome::{Observation, RequestRecord, ResponseRecord};
use gatecheck::run::{Failure, FailureKind, ScenarioOutcome, StepOutcome, StepStatus, Subject};
use gatecheck::sandbox::{Sandbox, SandboxConfig};
use gatecheck::yaml::Span;

mod common;

use common::{Project, exec};
const CHROMIUM: &str = "/usr/bin/chromium";

// ---------------------------------------------------------------------------------------
// (a) The page as text.

fn step(index: usize, name: &str, status: StepStatus) -> StepOutcome {
    StepOutcome {
        index,
        name: gatecheck::mask::Masker::default().mask(name.to_string()),
        at: Span::new(4 + index * 10, 5),
        origin: gatecheck::run::FixtureOrigin::default(),
        attempts: 1,
        status,
        failures: Vec::new(),
        request: None,
        response: None,
        webhook: None,
        observed: None,
    }
}

fn outcome(id: &str, name: &str, target: &str, steps: Vec<StepOutcome>) -> ScenarioOutcome {
    ScenarioOutcome {
        id: id.to_string(),
        name: gatecheck::mask::Masker::default().mask(name.to_string()),
        file: PathBuf::from(format!("specs/{}.yaml", id.replace("::", "/"))),
        target: target.to_string(),
        steps,
        snapshot: None,
        failures: Vec::new(),
        xfail: None,
        duration: Duration::from_millis(12),
    }
}

/// A run that saw `body` (status 200) at its only step.
fn observed(id: &str, target: &str, body: Value) -> ScenarioOutcome {
    let mut s = step(0, "create", StepStatus::Passed);
    s.observed = Some(Masker::default().mask(Observation {
        status: Some(200),
        body,
        headers: Vec::new(),
    }));
    outcome(id, "x", target, vec![s])
}

fn comparison(
    id: &str,
    name: &str,
    verdict: Verdict,
    steps: Vec<StepComparison>,
) -> ScenarioComparison {
    ScenarioComparison {
        id: id.to_string(),
        name: gatecheck::mask::Masker::default().mask(name.to_string()),
        file: PathBuf::from(format!("specs/{}.yaml", id.replace("::", "/"))),
        api: id.split("::").next().unwrap().to_string(),
        verdict,
        reason: None,
        steps,
        a: None,
        b: None,
    }
}

fn compared_step(divergences: Vec<Divergence>, noise: &[&str]) -> StepComparison {
    StepComparison {
        index: 0,
        name: gatecheck::mask::Masker::default().mask("create".to_string()),
        at: Span::new(4, 5),
        origin: gatecheck::run::FixtureOrigin::default(),
        endpoint: "POST /customers/${id}".into(),
        compared: true,
        divergences,
        noise: noise.iter().map(|s| s.to_string()).collect(),
    }
}

/// Five scenarios, one per verdict a page shows, with `<`, `&` and quotes in every
/// kind of text.
fn sample_diff() -> DiffResult {
    let mut diverges = comparison(
        "pay::customers::<img src=x onerror=alert(1)>",
        "names with <b>tags</b> & \"quotes\"",
        Verdict::Diverges,
        vec![compared_step(
            vec![Divergence {
                path: "$.note".into(),
                a: Some(json!("<script>alert('a')</script>")),
                b: Some(json!("Tom & Jerry")),
                known: None,
            }],
            &["$.random"],
        )],
    );
    diverges.a = Some(observed(
        &diverges.id,
        "alpha",
        json!({"note": "<script>alert('a')</script>", "random": "1", "same": 1}),
    ));
    diverges.b = Some(observed(
        &diverges.id,
        "beta",
        json!({"note": "Tom & Jerry", "random": "2", "same": 1, "extra": true}),
    ));
    // `extra` is only B's: the comparison's own list says so too.
    diverges.steps[0].divergences.push(Divergence {
        path: "$.extra".into(),
        a: None,
        b: Some(json!(true)),
        known: None,
    });
    let mut known = comparison(
        "pay::customers::renumbered",
        "an error code renumbered",
        Verdict::Known,
        vec![compared_step(
            vec![Divergence {
                path: "$.code".into(),
                a: Some(json!(1)),
                b: Some(json!(2)),
                known: Some(KnownDifference {
                    scenario: "pay::*".into(),
                    step: "*".into(),
                    path: "$.code".into(),
                    class: Class::Bug,
                    reason: "B renumbers <91609> & co".into(),
                }),
            }],
            &[],
        )],
    );
    known.a = Some(observed(&known.id, "alpha", json!({"code": 1})));
    known.b = Some(observed(&known.id, "beta", json!({"code": 2})));
    let mut same = comparison(
        "pay::refunds::same",
        "the same",
        Verdict::Same,
        vec![compared_step(Vec::new(), &[])],
    );
    same.a = Some(observed(&same.id, "alpha", json!({"ok": true})));
    same.b = Some(observed(&same.id, "beta", json!({"ok": true})));
    let mut fails = comparison(
        "pay::refunds::fails",
        "fails on B",
        Verdict::FailsOnB,
        vec![compared_step(Vec::new(), &[])],
    );
    fails.a = Some(observed(&fails.id, "alpha", json!({})));
    let mut on_b = outcome(
        &fails.id,
        "fails on B",
        "beta",
        vec![step(0, "create", StepStatus::Failed)],
    );
    on_b.steps[0]
        .failures
        .push(Masker::default().mask(Failure::new(
            Span::new(9, 15),
            FailureKind::Status {
                expected: vec![201],
                got: 500,
            },
        )));
    fails.b = Some(on_b);
    let mut skipped = comparison("other::x", "skipped", Verdict::Skipped, Vec::new());
    skipped.reason = Some("target `beta` does not serve api `other` <yet>".into());
    let comparisons = vec![diverges, known, same, fails, skipped];
    let parity = Parity::of(&comparisons);
    DiffResult {
        a: "alpha".into(),
        b: "beta".into(),
        comparisons,
        parity,
        interrupted: false,
    }
}

/// Every row of a matrix: test id → (row verdict, each cell's verdict in order).
fn matrix_rows(html: &str) -> BTreeMap<String, (String, Vec<String>)> {
    let row = Regex::new(r#"(?s)<tr class="row[^"]*" id="row-\d+" data-id="([^"]*)" data-verdict="([a-z_]+)"[^>]*>(.*?)</tr>"#).unwrap();
    let cell = Regex::new(r#"data-cell="([a-z_]+)""#).unwrap();
    row.captures_iter(html)
        .map(|c| {
            let cells = cell
                .captures_iter(&c[3])
                .map(|m| m[1].to_string())
                .collect();
            (c[1].to_string(), (c[2].to_string(), cells))
        })
        .collect()
}

fn cells(rows: &[(&str, &str, &[&str])]) -> BTreeMap<String, (String, Vec<String>)> {
    rows.iter()
        .map(|(id, verdict, cells)| {
            (
                id.to_string(),
                (
                    verdict.to_string(),
                    cells.iter().map(|c| c.to_string()).collect(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_diff_page_escapes_every_text() {
    let html = diff_page(&sample_diff());
    // The page's own script is its only one: no name, value or reason became markup.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>tags"), "{html}");
    assert!(!html.contains("<91609>"), "{html}");
    for text in [
        "pay::customers::<img src=x onerror=alert(1)>",
        "names with <b>tags</b> & \"quotes\"",
        "\"<script>alert('a')</script>\"",
        "\"Tom & Jerry\"",
        "bug: B renumbers <91609> & co",
        "target `beta` does not serve api `other` <yet>",
    ] {
        assert!(html.contains(&escape(text)), "{text} escaped, in:\n{html}");
    }
    assert_eq!(
        escape("<a b=\"c\" d='e'>&</a>"),
        "&lt;a b=&quot;c&quot; d=&#39;e&#39;&gt;&amp;&lt;/a&gt;"
    );
}

#[test]
fn the_diff_page_has_every_scenario_with_its_verdict_per_target() {
    let html = diff_page(&sample_diff());
    assert_eq!(
        matrix_rows(&html),
        cells(&[
            (
                &escape("pay::customers::<img src=x onerror=alert(1)>"),
                "diverges",
                &["diverges", "diverges"]
            ),
            ("pay::customers::renumbered", "known", &["known", "known"]),
            ("pay::refunds::same", "same", &["same", "same"]),
            ("pay::refunds::fails", "fails_on_b", &["same", "failed"]),
            ("other::x", "skipped", &["skipped", "skipped"]),
        ])
    );
    // Grouped by API, then area.
    let groups: Vec<&str> = Regex::new(r#"<tr class="(?:api|area)"><th[^>]*>([^<]*)</th>"#)
        .unwrap()
        .captures_iter(&html)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(groups, ["other", "pay", "customers", "refunds"]);
    // Parity on top: 2 of the 4 compared steps were the same.
    let parity = html.find("class=\"parity\"").unwrap();
    assert!(parity < html.find("class=\"matrix\"").unwrap());
    assert!(html.contains("<span class=\"pct\">50.0%</span>"), "{html}");
    assert!(
        html.contains("<code>POST /customers/${id}</code>"),
        "{html}"
    );
}

#[test]
fn the_diff_page_puts_both_answers_side_by_side_with_the_differences_marked() {
    let html = diff_page(&sample_diff());
    // The divergences, new and known with the reason; the noise noted.
    assert!(html.contains("<tr class=\"d-new\"><td>$.note</td><td>&quot;&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;&quot;</td><td>&quot;Tom &amp; Jerry&quot;</td><td class=\"what\">new</td></tr>"), "{html}");
    assert!(html.contains("noise (differs between runs on alpha): <code>$.random</code>"));
    // Both answers, path by path: marked rows for what differs, B's extra path in place.
    let sides = Regex::new(r#"<tr(?: class="(d-[a-z]+)" data-path="[^"]*")?><td>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"#).unwrap();
    let first = &html[html.find("class=\"sides\"").unwrap()..];
    let first = &first[..first.find("</table>").unwrap()];
    let rows: Vec<(String, String, String, String)> = sides
        .captures_iter(first)
        .map(|c| {
            (
                c.get(1).map_or("", |m| m.as_str()).to_string(),
                c[2].to_string(),
                c[3].to_string(),
                c[4].to_string(),
            )
        })
        .collect();
    let expected = [
        ("", "status", "200", "200"),
        (
            "d-new",
            "$.note",
            "&quot;&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;&quot;",
            "&quot;Tom &amp; Jerry&quot;",
        ),
        ("d-noise", "$.random", "&quot;1&quot;", "&quot;2&quot;"),
        ("", "$.same", "1", "1"),
        ("d-new", "$.extra", "(absent)", "true"),
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(rows, expected, "{first}");
    // The target that failed its own expectations says where.
    assert!(html.contains("its own expectations failed on <code>beta</code>"));
    assert!(html.contains("status: expected 201, got 500"));
    assert!(html.contains("specs/pay/refunds/fails.yaml:9:15"));
}

/// A failed run: an expectation at line 24 with its source line, a request with
/// credentials, and a snapshot that differs.
fn sample_run() -> (Vec<ScenarioOutcome>, &'static str) {
    const SECRET: &str = "s3cr3t-private-key";
    let masker = Masker::new([SECRET.to_string()]);
    let source = format!(
        "{}        $.customer.first_name: \"<Grace> & co\"\n",
        "\n".repeat(23)
    );
    let mut bad = outcome(
        "pay::customers::bad",
        "find <Ada> & \"friends\"",
        "embedded",
        vec![
            step(0, "create", StepStatus::Passed),
            step(1, "find it", StepStatus::Failed),
            step(2, "delete", StepStatus::Skipped),
        ],
    );
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("public:{SECRET}"));
    bad.steps[1].request = Some(masker.mask(RequestRecord {
        method: "GET".into(),
        url: format!("http://127.0.0.1:1/customers/c-1?key={SECRET}"),
        headers: HeaderList(vec![("authorization".into(), format!("Basic {auth}"))]),
        body: None,
    }));
    bad.steps[1].response = Some(masker.mask(ResponseRecord {
        status: 200,
        headers: HeaderList(vec![("content-type".into(), "application/xml".into())]),
        body: json!({"customer": {"first_name": "Ada", "note": "<i>hi</i>"}}),
        elapsed: Duration::from_millis(3),
    }));
    bad.steps[1].settle(
        &masker,
        &source,
        vec![Failure::new(
            Span::new(24, 9),
            FailureKind::Expectation {
                subject: Subject::Json("$.customer.first_name".into()),
                expected: "expected \"<Grace> & co\"".into(),
                actual: "got \"Ada\"".into(),
            },
        )],
    );
    let mut stale = outcome(
        "pay::customers::stale",
        "stale snapshot",
        "embedded",
        vec![step(0, "create", StepStatus::Passed)],
    );
    stale.failures.push(
        masker.mask(Failure::new(
            Span::new(1, 1),
            FailureKind::SnapshotDiffers {
                path: "snapshots/pay/customers/stale.snap.yaml".into(),
                pending: "snapshots/pay/customers/stale.snap.pending.yaml".into(),
                diff:
                    "--- stored\n+++ received\n@@ -1 +1 @@\n-first_name: Eve\n+first_name: <Ada>\n"
                        .into(),
            },
        )),
    );
    let good = outcome(
        "pay::refunds::good",
        "good",
        "embedded",
        vec![step(0, "refund", StepStatus::Passed)],
    );
    (vec![bad, stale, good], SECRET)
}

#[test]
fn the_run_page_shows_each_failure_where_it_is_and_nothing_unmasked() {
    let (outcomes, secret) = sample_run();
    let html = run_page(&outcomes, &[], "embedded", Duration::from_millis(1234));
    assert_eq!(
        matrix_rows(&html),
        cells(&[
            ("pay::customers::bad", "failed", &["failed"]),
            ("pay::customers::stale", "failed", &["failed"]),
            ("pay::refunds::good", "passed", &["passed"]),
        ])
    );
    assert!(html.contains("<span class=\"chip v-passed\">1 passed</span> <span class=\"chip v-failed\">2 failed</span>"));
    assert!(html.contains("3 scenario(s) in 1.23s"));
    assert!(html.contains(&escape("find <Ada> & \"friends\"")));
    // The failure: message, file:line:col, the source line and a caret under column 9.
    assert!(html.contains(&escape(
        "$.customer.first_name: expected \"<Grace> & co\": got \"Ada\""
    )));
    assert!(
        html.contains("--&gt; specs/pay/customers/bad.yaml:24:9"),
        "{html}"
    );
    assert!(html.contains(&escape(
        " 24 |         $.customer.first_name: \"<Grace> & co\"\n    |         ^"
    )));
    // Request and answer, the failed step's unfolded; the skipped step says so.
    assert!(html.contains("<details open><summary>request and answer</summary>"));
    assert!(html.contains("note: &lt;i&gt;hi&lt;/i&gt;"), "{html}");
    assert!(html.contains("<span class=\"tag v-skipped\">not run</span>"));
    // The snapshot diff, line by line.
    assert!(html.contains("<span class=\"del\">-first_name: Eve</span><span class=\"add\">+first_name: &lt;Ada&gt;</span>"), "{html}");
    // What the masker hid stays hidden.
    assert!(!html.contains(secret), "{html}");
    assert!(
        !html.contains(
            &base64::engine::general_purpose::STANDARD.encode(format!("public:{secret}"))
        )
    );
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn the_page_loads_nothing_from_elsewhere() {
    for html in [
        diff_page(&sample_diff()),
        run_page(&sample_run().0, &[], "embedded", Duration::ZERO),
    ] {
        assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
        for external in ["src=\"http", "href=\"http", "url(", "@import", "<link"] {
            assert!(!html.contains(external), "{external} in the page");
        }
    }
}

// ---------------------------------------------------------------------------------------
// (b) The pages in a real browser.

/// Whether the browser tests run: the browser is there, or the skip is asked for.
fn browser() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var("GATECHECK_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("{CHROMIUM} is missing; browser checks skipped (GATECHECK_SKIP_BROWSER=1)");
        return false;
    }
    panic!(
        "{CHROMIUM} is missing: the HTML report is tested in a real browser. Install Debian's \
         `chromium` (`apt-get install -y --no-install-recommends chromium`, as .ci/run does), \
         or set GATECHECK_SKIP_BROWSER=1 to skip these checks"
    );
}

/// `text` percent-encoded for a URL (path or fragment), as `encodeURIComponent` does
/// but keeping `/`.
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The DOM of `page` (opened at `#open=<open>`) after its script ran, as headless
/// Chromium serializes it. Bounded in time: a browser that hangs fails the test.
fn dump_dom(page: &Path, open: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let stderr = tempfile::NamedTempFile::new().unwrap();
    let url = format!(
        "file://{}#open={}",
        url_encode(&page.display().to_string()),
        url_encode(open)
    );
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr.reopen().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e}"));
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut dom = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut dom);
        let _ = tx.send(dom);
    });
    let Ok(dom) = rx.recv_timeout(Duration::from_secs(60)) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("{CHROMIUM} did not dump {url} within 60 s");
    };
    let status = child.wait().unwrap();
    let log = std::fs::read_to_string(stderr.path()).unwrap_or_default();
    assert!(
        status.success() && dom.contains("</html>"),
        "{CHROMIUM} failed on {url} ({status}):\n{log}\n{dom}"
    );
    dom
}

/// Copies `page` into `GATECHECK_KEEP_PAGES`, when it is set.
fn keep(page: &Path, name: &str) {
    if let Some(dir) = std::env::var_os("GATECHECK_KEEP_PAGES") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(page, Path::new(&dir).join(name)).unwrap();
    }
}

/// What the page's script made: the row count it stamped on the page, and the filter
/// bar's count per verdict (it counts the rows itself).
fn script_counts(dom: &str) -> (usize, BTreeMap<String, usize>) {
    let rows = Regex::new(r#"<html[^>]* data-rows="(\d+)""#)
        .unwrap()
        .captures(dom)
        .unwrap_or_else(|| panic!("the script did not run:\n{dom}"))[1]
        .parse()
        .unwrap();
    assert!(
        Regex::new(r#"<html[^>]* class="js""#)
            .unwrap()
            .is_match(dom),
        "{dom}"
    );
    let filters = Regex::new(
        r#"data-filter="([a-z_]+)"[^>]*><span>[^<]*</span><span class="count">(\d+)</span>"#,
    )
    .unwrap()
    .captures_iter(dom)
    .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
    .collect();
    (rows, filters)
}

/// The test ids of the rows whose detail is open.
fn open_rows(dom: &str) -> Vec<String> {
    Regex::new(r#"<tr class="row open" id="row-\d+" data-id="([^"]*)""#)
        .unwrap()
        .captures_iter(dom)
        .map(|c| c[1].to_string())
        .collect()
}

/// A temp project on the repository's API profiles.
/// A project with `config` and `files`.
fn project(config: &str, files: &[(&str, &str)]) -> Project {
    let p = Project::new(config);
    for (path, text) in files {
        p.write(path, text);
    }
    p
}

/// Runs gatecheck in `p` with `args` (off the async runtime); returns the exit code and
/// what it printed.
async fn gatecheck(p: &Project, args: &[&str]) -> (i32, String) {
    let command = p.found_cmd(args);
    let out = tokio::task::spawn_blocking(move || exec(command))
        .await
        .unwrap();
    (out.code, format!("{}{}", out.stdout, out.stderr))
}

/// The repository's API profiles, an embedded target, and whatever `extra` adds.
fn config(extra: &str) -> String {
    let repo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("gatecheck.yaml"))
            .unwrap();
    let apis = &repo[repo.find("apis:").unwrap()..repo.find("targets:").unwrap()];
    format!(
        "default_target: embedded\n{apis}targets:\n  embedded:\n    embedded: true\n{BRAINTREE}{extra}"
    )
}

const BRAINTREE: &str = "    apis:\n      braintree:\n        auth: { basic: { username: sandbox_public, password: sandbox_private } }\n        vars: { merchant_id: sandbox_merchant }\n";

const ADA: &str = "name: create and find Ada\napi: braintree\nsteps:\n  - name: create\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"c-${run_id}\", first_name: Ada } }\n    expect: { status: 201 }\n    capture: { customer_id: $.customer.id }\n  - name: find\n    request: { method: GET, path: \"/merchants/${merchant_id}/customers/${customer_id}\" }\n    expect: { status: 200 }\n";
const TAKEN: &str = "name: an id already taken\napi: braintree\nsteps:\n  - name: create\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"t-${run_id}\" } }\n    expect: { status: 201 }\n  - name: create again\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"t-${run_id}\" } }\n    expect: { status: 422 }\n";
const NOBODY: &str = "name: a customer that does not exist\napi: braintree\nsteps:\n  - name: find nobody\n    request: { method: GET, path: \"/merchants/${merchant_id}/customers/nobody-${run_id}\" }\n    expect: { status: 404 }\n";
/// Expects the first name as sent: fails where the answer changes it.
const STRICT: &str = "name: \"the first name <as sent> & 'kept'\"\napi: braintree\nsteps:\n  - name: create\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"s-${run_id}\", first_name: Ada } }\n    expect:\n      status: 201\n      json:\n        $.customer.first_name: Ada\n";
const CHARGEBEE: &str = "name: a Chargebee customer\napi: chargebee\nsteps:\n  - name: find\n    request: { method: GET, path: /api/v2/customers/nobody }\n    expect: { status: 404 }\n";

/// A stand-in for the embedded gateway that upper-cases Ada, renumbers an error code
/// and adds a random value to each customer (as `tests/diff.rs`'s does).
async fn stand_in() -> (String, Sandbox) {
    let upstream = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = upstream.base_url();
    let client = reqwest::Client::new();
    let app = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let mut request = client.request(method, format!("{base}{uri}")).body(body);
                for name in ["authorization", "content-type", "x-apiversion", "accept"] {
                    if let Some(v) = headers.get(name) {
                        request = request.header(name, v);
                    }
                }
                let answer = request.send().await.unwrap();
                let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
                let text = answer.text().await.unwrap();
                let text = text
                    .replace(
                        "<first-name>Ada</first-name>",
                        "<first-name>ADA</first-name>",
                    )
                    .replace("<code>91609</code>", "<code>91699</code>")
                    .replacen(
                        "<customer>",
                        &format!("<customer><random>{}</random>", uuid::Uuid::new_v4()),
                        1,
                    );
                (status, [("content-type", "application/xml")], text).into_response()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, upstream)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_diff_page_in_a_browser() {
    if !browser() {
        return;
    }
    let (url, _upstream) = stand_in().await;
    let known = "- scenario: \"braintree::customers::taken\"\n  step: create again\n  path: \"$.api_error_response.errors.customer.errors[0].code\"\n  class: known\n  reason: the stand-in renumbers <91609> & co\n";
    let p = project(
        &config(&format!("  standin:\n    base_url: {url}\n{BRAINTREE}")),
        &[
            ("specs/braintree/customers/ada.yaml", ADA),
            ("specs/braintree/customers/taken.yaml", TAKEN),
            ("specs/braintree/customers/nobody.yaml", NOBODY),
            ("specs/braintree/names/strict.yaml", STRICT),
            ("specs/chargebee/customers/find.yaml", CHARGEBEE),
            ("diffs/standin..embedded.yaml", known),
        ],
    );
    let (code, out) = gatecheck(
        &p,
        &[
            "diff",
            "--target",
            "standin",
            "--target",
            "embedded",
            "--html",
            "diff.html",
        ],
    )
    .await;
    assert_eq!(code, 1, "{out}");
    let page = p.path("diff.html");
    keep(&page, "diff.html");
    let dom = dump_dom(&page, "braintree::customers::ada");
    // The matrix as the browser has it: every scenario, each target's cell.
    assert_eq!(
        matrix_rows(&dom),
        cells(&[
            (
                "braintree::customers::ada",
                "diverges",
                &["diverges", "diverges"]
            ),
            ("braintree::customers::taken", "known", &["known", "known"]),
            ("braintree::customers::nobody", "same", &["same", "same"]),
            (
                "braintree::names::strict",
                "fails_on_a",
                &["failed", "diverges"]
            ),
            (
                "chargebee::customers::find",
                "skipped",
                &["skipped", "skipped"]
            ),
        ]),
        "{out}"
    );
    let (rows, filters) = script_counts(&dom);
    assert_eq!(rows, 5);
    let want: BTreeMap<String, usize> = [
        ("all", 5),
        ("same", 1),
        ("diverges", 1),
        ("known", 1),
        ("fails_on_a", 1),
        ("skipped", 1),
    ]
    .into_iter()
    .map(|(v, n)| (v.to_string(), n))
    .collect();
    assert_eq!(filters, want);
    // `#open=` opened Ada's row: both answers, the altered name new, the random noise.
    assert_eq!(open_rows(&dom), ["braintree::customers::ada"]);
    assert!(
        dom.contains("<tr class=\"d-new\" data-path=\"$.customer.first_name\"><td>$.customer.first_name</td><td>\"ADA\"</td><td>\"Ada\"</td>"),
        "{dom}"
    );
    assert!(dom.contains("<tr class=\"d-noise\" data-path=\"$.customer.random\">"));
    assert!(dom.contains("known: the stand-in renumbers &lt;91609&gt; &amp; co"));
    assert!(dom.contains("the first name &lt;as sent&gt; &amp; 'kept'"));
    assert!(dom.contains("target `standin` does not serve api `chargebee`"));
    // Parity on top: of the 6 steps both answered, only the first `create` of `taken`
    // (its random value is noise) and the lookup of nobody were the same.
    assert!(dom.contains("<span class=\"pct\">33.3%</span>"), "{dom}");
    assert!(dom.contains("<td class=\"num\">25.0%</td><td class=\"num\">1/4</td><td><code>POST /merchants/${merchant_id}/customers</code>"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_page_in_a_browser() {
    if !browser() {
        return;
    }
    let good = ADA.replace(
        "    expect: { status: 200 }\n",
        "    expect: { status: 200 }\n    snapshot: true\n",
    );
    let bad = ADA.replace(
        "    expect: { status: 200 }\n",
        "    expect:\n      status: 200\n      json:\n        $.customer.first_name: \"<Grace>\"\n",
    );
    let p = project(
        &config(""),
        &[
            ("specs/braintree/customers/good.yaml", &good),
            ("specs/braintree/customers/bad.yaml", &bad),
            ("specs/braintree/lookups/nobody.yaml", NOBODY),
        ],
    );
    // The first run stores the snapshot; altered, it differs on the second.
    let (code, out) = gatecheck(&p, &["run", "specs/braintree/customers/good.yaml"]).await;
    assert_eq!(code, 0, "{out}");
    let snap = p.path("snapshots/braintree/customers/good.snap.yaml");
    let stored = std::fs::read_to_string(&snap).unwrap();
    std::fs::write(&snap, stored.replace("first_name: Ada", "first_name: Eve")).unwrap();
    let (code, out) = gatecheck(&p, &["run", "--html", "run.html"]).await;
    assert_eq!(code, 1, "{out}");
    let page = p.path("run.html");
    keep(&page, "run.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // The credentials the requests carried are masked in the page.
    let basic = base64::engine::general_purpose::STANDARD.encode("sandbox_public:sandbox_private");
    assert!(!html.contains("sandbox_private") && !html.contains(&basic));
    let dom = dump_dom(&page, "braintree::customers::bad");
    assert_eq!(
        matrix_rows(&dom),
        cells(&[
            ("braintree::customers::bad", "failed", &["failed"]),
            ("braintree::customers::good", "failed", &["failed"]),
            ("braintree::lookups::nobody", "passed", &["passed"]),
        ]),
        "{out}"
    );
    let (rows, filters) = script_counts(&dom);
    assert_eq!(rows, 3);
    let want: BTreeMap<String, usize> = [("all", 3), ("passed", 1), ("failed", 2)]
        .into_iter()
        .map(|(v, n)| (v.to_string(), n))
        .collect();
    assert_eq!(filters, want);
    assert_eq!(open_rows(&dom), ["braintree::customers::bad"]);
    // The failed expectation at its file:line:col, with the line; the snapshot's diff.
    assert!(
        dom.contains("--&gt; specs/braintree/customers/bad.yaml:16:9"),
        "{dom}"
    );
    assert!(dom.contains("16 |         $.customer.first_name: \"&lt;Grace&gt;\""));
    assert!(dom.contains("<span class=\"del\">-          first_name: Eve</span>"));
    assert!(dom.contains("<span class=\"add\">+          first_name: Ada</span>"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_cannot_be_written_is_reported_like_the_other_reports() {
    let p = project(
        &config(&format!("  mirror:\n    embedded: true\n{BRAINTREE}")),
        &[("specs/braintree/lookups/nobody.yaml", NOBODY)],
    );
    let (code, out) = gatecheck(&p, &["run", "--html", "missing/dir/run.html"]).await;
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("error: cannot write missing/dir/run.html"),
        "{out}"
    );
    // The results are not hidden by it.
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    let (code, out) = gatecheck(
        &p,
        &[
            "diff",
            "--target",
            "embedded",
            "--target",
            "mirror",
            "--html",
            "missing/diff.html",
        ],
    )
    .await;
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("error: cannot write missing/diff.html"),
        "{out}"
    );
    assert!(out.contains("1 same, 0 diverge"), "{out}");
}
