//! Snapshots: normalized answers stored under `snapshots/`, compared, reviewed.

/// The key a `snapshot: true` step is stored under: its position and a slug of its name.
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
