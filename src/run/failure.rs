//! Why a step or a scenario failed: data with the place in the scenario file it is
//! about, made by pure code and turned into text only by `report`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeMap as _;

use crate::mask::{Maskable, Masker};
use crate::spec::include::{Location, Origin};
use crate::yaml::Span;

/// One thing that went wrong, at the key or value of the scenario it concerns (the
/// failed expectation, the capture, or the step when the request itself failed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Where in the scenario file.
    pub at: Span,
    /// What went wrong.
    #[serde(flatten)]
    pub kind: FailureKind,
    /// The text of the line `at` points into, to show under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The fixture `at` is in, when it is not the scenario's own file.
    #[serde(flatten)]
    pub origin: FixtureOrigin,
}

/// The fixture a step (or a failure) is written in, when a `- use:` brought it into
/// the scenario; none for the scenario's own steps. Serialized as `file` and
/// `used_at` (`path:line:col` of each `use:`, innermost first), or nothing.
#[derive(Debug, Clone, Default)]
pub struct FixtureOrigin(pub Option<Arc<Origin>>);

impl FixtureOrigin {
    /// The file the place is in: the fixture's, else `scenario`.
    pub fn file<'a>(&'a self, scenario: &'a Path) -> &'a Path {
        self.0.as_ref().map_or(scenario, |o| o.file.path.as_path())
    }

    /// Where the fixture was used, innermost first (empty for the scenario's own).
    pub fn used_at(&self) -> &[Location] {
        self.0.as_ref().map_or(&[], |o| o.used_at.as_slice())
    }
}

impl PartialEq for FixtureOrigin {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => a.file.path == b.file.path && a.used_at == b.used_at,
            _ => false,
        }
    }
}

impl Serialize for FixtureOrigin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(origin) = &self.0 else {
            return serializer.serialize_map(Some(0))?.end();
        };
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("file", &origin.file.path)?;
        let used: Vec<String> = origin.used_at.iter().map(ToString::to_string).collect();
        map.serialize_entry("used_at", &used)?;
        map.end()
    }
}

impl Failure {
    /// `kind`, located at `at`.
    pub fn new(at: Span, kind: FailureKind) -> Failure {
        Failure {
            at,
            kind,
            source_line: None,
            origin: FixtureOrigin::default(),
        }
    }

    /// This failure with the line it points into: of the fixture of `origin`, else
    /// of the scenario's `source`.
    pub fn located(self, origin: Option<&Arc<Origin>>, source: &str) -> Failure {
        match origin {
            None => self.in_source(source),
            Some(origin) => Failure {
                source_line: origin.line(self.at.line).map(str::to_string),
                origin: FixtureOrigin(Some(Arc::clone(origin))),
                ..self
            },
        }
    }

    /// Where the failure points, as every report shows it: `--> file:line:col` (the
    /// fixture's file for an included step, else `scenario`), the line with a caret
    /// under the column, then `= used at file:line:col` for each `use:` on the way.
    pub fn pointer(&self, scenario: &Path) -> String {
        let file = self.origin.file(scenario);
        let mut text = crate::spec::Diagnostic::at_line(
            file,
            self.at.line,
            self.at.column,
            self.source_line.clone(),
            "",
        )
        .pointer();
        for used in self.origin.used_at() {
            text.push_str(&format!("\n  = used at {used}"));
        }
        text
    }

    /// This failure with the line of `source` it points into.
    pub fn in_source(mut self, source: &str) -> Failure {
        self.source_line = source
            .lines()
            .nth(self.at.line.saturating_sub(1))
            .map(str::to_string);
        self
    }
}

/// What an expectation looked at.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "in", content = "name", rename_all = "snake_case")]
pub enum Subject {
    /// A JSONPath into the decoded body.
    Json(String),
    /// A response header.
    Header(String),
}

/// The kinds of failure, each with what a reader needs to act on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FailureKind {
    /// The status code was not an accepted one.
    Status {
        /// The accepted codes.
        expected: Vec<u16>,
        /// The code received.
        got: u16,
    },
    /// A matcher did not hold.
    Expectation {
        /// What the matcher looked at.
        subject: Subject,
        /// What the matcher wanted (`expected length 2`).
        expected: String,
        /// What it found instead (`got length 1 ([...])`).
        actual: String,
    },
    /// A value of the scenario could not be made (an undefined variable, an unset
    /// environment variable).
    Template {
        /// Which value (`request path`, `$.customer.id`, `scenario variable x`).
        what: String,
        /// Why.
        message: String,
    },
    /// A capture found nothing.
    CaptureMissing {
        /// The variable.
        name: String,
        /// Where it was read from.
        from: String,
    },
    /// A capture's regex did not match what was found.
    CaptureNoMatch {
        /// The variable.
        name: String,
        /// The regex.
        pattern: String,
        /// What it was applied to.
        got: String,
    },
    /// The request could not be made or its answer not read (refused connection,
    /// reset, bad URL).
    Transport {
        /// What happened, with the URL.
        message: String,
    },
    /// The target cannot be reached at all (connection refused, no such host): a
    /// problem of the target, not of the scenario.
    Unreachable {
        /// What happened, with the URL.
        message: String,
    },
    /// No complete answer came within the timeout.
    Timeout {
        /// What happened, with the URL.
        message: String,
    },
    /// An answer came but cannot be used (too large, or not in its content type).
    Answer {
        /// What is wrong with it.
        message: String,
    },
    /// The awaited webhook did not arrive in time.
    WebhookMissing {
        /// What was awaited, and how many arrived.
        summary: String,
        /// The deliveries that did arrive, one line each.
        arrived: Vec<String>,
    },
    /// The webhook's signature was not as expected.
    WebhookSignature {
        /// Why.
        message: String,
    },
    /// The normalized answers differ from the committed snapshot.
    SnapshotDiffers {
        /// The snapshot file.
        path: PathBuf,
        /// Where the new version was written for review.
        pending: PathBuf,
        /// A unified diff, committed → new.
        diff: String,
    },
    /// There is no snapshot, and CI does not write one.
    SnapshotMissing {
        /// The snapshot file that should exist.
        path: PathBuf,
        /// What it would contain.
        content: String,
    },
    /// The run was stopped (Ctrl-C, `--fail-fast`) before the scenario's end: it is
    /// not finished, which is neither a pass nor a failure.
    Interrupted {
        /// Which steps were not run.
        message: String,
    },
    /// The scenario passed, but its `xfail:` says it fails (`XPASS`): strict, as
    /// pytest's `strict=True`, so a mark that no longer holds is removed.
    UnexpectedPass {
        /// The reason its `xfail:` gives.
        reason: String,
    },
    /// Anything else that stopped the scenario (a snapshot that cannot be written, a
    /// bug in gatecheck).
    Other {
        /// What happened.
        message: String,
    },
}

impl fmt::Display for FailureKind {
    /// One line (webhook lists and diffs excepted), as the console and reports show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureKind::Status { expected, got } => {
                let want: Vec<String> = expected.iter().map(u16::to_string).collect();
                write!(f, "status: expected {}, got {got}", want.join(" or "))
            }
            FailureKind::Expectation {
                subject,
                expected,
                actual,
            } => match subject {
                Subject::Json(path) => write!(f, "{path}: {expected}: {actual}"),
                Subject::Header(name) => write!(f, "header {name}: {expected}: {actual}"),
            },
            FailureKind::Template { what, message } => write!(f, "{what}: {message}"),
            FailureKind::CaptureMissing { name, from } => {
                write!(f, "capture `{name}`: {from} matched nothing")
            }
            FailureKind::CaptureNoMatch { name, pattern, got } => {
                write!(f, "capture `{name}`: /{pattern}/ does not match {got}")
            }
            FailureKind::Transport { message }
            | FailureKind::Unreachable { message }
            | FailureKind::Timeout { message }
            | FailureKind::Answer { message }
            | FailureKind::WebhookSignature { message }
            | FailureKind::Interrupted { message }
            | FailureKind::Other { message } => f.write_str(message),
            FailureKind::WebhookMissing { summary, arrived } => {
                f.write_str(summary)?;
                for line in arrived {
                    write!(f, "\n{line}")?;
                }
                Ok(())
            }
            FailureKind::SnapshotDiffers { path, pending, .. } => write!(
                f,
                "snapshot {} differs; the new version is in {}",
                path.display(),
                pending.display()
            ),
            FailureKind::SnapshotMissing { path, .. } => write!(
                f,
                "snapshot {} is missing, and CI does not write snapshots",
                path.display()
            ),
            FailureKind::UnexpectedPass { reason } => write!(
                f,
                "XPASS: expected to fail because {reason}, but passed; remove the `xfail:` if that no longer holds"
            ),
        }
    }
}

impl Maskable for FailureKind {
    fn mask_with(&mut self, masker: &Masker) {
        match self {
            FailureKind::Status { .. } => {}
            FailureKind::Expectation {
                subject,
                expected,
                actual,
            } => {
                let (Subject::Json(name) | Subject::Header(name)) = subject;
                name.mask_with(masker);
                expected.mask_with(masker);
                actual.mask_with(masker);
            }
            FailureKind::Template { what, message } => {
                what.mask_with(masker);
                message.mask_with(masker);
            }
            FailureKind::CaptureMissing { name, from } => {
                name.mask_with(masker);
                from.mask_with(masker);
            }
            FailureKind::CaptureNoMatch { name, pattern, got } => {
                name.mask_with(masker);
                pattern.mask_with(masker);
                got.mask_with(masker);
            }
            FailureKind::Transport { message }
            | FailureKind::Unreachable { message }
            | FailureKind::Timeout { message }
            | FailureKind::Answer { message }
            | FailureKind::WebhookSignature { message }
            | FailureKind::Interrupted { message }
            | FailureKind::Other { message } => message.mask_with(masker),
            FailureKind::UnexpectedPass { reason } => reason.mask_with(masker),
            FailureKind::WebhookMissing { summary, arrived } => {
                summary.mask_with(masker);
                arrived.mask_with(masker);
            }
            FailureKind::SnapshotDiffers { diff, .. } => diff.mask_with(masker),
            FailureKind::SnapshotMissing { content, .. } => content.mask_with(masker),
        }
    }
}

impl Maskable for Failure {
    fn mask_with(&mut self, masker: &Masker) {
        self.kind.mask_with(masker);
        // The scenario's own line may hold a card number or a secret too.
        self.source_line.mask_with(masker);
    }
}
