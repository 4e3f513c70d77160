//! The executor: scenarios in parallel (bounded by `--jobs`), steps in order.
//!
//! Each request step goes through the runner's seams, as Hurl's does:
//! - [`build`]: the request from the step and the variables (pure);
//! - [`send`]: sending it, with rate-limit retries: the only module that does I/O for
//!   a request (`webhook_step` waits on the run's inbox, the other I/O);
//! - [`evaluate`]: checking the answer and taking captures (pure);
//! - [`failure`]: what went wrong, as located data; [`outcome`]: what is recorded,
//!   masked, for `report` to render.

mod build;
pub mod context;
mod evaluate;
pub mod failure;
pub mod outcome;
pub mod scenario;
mod send;
pub mod vars;
mod webhook_step;

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub use context::{RunContext, http_client};
pub use failure::{Failure, FailureKind, Subject};
pub use outcome::{ScenarioOutcome, StepOutcome, StepStatus};
pub use scenario::run_scenario;

use crate::spec::ScenarioFile;

/// One scenario to run with the context of its API on the chosen target.
pub type Trial = (Arc<ScenarioFile>, Arc<RunContext>);

/// Runs every trial, at most `jobs` at once, calling `on_done` as each finishes (for
/// progress output). Returns the outcomes in the order of `trials`.
pub async fn run_all(
    trials: Vec<Trial>,
    jobs: usize,
    mut on_done: impl FnMut(&ScenarioOutcome),
) -> Vec<ScenarioOutcome> {
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut set = JoinSet::new();
    let total = trials.len();
    let mut task_ids = std::collections::HashMap::new();
    let mut files = Vec::with_capacity(total);
    for (index, (file, ctx)) in trials.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        files.push((Arc::clone(&file), Arc::clone(&ctx)));
        let handle = set.spawn(async move {
            // The semaphore is never closed, so acquiring can only wait, not fail.
            let _permit = permits.acquire_owned().await.ok();
            (index, run_scenario(&file, &ctx).await)
        });
        task_ids.insert(handle.id(), index);
    }
    let mut results: Vec<Option<ScenarioOutcome>> = (0..total).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((index, outcome)) => {
                on_done(&outcome);
                results[index] = Some(outcome);
            }
            // A panicking scenario task is a bug in gatecheck: report it as that
            // scenario's failure and keep the others going.
            Err(e) => {
                if let Some(&index) = task_ids.get(&e.id()) {
                    let (file, ctx) = &files[index];
                    let failure = Failure::new(
                        file.key_span("steps"),
                        FailureKind::Other {
                            message: format!("internal error in gatecheck: {e}"),
                        },
                    );
                    let outcome = ScenarioOutcome {
                        id: file.id.clone(),
                        name: ctx.masker.mask(file.scenario.name.clone()),
                        file: file.path.clone(),
                        target: ctx.api.target.clone(),
                        steps: Vec::new(),
                        snapshot: None,
                        failures: vec![ctx.masker.mask(failure.in_source(&file.source))],
                        duration: std::time::Duration::ZERO,
                    };
                    on_done(&outcome);
                    results[index] = Some(outcome);
                }
            }
        }
    }
    results.into_iter().flatten().collect()
}
