//! A project: its `gatecheck.yaml`, its suite, and turning them into runnable trials.
//! The CLI and `tests/conformance.rs` both go through here, so they plan alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::run::{RunContext, Trial};
use crate::sandbox::{Gateways, Sandbox, SandboxConfig};
use crate::snapshot::SnapshotMode;
use crate::spec::load::check_webhook_signatures;
use crate::spec::load::{Wanted, load_suite_with};
use crate::spec::{Diagnostic, ScenarioFile, ScenarioRef, check_vars};
use crate::target::auth::Auth;
use crate::target::{Config, ConfigError};
use crate::webhook::WebhookReceiver;

/// The API label under which the embedded gateway serves Braintree's XML API.
const EMBEDDED_BRAINTREE: &str = "braintree";
/// The API label under which the embedded gateway serves Chargebee's form API.
const EMBEDDED_CHARGEBEE: &str = "chargebee";
/// The API label under which the embedded gateway serves Rapyd's signed JSON API.
const EMBEDDED_RAPYD: &str = "rapyd";

/// The first step of `file` that would write (any method but GET, HEAD, OPTIONS).
fn first_write(file: &ScenarioFile) -> Option<(usize, &'static str)> {
    file.scenario
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, step)| match &step.action {
            crate::spec::model::Action::Request { request, .. } => {
                let method = request.method.as_str();
                (!matches!(method, "GET" | "HEAD" | "OPTIONS")).then_some((i, method))
            }
            crate::spec::model::Action::Webhook(_) => None,
        })
}

/// Why `target` does not run `file`, if it does not: it does not serve the API, it
/// is read-only and the scenario writes, or the scenario says `skip: <reason>`.
fn skip_reason(
    profile: &crate::target::TargetProfile,
    target: &str,
    file: &ScenarioFile,
) -> Option<String> {
    if let Some((index, method)) = profile.read_only.then(|| first_write(file)).flatten() {
        return Some(format!(
            "target `{target}` is read_only and step {} sends {method}",
            index + 1
        ));
    }
    if !profile.apis.contains_key(&file.scenario.api) {
        return Some(format!(
            "target `{target}` does not serve api `{}`",
            file.scenario.api
        ));
    }
    // The scenario's own `skip:` is said as written (masked: it is free text).
    file.scenario
        .skip
        .as_ref()
        .map(|reason| crate::mask::Masker::default().text(&reason.value.0))
}

/// A loaded `gatecheck.yaml`.
#[derive(Debug, Clone)]
pub struct Project {
    /// The parsed file.
    pub config: Config,
    /// Where it was read from.
    pub config_path: PathBuf,
}

/// A scenario not run, and why.
pub type Skipped = (ScenarioRef, String);

/// How many scenarios a plan keeps loaded (parsed) from the check to the run; the
/// others are loaded again just before they run. Parsing a file costs about as much
/// CPU as running its scenario, so small suites (and the start of large ones) are
/// parsed once; holding every parsed scenario (tens of KB each) would make a run's
/// memory grow with its suite.
pub const KEEP_LOADED: usize = 512;

/// Scenarios split by whether the chosen target serves their API.
#[derive(Debug, Default)]
pub struct Plan {
    /// Scenarios to run.
    pub runnable: Vec<ScenarioRef>,
    /// Scenarios not run (the target does not serve their API or may not be written
    /// to, or they say `skip:`), with the reason.
    pub skipped: Vec<Skipped>,
    /// Every variable name the planned scenarios read or define (see
    /// [`crate::spec::load::vars_named`]); filled by [`Project::load_plan`] only.
    pub vars_named: BTreeSet<String>,
}

impl Plan {
    /// The runnable scenarios paired with the context of their API.
    pub fn trials(&self, contexts: &BTreeMap<String, Arc<RunContext>>) -> Vec<Trial> {
        self.runnable
            .iter()
            .filter_map(|f| contexts.get(&f.api).map(|c| (f.clone(), Arc::clone(c))))
            .collect()
    }

    /// Splits two targets' plans of one suite: the scenarios both run, and the others
    /// with the reason one target gives.
    pub fn both(a: Plan, b: Plan) -> (Vec<ScenarioRef>, Vec<Skipped>) {
        let runs_on_b: BTreeSet<&str> = b.runnable.iter().map(|f| f.id.as_str()).collect();
        let mut compared = Vec::new();
        let mut skipped = a.skipped;
        for file in a.runnable {
            if runs_on_b.contains(file.id.as_str()) {
                compared.push(file);
            } else if let Some((_, why)) = b.skipped.iter().find(|(f, _)| f.id == file.id) {
                skipped.push((file, why.clone()));
            }
        }
        (compared, skipped)
    }

    /// Whether a scenario to run needs the webhook receiver.
    pub fn uses_webhooks(&self) -> bool {
        self.runnable.iter().any(ScenarioRef::uses_webhooks)
    }
}

/// What a run needs running while its scenarios run: the webhook receiver (when a
/// scenario waits for webhooks), the embedded gateway (for an embedded target), and
/// one run context per API.
#[derive(Debug)]
pub struct Services {
    /// The run's webhook receiver.
    pub webhooks: Option<WebhookReceiver>,
    /// The embedded reference gateway.
    pub sandbox: Option<Sandbox>,
    /// One run context per API the plan uses.
    pub contexts: BTreeMap<String, Arc<RunContext>>,
}

impl Services {
    /// The embedded gateway's base URL, when it runs.
    pub fn embedded_url(&self) -> Option<String> {
        self.sandbox.as_ref().map(Sandbox::base_url)
    }

    /// The run contexts, each recording what its steps see, for comparing targets.
    pub fn observing(&self) -> BTreeMap<String, Arc<RunContext>> {
        self.contexts
            .iter()
            .map(|(api, ctx)| {
                let mut ctx = RunContext::clone(ctx);
                ctx.observe = true;
                (api.clone(), Arc::new(ctx))
            })
            .collect()
    }

    /// Stops what was started.
    pub async fn shutdown(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown().await;
        }
        if let Some(webhooks) = self.webhooks {
            webhooks.shutdown().await;
        }
    }
}

impl Project {
    /// Reads `gatecheck.yaml`.
    pub fn load(config_path: &Path) -> Result<Project, ConfigError> {
        Ok(Project {
            config: Config::load(config_path)?,
            config_path: config_path.to_path_buf(),
        })
    }

    /// Loads the scenarios under `paths` (the whole suite when empty) and checks each
    /// one against the API profiles and the target's variables. Returns the scenarios
    /// that are fine and every problem found.
    pub fn load_scenarios(
        &self,
        paths: &[PathBuf],
        target: &str,
    ) -> (Vec<ScenarioFile>, Vec<Diagnostic>) {
        self.load_wanted(paths, target, Wanted::All)
    }

    /// [`Project::load_scenarios`], making only the scenario whose test id is `id`:
    /// what a process that runs one test needs. The files it may come from are
    /// checked whole (a broken one is reported); what is checked per scenario (its
    /// variables, its API's profile) is checked for that scenario alone.
    pub fn load_scenario(
        &self,
        paths: &[PathBuf],
        target: &str,
        id: &str,
    ) -> (Vec<ScenarioFile>, Vec<Diagnostic>) {
        self.load_wanted(paths, target, Wanted::Id(id))
    }

    fn load_wanted(
        &self,
        paths: &[PathBuf],
        target: &str,
        wanted: Wanted<'_>,
    ) -> (Vec<ScenarioFile>, Vec<Diagnostic>) {
        let (root, paths) = self.suite_paths(paths);
        load_suite_with(&paths, &root, wanted, &|file| {
            self.problems(&file, target).map_or(Ok(Some(file)), Err)
        })
    }

    /// [`Project::load_scenarios`] and [`Project::plan`] in one pass, keeping the
    /// scenarios `selected` accepts: each is checked as it loads, and the plan keeps at
    /// most [`KEEP_LOADED`] of them parsed, so planning a large suite never holds it
    /// whole. Returns the plan and every problem found.
    pub fn load_plan(
        &self,
        paths: &[PathBuf],
        target: &str,
        selected: &(dyn Fn(&ScenarioFile) -> bool + Sync),
    ) -> Result<(Plan, Vec<Diagnostic>), ConfigError> {
        let profile = self.config.target(target)?;
        let (root, paths) = self.suite_paths(paths);
        let shared_root: Arc<Path> = Arc::from(root.as_path());
        let kept = std::sync::atomic::AtomicUsize::new(0);
        let named = std::sync::Mutex::new(BTreeSet::new());
        let (planned, errors) = load_suite_with(&paths, &root, Wanted::All, &|file| {
            if let Some(problems) = self.problems(&file, target) {
                return Err(problems);
            }
            if !selected(&file) {
                return Ok(None);
            }
            if let Ok(mut named) = named.lock() {
                named.extend(crate::spec::load::vars_named(&file));
            }
            let why = skip_reason(profile, target, &file);
            let keep = why.is_none()
                && kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < KEEP_LOADED;
            Ok(Some((
                ScenarioRef::new(file, Arc::clone(&shared_root), keep),
                why,
            )))
        });
        let mut plan = Plan {
            vars_named: named.into_inner().unwrap_or_default(),
            ..Plan::default()
        };
        for (entry, why) in planned {
            match why {
                Some(why) => plan.skipped.push((entry, why)),
                None => plan.runnable.push(entry),
            }
        }
        Ok((plan, errors))
    }

    /// The suite root, and the paths to load under it (the whole suite when none).
    fn suite_paths(&self, paths: &[PathBuf]) -> (PathBuf, Vec<PathBuf>) {
        let root = self.config.specs_dir();
        let paths = if paths.is_empty() {
            vec![root.clone()]
        } else {
            paths.iter().map(|p| in_form_of(p, &root)).collect()
        };
        (root, paths)
    }

    /// What is wrong with a loaded scenario for `target`: an API without a profile,
    /// an undefined variable, a signature check the target cannot make.
    fn problems(&self, file: &ScenarioFile, target: &str) -> Option<Vec<Diagnostic>> {
        let api = &file.scenario.api;
        if !self.config.apis.contains_key(api) {
            let known: Vec<&str> = self.config.apis.keys().map(String::as_str).collect();
            let at = file
                .tree
                .entry("api")
                .map_or(file.tree.span, |(k, _)| k.span);
            return Some(vec![
                file.diagnostic_at(
                    at,
                    format!(
                        "api `{api}` has no profile in {}",
                        self.config_path.display()
                    ),
                )
                .with_help(format!(
                    "use one of: {}{}, or add `{api}` under `apis:`",
                    known.join(", "),
                    crate::suggest::did_you_mean(api, &known)
                )),
            ]);
        }
        let vars: BTreeSet<String> = self.var_names(target, api);
        let mut problems = check_vars(file, &vars);
        if let Some(auth) = self
            .config
            .targets
            .get(target)
            .and_then(|t| t.apis.get(api))
            .map(|a| &a.auth)
            && !auth.verifies_webhooks()
        {
            problems.extend(check_webhook_signatures(file, auth.scheme()));
        }
        (!problems.is_empty()).then_some(problems)
    }

    /// Variables known for `api` at load time: the target's when it serves the API,
    /// else those of every target that does (the scenario is skipped there anyway).
    fn var_names(&self, target: &str, api: &str) -> BTreeSet<String> {
        let serves = |t: &str| {
            self.config
                .targets
                .get(t)
                .is_some_and(|p| p.apis.contains_key(api))
        };
        if serves(target) {
            return self.config.var_names(target, api).into_iter().collect();
        }
        self.config
            .targets
            .keys()
            .filter(|t| serves(t))
            .flat_map(|t| self.config.var_names(t, api))
            .collect()
    }

    /// Splits scenarios by whether `target` serves their API, keeping them all loaded.
    pub fn plan(&self, files: Vec<ScenarioFile>, target: &str) -> Result<Plan, ConfigError> {
        let profile = self.config.target(target)?;
        let mut plan = Plan::default();
        for file in files {
            let why = skip_reason(profile, target, &file);
            let entry = ScenarioRef::from(Arc::new(file));
            match why {
                Some(why) => plan.skipped.push((entry, why)),
                None => plan.runnable.push(entry),
            }
        }
        Ok(plan)
    }

    /// Whether `target` needs the embedded reference gateway.
    pub fn needs_embedded(&self, target: &str) -> bool {
        self.config.targets.get(target).is_some_and(|t| t.embedded)
    }

    /// The embedded gateway's settings for `target`: the credentials and merchant id the
    /// target's `braintree` API uses, the API key its `chargebee` API uses and the keys
    /// its `rapyd` API uses, so `gatecheck.yaml` is the one place to change them; the
    /// documented defaults otherwise.
    pub fn sandbox_config(&self, target: &str) -> SandboxConfig {
        let mut config = SandboxConfig::default();
        let resolve = |api: &str| {
            self.config
                .resolve(target, api, Some("http://embedded"))
                .ok()
        };
        if let Some(api) = resolve(EMBEDDED_BRAINTREE) {
            if let Auth::Basic { username, password } = &api.auth {
                config.braintree.public_key.clone_from(username);
                config.braintree.private_key.clone_from(password);
            }
            if let Some(serde_json::Value::String(merchant)) = api.vars.get("merchant_id") {
                config.braintree.merchant_id.clone_from(merchant);
            }
        }
        // Chargebee's API key is the basic-auth user name (the password is empty).
        if let Some(api) = resolve(EMBEDDED_CHARGEBEE)
            && let Auth::Basic { username, .. } = &api.auth
        {
            config.chargebee.api_key.clone_from(username);
        }
        if let Some(api) = resolve(EMBEDDED_RAPYD)
            && let Auth::Rapyd {
                access_key,
                secret_key,
            } = &api.auth
        {
            config.rapyd.access_key.clone_from(access_key);
            config.rapyd.secret_key.clone_from(secret_key);
        }
        config
    }

    /// Starts what running `plan` on `target` needs, in order: the webhook receiver
    /// first (when a scenario uses webhooks), so that the embedded gateway, started
    /// next (for an embedded target), is told where to send them; then the run
    /// contexts. Nothing is started for an empty plan.
    pub async fn start_services(
        &self,
        plan: &Plan,
        target: &str,
        mode: SnapshotMode,
    ) -> Result<Services, String> {
        let mut services = Services {
            webhooks: None,
            sandbox: None,
            contexts: BTreeMap::new(),
        };
        if plan.runnable.is_empty() {
            return Ok(services);
        }
        match self.start_into(&mut services, plan, target, mode).await {
            Ok(()) => Ok(services),
            Err(e) => {
                // What did start is stopped again: nothing outlives a failed start.
                services.shutdown().await;
                Err(e)
            }
        }
    }

    async fn start_into(
        &self,
        services: &mut Services,
        plan: &Plan,
        target: &str,
        mode: SnapshotMode,
    ) -> Result<(), String> {
        if plan.uses_webhooks() {
            let (listen, public_url) = self
                .config
                .webhook_listen(target)
                .map_err(|e| e.to_string())?;
            let receiver = WebhookReceiver::start(listen, public_url)
                .await
                .map_err(|e| format!("cannot start the webhook receiver on {listen}: {e}"))?;
            services.webhooks = Some(receiver);
        }
        if self.needs_embedded(target) {
            let mut config = self.sandbox_config(target);
            config.serves = Gateways::named(plan.runnable.iter().map(|s| s.api.as_str()));
            config.rapyd.webhook_url = services.webhooks.as_ref().map(|w| w.url().to_string());
            let sandbox = Sandbox::start(config)
                .await
                .map_err(|e| format!("cannot start the embedded gateway: {e}"))?;
            services.sandbox = Some(sandbox);
        }
        let embedded_url = services.embedded_url();
        services.contexts = self.contexts(
            plan,
            target,
            embedded_url.as_deref(),
            mode,
            services.webhooks.as_ref(),
        )?;
        Ok(())
    }

    /// One run context per API the plan uses; with `webhooks`, each sees the
    /// receiver's URL as `${webhook_url}` and can wait for its deliveries.
    pub fn contexts(
        &self,
        plan: &Plan,
        target: &str,
        embedded_url: Option<&str>,
        mode: SnapshotMode,
        webhooks: Option<&WebhookReceiver>,
    ) -> Result<BTreeMap<String, Arc<RunContext>>, String> {
        let mut out = BTreeMap::new();
        // One pacer for the target: its rate limit covers all its APIs together.
        let pacer = self
            .config
            .targets
            .get(target)
            .and_then(|t| t.rate_limit)
            .map(|rate| Arc::new(crate::run::pace::Pacer::new(rate)));
        for file in &plan.runnable {
            let api = &file.api;
            if out.contains_key(api) {
                continue;
            }
            let resolved = self
                .config
                .resolve(target, api, embedded_url)
                .map_err(|e| e.to_string())?;
            let mut ctx = RunContext::new(resolved, self.config.snapshots_dir(), mode)?;
            ctx.pacer = pacer.clone();
            if let Some(receiver) = webhooks {
                ctx = ctx.with_webhooks(receiver.url(), receiver.inbox());
            }
            out.insert(api.clone(), Arc::new(ctx));
        }
        Ok(out)
    }
}

/// `path`, which the user wrote relative to the working directory (or absolute),
/// written the way `root` is: absolute when the suite root is (a `--config` given as an
/// absolute path, or found in a parent directory), relative to the working directory
/// when the root is. Scenario ids and snapshot paths are the path under the root, so a
/// path in the other form would not be found under it.
pub fn in_form_of(path: &Path, root: &Path) -> PathBuf {
    let Ok(here) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    match (root.is_absolute(), path.is_absolute()) {
        (true, false) => here.join(path),
        (false, true) => path
            .strip_prefix(&here)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process that runs one test (nextest's `--exact <id>`) must run the scenario
    /// `cargo test` runs under that id: the same case, with the same variables, marks
    /// and steps, for every scenario of the repository's suite.
    #[test]
    fn each_scenario_loads_alone_as_it_loads_with_its_suite() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let project = Project::load(&root.join("gatecheck.yaml")).unwrap();
        let target = project.config.default_target.clone();
        let (all, errors) = project.load_scenarios(&[], &target);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(all.len() > 200, "the suite is the repository's");
        let shown = |f: &ScenarioFile| {
            let s = &f.scenario;
            format!(
                "{} {} {:?} {:?} {:?} {:?} {}",
                f.id,
                s.name,
                s.vars,
                s.skip.as_ref().map(|r| &r.value.0),
                s.xfail.as_ref().map(|r| &r.value.0),
                f.relative,
                s.steps.len(),
            )
        };
        for file in &all {
            let (alone, errors) =
                project.load_scenario(std::slice::from_ref(&file.path), &target, &file.id);
            assert!(errors.is_empty(), "{}: {errors:?}", file.id);
            let alone: Vec<String> = alone.iter().map(shown).collect();
            assert_eq!(alone, [shown(file)]);
        }
    }

    /// A case with an undefined variable breaks its file, which is then one failing
    /// test named after the file: run alone under that name, it still fails.
    #[test]
    fn a_file_broken_by_one_case_fails_when_its_test_runs_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gatecheck.yaml"),
            "apis: { j: { format: json } }\ntargets:\n  t:\n    base_url: http://127.0.0.1:9\n    apis: { j: {} }\n",
        )
        .unwrap();
        let file = dir.path().join("specs/j/cases.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(
            &file,
            "name: n\napi: j\nsteps:\n  - name: s\n    request: { method: GET, path: \"/${p}\" }\ncases:\n  - name: fine\n    vars: { p: a }\n  - name: broken\n",
        )
        .unwrap();
        let project = Project::load(&dir.path().join("gatecheck.yaml")).unwrap();
        let (found, errors) = project.load_scenarios(&[], "t");
        assert!(found.is_empty());
        assert!(
            errors[0].message.contains("undefined variable `p`"),
            "{errors:?}"
        );
        let (found, errors) = project.load_scenario(std::slice::from_ref(&file), "t", "j::cases");
        assert!(found.is_empty());
        assert!(
            errors[0].message.contains("undefined variable `p`"),
            "{errors:?}"
        );
        // Asked for the case that is fine, its process runs it.
        let (found, errors) = project.load_scenario(&[file], "t", "j::cases::fine");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 1);
    }
}
