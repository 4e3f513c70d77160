//! Reading fixtures: each fixture file of a load is read (through the bounded reader
//! and the located YAML, as scenarios are) and parsed once, however many scenarios on
//! however many threads use it; and the `- use:` items of a `steps:` list, read on
//! the side of the rest of the file.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::fixture::{FIXTURE_KEY, Fixture, USE_KEY, Use};
use super::include::SourceFile;
use super::load::{parse_tree, read_bounded, yaml_diagnostic};
use crate::yaml::{self, Limits, Node, NodeKind, Span, Spanned};

/// A `- use:` item taken out of a `steps:` list, with its place in the list.
#[derive(Debug, Clone)]
pub struct PendingUse {
    /// Its index among the list's items.
    pub position: usize,
    /// The item.
    pub item: Spanned<Use>,
    /// The item as written.
    pub node: Node,
}

impl PendingUse {
    /// Where the `use:` key is written.
    pub(super) fn key_span(&self) -> Span {
        self.node
            .entry(USE_KEY)
            .map_or(self.item.span, |(k, _)| k.span)
    }
}

/// Whether a file's tree is a fixture's (it has a top-level `fixture:`).
pub fn is_fixture(tree: &Node) -> bool {
    tree.entry(FIXTURE_KEY).is_some()
}

/// Takes the `- use:` items out of the top-level `steps:` list of `tree`.
fn take_uses(tree: &mut Node) -> Vec<(usize, Node)> {
    let NodeKind::Map(entries) = &mut tree.kind else {
        return Vec::new();
    };
    let Some((_, steps)) = entries
        .iter_mut()
        .find(|(k, _)| k.as_str() == Some("steps"))
    else {
        return Vec::new();
    };
    let NodeKind::Seq(items) = &mut steps.kind else {
        return Vec::new();
    };
    if !items.iter().any(|item| item.entry(USE_KEY).is_some()) {
        return Vec::new();
    }
    let mut uses = Vec::new();
    let mut kept = Vec::with_capacity(items.len());
    for (position, item) in std::mem::take(items).into_iter().enumerate() {
        if item.entry(USE_KEY).is_some() {
            uses.push((position, item));
        } else {
            kept.push(item);
        }
    }
    *items = kept;
    uses
}

/// Deserializes a `T` (a scenario or a fixture) from `tree`, with the `- use:` items
/// of its `steps:` read on the side: the tree kept holds the other steps only.
pub fn deserialize<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    mut tree: Node,
) -> Result<(T, Node, Vec<PendingUse>), Vec<Diagnostic>> {
    let taken = take_uses(&mut tree);
    let value = yaml::from_node::<T>(&tree).map_err(|e| yaml_diagnostic(path, text, &e));
    let mut errors = Vec::new();
    let mut uses = Vec::with_capacity(taken.len());
    for (position, node) in taken {
        match yaml::from_node::<Spanned<Use>>(&node) {
            Ok(item) => uses.push(PendingUse {
                position,
                item,
                node,
            }),
            Err(e) => errors.push(yaml_diagnostic(path, text, &e)),
        }
    }
    match value {
        Ok(value) if errors.is_empty() => Ok((value, tree, uses)),
        Ok(_) => Err(errors),
        Err(first) => {
            errors.insert(0, first);
            Err(errors)
        }
    }
}

/// A fixture file, parsed.
#[derive(Debug)]
pub struct FixtureFile {
    /// Its path, text and tree.
    pub source: Arc<SourceFile>,
    /// What it says (its `steps` without the `- use:` items).
    pub fixture: Fixture,
    /// Its `- use:` items.
    pub uses: Vec<PendingUse>,
}

/// Why a `use:` cannot have its fixture.
#[derive(Debug, Clone)]
pub(super) enum Refusal {
    /// There is no such file.
    Missing,
    /// The file has no top-level `fixture:`.
    NotFixture,
    /// The fixture has errors of its own.
    Broken(Vec<Diagnostic>),
}

/// A fixture, or why it cannot be had.
pub(super) type Loaded = Result<Arc<FixtureFile>, Refusal>;

/// The fixtures of one load, each read and parsed once however many scenarios (on
/// however many threads) use it.
#[derive(Debug, Default)]
pub struct Fixtures {
    cells: Mutex<HashMap<PathBuf, Arc<OnceLock<Loaded>>>>,
}

impl Fixtures {
    /// The fixture at `path`, made by `read` the first time it is asked for.
    pub(super) fn get(&self, path: &Path, read: impl FnOnce() -> Loaded) -> Loaded {
        let key = canonical(path);
        let cell = {
            // A panic while holding the lock leaves the map whole: go on with it.
            let mut cells = self
                .cells
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(cells.entry(key).or_default())
        };
        // Outside the lock: other fixtures load in parallel; a second asker of this
        // one waits for the first instead of reading it again.
        cell.get_or_init(read).clone()
    }

    /// Whether `path` was read as a fixture already (with or without errors).
    pub fn has_fixture(&self, path: &Path) -> bool {
        // Most suites read no fixture: then no path is resolved (a system call per
        // component of every scenario's path), and never with the lock held, which
        // the loading threads share.
        if self.is_empty() {
            return false;
        }
        let path = canonical(path);
        let cells = self
            .cells
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cells
            .get(&path)
            .is_some_and(|cell| matches!(cell.get(), Some(Ok(_) | Err(Refusal::Broken(_)))))
    }

    /// How many fixture files this load has read.
    pub fn len(&self) -> usize {
        self.cells
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether no fixture was read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The path links resolved, for telling files apart; the path itself when it cannot
/// be resolved.
pub(super) fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `a/b/../c` as `a/c`, without touching the disk, so messages show short paths.
pub(super) fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Reads and parses the fixture at `path`.
pub(super) fn read_fixture(path: &Path) -> Loaded {
    if !path.exists() {
        return Err(Refusal::Missing);
    }
    let bytes =
        read_bounded(path, &Limits::default(), "fixture").map_err(|d| Refusal::Broken(vec![*d]))?;
    let (tree, text) = parse_tree(path, &bytes).map_err(|d| Refusal::Broken(vec![*d]))?;
    parse_fixture(path, tree, text)
}

/// A fixture from its parsed tree, with the checks that need only the fixture.
pub(super) fn parse_fixture(path: &Path, tree: Node, text: Arc<str>) -> Loaded {
    if !is_fixture(&tree) {
        return Err(Refusal::NotFixture);
    }
    let (fixture, tree, uses) =
        deserialize::<Fixture>(path, &text, tree).map_err(Refusal::Broken)?;
    let at =
        |span: Span, message: String| Diagnostic::at(path, &text, span.line, span.column, message);
    let mut errors = Vec::new();
    if fixture.steps.is_empty() && uses.is_empty() {
        let span = tree.entry("steps").map_or(tree.span, |(k, _)| k.span);
        errors.push(
            at(span, "the fixture has no steps".into())
                .with_help("add `steps:` with at least one `- name: ... request: ...`"),
        );
    }
    // A fixture's variables are its inputs and its captures its outputs: one name
    // cannot be both, or what the `use:` gives would leak out of it.
    for step in &fixture.steps {
        for name in step.capture.keys() {
            if fixture.vars.contains_key(name) {
                errors.push(
                    at(
                        name.span,
                        format!("capture `{name}` has the name of one of the fixture's `vars`"),
                    )
                    .with_help("give the capture another name: the fixture's `vars` stay inside it, captures are seen after the `use:`"),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(Refusal::Broken(errors));
    }
    Ok(Arc::new(FixtureFile {
        source: Arc::new(SourceFile {
            path: path.to_path_buf(),
            text,
            tree,
        }),
        fixture,
        uses,
    }))
}
