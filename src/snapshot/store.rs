//! Snapshot files: where they live, how a new answer is compared with the stored one,
//! and the pending files `gatecheck review` accepts or rejects.
//!
//! One file per scenario, mirroring its path under the suite root:
//! `specs/braintree/x/y.yaml` ↔ `snapshots/braintree/x/y.snap.yaml`. A changed answer
//! is written beside it as `y.snap.pending.yaml` until reviewed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::entry::{Snapshot, document};
use super::fast::Memo;
use crate::mask::{Masked, Masker};
use crate::spec::load::read_at_most;

/// Extension of stored snapshots.
pub const SNAP_EXT: &str = "snap.yaml";
/// Extension of snapshots waiting for review.
pub const PENDING_EXT: &str = "snap.pending.yaml";

/// What to do with snapshots during a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SnapshotMode {
    /// Compare; a difference fails and leaves a pending file. A missing snapshot is
    /// written, except in CI (`CI` set), where it fails.
    #[default]
    Check,
    /// Like `check`, but write missing snapshots even in CI.
    New,
    /// Rewrite every snapshot with what came back.
    Update,
}

impl SnapshotMode {
    /// The mode `GATECHECK_UPDATE` asks for: `new`; `update` (or `1`, `always`,
    /// `true`); `check` (or `0`, `false`, `no`, empty, unset). Anything else is an
    /// error, so a typo cannot quietly mean `check`.
    pub fn from_env() -> Result<SnapshotMode, String> {
        let value = std::env::var("GATECHECK_UPDATE").unwrap_or_default();
        match value.trim() {
            "new" => Ok(SnapshotMode::New),
            "update" | "1" | "always" | "true" => Ok(SnapshotMode::Update),
            "" | "check" | "0" | "false" | "no" => Ok(SnapshotMode::Check),
            other => Err(format!(
                "GATECHECK_UPDATE={other:?} is not a snapshot mode: use check, new or update"
            )),
        }
    }
}

/// True when running in CI, where a missing snapshot must fail rather than be written.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// How a scenario's snapshot compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotResult {
    /// Same as stored.
    Matched(PathBuf),
    /// There was none; it was written.
    Written(PathBuf),
    /// Rewritten in update mode.
    Updated(PathBuf),
    /// Different: the diff (old → new) and where the new version waits.
    Mismatch {
        /// The stored file.
        path: PathBuf,
        /// The pending file.
        pending: PathBuf,
        /// Unified diff, without colour.
        diff: String,
    },
    /// There was none and CI forbids writing one.
    Missing {
        /// Where it should be.
        path: PathBuf,
        /// What it would contain.
        content: String,
    },
}

impl SnapshotResult {
    /// Whether the scenario can pass with this result.
    pub fn is_ok(&self) -> bool {
        !matches!(
            self,
            SnapshotResult::Mismatch { .. } | SnapshotResult::Missing { .. }
        )
    }
}

/// The snapshot path of a scenario at `relative` under the suite root.
pub fn snapshot_path(snapshots_dir: &Path, relative: &Path) -> PathBuf {
    snapshots_dir.join(relative.with_extension(SNAP_EXT))
}

/// The pending path beside a snapshot path.
pub fn pending_path(snapshot: &Path) -> PathBuf {
    // The usual name, `<stem>.snap.yaml`, by swapping its ending in one copy of the
    // path (this is asked for every snapshot a run compares).
    if let Some(stem) = snapshot
        .to_str()
        .and_then(|p| p.strip_suffix(SNAP_EXT))
        .filter(|stem| stem.ends_with('.') && !file_name_of(stem).contains(SNAP_EXT))
    {
        let mut path = String::with_capacity(stem.len() + PENDING_EXT.len());
        path.push_str(stem);
        path.push_str(PENDING_EXT);
        return PathBuf::from(path);
    }
    let name = snapshot
        .file_name()
        .map(|n| n.to_string_lossy().replace(SNAP_EXT, PENDING_EXT))
        .unwrap_or_else(|| PENDING_EXT.to_string());
    snapshot.with_file_name(name)
}

/// The last component of a path written as text (what follows its last separator).
fn file_name_of(path: &str) -> &str {
    path.rsplit(std::path::is_separator).next().unwrap_or(path)
}

/// The stored path a pending path belongs to.
pub fn stored_path(pending: &Path) -> PathBuf {
    let name = pending
        .file_name()
        .map(|n| n.to_string_lossy().replace(PENDING_EXT, SNAP_EXT))
        .unwrap_or_default();
    pending.with_file_name(name)
}

/// Renders a snapshot document as the YAML text stored on disk.
pub fn render(source_file: &Path, doc: &Masked<Value>) -> Result<String, String> {
    let doc: &Value = doc;
    // The header, then the document written after it in the same buffer (not a
    // rendering copied into a formatted one).
    let mut out = header(source_file);
    super::render::write_yaml(&mut out, doc)?;
    Ok(out)
}

/// The comment a snapshot file of the scenario file `source_file` begins with, in a
/// buffer with room for a usual snapshot after it.
pub(super) fn header(source_file: &Path) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("# gatecheck snapshot of ");
    // Written with `/` on every system, so that snapshots compare across them.
    let source = source_file.to_string_lossy();
    match source.contains('\\') {
        true => out.push_str(&source.replace('\\', "/")),
        false => out.push_str(&source),
    }
    out.push_str("\n# Review changes with `gatecheck review`; do not edit by hand.\n");
    out
}

/// A coloured-or-not unified diff between two texts.
pub fn diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Write then rename, so an interrupted run never leaves half a snapshot.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn remove_if_present(path: &Path) {
    // A missing pending file is the normal case, so only real failures would matter,
    // and they leave nothing worse than a stale file `review` will show.
    let _ = std::fs::remove_file(path);
}

/// Largest stored snapshot read: four times the largest answer a run reads (16 MiB),
/// room enough for its YAML form and a few steps.
const MAX_STORED: u64 = 64 << 20;

/// The stored snapshot at `path`, `None` when there is none. Its bytes: the usual
/// stored file is byte-equal to the new rendering, which is UTF-8, and is not checked
/// again ([`stored_text`] checks the others).
fn read_stored(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let bytes = read_at_most(file, MAX_STORED).map_err(cannot)?;
    if bytes.len() as u64 > MAX_STORED {
        return Err(format!(
            "cannot read {}: a snapshot is at most {} MiB",
            path.display(),
            MAX_STORED >> 20
        ));
    }
    Ok(Some(bytes))
}

/// The stored snapshot's bytes as text, refused in the words of `read_to_string`.
fn stored_text(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "cannot read {}: stream did not contain valid UTF-8",
            path.display()
        )
    })
}

/// [`compare`] for the document `snapshot` makes, masked by `masker` (`memo` is what
/// the usual case's pass remembers of a run). The usual case
/// (the stored file is what gatecheck wrote for the same answers) is found without
/// building the document (`snapshot::fast`); any other is compared as a document.
pub fn compare_snapshot(
    path: &Path,
    source_file: &Path,
    snapshot: Snapshot<'_>,
    masker: &Masker,
    memo: &Memo,
    mode: SnapshotMode,
    ci: bool,
) -> Result<SnapshotResult, String> {
    let stored = read_stored(path);
    // A missing or unreadable file is for the comparison of documents to write or
    // report.
    if let Ok(Some(stored)) = &stored
        && super::fast::matches(source_file, &snapshot, masker, memo, stored)
    {
        return Ok(matched(path));
    }
    let doc = document(snapshot)?;
    compare_with(path, source_file, &masker.mask(doc), mode, ci, stored)
}

/// Compares `doc` (a scenario's snapshot document, written as [`render`] writes it for
/// the scenario file `source_file`) with what is stored at `path`, acting per `mode`.
pub fn compare(
    path: &Path,
    source_file: &Path,
    doc: &Masked<Value>,
    mode: SnapshotMode,
    ci: bool,
) -> Result<SnapshotResult, String> {
    compare_with(path, source_file, doc, mode, ci, read_stored(path))
}

/// [`compare`] with what reading the stored file at `path` came to.
fn compare_with(
    path: &Path,
    source_file: &Path,
    doc: &Masked<Value>,
    mode: SnapshotMode,
    ci: bool,
    stored: Result<Option<Vec<u8>>, String>,
) -> Result<SnapshotResult, String> {
    let text = render(source_file, doc)?;
    let pending = pending_path(path);
    let Some(old) = stored? else {
        if mode == SnapshotMode::Check && ci {
            return Ok(SnapshotResult::Missing {
                path: path.to_path_buf(),
                content: text,
            });
        }
        write(path, &text)?;
        remove_if_present(&pending);
        return Ok(SnapshotResult::Written(path.to_path_buf()));
    };
    // The usual case: gatecheck wrote the stored file and the answer has not changed.
    // Byte-equal texts are the same document without reading either (reading a 1 MB
    // snapshot costs far more than the request it checks).
    if old == text.as_bytes() {
        return Ok(matched(path));
    }
    let old = stored_text(path, old)?;
    if same_document(&old, &text, doc) {
        return Ok(matched(path));
    }
    if mode == SnapshotMode::Update {
        write(path, &text)?;
        remove_if_present(&pending);
        return Ok(SnapshotResult::Updated(path.to_path_buf()));
    }
    write(&pending, &text)?;
    Ok(SnapshotResult::Mismatch {
        path: path.to_path_buf(),
        pending,
        diff: diff(&old, &text, "stored", "received"),
    })
}

/// The snapshot at `path` matched: a pending file beside it is stale.
fn matched(path: &Path) -> SnapshotResult {
    remove_if_present(&pending_path(path));
    SnapshotResult::Matched(path.to_path_buf())
}

/// Whether the stored text `old` holds the same data as `new`, the rendering of `doc`,
/// whatever the comments and layout (byte-equal texts are matched before this).
fn same_document(old: &str, new: &str, doc: &Value) -> bool {
    // The stored file in the form gatecheck writes (the usual case when the answer
    // changed): read here, in a fraction of the YAML library's time, and compared
    // with the document itself, which is what its rendering reads back as (tested).
    // First as the text is read, when it lists the document's members in its order
    // (the usual change is other values); else read whole and compared.
    if let Some(same) = super::read::same(old, doc) {
        return same;
    }
    if let Some(stored) = super::read::read(old) {
        return stored == *doc;
    }
    // A stored file edited by hand, or a document the renderer left to the library.
    match (
        serde_yaml::from_str::<Value>(old),
        serde_yaml::from_str::<Value>(new),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every pending snapshot under `dir`, sorted.
pub fn pending_files(dir: &Path) -> Vec<PathBuf> {
    files_ending(dir, PENDING_EXT)
}

/// Every stored snapshot under `dir`, sorted.
pub fn stored_files(dir: &Path) -> Vec<PathBuf> {
    files_ending(dir, &format!(".{SNAP_EXT}"))
}

/// The stored snapshots under `dir` that none of `referenced` is (left behind by a
/// scenario that was renamed or removed).
pub fn unreferenced(dir: &Path, referenced: &std::collections::BTreeSet<PathBuf>) -> Vec<PathBuf> {
    stored_files(dir)
        .into_iter()
        .filter(|p| !referenced.contains(p))
        .collect()
}

/// Every file under `dir` whose name ends with `suffix`, sorted. Linked directories
/// are not followed, so a link cycle cannot make the walk endless.
fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let linked = entry.file_type().is_ok_and(|t| t.is_symlink());
            if path.is_dir() && !linked {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Accepts a pending snapshot: it replaces the stored one.
pub fn accept(pending: &Path) -> Result<PathBuf, String> {
    let stored = stored_path(pending);
    std::fs::rename(pending, &stored)
        .map_err(|e| format!("cannot accept {}: {e}", pending.display()))?;
    Ok(stored)
}

/// Rejects a pending snapshot: it is deleted, the stored one stays.
pub fn reject(pending: &Path) -> Result<(), String> {
    std::fs::remove_file(pending).map_err(|e| format!("cannot reject {}: {e}", pending.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_mirror_the_suite() {
        let p = snapshot_path(Path::new("snapshots"), Path::new("bt/cu/add.yaml"));
        assert_eq!(p, Path::new("snapshots/bt/cu/add.snap.yaml"));
        assert_eq!(
            pending_path(&p),
            Path::new("snapshots/bt/cu/add.snap.pending.yaml")
        );
        assert_eq!(stored_path(&pending_path(&p)), p);
        // Names the quick swap of endings leaves to the general rule.
        for (stored, pending) in [
            (
                "s/a.snap.yaml.snap.yaml",
                "s/a.snap.pending.yaml.snap.pending.yaml",
            ),
            ("s/asnap.yaml", "s/asnap.pending.yaml"),
            ("s.snap.yaml/b.yaml", "s.snap.yaml/b.yaml"),
            ("snap.yaml", "snap.pending.yaml"),
        ] {
            assert_eq!(
                pending_path(Path::new(stored)),
                Path::new(pending),
                "{stored}"
            );
        }
    }

    #[test]
    fn check_new_update_cycle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.snap.yaml");
        let source = Path::new("b.yaml");
        let doc = |x: u32| crate::mask::Masker::default().mask(serde_json::json!({ "x": x }));
        let text = |x: u32| render(source, &doc(x)).unwrap();
        let compare = |x: u32, mode: SnapshotMode, ci: bool| {
            compare(&path, source, &doc(x), mode, ci).unwrap()
        };
        // Missing in CI: failure, nothing written.
        let r = compare(1, SnapshotMode::Check, true);
        assert!(matches!(r, SnapshotResult::Missing { .. }));
        assert!(!path.exists());
        // Missing locally: written.
        let r = compare(1, SnapshotMode::Check, false);
        assert_eq!(r, SnapshotResult::Written(path.clone()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text(1));
        // Same data, other layout: matched.
        std::fs::write(&path, "# c\nx:   1\n").unwrap();
        let r = compare(1, SnapshotMode::Check, true);
        assert_eq!(r, SnapshotResult::Matched(path.clone()));
        std::fs::write(&path, text(1)).unwrap();
        // Different: mismatch with diff and a pending file; stored file untouched.
        let r = compare(2, SnapshotMode::New, true);
        let SnapshotResult::Mismatch { pending, diff, .. } = r else {
            panic!("{r:?}")
        };
        assert!(diff.contains("-x: 1") && diff.contains("+x: 2"), "{diff}");
        assert_eq!(pending_files(dir.path()), std::slice::from_ref(&pending));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text(1));
        // Different from a stored file written by hand: mismatch too.
        std::fs::write(&path, "# c\nx:   1\n").unwrap();
        let r = compare(2, SnapshotMode::New, true);
        assert!(matches!(r, SnapshotResult::Mismatch { .. }), "{r:?}");
        std::fs::write(&path, text(1)).unwrap();
        // Accept: pending replaces stored.
        accept(&pending).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text(2));
        assert!(pending_files(dir.path()).is_empty());
        // Update rewrites.
        let r = compare(3, SnapshotMode::Update, true);
        assert_eq!(r, SnapshotResult::Updated(path.clone()));
        // Reject deletes the pending file only.
        compare(4, SnapshotMode::Check, false);
        let pending = pending_path(&path);
        reject(&pending).unwrap();
        assert!(!pending.exists());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text(3));
    }
}
