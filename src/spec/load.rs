//! Finding scenario files, parsing them strictly, and checking what parsing cannot:
//! that every `${variable}` is defined where it is used.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::{Diagnostic, line_col};
use super::model::{Scenario, Step};
use super::template::{RUN_ID, UUID, WEBHOOK_URL};
use crate::suggest::nearest;

/// A scenario together with where it came from.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// Test name: the path under the suite root, `::`-separated, without extension
    /// (`braintree::customer_update::add_card_without_token`).
    pub id: String,
    /// The file as found on disk.
    pub path: PathBuf,
    /// The path relative to the suite root, which snapshots mirror.
    pub relative: PathBuf,
    /// The file's text, kept for locating run-time problems.
    pub source: Arc<str>,
    /// The parsed scenario.
    pub scenario: Scenario,
}

impl ScenarioFile {
    /// An error at byte `offset` of this file.
    fn diagnostic_at(&self, offset: usize, message: String) -> Diagnostic {
        let (line, col) = line_col(&self.source, offset);
        Diagnostic::at(&self.path, &self.source, line, col, message)
    }

    /// The 1-based line of each step in the file (best effort: where its name is written).
    pub fn step_lines(&self) -> Vec<usize> {
        step_offsets(&self.source, &self.scenario.steps)
            .into_iter()
            .map(|off| line_col(&self.source, off).0)
            .collect()
    }
}

/// Every `*.yaml` / `*.yml` file under `root`, sorted, so runs are reproducible.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            Box::new(Diagnostic::file(
                &dir,
                format!("cannot read directory: {e}"),
            ))
        })?;
        for entry in entries {
            let path = entry
                .map_err(|e| {
                    Box::new(Diagnostic::file(
                        &dir,
                        format!("cannot read directory: {e}"),
                    ))
                })?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if is_scenario_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_scenario_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// The test id of a file relative to the suite root.
pub fn scenario_id(relative: &Path) -> String {
    relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("::")
}

/// Reads and parses one scenario file. `root` is the suite root its id is relative to.
/// A scenario with `cases` becomes one scenario per case, each with its own id and
/// snapshot file (`x.yaml` case `c` ↔ id `…::x::c`, snapshot `x/c.snap.yaml`).
pub fn load_file(path: &Path, root: &Path) -> Result<Vec<ScenarioFile>, Vec<Diagnostic>> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::file(path, format!("cannot read scenario: {e}"))])?;
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let scenario = parse(path, &source).map_err(|d| vec![*d])?;
    let file = ScenarioFile {
        id: scenario_id(&relative),
        path: path.to_path_buf(),
        relative,
        source: Arc::from(source),
        scenario,
    };
    let mut problems = structural_checks(&file);
    problems.extend(case_checks(&file));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(expand_cases(file))
}

const CASE_NAME_HELP: &str =
    "case names are letters, digits, `_` and `-`, e.g. `first_name_too_long`";

fn case_checks(file: &ScenarioFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let cases_at = file.source.find("cases:").unwrap_or(0);
    for case in &file.scenario.cases {
        let offset = file.source[cases_at..]
            .find(case.name.as_str())
            .map_or(cases_at, |o| o + cases_at);
        let valid = !case.name.is_empty()
            && case
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            out.push(
                file.diagnostic_at(offset, format!("bad case name {:?}", case.name))
                    .with_help(CASE_NAME_HELP),
            );
        } else if !seen.insert(case.name.as_str()) {
            out.push(
                file.diagnostic_at(offset, format!("two cases are named `{}`", case.name))
                    .with_help("case names end test ids, so each must be unique"),
            );
        }
    }
    out
}

fn expand_cases(file: ScenarioFile) -> Vec<ScenarioFile> {
    if file.scenario.cases.is_empty() {
        return vec![file];
    }
    let base = file.relative.with_extension("");
    file.scenario
        .cases
        .iter()
        .map(|case| {
            let relative = base.join(format!("{}.yaml", case.name));
            let mut scenario = file.scenario.clone();
            scenario.cases.clear();
            for (name, value) in &case.vars {
                scenario.vars.insert(name.clone(), value.clone());
            }
            if let Some(description) = &case.description {
                scenario.name = format!("{} ({description})", scenario.name);
            } else {
                scenario.name = format!("{} [{}]", scenario.name, case.name);
            }
            ScenarioFile {
                id: scenario_id(&relative),
                path: file.path.clone(),
                relative,
                source: Arc::clone(&file.source),
                scenario,
            }
        })
        .collect()
}

/// Loads the scenarios named by `paths` (files or directories) under suite root `root`.
/// Returns every scenario that loaded and every error, so one bad file hides nothing.
pub fn load_suite(paths: &[PathBuf], root: &Path) -> (Vec<ScenarioFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            match discover(path) {
                Ok(found) => files.extend(found),
                Err(e) => errors.push(*e),
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push(Diagnostic::file(path, "no such file or directory"));
        }
    }
    files.sort();
    files.dedup();
    let mut scenarios = Vec::new();
    for file in files {
        match load_file(&file, root) {
            Ok(expanded) => scenarios.extend(expanded),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (scenarios, errors)
}

/// Parses scenario text; errors carry the position yaml reports and a suggested fix.
pub fn parse(path: &Path, source: &str) -> Result<Scenario, Box<Diagnostic>> {
    serde_yaml::from_str::<Scenario>(source)
        .map_err(|e| Box::new(yaml_diagnostic(path, source, &e)))
}

/// Turns a YAML error into a located diagnostic with a "did you mean" where one fits.
pub fn yaml_diagnostic(path: &Path, source: &str, error: &serde_yaml::Error) -> Diagnostic {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) if error.location().is_some() => full[..cut].to_string(),
        _ => full.clone(),
    };
    let mut diagnostic = match error.location() {
        Some(loc) => Diagnostic::at(path, source, loc.line(), loc.column(), message.clone()),
        None => Diagnostic::file(path, message.clone()),
    };
    if let Some(help) = help_for(&message) {
        diagnostic = diagnostic.with_help(help);
    } else if message.contains("flow")
        && diagnostic
            .snippet
            .as_deref()
            .is_some_and(|s| s.contains("${"))
    {
        // `{` and `}` of `${var}` are flow-collection brackets to YAML.
        diagnostic = diagnostic.with_help(
            "inside `{ ... }` or `[ ... ]`, quote values that use `${...}`, e.g. `{ id: \"c-${run_id}\" }`",
        );
    }
    diagnostic
}

/// Suggestions for serde's "unknown field/variant" and "missing field" messages.
fn help_for(message: &str) -> Option<String> {
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    for kind in ["unknown field `", "unknown variant `"] {
        if let Some(start) = message.find(kind) {
            let rest = &message[start + kind.len()..];
            let word = rest.split('`').next()?;
            let expected = ticked(rest.split_once("expected").map_or("", |x| x.1));
            let candidates: Vec<&str> = expected.iter().map(String::as_str).collect();
            return Some(match nearest(word, &candidates) {
                Some(best) => format!("did you mean `{best}`?"),
                None if candidates.is_empty() => format!("remove `{word}`"),
                None => format!("valid here: {}", candidates.join(", ")),
            });
        }
    }
    if message.contains("invalid JSONPath") {
        return Some(
            "paths start at `$` (RFC 9535), e.g. `$.customer.credit_cards[0].token`, `$..token`, `$['key-with-dash']`".into(),
        );
    }
    if message.contains("invalid regex") {
        return Some("regexes use Rust `regex` syntax; escape `\\`, `(`, `[` and `.` to match them literally".into());
    }
    if let Some(start) = message.find("missing field `") {
        let field = message[start + 15..].split('`').next()?;
        return Some(format!("add `{field}:`"));
    }
    None
}

/// Checks that need the whole scenario: steps present, snapshot names unique.
fn structural_checks(file: &ScenarioFile) -> Vec<Diagnostic> {
    let scenario = &file.scenario;
    let mut out = Vec::new();
    if scenario.steps.is_empty() {
        out.push(
            Diagnostic::file(&file.path, "the scenario has no steps")
                .with_help("add `steps:` with at least one `- name: ... request: ...`"),
        );
    }
    let offsets = step_offsets(&file.source, &scenario.steps);
    let mut seen = BTreeSet::new();
    for (i, step) in scenario.steps.iter().enumerate() {
        let shape = match (&step.request, &step.expect_webhook) {
            (None, None) => Some((
                "the step neither sends a request nor waits for a webhook",
                "give it `request:` (or `expect_webhook:` to wait for a webhook)",
            )),
            (Some(_), Some(_)) => Some((
                "a step either sends a request or waits for a webhook, not both",
                "move `expect_webhook:` to a step of its own after this one",
            )),
            (None, Some(_)) if !step.expect.is_empty() => Some((
                "`expect:` checks the answer to a request; a webhook step has none",
                "put the webhook's JSONPath checks under `expect_webhook.json`",
            )),
            _ => None,
        };
        if let Some((message, help)) = shape {
            out.push(
                file.diagnostic_at(offsets[i], message.to_string())
                    .with_help(help),
            );
        }
        if let Some(key) = step.snapshot_key(i)
            && !seen.insert(key.clone())
        {
            out.push(
                file.diagnostic_at(
                    offsets[i],
                    format!("two steps snapshot under the same name `{key}`"),
                )
                .with_help("give one of them `snapshot: another-name`"),
            );
        }
    }
    out
}

/// Byte offsets where each step's name is written (best effort; falls back to the
/// previous step's offset), so run-time problems can point into the file.
fn step_offsets(source: &str, steps: &[Step]) -> Vec<usize> {
    let mut from = source.find("steps:").map_or(0, |i| i + "steps:".len());
    steps
        .iter()
        .map(|step| {
            if let Some(found) = find_name(&source[from..], &step.name) {
                from += found;
            }
            from
        })
        .collect()
}

/// Where `name` is written as the value of a `name:` key (quoted or not); failing
/// that, its first occurrence.
fn find_name(text: &str, name: &str) -> Option<usize> {
    let mut first = None;
    let mut start = 0;
    while let Some(found) = text[start..].find(name) {
        let at = start + found;
        first.get_or_insert(at);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let before = text[line_start..at]
            .trim_end_matches(['"', '\''])
            .trim_end();
        if before.ends_with("name:") {
            return Some(at);
        }
        start = at + name.len().max(1);
    }
    first
}

/// Checks that every `${var}` is defined where it is used. `target_vars` are the
/// variables the chosen target defines for the scenario's API.
pub fn check_vars(file: &ScenarioFile, target_vars: &BTreeSet<String>) -> Vec<Diagnostic> {
    let scenario = &file.scenario;
    let mut defined: BTreeSet<String> = target_vars.clone();
    defined.insert(RUN_ID.to_string());
    defined.insert(UUID.to_string());
    defined.insert(WEBHOOK_URL.to_string());
    let mut out = Vec::new();
    let vars_at = file.source.find("vars:").unwrap_or(0);
    for (name, value) in &scenario.vars {
        report_undefined(file, value.vars(), &defined, vars_at, "in `vars`", &mut out);
        defined.insert(name.clone());
    }
    let offsets = step_offsets(&file.source, &scenario.steps);
    for (i, step) in scenario.steps.iter().enumerate() {
        let used = step.vars_used();
        let context = format!("in step {} ({:?})", i + 1, step.name);
        report_undefined(file, used, &defined, offsets[i], &context, &mut out);
        defined.extend(step.capture.keys().cloned());
    }
    out
}

/// Steps that ask for a webhook signature check when the target's auth `scheme`
/// cannot verify one: an error before anything is sent, rather than a step that could
/// never pass.
pub fn check_webhook_signatures(file: &ScenarioFile, scheme: &str) -> Vec<Diagnostic> {
    let offsets = step_offsets(&file.source, &file.scenario.steps);
    file.scenario
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.expect_webhook
                .as_ref()
                .is_some_and(|w| w.signature.is_some())
        })
        .map(|(i, step)| {
            let at = file.source[offsets[i]..]
                .find("signature:")
                .map_or(offsets[i], |o| o + offsets[i]);
            file.diagnostic_at(
                at,
                format!(
                    "step {} ({:?}) checks the webhook's signature, but auth scheme `{scheme}` has no way to verify webhooks",
                    i + 1,
                    step.name
                ),
            )
            .with_help("remove `signature:`, or run on a target whose auth can verify webhooks (`rapyd`)")
        })
        .collect()
}

fn report_undefined(
    file: &ScenarioFile,
    used: impl IntoIterator<Item = String>,
    defined: &BTreeSet<String>,
    from: usize,
    context: &str,
    out: &mut Vec<Diagnostic>,
) {
    for var in used {
        if defined.contains(&var) {
            continue;
        }
        let needle = format!("${{{var}}}");
        let offset = file.source[from..]
            .find(&needle)
            .map(|o| o + from)
            .or_else(|| file.source.find(&needle))
            .unwrap_or(from);
        let candidates: Vec<&str> = defined.iter().map(String::as_str).collect();
        let help = match nearest(&var, &candidates) {
            Some(best) => format!("did you mean `${{{best}}}`?"),
            None => format!(
                "define it in the scenario's `vars`, capture it in an earlier step, or give the target a `vars` entry; defined here: {}",
                candidates.join(", ")
            ),
        };
        out.push(
            file.diagnostic_at(offset, format!("undefined variable `{var}` {context}"))
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(src: &str) -> Diagnostic {
        *parse(Path::new("t.yaml"), src).unwrap_err()
    }

    const GOOD: &str = r#"name: ok
api: braintree
vars:
  first: Ada
steps:
  - name: create
    request:
      method: POST
      path: /merchants/${merchant_id}/customers
      body:
        customer: { id: "c-${run_id}", first_name: "${first}" }
    expect:
      status: 201
      json:
        $.customer.id: { matches: "^c-" }
    capture:
      customer_id: $.customer.id
  - name: find
    request:
      method: GET
      path: /merchants/${merchant_id}/customers/${customer_id}
    snapshot: true
"#;

    fn file(src: &str) -> ScenarioFile {
        ScenarioFile {
            id: "t".into(),
            path: "t.yaml".into(),
            relative: "t.yaml".into(),
            source: Arc::from(src),
            scenario: parse(Path::new("t.yaml"), src).unwrap(),
        }
    }

    #[test]
    fn good_scenario_loads_and_checks() {
        let f = file(GOOD);
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        assert!(check_vars(&f, &vars).is_empty());
        assert_eq!(f.step_lines()[1], 18);
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let d = parse_err("name: x\napi: b\nsteps:\n  - name: a\n    reqest: {}\n");
        assert_eq!((d.line, d.column), (Some(5), Some(5)));
        assert!(
            d.message.contains("unknown field `reqest`"),
            "{}",
            d.message
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `request`?"));
    }

    #[test]
    fn bad_jsonpath_and_regex_are_located() {
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n    expect:\n      json:\n        \"$.a[\": 1\n";
        let d = parse_err(src);
        assert_eq!(d.line, Some(8));
        assert!(d.message.contains("invalid JSONPath"), "{}", d.message);
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: / }\n    expect:\n      json:\n        $.a: { matches: \"(\" }\n";
        let d = parse_err(src);
        assert_eq!(d.line, Some(8));
        assert!(d.message.contains("invalid regex"), "{}", d.message);
    }

    #[test]
    fn bad_method_and_missing_field() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GTE, path: / }\n",
        );
        assert!(
            d.message
                .contains("unknown method `GTE` (did you mean `GET`?)"),
            "{}",
            d.message
        );
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /, format: jsn }\n",
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `json`?"));
        let d = parse_err("name: x\nsteps: []\n");
        assert_eq!(d.help.as_deref(), Some("add `api:`"));
    }

    #[test]
    fn undefined_variable_points_at_use() {
        let src = GOOD.replace("${customer_id}", "${custmer_id}");
        let f = file(&src);
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        let errs = check_vars(&f, &vars);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, Some(21));
        assert!(errs[0].message.contains("`custmer_id` in step 2"));
        assert_eq!(
            errs[0].help.as_deref(),
            Some("did you mean `${customer_id}`?")
        );
        let errs = check_vars(&f, &BTreeSet::new());
        assert!(errs.iter().any(|e| e.message.contains("`merchant_id`")));
    }

    #[test]
    fn header_and_query_names_are_templates() {
        let src = "name: x\napi: b\nsteps:\n  - name: a\n    request:\n      method: GET\n      path: /\n      headers: { \"${header}\": v }\n      query: { \"${param}\": \"${value}\" }\n";
        let f = file(src);
        let request = f.scenario.steps[0].request.as_ref().unwrap();
        let (name, _) = request.headers.first().unwrap();
        assert_eq!(name.vars().collect::<Vec<_>>(), ["header"]);
        let errs = check_vars(&f, &BTreeSet::from(["value".to_string()]));
        let named: Vec<_> = errs.iter().map(|e| e.message.clone()).collect();
        assert_eq!(errs.len(), 2, "{named:?}");
        assert!(named.iter().any(|m| m.contains("`header`")), "{named:?}");
        assert!(named.iter().any(|m| m.contains("`param`")), "{named:?}");
    }

    #[test]
    fn capture_is_not_visible_before_its_step() {
        let src = GOOD.replace("first_name: \"${first}\"", "first_name: \"${customer_id}\"");
        let errs = check_vars(&file(&src), &BTreeSet::from(["merchant_id".to_string()]));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("in step 1"));
    }

    #[test]
    fn unquoted_placeholder_in_flow_map_gets_a_hint() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /c/${id} }\n",
        );
        assert!(d.help.unwrap_or_default().contains("quote values"));
    }

    #[test]
    fn cases_expand_to_their_own_tests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bt/validation.yaml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let src = format!(
            "{GOOD}cases:\n  - name: short\n    vars: {{ first: Al }}\n  - name: long-one\n    description: a long name\n    vars: {{ first: Alexandra, extra: x }}\n"
        );
        std::fs::write(&path, &src).unwrap();
        let files = load_file(&path, dir.path()).unwrap();
        let ids: Vec<&str> = files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["bt::validation::short", "bt::validation::long-one"]);
        assert_eq!(files[1].relative, Path::new("bt/validation/long-one.yaml"));
        assert!(files[0].scenario.cases.is_empty());
        assert_eq!(files[1].scenario.vars["first"].raw(), "Alexandra");
        assert_eq!(files[1].scenario.name, "ok (a long name)");
        let vars = BTreeSet::from(["merchant_id".to_string()]);
        assert!(check_vars(&files[1], &vars).is_empty());

        std::fs::write(&path, src.replace("long-one", "short")).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(
            errs[0].message.contains("two cases are named `short`"),
            "{errs:?}"
        );
        std::fs::write(&path, src.replace("long-one", "long one")).unwrap();
        let errs = load_file(&path, dir.path()).unwrap_err();
        assert!(errs[0].message.contains("bad case name"), "{errs:?}");
    }

    #[test]
    fn step_lines_find_the_name_key() {
        let src = "name: a\napi: b\nsteps:\n  - name: s\n    request: { method: GET, path: /s }\n  - request: { method: GET, path: /s }\n    name: \"s\"\n";
        let f = file(src);
        assert_eq!(f.step_lines(), [4, 7]);
    }

    #[test]
    fn step_auth_and_webhook_values_are_checked_where_written() {
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    request: { method: GET, path: /, auth: nnone }\n",
        );
        assert_eq!(d.line, Some(5));
        assert_eq!(d.help.as_deref(), Some("did you mean `none`?"));
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      within: fast\n",
        );
        assert_eq!(d.line, Some(6));
        assert!(d.message.contains("bad duration"), "{}", d.message);
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      signature: yes please\n",
        );
        assert!(d.message.contains("`valid`"), "{}", d.message);
        let d = parse_err(
            "name: x\napi: b\nsteps:\n  - name: a\n    expect_webhook:\n      mach: {}\n",
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `match`?"));
    }

    #[test]
    fn a_step_is_a_request_or_a_webhook_wait() {
        let shape = |steps: &str| {
            let f = file(&format!("name: x\napi: b\nsteps:\n{steps}"));
            structural_checks(&f)
                .into_iter()
                .map(|d| (d.line, d.message))
                .collect::<Vec<_>>()
        };
        let errs = shape("  - name: a\n    expect: { status: 200 }\n");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].1.contains("neither sends a request"), "{errs:?}");
        let errs = shape(
            "  - name: a\n    request: { method: GET, path: / }\n    expect_webhook: { type: X }\n",
        );
        assert!(errs[0].1.contains("not both"), "{errs:?}");
        let errs = shape(
            "  - name: s\n    request: { method: GET, path: / }\n  - name: w\n    expect_webhook: { type: X }\n    expect: { status: 200 }\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, Some(6));
        assert!(errs[0].1.contains("a webhook step has none"), "{errs:?}");
        assert!(
            shape("  - name: w\n    expect_webhook: { type: X }\n    snapshot: true\n").is_empty()
        );
    }

    #[test]
    fn webhook_use_is_detected_and_webhook_url_is_built_in() {
        let waits = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook: { type: X, match: { $.id: \"${run_id}\" } }\n",
        );
        assert!(waits.scenario.uses_webhooks());
        let hands_url = file(
            "name: x\napi: b\nsteps:\n  - name: r\n    request: { method: POST, path: /hooks, body: { url: \"${webhook_url}\" } }\n",
        );
        assert!(hands_url.scenario.uses_webhooks());
        assert!(check_vars(&hands_url, &BTreeSet::new()).is_empty());
        assert!(!file(GOOD).scenario.uses_webhooks());
        let undefined = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook: { json: { $.id: \"${nope}\" } }\n",
        );
        let errs = check_vars(&undefined, &BTreeSet::new());
        assert!(errs[0].message.contains("`nope`"), "{errs:?}");
        let sig = file(
            "name: x\napi: b\nsteps:\n  - name: w\n    expect_webhook:\n      type: X\n      signature: valid\n",
        );
        let errs = check_webhook_signatures(&sig, "basic");
        assert_eq!(errs[0].line, Some(7));
        assert!(check_webhook_signatures(&file(GOOD), "basic").is_empty());
    }

    #[test]
    fn ids_mirror_paths() {
        assert_eq!(
            scenario_id(Path::new("braintree/customer_update/add_card.yaml")),
            "braintree::customer_update::add_card"
        );
    }
}
