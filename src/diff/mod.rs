//! Sandbox vs real: one suite run on two targets and compared, step by step and path
//! by path, with noise measured by running again on the first target (an A/A run) and
//! known differences kept in a reviewed file.
//!
//! - [`engine`] runs the scenarios (through `run`: the only I/O here);
//! - [`compare`] compares one scenario's runs and scores parity (pure);
//! - [`flatten`] turns an answer into leaves by path (pure);
//! - [`known`] reads and appends the known-differences file.

pub mod compare;
pub mod engine;
pub mod flatten;
pub mod known;

pub use compare::{Divergence, Parity, ScenarioComparison, Score, StepComparison, Verdict};
pub use engine::{DiffPlan, DiffResult, run_diff};
pub use known::{Class, KnownDifference, KnownDifferences};
