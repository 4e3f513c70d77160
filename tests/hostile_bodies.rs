//! Bodies built to hurt a decoder, sent to the embedded gateway and answered to a run:
//! each is refused or reported, and nothing crashes or stalls.
//!
//! Hermetic: servers listen on 127.0.0.1:0 and nothing waits with sleeps.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gatecheck::sandbox::{Sandbox, SandboxConfig};
use reqwest::StatusCode;

/// A form key nested this deep overflowed the stack of any thread (about 2,500 did).
const DEEP: usize = 100_000;

fn deep_form(name: &str) -> String {
    format!("{name}{}=x", "[a]".repeat(DEEP))
}

#[tokio::test]
async fn braintree_refuses_100k_attributes_on_one_element_with_400() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let attributes: String = (0..100_000).map(|i| format!(" a{i}=\"x\"")).collect();
    // 1.1 MB, under the body limit: it took over 20 s of CPU when parsing was quadratic.
    let body = format!("<customer{attributes}><first-name>Ada</first-name></customer>");
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/merchants/sandbox_merchant/customers",
            sandbox.base_url()
        ))
        .header(
            "Authorization",
            format!(
                "Basic {}",
                STANDARD.encode("sandbox_public:sandbox_private")
            ),
        )
        .header("Content-Type", "application/xml")
        .header("X-ApiVersion", "6")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let text = answer.text().await.unwrap();
    assert!(text.contains("more than 64 attributes"), "{text}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn chargebee_survives_a_form_key_nested_100k_levels_deep() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = reqwest::Client::new();
    let post = |body: String| {
        client
            .post(format!("{}/api/v2/customers", sandbox.base_url()))
            .header(
                "Authorization",
                format!("Basic {}", STANDARD.encode("sandbox_api_key:")),
            )
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let answer = post(deep_form("first_name")).await.unwrap();
    // Chargebee's own 400, on the parameter at fault, not a crash.
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["param"], "first_name", "{body}");
    assert_eq!(body["error_code"], "param_invalid", "{body}");
    let answer = post("id=after-the-deep-key&first_name=Ada".into())
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    sandbox.shutdown().await;
}

/// A target that answers every request with a form body whose key nests [`DEEP`]
/// levels. Returns its base URL; the thread lives as long as the test process.
fn deep_form_target() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let body = deep_form("customer");
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // The request is a GET without a body: read its head, then answer.
            let mut head = Vec::new();
            let mut chunk = [0u8; 1024];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&chunk[..n]),
                }
            }
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_run_reports_a_too_deep_form_answer_as_a_step_failure() {
    let url = deep_form_target();
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "default_target: fake\napis:\n  fake:\n    format: form\ntargets:\n  fake:\n    base_url: {url}\n    timeout: 5s\n    apis:\n      fake: {{}}\n"
    );
    std::fs::write(dir.path().join("gatecheck.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("specs/fake")).unwrap();
    std::fs::write(
        dir.path().join("specs/fake/ping.yaml"),
        "name: Ping\napi: fake\nsteps:\n  - name: ping\n    request: { method: GET, path: /ping }\n    expect: { status: 200 }\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gatecheck"))
        .arg("--config")
        .arg(dir.path().join("gatecheck.yaml"))
        .args(["run", "--json", "run.json"])
        .current_dir(dir.path())
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Killed by a signal (the stack overflow's abort) there is no exit code.
    assert_eq!(
        output.status.code(),
        Some(1),
        "--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(stdout.contains("nested deeper than 128 levels"), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("0 passed, 1 failed, 0 skipped"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(dir.path().join("run.json")).unwrap();
    assert!(report.contains("nested deeper than 128 levels"), "{report}");
}
