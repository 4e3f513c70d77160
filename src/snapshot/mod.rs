//! Snapshots: normalized answers stored under `snapshots/`, compared, reviewed.

pub mod normalize;
mod read;
mod render;
pub mod store;

pub use store::{SnapshotMode, SnapshotResult};
