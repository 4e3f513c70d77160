//! Running a suite on two targets for comparison: each scenario on A, again on A (the
//! A/A runs that measure noise), and on B, all concurrently within `jobs`; then each
//! scenario is compared. The only module of `diff` that sends anything (through `run`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::compare::{Parity, Runs, ScenarioComparison, compare};
use super::known::KnownDifferences;
use crate::run::{RunContext, ScenarioOutcome, Trial};
use crate::spec::ScenarioFile;

/// What `diff` runs.
#[derive(Debug)]
pub struct DiffPlan {
    /// Scenarios both targets serve.
    pub compared: Vec<Arc<ScenarioFile>>,
    /// Scenarios one target does not serve (or may not be written to), and why.
    pub skipped: Vec<(Arc<ScenarioFile>, String)>,
    /// Target A's run contexts, by API (observing).
    pub a: BTreeMap<String, Arc<RunContext>>,
    /// Target B's run contexts, by API (observing).
    pub b: BTreeMap<String, Arc<RunContext>>,
    /// Extra runs on A whose differences are noise (at least 1 is useful).
    pub noise_runs: usize,
    /// Scenarios run at once.
    pub jobs: usize,
}

/// What a diff found.
#[derive(Debug, Serialize)]
pub struct DiffResult {
    /// Target A's name.
    pub a: String,
    /// Target B's name.
    pub b: String,
    /// One comparison per scenario, compared ones first in suite order, then skipped.
    pub comparisons: Vec<ScenarioComparison>,
    /// The share of compared steps that were the same, per API and endpoint.
    pub parity: Parity,
    /// Whether the run was stopped before every scenario ran.
    pub interrupted: bool,
}

impl DiffResult {
    /// Whether a scenario's own expectations failed on one of the targets.
    pub fn fails_on_a_target(&self) -> bool {
        self.comparisons.iter().any(|c| {
            matches!(
                c.verdict,
                super::Verdict::FailsOnA | super::Verdict::FailsOnB
            )
        })
    }

    /// Whether the diff fails: a new divergence, or a scenario that failed on a target.
    pub fn fails(&self) -> bool {
        self.interrupted || self.comparisons.iter().any(|c| c.verdict.fails())
    }

    /// How many scenarios got `verdict`.
    pub fn count(&self, verdict: super::Verdict) -> usize {
        self.comparisons
            .iter()
            .filter(|c| c.verdict == verdict)
            .count()
    }

    /// How many divergences are new (not in the known list), over every scenario.
    pub fn new_divergences(&self) -> usize {
        self.comparisons
            .iter()
            .map(|c| c.new_divergences().count())
            .sum()
    }
}

impl DiffPlan {
    /// Every run the comparison needs: for each scenario, its runs on A (the first,
    /// then the noise runs), then its run on B.
    fn trials(&self) -> Vec<Trial> {
        let mut trials: Vec<Trial> = Vec::new();
        for file in &self.compared {
            let api = &file.scenario.api;
            let (Some(a), Some(b)) = (self.a.get(api), self.b.get(api)) else {
                continue;
            };
            for _ in 0..=self.noise_runs {
                trials.push((Arc::clone(file).into(), Arc::clone(a)));
            }
            trials.push((Arc::clone(file).into(), Arc::clone(b)));
        }
        trials
    }

    /// How many scenario runs the comparison makes, for a progress count.
    pub fn runs(&self) -> usize {
        self.trials().len()
    }
}

/// Runs `plan` and compares, calling `on_run` as each run on a target finishes (in
/// the order they finish) and `on_done` as each comparison is made (in the plan's
/// order, once every run has finished).
pub async fn run_diff(
    plan: DiffPlan,
    (a_name, b_name): (&str, &str),
    known: &KnownDifferences,
    stop: tokio::sync::watch::Receiver<bool>,
    on_run: impl FnMut(&ScenarioOutcome),
    mut on_done: impl FnMut(&ScenarioComparison),
) -> DiffResult {
    let trials = plan.trials();
    let result = crate::run::run_until(trials, plan.jobs, stop, crate::run::GRACE, on_run).await;
    // Outcomes come in trial order: A's runs of a scenario, then its run on B.
    let mut by_scenario: BTreeMap<(String, String), Vec<ScenarioOutcome>> = BTreeMap::new();
    for outcome in result.outcomes {
        by_scenario
            .entry((outcome.id.clone(), outcome.target.clone()))
            .or_default()
            .push(outcome);
    }
    let mut comparisons = Vec::new();
    for file in &plan.compared {
        let runs_on = |t: &str| by_scenario.get(&(file.id.clone(), t.to_string()));
        let (Some(on_a), Some(on_b)) = (runs_on(a_name), runs_on(b_name)) else {
            continue;
        };
        let (Some(first), Some(on_b)) = (on_a.first(), on_b.first()) else {
            continue;
        };
        let again: Vec<&ScenarioOutcome> = on_a.iter().skip(1).collect();
        let mut unordered = file.scenario.unordered.clone();
        if let Some(ctx) = plan.a.get(&file.scenario.api) {
            unordered.extend(ctx.api.unordered.iter().cloned());
        }
        let comparison = compare(
            file,
            Runs {
                a: first,
                a_again: &again,
                b: on_b,
            },
            known,
            &unordered,
        );
        on_done(&comparison);
        comparisons.push(comparison);
    }
    for (file, why) in &plan.skipped {
        let comparison = ScenarioComparison::skipped(file, why.clone());
        on_done(&comparison);
        comparisons.push(comparison);
    }
    let parity = Parity::of(&comparisons);
    DiffResult {
        a: a_name.to_string(),
        b: b_name.to_string(),
        comparisons,
        parity,
        interrupted: result.interrupted,
    }
}
