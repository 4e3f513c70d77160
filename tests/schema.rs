//! The published JSON Schemas: committed files are current, and every scenario in
//! `specs/` and the repository's `gatecheck.yaml` validate against them.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("specs/ is readable") {
        let path = entry.expect("specs/ is readable").path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn yaml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the file is readable");
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The errors of `instance` against `schema`, one line each.
fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator =
        jsonschema::validator_for(schema).expect("the generated schema is a valid schema");
    validator
        .iter_errors(instance)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect()
}

/// `GATECHECK_SCHEMA_UPDATE=1 cargo test --test schema` rewrites the committed files.
#[test]
fn committed_schemas_are_current() {
    let update = std::env::var_os("GATECHECK_SCHEMA_UPDATE").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (file, text) in gatecheck::schema::all() {
        let path = root().join(file);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from what the types generate: run `GATECHECK_SCHEMA_UPDATE=1 cargo test --test schema` and commit"
    );
}

#[test]
fn every_scenario_in_specs_validates() {
    let schema = gatecheck::schema::scenario();
    let mut files = Vec::new();
    yaml_files(&root().join("specs"), &mut files);
    assert!(files.len() > 10, "specs/ holds the suite");
    let fixture = gatecheck::schema::fixture();
    let mut failures = Vec::new();
    let mut fixtures = 0;
    for file in &files {
        let instance = yaml_as_json(file);
        // A fixture (steps scenarios include with `- use:`) has a schema of its own.
        let schema = if instance.get("fixture").is_some() {
            fixtures += 1;
            &fixture
        } else {
            &schema
        };
        for e in errors(schema, &instance) {
            failures.push(format!("{}: {e}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(fixtures > 0, "specs/ uses fixtures, and they are checked");
}

#[test]
fn a_use_item_and_a_fixture_are_in_the_schemas() {
    let scenario = gatecheck::schema::scenario();
    let good = serde_json::json!({
        "name": "x", "api": "braintree",
        "steps": [{ "use": "../fixtures/create_customer.yaml", "vars": { "id": "c-1" }, "name": "setup" }]
    });
    assert!(
        errors(&scenario, &good).is_empty(),
        "{:?}",
        errors(&scenario, &good)
    );
    let typo = serde_json::json!({
        "name": "x", "api": "braintree",
        "steps": [{ "use": "f.yaml", "varz": {} }]
    });
    assert!(!errors(&scenario, &typo).is_empty());
    let fixture = gatecheck::schema::fixture();
    let good = serde_json::json!({
        "fixture": "create a customer",
        "vars": { "id": null, "first_name": "Ada" },
        "steps": [{ "name": "create", "request": { "method": "POST", "path": "/c" } }, { "use": "other.yaml" }]
    });
    assert!(
        errors(&fixture, &good).is_empty(),
        "{:?}",
        errors(&fixture, &good)
    );
    let no_steps = serde_json::json!({ "fixture": "x" });
    assert!(!errors(&fixture, &no_steps).is_empty());
}

#[test]
fn the_repository_targets_file_validates() {
    let found = errors(
        &gatecheck::schema::targets(),
        &yaml_as_json(&root().join("gatecheck.yaml")),
    );
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Validation is not vacuous: what the loader refuses, the schema refuses too.
#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let schema = gatecheck::schema::scenario();
    let base = r#"
name: n
api: braintree
steps:
  - name: s
    request: { method: get, path: /x }
    expect: { status: 200, json: { $.a: { length: 2 } } }
    capture: { id: $.id, loc: { header: Location } }
    snapshot: true
"#;
    let ok: Value = serde_yaml::from_str(base).unwrap();
    assert_eq!(errors(&schema, &ok), Vec::<String>::new());
    for (bad, why) in [
        (base.replace("length: 2", "lenght: 2"), "misspelt matcher"),
        (
            base.replace("status: 200", "status: 99"),
            "status out of range",
        ),
        (
            base.replace("method: get", "method: fetch"),
            "unknown method",
        ),
        (
            base.replace("path: /x", "path: /x, pth: /y"),
            "unknown request key",
        ),
        (base.replace("$.a:", "a:"), "expectation key not a JSONPath"),
        (
            base.replace(
                "request: { method: get, path: /x }",
                "expect_webhook: { type: t }\n    request: { method: get, path: /x }",
            ),
            "request and webhook",
        ),
        (
            base.replace("snapshot: true", "snapshot: 3"),
            "snapshot neither bool nor name",
        ),
        (
            base.replace("header: Location", "header: Location, json: $.x"),
            "capture with both",
        ),
        (
            base.replace("api: braintree", "api: braintree\nstep: []"),
            "unknown top-level key",
        ),
    ] {
        let value: Value = serde_yaml::from_str(&bad).unwrap();
        assert!(!errors(&schema, &value).is_empty(), "accepted: {why}");
    }
}

#[test]
fn targets_schema_checks_auth_and_durations() {
    let schema = gatecheck::schema::targets();
    let with = |api: &str| -> Value {
        serde_yaml::from_str(&format!(
            "targets:\n  t:\n    base_url: http://x\n    timeout: 30s\n    rate_limit: 10/s\n    apis:\n      a: {api}\n"
        ))
        .unwrap()
    };
    assert_eq!(
        errors(&schema, &with("{ auth: { basic: { username: u } } }")),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(
            &schema,
            &with("{ auth: none, retry: { attempts: 3, backoff: 1s } }")
        ),
        Vec::<String>::new()
    );
    for bad in [
        "{ auth: { basik: { username: u } } }",
        "{ auth: { bearer: { token: t }, basic: { username: u } } }",
        "{ timeout: soon }",
        "{ retry: { attempts: 0 } }",
    ] {
        assert!(!errors(&schema, &with(bad)).is_empty(), "accepted {bad}");
    }
}

#[test]
fn the_schema_command_prints_the_committed_schemas() {
    let bin = env!("CARGO_BIN_EXE_gatecheck");
    for (args, file) in [
        (&[][..], gatecheck::schema::SCENARIO_FILE),
        (&["--targets"][..], gatecheck::schema::TARGETS_FILE),
        (
            &["--known-differences"][..],
            gatecheck::schema::KNOWN_DIFFERENCES_FILE,
        ),
    ] {
        // Run from an empty directory: the schema needs no project.
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(bin)
            .arg("schema")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(root().join(file)).unwrap()).unwrap();
        assert_eq!(printed, committed, "{file}");
    }
}
