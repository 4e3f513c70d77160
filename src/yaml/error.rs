//! Why a YAML file could not be read or deserialized, and where.

use std::fmt;

use super::span::Span;
use crate::suggest::nearest;

/// What kind of problem a YAML [`Error`] is, with what a fix needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML (the parser's own reason is the message).
    Syntax,
    /// The bytes are not UTF-8.
    NotUtf8,
    /// The file is larger than the reader accepts.
    TooLarge,
    /// Collections nest deeper than the reader accepts.
    TooDeep,
    /// Aliases expand to more nodes than the reader accepts.
    TooManyNodes,
    /// A map has the same key twice; `first` is where the first one is written.
    DuplicateKey {
        /// Where the key was first written.
        first: Span,
    },
    /// More than one YAML document in a file that holds one.
    ExtraDocument,
    /// A `!tag` the reader does not understand.
    Tag,
    /// A key the type does not have.
    UnknownField {
        /// The key written.
        field: String,
        /// The keys the type has.
        expected: &'static [&'static str],
    },
    /// A variant name the type does not have.
    UnknownVariant {
        /// The name written.
        variant: String,
        /// The names the type has.
        expected: &'static [&'static str],
    },
    /// A key the type needs is not written.
    MissingField {
        /// The key that is missing.
        field: &'static str,
    },
    /// Any other complaint of the type being read (a bad JSONPath, regex, value…).
    Invalid,
}

/// A problem in a YAML file, located when the place is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of problem.
    pub kind: ErrorKind,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where: the key or value at fault.
    pub span: Option<Span>,
    /// How to fix it, when there is something better to say than the message.
    pub help: Option<String>,
}

impl Error {
    /// An error of `kind` at `span`.
    pub fn at(kind: ErrorKind, span: Span, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// Adds a fix suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.help = Some(help.into());
        self
    }

    /// Locates the error at `span` unless it is located already: the innermost node
    /// that saw an error is the one it is about.
    pub(crate) fn or_at(mut self, span: Span) -> Error {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    fn unlocated(kind: ErrorKind, message: String) -> Error {
        Error {
            kind,
            message,
            span: None,
            help: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(span) = self.span {
            write!(f, " at {span}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// "did you mean" for a name among `expected`, else the list of what is valid.
fn suggestion(word: &str, expected: &[&str]) -> String {
    match nearest(word, expected) {
        Some(best) => format!("did you mean `{best}`?"),
        None if expected.is_empty() => format!("remove `{word}`"),
        None => format!("valid here: {}", expected.join(", ")),
    }
}

fn ticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::unlocated(ErrorKind::Invalid, msg.to_string())
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let message = if expected.is_empty() {
            format!("unknown field `{field}`, there are no fields")
        } else {
            format!(
                "unknown field `{field}`, expected {}",
                if expected.len() == 1 {
                    format!("`{}`", expected[0])
                } else {
                    format!("one of {}", ticked(expected))
                }
            )
        };
        Error::unlocated(
            ErrorKind::UnknownField {
                field: field.to_string(),
                expected,
            },
            message,
        )
        .with_help(suggestion(field, expected))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::unlocated(
            ErrorKind::UnknownVariant {
                variant: variant.to_string(),
                expected,
            },
            format!(
                "unknown variant `{variant}`, expected one of {}",
                ticked(expected)
            ),
        )
        .with_help(suggestion(variant, expected))
    }

    fn missing_field(field: &'static str) -> Self {
        Error::unlocated(
            ErrorKind::MissingField { field },
            format!("missing field `{field}`"),
        )
        .with_help(format!("add `{field}:`"))
    }
}
