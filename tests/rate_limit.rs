//! Rate limits are respected: a 429 is waited out and retried, unless the step expects it.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

use gatecheck::project::Project;
use gatecheck::snapshot::SnapshotMode;

#[tokio::test]
async fn a_429_is_retried_unless_expected() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new().route(
        "/limited",
        get({
            let hits = Arc::clone(&hits);
            // Every other request is refused with `Retry-After: 0`.
            move || async move {
                if hits.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "0")],
                        "slow down",
                    )
                        .into_response()
                } else {
                    ([("content-type", "application/json")], r#"{"ok":true}"#).into_response()
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: String| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "gatecheck.yaml",
        format!(
            "apis: {{ j: {{ format: json }} }}\ntargets:\n  t:\n    base_url: http://{addr}\n    apis: {{ j: {{}} }}\n"
        ),
    );
    write(
        "specs/j/retried.yaml",
        "name: r\napi: j\nsteps:\n  - name: limited once, then fine\n    request: { method: GET, path: /limited }\n    expect:\n      status: 200\n      json: { $.ok: true }\n".into(),
    );
    let project = Project::load(&dir.path().join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "t");
    assert!(errors.is_empty(), "{errors:?}");
    let plan = project.plan(files, "t").unwrap();
    let contexts = project
        .contexts(&plan, "t", None, SnapshotMode::Check, None)
        .unwrap();
    let ctx = &contexts["j"];

    let outcome = gatecheck::run::run_scenario(&plan.runnable[0].load().unwrap(), ctx).await;
    assert!(
        outcome.passed(),
        "{}",
        gatecheck::report::failure_text(&outcome)
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2, "one 429, one retry");

    // A step that expects the 429 sees it, with no retry.
    write(
        "specs/j/retried.yaml",
        "name: r\napi: j\nsteps:\n  - name: expects the limit\n    request: { method: GET, path: /limited }\n    expect: { status: 429 }\n".into(),
    );
    let (files, _) = project.load_scenarios(&[], "t");
    let outcome = gatecheck::run::run_scenario(&files[0], ctx).await;
    assert!(
        outcome.passed(),
        "{}",
        gatecheck::report::failure_text(&outcome)
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_fails_and_says_why() {
    let app = Router::new().route(
        "/blocked",
        get(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "3600")],
                "come back in an hour",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gatecheck.yaml"),
        format!(
            "apis: {{ j: {{ format: json }} }}\ntargets:\n  t:\n    base_url: http://{addr}\n    apis: {{ j: {{}} }}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("specs/j")).unwrap();
    std::fs::write(
        dir.path().join("specs/j/blocked.yaml"),
        "name: b\napi: j\nsteps:\n  - name: blocked\n    request: { method: GET, path: /blocked }\n    expect: { status: 200 }\n",
    )
    .unwrap();
    let project = Project::load(&dir.path().join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "t");
    assert!(errors.is_empty(), "{errors:?}");
    let plan = project.plan(files, "t").unwrap();
    let contexts = project
        .contexts(&plan, "t", None, SnapshotMode::Check, None)
        .unwrap();
    let outcome =
        gatecheck::run::run_scenario(&plan.runnable[0].load().unwrap(), &contexts["j"]).await;
    let text = gatecheck::report::failure_text(&outcome);
    assert!(!outcome.passed());
    assert!(
        text.contains("asks to wait 3600s before retrying (Retry-After), more than the 30s"),
        "{text}"
    );
}

/// A target that answers 503 to the first `failures` requests of each path, then 200.
async fn flaky(failures: usize) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let handler = {
        let hits = Arc::clone(&hits);
        move || async move {
            if hits.fetch_add(1, Ordering::SeqCst) < failures {
                (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
            } else {
                ([("content-type", "application/json")], r#"{"ok":true}"#).into_response()
            }
        }
    };
    let app = Router::new().route("/flaky", get(handler.clone()).post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, hits)
}

/// Runs one scenario file's text on a target with `target_extra` settings.
async fn run_one(
    addr: std::net::SocketAddr,
    target_extra: &str,
    scenario: &str,
) -> gatecheck::run::ScenarioOutcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gatecheck.yaml"),
        format!(
            "apis: {{ j: {{ format: json }} }}\ntargets:\n  t:\n    base_url: http://{addr}\n{target_extra}    apis: {{ j: {{}} }}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("specs/j")).unwrap();
    std::fs::write(dir.path().join("specs/j/s.yaml"), scenario).unwrap();
    let project = Project::load(&dir.path().join("gatecheck.yaml")).unwrap();
    let (files, errors) = project.load_scenarios(&[], "t");
    assert!(errors.is_empty(), "{errors:?}");
    let plan = project.plan(files, "t").unwrap();
    let contexts = project
        .contexts(&plan, "t", None, SnapshotMode::Check, None)
        .unwrap();
    gatecheck::run::run_scenario(&plan.runnable[0].load().unwrap(), &contexts["j"]).await
}

#[tokio::test]
async fn transient_failures_are_retried_only_when_opted_in_and_safe() {
    let retry = "    retry: { attempts: 3, backoff: 1ms }\n";
    let get = "name: g\napi: j\nsteps:\n  - name: read\n    request: { method: GET, path: /flaky }\n    expect: { status: 200 }\n";
    // Opted in, a GET: two 503s, then the answer; the step says it took three tries.
    let (addr, hits) = flaky(2).await;
    let outcome = run_one(addr, retry, get).await;
    assert!(
        outcome.passed(),
        "{}",
        gatecheck::report::failure_text(&outcome)
    );
    assert_eq!(
        (outcome.steps[0].attempts, hits.load(Ordering::SeqCst)),
        (3, 3)
    );
    // Not opted in: the 503 is the answer.
    let (addr, hits) = flaky(2).await;
    let outcome = run_one(addr, "", get).await;
    assert!(!outcome.passed());
    assert_eq!(
        (outcome.steps[0].attempts, hits.load(Ordering::SeqCst)),
        (1, 1)
    );
    // A POST is not safe to repeat…
    let post = "name: p\napi: j\nsteps:\n  - name: write\n    request: { method: POST, path: /flaky, body: {} }\n    expect: { status: 200 }\n";
    let (addr, hits) = flaky(1).await;
    let outcome = run_one(addr, retry, post).await;
    assert!(!outcome.passed());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // …unless it carries an idempotency key.
    let keyed = post.replace(
        "body: {} }",
        "body: {}, headers: { Idempotency-Key: \"k-${run_id}\" } }",
    );
    let (addr, hits) = flaky(1).await;
    let outcome = run_one(addr, retry, &keyed).await;
    assert!(
        outcome.passed(),
        "{}",
        gatecheck::report::failure_text(&outcome)
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    // A step can turn retries off.
    let off = get.replace("path: /flaky }", "path: /flaky, retry: { attempts: 1 } }");
    let (addr, hits) = flaky(1).await;
    let outcome = run_one(addr, retry, &off).await;
    assert!(!outcome.passed());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    // Retries run out: the last answer is the step's, and the report says how many tries.
    let (addr, _) = flaky(10).await;
    let outcome = run_one(addr, retry, get).await;
    assert_eq!(outcome.steps[0].attempts, 3);
    assert!(gatecheck::report::failure_text(&outcome).contains("request sent (3 tries):"));
}
