//! `gatecheck diff` between targets that differ in known ways: a stand-in in front of
//! the embedded gateway that alters a field, changes an error code and adds a random
//! value. Exactly the altered paths are divergences, the random one is noise; two
//! targets that agree are the same; a target that is down fails its scenarios; a
//! read-only target skips what would write.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::path::Path;
use std::process::Command;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

use gatecheck::sandbox::{Sandbox, SandboxConfig};

const BIN: &str = env!("CARGO_BIN_EXE_gatecheck");

/// The repository's API profiles, and targets to compare: `embedded`, another embedded
/// one (`mirror`), and whatever `extra` adds.
fn config(extra: &str) -> String {
    let repo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("gatecheck.yaml"))
            .unwrap();
    let apis = &repo[repo.find("apis:").unwrap()..repo.find("targets:").unwrap()];
    let braintree = "    apis:\n      braintree:\n        auth: { basic: { username: sandbox_public, password: sandbox_private } }\n        vars: { merchant_id: sandbox_merchant }\n";
    format!(
        "{apis}targets:\n  embedded:\n    embedded: true\n{braintree}  mirror:\n    embedded: true\n{braintree}{extra}"
    )
}

const ADA: &str = "name: create and find Ada\napi: braintree\nsteps:\n  - name: create\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"c-${run_id}\", first_name: Ada } }\n    expect: { status: 201 }\n    capture: { customer_id: $.customer.id }\n  - name: find\n    request: { method: GET, path: \"/merchants/${merchant_id}/customers/${customer_id}\" }\n    expect: { status: 200 }\n";
const TAKEN: &str = "name: an id already taken\napi: braintree\nsteps:\n  - name: create\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"t-${run_id}\" } }\n    expect: { status: 201 }\n  - name: create again\n    request:\n      method: POST\n      path: /merchants/${merchant_id}/customers\n      body: { customer: { id: \"t-${run_id}\" } }\n    expect: { status: 422 }\n";

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gatecheck.yaml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("specs/braintree")).unwrap();
        std::fs::write(dir.path().join("specs/braintree/ada.yaml"), ADA).unwrap();
        std::fs::write(dir.path().join("specs/braintree/taken.yaml"), TAKEN).unwrap();
        Project { dir }
    }

    /// Runs `gatecheck diff` off the async runtime; returns (exit code, stdout, report).
    async fn diff(&self, a: &str, b: &str, extra: &[&str]) -> (i32, String, serde_json::Value) {
        let dir = self.dir.path().to_path_buf();
        let (a, b) = (a.to_string(), b.to_string());
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let out = Command::new(BIN)
                .current_dir(&dir)
                .args([
                    "diff",
                    "--target",
                    &a,
                    "--target",
                    &b,
                    "--json",
                    "diff.json",
                ])
                .args(&extra)
                .env("NO_COLOR", "1")
                .env_remove("CI")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let json = std::fs::read_to_string(dir.join("diff.json"))
                .map(|t| serde_json::from_str(&t).unwrap())
                .unwrap_or_else(|_| panic!("no report\n{stdout}\n{stderr}"));
            (
                out.status.code().unwrap_or(-1),
                format!("{stdout}{stderr}"),
                json,
            )
        })
        .await
        .unwrap()
    }
}

/// A stand-in for the embedded gateway that differs from it in three known ways.
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
                let random = uuid::Uuid::new_v4();
                let text = text
                    .replace(
                        "<first-name>Ada</first-name>",
                        "<first-name>ADA</first-name>",
                    )
                    .replace("<code>91609</code>", "<code>91699</code>")
                    .replacen(
                        "<customer>",
                        &format!("<customer><random>{random}</random>"),
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

/// Every divergence of the report as (scenario, step, path, new?).
fn divergences(report: &serde_json::Value) -> Vec<(String, String, String, bool)> {
    let mut out = Vec::new();
    for c in report["comparisons"].as_array().unwrap() {
        for s in c["steps"].as_array().unwrap() {
            for d in s["divergences"].as_array().unwrap() {
                out.push((
                    c["id"].as_str().unwrap().to_string(),
                    s["name"].as_str().unwrap().to_string(),
                    d["path"].as_str().unwrap().to_string(),
                    d["known"].is_null(),
                ));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_altered_paths_diverge_and_the_random_one_is_noise() {
    let (url, _upstream) = stand_in().await;
    let p = Project::new(&config(&format!(
        "  standin:\n    base_url: {url}\n    apis:\n      braintree:\n        auth: {{ basic: {{ username: sandbox_public, password: sandbox_private }} }}\n        vars: {{ merchant_id: sandbox_merchant }}\n"
    )));
    let (code, out, report) = p.diff("standin", "embedded", &[]).await;
    assert_eq!(code, 1, "{out}");
    let found = divergences(&report);
    let paths: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(c, s, p, _)| (c.as_str(), s.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("braintree::ada", "create", "$.customer.first_name"),
            ("braintree::ada", "find", "$.customer.first_name"),
            (
                "braintree::taken",
                "create again",
                "$.api_error_response.errors.customer.errors[0].code"
            ),
        ],
        "{out}"
    );
    assert!(found.iter().all(|d| d.3), "all new: {found:?}");
    // The random value differs between two runs on A: noise, reported as such.
    let ada = &report["comparisons"][0];
    assert_eq!(ada["verdict"], "diverges");
    assert_eq!(
        ada["steps"][0]["noise"],
        serde_json::json!(["$.customer.random"])
    );
    assert!(
        out.contains("new   $.customer.first_name: standin \"ADA\" · embedded \"Ada\""),
        "{out}"
    );
    assert!(
        out.contains("noise (differs between runs on standin): $.customer.random"),
        "{out}"
    );
    assert!(
        out.contains("0 same, 2 diverge (3 new difference(s))"),
        "{out}"
    );
    // Parity: the `find` endpoint was never the same; `create` once in three.
    let parity = &report["parity"]["endpoints"]["braintree"];
    assert_eq!(
        parity["GET /merchants/${merchant_id}/customers/${customer_id}"]["same"],
        0
    );
    assert_eq!(
        parity["POST /merchants/${merchant_id}/customers"]["compared"],
        3
    );
    assert_eq!(
        parity["POST /merchants/${merchant_id}/customers"]["same"],
        1
    );

    // Accepted, they are known: the next diff passes, and says they are known.
    let (code, out, _) = p.diff("standin", "embedded", &["--accept"]).await;
    assert_eq!(code, 0, "{out}");
    let known = std::fs::read_to_string(p.dir.path().join("diffs/standin..embedded.yaml")).unwrap();
    assert_eq!(known.matches("- scenario:").count(), 3, "{known}");
    let (code, out, report) = p.diff("standin", "embedded", &[]).await;
    assert_eq!(code, 0, "{out}");
    assert_eq!(report["comparisons"][0]["verdict"], "known");
    assert!(divergences(&report).iter().all(|d| !d.3));
}

#[tokio::test(flavor = "multi_thread")]
async fn targets_that_agree_are_the_same() {
    let p = Project::new(&config(""));
    let (code, out, report) = p.diff("embedded", "mirror", &["--noise-runs", "2"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(divergences(&report).is_empty(), "{out}");
    assert!(out.contains("2 same, 0 diverge"), "{out}");
    assert!(out.contains("100.0% (4/4 steps the same)"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_that_is_down_fails_its_scenarios() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let p = Project::new(&config(&format!(
        "  down:\n    base_url: {url}\n    apis:\n      braintree:\n        auth: {{ basic: {{ username: u, password: p }} }}\n        vars: {{ merchant_id: m }}\n"
    )));
    let (code, out, report) = p.diff("embedded", "down", &[]).await;
    // As for `run`: an unreachable target exits 3, not 1.
    assert_eq!(code, 3, "{out}");
    for c in report["comparisons"].as_array().unwrap() {
        assert_eq!(c["verdict"], "fails_on_b", "{out}");
    }
    assert!(out.contains("cannot connect"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_target_skips_what_would_write() {
    let p = Project::new(&config(
        "  production:\n    embedded: true\n    read_only: true\n    apis:\n      braintree:\n        auth: { basic: { username: sandbox_public, password: sandbox_private } }\n        vars: { merchant_id: sandbox_merchant }\n",
    ));
    let (code, out, report) = p.diff("embedded", "production", &[]).await;
    assert_eq!(code, 0, "{out}");
    let c = &report["comparisons"][0];
    assert_eq!(c["verdict"], "skipped");
    assert_eq!(
        c["reason"],
        "target `production` is read_only and step 1 sends POST"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_skipped_scenario_is_skipped_on_both_and_an_xfail_one_is_compared_as_usual() {
    let p = Project::new(&config(""));
    let specs = p.dir.path().join("specs/braintree");
    std::fs::write(
        specs.join("ada.yaml"),
        ADA.replacen(
            "api: braintree\n",
            "api: braintree\nxfail: ids are lost\n",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        specs.join("taken.yaml"),
        TAKEN.replacen(
            "api: braintree\n",
            "api: braintree\nskip: not compared yet\n",
            1,
        ),
    )
    .unwrap();
    let (code, out, report) = p.diff("embedded", "mirror", &[]).await;
    // The xfail scenario passes on both: compared, not an XPASS.
    assert_eq!(code, 0, "{out}");
    let verdict = |id: &str| {
        report["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {out}"))
            .clone()
    };
    assert_eq!(verdict("braintree::ada")["verdict"], "same", "{out}");
    let taken = verdict("braintree::taken");
    assert_eq!(taken["verdict"], "skipped", "{out}");
    assert_eq!(taken["reason"], "not compared yet", "{out}");
    assert!(out.contains("1 same, 0 diverge"), "{out}");
}
