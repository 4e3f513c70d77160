//! Steps that a `- use:` brought into a scenario, as loading leaves them and the
//! runner and the variable check meet them.
//!
//! After loading, a scenario's `steps` are the flat list that runs. Each step that
//! came from a fixture carries its [`Inclusion`]: the fixture's file (so failures
//! point into it), where it was used, and the variables the use gives. The runner and
//! the variable check walk the same inclusions with [`transition`]: entering a use
//! opens a scope holding only the fixture's variables (plus the target's and the
//! built-ins); leaving it makes what its steps captured visible after the `use:`.
//! [`super::splice`] makes them; [`super::fixture_cache`] reads the fixtures.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;

use super::diagnostic::Diagnostic;
use super::template::ValueTemplate;
use crate::yaml::{Node, NodeKind, Span, Spanned};

/// A file steps are written in, kept for showing the lines messages point at.
#[derive(Debug)]
pub struct SourceFile {
    /// The file, as reached from the file that used it.
    pub path: PathBuf,
    /// Its text.
    pub text: Arc<str>,
    /// Its located tree (without its `- use:` items).
    pub tree: Node,
}

/// A place in a file, shown `path:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// Where in it.
    pub span: Span,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.span)
    }
}

/// Where an included step is written: the fixture's file, and the `use:`s that
/// brought it in, innermost first.
#[derive(Debug)]
pub struct Origin {
    /// The fixture file.
    pub file: Arc<SourceFile>,
    /// Each `use:` on the way, innermost first (the last is in the scenario).
    pub used_at: Vec<Location>,
}

impl Origin {
    /// The line `line` (1-based) of the fixture's text.
    pub fn line(&self, line: usize) -> Option<&str> {
        self.file.text.lines().nth(line.saturating_sub(1))
    }

    /// `used at a.yaml:12:5, used at b.yaml:3:5`.
    pub fn used_at_text(&self) -> String {
        self.used_at
            .iter()
            .map(|at| format!("used at {at}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One `use:` of a fixture, which the included steps run in.
#[derive(Debug)]
pub struct Inclusion {
    /// The fixture's file and where it was used.
    pub origin: Arc<Origin>,
    /// The inclusion the `use:` is itself written in, if it is in a fixture.
    pub parent: Option<Arc<Inclusion>>,
    /// The values the `use:` gives, made in the including file's scope.
    pub args: IndexMap<Spanned<String>, ValueTemplate>,
    /// The fixture's variables in order, with their defaults (none: required).
    pub params: Vec<(String, Option<ValueTemplate>)>,
    /// The `use:` item as written, to find where an argument writes a placeholder.
    pub node: Node,
}

impl Inclusion {
    /// The inclusions `innermost` is inside, itself last.
    pub fn chain(innermost: Option<&Arc<Inclusion>>) -> Vec<Arc<Inclusion>> {
        let mut out = Vec::new();
        let mut at = innermost;
        while let Some(frame) = at {
            out.push(Arc::clone(frame));
            at = frame.parent.as_ref();
        }
        out.reverse();
        out
    }

    /// The value node of argument `name`, in the `use:` item.
    pub fn arg_node(&self, name: &str) -> Option<&Node> {
        self.node
            .entry("vars")
            .and_then(|(_, vars)| vars.entry(name))
            .map(|(_, v)| v)
    }

    /// The value node of the default of variable `name`, in the fixture.
    pub fn default_node(&self, name: &str) -> Option<&Node> {
        self.origin
            .file
            .tree
            .entry("vars")
            .and_then(|(_, vars)| vars.entry(name))
            .map(|(_, v)| v)
    }

    /// Whether `name` is one of the fixture's variables (which stay inside the use).
    pub fn is_param(&self, name: &str) -> bool {
        self.params.iter().any(|(p, _)| p == name)
    }

    /// Every template of the use and of the fixture's defaults.
    pub fn templates(&self) -> impl Iterator<Item = &ValueTemplate> {
        self.args
            .values()
            .chain(self.params.iter().filter_map(|(_, d)| d.as_ref()))
    }
}

/// How to go from the inclusions `open` (outermost first) to those `next` runs in:
/// keep the first `keep` of `open` (leave the rest, innermost first), then enter
/// `enter` in order.
pub fn transition(open: &[Arc<Inclusion>], next: Option<&Arc<Inclusion>>) -> Transition {
    let wanted = Inclusion::chain(next);
    let keep = open
        .iter()
        .zip(&wanted)
        .take_while(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    Transition {
        keep,
        enter: wanted[keep..].to_vec(),
    }
}

/// What [`transition`] answers.
#[derive(Debug)]
pub struct Transition {
    /// How many of the open inclusions stay open.
    pub keep: usize,
    /// The inclusions to enter, outermost first.
    pub enter: Vec<Arc<Inclusion>>,
}

/// A file steps are written in, for locating messages: a scenario's or a fixture's.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its text.
    pub text: &'a str,
    /// Its located tree.
    pub tree: &'a Node,
    /// Whether it is a fixture's.
    pub fixture: bool,
}

impl<'a> Place<'a> {
    /// The scenario's file (`path`, `text`, `tree`) or, inside `frame`, its fixture's.
    pub fn of(
        path: &'a Path,
        text: &'a str,
        tree: &'a Node,
        frame: Option<&'a Arc<Inclusion>>,
    ) -> Place<'a> {
        match frame {
            None => Place {
                path,
                text,
                tree,
                fixture: false,
            },
            Some(frame) => {
                let file = &frame.origin.file;
                Place {
                    path: &file.path,
                    text: &file.text,
                    tree: &file.tree,
                    fixture: true,
                }
            }
        }
    }

    /// An error at `span` of this file.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, self.text, span.line, span.column, message)
    }

    /// The node of the step written at `span` in this file's `steps:` list.
    pub fn step_node(&self, span: Span) -> Option<&'a Node> {
        match &self.tree.entry("steps")?.1.kind {
            NodeKind::Seq(items) => items.iter().find(|n| n.span == span),
            _ => None,
        }
    }
}
