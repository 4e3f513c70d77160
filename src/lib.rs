//! gatecheck: checks that a payment gateway's API behaves the way its documentation says.
//!
//! The harness (`spec`, `target`, `run`, `snapshot`, `report`) never knows a gateway's
//! business rules; the embedded reference gateway (`sandbox`) never knows about scenarios.
//! They meet only over HTTP. `wire` holds the codecs both sides speak.

pub mod diff;
pub mod mask;
pub mod project;
#[cfg(test)]
mod proptest_config;
pub mod report;
pub mod review;
pub mod run;
pub mod sandbox;
pub mod schema;
pub mod server;
pub mod signature;
pub mod snapshot;
pub mod spec;
pub mod suggest;
pub mod target;
pub mod webhook;
pub mod wire;
pub mod yaml;
