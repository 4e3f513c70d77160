//! The harness against a Rapyd-like stand-in written here (not the embedded gateway):
//! signed requests, a step's own auth headers, steps with no auth, 429 retries signed
//! afresh, and webhooks awaited with `expect_webhook` (found, mismatched, late, forged),
//! with the keys never shown in any output.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use gatecheck::project::Project;
use gatecheck::run::ScenarioOutcome;
use gatecheck::signature::{
    RapydKeys, rapyd_request_signature, rapyd_webhook_signature, signatures_equal,
};
use gatecheck::snapshot::SnapshotMode;

const ACCESS_KEY: &str = "rak_Zq7TestAccessKey0001";
const SECRET_KEY: &str = "rsk_Wx3TestSecretKey9999";
const KEYS: RapydKeys<'static> = RapydKeys {
    access_key: ACCESS_KEY,
    secret_key: SECRET_KEY,
};

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Fake {
    webhook_url: Mutex<Option<String>>,
    seen: Mutex<Vec<Seen>>,
    customers: Mutex<Vec<Value>>,
    limited: AtomicUsize,
}

fn envelope(status: StatusCode, error_code: &str, data: Value) -> Response {
    let ok = error_code.is_empty();
    let body = json!({
        "status": {
            "error_code": error_code,
            "status": if ok { "SUCCESS" } else { "ERROR" },
            "message": "",
            "response_code": error_code,
            "operation_id": uuid::Uuid::new_v4().to_string(),
        },
        "data": data,
    });
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Rapyd's checks, in this order so a test can tell them apart: headers present,
/// signature over exactly what arrived, then the timestamp's age.
fn authenticate(seen: &Seen) -> Result<(), (StatusCode, &'static str)> {
    let refuse = |status, code| Err((status, code));
    let (Some(access_key), Some(salt), Some(timestamp), Some(signature)) = (
        seen.header("access_key"),
        seen.header("salt"),
        seen.header("timestamp"),
        seen.header("signature"),
    ) else {
        return refuse(StatusCode::BAD_REQUEST, "MISSING_AUTHENTICATION_HEADERS");
    };
    let Ok(ts) = timestamp.parse::<i64>() else {
        return refuse(StatusCode::BAD_REQUEST, "MISSING_AUTHENTICATION_HEADERS");
    };
    let keys = RapydKeys {
        access_key,
        secret_key: SECRET_KEY,
    };
    let expected =
        rapyd_request_signature(keys, &seen.method, &seen.path, salt, timestamp, &seen.body);
    if access_key != ACCESS_KEY || !signatures_equal(&expected, signature) {
        return refuse(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED_API_CALL");
    }
    if (now() - ts).abs() > 60 {
        return refuse(StatusCode::UNAUTHORIZED, "STALE_TIMESTAMP");
    }
    Ok(())
}

async fn handle(
    State(fake): State<Arc<Fake>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let seen = Seen {
        method: method.to_string(),
        path: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string()),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    fake.seen.lock().unwrap().push(seen.clone());
    if let Err((status, code)) = authenticate(&seen) {
        return envelope(status, code, json!({}));
    }
    let input: Value = serde_json::from_str(&seen.body).unwrap_or(json!({}));
    let path = uri.path();
    match (method.as_str(), path) {
        ("POST", "/v1/test/webhook_endpoint") => {
            *fake.webhook_url.lock().unwrap() = input["url"].as_str().map(str::to_string);
            envelope(StatusCode::OK, "", json!({ "url": input["url"] }))
        }
        ("GET", "/v1/limited") => {
            if fake.limited.fetch_add(1, Ordering::SeqCst) == 0 {
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "").into_response()
            } else {
                envelope(StatusCode::OK, "", json!({ "ok": true }))
            }
        }
        ("POST", "/v1/customers") => {
            let mut customers = fake.customers.lock().unwrap();
            let id = format!("cus_{}", uuid::Uuid::new_v4().simple());
            let customer = json!({
                "id": id,
                "name": input["name"],
                "email": input["email"],
                "metadata": input.get("metadata").cloned().unwrap_or(json!({})),
                "created_at": now(),
            });
            customers.push(customer.clone());
            envelope(StatusCode::OK, "", customer)
        }
        (m, p) if p.starts_with("/v1/customers/") => {
            let id = &p["/v1/customers/".len()..];
            let mut customers = fake.customers.lock().unwrap();
            let Some(customer) = customers.iter_mut().find(|c| c["id"] == id) else {
                return envelope(StatusCode::NOT_FOUND, "ERROR_GET_CUSTOMER", json!({}));
            };
            if m == "GET" {
                return envelope(StatusCode::OK, "", customer.clone());
            }
            if let (Value::Object(c), Value::Object(changes)) = (&mut *customer, &input) {
                for (k, v) in changes {
                    c.insert(k.clone(), v.clone());
                }
            }
            let customer = customer.clone();
            drop(customers);
            let answer = envelope(StatusCode::OK, "", customer.clone());
            let forged = customer["metadata"]["forge_signature"] == true;
            let url = fake.webhook_url.lock().unwrap().clone();
            if let Some(url) = url {
                tokio::spawn(send_webhook(url, customer, forged));
            }
            answer
        }
        _ => envelope(StatusCode::NOT_FOUND, "NOT_FOUND", json!({})),
    }
}

/// Posts Rapyd's webhook envelope, signed over the URL it was given (or, `forged`,
/// with the wrong secret).
async fn send_webhook(url: String, customer: Value, forged: bool) {
    let body = json!({
        "id": format!("wh_{}", uuid::Uuid::new_v4().simple()),
        "type": "CUSTOMER_UPDATED",
        "data": customer,
        "trigger_operation_id": uuid::Uuid::new_v4().to_string(),
        "status": "NEW",
        "created_at": now(),
    })
    .to_string();
    let salt = "wHsalt12";
    let timestamp = now().to_string();
    let keys = if forged {
        RapydKeys {
            access_key: ACCESS_KEY,
            secret_key: "not-the-secret",
        }
    } else {
        KEYS
    };
    let signature = rapyd_webhook_signature(keys, &url, salt, &timestamp, &body);
    let _ = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("salt", salt)
        .header("timestamp", timestamp)
        .header("signature", signature)
        .header("access_key", ACCESS_KEY)
        .body(body)
        .send()
        .await;
}

async fn start_fake() -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&fake));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), fake)
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn config(base_url: &str) -> String {
    format!(
        r#"
default_target: fake
apis:
  rapydlike:
    format: json
    headers: {{ Content-Type: application/json }}
    redact:
      "$..operation_id": "[operation_id]"
      "$..trigger_operation_id": "[operation_id]"
      "$..created_at": "[timestamp]"
      "$.id": "[webhook_id]"
targets:
  fake:
    base_url: {base_url}
    timeout: 5s
    apis:
      rapydlike:
        auth:
          rapyd:
            access_key: "${{env:GATECHECK_TEST_RAPYD_ACCESS}}"
            secret_key: "${{env:GATECHECK_TEST_RAPYD_SECRET}}"
"#
    )
}

/// Registers the receiver, creates a customer and updates it: the common start.
const SETUP: &str = r#"
  - name: tell the gateway where webhooks go
    request:
      method: POST
      path: /v1/test/webhook_endpoint
      body: { url: "${webhook_url}" }
    expect: { status: 200 }
  - name: create a customer
    request:
      method: POST
      path: /v1/customers
      body: { name: "Jane Doe", email: "jane-${run_id}@example.com" }
    expect: { status: 200 }
    capture: { customer_id: $.data.id }
"#;

fn scenario(name: &str, steps: &str) -> String {
    format!(
        "name: {name}\napi: rapydlike\nsteps:{SETUP}{}",
        steps.trim_start_matches('\n')
    )
}

const SIGNED: &str = r#"
  - name: retrieve with a query string that needs encoding
    request:
      method: GET
      path: /v1/customers/${customer_id}
      query: { fields: "name email", note: "a/b&c" }
    expect:
      status: 200
      json: { $.data.name: Jane Doe }
  - name: update the customer
    request:
      method: POST
      path: /v1/customers/${customer_id}
      headers: { idempotency: "upd-${run_id}" }
      body: { name: "Jane Q. Doe", description: "" }
    expect:
      status: 200
      json: { $.status.status: SUCCESS }
    snapshot: true
  - name: the update is announced by a signed webhook
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      json:
        $.data.name: Jane Q. Doe
        $.data.description: ""
        $.status: NEW
      within: 5s
      signature: valid
    capture: { webhook_id: $.id, webhook_salt: { header: salt } }
    snapshot: true
  - name: what was captured from the webhook is usable
    request:
      method: GET
      path: /v1/customers/${customer_id}
      headers: { X-Webhook: "${webhook_id}", X-Salt: "${webhook_salt}" }
    expect: { status: 200 }
  - name: a rate-limited request is retried, signed afresh, same idempotency key
    request:
      method: GET
      path: /v1/limited
      headers: { idempotency: "lim-${run_id}" }
    expect: { status: 200 }
"#;

const OVERRIDES: &str = r#"
  - name: a stale timestamp goes out with an otherwise valid signature
    request:
      method: GET
      path: /v1/customers/${customer_id}
      headers: { timestamp: "1600000000", salt: "fixedsalt123" }
    expect:
      status: 401
      json: { $.status.error_code: STALE_TIMESTAMP }
  - name: an explicit signature replaces the computed one
    request:
      method: GET
      path: /v1/customers/${customer_id}
      headers: { signature: "bm90IGEgc2lnbmF0dXJl" }
    expect:
      status: 401
      json: { $.status.error_code: UNAUTHENTICATED_API_CALL }
  - name: a wrong access key is sent and signed with
    request:
      method: GET
      path: /v1/customers/${customer_id}
      headers: { access_key: "rak_someone_else" }
    expect:
      status: 401
      json: { $.status.error_code: UNAUTHENTICATED_API_CALL }
  - name: no auth at all
    request:
      method: GET
      path: /v1/customers/${customer_id}
      auth: none
    expect:
      status: 400
      json: { $.status.error_code: MISSING_AUTHENTICATION_HEADERS }
  - name: no auth but one header of the step's own
    request:
      method: GET
      path: /v1/customers/${customer_id}
      auth: none
      headers: { access_key: "rak_only_this" }
    expect:
      status: 400
"#;

const MISMATCH: &str = r#"
  - name: update
    request:
      method: POST
      path: /v1/customers/${customer_id}
      body: { name: "Jane Mismatch" }
    expect: { status: 200 }
  - name: the webhook says something else
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      json: { $.data.name: Someone Else }
      within: 5s
"#;

const TIMEOUT: &str = r#"
  - name: update
    request:
      method: POST
      path: /v1/customers/${customer_id}
      body: { name: "Jane Late" }
    expect: { status: 200 }
  - name: the updated webhook arrives
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      within: 5s
  - name: a second one never comes (the first is taken)
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      within: 300ms
"#;

/// An update whose webhook the stand-in signs with the wrong secret.
const FORGE_UPDATE: &str = r#"
  - name: update so that the webhook is signed with the wrong secret
    request:
      method: POST
      path: /v1/customers/${customer_id}
      body: { metadata: { forge_signature: true } }
    expect: { status: 200 }
"#;

const FORGED: &str = r#"
  - name: the forged signature is caught
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      within: 5s
      signature: valid
"#;

const FORGED_EXPECTED: &str = r#"
  - name: a scenario can also demand an invalid signature
    expect_webhook:
      type: CUSTOMER_UPDATED
      match: { $.data.id: "${customer_id}" }
      within: 5s
      signature: invalid
"#;

fn find<'a>(outcomes: &'a [ScenarioOutcome], id: &str) -> &'a ScenarioOutcome {
    outcomes
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no outcome {id}"))
}

fn assert_no_keys(text: &str, what: &str) {
    assert!(
        !text.contains(SECRET_KEY),
        "the secret key leaked in {what}:\n{text}"
    );
    assert!(
        !text.contains(ACCESS_KEY),
        "the access key leaked in {what}:\n{text}"
    );
}

#[tokio::test]
async fn rapyd_signing_and_webhooks_end_to_end() {
    let (base_url, fake) = start_fake().await;
    // SAFETY: this is the only test of this binary that touches the environment, and
    // it sets the variables before anything reads them.
    unsafe {
        std::env::set_var("GATECHECK_TEST_RAPYD_ACCESS", ACCESS_KEY);
        std::env::set_var("GATECHECK_TEST_RAPYD_SECRET", SECRET_KEY);
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "gatecheck.yaml", &config(&base_url));
    for (name, steps) in [
        ("signed", SIGNED),
        ("overrides", OVERRIDES),
        ("mismatch", MISMATCH),
        ("timeout", TIMEOUT),
        ("forged", &format!("{FORGE_UPDATE}{FORGED}")),
        (
            "forged_expected",
            &format!("{FORGE_UPDATE}{FORGED_EXPECTED}"),
        ),
    ] {
        write(
            root,
            &format!("specs/rapydlike/h/{name}.yaml"),
            &scenario(name, steps),
        );
    }

    let project = Project::load(&root.join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "fake");
    assert!(errors.is_empty(), "{errors:?}");
    let plan = project.plan(files, "fake").unwrap();
    assert!(plan.uses_webhooks());
    let services = project
        .start_services(&plan, "fake", SnapshotMode::New)
        .await
        .unwrap();
    let receiver_url = services.webhooks.as_ref().unwrap().url().to_string();
    assert!(
        receiver_url.starts_with("http://127.0.0.1:"),
        "{receiver_url}"
    );
    let outcomes = gatecheck::run::run_all(plan.trials(&services.contexts), 4, |_| {}).await;
    services.shutdown().await;

    let signed = find(&outcomes, "rapydlike::h::signed");
    assert!(
        signed.passed(),
        "{}",
        gatecheck::report::failure_text(signed)
    );
    let overrides = find(&outcomes, "rapydlike::h::overrides");
    assert!(
        overrides.passed(),
        "{}",
        gatecheck::report::failure_text(overrides)
    );
    let forged_expected = find(&outcomes, "rapydlike::h::forged_expected");
    assert!(
        forged_expected.passed(),
        "{}",
        gatecheck::report::failure_text(forged_expected)
    );

    let seen = fake.seen.lock().unwrap().clone();
    // Every signed request carried a fresh salt of 8 to 16 characters.
    let salts: Vec<&str> = seen
        .iter()
        .filter(|s| s.header("signature").is_some())
        .filter_map(|s| s.header("salt"))
        .filter(|s| *s != "fixedsalt123")
        .collect();
    assert!(salts.len() > 10, "{salts:?}");
    assert!(
        salts.iter().all(|s| (8..=16).contains(&s.len())),
        "{salts:?}"
    );
    let unique: std::collections::BTreeSet<_> = salts.iter().collect();
    assert_eq!(unique.len(), salts.len(), "a salt was reused: {salts:?}");
    // The query went out percent-encoded, and that is what was signed (the stand-in
    // checked it, and the step passed).
    assert!(
        seen.iter()
            .any(|s| s.path.contains("?fields=name+email&note=a%2Fb%26c")),
        "{:?}",
        seen.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    // A GET has no body, and none was signed (the stand-in signs "" for it).
    assert!(
        seen.iter()
            .filter(|s| s.method == "GET")
            .all(|s| s.body.is_empty())
    );
    // The 429 was retried with a new salt and timestamp, the same idempotency key.
    let limited: Vec<&Seen> = seen.iter().filter(|s| s.path == "/v1/limited").collect();
    assert_eq!(limited.len(), 2);
    assert_ne!(limited[0].header("salt"), limited[1].header("salt"));
    assert_eq!(
        limited[0].header("idempotency"),
        limited[1].header("idempotency")
    );
    assert!(
        limited[0]
            .header("idempotency")
            .unwrap()
            .starts_with("lim-")
    );
    // The stale timestamp was the step's own, with its salt.
    assert!(
        seen.iter()
            .any(|s| s.header("timestamp") == Some("1600000000")
                && s.header("salt") == Some("fixedsalt123"))
    );
    // `auth: none` sent no credentials at all; with a header of its own, only that.
    let bare: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.header("signature").is_none())
        .collect();
    assert_eq!(bare.len(), 2, "{bare:?}");
    assert!(
        bare.iter()
            .all(|s| s.header("salt").is_none() && s.header("timestamp").is_none())
    );
    assert_eq!(bare[1].header("access_key"), Some("rak_only_this"));
    // Exactly one set of credentials on each request: no duplicated headers.
    for s in &seen {
        for name in [
            "access_key",
            "salt",
            "timestamp",
            "signature",
            "content-type",
        ] {
            let n = s
                .headers
                .iter()
                .filter(|(h, _)| h.eq_ignore_ascii_case(name))
                .count();
            assert!(n <= 1, "{name} sent {n} times: {s:?}");
        }
    }

    let mismatch = find(&outcomes, "rapydlike::h::mismatch");
    assert!(!mismatch.passed());
    let text = gatecheck::report::failure_text(mismatch);
    assert!(
        text.contains("$.data.name: expected \"Someone Else\": got \"Jane Mismatch\""),
        "{text}"
    );
    assert!(text.contains("webhook taken:"), "{text}");

    let timeout = find(&outcomes, "rapydlike::h::timeout");
    assert!(!timeout.passed());
    let text = gatecheck::report::failure_text(timeout);
    assert!(text.contains("step 5 \"a second one never comes"), "{text}");
    assert!(
        text.contains("no CUSTOMER_UPDATED webhook with $.data.id expected \"${customer_id}\" arrived within 300ms"),
        "{text}"
    );
    assert!(
        text.contains("type \"CUSTOMER_UPDATED\" (taken by an earlier step)"),
        "{text}"
    );

    let forged = find(&outcomes, "rapydlike::h::forged");
    assert!(!forged.passed());
    let text = gatecheck::report::failure_text(forged);
    assert!(
        text.contains("signature: the webhook's signature is not"),
        "{text}"
    );
    assert!(text.contains(&receiver_url), "{text}");

    // The snapshot holds the webhook like an answer: captured ids named, volatile
    // values redacted.
    let snap =
        std::fs::read_to_string(root.join("snapshots/rapydlike/h/signed.snap.yaml")).unwrap();
    assert!(snap.contains("webhook:"), "{snap}");
    assert!(snap.contains("type: CUSTOMER_UPDATED"), "{snap}");
    assert!(snap.contains("id: ${customer_id}"), "{snap}");
    assert!(snap.contains("name: Jane Q. Doe"), "{snap}");
    assert!(
        snap.contains("trigger_operation_id: '[operation_id]'"),
        "{snap}"
    );
    assert!(snap.contains("id: ${webhook_id}"), "{snap}");

    // No output shows the keys: failure texts, JUnit and JSON reports.
    for o in &outcomes {
        assert_no_keys(&gatecheck::report::failure_text(o), "a failure text");
    }
    let meta = gatecheck::report::RunMeta {
        target: "fake".into(),
        started: std::time::SystemTime::now(),
        elapsed: std::time::Duration::from_secs(1),
    };
    let junit = gatecheck::report::junit::render(&meta, &outcomes, &[]).unwrap();
    assert_no_keys(&junit, "the JUnit report");
    let json_path = root.join("report.json");
    gatecheck::report::write_json(&json_path, &meta, &outcomes, &[]).unwrap();
    let report = std::fs::read_to_string(&json_path).unwrap();
    assert_no_keys(&report, "the JSON report");
    assert!(report.contains("\"signature\",\n"), "headers are reported");
    assert!(report.contains("[masked]"), "{report}");

    // The same suite through the command line: the receiver is started for the run,
    // the snapshot written above is stable, and no output shows the keys.
    let out = {
        let root = root.to_path_buf();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_gatecheck"))
                .arg("--config")
                .arg(root.join("gatecheck.yaml"))
                .args(["run", "--junit"])
                .arg(root.join("cli.xml"))
                .arg("--json")
                .arg(root.join("cli.json"))
                .env("NO_COLOR", "1")
                .env_remove("CI")
                .env_remove("GATECHECK_UPDATE")
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("webhooks received at http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(stdout.contains("PASS rapydlike::h::signed"), "{stdout}");
    assert!(stdout.contains("FAIL rapydlike::h::forged"), "{stdout}");
    assert!(
        stdout.ends_with("3 passed, 3 failed, 0 skipped\n"),
        "{stdout}"
    );
    assert_no_keys(&stdout, "the console");
    assert_no_keys(&stderr, "stderr");
    for report in ["cli.xml", "cli.json"] {
        assert_no_keys(&std::fs::read_to_string(root.join(report)).unwrap(), report);
    }
}

#[tokio::test]
async fn a_signature_check_the_scheme_cannot_make_is_refused_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "gatecheck.yaml",
        "apis: { j: { format: json } }\ntargets:\n  t:\n    base_url: http://127.0.0.1:9\n    apis: { j: { auth: { bearer: { token: x } } } }\n",
    );
    write(
        root,
        "specs/j/w.yaml",
        "name: w\napi: j\nsteps:\n  - name: wait\n    expect_webhook:\n      type: X\n      signature: valid\n",
    );
    let project = Project::load(&root.join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "t");
    assert!(files.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, Some(7));
    assert!(
        errors[0]
            .message
            .contains("auth scheme `bearer` has no way to verify webhooks"),
        "{}",
        errors[0].message
    );
}
