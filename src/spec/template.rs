//! Interpolated strings: `${var}`, `${env:NAME}` and the built-ins `${run_id}` and `${uuid}`.
//!
//! A template is parsed once when the scenario loads, so a malformed `${` is a located
//! load error rather than a surprise halfway through a run. `$${` writes a literal `${`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Built-in variable: unique to one execution of one scenario, so ids never collide.
pub const RUN_ID: &str = "run_id";
/// Built-in variable: a fresh UUID v4 at every use.
pub const UUID: &str = "uuid";
/// Built-in variable: the URL of the run's webhook receiver, to hand to the target.
pub const WEBHOOK_URL: &str = "webhook_url";

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// Text copied as it is.
    Literal(String),
    /// `${name}`: a scenario, target or captured variable, or a built-in.
    Var(String),
    /// `${env:NAME}`: read from the process environment when the run starts.
    Env(String),
}

/// A string with `${...}` placeholders, parsed and validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// Why a template could not be parsed or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `${` without its closing `}`.
    #[error("unclosed `${{` in {0:?}: close it with `}}`, or write `$${{` for a literal `${{`")]
    Unclosed(String),
    /// `${}` or a name with characters a variable cannot have.
    #[error(
        "bad variable name {name:?} in {template:?}: names are letters, digits, `_`, `-` and `.`, e.g. `${{customer_id}}` or `${{env:API_KEY}}`"
    )]
    BadName {
        /// The offending name.
        name: String,
        /// The whole template.
        template: String,
    },
    /// A variable that nothing defines at this point of the scenario.
    #[error("undefined variable `{0}`")]
    Undefined(String),
    /// `${env:NAME}` with `NAME` unset.
    #[error("environment variable `{0}` is not set")]
    UnsetEnv(String),
    /// A placeholder standing for a value of one type holds another.
    #[error("`${{{name}}}` stands for {wanted} here, but it is {found}")]
    WrongType {
        /// The variable.
        name: String,
        /// What the place needs (`a whole number`).
        wanted: &'static str,
        /// What the variable holds, shown.
        found: String,
    },
}

/// Where a template finds the values of its variables.
pub trait Lookup {
    /// The value of `${name}`, if defined.
    fn var(&self, name: &str) -> Option<Value>;
    /// The value of `${env:name}`, if set.
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// Whether `name` can be a variable's name: a letter or `_`, then letters, digits,
/// `_`, `-` and `.`.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Template {
    /// Parses `source`, rejecting unclosed placeholders and malformed names.
    ///
    /// ```
    /// use gatecheck::spec::template::{Part, Template};
    /// let t = Template::parse("c-${run_id}").unwrap();
    /// assert_eq!(t.parts()[1], Part::Var("run_id".into()));
    /// ```
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        scan(source, &mut |piece| {
            let part = match piece {
                Piece::Text(text) => return literal.push_str(text),
                Piece::Var(name) => Part::Var(name.to_string()),
                Piece::Env(name) => Part::Env(name.to_string()),
            };
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(part);
        })?;
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template {
            source: source.to_string(),
            parts,
        })
    }

    /// The text as written in the scenario.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed pieces.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The variable when the template is exactly one `${name}` and nothing else.
    pub fn sole_var(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Var(name)] => Some(name),
            _ => None,
        }
    }

    /// The `${name}` variables this template uses (not `env:` ones).
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v.as_str()),
            _ => None,
        })
    }

    /// The `${env:NAME}` variables this template uses.
    pub fn env_vars(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Env(v) => Some(v.as_str()),
            _ => None,
        })
    }

    /// True when the template has no placeholder at all.
    pub fn is_literal(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Literal(_)))
    }

    /// Renders to a JSON value: a template that is exactly one `${var}` keeps the
    /// variable's type (a captured number stays a number); anything else is a string.
    pub fn render_value(&self, lookup: &dyn Lookup) -> Result<Value, TemplateError> {
        if let [part @ (Part::Var(_) | Part::Env(_))] = self.parts.as_slice() {
            return resolve(part, lookup);
        }
        self.render(lookup).map(Value::String)
    }

    /// Renders to a string.
    pub fn render(&self, lookup: &dyn Lookup) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(self.source.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                other => match resolve(other, lookup)? {
                    Value::String(s) => out.push_str(&s),
                    Value::Null => {}
                    value => out.push_str(&value.to_string()),
                },
            }
        }
        Ok(out)
    }
}

/// A piece of a template's text, borrowed from it.
#[derive(Clone, Copy)]
enum Piece<'a> {
    /// Text as it reads (`$${` gives `${`): consecutive pieces make one literal.
    Text(&'a str),
    /// `${name}`.
    Var(&'a str),
    /// `${env:NAME}`.
    Env(&'a str),
}

/// Hands `f` the pieces of `source` in order, and fails as [`Template::parse`] does:
/// what parsing a template and listing its variables share, the latter without
/// making the template.
fn scan<'a>(source: &'a str, f: &mut dyn FnMut(Piece<'a>)) -> Result<(), TemplateError> {
    let mut rest = source;
    while let Some(pos) = rest.find('$') {
        if pos > 0 {
            f(Piece::Text(&rest[..pos]));
        }
        let after = &rest[pos..];
        if let Some(stripped) = after.strip_prefix("$${") {
            f(Piece::Text(&after[1..3]));
            rest = stripped;
        } else if let Some(inner) = after.strip_prefix("${") {
            let end = inner
                .find('}')
                .ok_or_else(|| TemplateError::Unclosed(source.to_string()))?;
            let body = inner[..end].trim();
            match body.strip_prefix("env:") {
                Some(env) if valid_name(env.trim()) => f(Piece::Env(env.trim())),
                None if valid_name(body) => f(Piece::Var(body)),
                _ => {
                    return Err(TemplateError::BadName {
                        name: body.to_string(),
                        template: source.to_string(),
                    });
                }
            }
            rest = &inner[end + 1..];
        } else {
            f(Piece::Text(&after[..1]));
            rest = &after[1..];
        }
    }
    if !rest.is_empty() {
        f(Piece::Text(rest));
    }
    Ok(())
}

fn resolve(part: &Part, lookup: &dyn Lookup) -> Result<Value, TemplateError> {
    match part {
        Part::Literal(text) => Ok(Value::String(text.clone())),
        Part::Var(name) if name == UUID => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
        Part::Var(name) => lookup
            .var(name)
            .ok_or_else(|| TemplateError::Undefined(name.clone())),
        Part::Env(name) => lookup
            .env(name)
            .map(Value::String)
            .ok_or_else(|| TemplateError::UnsetEnv(name.clone())),
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = ScalarString::deserialize(deserializer)?;
        Template::parse(&raw.0).map_err(serde::de::Error::custom)
    }
}

/// A YAML scalar read as text, so `status: 200` style numbers are accepted where a
/// string is expected (paths, header values, query values).
struct ScalarString(String);

impl<'de> Deserialize<'de> for ScalarString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(s) => Ok(ScalarString(s)),
            Value::Number(n) => Ok(ScalarString(n.to_string())),
            Value::Bool(b) => Ok(ScalarString(b.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a string, found {}",
                kind_of(&other)
            ))),
        }
    }
}

use crate::wire::kind_of;

/// A JSON tree whose strings are templates: request bodies and expected values.
///
/// Strings are parsed when the scenario loads, once: the variables they use are kept
/// (loading asks for them several times per tree, and every run for the `env:`
/// ones). Rendering walks the tree and keeps the types of whole-string placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueTemplate {
    tree: Value,
    /// The `${name}` variables the tree uses.
    vars: BTreeSet<String>,
    /// The `${env:NAME}` variables the tree uses.
    env_vars: BTreeSet<String>,
    /// No string of the tree holds a `$`: it renders as it is written.
    literal: bool,
}

impl ValueTemplate {
    /// Wraps a tree, validating every string in it as a template.
    pub fn new(value: Value) -> Result<ValueTemplate, TemplateError> {
        let mut first = None;
        let (mut vars, mut env_vars) = (BTreeSet::new(), BTreeSet::new());
        let mut literal = true;
        walk_strings(&value, &mut |s| {
            // Most strings are plain text: nothing to parse.
            if !s.contains('$') || first.is_some() {
                return;
            }
            literal = false;
            // Only the names are kept: the template itself is made when rendering.
            let found = scan(s, &mut |piece| {
                let (set, name) = match piece {
                    Piece::Var(name) => (&mut vars, name),
                    Piece::Env(name) => (&mut env_vars, name),
                    Piece::Text(_) => return,
                };
                if !set.contains(name) {
                    set.insert(name.to_string());
                }
            });
            if let Err(e) = found {
                first = Some(e);
            }
        });
        match first {
            Some(e) => Err(e),
            None => Ok(ValueTemplate {
                tree: value,
                vars,
                env_vars,
                literal,
            }),
        }
    }

    /// The tree as written.
    pub fn raw(&self) -> &Value {
        &self.tree
    }

    /// Every `${name}` the tree uses, each once, in order.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(String::as_str)
    }

    /// Every `${env:NAME}` the tree uses, each once, in order.
    pub fn env_vars(&self) -> impl Iterator<Item = &str> {
        self.env_vars.iter().map(String::as_str)
    }

    /// Renders every string of the tree (map keys included).
    pub fn render(&self, lookup: &dyn Lookup) -> Result<Value, TemplateError> {
        render_tree(&self.tree, lookup)
    }

    /// Like [`ValueTemplate::render`], but a tree without placeholders is lent as it
    /// is rather than copied (most expected values are plain).
    pub fn rendered(&self, lookup: &dyn Lookup) -> Result<Cow<'_, Value>, TemplateError> {
        if self.literal {
            Ok(Cow::Borrowed(&self.tree))
        } else {
            self.render(lookup).map(Cow::Owned)
        }
    }
}

impl<'de> Deserialize<'de> for ValueTemplate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ValueTemplate::new(value).map_err(serde::de::Error::custom)
    }
}

fn walk_strings(value: &Value, f: &mut dyn FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|v| walk_strings(v, f)),
        Value::Object(map) => {
            for (k, v) in map {
                f(k);
                walk_strings(v, f);
            }
        }
        _ => {}
    }
}

fn render_tree(value: &Value, lookup: &dyn Lookup) -> Result<Value, TemplateError> {
    Ok(match value {
        Value::String(s) if s.contains('$') => Template::parse(s)?.render_value(lookup)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_tree(v, lookup))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = if k.contains('$') {
                    Template::parse(k)?.render(lookup)?
                } else {
                    k.clone()
                };
                out.insert(key, render_tree(v, lookup)?);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Vars(HashMap<String, Value>);
    impl Lookup for Vars {
        fn var(&self, name: &str) -> Option<Value> {
            self.0.get(name).cloned()
        }
        fn env(&self, name: &str) -> Option<String> {
            (name == "HOME_TEST").then(|| "/home/t".to_string())
        }
    }

    fn vars() -> Vars {
        Vars(HashMap::from([
            ("id".to_string(), Value::from("c1")),
            ("count".to_string(), Value::from(2)),
        ]))
    }

    #[test]
    fn parses_and_renders() {
        let t = Template::parse("/customers/${id}?n=${count}&h=${env:HOME_TEST}").unwrap();
        assert_eq!(t.render(&vars()).unwrap(), "/customers/c1?n=2&h=/home/t");
        assert_eq!(t.vars().collect::<Vec<_>>(), ["id", "count"]);
    }

    #[test]
    fn whole_placeholder_keeps_type() {
        let t = Template::parse("${count}").unwrap();
        assert_eq!(t.render_value(&vars()).unwrap(), Value::from(2));
        let t = Template::parse("n${count}").unwrap();
        assert_eq!(t.render_value(&vars()).unwrap(), Value::from("n2"));
    }

    #[test]
    fn escapes_and_lone_dollars() {
        let t = Template::parse("$${literal} costs $5").unwrap();
        assert!(t.is_literal());
        assert_eq!(t.render(&vars()).unwrap(), "${literal} costs $5");
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(
            Template::parse("a ${id"),
            Err(TemplateError::Unclosed(_))
        ));
        assert!(matches!(
            Template::parse("${}"),
            Err(TemplateError::BadName { .. })
        ));
        assert!(matches!(
            Template::parse("${a b}"),
            Err(TemplateError::BadName { .. })
        ));
    }

    #[test]
    fn undefined_and_unset_are_named() {
        let t = Template::parse("${nope}").unwrap();
        assert_eq!(
            t.render(&vars()),
            Err(TemplateError::Undefined("nope".into()))
        );
        let t = Template::parse("${env:GATECHECK_SURELY_UNSET}").unwrap();
        assert_eq!(
            t.render(&vars()),
            Err(TemplateError::UnsetEnv("GATECHECK_SURELY_UNSET".into()))
        );
    }

    #[test]
    fn uuid_is_fresh() {
        let t = Template::parse("${uuid}").unwrap();
        assert_ne!(t.render(&vars()).unwrap(), t.render(&vars()).unwrap());
    }

    #[test]
    fn a_tree_lists_the_names_its_templates_parse_to() {
        for text in [
            "plain",
            "${a} and ${env:B} and ${a}",
            "$${not} $5 ${ c }$",
            "x-${env: D }-$${e}${f}",
            "${a",
            "${}",
            "ok ${a} then ${b c}",
        ] {
            let tree = ValueTemplate::new(serde_json::json!({ "k": [text] }));
            match Template::parse(text) {
                Ok(t) => {
                    let tree = tree.unwrap();
                    let vars: BTreeSet<&str> = t.vars().collect();
                    let env: BTreeSet<&str> = t.env_vars().collect();
                    assert_eq!(tree.vars().collect::<BTreeSet<_>>(), vars, "{text}");
                    assert_eq!(tree.env_vars().collect::<BTreeSet<_>>(), env, "{text}");
                }
                Err(e) => assert_eq!(tree.unwrap_err(), e, "{text}"),
            }
        }
        let t = Template::parse("a$${b}$c${d}e").unwrap();
        assert_eq!(
            t.parts(),
            [
                Part::Literal("a${b}$c".into()),
                Part::Var("d".into()),
                Part::Literal("e".into())
            ]
        );
    }

    #[test]
    fn tree_renders_keys_and_values() {
        let tree = ValueTemplate::new(serde_json::json!({
            "customer": {"id": "${id}", "n": "${count}", "list": ["x-${id}"]}
        }))
        .unwrap();
        assert_eq!(
            tree.render(&vars()).unwrap(),
            serde_json::json!({"customer": {"id": "c1", "n": 2, "list": ["x-c1"]}})
        );
        assert_eq!(tree.vars().collect::<Vec<_>>(), ["count", "id"]);
        assert!(ValueTemplate::new(serde_json::json!({"a": "${"})).is_err());
    }
}
