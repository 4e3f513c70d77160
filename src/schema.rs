//! JSON Schemas of the files users write (`gatecheck schema`), generated from the very
//! types the loader deserializes, so an editor's completion cannot drift from what
//! `gatecheck check` accepts.
//!
//! Types with hand-written `Deserialize` impls point at the stand-ins of
//! [`crate::spec::schema`], which describe the YAML shapes they accept.

use schemars::{SchemaGenerator, generate::SchemaSettings};
use serde_json::{Value, json};

/// Where a scenario file points its editor at the published schema.
pub const SCENARIO_FILE: &str = "schema/scenario.schema.json";
/// Where `gatecheck.yaml` points its editor at the published schema.
pub const TARGETS_FILE: &str = "schema/gatecheck.schema.json";
/// Where a fixture file (steps included with `- use:`) finds its schema.
pub const FIXTURE_FILE: &str = "schema/fixture.schema.json";
/// Where a known-differences file (`diffs/<A>..<B>.yaml`) finds its schema.
pub const KNOWN_DIFFERENCES_FILE: &str = "schema/known-differences.schema.json";

/// Draft 7, not 2020-12: it is the draft every YAML editor plug-in understands.
fn generator() -> SchemaGenerator {
    SchemaSettings::draft07().into_generator()
}

/// The schema of a scenario file.
pub fn scenario() -> Value {
    let mut schema = generator().into_root_schema_for::<crate::spec::model::Scenario>();
    schema.insert("title".into(), json!("gatecheck scenario"));
    schema.to_value()
}

/// The schema of a fixture file.
pub fn fixture() -> Value {
    let mut schema = generator().into_root_schema_for::<crate::spec::fixture::Fixture>();
    schema.insert("title".into(), json!("gatecheck fixture"));
    schema.to_value()
}

/// The schema of `gatecheck.yaml`.
pub fn targets() -> Value {
    let mut schema = generator().into_root_schema_for::<crate::target::Config>();
    schema.insert("title".into(), json!("gatecheck targets file"));
    schema.to_value()
}

/// The schema of a known-differences file.
pub fn known_differences() -> Value {
    let mut schema = generator().into_root_schema_for::<Vec<crate::diff::known::KnownDifference>>();
    schema.insert("title".into(), json!("gatecheck known differences"));
    schema.to_value()
}

/// A schema as committed: pretty, with a final newline, so diffs of it read well.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Every published schema: its committed path and its current text.
pub fn all() -> [(&'static str, String); 4] {
    [
        (SCENARIO_FILE, to_text(&scenario())),
        (FIXTURE_FILE, to_text(&fixture())),
        (TARGETS_FILE, to_text(&targets())),
        (KNOWN_DIFFERENCES_FILE, to_text(&known_differences())),
    ]
}
