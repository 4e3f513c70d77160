//! The `gatecheck` command line: run, check, list, serve, review.
//!
//! Exit codes: 0 all passed, 1 something failed, 2 usage or scenario-file errors.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anstream::{eprintln, println};
use clap::{Parser, Subcommand};

use gatecheck::project::Project;
use gatecheck::report::{self, console};
use gatecheck::sandbox::{
    BraintreeCredentials, ChargebeeSettings, RapydSettings, Sandbox, SandboxConfig,
};
use gatecheck::snapshot::{SnapshotMode, store};
use gatecheck::spec::Diagnostic;

/// Checks that a payment gateway's API behaves the way its documentation says.
#[derive(Parser)]
#[command(name = "gatecheck", version, about)]
struct Cli {
    /// The targets file.
    #[arg(
        long,
        global = true,
        default_value = "gatecheck.yaml",
        env = "GATECHECK_CONFIG"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenarios against a target and report.
    Run(RunArgs),
    /// Check scenario files without sending anything.
    Check(SelectArgs),
    /// List the scenarios (test ids) a run would execute.
    List(SelectArgs),
    /// Run the embedded reference gateway alone.
    Serve(ServeArgs),
    /// Show pending snapshots and accept or reject them.
    Review(ReviewArgs),
    /// Run the suite on two targets and report where their answers differ.
    Diff(DiffArgs),
}

#[derive(clap::Args)]
struct DiffArgs {
    /// Scenario files or directories (default: the whole suite).
    paths: Vec<PathBuf>,
    /// The two targets, A then B (`--target embedded --target braintree-sandbox`).
    #[arg(long, short, required = true, num_args = 1)]
    target: Vec<String>,
    /// Only scenarios whose id contains this text.
    #[arg(long, short)]
    filter: Option<String>,
    /// Only scenarios with this tag (repeatable; any matches).
    #[arg(long)]
    tag: Vec<String>,
    /// Scenarios run at once (default: number of CPUs).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Extra runs on A whose differences are noise, not divergences.
    #[arg(long, default_value_t = 1)]
    noise_runs: usize,
    /// Append the new divergences to `diffs/<A>..<B>.yaml` for review.
    #[arg(long)]
    accept: bool,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a self-contained HTML page here (parity, matrix, both answers side by side).
    #[arg(long)]
    html: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SelectArgs {
    /// Scenario files or directories (default: the whole suite).
    paths: Vec<PathBuf>,
    /// The target (default: `default_target` of the targets file).
    #[arg(long, short)]
    target: Option<String>,
    /// Only scenarios whose id contains this text.
    #[arg(long, short)]
    filter: Option<String>,
    /// Only scenarios with this tag (repeatable; any matches).
    #[arg(long)]
    tag: Vec<String>,
}

#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Scenarios run at once (default: number of CPUs).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// check: compare (missing ones are written, except in CI); new: also write
    /// missing ones in CI; update: rewrite all. Default: `GATECHECK_UPDATE`
    /// (`new`, `update`), else check.
    #[arg(long, value_enum)]
    snapshots: Option<SnapshotMode>,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a self-contained HTML page here (pass/fail matrix, requests and answers).
    #[arg(long)]
    html: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, short, default_value_t = 0)]
    port: u16,
    /// Braintree merchant id.
    #[arg(long, default_value = "sandbox_merchant")]
    merchant_id: String,
    /// Braintree public key (basic-auth user name).
    #[arg(long, default_value = "sandbox_public")]
    public_key: String,
    /// Braintree private key (basic-auth password).
    #[arg(
        long,
        default_value = "sandbox_private",
        env = "GATECHECK_BRAINTREE_PRIVATE_KEY",
        hide_env_values = true
    )]
    private_key: String,
    /// Rapyd access key (the `access_key` header).
    #[arg(long, default_value = "sandbox_access")]
    rapyd_access_key: String,
    /// Rapyd secret key (signs requests and webhooks).
    #[arg(
        long,
        default_value = "sandbox_secret",
        env = "GATECHECK_RAPYD_SECRET_KEY",
        hide_env_values = true
    )]
    rapyd_secret_key: String,
    /// Where the Rapyd API posts its webhooks (none are sent when unset).
    #[arg(long)]
    rapyd_webhook_url: Option<String>,
    /// Chargebee API key (basic-auth user name, empty password).
    #[arg(
        long,
        default_value = "sandbox_api_key",
        env = "GATECHECK_CHARGEBEE_API_KEY",
        hide_env_values = true
    )]
    chargebee_api_key: String,
}

#[derive(clap::Args)]
struct ReviewArgs {
    /// Pending snapshot files or directories (default: the whole snapshot directory).
    paths: Vec<PathBuf>,
    /// Accept every pending snapshot shown, without asking.
    #[arg(long, conflicts_with = "reject")]
    accept: bool,
    /// Reject every pending snapshot shown, without asking.
    #[arg(long)]
    reject: bool,
}

/// Exit code for usage and scenario-file errors.
const USAGE: u8 = 2;
/// Exit code when the target could not be reached: not a verdict on the scenarios.
const UNREACHABLE: u8 = 3;
/// Exit code when `--filter`/`--tag` select nothing (as nextest's "no tests to run").
const NOTHING_SELECTED: u8 = 4;
/// Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report).
const INTERRUPTED: u8 = 130;

/// A signal that turns true on the first Ctrl-C or SIGTERM: the run stops starting
/// requests and reports what finished. A second one exits at once.
fn stop_on_signal() -> tokio::sync::watch::Receiver<bool> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let mut stops = 0;
        while interrupted().await {
            stops += 1;
            if stops > 1 {
                eprintln!("interrupted again: exiting now");
                std::process::exit(i32::from(INTERRUPTED));
            }
            eprintln!(
                "interrupted: no new requests; waiting up to {}s for those in flight (Ctrl-C again to exit now)",
                gatecheck::run::GRACE.as_secs()
            );
            let _ = tx.send(true);
        }
    });
    rx
}

/// Waits for Ctrl-C or SIGTERM; false when signals cannot be listened for.
async fn interrupted() -> bool {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return tokio::signal::ctrl_c().await.is_ok();
        };
        tokio::select! {
            c = tokio::signal::ctrl_c() => c.is_ok(),
            t = term.recv() => t.is_some(),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.is_ok()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let result = match cli.command {
        Command::Serve(args) => runtime.block_on(serve(args)),
        Command::Review(args) => with_project(&cli.config, |p| review(p, args)),
        Command::Check(args) => with_project(&cli.config, |p| check(p, &args)),
        Command::List(args) => with_project(&cli.config, |p| list(p, &args)),
        Command::Run(args) => with_project(&cli.config, |p| runtime.block_on(run(p, args))),
        Command::Diff(args) => with_project(&cli.config, |p| runtime.block_on(diff(p, args))),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(USAGE)
        }
    }
}

fn with_project(
    config: &Path,
    f: impl FnOnce(&Project) -> Result<ExitCode, String>,
) -> Result<ExitCode, String> {
    let project = Project::load(config).map_err(|e| e.to_string())?;
    f(&project)
}

fn target_name(project: &Project, args: &SelectArgs) -> String {
    args.target
        .clone()
        .unwrap_or_else(|| project.config.default_target.clone())
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}\n");
    }
}

/// Loads and filters the selected scenarios; file errors are printed and end the command.
fn select(project: &Project, args: &SelectArgs) -> Result<gatecheck::project::Plan, ExitCode> {
    select_for(project, args, &target_name(project, args))
}

/// [`select`] for `target`.
fn select_for(
    project: &Project,
    args: &SelectArgs,
    target: &str,
) -> Result<gatecheck::project::Plan, ExitCode> {
    let target = target.to_string();
    // Every problem of the target in one pass, before any scenario is read or sent.
    let problems = project.config.preflight(&target);
    if !problems.is_empty() {
        print_diagnostics(&problems);
        eprintln!(
            "{} problem(s) with target `{target}` in {}; nothing was sent",
            problems.len(),
            project.config_path.display()
        );
        return Err(ExitCode::from(USAGE));
    }
    let (files, errors) = project.load_scenarios(&args.paths, &target);
    if !errors.is_empty() {
        print_diagnostics(&errors);
        eprintln!(
            "{} problem(s) in scenario files; nothing was sent",
            errors.len()
        );
        return Err(ExitCode::from(USAGE));
    }
    let files = files
        .into_iter()
        .filter(|f| {
            args.filter
                .as_ref()
                .is_none_or(|text| f.id.contains(text.as_str()))
        })
        .filter(|f| args.tag.is_empty() || f.scenario.tags.iter().any(|t| args.tag.contains(t)))
        .collect::<Vec<_>>();
    if files.is_empty() && (args.filter.is_some() || !args.tag.is_empty()) {
        eprintln!(
            "error: no scenario matches{}{}: nothing to run",
            args.filter
                .as_ref()
                .map(|f| format!(" --filter {f:?}"))
                .unwrap_or_default(),
            if args.tag.is_empty() {
                String::new()
            } else {
                format!(" --tag {}", args.tag.join(" --tag "))
            }
        );
        return Err(ExitCode::from(NOTHING_SELECTED));
    }
    project.plan(files, &target).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(USAGE)
    })
}

fn check(project: &Project, args: &SelectArgs) -> Result<ExitCode, String> {
    Ok(match select(project, args) {
        Ok(plan) => {
            println!(
                "{} scenario(s) OK ({} for target `{}`)",
                plan.runnable.len() + plan.skipped.len(),
                plan.runnable.len(),
                target_name(project, args)
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    })
}

fn list(project: &Project, args: &SelectArgs) -> Result<ExitCode, String> {
    Ok(match select(project, args) {
        Ok(plan) => {
            for file in &plan.runnable {
                println!("{}\t{}", file.id, file.scenario.name);
            }
            for (file, why) in &plan.skipped {
                println!("{}\t(skipped: {why})", file.id);
            }
            ExitCode::SUCCESS
        }
        Err(code) => code,
    })
}

async fn run(project: &Project, args: RunArgs) -> Result<ExitCode, String> {
    let plan = match select(project, &args.select) {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    let target = target_name(project, &args.select);
    let started = Instant::now();
    let services = project
        .start_services(
            &plan,
            &target,
            match args.snapshots {
                Some(mode) => mode,
                None => SnapshotMode::from_env().map_err(|e| format!("error: {e}"))?,
            },
        )
        .await
        .map_err(|e| format!("error: {e}"))?;
    let embedded_url = services.embedded_url();
    let contexts = &services.contexts;
    let trials = plan.trials(contexts);
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(4, std::num::NonZero::get));
    println!(
        "gatecheck: {} scenario(s) on target `{target}`{}",
        plan.runnable.len(),
        embedded_url
            .as_deref()
            .map(|u| format!(" (embedded gateway at {u})"))
            .unwrap_or_default()
    );
    if let Some(webhooks) = &services.webhooks {
        // A public URL (a tunnel's) may carry a token: only the local address is shown.
        let local = format!("http://{}/", webhooks.addr());
        if webhooks.url().starts_with(&local) {
            println!("  webhooks received at {}", webhooks.url());
        } else {
            println!(
                "  webhooks received on {} (behind the target's webhooks.public_url)",
                webhooks.addr()
            );
        }
    }
    for (file, why) in &plan.skipped {
        println!("  skip {} ({why})", file.id);
    }
    let stop = stop_on_signal();
    // The console shows only failed steps' exchanges; the reports show every step.
    let keep = if args.junit.is_some() || args.json.is_some() || args.html.is_some() {
        gatecheck::run::Keep::Everything
    } else {
        gatecheck::run::Keep::Failures
    };
    let result =
        gatecheck::run::run_until_keeping(trials, jobs, stop, gatecheck::run::GRACE, keep, |o| {
            println!("{}", console::progress_line(o));
        })
        .await;
    let outcomes = result.outcomes;
    services.shutdown().await;
    let elapsed = started.elapsed();
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed()).collect();
    let unreachable = console::unreachable_notice(&outcomes, &target);
    if let Some(notice) = &unreachable {
        println!("\n{notice}");
    }
    // Scenarios stopped by an unreachable target are said once, above.
    let explained: Vec<_> = failed
        .iter()
        .filter(|o| o.unreachable().is_none())
        .collect();
    if !explained.is_empty() {
        println!("\nfailures:\n");
        for outcome in explained {
            println!("{}", console::failure_block(outcome));
        }
    }
    let skipped: Vec<gatecheck::run::SkippedScenario> = plan
        .skipped
        .iter()
        .map(|(file, why)| gatecheck::run::SkippedScenario {
            id: file.id.clone(),
            name: file.scenario.name.clone(),
            file: file.path.clone(),
            target: target.clone(),
            reason: why.clone(),
        })
        .collect();
    // Reports are written before the summary, but a report that cannot be written
    // must not hide the results: the summary is printed either way.
    let mut report_errors = Vec::new();
    if let Some(path) = &args.junit
        && let Err(e) = report::junit::write(path, &outcomes, &skipped, elapsed)
    {
        report_errors.push(e);
    }
    if let Some(path) = &args.json
        && let Err(e) = report::write_json(path, &outcomes, &skipped)
    {
        report_errors.push(e);
    }
    if let Some(path) = &args.html
        && let Err(e) =
            report::diff::write(path, &report::html::run_page(&outcomes, &target, elapsed))
    {
        report_errors.push(e);
    }
    for e in &report_errors {
        eprintln!("error: {e}");
    }
    if result.interrupted {
        println!(
            "\ninterrupted: {} scenario(s) finished, {} not run or cut off",
            outcomes.len(),
            result.unfinished
        );
    }
    println!("\n{}", console::summary(&outcomes, skipped.len(), elapsed));
    if result.interrupted {
        return Ok(ExitCode::from(INTERRUPTED));
    }
    Ok(if !report_errors.is_empty() {
        ExitCode::from(USAGE)
    } else if unreachable.is_some() {
        ExitCode::from(UNREACHABLE)
    } else if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn serve(args: ServeArgs) -> Result<ExitCode, String> {
    let config = SandboxConfig {
        braintree: BraintreeCredentials {
            merchant_id: args.merchant_id,
            public_key: args.public_key,
            private_key: args.private_key,
        },
        rapyd: RapydSettings {
            access_key: args.rapyd_access_key,
            secret_key: args.rapyd_secret_key,
            webhook_url: args.rapyd_webhook_url,
        },
        chargebee: ChargebeeSettings {
            api_key: args.chargebee_api_key,
        },
    };
    let merchant = config.braintree.merchant_id.clone();
    let public = config.braintree.public_key.clone();
    let rapyd_access = config.rapyd.access_key.clone();
    let sandbox = Sandbox::bind(config, ([127, 0, 0, 1], args.port).into())
        .await
        .map_err(|e| format!("error: cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    println!(
        "gatecheck reference gateway listening on {}",
        sandbox.base_url()
    );
    println!(
        "  braintree: {}/merchants/{merchant}/ (basic auth, public key `{public}`)",
        sandbox.base_url()
    );
    println!(
        "  rapyd:     {}/v1/ (signed requests, access key `{rapyd_access}`)",
        sandbox.base_url()
    );
    println!(
        "  chargebee: {}/api/v2/ (basic auth, API key as user name)",
        sandbox.base_url()
    );
    println!("press Ctrl-C to stop");
    let _ = std::io::stdout().flush();
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("error: cannot wait for Ctrl-C: {e}"))?;
    sandbox.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

fn review(project: &Project, args: ReviewArgs) -> Result<ExitCode, String> {
    let dirs = if args.paths.is_empty() {
        vec![project.config.snapshots_dir()]
    } else {
        args.paths.clone()
    };
    let mut pending = Vec::new();
    for dir in &dirs {
        if dir.is_dir() {
            pending.extend(store::pending_files(dir));
        } else if dir.to_string_lossy().ends_with(store::PENDING_EXT) && dir.exists() {
            pending.push(dir.clone());
        } else {
            return Err(format!(
                "error: {} is not a pending snapshot or a directory",
                dir.display()
            ));
        }
    }
    if pending.is_empty() {
        println!("no pending snapshots");
        return Ok(ExitCode::SUCCESS);
    }
    let interactive = !args.accept && !args.reject && std::io::stdin().is_terminal();
    let mut stdin = std::io::stdin().lock();
    let (mut accepted, mut rejected, mut kept) = (0, 0, 0);
    for path in &pending {
        let stored = store::stored_path(path);
        let old = std::fs::read_to_string(&stored).unwrap_or_default();
        let new = std::fs::read_to_string(path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        println!("{}", stored.display());
        println!(
            "{}",
            console::colour_diff(&store::diff(&old, &new, "stored", "pending"))
        );
        let choice = if args.accept {
            'a'
        } else if args.reject {
            'r'
        } else if interactive {
            print!("accept (a), reject (r), skip (s)? ");
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            stdin
                .read_line(&mut line)
                .map_err(|e| format!("error: cannot read the answer: {e}"))?;
            line.trim().chars().next().unwrap_or('s')
        } else {
            's'
        };
        match choice {
            'a' | 'A' => {
                store::accept(path).map_err(|e| format!("error: {e}"))?;
                accepted += 1;
            }
            'r' | 'R' => {
                store::reject(path).map_err(|e| format!("error: {e}"))?;
                rejected += 1;
            }
            _ => kept += 1,
        }
    }
    println!("{accepted} accepted, {rejected} rejected, {kept} still pending");
    if kept > 0 && !interactive {
        println!("pass --accept or --reject to decide without a terminal");
    }
    Ok(ExitCode::SUCCESS)
}

async fn diff(project: &Project, args: DiffArgs) -> Result<ExitCode, String> {
    let [a, b] = args.target.as_slice() else {
        return Err(format!(
            "error: diff compares two targets: give `--target A --target B` (got {})",
            args.target.len()
        ));
    };
    if a == b {
        return Err(format!(
            "error: diff compares two different targets; `{a}` was given twice (the A/A runs that measure noise happen anyway: `--noise-runs`)"
        ));
    }
    let select = SelectArgs {
        paths: args.paths.clone(),
        target: None,
        filter: args.filter.clone(),
        tag: args.tag.clone(),
    };
    let plan_a = match select_for(project, &select, a) {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    let plan_b = match select_for(project, &select, b) {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    let (compared, skipped) = gatecheck::project::Plan::both(plan_a, plan_b);
    let known_path =
        gatecheck::diff::KnownDifferences::file_for(&project.config.root.join("diffs"), a, b);
    let known = gatecheck::diff::KnownDifferences::load(&known_path).map_err(|d| d.to_string())?;
    let started = Instant::now();
    let only = |files: &[Arc<gatecheck::spec::ScenarioFile>]| gatecheck::project::Plan {
        runnable: files.to_vec(),
        skipped: Vec::new(),
    };
    let services_a = project
        .start_services(&only(&compared), a, SnapshotMode::Check)
        .await
        .map_err(|e| format!("error: target `{a}`: {e}"))?;
    let services_b = match project
        .start_services(&only(&compared), b, SnapshotMode::Check)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            services_a.shutdown().await;
            return Err(format!("error: target `{b}`: {e}"));
        }
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(4, std::num::NonZero::get));
    println!(
        "gatecheck diff: {} scenario(s), A `{a}` vs B `{b}` ({} A/A run(s) for noise)",
        compared.len() + skipped.len(),
        args.noise_runs
    );
    let plan = gatecheck::diff::DiffPlan {
        compared,
        skipped,
        a: services_a.observing(),
        b: services_b.observing(),
        noise_runs: args.noise_runs,
        jobs,
    };
    let result = gatecheck::diff::run_diff(plan, (a, b), &known, stop_on_signal(), |c| {
        println!("{}", report::diff::progress_line(c));
    })
    .await;
    services_a.shutdown().await;
    services_b.shutdown().await;
    let details: Vec<_> = result
        .comparisons
        .iter()
        .filter(|c| {
            !matches!(
                c.verdict,
                gatecheck::diff::Verdict::Same | gatecheck::diff::Verdict::Skipped
            )
        })
        .collect();
    if !details.is_empty() {
        println!("\ndifferences:\n");
        for c in details {
            println!("{}", report::diff::detail_block(c, a, b));
        }
    }
    let mut report_errors = Vec::new();
    if let Some(path) = &args.junit
        && let Err(e) = report::diff::junit(&result).and_then(|t| report::diff::write(path, &t))
    {
        report_errors.push(e);
    }
    if let Some(path) = &args.json
        && let Err(e) = report::diff::json(&result).and_then(|t| report::diff::write(path, &t))
    {
        report_errors.push(e);
    }
    if let Some(path) = &args.html
        && let Err(e) = report::diff::write(path, &report::html::diff_page(&result))
    {
        report_errors.push(e);
    }
    if args.accept {
        let new: Vec<gatecheck::diff::KnownDifference> = result
            .comparisons
            .iter()
            .flat_map(|c| {
                c.new_divergences()
                    .map(|(step, d)| gatecheck::diff::KnownDifference {
                        scenario: c.id.clone(),
                        step: (step.index + 1).to_string(),
                        path: d.path.clone(),
                        class: gatecheck::diff::Class::Known,
                        reason: "accepted with --accept: say why, or mark it `bug`".into(),
                    })
            })
            .collect();
        match known.append(&new) {
            Ok(()) if !new.is_empty() => println!(
                "{} new difference(s) appended to {} for review",
                new.len(),
                known_path.display()
            ),
            Ok(()) => {}
            Err(e) => report_errors.push(e),
        }
    }
    for e in &report_errors {
        eprintln!("error: {e}");
    }
    if result.interrupted {
        println!("\ninterrupted: not every scenario was compared");
    }
    println!(
        "\n{} in {:.2}s\n{}",
        "gatecheck diff done",
        started.elapsed().as_secs_f64(),
        report::diff::summary(&result)
    );
    Ok(if result.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if !report_errors.is_empty() {
        ExitCode::from(USAGE)
    } else if result.fails() && !args.accept {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
