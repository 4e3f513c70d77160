//! Comparing one scenario's runs on two targets (pure): step by step, path by path,
//! with what differs between two runs on the same target set aside as noise and what
//! the known-differences file lists set aside as known.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use super::flatten::{flatten, sort_unordered};
use super::known::{Class, KnownDifference, KnownDifferences};
use crate::mask::{Masked, Masker};
use crate::run::outcome::{Observation, ScenarioOutcome};
use crate::spec::ScenarioFile;
use crate::spec::jsonpath::JsonPathExpr;
use crate::spec::model::Action;
use crate::yaml::Span;

/// How a scenario compares on the two targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every compared step is the same.
    Same,
    /// A step differs in a way the known-differences file does not list.
    Diverges,
    /// Steps differ, but only in listed ways.
    Known,
    /// A step's own expectations failed on target A.
    FailsOnA,
    /// A step's own expectations failed on target B.
    FailsOnB,
    /// Not run on one of the targets (it does not serve the API, or is read-only).
    Skipped,
}

impl Verdict {
    /// Whether the verdict fails a diff run.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Diverges | Verdict::FailsOnA | Verdict::FailsOnB
        )
    }
}

/// One path whose value differs between the targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    /// `status`, `headers.<name>` or a body path (`$.customer.id`).
    pub path: String,
    /// A's value; none when A does not have the path.
    pub a: Option<Value>,
    /// B's value; none when B does not have the path.
    pub b: Option<Value>,
    /// The known-differences entry that covers it; none when it is new.
    pub known: Option<KnownDifference>,
}

/// One step's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct StepComparison {
    /// 0-based position.
    pub index: usize,
    /// The step's name (masked: a name may hold a card number).
    pub name: Masked<String>,
    /// Where the step is written: in the scenario, or in `origin`'s fixture.
    pub at: Span,
    /// The fixture the step is written in, if a `- use:` brought it in.
    #[serde(flatten)]
    pub origin: crate::run::FixtureOrigin,
    /// `METHOD /path/${template}`, or `webhook TYPE`.
    pub endpoint: String,
    /// Whether both targets answered the step (so it was compared).
    pub compared: bool,
    /// The paths that differ (noise excluded).
    pub divergences: Vec<Divergence>,
    /// Paths that differ between runs on target A: noise, not divergences.
    pub noise: Vec<String>,
}

/// One scenario compared on targets A and B.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioComparison {
    /// Test id.
    pub id: String,
    /// The scenario's name (masked).
    pub name: Masked<String>,
    /// The scenario file.
    pub file: PathBuf,
    /// Its API.
    pub api: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why it was skipped, when it was.
    pub reason: Option<String>,
    /// Step by step.
    pub steps: Vec<StepComparison>,
    /// The run on A (the first, when there were several).
    pub a: Option<ScenarioOutcome>,
    /// The run on B.
    pub b: Option<ScenarioOutcome>,
}

impl ScenarioComparison {
    /// A scenario not compared, and why.
    pub fn skipped(file: &ScenarioFile, reason: String) -> ScenarioComparison {
        ScenarioComparison {
            id: file.id.clone(),
            // Nothing ran to give a target's masker: card numbers are masked.
            name: Masker::default().mask(file.scenario.name.clone()),
            file: file.path.clone(),
            api: file.scenario.api.clone(),
            verdict: Verdict::Skipped,
            reason: Some(reason),
            steps: Vec::new(),
            a: None,
            b: None,
        }
    }

    /// Divergences the known-differences file does not list.
    pub fn new_divergences(&self) -> impl Iterator<Item = (&StepComparison, &Divergence)> {
        self.steps.iter().flat_map(|s| {
            s.divergences
                .iter()
                .filter(|d| d.known.is_none())
                .map(move |d| (s, d))
        })
    }
}

/// What one endpoint, or one API, scored: steps compared and steps that were the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Steps both targets answered.
    pub compared: usize,
    /// Of those, the ones with no divergence at all.
    pub same: usize,
}

impl Score {
    /// The share of compared steps that were the same, in percent.
    pub fn percent(&self) -> f64 {
        if self.compared == 0 {
            100.0
        } else {
            self.same as f64 * 100.0 / self.compared as f64
        }
    }
}

/// Parity per API and per endpoint (API, `METHOD /path`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Parity {
    /// By API.
    pub apis: BTreeMap<String, Score>,
    /// By API and endpoint.
    pub endpoints: BTreeMap<String, BTreeMap<String, Score>>,
}

impl Parity {
    /// Parity over `comparisons`.
    pub fn of(comparisons: &[ScenarioComparison]) -> Parity {
        let mut parity = Parity::default();
        for c in comparisons {
            for step in c.steps.iter().filter(|s| s.compared) {
                let same = usize::from(step.divergences.is_empty());
                for score in [
                    parity.apis.entry(c.api.clone()).or_default(),
                    parity
                        .endpoints
                        .entry(c.api.clone())
                        .or_default()
                        .entry(step.endpoint.clone())
                        .or_default(),
                ] {
                    score.compared += 1;
                    score.same += same;
                }
            }
        }
        parity
    }
}

/// The runs one comparison takes.
#[derive(Debug, Clone, Copy)]
pub struct Runs<'a> {
    /// The run on A.
    pub a: &'a ScenarioOutcome,
    /// Further runs on A, whose differences from `a` are noise.
    pub a_again: &'a [&'a ScenarioOutcome],
    /// The run on B.
    pub b: &'a ScenarioOutcome,
}

/// Compares `file`'s runs step by step.
pub fn compare(
    file: &ScenarioFile,
    runs: Runs<'_>,
    known: &KnownDifferences,
    unordered: &[JsonPathExpr],
) -> ScenarioComparison {
    let mut steps = Vec::new();
    for (index, step) in file.scenario.steps.iter().enumerate() {
        let endpoint = match &step.action {
            Action::Request { request, .. } => {
                format!("{} {}", request.method.as_str(), request.path.source())
            }
            Action::Webhook(w) => {
                format!("webhook {}", w.kind.as_ref().map_or("*", |k| k.source()))
            }
        };
        let observed = |o: &ScenarioOutcome| {
            o.steps
                .get(index)
                .and_then(|s| s.observed.as_ref())
                .map(|m| (**m).clone())
        };
        let (a, b) = (observed(runs.a), observed(runs.b));
        let mut comparison = StepComparison {
            index,
            name: runs.a.steps.get(index).map_or_else(
                || Masker::default().mask(step.name.clone()),
                |s| s.name.clone(),
            ),
            at: step.span,
            origin: crate::run::FixtureOrigin(
                step.included
                    .as_ref()
                    .map(|frame| std::sync::Arc::clone(&frame.origin)),
            ),
            endpoint,
            compared: a.is_some() && b.is_some(),
            divergences: Vec::new(),
            noise: Vec::new(),
        };
        if let (Some(a), Some(b)) = (a, b) {
            let mut noise = BTreeSet::new();
            for again in runs.a_again {
                if let Some(a2) = observed(again) {
                    noise.extend(differences(&a, &a2, unordered).into_iter().map(|d| d.0));
                }
            }
            for (path, va, vb) in differences(&a, &b, unordered) {
                if noise.contains(&path) {
                    continue;
                }
                let listed = known.find(&file.id, index, &step.name, &path).cloned();
                if listed.as_ref().is_some_and(|k| k.class == Class::Noise) {
                    noise.insert(path);
                    continue;
                }
                comparison.divergences.push(Divergence {
                    path,
                    a: va,
                    b: vb,
                    known: listed,
                });
            }
            comparison.noise = noise.into_iter().collect();
        }
        steps.push(comparison);
    }
    let cut_off = runs.a.cut_off() || runs.b.cut_off() || runs.a_again.iter().any(|r| r.cut_off());
    let verdict = if cut_off {
        Verdict::Skipped
    } else if !runs.a.passed() {
        Verdict::FailsOnA
    } else if !runs.b.passed() {
        Verdict::FailsOnB
    } else if steps.iter().all(|s| s.divergences.is_empty()) {
        Verdict::Same
    } else if steps
        .iter()
        .all(|s| s.divergences.iter().all(|d| d.known.is_some()))
    {
        Verdict::Known
    } else {
        Verdict::Diverges
    };
    ScenarioComparison {
        id: file.id.clone(),
        name: runs.a.name.clone(),
        file: file.path.clone(),
        api: file.scenario.api.clone(),
        verdict,
        reason: cut_off.then(|| "the run was stopped before this scenario's end".to_string()),
        steps,
        a: Some(runs.a.clone()),
        b: Some(runs.b.clone()),
    }
}

/// Every path where `a` and `b` differ: status, compared headers, body leaves.
fn differences(
    a: &Observation,
    b: &Observation,
    unordered: &[JsonPathExpr],
) -> Vec<(String, Option<Value>, Option<Value>)> {
    let mut out = Vec::new();
    if a.status != b.status {
        out.push((
            "status".to_string(),
            a.status.map(Value::from),
            b.status.map(Value::from),
        ));
    }
    let header = |o: &Observation, name: &str| {
        o.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Value::String(v.clone()))
    };
    let names: BTreeSet<&str> = a
        .headers
        .iter()
        .chain(&b.headers)
        .map(|(n, _)| n.as_str())
        .collect();
    for name in names {
        let (va, vb) = (header(a, name), header(b, name));
        if va != vb {
            out.push((format!("headers.{name}"), va, vb));
        }
    }
    let (mut body_a, mut body_b) = (a.body.clone(), b.body.clone());
    sort_unordered(&mut body_a, unordered);
    sort_unordered(&mut body_b, unordered);
    let (flat_a, flat_b) = (flatten(&body_a), flatten(&body_b));
    for (path, va) in &flat_a {
        match flat_b.get(path) {
            Some(vb) if same_value(va, vb) => {}
            vb => out.push((path.clone(), Some(va.clone()), vb.cloned())),
        }
    }
    for (path, vb) in &flat_b {
        if !flat_a.contains_key(path) {
            out.push((path.clone(), None, Some(vb.clone())));
        }
    }
    out
}

/// Equal, counting `1` and `1.0` as the same number.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obs(status: u16, body: Value) -> Observation {
        Observation {
            status: Some(status),
            body,
            headers: Vec::new(),
        }
    }

    #[test]
    fn differences_by_path() {
        let a = obs(200, json!({"c": {"id": "${id}", "name": "Ada", "n": 1}}));
        let b = obs(
            201,
            json!({"c": {"id": "${id}", "name": "ADA", "n": 1.0, "x": true}}),
        );
        let d = differences(&a, &b, &[]);
        let paths: Vec<&str> = d.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(paths, ["status", "$.c.name", "$.c.x"]);
        assert_eq!(d[2].1, None);
    }
}
