//! The scenario language: model, strict loading with located errors, interpolation,
//! JSONPath and matchers.

pub mod diagnostic;
pub mod duration;
pub mod fixture;
pub mod fixture_cache;
pub mod include;
pub mod jsonpath;
pub mod load;
pub mod matcher;
pub mod model;
pub mod retry;
pub mod schema;
pub mod splice;
pub mod template;
mod text;

pub use diagnostic::Diagnostic;
pub use load::{ScenarioFile, ScenarioRef, check_vars, load_suite};
pub use model::{Scenario, Step};
