//! Snapshots: normalized answers stored under `snapshots/`, compared, reviewed.

pub mod normalize;
pub mod store;

pub use store::{SnapshotMode, SnapshotResult};

/// The key a `snapshot: true` step is stored under: its position and a slug of its name.
///
/// ```
/// assert_eq!(gatecheck::snapshot::step_key(1, "Update with a new card!"), "02_update_with_a_new_card");
/// ```
pub fn step_key(index: usize, name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    format!("{:02}_{}", index + 1, slug.trim_end_matches('_'))
}
