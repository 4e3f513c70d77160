//! Reusable steps as written: the `- use: file.yaml` item of a `steps:` list, and the
//! fixture file it names. [`super::include`] loads fixtures and splices their steps in.
//!
//! A fixture file is told apart from a scenario by its top-level `fixture:` key (a
//! scenario has `name:` and `api:` instead), so discovery can meet one anywhere and
//! never run it on its own.

use indexmap::IndexMap;
use serde::Deserialize;

use super::model::Step;
use super::schema as S;
use super::template::ValueTemplate;
use crate::yaml::Spanned;

/// The key that marks a file as a fixture.
pub const FIXTURE_KEY: &str = "fixture";
/// The key that makes a step item a use of a fixture.
pub const USE_KEY: &str = "use";

/// A `- use:` item of a `steps:` list: the fixture's steps run in its place.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Use {
    /// The fixture file, relative to the file that uses it
    /// (`../fixtures/create_customer.yaml`).
    #[serde(rename = "use")]
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// Values for the fixture's `vars`; they may use the including file's variables
    /// and captures so far (`customer_id: "${customer_id}"`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, S::ValueTemplateSchema>")]
    pub vars: IndexMap<Spanned<String>, ValueTemplate>,
    /// What the use does, shown before the included steps' names and used in their
    /// snapshot keys (default: the fixture file's name).
    #[serde(default)]
    pub name: Option<String>,
}

/// A fixture file: steps that scenarios (and other fixtures) include with `- use:`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What the steps do, in a sentence. Marks the file as a fixture: it never runs
    /// on its own.
    pub fixture: String,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<String>,
    /// The fixture's parameters, in order: name → default. A name with no value is
    /// required: every `use:` must give it. Defaults may use the target's variables,
    /// the built-ins and the parameters above them.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Option<S::ValueTemplateSchema>>")]
    pub vars: IndexMap<Spanned<String>, Option<ValueTemplate>>,
    /// The steps, which may `use:` other fixtures. What they capture is visible to
    /// the steps after the `use:`.
    #[schemars(with = "Vec<StepItem>")]
    pub steps: Vec<Spanned<Step>>,
}

/// The schema of a `steps:` item: a step, or a use of a fixture.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
pub enum StepItem {
    /// A request, or a wait for a webhook.
    Step(Box<Step>),
    /// The steps of a fixture file.
    Use(Box<Use>),
}
