//! Snapshots: normalized answers stored under `snapshots/`, compared, reviewed.

mod entry;
mod fast;
pub mod normalize;
mod read;
mod render;
pub mod store;

pub use entry::{Entry, KeptAnswer, KeptBody, Snapshot, object};
pub use fast::Memo;
pub use store::{SnapshotMode, SnapshotResult};
