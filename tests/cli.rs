//! The `gatecheck` binary, end to end: exit codes, diagnostics, snapshots, reports,
//! masking, unreachable targets and `serve`.
//!
//! Hermetic: every project lives in a temp dir, every server (the embedded gateway, the
//! fake targets below) listens on 127.0.0.1:0, and nothing waits with sleeps.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;

use base64::Engine as _;

mod common;

use common::{BIN, Out, Project, exec};

/// The embedded target with the gateway's documented default credentials, and the
/// repository's Braintree API profile (its redactions make snapshots stable).
fn embedded_config(password: &str) -> String {
    let repo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("gatecheck.yaml"))
            .expect("the repository's gatecheck.yaml");
    let apis = &repo[repo.find("apis:").expect("apis:")..repo.find("targets:").expect("targets:")];
    format!(
        "specs: specs\nsnapshots: snapshots\ndefault_target: embedded\n\n{apis}\
targets:
  embedded:
    embedded: true
    apis:
      braintree:
        auth:
          basic: {{ username: sandbox_public, password: \"{password}\" }}
        vars:
          merchant_id: sandbox_merchant
"
    )
}

/// A target at `url` speaking JSON with a short timeout, plus an unused embedded one.
fn fake_config(url: &str, auth: &str) -> String {
    format!(
        "default_target: fake
apis:
  fake:
    format: json
targets:
  fake:
    base_url: {url}
    timeout: 300ms
    apis:
      fake:
        {auth}
  embedded:
    embedded: true
    apis:
      fake: {{}}
"
    )
}

#[track_caller]
fn assert_has(text: &str, needle: &str) {
    assert!(text.contains(needle), "expected {needle:?} in:\n{text}");
}

#[track_caller]
fn assert_lacks(text: &str, needle: &str, what: &str) {
    assert!(
        !text.contains(needle),
        "{what} contains {needle:?}:\n{text}"
    );
}

fn last_line(text: &str) -> &str {
    text.trim_end().lines().last().unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Fake targets.

/// A request as a fake target received it.
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut req = Received {
        head,
        body: Vec::new(),
    };
    let len: usize = req
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    req.body = body;
    Some(req)
}

fn http_response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A server on 127.0.0.1:0 answering each request with `answer` (`None`: accept and
/// never answer). Returns its base URL; the thread lives as long as the test process.
fn fake_target(answer: impl Fn(&Received) -> Option<Vec<u8>> + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Some(req) = read_request(&mut stream) else {
                continue;
            };
            match answer(&req) {
                Some(bytes) => {
                    let _ = stream.write_all(&bytes);
                    let _ = stream.flush();
                }
                None => held.push(stream),
            }
        }
    });
    url
}

/// Answers every request with JSON echoing the request's body and Authorization header,
/// as a gateway that quotes what it received would.
fn echo_target() -> String {
    fake_target(|req| {
        let body: serde_json::Value =
            serde_json::from_slice(&req.body).unwrap_or(serde_json::Value::Null);
        let echo = serde_json::json!({
            "ok": true,
            "received": body,
            "raw": String::from_utf8_lossy(&req.body),
            "authorization": req.header("authorization"),
        });
        Some(http_response(
            "200 OK",
            "application/json",
            &echo.to_string(),
        ))
    })
}

/// A listener nothing answers on, to prove that nothing was sent to it.
struct Silent(TcpListener);

impl Silent {
    fn new() -> Silent {
        Silent(TcpListener::bind("127.0.0.1:0").expect("bind"))
    }
    fn url(&self) -> String {
        format!("http://{}", self.0.local_addr().expect("addr"))
    }
    #[track_caller]
    fn assert_untouched(&self) {
        self.0.set_nonblocking(true).expect("nonblocking");
        match self.0.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("something connected to the target: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scenarios.

/// A Braintree scenario creating a customer (Ada) then reading it back.
fn bt_scenario(expect_first_name: &str) -> String {
    format!(
        r#"name: Create and find a customer
api: braintree
tags: [smoke]
steps:
  - name: create a customer
    request:
      method: POST
      path: /merchants/${{merchant_id}}/customers
      body:
        customer:
          id: c-${{run_id}}
          first_name: Ada
    expect:
      status: 201
    capture:
      customer_id: $.customer.id
  - name: find it
    request:
      method: GET
      path: /merchants/${{merchant_id}}/customers/${{customer_id}}
    expect:
      status: 200
      json:
        $.customer.first_name: {expect_first_name}
    snapshot: true
"#
    )
}

fn embedded_project() -> Project {
    Project::new(&embedded_config("sandbox_private"))
}

const GOOD: &str = "specs/braintree/customer_update/good.yaml";
const GOOD_SNAP: &str = "snapshots/braintree/customer_update/good.snap.yaml";
const GOOD_PENDING: &str = "snapshots/braintree/customer_update/good.snap.pending.yaml";

// ---------------------------------------------------------------------------------------
// 1. run: exit codes and what a failure shows.

#[test]
fn run_passes_with_exit_0() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "PASS braintree::customer_update::good");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 0 failed, 0 skipped",
        "{out}"
    );
}

#[test]
fn run_failing_expectation_exits_1_and_explains() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    p.write(
        "specs/braintree/customer_update/bad.yaml",
        &bt_scenario("Grace"),
    );
    let out = p.run(&["run"]);
    assert_eq!(out.code, 1, "{out}");
    let s = &out.stdout;
    assert_has(s, "FAIL braintree::customer_update::bad");
    assert_has(s, "── braintree::customer_update::bad");
    // The step, with its position in the file.
    assert_has(s, "step 2 \"find it\"");
    assert_has(s, "bad.yaml:17)");
    // The expectation and what came back.
    assert_has(s, "$.customer.first_name: expected \"Grace\"");
    assert_has(s, "\"Ada\"");
    assert_has(s, "request sent:");
    assert_has(s, "answer: 200");
    assert_has(s, "first_name: Ada");
    assert_eq!(last_line(s), "1 passed, 1 failed, 0 skipped", "{out}");
    // A failed scenario writes no snapshot.
    assert!(
        !p.exists("snapshots/braintree/customer_update/bad.snap.yaml"),
        "{:?}",
        p.files()
    );
}

#[test]
fn failures_point_at_the_expectation_in_console_junit_and_json() {
    let p = embedded_project();
    let scenario = bt_scenario("Grace").replace(
        "    expect:\n      status: 201\n",
        "    expect:\n      status: [200, 202]\n",
    );
    p.write("specs/braintree/customer_update/bad.yaml", &scenario);
    let out = p.run(&["run", "--junit", "junit.xml", "--json", "run.json"]);
    assert_eq!(out.code, 1, "{out}");
    let s = &out.stdout;
    let file = p.path("specs/braintree/customer_update/bad.yaml");
    // The status expectation of step 1 is at line 14, column 15: the value.
    assert_has(s, "✗ status: expected 200 or 202, got 201");
    assert_has(s, &format!("--> {}:14:15", file.display()));
    assert_has(s, " 14 |       status: [200, 202]\n");
    assert_has(s, "    |               ^\n");
    let junit = p.read("junit.xml");
    assert_has(&junit, &format!("file=\"{}\" line=\"14\"", file.display()));
    let json: serde_json::Value =
        serde_json::from_str(&p.read("run.json")).expect("the JSON report");
    let failure = &json["scenarios"][0]["steps"][0]["failures"][0];
    assert_eq!(
        failure["at"],
        serde_json::json!({ "line": 14, "column": 15 }),
        "{json}"
    );
    assert_eq!(failure["kind"], "status", "{json}");
    assert_eq!(failure["got"], 201, "{json}");

    // A matcher failure points at its JSONPath.
    p.write(
        "specs/braintree/customer_update/bad.yaml",
        &bt_scenario("Grace"),
    );
    let out = p.run(&["run"]);
    assert_has(&out.stdout, &format!("--> {}:24:9", file.display()));
    assert_has(&out.stdout, " 24 |         $.customer.first_name: Grace\n");
}

#[test]
fn run_broken_scenario_file_exits_2_with_location_and_help() {
    let silent = Silent::new();
    let p = Project::new(&fake_config(&silent.url(), "{}"));
    p.write(
        "specs/fake/typo.yaml",
        "name: x\napi: fake\nsteps:\n  - name: a\n    reqest:\n      method: GET\n      path: /\n",
    );
    let out = p.run(&["run"]);
    assert_eq!(out.code, 2, "{out}");
    let e = &out.stderr;
    let file = p.path("specs/fake/typo.yaml");
    assert_has(e, &format!("{}:5:5", file.display()));
    assert_has(e, "unknown field `reqest`");
    assert_has(e, "help: did you mean `request`?");
    assert_has(e, "1 problem(s) in scenario files; nothing was sent");
    silent.assert_untouched();
}

#[test]
fn run_unknown_target_exits_2_with_suggestion() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run", "--target", "embeded"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "no target named `embeded`");
    assert_has(&out.stderr, "did you mean `embedded`?");
    assert_has(&out.stderr, "targets: embedded");
}

#[test]
fn run_with_missing_config_exits_2_with_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut c = Command::new(BIN);
    c.arg("--config")
        .arg(dir.path().join("gatecheck.yaml"))
        .arg("run")
        .env_remove("CI")
        .env_remove("GATECHECK_CONFIG")
        .env("NO_COLOR", "1");
    let out = exec(c);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "cannot read the targets file");
    assert_has(&out.stderr, "help:");
}

#[test]
fn usage_errors_exit_2() {
    let p = embedded_project();
    let out = p.run(&["run", "--snapshots", "sometimes"]);
    assert_eq!(out.code, 2, "{out}");
    let out = p.run(&["frobnicate"]);
    assert_eq!(out.code, 2, "{out}");
}

// ---------------------------------------------------------------------------------------
// 2. check: every problem in every file, nothing sent.

#[test]
fn check_reports_every_error_in_every_file_and_sends_nothing() {
    let silent = Silent::new();
    let p = Project::new(&fake_config(&silent.url(), "{}"));
    let head = "name: x\napi: fake\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n";
    p.write(
        "specs/fake/a_jsonpath.yaml",
        &format!("{head}    expect:\n      json:\n        \"$.a[\": 1\n"),
    );
    p.write(
        "specs/fake/b_regex.yaml",
        &format!("{head}    expect:\n      json:\n        $.a: {{ matches: \"(\" }}\n"),
    );
    p.write(
        "specs/fake/c_var.yaml",
        "name: x\napi: fake\nsteps:\n  - name: create\n    request: { method: POST, path: /customers }\n    capture:\n      customer_id: $.id\n  - name: find\n    request:\n      method: GET\n      path: /customers/${custmer_id}\n",
    );
    p.write(
        "specs/fake/d_matcher.yaml",
        &format!("{head}    expect:\n      json:\n        $.items: {{ lenght: 1 }}\n"),
    );
    p.write("specs/fake/e_good.yaml", head);
    let out = p.run(&["check"]);
    assert_eq!(out.code, 2, "{out}");
    let e = &out.stderr;
    let at = |f: &str, pos: &str| format!("{}:{pos}", p.path(f).display());
    assert_has(e, "invalid JSONPath");
    assert_has(e, &at("specs/fake/a_jsonpath.yaml", "8:"));
    assert_has(e, "invalid regex");
    assert_has(e, &at("specs/fake/b_regex.yaml", "8:"));
    assert_has(e, "undefined variable `custmer_id` in step 2");
    assert_has(e, &at("specs/fake/c_var.yaml", "11:24"));
    assert_has(e, "did you mean `${customer_id}`?");
    assert_has(e, "unknown matcher `lenght`");
    assert_has(e, "did you mean `length`?");
    assert_has(e, &at("specs/fake/d_matcher.yaml", "8:"));
    assert_has(e, "4 problem(s) in scenario files; nothing was sent");
    assert!(out.stdout.is_empty(), "{out}");
    silent.assert_untouched();
}

#[test]
fn check_accepts_a_good_suite() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    p.write(
        "specs/braintree/customer_update/other.yaml",
        &bt_scenario("Ada"),
    );
    let out = p.run(&["check"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "2 scenario(s) OK (2 for target `embedded`)");
    assert!(!p.exists("snapshots"), "check wrote files: {:?}", p.files());
}

#[test]
fn check_flags_an_api_without_profile() {
    let p = embedded_project();
    p.write(
        "specs/stripe/x.yaml",
        "name: x\napi: braintre\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n",
    );
    let out = p.run(&["check"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "api `braintre` has no profile");
    assert_has(&out.stderr, "did you mean `braintree`?");
    assert_has(&out.stderr, ":2:1");
}

// ---------------------------------------------------------------------------------------
// 3. list.

#[test]
fn list_prints_test_ids_filtered_by_text_and_tag() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    p.write(
        "specs/braintree/customer_update/untagged.yaml",
        &bt_scenario("Ada").replace("tags: [smoke]\n", ""),
    );
    let out = p.run(&["list"]);
    assert_eq!(out.code, 0, "{out}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "braintree::customer_update::good\tCreate and find a customer",
            "braintree::customer_update::untagged\tCreate and find a customer",
        ],
        "{out}"
    );
    let out = p.run(&["list", "--tag", "smoke"]);
    assert_eq!(out.stdout.lines().count(), 1, "{out}");
    assert_has(&out.stdout, "braintree::customer_update::good\t");
    let out = p.run(&["list", "--filter", "untag"]);
    assert_eq!(out.stdout.lines().count(), 1, "{out}");
    assert_has(&out.stdout, "braintree::customer_update::untagged\t");
}

#[test]
fn list_shows_scenarios_the_target_skips() {
    let p = Project::new(&fake_config("http://127.0.0.1:9", "{}").replace(
        "apis:\n  fake:\n    format: json\n",
        "apis:\n  fake:\n    format: json\n  other:\n    format: json\n",
    ));
    p.write(
        "specs/other/x.yaml",
        "name: x\napi: other\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n",
    );
    let out = p.run(&["list"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(
        &out.stdout,
        "other::x\t(skipped: target `fake` does not serve api `other`)",
    );
}

// ---------------------------------------------------------------------------------------
// 4. Snapshots.

#[test]
fn snapshot_written_locally_then_stable_across_runs() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "(new snapshot ");
    let first = p.read(GOOD_SNAP);
    // Volatile values are normalized: captured ids, run ids, timestamps.
    assert_has(&first, "id: ${customer_id}");
    assert_has(
        &first,
        "path: /merchants/${merchant_id}/customers/${customer_id}",
    );
    assert_has(&first, "created_at: '[timestamp]'");
    assert_has(&first, "first_name: Ada");
    assert_lacks(&first, "c-", "the snapshot (an unnormalized id)");
    // A second run (a new customer id, new timestamps) matches, even in CI.
    let out = p.run_ci(&["run"]);
    assert_eq!(out.code, 0, "{out}");
    assert_lacks(&out.stdout, "snapshot", "a matching run's output");
    assert_eq!(p.read(GOOD_SNAP), first);
    assert!(!p.exists(GOOD_PENDING), "{:?}", p.files());
}

#[test]
fn missing_snapshot_fails_in_ci_and_writes_nothing() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run_ci(&["run"]);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "is missing, and CI does not write snapshots");
    assert_has(&out.stdout, "first_name: Ada");
    assert_eq!(last_line(&out.stdout), "0 passed, 1 failed, 0 skipped");
    assert!(!p.exists("snapshots"), "{:?}", p.files());
    // `--snapshots new` writes it even in CI.
    let out = p.run_ci(&["run", "--snapshots", "new"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(p.exists(GOOD_SNAP), "{:?}", p.files());
}

/// Runs once to store the snapshot, then tampers with it so the next run differs.
fn project_with_stale_snapshot() -> Project {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run"]);
    assert_eq!(out.code, 0, "{out}");
    let stored = p.read(GOOD_SNAP);
    assert_has(&stored, "first_name: Ada");
    p.write(
        GOOD_SNAP,
        &stored.replace("first_name: Ada", "first_name: Eve"),
    );
    p
}

#[test]
fn changed_answer_fails_with_diff_and_pending_file() {
    let p = project_with_stale_snapshot();
    let stale = p.read(GOOD_SNAP);
    let out = p.run(&["run"]);
    assert_eq!(out.code, 1, "{out}");
    let s = &out.stdout;
    assert_has(s, "FAIL braintree::customer_update::good");
    assert_has(s, "differs; the new version is in");
    assert_has(s, "--- stored");
    assert_has(s, "+++ received");
    assert_has(s, "@@");
    assert_has(s, "-          first_name: Eve");
    assert_has(s, "+          first_name: Ada");
    assert_eq!(p.read(GOOD_SNAP), stale, "the stored snapshot changed");
    assert_has(&p.read(GOOD_PENDING), "first_name: Ada");
}

#[test]
fn review_reject_deletes_pending_and_keeps_stored() {
    let p = project_with_stale_snapshot();
    let stale = p.read(GOOD_SNAP);
    assert_eq!(p.run(&["run"]).code, 1);
    assert!(p.exists(GOOD_PENDING));
    // Without a terminal and without a flag, nothing is decided.
    let out = p.run(&["review"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "0 accepted, 0 rejected, 1 still pending");
    assert_has(&out.stdout, "pass --accept or --reject");
    assert!(p.exists(GOOD_PENDING));
    let out = p.run(&["review", "--reject"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "0 accepted, 1 rejected, 0 still pending");
    assert!(!p.exists(GOOD_PENDING), "{:?}", p.files());
    assert_eq!(p.read(GOOD_SNAP), stale);
    let out = p.run(&["review"]);
    assert_has(&out.stdout, "no pending snapshots");
}

#[test]
fn review_accept_replaces_stored_snapshot() {
    let p = project_with_stale_snapshot();
    assert_eq!(p.run(&["run"]).code, 1);
    let pending = p.read(GOOD_PENDING);
    let out = p.run(&["review", "--accept"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "good.snap.yaml");
    assert_has(&out.stdout, "-          first_name: Eve");
    assert_has(&out.stdout, "1 accepted, 0 rejected, 0 still pending");
    assert!(!p.exists(GOOD_PENDING), "{:?}", p.files());
    assert_eq!(p.read(GOOD_SNAP), pending);
    // And the suite passes again, in CI.
    let out = p.run_ci(&["run"]);
    assert_eq!(out.code, 0, "{out}");
}

/// `gatecheck review` with `answers` on its stdin, a pipe.
fn review_answering(p: &Project, answers: &str) -> Out {
    let mut c = p.cmd(&["review"]);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("run gatecheck");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(answers.as_bytes()).expect("answers");
    drop(stdin);
    let o = child.wait_with_output().expect("gatecheck ends");
    Out {
        code: o.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn review_through_a_pipe_names_the_step_asks_again_and_quits() {
    const OTHER: &str = "specs/braintree/customer_update/other.yaml";
    const OTHER_SNAP: &str = "snapshots/braintree/customer_update/other.snap.yaml";
    const OTHER_PENDING: &str = "snapshots/braintree/customer_update/other.snap.pending.yaml";
    let p = project_with_stale_snapshot();
    p.write(OTHER, &bt_scenario("Ada"));
    // `other` gets its snapshot, then a stale one too: two pending after the next run.
    assert_eq!(p.run(&["run"]).code, 1);
    let stored = p.read(OTHER_SNAP);
    p.write(
        OTHER_SNAP,
        &stored.replace("first_name: Ada", "first_name: Eve"),
    );
    assert_eq!(p.run(&["run"]).code, 1);
    assert!(p.exists(GOOD_PENDING) && p.exists(OTHER_PENDING));
    let pending = p.read(GOOD_PENDING);

    // A bad answer is asked again; `a` accepts the first, `q` leaves the second.
    let out = review_answering(&p, "x\na\nq\n");
    assert_eq!(out.code, 0, "{out}");
    let s = &out.stdout;
    assert_has(s, "[1/2] ");
    assert_has(
        s,
        "scenario \"Create and find a customer\" (braintree::customer_update::good)",
    );
    // The step whose entry changed, where it is written.
    assert_has(s, "step 2 \"find it\" at ");
    assert_has(s, "customer_update/good.yaml:17:5");
    assert_lacks(s, "step 1 \"create a customer\"", "the steps shown");
    assert_has(s, "-          first_name: Eve");
    assert_has(s, "`x` is not an answer");
    assert_eq!(s.matches(gatecheck::review::PROMPT).count(), 3, "{s}");
    assert_has(s, "1 accepted, 0 rejected, 1 still pending (quit)");
    assert_eq!(p.read(GOOD_SNAP), pending);
    assert!(!p.exists(GOOD_PENDING));
    assert!(p.exists(OTHER_PENDING), "quit leaves the rest pending");

    // `s` skips, `r` rejects; the end of the input quits, leaving it pending.
    let out = review_answering(&p, "s\n");
    assert_has(&out.stdout, "0 accepted, 0 rejected, 1 still pending");
    let out = review_answering(&p, "r\n");
    assert_has(&out.stdout, "0 accepted, 1 rejected, 0 still pending");
    assert!(!p.exists(OTHER_PENDING));
}

#[test]
fn review_of_a_pending_file_named_by_its_path_shows_its_scenario() {
    let p = project_with_stale_snapshot();
    assert_eq!(p.run(&["run"]).code, 1);
    // `--config` is absolute here; the pending file is named relative to the project.
    let out = p.run(&["review", "--reject", GOOD_PENDING]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(
        &out.stdout,
        "scenario \"Create and find a customer\" (braintree::customer_update::good)",
    );
    assert_lacks(
        &out.stdout,
        "no scenario in the suite has this snapshot",
        "stdout",
    );
}

#[test]
fn review_of_a_path_that_is_not_pending_exits_2() {
    let p = embedded_project();
    let out = p.run(&["review", "no/such/file.yaml"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "is not a pending snapshot or a directory");
}

#[test]
fn snapshots_update_rewrites_stored_file() {
    let p = project_with_stale_snapshot();
    let out = p.run_ci(&["run", "--snapshots", "update"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "(snapshot updated ");
    let stored = p.read(GOOD_SNAP);
    assert_has(&stored, "first_name: Ada");
    assert_lacks(&stored, "Eve", "the updated snapshot");
    assert!(!p.exists(GOOD_PENDING), "{:?}", p.files());
}

// ---------------------------------------------------------------------------------------
// 5. Targets that are down, slow, or answer garbage.

fn one_get_scenario(p: &Project) {
    p.write(
        "specs/fake/ping.yaml",
        "name: Ping\napi: fake\nsteps:\n  - name: ping\n    request: { method: GET, path: /ping }\n    expect: { status: 200 }\n",
    );
}

#[test]
fn a_path_names_the_same_scenario_whether_the_config_is_given_or_found() {
    let url = echo_target();
    let p = Project::new(&fake_config(&url, "{}"));
    one_get_scenario(&p);
    let absolute = p.path("specs/fake/ping.yaml");
    let absolute = absolute.to_str().expect("utf-8 path");
    // `--config` is absolute here; the path is relative to the working directory.
    for out in [
        p.run(&["list", "specs/fake/ping.yaml"]),
        p.run(&["list", absolute]),
        exec(p.found_cmd(&["list", "specs/fake/ping.yaml"])),
        exec(p.found_cmd(&["list", absolute])),
    ] {
        assert_eq!(out.code, 0, "{out}");
        assert_has(&out.stdout, "fake::ping");
        assert_lacks(&out.stdout, "specs::fake", "stdout");
    }
}

#[track_caller]
fn assert_unreachable_failure(out: &Out, reason: &str) {
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "FAIL fake::ping");
    assert_has(&out.stdout, "step 1 \"ping\"");
    assert_has(&out.stdout, reason);
    assert_eq!(
        last_line(&out.stdout),
        "0 passed, 1 failed, 0 skipped",
        "{out}"
    );
}

#[test]
fn target_down_fails_with_reason() {
    let url = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let p = Project::new(&fake_config(&url, "{}"));
    one_get_scenario(&p);
    let out = p.run(&["run", "--junit", "junit.xml"]);
    // Said once, as the target's problem: exit 3, an error in JUnit, not a failure.
    assert_eq!(out.code, 3, "{out}");
    assert_has(&out.stdout, "ERROR fake::ping");
    assert_has(
        &out.stdout,
        "error: target `fake` is unreachable: cannot connect",
    );
    assert_has(&out.stdout, &format!("{url}/ping"));
    assert_eq!(out.stdout.matches("cannot connect").count(), 1, "{out}");
    assert_has(&out.stdout, "1 errored: the target could not be reached");
    assert_eq!(
        last_line(&out.stdout),
        "0 passed, 1 failed, 0 skipped",
        "{out}"
    );
    let junit = p.read("junit.xml");
    assert_has(&junit, "<error");
    assert!(!junit.contains("<failure"), "{junit}");
}

#[test]
fn slow_target_times_out() {
    let url = fake_target(|_| None);
    let p = Project::new(&fake_config(&url, "{}"));
    one_get_scenario(&p);
    let started = std::time::Instant::now();
    let out = p.run(&["run"]);
    assert_unreachable_failure(&out, "no complete answer within 300ms");
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn garbage_answer_fails_with_reason_and_preview() {
    let url = fake_target(|_| {
        Some(http_response(
            "200 OK",
            "application/json",
            "<html><body>Bad Gateway</body></html>",
        ))
    });
    let p = Project::new(&fake_config(&url, "{}"));
    one_get_scenario(&p);
    let out = p.run(&["run"]);
    assert_unreachable_failure(&out, "the body claims to be JSON but is not");
    assert_has(&out.stdout, "<html><body>Bad Gateway");
}

#[test]
fn truncated_answer_fails_without_panic() {
    let url = fake_target(|_| {
        Some(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"a\":"
                .to_vec(),
        )
    });
    let p = Project::new(&fake_config(&url, "{}"));
    one_get_scenario(&p);
    let out = p.run(&["run"]);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "FAIL fake::ping");
}

#[test]
fn unset_env_credential_is_named() {
    let url = echo_target();
    let p = Project::new(&fake_config(
        &url,
        "auth: { bearer: { token: \"${env:GATECHECK_CLI_TEST_SURELY_UNSET}\" } }",
    ));
    one_get_scenario(&p);
    let mut c = p.cmd(&["run"]);
    c.env_remove("GATECHECK_CLI_TEST_SURELY_UNSET");
    let out = exec(c);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "GATECHECK_CLI_TEST_SURELY_UNSET");
}

// ---------------------------------------------------------------------------------------
// 6. Secrets and card data never leak.

const PAN: &str = "4111111111111111";
const AMEX: &str = "378282246310005";
const CVV: &str = "9876";
const SECRET: &str = "Zq7-gatecheck-cli-secret-Wx3";
const SECRET_ENV: &str = "GATECHECK_CLI_TEST_SECRET";

/// Runs with `--junit` and `--json` and checks that none of `needles` is in any output,
/// report or file written under the project.
#[track_caller]
fn run_and_assert_no_leak(p: &Project, env: (&str, &str), needles: &[&str]) -> Out {
    let junit = p.path("report.xml");
    let json = p.path("report.json");
    let mut c = p.cmd(&["run", "--junit"]);
    c.arg(&junit).arg("--json").arg(&json).env(env.0, env.1);
    let out = exec(c);
    let mut places = vec![
        ("stdout".to_string(), out.stdout.clone()),
        ("stderr".to_string(), out.stderr.clone()),
    ];
    for f in p.files() {
        if f != "gatecheck.yaml" && !f.starts_with("specs/") {
            places.push((f.clone(), p.read(&f)));
        }
    }
    assert!(p.exists("report.xml") && p.exists("report.json"), "{out}");
    for (what, text) in &places {
        for needle in needles {
            assert_lacks(text, needle, what);
        }
    }
    out
}

fn basic_token(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

fn card_scenario(expect: &str) -> String {
    format!(
        r#"name: Send a card
api: fake
steps:
  - name: store a card
    request:
      method: POST
      path: /cards
      body:
        credit_card:
          number: "{PAN}"
          cvv: "{CVV}"
          expiration_date: 05/2030
    expect:
      status: 200
      json:
{expect}
    snapshot: true
"#
    )
}

#[test]
fn secrets_and_card_data_never_leak_with_a_quoting_target() {
    let url = echo_target();
    let auth =
        format!("auth: {{ basic: {{ username: gc_user, password: \"${{env:{SECRET_ENV}}}\" }} }}");
    let token = basic_token("gc_user", SECRET);
    let needles = [PAN, CVV, SECRET, token.as_str()];

    // Passing: the answer quotes the card, the CVV and the Authorization header.
    let p = Project::new(&fake_config(&url, &auth));
    p.write(
        "specs/fake/card.yaml",
        &card_scenario(
            "        $.ok: true\n        $.received.credit_card.expiration_date: 05/2030",
        ),
    );
    let out = run_and_assert_no_leak(&p, (SECRET_ENV, SECRET), &needles);
    assert_eq!(out.code, 0, "{out}");
    let snap = p.read("snapshots/fake/card.snap.yaml");
    assert_has(&snap, "411111******1111");
    assert_has(&snap, "[masked]");

    // Failing: the failure shows the request sent and the answer.
    let p = Project::new(&fake_config(&url, &auth));
    p.write(
        "specs/fake/card.yaml",
        &card_scenario("        $.ok: false"),
    );
    let out = run_and_assert_no_leak(&p, (SECRET_ENV, SECRET), &needles);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "request sent:");
    assert_has(&out.stdout, "Authorization: [masked]");
    assert_has(&out.stdout, "411111******1111");
    assert_has(&p.read("report.xml"), "<failure");
}

#[test]
fn failing_expectation_on_a_cvv_does_not_show_it() {
    let url = echo_target();
    let p = Project::new(&fake_config(&url, "{}"));
    p.write(
        "specs/fake/card.yaml",
        &card_scenario("        $.received.credit_card.cvv: \"123\""),
    );
    let out = run_and_assert_no_leak(&p, ("GATECHECK_CLI_UNUSED", "x"), &[PAN, CVV]);
    assert_eq!(out.code, 1, "{out}");
    assert_has(
        &out.stdout,
        "$.received.credit_card.cvv: expected \"123\": got \"[masked]\"",
    );
}

#[test]
fn failing_expectation_on_a_card_number_does_not_show_it() {
    let url = echo_target();
    let p = Project::new(&fake_config(&url, "{}"));
    p.write(
        "specs/fake/card.yaml",
        &card_scenario(&format!(
            "        $.received.credit_card.number: {{ one_of: [\"{AMEX}\"] }}"
        )),
    );
    let out = run_and_assert_no_leak(&p, ("GATECHECK_CLI_UNUSED", "x"), &[PAN, AMEX, CVV]);
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn secret_in_the_base_url_never_leaks() {
    // Some gateways take the key in the URL; a dead one makes the URL show in errors.
    let url = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}", l.local_addr().expect("addr"))
    };
    let p = Project::new(&fake_config(
        &format!("{url}/key/${{env:{SECRET_ENV}}}"),
        "{}",
    ));
    one_get_scenario(&p);
    let out = run_and_assert_no_leak(&p, (SECRET_ENV, SECRET), &[SECRET]);
    assert_eq!(out.code, 3, "{out}");
    assert_has(&out.stdout, "/key/[masked]/ping");
}

/// Two cards on the embedded gateway: a Visa without CVV, then an Amex with a 4-digit
/// CVV (`cvv_card`), snapshotted.
fn embedded_card_scenario(cvv_card: &str, expect_first_name: &str) -> String {
    format!(
        r#"name: Cards on a customer
api: braintree
steps:
  - name: create a customer with a card
    request:
      method: POST
      path: /merchants/${{merchant_id}}/customers
      body:
        customer:
          id: c-${{run_id}}
          first_name: Ada
          credit_card:
            number: "{PAN}"
            expiration_date: 05/2030
    expect:
      status: 201
    capture:
      customer_id: $.customer.id
  - name: add a card with a CVV
    request:
      method: PUT
      path: /merchants/${{merchant_id}}/customers/${{customer_id}}
      body:
        customer:
          credit_card:
            number: "{cvv_card}"
            expiration_date: 11/2031
            cvv: "{CVV}"
    expect:
      status: 200
      json:
        $.customer.first_name: {expect_first_name}
        $.customer.credit_cards: {{ length: 2 }}
    snapshot: true
"#
    )
}

#[test]
fn secrets_and_card_data_never_leak_on_the_embedded_gateway() {
    // The embedded gateway's private key, read from the environment.
    let config = embedded_config(&format!("${{env:{SECRET_ENV}}}"));
    let token = basic_token("sandbox_public", "sandbox_private");
    let needles = [PAN, AMEX, CVV, "sandbox_private", token.as_str()];
    let env = (SECRET_ENV, "sandbox_private");

    let p = Project::new(&config);
    p.write(
        "specs/braintree/cards.yaml",
        &embedded_card_scenario(AMEX, "Ada"),
    );
    let out = run_and_assert_no_leak(&p, env, &needles);
    assert_eq!(out.code, 0, "{out}");
    assert!(p.exists("snapshots/braintree/cards.snap.yaml"));

    // Failing on an expectation after the CVV was sent.
    let p = Project::new(&config);
    p.write(
        "specs/braintree/cards.yaml",
        &embedded_card_scenario(AMEX, "Eve"),
    );
    let out = run_and_assert_no_leak(&p, env, &needles);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "<cvv>[masked]</cvv>");

    // Failing because the gateway refuses a 4-digit CVV on a Visa.
    let p = Project::new(&config);
    p.write(
        "specs/braintree/cards.yaml",
        &embedded_card_scenario(PAN, "Ada"),
    );
    let out = run_and_assert_no_leak(&p, env, &needles);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "status: expected 200, got 422");
}

// ---------------------------------------------------------------------------------------
// 7. Reports.

#[test]
fn junit_and_json_reports_one_case_per_scenario() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    p.write(
        "specs/braintree/customer_update/bad.yaml",
        &bt_scenario("Grace"),
    );
    let junit = p.path("out/junit.xml");
    std::fs::create_dir_all(junit.parent().expect("parent")).expect("mkdir");
    let json = p.path("out/report.json");
    let mut c = p.cmd(&["run", "--junit"]);
    c.arg(&junit).arg("--json").arg(&json);
    let out = exec(c);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 1 failed, 0 skipped",
        "{out}"
    );

    let xml = p.read("out/junit.xml");
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_has(&xml, "<testsuites name=\"gatecheck\" tests=\"2\"");
    assert_has(&xml, "timestamp=\"");
    assert_has(&xml, "failures=\"1\"");
    assert_has(&xml, "<testsuite name=\"embedded\"");
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert_has(&xml, "name=\"braintree::customer_update::good\"");
    assert_has(&xml, "name=\"braintree::customer_update::bad\"");
    assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
    let bad_case = &xml[xml
        .find("name=\"braintree::customer_update::bad\"")
        .expect("bad")..];
    let bad_case = &bad_case[..bad_case.find("</testcase>").expect("closed")];
    assert_has(bad_case, "<failure");
    assert_has(bad_case, "expected &quot;Grace&quot;");
    assert!(xml.trim_end().ends_with("</testsuites>"), "{xml}");

    let rows: serde_json::Value =
        serde_json::from_str(&p.read("out/report.json")).expect("the JSON report parses");
    assert_eq!(rows["gatecheck"], env!("CARGO_PKG_VERSION"));
    assert_eq!(rows["target"], "embedded");
    assert_eq!(rows["totals"]["passed"], 1);
    assert_eq!(rows["totals"]["failed"], 1);
    assert!(
        rows["started_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{rows}"
    );
    assert!(rows["duration_ms"].is_u64(), "{rows}");
    let rows = rows["scenarios"].as_array().expect("an array");
    assert_eq!(rows.len(), 2);
    let by_id = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {rows:?}"))
    };
    let bad = by_id("braintree::customer_update::bad");
    assert_eq!(bad["passed"], false);
    assert_has(bad["failure"].as_str().expect("failure text"), "Grace");
    assert_eq!(bad["steps"][1]["status"], "failed");
    let good = by_id("braintree::customer_update::good");
    assert_eq!(good["passed"], true);
    assert_eq!(good["steps"][1]["response"]["status"], 200);
}

#[test]
fn jobs_1_runs_everything_in_order() {
    let p = embedded_project();
    for name in ["a", "b", "c"] {
        p.write(
            &format!("specs/braintree/customer_update/{name}.yaml"),
            &bt_scenario("Ada"),
        );
    }
    let out = p.run(&["run", "--jobs", "1"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        last_line(&out.stdout),
        "3 passed, 0 failed, 0 skipped",
        "{out}"
    );
    assert_has(&out.stdout, "gatecheck: 3 scenario(s) on target `embedded`");
}

// ---------------------------------------------------------------------------------------
// 8. serve.

/// Kills the child on drop, so a failing assertion leaves no server behind.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn raw_get(addr: &str, path: &str, auth: Option<&str>) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    let auth = auth
        .map(|t| format!("Authorization: Basic {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/xml\r\nX-ApiVersion: 6\r\n{auth}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn serve_prints_its_url_and_answers() {
    let mut c = Command::new(BIN);
    c.args(["serve", "--port", "0"])
        .env_remove("GATECHECK_BRAINTREE_PRIVATE_KEY")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut server = Server(c.spawn().expect("spawn serve"));
    let stdout = server.0.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("first line");
    let url = first
        .trim()
        .strip_prefix("gatecheck reference gateway listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    let addr = url.strip_prefix("http://").expect("http URL");
    assert!(addr.starts_with("127.0.0.1:"), "{url}");
    assert_ne!(addr, "127.0.0.1:0");

    let token = basic_token("sandbox_public", "sandbox_private");
    let path = "/merchants/sandbox_merchant/customers/no-such-customer";
    let answer = raw_get(addr, path, Some(&token));
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let answer = raw_get(addr, path, None);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let wrong = basic_token("sandbox_public", "wrong");
    let answer = raw_get(addr, path, Some(&wrong));
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}

#[test]
fn embedded_gateway_takes_the_credentials_of_its_target() {
    let p = Project::new(&embedded_config("another-private-key"));
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run"]);
    assert_eq!(out.code, 0, "{out}");
    assert_lacks(&out.stdout, "another-private-key", "the private key");
}

#[test]
fn unwritable_report_still_prints_the_summary() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let missing_dir = p.path("no/such/dir/junit.xml");
    let out = p.run(&["run", "--junit", missing_dir.to_str().expect("utf-8 path")]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "cannot write");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 0 failed, 0 skipped",
        "{out}"
    );
}

#[test]
fn unknown_target_names_the_config_file_used() {
    let p = embedded_project();
    std::fs::rename(p.path("gatecheck.yaml"), p.path("other.yaml")).expect("rename");
    let out = exec({
        let mut c = Command::new(BIN);
        c.current_dir(p.path(""))
            .args(["--config", "other.yaml", "run", "--target", "nope"])
            .env("NO_COLOR", "1")
            .env_remove("CI");
        c
    });
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "in other.yaml");
}

#[test]
fn scenario_env_values_are_masked_too() {
    let p = embedded_project();
    p.write(
        GOOD,
        r#"name: env in a body
api: braintree
steps:
  - name: create
    request:
      method: POST
      path: /merchants/${merchant_id}/customers
      body:
        customer: { id: "c-${run_id}", first_name: "${env:GATECHECK_CLI_SCENARIO_SECRET}" }
    expect:
      status: 201
      json:
        $.customer.first_name: Somebody Else
"#,
    );
    let mut c = p.cmd(&["run"]);
    c.env("GATECHECK_CLI_SCENARIO_SECRET", "zq-scenario-secret-77");
    let out = exec(c);
    assert_eq!(out.code, 1, "{out}");
    assert_lacks(
        &out.stdout,
        "zq-scenario-secret-77",
        "the scenario's env value",
    );
    assert_lacks(
        &out.stderr,
        "zq-scenario-secret-77",
        "the scenario's env value",
    );
    assert_has(&out.stdout, "[masked]");
}

// ---------------------------------------------------------------------------------------
// Interruption.

#[cfg(unix)]
#[test]
fn ctrl_c_stops_sending_waits_for_the_request_in_flight_and_still_reports() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let p = Project::new(&fake_config(&url, "{}").replace("timeout: 300ms", "timeout: 20s"));
    p.write(
        "specs/fake/two_steps.yaml",
        "name: two steps\napi: fake\nsteps:\n  - name: first\n    request: { method: GET, path: /one }\n    expect: { status: 200 }\n  - name: second\n    request: { method: GET, path: /two }\n",
    );
    let mut child = p
        .cmd(&["run", "--junit", "junit.xml", "--json", "report.json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gatecheck");
    // The first request is in flight once it is accepted; then the run is interrupted.
    let (mut held, _) = listener.accept().expect("the first request");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    while !line.contains("interrupted") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).expect("stderr") > 0,
            "no interruption notice"
        );
    }
    // Only now does the request in flight get its answer: the run waited for it.
    let mut request = [0u8; 1024];
    let _ = held.read(&mut request).expect("read the request");
    held.write_all(&http_response("200 OK", "application/json", "{}"))
        .expect("answer");
    drop(held);
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(130), "{stdout}");
    assert_has(
        &stdout,
        "interrupted: step 2 and those after it were not run",
    );
    assert_has(
        &stdout,
        "interrupted: 0 scenario(s) finished, 1 not finished",
    );
    // Not finished is neither passed nor failed: it counts with the skipped.
    assert_eq!(
        last_line(&stdout),
        "0 passed, 0 failed, 1 skipped",
        "{stdout}"
    );
    assert_has(&p.read("junit.xml"), "name=\"fake::two_steps\"");
    // The JSON report counts it as the summary does.
    let report: serde_json::Value = serde_json::from_str(&p.read("report.json")).expect("json");
    assert_eq!(report["totals"]["failed"], 0, "{report}");
    assert_eq!(report["totals"]["skipped"], 1, "{report}");
    assert_eq!(report["scenarios"][0]["status"], "stopped", "{report}");
    // No second request was sent.
    listener.set_nonblocking(true).expect("nonblocking");
    assert!(
        listener.accept().is_err(),
        "a request was sent after the interruption"
    );
}

// ---------------------------------------------------------------------------------------
// Verdicts that cannot mislead.

#[test]
fn skipped_scenarios_are_counted_everywhere() {
    let url = echo_target();
    let config =
        fake_config(&url, "{}").replacen("apis:\n", "apis:\n  braintree: { format: xml }\n", 1);
    let p = Project::new(&config);
    one_get_scenario(&p);
    // The fake target does not serve braintree: this one is skipped there.
    p.write(
        GOOD,
        "name: b\napi: braintree\nsteps:\n  - name: x\n    request: { method: GET, path: /x }\n",
    );
    let out = p.run(&["run", "--junit", "junit.xml", "--json", "run.json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 0 failed, 1 skipped",
        "{out}"
    );
    let junit = p.read("junit.xml");
    assert_has(&junit, "skipped=\"1\"");
    assert_has(&junit, "name=\"braintree::customer_update::good\"");
    let json: serde_json::Value = serde_json::from_str(&p.read("run.json")).expect("json");
    assert_eq!(json["totals"]["skipped"], 1, "{json}");
    let skipped: Vec<&serde_json::Value> = json["scenarios"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["skipped"] == true)
        .collect();
    assert_eq!(skipped.len(), 1, "{json}");
    assert_has(
        skipped[0]["reason"].as_str().unwrap_or_default(),
        "does not serve api `braintree`",
    );
}

#[test]
fn a_filter_that_matches_nothing_is_an_error() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    for args in [
        &["run", "--filter", "zzzz"][..],
        &["list", "--tag", "nope"][..],
    ] {
        let out = p.run(args);
        assert_eq!(out.code, 4, "{out}");
        assert_has(&out.stderr, "no scenario matches");
    }
}

#[test]
fn an_unknown_snapshot_mode_is_an_error() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let mut c = p.cmd(&["run"]);
    c.env("GATECHECK_UPDATE", "yes please");
    let out = exec(c);
    assert_eq!(out.code, 2, "{out}");
    assert_has(
        &out.stderr,
        "GATECHECK_UPDATE=\"yes please\" is not a snapshot mode",
    );
    assert!(!p.exists("snapshots"), "{:?}", p.files());
}

#[test]
fn partitions_split_the_suite_and_cover_it() {
    let p = embedded_project();
    for i in 0..9 {
        p.write(
            &format!("specs/braintree/customer_update/s{i}.yaml"),
            &bt_scenario("Ada"),
        );
    }
    let all = p.run(&["list"]);
    let mut parts: Vec<String> = Vec::new();
    for k in 1..=3 {
        let out = p.run(&["list", "--partition", &format!("{k}/3")]);
        assert_eq!(out.code, 0, "{out}");
        parts.extend(out.stdout.lines().map(str::to_string));
    }
    parts.sort();
    let mut every: Vec<String> = all.stdout.lines().map(str::to_string).collect();
    every.sort();
    assert_eq!(parts, every);
    let bad = p.run(&["list", "--partition", "4/3"]);
    assert_eq!(bad.code, 2, "{bad}");
}

#[test]
fn fail_fast_stops_at_the_first_failure() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Grace"));
    for i in 0..6 {
        p.write(
            &format!("specs/braintree/customer_update/later{i}.yaml"),
            &bt_scenario("Ada"),
        );
    }
    let out = p.run(&["run", "--jobs", "1", "--fail-fast"]);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "stopped at the first failure (--fail-fast)");
    assert!(!out.stdout.contains("7 passed"), "{out}");
}

#[test]
fn the_targets_file_is_found_from_a_subdirectory() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let mut c = Command::new(BIN);
    c.arg("list")
        .current_dir(p.path("specs/braintree"))
        .env_remove("GATECHECK_CONFIG")
        .env("NO_COLOR", "1");
    let out = exec(c);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "braintree::customer_update::good");
}

#[test]
fn cases_vary_status_and_matcher_arguments() {
    let p = embedded_project();
    p.write(
        "specs/braintree/customer_update/accepted_or_refused.yaml",
        &(r#"name: a first name is accepted or refused
api: braintree
steps:
  - name: create
    request:
      method: POST
      path: /merchants/${merchant_id}/customers
      body: { customer: { first_name: "${first}" } }
    expect:
      status: ${status}
      json:
        $.customer.first_name: { length: "${n}" }
cases:
  - name: short
    vars: { first: Ada, status: 201, n: 3 }
  - name: too_long
    vars: { first: "${long}", status: 422, n: 0 }
vars:
  long: "#
            .to_string()
            + &"x".repeat(300)
            + "\n"),
    );
    let out = p.run(&["run"]);
    // The refused case's answer has no customer: its `length` fails, and says so with
    // the case's value, not the placeholder.
    assert_eq!(out.code, 1, "{out}");
    assert_has(
        &out.stdout,
        "PASS braintree::customer_update::accepted_or_refused::short",
    );
    assert_has(
        &out.stdout,
        "FAIL braintree::customer_update::accepted_or_refused::too_long",
    );
    assert_has(
        &out.stdout,
        "$.customer.first_name: expected length 0: the path matched nothing",
    );
    assert!(!out.stdout.contains("status: expected"), "{out}");
}

#[test]
fn verbose_prints_every_step_masked() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run", "--verbose"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "step 1 \"create a customer\" passed");
    assert_has(&out.stdout, "POST http://127.0.0.1:");
    assert_has(&out.stdout, "→ 201");
    assert_has(&out.stdout, "Authorization: [masked]");
    assert_lacks(&out.stdout, "sandbox_private", "the console");
}

#[test]
fn unreferenced_snapshots_are_reported_rejected_or_deleted() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    assert_eq!(p.run(&["run"]).code, 0);
    let stale = "snapshots/braintree/customer_update/renamed_away.snap.yaml";
    p.write(stale, "# left behind\n");
    let out = p.run(&["run", "--unreferenced", "warn"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(
        &out.stdout,
        "warning: 1 snapshot file(s) no scenario refers to:",
    );
    assert_has(&out.stdout, "renamed_away.snap.yaml");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 0 failed, 0 skipped",
        "{out}"
    );
    let out = p.run(&["run", "--unreferenced", "reject"]);
    assert_eq!(out.code, 1, "{out}");
    let out = p.run(&["run", "--filter", "good", "--unreferenced", "reject"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(
        &out.stdout,
        "not checked (only part of the suite was selected)",
    );
    let out = p.run(&["run", "--unreferenced", "delete"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(!p.exists(stale), "{:?}", p.files());
    assert!(p.exists(GOOD_SNAP));
}

// ---------------------------------------------------------------------------------------
// 9. Variables from outside: `--vars FILE` and `--var NAME=VALUE`.

/// [`fake_config`] with `vars` on the target, and a second target at `url` (for
/// `diff`) with other values.
fn vars_config(url: &str) -> String {
    let first = fake_config(url, "{}").replace(
        "    timeout: 300ms\n",
        "    timeout: 300ms\n    vars: { a: target, b: target, c: target, d: target }\n",
    );
    format!(
        "{first}  other:\n    base_url: {url}\n    vars: {{ a: other, b: other, c: other, d: other }}\n    apis:\n      fake: {{}}\n"
    )
}

/// A scenario sending every variable and expecting the values `expect` gives
/// (`name: value` lines under `$.received.`).
fn vars_scenario(vars: &str, expect: &[(&str, &str)]) -> String {
    let json: String = expect
        .iter()
        .map(|(name, value)| format!("        $.received.{name}: {value}\n"))
        .collect();
    let body: String = expect
        .iter()
        .map(|(name, _)| format!("        {name}: \"${{{name}}}\"\n"))
        .collect();
    format!(
        "name: Variables\napi: fake\n{vars}steps:\n  - name: send them\n    request:\n      method: POST\n      path: /echo\n      body:\n{body}    expect:\n      status: 200\n      json:\n{json}"
    )
}

#[test]
fn check_counts_variables_from_outside_as_defined() {
    let p = Project::new(&vars_config("http://127.0.0.1:9"));
    p.write(
        "specs/fake/currency.yaml",
        &vars_scenario("", &[("currency", "EUR")]),
    );
    let out = p.run(&["check"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "undefined variable `currency`");
    assert_has(&out.stderr, "or pass `--var currency=…`");
    assert_has(&out.stderr, "specs/fake/currency.yaml:9:");
    let out = p.run(&["check", "--var", "currency=EUR"]);
    assert_eq!(out.code, 0, "{out}");
    assert_lacks(&out.stderr, "warning", "check");
    // A `--var` nothing reads would change nothing: likely misspelt.
    let out = p.run(&["check", "--var", "currency=EUR", "--var", "curency=USD"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(
        &out.stderr,
        "warning: --var curency: no selected scenario uses `${curency}`, so it changes nothing (did you mean `currency`?)",
    );
    p.write("ci-vars.yaml", "# for CI\ncurrency: EUR\n");
    for command in ["check", "list"] {
        let out = p.run(&[command, "--vars", "ci-vars.yaml"]);
        assert_eq!(out.code, 0, "{command}: {out}");
    }
    let out = p.run(&["list", "--var", "currency=EUR"]);
    assert_has(&out.stdout, "fake::currency");
    // As `cargo test` takes it: `GATECHECK_VARS` is `--vars` when none is given.
    let mut c = p.cmd(&["check"]);
    c.env("GATECHECK_VARS", "ci-vars.yaml");
    let out = exec(c);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn the_command_line_wins_over_files_and_files_over_the_target() {
    let url = echo_target();
    let p = Project::new(&vars_config(&url));
    p.write("vars.yaml", "b: file\nc: file\nd: file\nn: 5\n");
    p.write("more.yaml", "c: more\n");
    // `e` is the scenario's own; `s` reads `c`, whatever gave it.
    p.write(
        "specs/fake/layers.yaml",
        &vars_scenario(
            "vars:\n  d: scenario\n  e: scenario\n  s: \"${c}-s\"\n",
            &[
                ("a", "target"),
                ("b", "file"),
                ("c", "flag"),
                ("d", "flag2"),
                ("e", "scenario"),
                ("s", "flag-s"),
            ],
        ),
    );
    // A case's values are the scenario's `vars:` too: the command line wins.
    p.write(
        "specs/fake/cases.yaml",
        &vars_scenario(
            "cases:\n  - name: one\n    vars: { d: case, e: case }\n",
            &[("d", "flag2"), ("e", "case")],
        )
        .replace(
            "        $.received.e: case\n",
            "        $.received.e: case\n        $.received.n: 5\n",
        )
        .replace(
            "        e: \"${e}\"\n",
            "        e: \"${e}\"\n        n: ${n}\n",
        ),
    );
    let args = [
        "run",
        "--vars",
        "vars.yaml",
        "--vars",
        "more.yaml",
        "--var",
        "c=flag",
        "--var",
        "d=flag1",
        "--var",
        "d=flag2",
    ];
    let out = p.run(&args);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        last_line(&out.stdout),
        "2 passed, 0 failed, 0 skipped",
        "{out}"
    );
    // Without the flags: the later file, then the first, then the scenario.
    p.write(
        "specs/fake/cases.yaml",
        &vars_scenario("", &[("b", "file"), ("c", "more"), ("d", "file")]),
    );
    p.write(
        "specs/fake/layers.yaml",
        &vars_scenario("vars:\n  b: scenario\n", &[("a", "target"), ("b", "file")]),
    );
    let out = p.run(&["run", "--vars", "vars.yaml", "--vars", "more.yaml"]);
    assert_eq!(out.code, 0, "{out}");
    // `diff` gives them to both targets: their `a` differ, but not the one sent.
    std::fs::remove_file(p.path("specs/fake/cases.yaml")).expect("remove");
    p.write(
        "specs/fake/layers.yaml",
        &vars_scenario("", &[("a", "both"), ("b", "file")]),
    );
    let diff = ["diff", "--target", "fake", "--target", "other"];
    let out = p.run(&[diff.as_slice(), &["--var", "a=both", "--vars", "vars.yaml"]].concat());
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "gatecheck diff: 1 scenario(s)");
    let out = p.run(&[diff.as_slice(), &["--vars", "vars.yaml"]].concat());
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn outside_values_read_from_the_environment_are_masked_everywhere() {
    const OUTSIDE: &str = "Out-side-S3cret-from-a-file";
    const FLAGGED: &str = "Flag-S3cret-from-the-command-line";
    let url = echo_target();
    let p = Project::new(&vars_config(&url));
    p.write("vars.yaml", "from_file: \"${env:GATECHECK_CLI_OUTSIDE}\"\n");
    // Fails, so the request sent and the answer (which quotes both) are shown.
    p.write(
        "specs/fake/secret.yaml",
        &vars_scenario(
            "",
            &[("from_file", "nothing like it"), ("flagged", "nor this")],
        ),
    );
    let mut c = p.cmd(&[
        "run",
        "--vars",
        "vars.yaml",
        "--var",
        "flagged=${env:GATECHECK_CLI_FLAGGED}",
        "--junit",
        "r.xml",
        "--json",
        "r.json",
        "--html",
        "r.html",
        "--verbose",
    ]);
    c.env("GATECHECK_CLI_OUTSIDE", OUTSIDE)
        .env("GATECHECK_CLI_FLAGGED", FLAGGED);
    let out = exec(c);
    assert_eq!(out.code, 1, "{out}");
    assert_has(&out.stdout, "request sent:");
    assert_has(&out.stdout, "[masked]");
    let mut places = vec![
        ("stdout", out.stdout.clone()),
        ("stderr", out.stderr.clone()),
    ];
    for file in ["r.xml", "r.json", "r.html"] {
        places.push((file, p.read(file)));
    }
    for (what, text) in &places {
        for secret in [OUTSIDE, FLAGGED] {
            assert_lacks(text, secret, what);
        }
    }
}

#[test]
fn bad_outside_variables_are_usage_errors_that_say_where() {
    let silent = Silent::new();
    let p = Project::new(&vars_config(&silent.url()));
    p.write("specs/fake/x.yaml", &vars_scenario("", &[("x", "1")]));
    let out = p.run(&["run", "--var", "x"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "`x` has no `=`: write NAME=VALUE");
    let out = p.run(&["run", "--var", "9x=1"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "`9x` is not a variable name");
    let out = p.run(&["check", "--var", "run_id=1"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "`run_id` is built in");
    let mut c = p.cmd(&["run", "--var", "x=${env:GATECHECK_CLI_SURELY_UNSET}"]);
    c.env_remove("GATECHECK_CLI_SURELY_UNSET");
    let out = exec(c);
    assert_eq!(out.code, 2, "{out}");
    assert_has(
        &out.stderr,
        "--var x=${env:GATECHECK_CLI_SURELY_UNSET}: `x` needs environment variable `GATECHECK_CLI_SURELY_UNSET`, which is not set",
    );
    p.write(
        "vars.yaml",
        "ok: 1\nx: [1, 2]\nempty:\ntoken: \"${env:GATECHECK_CLI_SURELY_UNSET}\"\n",
    );
    let mut c = p.cmd(&["run", "--vars", "vars.yaml"]);
    c.env_remove("GATECHECK_CLI_SURELY_UNSET");
    let out = exec(c);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "vars.yaml:2:4");
    assert_has(&out.stderr, "`x` is a list");
    assert_has(&out.stderr, "help: give `x` one value");
    assert_has(&out.stderr, "vars.yaml:3:1");
    assert_has(&out.stderr, "`empty` has no value");
    assert_has(&out.stderr, "vars.yaml:4:8");
    assert_has(
        &out.stderr,
        "`token` needs environment variable `GATECHECK_CLI_SURELY_UNSET`",
    );
    assert_has(&out.stderr, "3 problem(s) in variables file");
    let out = p.run(&["run", "--vars", "missing.yaml"]);
    assert_eq!(out.code, 2, "{out}");
    assert_has(&out.stderr, "cannot read the variables file");
    silent.assert_untouched();
}

// ---------------------------------------------------------------------------------------
// 10. Skipping on purpose, and expected failures.

/// `scenario` with `mark` (`skip: …` or `xfail: …`) on line 3, before its tags.
fn marked(scenario: &str, mark: &str) -> String {
    scenario.replacen("tags: [smoke]\n", &format!("{mark}\ntags: [smoke]\n"), 1)
}

#[test]
fn skip_and_xfail_are_counted_shown_and_reported_and_exit_0() {
    let p = embedded_project();
    p.write(GOOD, &bt_scenario("Ada"));
    p.write(
        "specs/braintree/customer_update/later.yaml",
        &marked(
            &bt_scenario("Ada"),
            "skip: the sandbox has no such endpoint yet",
        ),
    );
    p.write(
        "specs/braintree/customer_update/known_bug.yaml",
        &marked(&bt_scenario("Grace"), "xfail: first names are not kept yet"),
    );
    let out = p.run(&[
        "run",
        "--junit",
        "junit.xml",
        "--json",
        "run.json",
        "--html",
        "run.html",
    ]);
    assert_eq!(
        out.code, 0,
        "an expected failure does not fail the run: {out}"
    );
    let s = &out.stdout;
    assert_has(
        s,
        "skip braintree::customer_update::later (the sandbox has no such endpoint yet)",
    );
    assert_has(s, "XFAIL braintree::customer_update::known_bug");
    assert_has(s, "(xfail: first names are not kept yet)");
    assert_has(
        s,
        "expected failures (xfail):\n  XFAIL braintree::customer_update::known_bug: first names are not kept yet",
    );
    // The expected failure is not shown as a failure.
    assert_lacks(s, "failures:", "stdout");
    assert_eq!(
        last_line(s),
        "1 passed, 0 failed, 1 skipped, 1 xfailed",
        "{out}"
    );

    let junit = p.read("junit.xml");
    assert_has(&junit, "tests=\"3\"");
    assert_has(&junit, "failures=\"0\"");
    assert_has(&junit, "skipped=\"2\"");
    assert_has(&junit, "message=\"the sandbox has no such endpoint yet\"");
    assert_has(&junit, "message=\"xfail: first names are not kept yet\"");
    assert_has(&junit, "type=\"xfail\"");

    let json: serde_json::Value =
        serde_json::from_str(&p.read("run.json")).expect("the JSON report");
    assert_eq!(
        json["totals"],
        serde_json::json!({ "passed": 1, "failed": 0, "errored": 0, "skipped": 1, "xfailed": 1 }),
        "{json}"
    );
    let status = |id: &str| {
        let row = json["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {json}"));
        (row["status"].clone(), row.clone())
    };
    let (good, _) = status("braintree::customer_update::good");
    assert_eq!(good, "passed");
    let (bug, row) = status("braintree::customer_update::known_bug");
    assert_eq!(bug, "xfailed");
    assert_eq!(row["xfail"], "first names are not kept yet", "{row}");
    // What failed is still there to read.
    assert_has(
        row["failure"].as_str().expect("failure"),
        "expected \"Grace\"",
    );
    let (later, row) = status("braintree::customer_update::later");
    assert_eq!(later, "skipped");
    assert_eq!(
        row["reason"], "the sandbox has no such endpoint yet",
        "{row}"
    );

    let html = p.read("run.html");
    assert_has(&html, "1 skipped</span>");
    assert_has(&html, "1 xfailed</span>");
    assert_has(&html, "expected to fail: first names are not kept yet");
    assert_has(&html, "skipped: the sandbox has no such endpoint yet");
}

#[test]
fn an_xfail_scenario_that_passes_fails_the_run_at_its_mark() {
    let p = embedded_project();
    let path = "specs/braintree/customer_update/fixed.yaml";
    p.write(
        path,
        &marked(&bt_scenario("Ada"), "xfail: first names are not kept yet"),
    );
    let out = p.run(&["run", "--junit", "junit.xml", "--json", "run.json"]);
    assert_eq!(out.code, 1, "XPASS is strict: {out}");
    let s = &out.stdout;
    assert_has(s, "FAIL braintree::customer_update::fixed");
    assert_has(
        s,
        "XPASS: expected to fail because first names are not kept yet, but passed; remove the `xfail:` if that no longer holds",
    );
    assert_has(s, &format!("--> {}:3:8", p.path(path).display()));
    assert_eq!(last_line(s), "0 passed, 1 failed, 0 skipped", "{out}");
    let junit = p.read("junit.xml");
    assert_has(&junit, "failures=\"1\"");
    assert_has(
        &junit,
        "<failure message=\"error: XPASS: expected to fail because",
    );
    assert_has(&junit, "line=\"3\"");
    let json: serde_json::Value =
        serde_json::from_str(&p.read("run.json")).expect("the JSON report");
    assert_eq!(json["scenarios"][0]["status"], "failed", "{json}");
    assert_eq!(
        json["scenarios"][0]["failures"][0]["kind"], "unexpected_pass",
        "{json}"
    );
    assert_eq!(json["totals"]["failed"], 1, "{json}");

    // --fail-fast does not stop for an expected failure.
    p.write(
        path,
        &marked(&bt_scenario("Grace"), "xfail: first names are not kept yet"),
    );
    p.write(GOOD, &bt_scenario("Ada"));
    let out = p.run(&["run", "--fail-fast", "--jobs", "1"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        last_line(&out.stdout),
        "1 passed, 0 failed, 0 skipped, 1 xfailed",
        "{out}"
    );
}

#[test]
fn list_and_check_mark_skipped_and_xfail_scenarios_and_cases() {
    let p = embedded_project();
    p.write(
        GOOD,
        &marked(&bt_scenario("Ada"), "xfail: '4111111111111111 is refused'"),
    );
    p.write(
        "specs/braintree/customer_update/table.yaml",
        &format!(
            "{}cases:\n  - name: kept\n  - name: dropped\n    skip: not on this gateway\n",
            bt_scenario("Ada")
        ),
    );
    let out = p.run(&["list"]);
    assert_eq!(out.code, 0, "{out}");
    let s = &out.stdout;
    // A reason is free text: a card number in it is masked like any other.
    assert_has(
        s,
        "braintree::customer_update::good\tCreate and find a customer (xfail: 411111******1111 is refused)",
    );
    assert_has(
        s,
        "braintree::customer_update::table::kept\tCreate and find a customer [kept]\n",
    );
    assert_has(
        s,
        "braintree::customer_update::table::dropped\t(skipped: not on this gateway)",
    );
    assert_lacks(s, "4111111111111111", "stdout");
    let out = p.run(&["check"]);
    assert_eq!(out.code, 0, "{out}");
    assert_has(&out.stdout, "3 scenario(s) OK (2 for target `embedded`)");
}
