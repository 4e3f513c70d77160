//! Finding scenario files, parsing them strictly, and checking what parsing cannot:
//! that every `${variable}` is defined where it is used.
//!
//! Files are read into a located tree ([`crate::yaml`]) once; every message, here and
//! at run time, takes its position from that tree or from the spans the typed model
//! keeps, never from searching the text.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::Diagnostic;
use super::fixture_cache::{self, Fixtures};
use super::include::{self, Inclusion, Place};
use super::model::{Action, Case, Reason, Scenario};
use super::splice;
use super::template::{RUN_ID, UUID, WEBHOOK_URL};
use crate::suggest::nearest;
use crate::yaml::{self, Limits, Node, NodeKind, Span, Spanned};

/// A scenario together with where it came from.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// Test name: the path under the suite root, `::`-separated, without extension
    /// (`braintree::customer_update::add_card_without_token`).
    pub id: String,
    /// The file as found on disk.
    pub path: PathBuf,
    /// The path relative to the suite root, which snapshots mirror.
    pub relative: PathBuf,
    /// The file's text, kept for showing the lines messages point at.
    pub source: Arc<str>,
    /// The file's located tree, for finding where a value is written.
    pub tree: Arc<Node>,
    /// The parsed scenario.
    pub scenario: Scenario,
}

impl ScenarioFile {
    /// An error at `span` of this file.
    pub fn diagnostic_at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, &self.source, span.line, span.column, message)
    }

    /// Where the top-level `key` is written (its key), or the file's start.
    pub fn key_span(&self, key: &str) -> Span {
        self.tree.entry(key).map_or(self.tree.span, |(k, _)| k.span)
    }
}

/// Every `*.yaml` / `*.yml` file under `root`, sorted, so runs are reproducible, and
/// every directory that could not be read (the rest is still searched).
///
/// Each directory is entered once, however many links lead to it, so a link cycle
/// (`loop -> .`) neither repeats scenarios nor runs forever; a file reached by
/// several links is listed once.
pub fn discover(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    // Each path with its sort key: the names below `root`, each ended by a zero byte
    // (which no name holds). Every path starts with `root`'s components, then has one
    // plain name per level, so ordering by key is `Path`'s order (component by
    // component, a shorter run of names first), without splitting each path into
    // components again in every comparison (that was most of discovering a suite).
    let mut out: Vec<(Vec<u8>, PathBuf)> = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = std::collections::HashSet::new();
    let mut seen_files = std::collections::HashSet::new();
    let mut stack = vec![(root.to_path_buf(), Vec::new())];
    while let Some((dir, key)) = stack.pop() {
        if !seen_dirs.insert(identity(&dir, None)) {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(
                    Diagnostic::file(&dir, format!("cannot read directory: {e}"))
                        .with_help("its scenarios were not loaded; the rest of the suite was"),
                );
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    errors.push(Diagnostic::file(
                        &dir,
                        format!("cannot read directory: {e}"),
                    ));
                    continue;
                }
            };
            let mut below = key.clone();
            if let Some(name) = path.file_name() {
                below.extend_from_slice(name.as_encoded_bytes());
            }
            below.push(0);
            // One `stat` (following links) says both what the entry is and which
            // file it is: resolving each path whole cost more than parsing a small file.
            let metadata = std::fs::metadata(&path).ok();
            if metadata.as_ref().is_some_and(std::fs::Metadata::is_dir) {
                stack.push((path, below));
            } else if is_scenario_file(&path)
                && seen_files.insert(identity(&path, metadata.as_ref()))
            {
                out.push((below, path));
            }
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (out.into_iter().map(|(_, path)| path).collect(), errors)
}

/// Which file or directory `path` is, however it is reached: its device and inode
/// where there are such, else its canonical path (else the path as given).
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path, metadata: Option<&std::fs::Metadata>) -> Identity {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let metadata = metadata.cloned().or_else(|| std::fs::metadata(path).ok());
        if let Some(m) = metadata {
            return Identity::Inode(m.dev(), m.ino());
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    Identity::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn is_scenario_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// The test id of a file relative to the suite root.
pub fn scenario_id(relative: &Path) -> String {
    relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("::")
}

/// Reads a user file whole, refusing one larger than `limits` allows without reading
/// past that size.
pub fn read_bounded(path: &Path, limits: &Limits, what: &str) -> Result<Vec<u8>, Box<Diagnostic>> {
    let cannot =
        |e: std::io::Error| Box::new(Diagnostic::file(path, format!("cannot read {what}: {e}")));
    // A FIFO would block the open and a device never ends: only regular files are read.
    if !std::fs::metadata(path).map_err(cannot)?.is_file() {
        return Err(Box::new(
            Diagnostic::file(path, format!("cannot read {what}: not a regular file"))
                .with_help("point at a regular file (a link to one is fine)"),
        ));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    read_at_most(file, limits.max_bytes as u64).map_err(cannot)
}

/// At most `limit + 1` bytes of `file` (one past the bound, so that the caller can
/// tell a file over it), read in one call: the buffer is sized from the file's
/// length, where an empty one grows by doubling, a read each (8 reads for a 2 KB
/// scenario).
pub fn read_at_most(file: std::fs::File, limit: u64) -> std::io::Result<Vec<u8>> {
    let limit = limit.saturating_add(1);
    let size = file.metadata().map_or(0, |m| m.len().min(limit));
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads and parses one scenario file. `root` is the suite root its id is relative to.
/// A scenario with `cases` becomes one scenario per case, each with its own id and
/// snapshot file (`x.yaml` case `c` ↔ id `…::x::c`, snapshot `x/c.snap.yaml`).
/// A fixture file (top-level `fixture:`) is checked and yields no scenario.
pub fn load_file(path: &Path, root: &Path) -> Result<Vec<ScenarioFile>, Vec<Diagnostic>> {
    load_file_with(path, root, &Fixtures::default(), Wanted::All)
}

/// Which of a file's scenarios loading makes.
#[derive(Debug, Clone, Copy, Default)]
pub enum Wanted<'a> {
    /// Every scenario: one per case of a file with `cases:`.
    #[default]
    All,
    /// Only the scenario with this test id. A process that runs one test (nextest
    /// runs each in its own) need not copy and check the other cases of its file:
    /// for a file of 30 cases, that was most of the process's loading.
    Id(&'a str),
}

impl Wanted<'_> {
    /// Whether scenario `id`, made from the file whose own id is `file`, is wanted:
    /// every one when all are, or when the file's own id is asked for. A file with
    /// cases has no scenario of that id; it names the test the file is reported as
    /// when one of its cases has a problem (an undefined variable, an API without a
    /// profile), so every case is made and checked to find it.
    fn wants(self, file: &str, id: &str) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Id(only) => only == id || only == file,
        }
    }
}

/// [`load_file`], reading the fixtures its `- use:` items name through `fixtures`,
/// which a whole load shares so each fixture file is read once, and making only the
/// scenarios `wanted`. The file itself is checked whole either way (its structure,
/// its cases' names and marks): a broken file is reported whichever of its scenarios
/// is wanted.
pub fn load_file_with(
    path: &Path,
    root: &Path,
    fixtures: &Fixtures,
    wanted: Wanted<'_>,
) -> Result<Vec<ScenarioFile>, Vec<Diagnostic>> {
    let fixture = |parsed| {
        let problems = splice::check_fixture(path, parsed, fixtures);
        if problems.is_empty() {
            Ok(Vec::new())
        } else {
            Err(problems)
        }
    };
    // A fixture a `use:` already read is not read again.
    if fixtures.has_fixture(path) {
        return fixture(None);
    }
    let bytes = read_bounded(path, &Limits::default(), "scenario").map_err(|d| vec![*d])?;
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let (tree, source) = parse_tree(path, &bytes).map_err(|d| vec![*d])?;
    if fixture_cache::is_fixture(&tree) {
        return fixture(Some((tree, source)));
    }
    let (mut scenario, tree, uses) = fixture_cache::deserialize::<Scenario>(path, &source, tree)?;
    let (steps, mut problems) = splice::expand(
        path,
        &source,
        std::mem::take(&mut scenario.steps),
        &uses,
        fixtures,
    );
    scenario.steps = steps;
    let file = ScenarioFile {
        id: scenario_id(&relative),
        path: path.to_path_buf(),
        relative,
        source,
        tree: Arc::new(tree),
        scenario,
    };
    // A `use:` that failed leaves steps out: the structure is judged once it works.
    if problems.is_empty() {
        problems.extend(structural_checks(&file));
    }
    problems.extend(case_checks(&file));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(expand_cases(file, wanted))
}

const CASE_NAME_HELP: &str =
    "case names are letters, digits, `_` and `-`, e.g. `first_name_too_long`";

/// `skip` and `xfail` on the same scenario or case contradict each other: one is
/// "do not run", the other "run, and expect a failure".
fn mark_conflict(
    file: &ScenarioFile,
    what: &str,
    skip: Option<&Spanned<Reason>>,
    xfail: Option<&Spanned<Reason>>,
) -> Option<Diagnostic> {
    let (skip, xfail) = (skip?, xfail?);
    Some(
        file.diagnostic_at(
            xfail.span,
            format!(
                "`xfail` and `skip` (at {}) on the same {what}: what is skipped does not run, so it cannot fail",
                skip.span,
            ),
        )
        .with_help("keep one: `skip:` not to run it, `xfail:` to run it and expect a failure"),
    )
}

fn case_checks(file: &ScenarioFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(mark_conflict(
        file,
        "scenario",
        file.scenario.skip.as_ref(),
        file.scenario.xfail.as_ref(),
    ));
    for case in &file.scenario.cases {
        out.extend(mark_conflict(
            file,
            "case",
            case.skip.as_ref(),
            case.xfail.as_ref(),
        ));
    }
    let mut seen = std::collections::BTreeMap::new();
    for case in &file.scenario.cases {
        let name = &case.name;
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            out.push(
                file.diagnostic_at(name.span, format!("bad case name {:?}", name.value))
                    .with_help(CASE_NAME_HELP),
            );
        } else if let Some(first) = seen.insert(name.value.as_str(), name.span) {
            out.push(
                file.diagnostic_at(
                    name.span,
                    format!(
                        "two cases are named `{}` (the first at {first})",
                        name.value
                    ),
                )
                .with_help("case names end test ids, so each must be unique"),
            );
        }
    }
    out
}

fn expand_cases(mut file: ScenarioFile, wanted: Wanted<'_>) -> Vec<ScenarioFile> {
    if file.scenario.cases.is_empty() {
        return if wanted.wants(&file.id, &file.id) {
            vec![file]
        } else {
            Vec::new()
        };
    }
    let base = file.relative.with_extension("");
    // Taken out first: each case's scenario is a copy of the rest, and copying the
    // list of cases into every case made a file's expansion quadratic in its cases.
    let cases = std::mem::take(&mut file.scenario.cases);
    let mut chosen: Vec<_> = cases
        .iter()
        .filter_map(|case| {
            let relative = base.join(format!("{}.yaml", case.name.value));
            let id = scenario_id(&relative);
            wanted.wants(&file.id, &id).then_some((case, relative, id))
        })
        .collect();
    let ScenarioFile {
        path,
        source,
        tree,
        scenario,
        ..
    } = file;
    let made = |scenario, (case, relative, id)| ScenarioFile {
        id,
        path: path.clone(),
        relative,
        source: Arc::clone(&source),
        tree: Arc::clone(&tree),
        scenario: with_case(scenario, case),
    };
    // Each case but the last takes a copy of the scenario; the last takes it.
    let Some(last) = chosen.pop() else {
        return Vec::new();
    };
    let mut out: Vec<ScenarioFile> = chosen
        .into_iter()
        .map(|wanted| made(scenario.clone(), wanted))
        .collect();
    out.push(made(scenario, last));
    out
}

/// `scenario` (the file's, without its cases) as `case` runs it.
fn with_case(mut scenario: Scenario, case: &Case) -> Scenario {
    for (name, value) in &case.vars {
        scenario.vars.insert(name.clone(), value.clone());
    }
    // A case's own mark wins over the scenario's, and a skip over an xfail: what does
    // not run cannot fail.
    scenario.skip = case.skip.clone().or(scenario.skip);
    scenario.xfail = match scenario.skip {
        Some(_) => None,
        None => case.xfail.clone().or(scenario.xfail),
    };
    if let Some(description) = &case.description {
        scenario.name = format!("{} ({description})", scenario.name);
    } else {
        scenario.name = format!("{} [{}]", scenario.name, case.name.value);
    }
    scenario
}

/// A scenario of a run: what selecting, listing and reporting need, and the loaded
/// scenario itself only when the run keeps it loaded. Otherwise [`ScenarioRef::load`]
/// reads it again just before it runs, so that a run holds its scenarios' parsed form
/// (tens of KB each: text, located tree, compiled paths and patterns) only while they
/// run, not for the whole run.
#[derive(Debug, Clone)]
pub struct ScenarioRef {
    /// Test id.
    pub id: String,
    /// The file as found on disk.
    pub path: PathBuf,
    /// The path relative to the suite root, which snapshots mirror.
    pub relative: PathBuf,
    /// The scenario's API.
    pub api: String,
    /// The scenario's name (unmasked, as written).
    pub name: String,
    /// Where `steps:` is written, for failures of the scenario as a whole.
    pub steps_at: Span,
    /// Why the scenario is expected to fail, when it says `xfail:` (masked: free text).
    pub xfail: Option<String>,
    uses_webhooks: bool,
    /// The suite root the id is relative to, for loading the file again.
    root: Arc<Path>,
    /// A hash of the text that was checked: a file changed since is not run unchecked.
    digest: u64,
    loaded: Option<Arc<ScenarioFile>>,
}

impl ScenarioRef {
    /// The reference to `file`, loaded from under `root`; `keep` keeps the parsed
    /// scenario, else only what the run needs to load it again.
    pub fn new(file: ScenarioFile, root: Arc<Path>, keep: bool) -> ScenarioRef {
        if keep {
            return ScenarioRef::from(Arc::new(file));
        }
        // Only a scenario loaded again is compared with what was checked.
        ScenarioRef::index(&file, root, digest(&file.source))
    }

    /// What the plan keeps of `file` without the file itself.
    fn index(file: &ScenarioFile, root: Arc<Path>, digest: u64) -> ScenarioRef {
        ScenarioRef {
            id: file.id.clone(),
            path: file.path.clone(),
            relative: file.relative.clone(),
            api: file.scenario.api.clone(),
            name: file.scenario.name.clone(),
            steps_at: file.key_span("steps"),
            xfail: file
                .scenario
                .xfail
                .as_ref()
                .map(|r| crate::mask::Masker::default().text(&r.value.0)),
            uses_webhooks: file.scenario.uses_webhooks(),
            root,
            digest,
            loaded: None,
        }
    }

    /// Whether the scenario needs the run's webhook receiver.
    pub fn uses_webhooks(&self) -> bool {
        self.uses_webhooks
    }

    /// Whether the parsed scenario is held (else [`ScenarioRef::load`] reads it again).
    pub fn is_loaded(&self) -> bool {
        self.loaded.is_some()
    }

    /// The parsed scenario: the one kept, or the file read and parsed again. A file
    /// that changed since it was checked is refused: what runs is what was checked.
    pub fn load(&self) -> Result<Arc<ScenarioFile>, Box<Diagnostic>> {
        if let Some(file) = &self.loaded {
            return Ok(Arc::clone(file));
        }
        let changed = || {
            Box::new(
                Diagnostic::file(
                    &self.path,
                    "the file changed after the run checked it; it was not run",
                )
                .with_help("run again to check and run the new version"),
            )
        };
        let files = load_file(&self.path, &self.root).map_err(|_| changed())?;
        let file = files
            .into_iter()
            .find(|f| f.id == self.id)
            .ok_or_else(changed)?;
        if digest(&file.source) != self.digest {
            return Err(changed());
        }
        Ok(Arc::new(file))
    }
}

impl From<Arc<ScenarioFile>> for ScenarioRef {
    /// A reference that keeps `file` loaded.
    fn from(file: Arc<ScenarioFile>) -> ScenarioRef {
        // Kept loaded, it is never read again: no root or digest is needed.
        let mut out = ScenarioRef::index(&file, Arc::from(Path::new("")), 0);
        out.loaded = Some(file);
        out
    }
}

/// A hash of a file's text (SipHash with fixed keys: the same in every process).
fn digest(source: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    source.hash(&mut hasher);
    hasher.finish()
}

/// Loads the scenarios named by `paths` (files or directories) under suite root `root`.
/// Returns every scenario that loaded and every error, so one bad file hides nothing.
pub fn load_suite(paths: &[PathBuf], root: &Path) -> (Vec<ScenarioFile>, Vec<Diagnostic>) {
    load_suite_with(paths, root, Wanted::All, &|file| Ok(Some(file)))
}

/// What [`load_suite_with`] makes of each scenario that loaded: a `T`, nothing (not
/// selected), or the problems found in it.
pub type EachScenario<'a, T> =
    dyn Fn(ScenarioFile) -> Result<Option<T>, Vec<Diagnostic>> + Sync + 'a;

/// [`load_suite`], making only the scenarios `wanted` and handing each to `each` as
/// soon as it is loaded (on the loading thread), so a large suite is never held whole
/// in its parsed form.
pub fn load_suite_with<T: Send>(
    paths: &[PathBuf],
    root: &Path,
    wanted: Wanted<'_>,
    each: &EachScenario<'_, T>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (found, mut unreadable) = discover(path);
            files.extend(found);
            errors.append(&mut unreadable);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push(Diagnostic::file(path, "no such file or directory"));
        }
    }
    // One directory's files come from `discover` sorted, each once.
    if paths.len() > 1 {
        files.sort();
        files.dedup();
    }
    let mut scenarios = Vec::new();
    let fixtures = Fixtures::default();
    for loaded in load_files(&files, root, &fixtures, wanted, each) {
        match loaded {
            Ok(expanded) => scenarios.extend(expanded),
            Err(mut e) => errors.append(&mut e),
        }
    }
    // A fixture's own errors come back with every file that uses it: say each once.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d| seen.insert(d.to_string()));
    (scenarios, errors)
}

/// One file through [`load_file`] and `each`: what `each` keeps of its scenarios, or
/// every problem found in them.
fn load_one<T>(
    path: &Path,
    root: &Path,
    fixtures: &Fixtures,
    wanted: Wanted<'_>,
    each: &EachScenario<'_, T>,
) -> Loaded<T> {
    let mut kept = Vec::new();
    let mut problems = Vec::new();
    for file in load_file_with(path, root, fixtures, wanted)? {
        match each(file) {
            Ok(Some(t)) => kept.push(t),
            Ok(None) => {}
            Err(mut e) => problems.append(&mut e),
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

/// What one file gave: its scenarios (as `each` made them), or its problems.
type Loaded<T> = Result<Vec<T>, Vec<Diagnostic>>;

/// Fewest files worth a thread of their own: below this, spawning costs more than
/// parsing.
const FILES_PER_THREAD: usize = 32;

/// [`load_file`] for each of `files`, in their order. Parsing is CPU-bound and each
/// file is independent, so a large suite is loaded by one thread per core (a
/// 10,000-file suite would otherwise take seconds before the first request), the
/// calling thread among them.
///
/// Each thread takes the next file not yet taken rather than a fixed share: files
/// differ in size, and a thread's first pages of memory cost it more than another's,
/// so fixed halves of 300 files finished up to 3 ms apart, the first thread idle.
fn load_files<T: Send>(
    files: &[PathBuf],
    root: &Path,
    fixtures: &Fixtures,
    wanted: Wanted<'_>,
    each: &EachScenario<'_, T>,
) -> Vec<Loaded<T>> {
    // Asked only when there is work to share: the answer is read from the process's
    // cgroup files, paid again by each test process nextest starts for one file.
    let shares = files.len() / FILES_PER_THREAD;
    let threads = if shares > 1 {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(shares))
    } else {
        1
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(file) = files.get(i) else {
                return done;
            };
            done.push((i, load_one(file, root, fixtures, wanted, each)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                // Loading never panics (the property tests hold it to that); should it,
                // the panic is the caller's as it would be without threads.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    // Back in the files' order (a single thread took them in it already).
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, loaded)| loaded).collect()
}

/// Parses a scenario file's bytes: the scenario, its located tree and its text. Its
/// `- use:` items are set aside unspliced ([`load_file`] splices them).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Scenario, Node, Arc<str>), Box<Diagnostic>> {
    let (tree, source) = parse_tree(path, bytes)?;
    let (scenario, tree, _uses) =
        fixture_cache::deserialize(path, &source, tree).map_err(|errors| {
            Box::new(
                errors
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Diagnostic::file(path, "cannot parse the scenario")),
            )
        })?;
    Ok((scenario, tree, source))
}

/// Parses any user YAML file (a scenario, `gatecheck.yaml`) into a `T`, with its
/// located tree and its text; errors point at the exact key or value at fault.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<(T, Node, Arc<str>), Box<Diagnostic>> {
    let (tree, source) = parse_tree(path, bytes)?;
    let value = yaml::from_node(&tree).map_err(|e| Box::new(yaml_diagnostic(path, &source, &e)))?;
    Ok((value, tree, source))
}

/// Reads a user YAML file's bytes into its located tree and its text (a leading
/// byte-order mark dropped).
pub fn parse_tree(path: &Path, bytes: &[u8]) -> Result<(Node, Arc<str>), Box<Diagnostic>> {
    // Checked first as UTF-8 (a fast scan): the lossy reading, character by character,
    // is only for a file that is not, whose error then shows the text around it.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let source: Arc<str> = Arc::from(text.trim_start_matches('\u{feff}'));
    let tree = yaml::parse(bytes, &Limits::default())
        .map_err(|e| Box::new(yaml_diagnostic(path, &source, &e)))?;
    Ok((tree, source))
}

/// Turns a YAML error into a located diagnostic with the fix it suggests.
pub fn yaml_diagnostic(path: &Path, source: &str, error: &yaml::Error) -> Diagnostic {
    let mut diagnostic = match error.span {
        Some(at) => Diagnostic::at(path, source, at.line, at.column, error.message.clone()),
        None => Diagnostic::file(path, error.message.clone()),
    };
    if let Some(help) = error.help.clone().or_else(|| help_for(&error.message)) {
        diagnostic = diagnostic.with_help(help);
    } else if error.message.contains("flow")
        && diagnostic
            .snippet
            .as_deref()
            .is_some_and(|s| s.contains("${"))
    {
        // `{` and `}` of `${var}` are flow-collection brackets to YAML.
        diagnostic = diagnostic.with_help(
            "inside `{ ... }` or `[ ... ]`, quote values that use `${...}`, e.g. `{ id: \"c-${run_id}\" }`",
        );
    }
    diagnostic
}

/// Fixes for the complaints of the scenario language's own types.
fn help_for(message: &str) -> Option<String> {
    if message.contains("invalid JSONPath") {
        return Some(
            "paths start at `$` (RFC 9535), e.g. `$.customer.credit_cards[0].token`, `$..token`, `$['key-with-dash']`".into(),
        );
    }
    if message.contains("invalid regex") {
        return Some("regexes use Rust `regex` syntax; escape `\\`, `(`, `[` and `.` to match them literally".into());
    }
    None
}

/// Checks that need the whole scenario: steps present, snapshot names unique.
fn structural_checks(file: &ScenarioFile) -> Vec<Diagnostic> {
    let scenario = &file.scenario;
    let mut out = Vec::new();
    if scenario.steps.is_empty() {
        out.push(
            file.diagnostic_at(file.key_span("steps"), "the scenario has no steps")
                .with_help("add `steps:` with at least one `- name: ... request: ...`"),
        );
    }
    let mut seen = std::collections::BTreeMap::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        if let Some(key) = step.snapshot_key(i)
            && let Some(first) = seen.insert(key.clone(), step.span)
        {
            out.push(
                file.place(step.included.as_ref())
                    .at(
                        step.span,
                        format!(
                            "two steps snapshot under the same name `{key}` (the first at {first})"
                        ),
                    )
                    .with_help("give one of them `snapshot: another-name`"),
            );
        }
    }
    out
}

impl ScenarioFile {
    /// The file the steps of `frame` are written in: this scenario's, or a fixture's.
    pub fn place<'a>(&'a self, frame: Option<&'a Arc<Inclusion>>) -> Place<'a> {
        Place::of(&self.path, &self.source, &self.tree, frame)
    }
}

/// Checks that every `${var}` is defined where it is used. `target_vars` are the
/// variables the chosen target defines for the scenario's API.
///
/// The steps of a `- use:` see only the fixture's variables (what the `use:` gives,
/// else their defaults), the target's and the built-ins; what they capture is seen
/// after the `use:`. The runner keeps the same scopes.
pub fn check_vars(file: &ScenarioFile, target_vars: &BTreeSet<String>) -> Vec<Diagnostic> {
    let scenario = &file.scenario;
    let mut base: BTreeSet<String> = target_vars.clone();
    base.insert(RUN_ID.to_string());
    base.insert(UUID.to_string());
    base.insert(WEBHOOK_URL.to_string());
    let mut defined = base.clone();
    let mut out = Vec::new();
    let own = file.place(None);
    let vars_node = file.tree.entry("vars").map(|(_, v)| v);
    for (name, value) in &scenario.vars {
        let at = vars_node.and_then(|n| n.entry(name)).map(|(_, v)| v);
        report_undefined(
            own,
            value.vars(),
            &defined,
            at,
            || "in `vars`".into(),
            &mut out,
        );
        defined.insert(name.clone());
    }
    // The uses the current step is inside, outermost first, with the variables
    // defined outside each.
    let mut open: Vec<(Arc<Inclusion>, BTreeSet<String>)> = Vec::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let frames: Vec<Arc<Inclusion>> = open.iter().map(|(f, _)| Arc::clone(f)).collect();
        let moving = include::transition(&frames, step.included.as_ref());
        while open.len() > moving.keep {
            let Some((frame, outer)) = open.pop() else {
                break;
            };
            let inner = std::mem::replace(&mut defined, outer);
            defined.extend(inner.into_iter().filter(|n| !frame.is_param(n)));
        }
        for frame in moving.enter {
            let including = file.place(frame.parent.as_ref());
            for (name, value) in &frame.args {
                let context = || {
                    format!(
                        "in the `vars` of a `use:` of {}",
                        frame.origin.file.path.display()
                    )
                };
                let at = frame.arg_node(name);
                report_undefined(including, value.vars(), &defined, at, context, &mut out);
            }
            let outer = std::mem::replace(&mut defined, base.clone());
            let fixture = file.place(Some(&frame));
            for (name, default) in &frame.params {
                if let Some(default) = default {
                    let at = frame.default_node(name);
                    report_undefined(
                        fixture,
                        default.vars(),
                        &defined,
                        at,
                        || "in `vars`".into(),
                        &mut out,
                    );
                }
                defined.insert(name.clone());
            }
            open.push((frame, outer));
        }
        let used = step.vars_used();
        let place = file.place(step.included.as_ref());
        let at = place.step_node(step.span);
        // A step's name may hold a card number; messages show it masked. A fixture's
        // step is named as its file writes it, so every use says the same (once).
        // Worked out only for a message: nearly every step has none.
        let context = || {
            let mask = |name: &str| crate::mask::Masker::default().text(name);
            match at
                .and_then(|n| n.entry("name"))
                .and_then(|(_, v)| v.as_str())
            {
                Some(name) if place.fixture => format!("in step {:?} of the fixture", mask(name)),
                _ => format!("in step {} ({:?})", i + 1, mask(&step.name)),
            }
        };
        report_undefined(place, used, &defined, at, context, &mut out);
        defined.extend(step.capture.keys().map(|k| k.value.clone()));
    }
    out
}

/// Every variable name `file` reads or gives a value: its `vars` (a case's included),
/// and every `${name}` of its steps and of the `- use:`s they came through. A
/// variable given from outside that no selected scenario names is likely misspelt.
pub fn vars_named(file: &ScenarioFile) -> BTreeSet<String> {
    let scenario = &file.scenario;
    let mut out: BTreeSet<String> = scenario.vars.keys().cloned().collect();
    for value in scenario.vars.values() {
        out.extend(value.vars().map(str::to_string));
    }
    for step in &scenario.steps {
        // Most names are named again and again: copied only the first time.
        step.each_var(&mut |name| {
            if !out.contains(name) {
                out.insert(name.to_string());
            }
        });
        for frame in Inclusion::chain(step.included.as_ref()) {
            for value in frame.templates() {
                out.extend(value.vars().map(str::to_string));
            }
        }
    }
    out
}

/// Steps that ask for a webhook signature check when the target's auth `scheme`
/// cannot verify one: an error before anything is sent, rather than a step that could
/// never pass.
pub fn check_webhook_signatures(file: &ScenarioFile, scheme: &str) -> Vec<Diagnostic> {
    file.scenario
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(&s.action, Action::Webhook(w) if w.signature.is_some()))
        .map(|(i, step)| {
            let place = file.place(step.included.as_ref());
            let at = place
                .step_node(step.span)
                .and_then(|n| n.entry("expect_webhook"))
                .and_then(|(_, w)| w.entry("signature"))
                .map_or(step.span, |(k, _)| k.span);
            place.at(
                at,
                format!(
                    "step {} ({:?}) checks the webhook's signature, but auth scheme `{scheme}` has no way to verify webhooks",
                    i + 1,
                    crate::mask::Masker::default().text(&step.name)
                ),
            )
            .with_help("remove `signature:`, or run on a target whose auth can verify webhooks (`rapyd`)")
        })
        .collect()
}

/// Where `needle` is written inside a scalar: exact for a scalar on one line (quoted
/// or not), else the scalar's start.
fn placeholder_span(node: &Node, needle: &str) -> Span {
    let (NodeKind::Scalar { text, plain }, false) =
        (&node.kind, node.as_str().is_some_and(|t| t.contains('\n')))
    else {
        return node.span;
    };
    let Some(at) = text.find(needle) else {
        return node.span;
    };
    let quote = usize::from(!*plain);
    Span::new(
        node.span.line,
        node.span.column + quote + text[..at].chars().count(),
    )
}

/// Reports each variable of `used` that is not `defined`, at the first key or value
/// under `within` (the step or variable using it) that writes it.
fn report_undefined<'a>(
    place: Place<'_>,
    used: impl IntoIterator<Item = &'a str>,
    defined: &BTreeSet<String>,
    within: Option<&Node>,
    context: impl Fn() -> String,
    out: &mut Vec<Diagnostic>,
) {
    // Made once, for the first message, and only then.
    let mut said = None;
    for var in used {
        if defined.contains(var) {
            continue;
        }
        let context: &String = said.get_or_insert_with(&context);
        let needle = format!("${{{var}}}");
        let at = match within.and_then(|n| n.find_scalar(&|text| text.contains(&needle))) {
            Some(node) => placeholder_span(node, &needle),
            None => within.map_or(place.tree.span, |n| n.span),
        };
        let candidates: Vec<&str> = defined.iter().map(String::as_str).collect();
        let help = match nearest(var, &candidates) {
            Some(best) => format!("did you mean `${{{best}}}`?"),
            None if place.fixture => format!(
                "a fixture sees only its own variables: declare it under the fixture's `vars` (and give it in each `use:`), capture it in an earlier step, give the target a `vars` entry, or pass `--var {var}=…`; defined here: {}",
                candidates.join(", ")
            ),
            None => format!(
                "define it in the scenario's `vars`, capture it in an earlier step, give the target a `vars` entry, or pass `--var {var}=…`; defined here: {}",
                candidates.join(", ")
            ),
        };
        out.push(
            place
                .at(at, format!("undefined variable `{var}` {context}"))
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(src: &str) -> Diagnostic {
        *parse(Path::new("t.yaml"), src.as_bytes()).unwrap_err()
    }

    const GOOD: &str = r#"name: ok
api: braintree
vars:
  first: Ada
steps:
  - name: create
    request:
      method: POST
      path: /merchants/${merchant_id}/customers
      body:
        customer: { id: "c-${run_id}", first_name: "${first}" }
    expect:
      status: 201
      json:
        $.customer.id: { matches: "^c-" }
    capture:
      customer_id: $.customer.id
  - name: find
    request:
      method: GET
      path: /merchants/${merchant_id}/customers/${customer_id}
    snapshot: true
"#;

    fn file(src: &str) -> ScenarioFile {
        let (scenario, tree, source) = parse(Path::new("t.yaml"), src.as_bytes()).unwrap();
        ScenarioFile {
            id: "t".into(),
            path: "t.yaml".into(),
            relative: "t.yaml".into(),
            source,
            tree: Arc::new(tree),
            scenario,
        }
    }

    #[test]
    fn good_scenario_loads_and_checks() {
        let f = file(GOOD);
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        assert!(check_vars(&f, &vars).is_empty());
        assert_eq!(f.scenario.steps[1].span.line, 18);
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let d = parse_err("name: x\napi: b\nsteps:\n  - name: a\n    reqest: {}\n");
        assert_eq!((d.line, d.column), (Some(5), Some(5)));
        assert!(
            d.message.contains("unknown field `reqest`"),
            "{}",
            d.message
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `request`?"));
    }

    #[test]
    fn bad_jsonpath_and_regex_are_located() {
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n    expect:\n      json:\n        \"$.a[\": 1\n";
        let d = parse_err(src);
        assert_eq!(d.line, Some(8));
        assert!(d.message.contains("invalid JSONPath"), "{}", d.message);
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n    expect:\n      json:\n        $.a: { matches: \"(\" }\n";
        let d = parse_err(src);
        assert_eq!(d.line, Some(8));
        assert!(d.message.contains("invalid regex"), "{}", d.message);
    }

    #[test]
    fn bad_method_and_missing_field() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GTE, path: / }\n",
        );
        assert!(
            d.message
                .contains("unknown method `GTE` (did you mean `GET`?)"),
            "{}",
            d.message
        );
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /, format: jsn }\n",
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `json`?"));
        let d = parse_err("name: x\nsteps: []\n");
        assert_eq!(d.help.as_deref(), Some("add `api:`"));
    }

    #[test]
    fn undefined_variable_points_at_use() {
        let src = GOOD.replace("${customer_id}", "${custmer_id}");
        let f = file(&src);
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        let errs = check_vars(&f, &vars);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, Some(21));
        assert!(errs[0].message.contains("`custmer_id` in step 2"));
        assert_eq!(
            errs[0].help.as_deref(),
            Some("did you mean `${customer_id}`?")
        );
        let errs = check_vars(&f, &BTreeSet::new());
        assert!(errs.iter().any(|e| e.message.contains("`merchant_id`")));
    }

    #[test]
    fn header_and_query_names_are_templates() {
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request:\n      method: GET\n      path: /\n      headers: { \"${header}\": v }\n      query: { \"${param}\": \"${value}\" }\n";
        let f = file(src);
        let crate::spec::model::Action::Request { request, .. } = &f.scenario.steps[0].action
        else {
            panic!("a request step")
        };
        let (name, _) = request.headers.first().unwrap();
        assert_eq!(name.vars().collect::<Vec<_>>(), ["header"]);
        let errs = check_vars(&f, &BTreeSet::from(["value".to_string()]));
        let named: Vec<_> = errs.iter().map(|e| e.message.clone()).collect();
        assert_eq!(errs.len(), 2, "{named:?}");
        assert!(named.iter().any(|m| m.contains("`header`")), "{named:?}");
        assert!(named.iter().any(|m| m.contains("`param`")), "{named:?}");
    }

    #[test]
    fn capture_is_not_visible_before_its_step() {
        let src = GOOD.replace("first_name: \"${first}\"", "first_name: \"${customer_id}\"");
        let errs = check_vars(&file(&src), &BTreeSet::from(["merchant_id".to_string()]));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("in step 1"));
    }

    #[test]
    fn unquoted_placeholder_in_flow_map_gets_a_hint() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /c/${id} }\n",
        );
        assert!(d.help.unwrap_or_default().contains("quote values"));
    }

    #[test]
    fn skip_and_xfail_are_read_with_where_they_are_written() {
        let src = GOOD.replace(
            "api: braintree\n",
            "api: braintree\nxfail: '  sandbox answers 500  '\n",
        );
        let f = file(&src);
        let xfail = f.scenario.xfail.as_ref().unwrap();
        assert_eq!(xfail.value.0, "sandbox answers 500", "trimmed");
        let folded = file(&GOOD.replace(
            "api: braintree\n",
            "api: braintree\nskip: |\n  two\n    lines\n",
        ));
        assert_eq!(folded.scenario.skip.as_ref().unwrap().value.0, "two lines");
        assert_eq!((xfail.span.line, xfail.span.column), (3, 8));
        assert!(f.scenario.skip.is_none());
        for (bad, found) in [
            ("skip:\n", "found null"),
            ("skip: ''\n", "is empty"),
            ("xfail: 3\n", "found a number"),
            ("skip: { why: x }\n", "found a map"),
        ] {
            let d = parse_err(&GOOD.replace("api: braintree\n", &format!("api: braintree\n{bad}")));
            assert_eq!(d.line, Some(3), "{bad:?}");
            assert!(d.message.contains(found), "{bad:?}: {}", d.message);
        }
    }

    #[test]
    fn a_case_takes_its_own_mark_else_the_scenario_s_and_a_skip_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bt/marks.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let src = GOOD.replace("api: braintree\n", "api: braintree\nxfail: all fail\n")
            + "cases:\n  - name: plain\n  - name: own\n    xfail: this one fails its own way\n  - name: off\n    skip: not this one\n";
        std::fs::write(&path, &src).unwrap();
        let files = load_file(&path, dir.path()).unwrap();
        let marks: Vec<(Option<&str>, Option<&str>)> = files
            .iter()
            .map(|f| {
                (
                    f.scenario.skip.as_ref().map(|r| r.value.0.as_str()),
                    f.scenario.xfail.as_ref().map(|r| r.value.0.as_str()),
                )
            })
            .collect();
        assert_eq!(
            marks,
            [
                (None, Some("all fail")),
                (None, Some("this one fails its own way")),
                (Some("not this one"), None),
            ]
        );
        // A skipped scenario skips every case, whatever the case says.
        let src = src.replace("xfail: all fail", "skip: none of it");
        std::fs::write(&path, &src).unwrap();
        let files = load_file(&path, dir.path()).unwrap();
        assert!(
            files
                .iter()
                .all(|f| f.scenario.skip.is_some() && f.scenario.xfail.is_none())
        );
        // Both on the scenario itself contradict each other.
        let src = GOOD.replace("api: braintree\n", "api: braintree\nskip: a\nxfail: b\n");
        std::fs::write(&path, &src).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(errs[0].message.contains("on the same scenario"), "{errs:?}");
        assert_eq!(errs[0].line, Some(4));
    }

    #[test]
    fn cases_expand_to_their_own_tests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bt/validation.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let src = format!(
            "{GOOD}cases:\n  - name: short\n    vars: {{ first: Al }}\n  - name: long-one\n    description: a long name\n    vars: {{ first: Alexandra, extra: x }}\n"
        );
        std::fs::write(&path, &src).unwrap();
        let files = load_file(&path, dir.path()).unwrap();
        let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["bt::validation::short", "bt::validation::long-one"]);
        assert_eq!(files[1].relative, Path::new("bt/validation/long-one.yaml"));
        assert!(files[0].scenario.cases.is_empty());
        assert_eq!(files[1].scenario.vars["first"].raw(), "Alexandra");
        assert_eq!(files[1].scenario.name, "ok (a long name)");
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        assert!(check_vars(&files[1], &vars).is_empty());

        std::fs::write(&path, src.replace("long-one", "short")).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(
            errs[0].message.contains("two cases are named `short`"),
            "{errs:?}"
        );
        std::fs::write(&path, src.replace("long-one", "long one")).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(errs[0].message.contains("bad case name"), "{errs:?}");
    }

    #[test]
    fn a_wanted_id_makes_only_that_scenario_and_the_file_is_still_checked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cases = dir.path().join("bt/validation.yaml");
        let plain = dir.path().join("bt/plain.yaml");
        std::fs::create_dir_all(cases.parent().unwrap()).unwrap();
        let src = format!(
            "{GOOD}cases:\n  - name: short\n    vars: {{ first: Al }}\n  - name: long\n    vars: {{ first: Alexandra }}\n"
        );
        std::fs::write(&cases, &src).unwrap();
        std::fs::write(&plain, GOOD).unwrap();
        let load = |path: &Path, id| {
            load_file_with(path, dir.path(), &Fixtures::default(), Wanted::Id(id))
        };
        let files = load(&cases, "bt::validation::long").unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].id, "bt::validation::long");
        assert_eq!(files[0].scenario.vars["first"].raw(), "Alexandra");
        // The file's own id is the test a file with a broken case is reported as:
        // asked for it, every case is made, so that what broke is found.
        assert_eq!(load(&cases, "bt::validation").unwrap().len(), 2);
        assert_eq!(load(&plain, "bt::plain").unwrap()[0].id, "bt::plain");
        assert!(load(&plain, "bt::plain::short").unwrap().is_empty());
        // A problem in a case not wanted is still the file's problem.
        std::fs::write(&cases, src.replace("name: long", "name: short")).unwrap();
        let errs = load(&cases, "bt::validation::short").unwrap_err();
        assert!(errs[0].message.contains("two cases are named"), "{errs:?}");
        // The whole-suite form finds it among all files.
        std::fs::write(&cases, &src).unwrap();
        let (found, errors) = load_suite_with(
            &[dir.path().to_path_buf()],
            dir.path(),
            Wanted::Id("bt::validation::short"),
            &|file| Ok(Some(file.id)),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found, ["bt::validation::short"]);
    }

    #[test]
    fn steps_are_located_where_they_start() {
        let src = "name: a\napi: b\nsteps:\n  - name: s\n    request: { method: GET, path: /s }\n  - request: { method: GET, path: /s }\n    name: \"s\"\n";
        let f = file(src);
        let lines: Vec<usize> = f.scenario.steps.iter().map(|s| s.span.line).collect();
        assert_eq!(lines, [4, 6]);
    }

    #[test]
    fn step_auth_and_webhook_values_are_checked_where_written() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /, auth: nnone }\n",
        );
        assert_eq!(d.line, Some(5));
        assert_eq!(d.help.as_deref(), Some("did you mean `none`?"));
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      within: fast\n",
        );
        assert_eq!(d.line, Some(6));
        assert!(d.message.contains("bad duration"), "{}", d.message);
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      signature: yes please\n",
        );
        assert!(d.message.contains("`valid`"), "{}", d.message);
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      mach: {}\n",
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `match`?"));
    }

    #[test]
    fn a_step_is_a_request_or_a_webhook_wait() {
        let shape = |steps: &str| {
            let src = format!("name: x\napi: b\nsteps:\n{steps}");
            match parse(Path::new("t.yaml"), src.as_bytes()) {
                Ok(_) => structural_checks(&file(&src))
                    .into_iter()
                    .map(|d| (d.line, d.message))
                    .collect::<Vec<_>>(),
                Err(d) => vec![(d.line, d.message)],
            }
        };
        let errs = shape("  - name: a\n    expect: { status: 200 }\n");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].1.contains("neither sends a request"), "{errs:?}");
        let errs = shape(
            "  - name: a\n    request: { method: GET, path: / }\n    expect_webhook: { type: X }\n",
        );
        assert!(errs[0].1.contains("not both"), "{errs:?}");
        let errs = shape(
            "  - name: s\n    request: { method: GET, path: / }\n  - name: w\n    expect_webhook: { type: X }\n    expect: { status: 200 }\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, Some(6));
        assert!(errs[0].1.contains("a webhook step has none"), "{errs:?}");
        assert!(
            shape("  - name: w\n    expect_webhook: { type: X }\n    snapshot: true\n").is_empty()
        );
    }

    #[test]
    fn webhook_use_is_detected_and_webhook_url_is_built_in() {
        let waits = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook: { type: X, match: { $.id: \"${run_id}\" } }\n",
        );
        assert!(waits.scenario.uses_webhooks());
        let hands_url = file(
            "name: x\napi: b\nsteps:\n  - name: r\n    request: { method: POST, path: /hooks, body: { url: \"${webhook_url}\" } }\n",
        );
        assert!(hands_url.scenario.uses_webhooks());
        assert!(check_vars(&hands_url, &BTreeSet::new()).is_empty());
        assert!(!file(GOOD).scenario.uses_webhooks());
        let undefined = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook: { json: { $.id: \"${nope}\" } }\n",
        );
        let errs = check_vars(&undefined, &BTreeSet::new());
        assert!(errs[0].message.contains("`nope`"), "{errs:?}");
        let sig = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook:\n      type: X\n      signature: valid\n",
        );
        let errs = check_webhook_signatures(&sig, "basic");
        assert_eq!(errs[0].line, Some(7));
        assert!(check_webhook_signatures(&file(GOOD), "basic").is_empty());
    }

    #[test]
    fn discovery_lists_files_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        // A name that is a prefix of another, a directory beside a file of its name,
        // and bytes below and above `/`.
        for file in [
            "a.yaml",
            "a/b.yaml",
            "a/b/c.yaml",
            "a-b.yaml",
            "a0/x.yaml",
            "ab/c.yaml",
            "a/a.yml",
            "b.yaml",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, GOOD).unwrap();
        }
        let (found, errors) = discover(dir.path());
        assert!(errors.is_empty(), "{errors:?}");
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found.len(), 8);
        assert_eq!(found, sorted);
    }

    #[test]
    fn a_suite_loaded_by_several_threads_comes_back_in_path_order() {
        // Enough files for every core to take some, of unequal sizes, a few broken: the
        // scenarios and the errors come back in the files' order, as one thread would
        // give them.
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..(FILES_PER_THREAD * 5 + 7) {
            let path = dir.path().join(format!("d{}/s{i:03}.yaml", i % 3));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let text = match i % 11 {
                4 => "name: [broken\n".to_string(),
                _ => GOOD.replace(
                    "name: ok",
                    &format!("name: s{i}\ndescription: \"{}\"", "x".repeat(i * 37)),
                ),
            };
            std::fs::write(&path, text).unwrap();
            paths.push(path);
        }
        paths.sort();
        let (loaded, errors) = load_suite(&[dir.path().to_path_buf()], dir.path());
        let mut one_by_one = Vec::new();
        let mut broken = Vec::new();
        for path in &paths {
            match load_file(path, dir.path()) {
                Ok(files) => one_by_one.extend(files.into_iter().map(|f| f.id)),
                Err(e) => broken.extend(e.into_iter().map(|d| d.to_string())),
            }
        }
        assert_eq!(
            loaded.iter().map(|f| f.id.clone()).collect::<Vec<_>>(),
            one_by_one
        );
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            broken
        );
        assert!(!broken.is_empty() && one_by_one.len() > FILES_PER_THREAD * 4);
    }

    #[cfg(unix)]
    #[test]
    fn discovery_survives_links_devices_and_unreadable_directories() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/one.yaml"), GOOD).unwrap();
        symlink(root, root.join("a/b/loop")).unwrap();
        symlink(root.join("a"), root.join("again")).unwrap();
        symlink("/dev/zero", root.join("zero.yaml")).unwrap();
        let (found, errors) = discover(root);
        assert!(errors.is_empty(), "{errors:?}");
        // One file, however many link paths lead to it; the device is listed but
        // refused when read, never read to the end.
        let yaml: Vec<_> = found.iter().filter(|p| !p.ends_with("zero.yaml")).collect();
        assert_eq!(yaml.len(), 1, "{found:?}");
        let (loaded, errors) = load_suite(&[root.to_path_buf()], root);
        assert_eq!(loaded.len(), 1);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("not a regular file"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_file_past_the_size_bound_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        let mut text = String::from(GOOD);
        text.push_str(&format!(
            "description: \"{}\"\n",
            "x".repeat(5 * 1024 * 1024)
        ));
        std::fs::write(&path, text).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(errs[0].message.contains("bytes are refused"), "{errs:?}");
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let text = format!("name: x\napi: b\nsteps: {}\n", "[".repeat(40_000));
        let d = parse_err(&text);
        assert!(d.message.contains("nest"), "{}", d.message);
    }

    #[test]
    fn ids_mirror_paths() {
        assert_eq!(
            scenario_id(Path::new("braintree/customer_update/add_card.yaml")),
            "braintree::customer_update::add_card"
        );
    }

    #[test]
    fn a_scenario_not_kept_is_loaded_again_as_checked_and_a_changed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        let text = format!(
            "{GOOD}cases:\n  - name: one\n    vars: {{ first: Ada }}\n  - name: two\n    vars: {{ first: Bob }}\n"
        );
        std::fs::write(&path, &text).unwrap();
        let root: Arc<Path> = Arc::from(dir.path());
        let files = load_file(&path, dir.path()).unwrap();
        let second = files[1].clone();
        let kept = ScenarioRef::new(files[0].clone(), Arc::clone(&root), true);
        let again = ScenarioRef::new(second.clone(), Arc::clone(&root), false);
        assert!(kept.is_loaded() && !again.is_loaded());
        assert_eq!(
            (again.id.as_str(), again.api.as_str()),
            ("x::two", "braintree")
        );
        assert_eq!(again.steps_at, second.key_span("steps"));
        // The case's own file, not the first scenario of its file.
        let loaded = again.load().unwrap();
        assert_eq!(loaded.id, "x::two");
        assert_eq!(loaded.scenario.name, second.scenario.name);
        assert_eq!(loaded.scenario.vars.len(), second.scenario.vars.len());

        std::fs::write(&path, text.replace("Bob", "Eve")).unwrap();
        let refused = again.load().unwrap_err();
        assert!(
            refused.message.contains("changed after the run checked it"),
            "{refused}"
        );
        // What was kept loaded runs as checked.
        assert_eq!(kept.load().unwrap().id, "x::one");
    }
}
