//! Throughput of the whole loop: the suite under `specs/` against the embedded gateway,
//! repeated, printing scenarios and requests per second and scenario latency
//! percentiles. Run with `cargo bench --bench suite` (`GATECHECK_BENCH_ROUNDS=N` to
//! change the number of rounds).

use std::path::Path;
use std::time::{Duration, Instant};

use gatecheck::project::Project;
use gatecheck::snapshot::SnapshotMode;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() -> Result<(), String> {
    let rounds: usize = std::env::var("GATECHECK_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::load(&root.join("gatecheck.yaml")).map_err(|e| e.to_string())?;
    let (files, errors) = project.load_scenarios(&[], "embedded");
    if !errors.is_empty() {
        return Err(format!("{errors:?}"));
    }
    let plan = project.plan(files, "embedded").map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    // The webhook receiver, the embedded gateway and the contexts, as `gatecheck run`
    // starts them. Snapshots are compared, never written: the bench must not touch the
    // working tree.
    let services =
        runtime.block_on(project.start_services(&plan, "embedded", SnapshotMode::Check))?;
    let contexts = services.contexts.clone();
    let jobs = std::thread::available_parallelism().map_or(2, std::num::NonZero::get) * 4;
    let requests_per_round: usize = plan
        .runnable
        .iter()
        .map(|f| {
            let file = f.load().map_err(|d| d.to_string())?;
            Ok::<usize, String>(
                file.scenario
                    .steps
                    .iter()
                    .filter(|s| matches!(s.action, gatecheck::spec::model::Action::Request { .. }))
                    .count(),
            )
        })
        .sum::<Result<usize, String>>()?;

    let mut durations = Vec::new();
    let started = Instant::now();
    for _ in 0..rounds {
        let trials = plan.trials(&contexts);
        let outcomes = runtime.block_on(gatecheck::run::run_all(trials, jobs, |_| {}));
        if let Some(bad) = outcomes.iter().find(|o| !o.passed()) {
            return Err(format!(
                "{} failed during the bench:\n{}",
                bad.id,
                gatecheck::report::failure_text(bad)
            ));
        }
        durations.extend(outcomes.iter().map(|o| o.duration));
    }
    let elapsed = started.elapsed();
    runtime.block_on(services.shutdown());
    durations.sort();
    let scenarios = durations.len();
    let secs = elapsed.as_secs_f64();
    println!(
        "suite: {} scenarios, {requests_per_round} requests per round, {rounds} rounds, {jobs} jobs",
        plan.runnable.len()
    );
    println!(
        "total: {secs:.3}s  {:.0} scenarios/s  {:.0} requests/s",
        scenarios as f64 / secs,
        (requests_per_round * rounds) as f64 / secs
    );
    println!(
        "scenario latency: p50 {:?}  p95 {:?}  max {:?}",
        percentile(&durations, 0.5),
        percentile(&durations, 0.95),
        percentile(&durations, 1.0)
    );
    Ok(())
}
