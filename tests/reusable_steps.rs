//! Reusable steps end to end through the `gatecheck` binary: a scenario that `use:`s
//! a fixture runs its steps with the variables the use gives, sees their captures
//! after it, and a failure inside the fixture points into the fixture and says where
//! it was used (console, JUnit, JSON); a cycle is refused before anything is sent.
//!
//! Hermetic: the project lives in a temp dir and runs on the embedded gateway, which
//! listens on 127.0.0.1:0.

use std::path::Path;

mod common;

use common::Project;

const FIXTURE: &str = "fixture: create a customer
vars:
  first_name: Ada
  id:
steps:
  - name: create
    request:
      path: /merchants/${merchant_id}/customers
      method: POST
      body: { customer: { id: \"${id}\", first_name: \"${first_name}\" } }
    expect: { status: 201 }
    capture: { customer_id: $.customer.id }
    snapshot: true
";

const SCENARIO: &str = "name: find a customer made by a fixture
api: braintree
vars:
  who: Grace
steps:
  - use: ../fixtures/customer.yaml
    vars: { id: \"c-${run_id}\", first_name: \"${who}\" }
  - name: find it
    request:
      method: GET
      path: /merchants/${merchant_id}/customers/${customer_id}
    expect:
      status: 200
      json:
        $.customer.first_name: Grace
    snapshot: true
";

/// A project with the repository's `gatecheck.yaml` (the embedded target) and `files`.
fn project(files: &[(&str, &str)]) -> Project {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("gatecheck.yaml");
    let p = Project::new(&std::fs::read_to_string(config).expect("read gatecheck.yaml"));
    for (path, text) in files {
        p.write(path, text);
    }
    p
}

/// The exit code and everything printed (stdout, then stderr).
fn gatecheck(p: &Project, args: &[&str]) -> (i32, String) {
    let out = p.run(args);
    (out.code, format!("{}{}", out.stdout, out.stderr))
}

#[test]
fn a_fixture_runs_in_place_and_its_captures_are_seen_after_it() {
    let dir = project(&[
        ("specs/fixtures/customer.yaml", FIXTURE),
        ("specs/braintree/find.yaml", SCENARIO),
    ]);
    let (code, out) = gatecheck(&dir, &["list"]);
    assert_eq!(code, 0, "{out}");
    let ids: Vec<&str> = out.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(
        ids,
        ["braintree::find"],
        "a fixture is not a scenario: {out}"
    );
    let (code, out) = gatecheck(&dir, &["run"]);
    assert_eq!(code, 0, "{out}");
    let snapshot = std::fs::read_to_string(dir.path("snapshots/braintree/find.snap.yaml"))
        .expect("the snapshot");
    // Keys by position: the use is item 1 of the scenario, its step item 1 of the fixture.
    assert!(snapshot.contains("01_customer/01_create:"), "{snapshot}");
    assert!(snapshot.contains("02_find_it:"), "{snapshot}");
    // Inside the fixture its own variable names the value; after it, the capture.
    assert!(snapshot.contains("first_name: ${first_name}"), "{snapshot}");
    assert!(snapshot.contains("/customers/${customer_id}"), "{snapshot}");
    let (code, out) = gatecheck(&dir, &["run"]);
    assert_eq!(code, 0, "the snapshot is stable: {out}");
}

#[test]
fn a_failure_in_a_fixture_points_into_it_and_says_where_it_was_used() {
    let failing = FIXTURE.replace("status: 201", "status: 200");
    assert_ne!(failing, FIXTURE);
    let dir = project(&[
        ("specs/fixtures/customer.yaml", &failing),
        ("specs/braintree/find.yaml", SCENARIO),
    ]);
    let (code, out) = gatecheck(&dir, &["run", "--junit", "junit.xml", "--json", "run.json"]);
    assert_eq!(code, 1, "{out}");
    let fixture = dir.path("specs/fixtures/customer.yaml");
    let scenario = dir.path("specs/braintree/find.yaml");
    assert!(out.contains("step 1 \"customer › create\""), "{out}");
    assert!(out.contains("✗ status: expected 200, got 201"), "{out}");
    assert!(
        out.contains(&format!("--> {}:11:23", fixture.display())),
        "{out}"
    );
    assert!(out.contains(" 11 |     expect: { status: 200 }\n"), "{out}");
    assert!(out.contains("    |                       ^\n"), "{out}");
    assert!(
        out.contains(&format!("= used at {}:6:5", scenario.display())),
        "{out}"
    );
    let junit = std::fs::read_to_string(dir.path("junit.xml")).expect("JUnit");
    assert!(
        junit.contains(&format!("file=\"{}\" line=\"11\"", fixture.display())),
        "{junit}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path("run.json")).expect("JSON"))
            .expect("the JSON report");
    let step = &json["scenarios"][0]["steps"][0];
    let failure = &step["failures"][0];
    assert_eq!(
        failure["at"],
        serde_json::json!({ "line": 11, "column": 23 })
    );
    assert_eq!(failure["file"], fixture.display().to_string());
    assert_eq!(
        failure["used_at"],
        serde_json::json!([format!("{}:6:5", scenario.display())])
    );
    assert_eq!(step["file"], fixture.display().to_string());
}

#[test]
fn a_value_of_a_use_that_cannot_be_made_fails_at_the_use() {
    let unset = SCENARIO.replace(
        "first_name: \"${who}\"",
        "first_name: \"${env:GATECHECK_TEST_UNSET}\"",
    );
    let dir = project(&[
        ("specs/fixtures/customer.yaml", FIXTURE),
        ("specs/braintree/find.yaml", &unset),
    ]);
    let (code, out) = gatecheck(&dir, &["run"]);
    assert_eq!(code, 1, "{out}");
    let scenario = dir.path("specs/braintree/find.yaml");
    assert!(out.contains("variable `first_name` of the `use:`"), "{out}");
    assert!(
        out.contains(&format!("--> {}:7:44", scenario.display())),
        "{out}"
    );
}

#[test]
fn a_cycle_is_refused_by_check_and_run() {
    let a = "fixture: one\nsteps:\n  - use: b.yaml\n";
    let b = "fixture: two\nsteps:\n  - use: a.yaml\n";
    let scenario = "name: s\napi: braintree\nsteps:\n  - use: ../fixtures/a.yaml\n";
    let dir = project(&[
        ("specs/fixtures/a.yaml", a),
        ("specs/fixtures/b.yaml", b),
        ("specs/braintree/s.yaml", scenario),
    ]);
    for command in ["check", "run"] {
        let (code, out) = gatecheck(&dir, &[command]);
        assert_eq!(code, 2, "{command}: {out}");
        assert!(out.contains("fixtures use each other in a cycle"), "{out}");
        assert!(out.contains("a.yaml:3:5 uses"), "{out}");
        assert!(out.contains("b.yaml:3:5 uses"), "{out}");
        // Said once, though the scenario and both fixtures meet it.
        assert_eq!(out.matches("in a cycle").count(), 1, "{out}");
    }
}
