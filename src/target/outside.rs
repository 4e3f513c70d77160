//! Variables given from outside the suite's files: `--vars FILE` (a YAML map of
//! name → value) and `--var NAME=VALUE`, layered in the order given (a later one
//! wins) over the target's `vars:`.
//!
//! A value may read the environment with `${env:NAME}`; what it reads is a secret,
//! masked wherever the run shows anything, as the target's credentials are. Values
//! are resolved once, before any scenario is loaded or anything sent, so an unset
//! environment variable is an error naming where it was written.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde_json::Value;

use super::EnvOnly;
use crate::spec::Diagnostic;
use crate::spec::load::{parse_tree, read_bounded};
use crate::spec::template::{RUN_ID, Template, TemplateError, UUID, WEBHOOK_URL, valid_name};
use crate::yaml::{Limits, Node, NodeKind};

/// One `--var NAME=VALUE` as written: its value is resolved by [`OutsideVars::assign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The variable's name.
    pub name: String,
    /// The value as written (it may hold `${env:NAME}`).
    pub value: String,
}

/// Reads `NAME=VALUE` (what `--var` takes): the name must be a variable name that is
/// not built in, and the value a valid template.
///
/// ```
/// use gatecheck::target::outside::parse_assignment;
/// let a = parse_assignment("token=${env:API_TOKEN}").unwrap();
/// assert_eq!((a.name.as_str(), a.value.as_str()), ("token", "${env:API_TOKEN}"));
/// assert!(parse_assignment("currency").unwrap_err().contains("NAME=VALUE"));
/// ```
pub fn parse_assignment(text: &str) -> Result<Assignment, String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` has no `=`: write NAME=VALUE, e.g. --var currency=EUR"
        ));
    };
    check_name(name)?;
    Template::parse(value).map_err(|e| e.to_string())?;
    Ok(Assignment {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// Why `name` cannot be given from outside, if it cannot.
fn check_name(name: &str) -> Result<(), String> {
    if [RUN_ID, UUID, WEBHOOK_URL].contains(&name) {
        return Err(format!(
            "`{name}` is built in: gatecheck sets it for each run, it cannot be given"
        ));
    }
    if !valid_name(name) {
        return Err(format!(
            "`{name}` is not a variable name: a letter or `_`, then letters, digits, `_`, `-` or `.`"
        ));
    }
    Ok(())
}

/// The variables given from outside, resolved, with the secrets they read.
#[derive(Clone, Default)]
pub struct OutsideVars {
    values: BTreeMap<String, Value>,
    /// What `${env:…}` read: masked in every output.
    secrets: Vec<String>,
}

/// Only the names: a value may be a secret read from the environment.
impl fmt::Debug for OutsideVars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

/// Why a value could not be resolved: the message, and how to fix it.
struct Unresolved {
    message: String,
    help: String,
}

impl OutsideVars {
    /// Layers a `--vars` file over the values so far: each of its variables replaces
    /// one of the same name. Returns every problem of the file, each located.
    pub fn read_file(&mut self, path: &Path) -> Result<(), Vec<Diagnostic>> {
        let bytes =
            read_bounded(path, &Limits::default(), "the variables file").map_err(|d| vec![*d])?;
        let (tree, source) = parse_tree(path, &bytes).map_err(|d| vec![*d])?;
        let at = |node: &Node, message: String| {
            Diagnostic::at(path, &source, node.span.line, node.span.column, message)
        };
        let entries = match &tree.kind {
            NodeKind::Map(entries) => entries.as_slice(),
            // An empty file gives nothing, as an empty map would.
            _ if tree.is_null() => &[],
            _ => {
                return Err(vec![
                    at(&tree, "a variables file is a map of names to values".into())
                        .with_help("write one `name: value` a line, e.g. `currency: EUR`"),
                ]);
            }
        };
        let mut problems = Vec::new();
        let mut read = Vec::new();
        for (key, value) in entries {
            let name = match key.as_str().map(|n| (n, check_name(n))) {
                Some((name, Ok(()))) => name,
                Some((_, Err(why))) => {
                    problems.push(at(key, why));
                    continue;
                }
                None => {
                    problems.push(at(key, "a variable's name must be text".into()));
                    continue;
                }
            };
            if value.is_null() {
                // Nothing is written after the key: the key is the place to show.
                problems.push(at(key, format!("`{name}` has no value")).with_help(format!(
                    "write `{name}: \"\"` for empty text, or remove the line"
                )));
                continue;
            }
            match self.file_value(name, value) {
                Ok(v) => read.push((name.to_string(), v)),
                Err(Unresolved { message, help }) => {
                    problems.push(at(value, message).with_help(help));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.values.extend(read);
        Ok(())
    }

    /// One value of a file: a scalar, typed as YAML reads it (`5` a number, `true` a
    /// boolean, `"5"` text); text may read the environment.
    fn file_value(&mut self, name: &str, node: &Node) -> Result<Value, Unresolved> {
        let one_value = || {
            format!(
                "give `{name}` one value: text, a number or true/false (quote text with `,` or `:`)"
            )
        };
        match &node.kind {
            NodeKind::Seq(_) | NodeKind::Map(_) => {
                let shape = if matches!(node.kind, NodeKind::Seq(_)) {
                    "a list"
                } else {
                    "a map"
                };
                return Err(Unresolved {
                    message: format!(
                        "`{name}` is {shape}: a variable given from outside holds one value"
                    ),
                    help: one_value(),
                });
            }
            NodeKind::Scalar { .. } => {}
        }
        let value: Value = crate::yaml::from_node(node).map_err(|e| Unresolved {
            message: e.message,
            help: one_value(),
        })?;
        match value {
            Value::String(text) => self.resolve(name, &text),
            other => Ok(other),
        }
    }

    /// Applies one `--var` over the values so far.
    pub fn assign(&mut self, assignment: &Assignment) -> Result<(), String> {
        let value = self.resolve(&assignment.name, &assignment.value).map_err(
            |Unresolved { message, help }| {
                format!(
                    "error: --var {}={}: {message}\n  = help: {help}",
                    assignment.name, assignment.value
                )
            },
        )?;
        self.values.insert(assignment.name.clone(), value);
        Ok(())
    }

    /// Renders `text`: `${env:NAME}` reads the environment (and what it reads becomes
    /// a secret); any other `${name}` is refused, since a value from outside is given
    /// before any scenario defines anything.
    fn resolve(&mut self, name: &str, text: &str) -> Result<Value, Unresolved> {
        let template = Template::parse(text).map_err(|e| Unresolved {
            message: format!("`{name}`: {e}"),
            help: "write `$${` for a literal `${`".into(),
        })?;
        if let Some(other) = template.vars().next() {
            return Err(Unresolved {
                message: format!(
                    "`{name}` uses `${{{other}}}`: a value given from outside may read the environment (`${{env:NAME}}`), not another variable"
                ),
                help: "write the value itself, or `$${` for a literal `${`".into(),
            });
        }
        let rendered = template.render(&EnvOnly).map_err(|e| match e {
            TemplateError::UnsetEnv(env) => Unresolved {
                message: format!("`{name}` needs environment variable `{env}`, which is not set"),
                help: format!("export {env}=… before running"),
            },
            other => Unresolved {
                message: format!("`{name}`: {other}"),
                help: "write the value itself".into(),
            },
        })?;
        self.secrets.extend(
            template
                .env_vars()
                .filter_map(|env| std::env::var(env).ok()),
        );
        Ok(Value::String(rendered))
    }

    /// Whether no variable was given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether `name` was given.
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The variables, by name.
    pub fn values(&self) -> &BTreeMap<String, Value> {
        &self.values
    }

    /// What the values read from the environment: never shown.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Result<OutsideVars, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vars.yaml");
        std::fs::write(&path, text).unwrap();
        let mut vars = OutsideVars::default();
        vars.read_file(&path).map(|()| vars)
    }

    #[test]
    fn assignments_are_checked() {
        assert_eq!(
            parse_assignment("a.b-c=x=y").unwrap(),
            Assignment {
                name: "a.b-c".into(),
                value: "x=y".into()
            }
        );
        assert_eq!(parse_assignment("empty=").unwrap().value, "");
        assert!(
            parse_assignment("1x=2")
                .unwrap_err()
                .contains("not a variable name")
        );
        assert!(
            parse_assignment("=2")
                .unwrap_err()
                .contains("not a variable name")
        );
        assert!(
            parse_assignment("run_id=2")
                .unwrap_err()
                .contains("built in")
        );
        assert!(
            parse_assignment("a=${oops")
                .unwrap_err()
                .contains("unclosed")
        );
    }

    #[test]
    fn a_file_keeps_types_and_layers_by_name() {
        let mut vars = file("n: 5\nok: true\ntext: \"5\"\nlit: \"a $${x} b\"\n").unwrap();
        assert_eq!(vars.values()["n"], Value::from(5));
        assert_eq!(vars.values()["ok"], Value::from(true));
        assert_eq!(vars.values()["text"], Value::from("5"));
        assert_eq!(vars.values()["lit"], Value::from("a ${x} b"));
        vars.assign(&parse_assignment("n=6").unwrap()).unwrap();
        assert_eq!(vars.values()["n"], Value::from("6"));
        assert!(vars.secrets().is_empty());
        assert!(file("").unwrap().is_empty());
    }

    #[test]
    fn env_values_are_secrets_and_unset_ones_are_located() {
        // PATH is set wherever tests run.
        let path = std::env::var("PATH").unwrap();
        let vars = file("p: \"${env:PATH}\"\n").unwrap();
        assert_eq!(vars.values()["p"], Value::from(path.as_str()));
        assert_eq!(vars.secrets(), [path]);
        assert_eq!(format!("{vars:?}"), "{\"p\"}");
        let errs = file("a: 1\nb: \"${env:GATECHECK_TEST_SURELY_UNSET}\"\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (Some(2), Some(4)));
        assert!(
            errs[0].message.contains("GATECHECK_TEST_SURELY_UNSET"),
            "{}",
            errs[0]
        );
        let mut vars = OutsideVars::default();
        let e = vars
            .assign(&parse_assignment("t=${env:GATECHECK_TEST_SURELY_UNSET}").unwrap())
            .unwrap_err();
        assert!(
            e.contains("--var t=${env:GATECHECK_TEST_SURELY_UNSET}"),
            "{e}"
        );
    }

    #[test]
    fn bad_files_say_where_and_how() {
        let errs = file("a: [1, 2]\nb: { c: 1 }\nc:\n1x: 2\nrun_id: r\nd: \"${e}\"\n").unwrap_err();
        let found: Vec<(Option<usize>, &str)> =
            errs.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(found[0].1.contains("is a list"), "{found:?}");
        assert!(found[1].1.contains("is a map"), "{found:?}");
        assert!(found[2].1.contains("has no value"), "{found:?}");
        assert!(found[3].1.contains("not a variable name"), "{found:?}");
        assert!(found[4].1.contains("built in"), "{found:?}");
        assert!(found[5].1.contains("not another variable"), "{found:?}");
        assert_eq!(
            found.iter().map(|(l, _)| l.unwrap()).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        let e = file("- a\n").unwrap_err();
        assert!(e[0].message.contains("a map of names"), "{}", e[0]);
        let e = file("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e[0].line, Some(2), "{}", e[0]);
        let dir = tempfile::tempdir().unwrap();
        let mut vars = OutsideVars::default();
        let e = vars.read_file(&dir.path().join("none.yaml")).unwrap_err();
        assert!(
            e[0].message.contains("cannot read the variables file"),
            "{}",
            e[0]
        );
    }
}
