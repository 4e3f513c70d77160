//! `gatecheck new`: the written scenario loads, validates against the schema, and an
//! existing file is never overwritten.

use std::path::Path;
use std::process::{Command, Output};

fn gatecheck(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gatecheck"))
        .args(args)
        .current_dir(dir)
        .env_remove("GATECHECK_CONFIG")
        .output()
        .expect("gatecheck runs")
}

/// A project in a temporary directory: the repository's targets file and schema.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("gatecheck.yaml"),
        dir.path().join("gatecheck.yaml"),
    )
    .expect("the project is set up");
    std::fs::create_dir_all(dir.path().join("specs")).expect("the project is set up");
    std::fs::create_dir_all(dir.path().join("schema")).expect("the project is set up");
    std::fs::copy(
        root.join("schema/scenario.schema.json"),
        dir.path().join("schema/scenario.schema.json"),
    )
    .expect("the project is set up");
    dir
}

#[test]
fn the_new_scenario_loads_and_validates() {
    let dir = project();
    let file = "specs/braintree/customer/first.yaml";
    let out = gatecheck(dir.path(), &["new", file, "--api", "braintree"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../../schema/scenario.schema.json\n"),
        "{text}"
    );
    let check = gatecheck(dir.path(), &["check", file]);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&gatecheck::schema::scenario()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn an_existing_file_is_not_overwritten() {
    let dir = project();
    let file = dir.path().join("specs/mine.yaml");
    std::fs::write(&file, "name: mine\n").unwrap();
    let out = gatecheck(dir.path(), &["new", "specs/mine.yaml", "--api", "rapyd"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "name: mine\n");
}

#[test]
fn an_unknown_api_is_refused_with_a_suggestion() {
    let dir = project();
    let out = gatecheck(dir.path(), &["new", "specs/x.yaml", "--api", "braintre"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("braintree"), "{stderr}");
    assert!(!dir.path().join("specs/x.yaml").exists());
}
