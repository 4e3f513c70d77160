//! Splicing fixtures into the step lists that `- use:` them: nested uses, cycles,
//! the `vars` a use gives against those the fixture declares, snapshot keys and step
//! names, and the bounds on depth and size.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::Diagnostic;
use super::fixture_cache::{
    FixtureFile, Fixtures, PendingUse, Refusal, canonical, parse_fixture, read_fixture, tidy,
};
use super::include::{Inclusion, Location, Origin, SourceFile};
use super::model::{SnapshotSetting, Step, step_key};
use crate::suggest::nearest;
use crate::yaml::{Node, Span, Spanned};

/// How deep `use:` may nest (a fixture using a fixture using …).
pub const MAX_USE_DEPTH: usize = 16;
/// How many steps a scenario may have once its fixtures are spliced in: a few uses
/// of fixtures that use each other several times would otherwise multiply.
pub const MAX_STEPS: usize = 10_000;

/// The file a list of steps is written in, as the expansion walks it.
struct Here<'a> {
    path: &'a Path,
    text: &'a str,
    /// The inclusion the list runs in (none: the scenario's own steps).
    frame: Option<&'a Arc<Inclusion>>,
    /// Prepended to the snapshot keys of the list's steps.
    prefix: String,
    /// Prepended to the names of the list's steps.
    label: String,
}

/// A fixture being spliced.
struct Link {
    /// Its path with links resolved, to tell files apart.
    key: PathBuf,
    /// The fixture.
    source: Arc<SourceFile>,
    /// The `use:` that brought it in.
    used_at: Location,
}

/// One splice of a file's `- use:` items, with its errors.
struct Expander<'a> {
    fixtures: &'a Fixtures,
    /// The fixtures being spliced, outermost first.
    chain: Vec<Link>,
    /// Steps so far.
    steps: usize,
    /// Whether `steps` reached [`MAX_STEPS`].
    overflowed: bool,
    errors: Vec<Diagnostic>,
}

impl Expander<'_> {
    /// Puts the list's steps in `out` in written order, each `- use:` replaced by
    /// its fixture's steps.
    fn splice(
        &mut self,
        here: &Here<'_>,
        plain: Vec<Spanned<Step>>,
        uses: &[PendingUse],
        out: &mut Vec<Spanned<Step>>,
    ) {
        // Keys by position in this list (a `use:` counts as one item), so a fixture
        // that grows a step does not rename the snapshots of the steps after it.
        let keyed = here.frame.is_some() || !uses.is_empty();
        let mut plain = plain.into_iter();
        let mut uses = uses.iter().peekable();
        let mut position = 0;
        loop {
            if let Some(pending) = uses.next_if(|u| u.position == position) {
                self.include(here, pending, position, out);
            } else if let Some(mut step) = plain.next() {
                if self.full(here, step.span) {
                    return;
                }
                self.steps += 1;
                if keyed {
                    let snapshot = std::mem::take(&mut step.value.snapshot);
                    step.value.snapshot = rekey(snapshot, &here.prefix, position, &step.name);
                }
                if let Some(frame) = here.frame {
                    step.value.included = Some(Arc::clone(frame));
                    step.value.name = format!("{}{}", here.label, step.name);
                }
                out.push(step);
            } else if let Some(pending) = uses.next() {
                // Positions past the plain steps' (never for a parsed list).
                self.include(here, pending, position, out);
            } else {
                return;
            }
            position += 1;
        }
    }

    /// Whether the scenario has [`MAX_STEPS`] steps already: then the rest are cut,
    /// and that is said once, at `span` of `here` (where the bound was crossed).
    fn full(&mut self, here: &Here<'_>, span: Span) -> bool {
        if self.steps < MAX_STEPS {
            return false;
        }
        if !std::mem::replace(&mut self.overflowed, true) {
            self.errors.push(
                Diagnostic::at(
                    here.path,
                    here.text,
                    span.line,
                    span.column,
                    format!("the scenario has more than {MAX_STEPS} steps once its fixtures are spliced in"),
                )
                .with_help("fixtures that use each other many times multiply their steps; use fewer"),
            );
        }
        true
    }

    /// Splices one `- use:`.
    fn include(
        &mut self,
        here: &Here<'_>,
        pending: &PendingUse,
        position: usize,
        out: &mut Vec<Spanned<Step>>,
    ) {
        let at = |span: Span, message: String| {
            Diagnostic::at(here.path, here.text, span.line, span.column, message)
        };
        let written = &pending.item.path;
        let used_at = Location {
            file: here.path.to_path_buf(),
            span: pending.key_span(),
        };
        if self.full(here, used_at.span) {
            return;
        }
        if self.chain.len() >= MAX_USE_DEPTH {
            self.errors.push(
                at(
                    written.span,
                    format!("fixtures use each other more than {MAX_USE_DEPTH} deep"),
                )
                .with_help("flatten the chain of `use:`s"),
            );
            return;
        }
        let base = here.path.parent().unwrap_or(Path::new(""));
        let path = tidy(&base.join(written.value.as_str()));
        let key = canonical(&path);
        if let Some(first) = self.chain.iter().position(|link| link.key == key) {
            return self.cycle(first, used_at, &path);
        }
        let file = match self.fixtures.get(&path, || read_fixture(&path)) {
            Ok(file) => file,
            Err(refusal) => return self.refused(here, pending, &path, refusal),
        };
        self.check_args(here, pending, &file);
        let label = pending.item.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        });
        let outer = here
            .frame
            .map(|f| f.origin.used_at.as_slice())
            .unwrap_or_default();
        let frame = Arc::new(Inclusion {
            origin: Arc::new(Origin {
                file: Arc::clone(&file.source),
                used_at: std::iter::once(used_at.clone())
                    .chain(outer.iter().cloned())
                    .collect(),
            }),
            parent: here.frame.cloned(),
            args: pending.item.vars.clone(),
            params: file
                .fixture
                .vars
                .iter()
                .map(|(k, v)| (k.value.clone(), v.clone()))
                .collect(),
            node: pending.node.clone(),
        });
        let inner = Here {
            path: &file.source.path,
            text: &file.source.text,
            frame: Some(&frame),
            prefix: format!("{}{}/", here.prefix, step_key(position, &label)),
            label: format!("{}{label} › ", here.label),
        };
        self.chain.push(Link {
            key,
            source: Arc::clone(&file.source),
            used_at,
        });
        self.splice(&inner, file.fixture.steps.clone(), &file.uses, out);
        self.chain.pop();
    }

    /// The error of a `use:` (at `used_at`, of `path`) that closes a cycle back to
    /// `self.chain[first]`. Each hop is a `use:` in one fixture of the cycle; the
    /// message starts at the hop in the first file by name, so whichever file the
    /// cycle is met from (a scenario, or each fixture checked on its own) says the
    /// same, and a suite says it once.
    fn cycle(&mut self, first: usize, used_at: Location, path: &Path) {
        let links = &self.chain[first..];
        let mut hops: Vec<(&Arc<SourceFile>, &Location, &Path)> = links
            .iter()
            .zip(links.iter().skip(1))
            .map(|(from, to)| (&from.source, &to.used_at, to.source.path.as_path()))
            .collect();
        let Some(last) = links.last() else {
            return;
        };
        hops.push((&last.source, &used_at, path));
        let start = (0..hops.len())
            .min_by_key(|&i| &hops[i].1.file)
            .unwrap_or_default();
        hops.rotate_left(start);
        let (source, at, _) = hops[0];
        let text: Vec<String> = hops
            .iter()
            .map(|(_, at, to)| format!("{at} uses {}", to.display()))
            .collect();
        self.errors.push(
            Diagnostic::at(
                &source.path,
                &source.text,
                at.span.line,
                at.span.column,
                format!(
                    "fixtures use each other in a cycle: {}",
                    text.join(", then ")
                ),
            )
            .with_help("a fixture cannot include itself, directly or through others"),
        );
    }

    /// The error of a `use:` whose fixture cannot be had.
    fn refused(&mut self, here: &Here<'_>, pending: &PendingUse, path: &Path, refusal: Refusal) {
        let span = pending.item.path.span;
        let at =
            |message: String| Diagnostic::at(here.path, here.text, span.line, span.column, message);
        match refusal {
            Refusal::Missing => {
                let dir = path.parent().unwrap_or(Path::new("."));
                let names: Vec<String> = std::fs::read_dir(dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                    .collect();
                let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                let wanted = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let help = match nearest(&wanted, &candidates) {
                    Some(best) => format!("did you mean `{best}`? (the path is relative to this file)"),
                    None => "the path is relative to the file that has the `use:`".to_string(),
                };
                self.errors.push(
                    at(format!("no fixture `{}`: {} does not exist", pending.item.path.value, path.display()))
                        .with_help(help),
                );
            }
            Refusal::NotFixture => self.errors.push(
                at(format!("`{}` is not a fixture: {} has no top-level `fixture:`", pending.item.path.value, path.display()))
                    .with_help("a fixture file has `fixture: <what its steps do>`, optional `vars:` and `steps:`; a scenario cannot be used"),
            ),
            Refusal::Broken(diagnostics) => {
                self.errors.push(
                    at(format!("fixture {} has errors (below)", path.display()))
                        .with_help("fix the fixture; every file that uses it is refused until then"),
                );
                self.errors.extend(diagnostics);
            }
        }
    }

    /// Errors of the `use:`'s `vars` against the variables the fixture declares.
    fn check_args(&mut self, here: &Here<'_>, pending: &PendingUse, file: &FixtureFile) {
        let at = |span: Span, message: String| {
            Diagnostic::at(here.path, here.text, span.line, span.column, message)
        };
        let declared: Vec<&str> = file.fixture.vars.keys().map(|k| k.value.as_str()).collect();
        for name in pending.item.vars.keys() {
            if file.fixture.vars.contains_key(name) {
                continue;
            }
            let help = match nearest(name, &declared) {
                Some(best) => format!("did you mean `{best}`?"),
                None if declared.is_empty() => {
                    format!("{} declares no `vars`", file.source.path.display())
                }
                None => format!(
                    "{} declares: {}",
                    file.source.path.display(),
                    declared.join(", ")
                ),
            };
            self.errors.push(
                at(
                    name.span,
                    format!(
                        "`{name}` is not a variable of fixture {}",
                        file.source.path.display()
                    ),
                )
                .with_help(help),
            );
        }
        let missing: Vec<&str> = file
            .fixture
            .vars
            .iter()
            .filter(|(name, default)| default.is_none() && !pending.item.vars.contains_key(*name))
            .map(|(name, _)| name.value.as_str())
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            let span = pending
                .node
                .entry("vars")
                .map_or(pending.key_span(), |(k, _)| k.span);
            self.errors.push(
                at(
                    span,
                    format!(
                        "fixture {} needs {} (it has no default)",
                        file.source.path.display(),
                        list.join(", ")
                    ),
                )
                .with_help(format!(
                    "give it under the `use:`: `vars: {{ {}: ... }}`",
                    missing[0]
                )),
            );
        }
    }
}

/// A step's snapshot setting with its key made explicit: by its position in its own
/// list, under the keys of the uses it is in.
fn rekey(setting: SnapshotSetting, prefix: &str, position: usize, name: &str) -> SnapshotSetting {
    match setting {
        SnapshotSetting::Off => SnapshotSetting::Off,
        SnapshotSetting::On => {
            SnapshotSetting::Named(format!("{prefix}{}", step_key(position, name)))
        }
        SnapshotSetting::Named(key) => SnapshotSetting::Named(format!("{prefix}{key}")),
    }
}

/// Splices the fixtures of a scenario's `- use:` items into its steps (`plain`, the
/// others, in order). Returns the steps that run and every error found.
pub fn expand(
    path: &Path,
    text: &str,
    plain: Vec<Spanned<Step>>,
    uses: &[PendingUse],
    fixtures: &Fixtures,
) -> (Vec<Spanned<Step>>, Vec<Diagnostic>) {
    if uses.is_empty() {
        return (plain, Vec::new());
    }
    let mut expander = Expander {
        fixtures,
        chain: Vec::new(),
        steps: 0,
        overflowed: false,
        errors: Vec::new(),
    };
    let here = Here {
        path,
        text,
        frame: None,
        prefix: String::new(),
        label: String::new(),
    };
    let mut out = Vec::with_capacity(plain.len() + uses.len());
    expander.splice(&here, plain, uses, &mut out);
    (out, expander.errors)
}

/// Checks a fixture file met on its own (by discovery, or named on the command
/// line): it parses, and the fixtures it uses exist, are fixtures and form no cycle.
/// Its variables are checked where it is used, against the target's.
///
/// `parsed` is the file's tree and text when the caller read it; without them the file
/// is read here unless a `use:` read it already.
pub fn check_fixture(
    path: &Path,
    parsed: Option<(Node, Arc<str>)>,
    fixtures: &Fixtures,
) -> Vec<Diagnostic> {
    let read = || match parsed {
        Some((tree, text)) => parse_fixture(path, tree, text),
        None => read_fixture(path),
    };
    let file = match fixtures.get(path, read) {
        Ok(file) => file,
        Err(Refusal::Broken(diagnostics)) => return diagnostics,
        // Asked only of a file known to be a fixture: it changed while loading.
        Err(Refusal::Missing | Refusal::NotFixture) => {
            return vec![Diagnostic::file(
                path,
                "cannot read fixture: it changed while loading",
            )];
        }
    };
    let mut expander = Expander {
        fixtures,
        chain: vec![Link {
            key: canonical(path),
            source: Arc::clone(&file.source),
            // Not brought in by any `use:`: no place.
            used_at: Location {
                file: path.to_path_buf(),
                span: Span::default(),
            },
        }],
        steps: 0,
        overflowed: false,
        errors: Vec::new(),
    };
    let here = Here {
        path,
        text: &file.source.text,
        frame: None,
        prefix: String::new(),
        label: String::new(),
    };
    let mut out = Vec::new();
    expander.splice(&here, file.fixture.steps.clone(), &file.uses, &mut out);
    expander.errors
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::spec::fixture_cache::tidy;
    use crate::spec::load::{ScenarioFile, check_vars, load_file_with, load_suite};

    const FIXTURE: &str = "fixture: create a customer
vars:
  first_name: Ada
  company:
steps:
  - name: create
    request:
      method: POST
      path: /customers
      body: { customer: { first_name: \"${first_name}\", company: \"${company}\" } }
    capture:
      customer_id: $.customer.id
    snapshot: true
";

    /// A suite root with `files` written under it.
    fn suite(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn load(
        dir: &Path,
        file: &str,
        fixtures: &Fixtures,
    ) -> Result<Vec<ScenarioFile>, Vec<Diagnostic>> {
        load_file_with(
            &dir.join(file),
            dir,
            fixtures,
            crate::spec::load::Wanted::All,
        )
    }

    const TWICE: &str = "name: two customers
api: b
vars:
  who: Grace
steps:
  - use: ../fixtures/customer.yaml
    vars: { company: Initech }
  - name: find the first
    request: { method: GET, path: \"/customers/${customer_id}\" }
    snapshot: true
  - use: ../fixtures/customer.yaml
    name: second
    vars: { company: \"${customer_id}\", first_name: \"${who}\" }
";

    #[test]
    fn uses_are_spliced_in_place_with_their_origin_keys_and_names() {
        let dir = suite(&[
            ("fixtures/customer.yaml", FIXTURE),
            ("bt/twice.yaml", TWICE),
        ]);
        let fixtures = Fixtures::default();
        let files = load(dir.path(), "bt/twice.yaml", &fixtures).unwrap();
        let steps = &files[0].scenario.steps;
        let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["customer › create", "find the first", "second › create"]
        );
        // Keys by position in each list: stable when a fixture grows, distinct per use.
        let keys: Vec<Option<String>> = steps
            .iter()
            .enumerate()
            .map(|(i, s)| s.snapshot_key(i))
            .collect();
        assert_eq!(
            keys,
            [
                Some("01_customer/01_create".to_string()),
                Some("02_find_the_first".to_string()),
                Some("03_second/01_create".to_string())
            ]
        );
        let (first, second) = (
            steps[0].included.as_ref().unwrap(),
            steps[2].included.as_ref().unwrap(),
        );
        assert!(steps[1].included.is_none());
        assert!(!Arc::ptr_eq(first, second), "each use is its own scope");
        // Parsed once: both uses share the fixture's text.
        assert!(Arc::ptr_eq(&first.origin.file, &second.origin.file));
        assert_eq!(fixtures.len(), 1);
        assert_eq!(
            first.origin.file.path,
            dir.path().join("fixtures/customer.yaml")
        );
        assert_eq!(steps[0].span.line, 6, "located in the fixture");
        assert_eq!(
            first.origin.used_at_text(),
            format!("used at {}:6:5", dir.path().join("bt/twice.yaml").display())
        );
        assert_eq!(second.origin.used_at[0].span, Span::new(11, 5));
    }

    #[test]
    fn captures_are_seen_after_the_use_and_fixture_vars_stay_inside() {
        let dir = suite(&[
            ("fixtures/customer.yaml", FIXTURE),
            ("bt/twice.yaml", TWICE),
        ]);
        let files = load(dir.path(), "bt/twice.yaml", &Fixtures::default()).unwrap();
        assert!(check_vars(&files[0], &BTreeSet::new()).is_empty());
        // What a `use:` gives and what the fixture's steps read are named too.
        assert_eq!(
            crate::spec::load::vars_named(&files[0])
                .into_iter()
                .collect::<Vec<_>>(),
            ["company", "customer_id", "first_name", "who"]
        );
        // The fixture's variables are not the scenario's.
        let leak = TWICE.replace("/customers/${customer_id}", "/customers/${company}");
        std::fs::write(dir.path().join("bt/twice.yaml"), leak).unwrap();
        let files = load(dir.path(), "bt/twice.yaml", &Fixtures::default()).unwrap();
        let errs = check_vars(&files[0], &BTreeSet::new());
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("undefined variable `company`"),
            "{errs:?}"
        );
        assert_eq!(errs[0].file, dir.path().join("bt/twice.yaml"));
        // A fixture sees only its own variables: the scenario's `who` is not one.
        std::fs::write(dir.path().join("bt/twice.yaml"), TWICE).unwrap();
        let peek = FIXTURE.replace("\"${company}\"", "\"${who}\"");
        std::fs::write(dir.path().join("fixtures/customer.yaml"), peek).unwrap();
        let files = load(dir.path(), "bt/twice.yaml", &Fixtures::default()).unwrap();
        let errs = check_vars(&files[0], &BTreeSet::new());
        // The same message for both uses, so a suite's check says it once.
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0], errs[1]);
        assert_eq!(errs[0].file, dir.path().join("fixtures/customer.yaml"));
        assert_eq!(
            errs[0].message,
            "undefined variable `who` in step \"create\" of the fixture"
        );
        assert_eq!((errs[0].line, errs[0].column), (Some(10), Some(66)));
        assert!(
            errs[0]
                .help
                .as_deref()
                .unwrap_or_default()
                .contains("the fixture's `vars`"),
            "{errs:?}"
        );
        // A `use:` value is checked in the including file.
        let typo = TWICE.replace("first_name: \"${who}\"", "first_name: \"${woh}\"");
        std::fs::write(dir.path().join("fixtures/customer.yaml"), FIXTURE).unwrap();
        std::fs::write(dir.path().join("bt/twice.yaml"), typo).unwrap();
        let files = load(dir.path(), "bt/twice.yaml", &Fixtures::default()).unwrap();
        let errs = check_vars(&files[0], &BTreeSet::new());
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].line, errs[0].column), (Some(13), Some(53)));
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `${who}`?"));
    }

    #[test]
    fn nested_uses_and_cycles() {
        let outer = "fixture: a customer and a card
vars:
  company: Initech
steps:
  - use: customer.yaml
    vars: { company: \"${company}\" }
  - name: add a card
    request: { method: POST, path: \"/customers/${customer_id}/cards\" }
    capture:
      card: $.card.token
";
        let scenario = "name: s\napi: b\nsteps:\n  - use: ../fixtures/card.yaml\n  - name: use it\n    request: { method: GET, path: \"/cards/${card}/${customer_id}\" }\n";
        let dir = suite(&[
            ("fixtures/customer.yaml", FIXTURE),
            ("fixtures/card.yaml", outer),
            ("bt/s.yaml", scenario),
        ]);
        let files = load(dir.path(), "bt/s.yaml", &Fixtures::default()).unwrap();
        let steps = &files[0].scenario.steps;
        assert_eq!(steps[0].name, "card › customer › create");
        let inner = steps[0].included.as_ref().unwrap();
        assert_eq!(inner.origin.used_at.len(), 2);
        assert!(Arc::ptr_eq(
            inner.parent.as_ref().unwrap(),
            steps[1].included.as_ref().unwrap()
        ));
        assert_eq!(
            steps[0].snapshot_key(0).as_deref(),
            Some("01_card/01_customer/01_create")
        );
        assert!(check_vars(&files[0], &BTreeSet::new()).is_empty());

        std::fs::write(
            dir.path().join("fixtures/customer.yaml"),
            format!("{FIXTURE}  - use: card.yaml\n"),
        )
        .unwrap();
        let errs = load(dir.path(), "bt/s.yaml", &Fixtures::default()).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("in a cycle"), "{errs:?}");
        assert!(errs[0].message.contains("card.yaml:5:5 uses"), "{errs:?}");
        assert!(
            errs[0].message.contains("customer.yaml:14:5 uses"),
            "{errs:?}"
        );
        // Told from the first fixture by name, wherever the cycle is met from.
        assert_eq!(errs[0].file, dir.path().join("fixtures/card.yaml"));
    }

    #[test]
    fn fixtures_are_checked_not_run_and_errors_are_said_once() {
        let broken = FIXTURE.replace("  - name: create", "  - name: create\n    reqest: {}");
        let scenario = "name: s\napi: b\nsteps:\n  - use: ../fixtures/customer.yaml\n    vars: { company: x }\n";
        let dir = suite(&[
            ("fixtures/customer.yaml", FIXTURE),
            ("bt/a.yaml", scenario),
            ("bt/b.yaml", scenario),
        ]);
        let (loaded, errors) = load_suite(&[dir.path().to_path_buf()], dir.path());
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<&str> = loaded.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["bt::a", "bt::b"], "the fixture is no scenario");
        std::fs::write(dir.path().join("fixtures/customer.yaml"), broken).unwrap();
        let (loaded, errors) = load_suite(&[dir.path().to_path_buf()], dir.path());
        assert!(loaded.is_empty());
        let fixture_errors = errors
            .iter()
            .filter(|e| e.message.contains("unknown field `reqest`"))
            .count();
        assert_eq!(fixture_errors, 1, "{errors:?}");
        assert_eq!(
            errors
                .iter()
                .filter(|e| e.message.contains("has errors"))
                .count(),
            2,
            "{errors:?}"
        );
    }

    #[test]
    fn a_fixture_is_read_once_per_load() {
        let scenario = "name: s\napi: b\nsteps:\n  - use: ../fixtures/customer.yaml\n    vars: { company: x }\n";
        let dir = suite(&[
            ("fixtures/customer.yaml", FIXTURE),
            ("bt/a.yaml", scenario),
            ("bt/b.yaml", scenario),
        ]);
        let fixtures = Fixtures::default();
        let a = load(dir.path(), "bt/a.yaml", &fixtures).unwrap();
        // Gone from the disk, the fixture is still this load's: it is not read again,
        // neither for the next scenario nor when discovery meets the file itself.
        std::fs::remove_file(dir.path().join("fixtures/customer.yaml")).unwrap();
        let b = load(dir.path(), "bt/b.yaml", &fixtures).unwrap();
        assert!(
            load(dir.path(), "fixtures/customer.yaml", &fixtures)
                .unwrap()
                .is_empty()
        );
        let origin = |f: &[ScenarioFile]| {
            Arc::clone(
                &f[0].scenario.steps[0]
                    .included
                    .as_ref()
                    .unwrap()
                    .origin
                    .file,
            )
        };
        assert!(Arc::ptr_eq(&origin(&a), &origin(&b)));
        // A new load reads the disk again.
        let errs = load(dir.path(), "bt/b.yaml", &Fixtures::default()).unwrap_err();
        assert!(errs[0].message.contains("does not exist"), "{errs:?}");
    }

    const LEAF: &str =
        "fixture: leaf\nsteps:\n  - name: s\n    request: { method: GET, path: / }\n";

    /// A scenario using `l0.yaml`, each `l<n>.yaml` using `l<n+1>.yaml` `fan` times,
    /// down to `l<depth>.yaml`, a fixture of one step.
    fn fixtures_in_a_chain(depth: usize, fan: usize) -> tempfile::TempDir {
        let mut files = vec![(format!("fixtures/l{depth}.yaml"), LEAF.to_string())];
        for level in 0..depth {
            let uses = format!("  - use: l{}.yaml\n", level + 1).repeat(fan);
            files.push((
                format!("fixtures/l{level}.yaml"),
                format!("fixture: level\nsteps:\n{uses}"),
            ));
        }
        files.push((
            "bt/s.yaml".into(),
            "name: s\napi: b\nsteps:\n  - use: ../fixtures/l0.yaml\n".into(),
        ));
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        suite(&refs)
    }

    #[test]
    fn uses_that_multiply_are_bounded() {
        // Each level uses the next ten times: 10^5 steps if nothing stopped it.
        let dir = fixtures_in_a_chain(5, 10);
        let errs = load(dir.path(), "bt/s.yaml", &Fixtures::default()).unwrap_err();
        assert!(
            errs[0].message.contains("more than 10000 steps"),
            "{errs:?}"
        );
        assert_eq!(errs.len(), 1, "said once: {errs:?}");
    }

    #[test]
    fn uses_nest_at_most_16_deep() {
        let dir = fixtures_in_a_chain(17, 1);
        let errs = load(dir.path(), "bt/s.yaml", &Fixtures::default()).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("more than 16 deep"), "{errs:?}");
        assert_eq!(errs[0].file, dir.path().join("fixtures/l15.yaml"));
        // 16 fixtures deep (l0 to l15) is fine.
        std::fs::write(dir.path().join("fixtures/l15.yaml"), LEAF).unwrap();
        assert!(load(dir.path(), "bt/s.yaml", &Fixtures::default()).is_ok());
    }

    #[test]
    fn what_a_use_passes_from_the_environment_is_a_secret() {
        let scenario = "name: s\napi: b\nsteps:\n  - use: ../fixtures/customer.yaml\n    vars: { company: \"${env:COMPANY_SECRET}\" }\n";
        let dir = suite(&[("fixtures/customer.yaml", FIXTURE), ("bt/s.yaml", scenario)]);
        let files = load(dir.path(), "bt/s.yaml", &Fixtures::default()).unwrap();
        assert!(files[0].scenario.env_vars().contains("COMPANY_SECRET"));
        assert!(!files[0].scenario.uses_webhooks());
    }

    #[test]
    fn paths_are_tidied_without_the_disk() {
        assert_eq!(
            tidy(Path::new("specs/bt/x/../fixtures/./c.yaml")),
            Path::new("specs/bt/fixtures/c.yaml")
        );
        assert_eq!(tidy(Path::new("../up.yaml")), Path::new("../up.yaml"));
    }
}
