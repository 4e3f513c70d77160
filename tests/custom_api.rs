//! A gateway gatecheck has never heard of needs only a profile, a target and YAML:
//! here a Stripe-like API (form-encoded requests, bearer auth, JSON answers) served by a
//! stand-in on 127.0.0.1, driven through the library exactly as the CLI drives it.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use gatecheck::project::Project;
use gatecheck::snapshot::SnapshotMode;

const TOKEN: &str = "sk_test_acme_0123456789";

/// What the stand-in received, to check the wire encoding.
type Seen = Arc<Mutex<Vec<(String, String)>>>;

async fn create_customer(seen: Seen, headers: HeaderMap, body: String) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        != Some(&format!("Bearer {TOKEN}"))
    {
        return (StatusCode::UNAUTHORIZED, "{}").into_response();
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let answer = serde_json::json!({
        "id": "cus_42",
        "email": get("email"),
        "metadata": { "plan": get("metadata[plan]") },
        "created": 1_790_000_000u64,
    });
    if let Ok(mut s) = seen.lock() {
        s.extend(pairs);
    }
    ([("content-type", "application/json")], answer.to_string()).into_response()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn unknown_form_encoded_api_needs_only_yaml() {
    let seen: Seen = Arc::default();
    let app = Router::new().route(
        "/v1/customers",
        post({
            let seen = Arc::clone(&seen);
            move |headers: HeaderMap, body: String| create_customer(seen, headers, body)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    // SAFETY: this test binary has this one test, so nothing reads the environment
    // concurrently.
    unsafe { std::env::set_var("GATECHECK_TEST_ACME_KEY", TOKEN) };
    write(
        dir.path(),
        "gatecheck.yaml",
        &format!(
            r#"
default_target: acmepay-test
apis:
  acmepay:
    format: form
    redact: {{ "$..created": "[timestamp]" }}
targets:
  acmepay-test:
    base_url: http://{addr}
    timeout: 5s
    apis:
      acmepay:
        auth: {{ bearer: {{ token: "${{env:GATECHECK_TEST_ACME_KEY}}" }} }}
"#
        ),
    );
    write(
        dir.path(),
        "specs/acmepay/customers/create.yaml",
        r#"
name: Creating a customer returns its id
api: acmepay
steps:
  - name: create
    request:
      method: POST
      path: /v1/customers
      body: { email: "c-${run_id}@example.com", metadata: { plan: gold } }
    expect:
      status: 200
      json:
        $.id: { matches: "^cus_" }
        $.metadata.plan: gold
        $.email: { matches: "^c-.+@example.com$" }
    snapshot: true
"#,
    );
    write(
        dir.path(),
        "specs/acmepay/customers/wrong_plan.yaml",
        r#"
name: A wrong expectation fails and says why
api: acmepay
steps:
  - name: create
    request:
      method: POST
      path: /v1/customers
      body: { email: x@example.com, metadata: { plan: gold } }
    expect:
      json:
        $.metadata.plan: silver
"#,
    );

    let project = Project::load(&dir.path().join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "acmepay-test");
    assert!(errors.is_empty(), "{errors:?}");
    let plan = project.plan(files, "acmepay-test").unwrap();
    // `new` writes the missing snapshot even when CI is set around this test.
    let contexts = project
        .contexts(&plan, "acmepay-test", None, SnapshotMode::New, None)
        .unwrap();
    let trials = plan
        .runnable
        .iter()
        .map(|f| (f.clone(), Arc::clone(&contexts["acmepay"])))
        .collect();
    let outcomes = gatecheck::run::run_all(trials, 2, |_| {}).await;

    let create = outcomes
        .iter()
        .find(|o| o.id == "acmepay::customers::create")
        .unwrap();
    assert!(
        create.passed(),
        "{}",
        gatecheck::report::failure_text(create)
    );
    let wrong = outcomes
        .iter()
        .find(|o| o.id == "acmepay::customers::wrong_plan")
        .unwrap();
    assert!(!wrong.passed());
    let text = gatecheck::report::failure_text(wrong);
    assert!(
        text.contains("$.metadata.plan: expected \"silver\": got \"gold\""),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "the bearer token leaked: {text}");
    // Keeping only failures' records (as `gatecheck run` and the conformance suite do),
    // the step reads only `$.metadata.plan` of the answer to judge it; its failure
    // still shows all of it.
    let file = plan
        .runnable
        .iter()
        .find(|f| f.id == "acmepay::customers::wrong_plan")
        .unwrap()
        .load()
        .unwrap();
    let kept = gatecheck::run::run_scenario_keeping(
        &file,
        &contexts["acmepay"],
        None,
        gatecheck::run::Keep::Failures,
    )
    .await;
    // The same failure, word for word but the answer's time.
    let timeless = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim_start().starts_with("answer: "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        timeless(&gatecheck::report::failure_text(&kept)),
        timeless(&text)
    );
    let shown = &kept.failed_step().unwrap().response.as_ref().unwrap().body;
    assert_eq!(shown["id"], "cus_42", "{shown}");
    assert_eq!(shown["email"], "x@example.com", "{shown}");

    // The body went out form-encoded with bracketed keys.
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.contains(&("metadata[plan]".to_string(), "gold".to_string())),
        "{seen:?}"
    );

    // The snapshot names the run id instead of its value and redacts the timestamp.
    let snap = std::fs::read_to_string(
        dir.path()
            .join("snapshots/acmepay/customers/create.snap.yaml"),
    )
    .unwrap();
    assert!(snap.contains("email: c-${run_id}@example.com"), "{snap}");
    assert!(snap.contains("created: '[timestamp]'"), "{snap}");
}
