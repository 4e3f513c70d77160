//! The executor: scenarios in parallel (bounded by `--jobs`), steps in order.
//!
//! Each request step goes through the runner's seams, as Hurl's does:
//! - `build`: the request from the step and the variables (pure);
//! - `send`: sending it, with rate-limit retries: the only module that does I/O for
//!   a request (`webhook_step` waits on the run's inbox, the other I/O);
//! - `evaluate`: checking the answer and taking captures (pure);
//! - [`failure`]: what went wrong, as located data; [`outcome`]: what is recorded,
//!   masked, for `report` to render.

mod build;
pub mod context;
mod evaluate;
pub mod failure;
pub mod outcome;
pub mod pace;
pub mod scenario;
mod scope;
mod send;
pub mod vars;
mod webhook_step;

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

pub use context::{RunContext, http_client};
pub use failure::{Failure, FailureKind, FixtureOrigin, Subject};
pub use outcome::{ScenarioOutcome, SkippedScenario, StepOutcome, StepStatus};
pub use scenario::{run_scenario, run_scenario_keeping, run_scenario_until};

use crate::spec::ScenarioRef;

/// One scenario to run with the context of its API on the chosen target. The scenario
/// is loaded (when the plan did not keep it) just before it runs.
pub type Trial = (ScenarioRef, Arc<RunContext>);

/// Runs every trial, at most `jobs` at once, calling `on_done` as each finishes (for
/// progress output). Returns the outcomes in the order of `trials`.
pub async fn run_all(
    trials: Vec<Trial>,
    jobs: usize,
    on_done: impl FnMut(&ScenarioOutcome),
) -> Vec<ScenarioOutcome> {
    // A sender kept alive for the whole run: the stop signal never fires.
    let (_never, stop) = tokio::sync::watch::channel(false);
    run_until(trials, jobs, stop, GRACE, on_done).await.outcomes
}

/// What a run records of each step, for the reports to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Every step's request and answer: for reports that show every step (JUnit,
    /// JSON, HTML) and for callers that inspect outcomes.
    #[default]
    Everything,
    /// The request and answer of a failed step only, which is all the console shows.
    /// A passing scenario's outcome then holds its verdict, names and timings, so the
    /// memory a run keeps stays small however many scenarios pass.
    Failures,
}

/// How long scenarios in flight may go on once a run is told to stop.
pub const GRACE: Duration = Duration::from_secs(5);

/// What a run that may be interrupted did.
#[derive(Debug)]
pub struct RunResult {
    /// The outcomes of the scenarios that finished, in the order of the trials.
    pub outcomes: Vec<ScenarioOutcome>,
    /// Whether the run was told to stop before every scenario finished.
    pub interrupted: bool,
    /// Scenarios not started, or cut off after the grace period.
    pub unfinished: usize,
}

/// Like [`run_all`], but when `stop` turns true no further scenario starts, those in
/// flight get `grace` to finish, and the rest are cut off: what finished is returned,
/// so an interrupted run can still report.
pub async fn run_until(
    trials: Vec<Trial>,
    jobs: usize,
    stop: tokio::sync::watch::Receiver<bool>,
    grace: Duration,
    on_done: impl FnMut(&ScenarioOutcome),
) -> RunResult {
    run_until_keeping(trials, jobs, stop, grace, Keep::Everything, on_done).await
}

/// Like [`run_until`], recording each step's request and answer as `keep` says
/// (`gatecheck run` keeps only failures' unless a report needs every step).
pub async fn run_until_keeping(
    trials: Vec<Trial>,
    jobs: usize,
    stop: tokio::sync::watch::Receiver<bool>,
    grace: Duration,
    keep: Keep,
    mut on_done: impl FnMut(&ScenarioOutcome),
) -> RunResult {
    let total = trials.len();
    let mut results: Vec<Option<ScenarioOutcome>> = (0..total).map(|_| None).collect();
    let ended = run_streaming(trials, jobs, stop, grace, keep, |index, outcome| {
        on_done(&outcome);
        results[index] = Some(outcome);
    })
    .await;
    let outcomes: Vec<ScenarioOutcome> = results.into_iter().flatten().collect();
    RunResult {
        interrupted: ended.interrupted,
        unfinished: total - outcomes.len(),
        outcomes,
    }
}

/// How a streamed run ended.
#[derive(Debug, Clone, Copy)]
pub struct RunEnd {
    /// Whether the run was told to stop before every scenario finished.
    pub interrupted: bool,
    /// Scenarios not started, or cut off after the grace period.
    pub unfinished: usize,
}

/// Like [`run_until_keeping`], but hands each outcome to `on_done` with the index of
/// its trial as it finishes and keeps nothing: the caller decides what to hold, so a
/// run's memory need not grow with the scenarios it has finished. At most `jobs`
/// scenarios are started (and loaded) at once.
pub async fn run_streaming(
    trials: Vec<Trial>,
    jobs: usize,
    mut stop: tokio::sync::watch::Receiver<bool>,
    grace: Duration,
    keep: Keep,
    mut on_done: impl FnMut(usize, ScenarioOutcome),
) -> RunEnd {
    let total = trials.len();
    let mut waiting = trials.into_iter().enumerate();
    let mut set = JoinSet::new();
    // The trials in flight, by task, to report a task that panicked.
    let mut in_flight = std::collections::HashMap::new();
    let mut finished = 0;
    let mut interrupted = *stop.borrow();
    let mut listening = true;
    let mut deadline: Option<tokio::time::Instant> =
        interrupted.then(|| tokio::time::Instant::now() + grace);
    loop {
        while !interrupted && set.len() < jobs.max(1) {
            let Some((index, (file, ctx))) = waiting.next() else {
                break;
            };
            let stopped = stop.clone();
            let task = (file.clone(), Arc::clone(&ctx));
            let handle = set.spawn(async move {
                let outcome = match file.load() {
                    Ok(loaded) => run_scenario_keeping(&loaded, &ctx, Some(&stopped), keep).await,
                    Err(problem) => unloadable(&file, &ctx, problem.to_string()),
                };
                (index, outcome)
            });
            in_flight.insert(handle.id(), (index, task));
        }
        let joined = tokio::select! {
            joined = set.join_next_with_id() => match joined {
                Some(joined) => joined,
                None => break,
            },
            changed = stop.changed(), if !interrupted && listening => {
                match changed {
                    Ok(()) if *stop.borrow() => {
                        interrupted = true;
                        deadline = Some(tokio::time::Instant::now() + grace);
                    }
                    Ok(()) => {}
                    // A dropped sender can no longer ask to stop: stop listening, or
                    // this branch would be ready forever.
                    Err(_) => listening = false,
                }
                continue;
            }
            () = sleep_until(deadline), if deadline.is_some() => {
                set.abort_all();
                deadline = None;
                continue;
            }
        };
        match joined {
            Ok((id, (index, outcome))) => {
                in_flight.remove(&id);
                finished += 1;
                on_done(index, outcome);
            }
            // Cut off after the grace period: not finished, not reported.
            Err(e) if e.is_cancelled() => {
                in_flight.remove(&e.id());
            }
            // A panicking scenario task is a bug in gatecheck: report it as that
            // scenario's failure and keep the others going.
            Err(e) => {
                if let Some((index, (file, ctx))) = in_flight.remove(&e.id()) {
                    finished += 1;
                    let message = format!("internal error in gatecheck: {e}");
                    on_done(index, unloadable(&file, &ctx, message));
                }
            }
        }
    }
    RunEnd {
        interrupted,
        unfinished: total - finished,
    }
}

/// The outcome of a scenario that could not run: it could not be loaded again, or its
/// task failed. The failure points at its `steps:`.
fn unloadable(file: &ScenarioRef, ctx: &RunContext, message: String) -> ScenarioOutcome {
    let failure = Failure::new(file.steps_at, FailureKind::Other { message });
    ScenarioOutcome {
        id: file.id.clone(),
        name: ctx.masker.mask(file.name.clone()),
        file: file.path.clone(),
        target: ctx.api.target.clone(),
        steps: Vec::new(),
        snapshot: None,
        failures: vec![ctx.masker.mask(failure)],
        xfail: None,
        duration: std::time::Duration::ZERO,
    }
}

/// Waits until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
