//! Evaluating an answer (or a webhook) against a step (pure): status, headers and
//! JSONPath expectations, then captures. Each failure is located at the expectation
//! or capture it concerns.

use indexmap::IndexMap;
use serde_json::Value;

use super::failure::{Failure, FailureKind, Subject};
use super::send::Answer;
use super::vars::Vars;
use crate::spec::jsonpath::JsonPathExpr;
use crate::spec::matcher::{MatcherSet, show};
use crate::spec::model::{Capture, CaptureSource, Expect};
use crate::spec::template::Lookup;
use crate::wire::headers::find as header;
use crate::wire::selection::Selection;
use crate::yaml::{Span, Spanned};

/// Checks an answer against a request step's `expect`; transport-level problems are
/// `send`'s, so everything here is about what came back.
pub(super) fn check_answer(expect: &Expect, answer: &Answer, vars: &dyn Lookup) -> Vec<Failure> {
    let mut failures = Vec::new();
    if let Some(status) = &expect.status {
        match status.codes(vars) {
            Ok(codes) if codes.contains(&answer.status) => {}
            Ok(codes) => failures.push(Failure::new(
                status.span,
                FailureKind::Status {
                    expected: codes,
                    got: answer.status,
                },
            )),
            Err(e) => failures.push(Failure::new(
                status.span,
                FailureKind::Template {
                    what: "status".into(),
                    message: e.to_string(),
                },
            )),
        }
    }
    for (name, matchers) in &expect.headers {
        let value = header(&answer.headers, name).map(|v| Value::String(v.to_string()));
        let nodes: Vec<&Value> = value.iter().collect();
        let subject = Subject::Header(name.value.clone());
        failures.extend(matched(
            name.span,
            subject,
            matchers.check(&nodes, true, vars),
            |a| a,
        ));
    }
    failures.extend(check_json(&expect.json, &answer.body, vars));
    failures
}

/// What [`check_answer`] and [`capture`] read of an answer's body, when they can say
/// it in a [`Selection`]: every JSONPath of the step's expectations and captures is
/// made of names, indexes and wildcards. `None`: they may read any of it.
pub(super) fn reads<'s>(
    expect: &'s Expect,
    captures: &'s IndexMap<Spanned<String>, Capture>,
) -> Option<Selection<'s>> {
    let mut paths = Vec::with_capacity(expect.json.len() + captures.len());
    for path in expect.json.keys() {
        paths.push(path.picks()?);
    }
    for capture in captures.values() {
        if let CaptureSource::Json(path) = &capture.source {
            paths.push(path.picks()?);
        }
    }
    Selection::of(paths)
}

/// Turns what a matcher set found into located failures about `subject`; `shown`
/// rewrites each found value before it goes into a message.
fn matched(
    at: Span,
    subject: Subject,
    result: Result<Vec<crate::spec::matcher::Mismatch>, crate::spec::template::TemplateError>,
    shown: impl Fn(String) -> String,
) -> Vec<Failure> {
    match result {
        Ok(mismatches) => mismatches
            .into_iter()
            .map(|m| {
                Failure::new(
                    at,
                    FailureKind::Expectation {
                        subject: subject.clone(),
                        expected: m.expected,
                        actual: shown(m.actual),
                    },
                )
            })
            .collect(),
        Err(e) => {
            let what = match &subject {
                Subject::Json(path) => path.clone(),
                Subject::Header(name) => format!("header {name}"),
            };
            vec![Failure::new(
                at,
                FailureKind::Template {
                    what,
                    message: e.to_string(),
                },
            )]
        }
    }
}

/// Checks JSONPath expectations against a decoded body (an answer's or a webhook's).
pub(super) fn check_json(
    expectations: &IndexMap<Spanned<JsonPathExpr>, MatcherSet>,
    body: &Value,
    vars: &dyn Lookup,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (path, matchers) in expectations {
        let nodes = path.query(body);
        // What a CVV path selected must not be shown; the masker cannot tell it from
        // any other short number once it is in a message. Only asked of a failure.
        let shown = |f: String| {
            if !crate::mask::is_cvv_path(path.as_str()) {
                return f;
            }
            nodes.iter().filter(|v| !v.is_null()).fold(f, |f, v| {
                f.replace(&show(v), &format!("\"{}\"", crate::mask::MASKED))
            })
        };
        let result = matchers.check(&nodes, path.is_singular(), vars);
        failures.extend(matched(
            path.span,
            Subject::Json(path.to_string()),
            result,
            shown,
        ));
    }
    failures
}

/// Takes a step's captures from a decoded body and its headers (an answer's or a
/// webhook's) into `vars`.
pub(super) fn capture(
    captures: &IndexMap<Spanned<String>, Capture>,
    body: &Value,
    headers: &[(String, String)],
    vars: &mut Vars,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (name, capture) in captures {
        let (found, from) = match &capture.source {
            CaptureSource::Json(path) => (
                path.query(body).first().map(|v| (*v).clone()),
                path.to_string(),
            ),
            CaptureSource::Header(h) => (
                header(headers, h).map(|v| Value::String(v.to_string())),
                format!("header {h}"),
            ),
        };
        let Some(mut value) = found else {
            failures.push(Failure::new(
                name.span,
                FailureKind::CaptureMissing {
                    name: name.value.clone(),
                    from,
                },
            ));
            continue;
        };
        if let Some(pattern) = &capture.regex {
            let text = match &value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match pattern.regex().captures(&text) {
                Some(caps) => {
                    let m = caps
                        .get(1)
                        .or_else(|| caps.get(0))
                        .map_or("", |m| m.as_str());
                    value = Value::String(m.to_string());
                }
                None => {
                    failures.push(Failure::new(
                        name.span,
                        FailureKind::CaptureNoMatch {
                            name: name.value.clone(),
                            pattern: pattern.regex().as_str().to_string(),
                            got: show(&value),
                        },
                    ));
                    continue;
                }
            }
        }
        vars.set(&name.value, value);
    }
    failures
}
