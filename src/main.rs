//! The `gatecheck` command line: run, check, list, serve, review.
//!
//! Exit codes: 0 all passed (an expected failure, `xfail:`, included), 1 something
//! failed, 2 usage or scenario-file errors, 3 target unreachable, 4 nothing selected,
//! 130 interrupted.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anstream::{eprintln, println};
use clap::{Parser, Subcommand};

use gatecheck::project::Project;
use gatecheck::report::progress::{self, RunProgress};
use gatecheck::report::{self, console};
use gatecheck::review;
use gatecheck::sandbox::{
    BraintreeCredentials, ChargebeeSettings, Gateways, RapydSettings, Sandbox, SandboxConfig,
};
use gatecheck::snapshot::{SnapshotMode, store};
use gatecheck::spec::Diagnostic;

/// mimalloc rather than the system's allocator: a run makes and frees a few hundred
/// thousand small blocks (YAML trees, scenario models, decoded answers), on which
/// glibc's malloc and free spent a quarter of a `gatecheck run` process's instructions.
///
/// With transparent huge pages where the system offers them (mimalloc's default):
/// loading 300 scenarios touched ~2,900 fresh 4 KiB pages, and their faults were half
/// of the loading's CPU and a sixth of a short run's time. They cost resident memory
/// (peak at 10,000 scenarios ~75 MB rather than ~55 MB, within issue 13's 100 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Checks that a payment gateway's API behaves the way its documentation says.
#[derive(Parser)]
#[command(name = "gatecheck", version, about)]
struct Cli {
    /// The targets file (default: `gatecheck.yaml` here or in the nearest parent
    /// directory, as cargo finds `Cargo.toml`).
    #[arg(long, global = true, env = "GATECHECK_CONFIG")]
    config: Option<PathBuf>,
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
    /// Print the JSON Schema of scenario files (for editors); see `schema/`.
    Schema(SchemaArgs),
    /// Write a commented scenario to start from.
    New(NewArgs),
}

#[derive(clap::Args)]
struct NewArgs {
    /// The scenario file to write (e.g. `specs/braintree/customer/create.yaml`).
    path: PathBuf,
    /// The API it speaks (a key of `apis` in `gatecheck.yaml`).
    #[arg(long)]
    api: String,
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// The schema of the targets file (`gatecheck.yaml`) instead.
    #[arg(long, conflicts_with_all = ["known_differences", "fixture"])]
    targets: bool,
    /// The schema of a known-differences file (`diffs/<A>..<B>.yaml`) instead.
    #[arg(long, conflicts_with = "fixture")]
    known_differences: bool,
    /// The schema of a fixture file (steps scenarios include with `- use:`) instead.
    #[arg(long)]
    fixture: bool,
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
    /// Only part K of N of the suite (`2/4`), as for `run`.
    #[arg(long, value_parser = parse_partition)]
    partition: Option<(u64, u64)>,
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
    /// No live progress bar even on a terminal (as when the output is piped or `CI`
    /// is set).
    #[arg(long)]
    no_progress: bool,
    #[command(flatten)]
    vars: VarArgs,
}

/// Variables given from outside the suite's files.
#[derive(clap::Args, Clone, Default)]
struct VarArgs {
    /// A YAML file of variables (`name: value` a line), over the target's `vars`
    /// (repeatable: a later file wins). `${env:NAME}` reads the environment, and
    /// what it reads is masked as a secret.
    #[arg(long = "vars", value_name = "FILE", env = "GATECHECK_VARS")]
    files: Vec<PathBuf>,
    /// A variable scenarios read as `${NAME}` (repeatable), over the target's `vars`,
    /// `--vars` files and the scenario's own `vars`. `${env:NAME}` reads the
    /// environment, and what it reads is masked as a secret.
    #[arg(
        long = "var",
        value_name = "NAME=VALUE",
        value_parser = gatecheck::target::outside::parse_assignment
    )]
    assignments: Vec<gatecheck::target::outside::Assignment>,
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
    /// Only part K of N of the suite (`2/4`), split by a hash of each test id so that
    /// adding a file moves few others: for CI jobs in parallel.
    #[arg(long, value_parser = parse_partition)]
    partition: Option<(u64, u64)>,
    #[command(flatten)]
    vars: VarArgs,
}

/// Reads `K/N` with 1 ≤ K ≤ N.
fn parse_partition(text: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{text}` is not a partition: write K/N with 1 <= K <= N, e.g. 2/4");
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Whether test `id` is in part `k` of `n`: FNV-1a of the id, so the split is the same
/// on every machine and run.
fn in_partition(id: &str, (k, n): (u64, u64)) -> bool {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash % n == k - 1
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
    /// Stop at the first failed scenario: start no other; those in flight stop before
    /// their next step.
    #[arg(long)]
    fail_fast: bool,
    /// Print every step's request and answer (masked), passed or not.
    #[arg(long, short)]
    verbose: bool,
    /// No live progress bar even on a terminal: plain lines in a fixed order, failures
    /// at the end (as when the output is piped or `CI` is set).
    #[arg(long)]
    no_progress: bool,
    /// What to do with snapshot files no scenario refers to (left behind by renamed or
    /// removed scenarios): `warn`, `reject` (fail the run) or `delete`. Checked only
    /// when the whole suite is selected.
    #[arg(long, value_enum)]
    unreferenced: Option<Unreferenced>,
}

/// What `--unreferenced` does with snapshot files no scenario refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Unreferenced {
    /// List them.
    Warn,
    /// List them and fail the run.
    Reject,
    /// Remove them.
    Delete,
}

/// Applies `--unreferenced`; true when the run must fail for it.
fn check_unreferenced(
    project: &Project,
    plan: &gatecheck::project::Plan,
    select: &SelectArgs,
    what: Unreferenced,
) -> Result<bool, String> {
    let partial = !select.paths.is_empty()
        || select.filter.is_some()
        || !select.tag.is_empty()
        || select.partition.is_some();
    if partial {
        println!("unreferenced snapshots: not checked (only part of the suite was selected)");
        return Ok(false);
    }
    let dir = project.config.snapshots_dir();
    let referenced: std::collections::BTreeSet<PathBuf> = plan
        .runnable
        .iter()
        .chain(plan.skipped.iter().map(|(f, _)| f))
        .map(|f| store::snapshot_path(&dir, &f.relative))
        .collect();
    let stale = store::unreferenced(&dir, &referenced);
    if stale.is_empty() {
        return Ok(false);
    }
    match what {
        Unreferenced::Warn | Unreferenced::Reject => {
            let word = if what == Unreferenced::Warn {
                "warning"
            } else {
                "error"
            };
            println!(
                "{word}: {} snapshot file(s) no scenario refers to:",
                stale.len()
            );
            for path in &stale {
                println!("  {}", path.display());
            }
            Ok(what == Unreferenced::Reject)
        }
        Unreferenced::Delete => {
            for path in &stale {
                std::fs::remove_file(path)
                    .map_err(|e| format!("error: cannot delete {}: {e}", path.display()))?;
                println!("deleted unreferenced snapshot {}", path.display());
            }
            Ok(false)
        }
    }
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
    stop_switch().1
}

/// [`stop_on_signal`], with a handle to stop the run for other reasons too
/// (`--fail-fast`).
fn stop_switch() -> (
    std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    tokio::sync::watch::Receiver<bool>,
) {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let tx = std::sync::Arc::new(tx);
    let switch = std::sync::Arc::clone(&tx);
    // Listening starts here, before the run sends anything: a signal that came before
    // the spawned task first ran would otherwise end the process the default way.
    let mut signals = Signals::listen();
    tokio::spawn(async move {
        let mut stops = 0;
        while signals.next().await {
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
    (switch, rx)
}

/// Ctrl-C and SIGTERM, listened for from the moment [`Signals::listen`] is called.
struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Starts listening (inside the runtime); a signal that cannot be listened for is
    /// left to its default action.
    fn listen() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Signals {}
        }
    }

    /// Waits for the next Ctrl-C or SIGTERM; false when neither can be listened for.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            match (&mut self.interrupt, &mut self.terminate) {
                (Some(i), Some(t)) => tokio::select! {
                    c = i.recv() => c.is_some(),
                    t = t.recv() => t.is_some(),
                },
                (Some(i), None) => i.recv().await.is_some(),
                (None, Some(t)) => t.recv().await.is_some(),
                (None, None) => false,
            }
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.is_ok()
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = config_path(cli.config.as_deref());
    let result = match cli.command {
        Command::Serve(args) => runtime(Threads::All).and_then(|rt| rt.block_on(serve(args))),
        // No project needed: the schema is the program's, not the suite's.
        Command::Schema(args) => Ok(schema(&args)),
        Command::New(args) => new_scenario(&config, &args),
        Command::Review(args) => with_project(&config, |p| review_pending(p, args)),
        Command::Check(args) => with_vars(&config, &args.vars, |p| check(p, &args)),
        Command::List(args) => with_vars(&config, &args.vars, |p| list(p, &args)),
        Command::Run(args) => with_vars(&config, &args.select.vars.clone(), |p| {
            // The harness waits on the network far more than it computes (its loading
            // has threads of its own): on one thread no wake-up crosses threads, which
            // cost more than a second core gave (runs 1.1-1.4x faster against a local
            // gateway on 2 cores). The embedded gateway shares the process: it keeps
            // every core.
            let threads = if p.needs_embedded(&target_name(p, &args.select)) {
                Threads::All
            } else {
                Threads::One
            };
            runtime(threads)?.block_on(run(p, args))
        }),
        Command::Diff(args) => with_vars(&config, &args.vars.clone(), |p| {
            runtime(Threads::All)?.block_on(diff(p, args))
        }),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(USAGE)
        }
    }
}

/// How many threads a command's async runtime runs tasks on.
enum Threads {
    /// The calling thread only.
    One,
    /// One per core.
    All,
}

/// The async runtime a command runs on.
fn runtime(threads: Threads) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = match threads {
        Threads::One => tokio::runtime::Builder::new_current_thread(),
        Threads::All => tokio::runtime::Builder::new_multi_thread(),
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| format!("error: cannot start the async runtime: {e}"))
}

/// The targets file: the one named, else `gatecheck.yaml` in the working directory or
/// the nearest parent that has one (so gatecheck runs from anywhere in a project).
fn config_path(named: Option<&Path>) -> PathBuf {
    const NAME: &str = "gatecheck.yaml";
    if let Some(path) = named {
        return path.to_path_buf();
    }
    let here = std::env::current_dir().unwrap_or_default();
    here.ancestors()
        .map(|dir| dir.join(NAME))
        .find(|candidate| candidate.is_file())
        .map_or_else(|| PathBuf::from(NAME), |found| relative_to(&found, &here))
}

/// `path` relative to `base` when it is under it (messages stay short), else as is.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn with_project(
    config: &Path,
    f: impl FnOnce(&Project) -> Result<ExitCode, String>,
) -> Result<ExitCode, String> {
    let project = Project::load(config).map_err(|e| e.to_string())?;
    f(&project)
}

/// [`with_project`] with the variables given from outside: `--vars` files in order,
/// then each `--var`, each over those before it. Every problem of a file is printed.
fn with_vars(
    config: &Path,
    vars: &VarArgs,
    f: impl FnOnce(&Project) -> Result<ExitCode, String>,
) -> Result<ExitCode, String> {
    let mut project = Project::load(config).map_err(|e| e.to_string())?;
    let outside = &mut project.config.outside;
    for file in &vars.files {
        if let Err(problems) = outside.read_file(file) {
            print_diagnostics(&problems);
            return Err(format!(
                "{} problem(s) in variables file {}; nothing was sent",
                problems.len(),
                file.display()
            ));
        }
    }
    for assignment in &vars.assignments {
        outside.assign(assignment)?;
    }
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
fn select(
    project: &Project,
    args: &SelectArgs,
) -> Result<Kept<gatecheck::project::Plan>, ExitCode> {
    let plan = select_for(project, args, &target_name(project, args))?;
    warn_unread_vars(&args.vars, &plan.vars_named);
    Ok(plan)
}

/// What a command keeps until the process exits, never freed: a plan holds up to
/// KEEP_LOADED parsed scenarios, and freeing them one node at a time was 4 % of a run's
/// instructions and a fifth of `check`'s (most of it the allocator taking back pages of
/// the loading threads, which have ended), for memory the process's exit returns whole a
/// moment later.
type Kept<T> = std::mem::ManuallyDrop<T>;

/// [`select`] for `target`.
fn select_for(
    project: &Project,
    args: &SelectArgs,
    target: &str,
) -> Result<Kept<gatecheck::project::Plan>, ExitCode> {
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
    let selected = |f: &gatecheck::spec::ScenarioFile| {
        args.filter
            .as_ref()
            .is_none_or(|text| f.id.contains(text.as_str()))
            && (args.tag.is_empty() || f.scenario.tags.iter().any(|t| args.tag.contains(t)))
    };
    let (mut plan, errors) = project
        .load_plan(&args.paths, &target, &selected)
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(USAGE)
        })?;
    if !errors.is_empty() {
        print_diagnostics(&errors);
        eprintln!(
            "{} problem(s) in scenario files; nothing was sent",
            errors.len()
        );
        return Err(ExitCode::from(USAGE));
    }
    if plan.runnable.is_empty()
        && plan.skipped.is_empty()
        && (args.filter.is_some() || !args.tag.is_empty())
    {
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
    // An empty part of a small suite is normal in a CI matrix, as for nextest.
    if let Some(part) = args.partition {
        plan.runnable.retain(|f| in_partition(&f.id, part));
        plan.skipped.retain(|(f, _)| in_partition(&f.id, part));
    }
    Ok(Kept::new(plan))
}

/// Warns of each `--var` no selected scenario reads, which is likely misspelt (it would
/// change nothing). A `--vars` file is often shared by several runs: not warned of.
fn warn_unread_vars(vars: &VarArgs, named: &std::collections::BTreeSet<String>) {
    let known: Vec<&str> = named.iter().map(String::as_str).collect();
    let mut warned = std::collections::BTreeSet::new();
    for a in &vars.assignments {
        if !named.contains(&a.name) && warned.insert(a.name.as_str()) {
            eprintln!(
                "warning: --var {}: no selected scenario uses `${{{}}}`, so it changes nothing{}",
                a.name,
                a.name,
                gatecheck::suggest::did_you_mean(&a.name, &known)
            );
        }
    }
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
                let name = gatecheck::mask::Masker::default().text(&file.name);
                let mark = file
                    .xfail
                    .as_ref()
                    .map(|why| format!(" (xfail: {why})"))
                    .unwrap_or_default();
                println!("{}\t{name}{mark}", file.id);
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
    let started_at = std::time::SystemTime::now();
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
    let (switch, stop) = stop_switch();
    let fail_fast = args.fail_fast;
    let mut stopped_on_failure = false;
    let verbose = args.verbose;
    // The console and JUnit show only failed steps' exchanges (every step's with
    // --verbose); the JSON and HTML reports show every step.
    let keep = if verbose || args.json.is_some() || args.html.is_some() {
        gatecheck::run::Keep::Everything
    } else {
        gatecheck::run::Keep::Failures
    };
    // JUnit and JSON are written as scenarios finish; the HTML page is made at the
    // end, from every outcome in full.
    let mut report_errors = Vec::new();
    let mut junit = args
        .junit
        .as_deref()
        .map(report::junit::JunitStream::create)
        .and_then(|r| r.map_err(|e| report_errors.push(e)).ok());
    let mut json = args
        .json
        .as_deref()
        .map(report::JsonStream::create)
        .and_then(|r| r.map_err(|e| report_errors.push(e)).ok());
    let keep_passed = args.html.is_some();
    let mut finished: Vec<(usize, gatecheck::run::ScenarioOutcome)> = Vec::new();
    let mut progress = RunProgress::new(
        trials.iter().map(|(file, _)| file.id.as_str()),
        plan.skipped.len(),
        progress::live_wanted(args.no_progress),
        verbose,
    );
    let result = gatecheck::run::run_streaming(
        trials,
        jobs,
        stop,
        gatecheck::run::GRACE,
        keep,
        |index, mut o| {
            progress.finished(&o);
            // An expected failure (xfail) is not one to stop for.
            if fail_fast && o.failed() && !stopped_on_failure {
                stopped_on_failure = true;
                let _ = switch.send(true);
            }
            if let Some(stream) = &mut junit
                && let Err(e) = stream.add(index, &o)
            {
                report_errors.push(e);
                junit = None;
            }
            if let Some(stream) = &mut json
                && let Err(e) = stream.add(index, &o)
            {
                report_errors.push(e);
                json = None;
            }
            // What is said after the run needs a passing scenario's verdict only.
            if o.passed() && !keep_passed {
                o.steps = Vec::new();
            }
            finished.push((index, o));
        },
    )
    .await;
    progress.finish();
    finished.sort_unstable_by_key(|(index, _)| *index);
    let outcomes: Vec<gatecheck::run::ScenarioOutcome> =
        finished.into_iter().map(|(_, o)| o).collect();
    services.shutdown().await;
    let elapsed = started.elapsed();
    let failed: Vec<_> = outcomes.iter().filter(|o| o.failed()).collect();
    let unreachable = console::unreachable_notice(&outcomes, &target);
    if let Some(notice) = &unreachable {
        println!("\n{notice}");
    }
    // Scenarios stopped by an unreachable target are said once, above.
    let explained: Vec<_> = failed
        .iter()
        .filter(|o| o.unreachable().is_none())
        .collect();
    if !explained.is_empty() && progress.live() {
        // Each was shown whole as it failed: only the list, to find them again.
        println!("\nfailures (shown above):");
        for outcome in explained {
            println!("{}", console::progress_line(outcome));
        }
    } else if !explained.is_empty() {
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
            // Nothing ran to give the target's masker: card numbers are masked.
            name: gatecheck::mask::Masker::default().mask(file.name.clone()),
            file: file.path.clone(),
            target: target.clone(),
            reason: why.clone(),
        })
        .collect();
    // Reports are written before the summary, but a report that cannot be written
    // must not hide the results: the summary is printed either way.
    let meta = report::RunMeta {
        target: target.clone(),
        started: started_at,
        elapsed,
    };
    if let Some(stream) = junit
        && let Err(e) = stream.finish(&meta, &skipped)
    {
        report_errors.push(e);
    }
    if let Some(stream) = json
        && let Err(e) = stream.finish(&meta, &skipped)
    {
        report_errors.push(e);
    }
    if let Some(path) = &args.html
        && let Err(e) = report::diff::write(
            path,
            &report::html::run_page(&outcomes, &skipped, &target, elapsed),
        )
    {
        report_errors.push(e);
    }
    for e in &report_errors {
        eprintln!("error: {e}");
    }
    if let Some(list) = console::xfailed_list(&outcomes) {
        println!("\n{list}");
    }
    let cut_off: Vec<_> = outcomes.iter().filter(|o| o.cut_off()).collect();
    if !cut_off.is_empty() {
        println!("\nnot finished (the run was stopped):");
        for outcome in &cut_off {
            let why = outcome
                .all_failures()
                .find(|f| matches!(f.kind, gatecheck::run::FailureKind::Interrupted { .. }))
                .map(|f| f.kind.to_string())
                .unwrap_or_default();
            println!("  {}: {why}", outcome.id);
        }
    }
    if stopped_on_failure {
        println!(
            "\nstopped at the first failure (--fail-fast): {} scenario(s) not run",
            result.unfinished
        );
    } else if result.interrupted {
        println!(
            "\ninterrupted: {} scenario(s) finished, {} not finished",
            outcomes.len() - cut_off.len(),
            result.unfinished + cut_off.len()
        );
    }
    // Only a run that went to its end knows which snapshots the suite still uses.
    let stale = match args.unreferenced {
        Some(what) if !result.interrupted => {
            check_unreferenced(project, &plan, &args.select, what)?
        }
        _ => false,
    };
    println!("\n{}", console::summary(&outcomes, skipped.len(), elapsed));
    if result.interrupted && !stopped_on_failure {
        return Ok(ExitCode::from(INTERRUPTED));
    }
    Ok(if !report_errors.is_empty() {
        ExitCode::from(USAGE)
    } else if unreachable.is_some() {
        ExitCode::from(UNREACHABLE)
    } else if failed.is_empty() && !stale {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The scenario `gatecheck new` writes: every line a user is likely to change, with
/// the options they are likely to look for commented out next to it.
const NEW_SCENARIO: &str = r#"name: Say in a sentence what the documentation promises
api: __API__
description: The documentation sentence this scenario checks, and where it says so.
tags: [todo]
# vars:                               # scenario variables, read as ${name}
#   first_name: Ada
steps:
  - name: create something
    request:
      method: POST
      path: /replace/with/the/path     # under the target's base URL; ${vars} allowed
      # headers: { Idempotency-Key: "${uuid}" }
      body:                            # YAML, encoded in the API's wire format
        id: c-${run_id}                # ${run_id} is unique to each run
    expect:
      status: [200, 201]               # a code or a list of codes
      # json:                          # JSONPath -> value, or matchers
      #   $.id: { type: string }
      #   $.items: { length: 2 }
    # capture:                         # variables for the next steps
    #   created_id: $.id
    snapshot: true                     # compare the normalized answer with snapshots/
"#;

/// `gatecheck new`: writes [`NEW_SCENARIO`] to a file that does not exist yet.
fn new_scenario(config: &Path, args: &NewArgs) -> Result<ExitCode, String> {
    // An API the targets file does not know would only fail later, at `run`.
    let project = Project::load(config).ok();
    if let Some(project) = &project
        && !project.config.apis.contains_key(&args.api)
    {
        let names: Vec<&str> = project.config.apis.keys().map(String::as_str).collect();
        return Err(format!(
            "error: no API `{}` in {}{}; APIs are {}",
            args.api,
            project.config_path.display(),
            gatecheck::suggest::did_you_mean(&args.api, &names),
            names.join(", ")
        ));
    }
    if let Some(dir) = args.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    }
    let mut text = String::new();
    if let Some(line) = project
        .as_ref()
        .and_then(|p| schema_line(&p.config.root, &args.path))
    {
        text.push_str(&line);
    }
    text.push_str(&NEW_SCENARIO.replace("__API__", &args.api));
    // `create_new`: never overwrite a scenario someone wrote.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "error: {} already exists; gatecheck new does not overwrite",
                args.path.display()
            ),
            _ => format!("error: cannot write {}: {e}", args.path.display()),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("error: cannot write {}: {e}", args.path.display()))?;
    println!(
        "wrote {}; `gatecheck check {}` checks it",
        args.path.display(),
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The `yaml-language-server` line pointing a new file at the committed schema, when
/// the file is inside the project and the schema is there.
fn schema_line(root: &Path, file: &Path) -> Option<String> {
    // A targets file found in the working directory has an empty root.
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let root = root.canonicalize().ok()?;
    if !root.join(gatecheck::schema::SCENARIO_FILE).is_file() {
        return None;
    }
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let below = dir.canonicalize().ok()?;
    let depth = below.strip_prefix(&root).ok()?.components().count();
    Some(format!(
        "# yaml-language-server: $schema={}{}\n",
        "../".repeat(depth),
        gatecheck::schema::SCENARIO_FILE
    ))
}

fn schema(args: &SchemaArgs) -> ExitCode {
    let schema = if args.targets {
        gatecheck::schema::targets()
    } else if args.known_differences {
        gatecheck::schema::known_differences()
    } else if args.fixture {
        gatecheck::schema::fixture()
    } else {
        gatecheck::schema::scenario()
    };
    print!("{}", gatecheck::schema::to_text(&schema));
    ExitCode::SUCCESS
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
        serves: Gateways::ALL,
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

fn review_pending(project: &Project, args: ReviewArgs) -> Result<ExitCode, String> {
    let snapshots = project.config.snapshots_dir();
    // Written like the snapshot directory, so a pending file named here is matched with
    // the scenario that owns it.
    let dirs = if args.paths.is_empty() {
        vec![snapshots]
    } else {
        args.paths
            .iter()
            .map(|p| gatecheck::project::in_form_of(p, &snapshots))
            .collect()
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
    let pending = review::with_scenarios(
        pending,
        &project.config.specs_dir(),
        &project.config.snapshots_dir(),
    );
    let interactive = !args.accept && !args.reject && std::io::stdin().is_terminal();
    let mut answers: Box<dyn review::Answers> = if args.accept {
        Box::new(review::Always(review::Answer::Accept))
    } else if args.reject {
        Box::new(review::Always(review::Answer::Reject))
    } else if interactive {
        Box::new(review::Keys::terminal())
    } else {
        Box::new(review::Lines(std::io::stdin().lock()))
    };
    let mut out = anstream::stdout();
    let tally =
        review::review(&pending, answers.as_mut(), &mut out).map_err(|e| format!("error: {e}"))?;
    println!(
        "{} accepted, {} rejected, {} still pending{}",
        tally.accepted,
        tally.rejected,
        tally.pending,
        if tally.quit { " (quit)" } else { "" }
    );
    if tally.pending > 0 && !interactive {
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
        partition: args.partition,
        vars: args.vars.clone(),
    };
    let plan_a = match select_for(project, &select, a) {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    // Both targets plan the same files: said once.
    warn_unread_vars(&select.vars, &plan_a.vars_named);
    let plan_b = match select_for(project, &select, b) {
        Ok(plan) => plan,
        Err(code) => return Ok(code),
    };
    let (compared, skipped) =
        gatecheck::project::Plan::both(Kept::into_inner(plan_a), Kept::into_inner(plan_b));
    let known_path =
        gatecheck::diff::KnownDifferences::file_for(&project.config.root.join("diffs"), a, b);
    let known = gatecheck::diff::KnownDifferences::load(&known_path).map_err(|d| d.to_string())?;
    let started = Instant::now();
    // A comparison holds both targets' outcomes of every scenario anyway: the files
    // are all loaded.
    let loaded = |refs: &[gatecheck::spec::ScenarioRef]| -> Result<Vec<_>, String> {
        refs.iter()
            .map(|r| r.load().map_err(|d| d.to_string()))
            .collect()
    };
    let compared_files = loaded(&compared)?;
    let skipped_files: Vec<(Arc<gatecheck::spec::ScenarioFile>, String)> = skipped
        .iter()
        .map(|(r, why)| Ok((r.load().map_err(|d| d.to_string())?, why.clone())))
        .collect::<Result<_, String>>()?;
    let only = |files: &[gatecheck::spec::ScenarioRef]| gatecheck::project::Plan {
        runnable: files.to_vec(),
        ..Default::default()
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
        compared: compared_files,
        skipped: skipped_files,
        a: services_a.observing(),
        b: services_b.observing(),
        noise_runs: args.noise_runs,
        jobs,
    };
    let bar = progress::run_counter(plan.runs(), progress::live_wanted(args.no_progress));
    let mut counts = progress::Counts::default();
    let result = gatecheck::diff::run_diff(
        plan,
        (a, b),
        &known,
        stop_on_signal(),
        |o| {
            if let Some(bar) = &bar {
                progress::count_run(bar, &mut counts, o);
            }
        },
        |c| {
            // Comparisons come once every run has finished: the bar's work is done.
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            println!("{}", report::diff::progress_line(c));
        },
    )
    .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
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
    // A target that could not be reached is the run's problem, as for `run`.
    let unreachable = result.comparisons.iter().any(|c| {
        [&c.a, &c.b]
            .into_iter()
            .flatten()
            .any(|o| o.unreachable().is_some())
    });
    Ok(if result.interrupted {
        ExitCode::from(INTERRUPTED)
    } else if !report_errors.is_empty() {
        ExitCode::from(USAGE)
    } else if unreachable {
        ExitCode::from(UNREACHABLE)
    } else if result.fails_on_a_target() || (result.fails() && !args.accept) {
        // --accept records divergences; a scenario that failed on a target is not one.
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
