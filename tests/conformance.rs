//! The conformance suite: every scenario under `specs/` is its own test, run against
//! the embedded reference gateway (or `GATECHECK_TARGET`), through libtest-mimic.
//!
//! `cargo test -- add_card`, `--list`, `--exact`, `--ignored` behave as cargo users
//! expect. Listing starts no server and prints nothing but the list, so nextest can
//! drive this harness too. Snapshot mode comes from `GATECHECK_UPDATE`, the targets
//! file from `GATECHECK_CONFIG` (default: the repository's `gatecheck.yaml`), the
//! target from `GATECHECK_TARGET` (default: the file's `default_target`), variables
//! from outside the suite from the `GATECHECK_VARS` file (as `gatecheck run --vars`).
//!
//! A scenario file that does not load is one failing test named after it, with its
//! located message; the others still run.
//!
//! A scenario not run (`skip:`, or an API the target does not serve) is an ignored
//! test, `ignored (<reason>)`: cargo counts it as ignored, `--list --ignored` lists it
//! and nextest skips it. `--ignored` and `--include-ignored` do not send it either. A
//! scenario that fails as its `xfail:` expects ends `ignored (xfail: <reason>)`; one
//! that passes despite it fails (`XPASS`).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

use gatecheck::project::Project;
use gatecheck::report::TestVerdict;
use gatecheck::snapshot::SnapshotMode;

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = std::env::var_os("GATECHECK_CONFIG")
        .map_or_else(|| root.join("gatecheck.yaml"), |p| root.join(p));
    let mode = match SnapshotMode::from_env() {
        Ok(mode) => mode,
        Err(e) => return fail_setup(&e),
    };
    let mut project = match Project::load(&config) {
        Ok(p) => p,
        Err(e) => return fail_setup(&e.to_string()),
    };
    if let Some(vars) = std::env::var_os("GATECHECK_VARS")
        && let Err(problems) = project.config.outside.read_file(&root.join(vars))
    {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return fail_setup(&text.join("\n\n"));
    }
    let target =
        std::env::var("GATECHECK_TARGET").unwrap_or_else(|_| project.config.default_target.clone());
    let problems = project.config.preflight(&target);
    if !problems.is_empty() {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return fail_setup(&text.join("\n\n"));
    }
    let specs = project.config.specs_dir();
    // nextest runs each test in its own process with `--exact <id>`: that process
    // loads only the file the id names, makes only that scenario of it (not the
    // file's other cases) and so starts only what that scenario needs. Any other
    // filter loads all; an id no file matches is looked for in all.
    let exact = args.filter.as_deref().filter(|_| args.exact);
    let (files, errors) = match exact {
        Some(id) => project.load_scenario(&files_for_id(&specs, id), &target, id),
        None => project.load_scenarios(&[], &target),
    };
    // Each broken file becomes one failing test, named as its scenario would be.
    let mut broken: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for e in &errors {
        let relative = e.file.strip_prefix(&specs).unwrap_or(&e.file);
        broken
            .entry(gatecheck::spec::load::scenario_id(relative))
            .or_default()
            .push(e.to_string());
    }
    let plan = match project.plan(files, &target) {
        Ok(plan) => plan,
        Err(e) => return fail_setup(&e.to_string()),
    };

    // The runtime and the gateway are needed only when something will run.
    // nextest runs one test a process (`--exact <id>`): that test runs on the main
    // thread with the gateway on the same one, as threads would only hand it work.
    let single = exact.is_some();
    if single {
        args.test_threads = Some(1);
    }
    let runtime = if single {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build();
    let runtime = match runtime {
        Ok(rt) => Arc::new(rt),
        Err(e) => return fail_setup(&format!("cannot start the async runtime: {e}")),
    };
    let mut services = None;
    let mut contexts = Default::default();
    if !args.list && !plan.runnable.is_empty() {
        match runtime.block_on(project.start_services(&plan, &target, mode)) {
            Ok(s) => {
                contexts = s.contexts.clone();
                services = Some(s);
            }
            Err(e) => return fail_setup(&e),
        }
    }
    let contexts = Arc::new(contexts);

    let mut trials = Vec::new();
    for file in &plan.runnable {
        let runtime = Arc::clone(&runtime);
        let file = file.clone();
        let contexts = Arc::clone(&contexts);
        trials.push(Trial::ignorable_test(file.id.clone(), move || {
            let ctx = contexts
                .get(&file.api)
                .ok_or_else(|| Failed::from("no run context for this api"))?;
            let file = file.load().map_err(|d| Failed::from(d.to_string()))?;
            // A test shows only a failed step's exchange: a passing step's is not kept.
            let outcome = runtime.block_on(gatecheck::run::run_scenario_keeping(
                &file,
                ctx,
                None,
                gatecheck::run::Keep::Failures,
            ));
            match gatecheck::report::test_verdict(&outcome) {
                TestVerdict::Passed => Ok(Completion::Completed),
                TestVerdict::Ignored(why) => Ok(Completion::ignored_with(why)),
                TestVerdict::Failed(text) => Err(text.into()),
            }
        }));
    }
    for (id, messages) in broken {
        let text = messages.join("\n\n");
        trials.push(Trial::test(id, move || Err(text.clone().into())));
    }
    // A skipped scenario is never sent: its trial ends `ignored (<reason>)`, which cargo
    // counts as ignored. It is also flagged ignored where the flag is what is read:
    // in listings (so nextest skips it, as an `#[ignore]` test) and under `--ignored`
    // (which runs only flagged trials). Flagged in a plain run, libtest would print
    // `ignored` without the reason.
    let flagged = args.list || args.ignored || args.include_ignored;
    for (file, why) in &plan.skipped {
        let why = why.clone();
        trials.push(
            Trial::ignorable_test(file.id.clone(), move || Ok(Completion::ignored_with(why)))
                .with_ignored_flag(flagged),
        );
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if let Some(s) = services {
        runtime.block_on(s.shutdown());
    }
    conclusion.exit_code()
}

/// The scenario files a test id can come from: `a::b::c` is `a/b/c.yaml` (or `.yml`),
/// or case `c` of `a/b.yaml`. Only files that exist are returned.
fn files_for_id(specs: &Path, id: &str) -> Vec<std::path::PathBuf> {
    let parts: Vec<&str> = id.split("::").collect();
    // A part that could leave the suite directory names no file of it.
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains(['/', '\\']))
    {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    for len in [parts.len(), parts.len() - 1] {
        if len == 0 {
            continue;
        }
        let stem: std::path::PathBuf = parts[..len].iter().collect();
        for ext in ["yaml", "yml"] {
            // Appended, not `with_extension`: an id may itself contain a dot.
            let mut name = stem.clone().into_os_string();
            name.push(".");
            name.push(ext);
            let path = specs.join(name);
            if path.is_file() {
                candidates.push(path);
            }
        }
    }
    candidates
}

fn fail_setup(message: &str) -> ExitCode {
    eprintln!("conformance suite cannot start:\n{message}");
    ExitCode::FAILURE
}
