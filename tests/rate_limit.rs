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

    let outcome = gatecheck::run::run_scenario(&plan.runnable[0], ctx).await;
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
    let outcome = gatecheck::run::run_scenario(&plan.runnable[0], &contexts["j"]).await;
    let text = gatecheck::report::failure_text(&outcome);
    assert!(!outcome.passed());
    assert!(
        text.contains("asks to wait 3600s before retrying (Retry-After), more than the 30s"),
        "{text}"
    );
}
