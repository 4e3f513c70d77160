//! The checks `gatecheck check --target T` makes, and `run` before sending anything:
//! every problem of one target in one pass, each at its place in `gatecheck.yaml`.

use std::collections::BTreeSet;

use super::{Config, Template};
use crate::spec::Diagnostic;
use crate::yaml::{Node, Span};

impl Config {
    /// Every problem `target` has that would stop a run or make it meaningless: each
    /// environment variable it reads that is not set (all of them, not the first), a
    /// `base_url` that is not an http(s) URL, a zero `timeout`, `embedded: true` with a
    /// `base_url`, and a target name that is only written in a comment.
    pub fn preflight(&self, target: &str) -> Vec<Diagnostic> {
        let Some(profile) = self.targets.get(target) else {
            return vec![self.unknown_target(target)];
        };
        let target_node = self
            .tree
            .as_deref()
            .and_then(|t| t.entry("targets"))
            .and_then(|(_, t)| t.entry(target))
            .map(|(_, v)| v);
        let mut out = Vec::new();
        // Every template the target's APIs render, with where to look for it.
        let mut templates: Vec<(&Template, Option<&Node>)> = Vec::new();
        templates.extend(profile.base_url.iter().map(|t| (t, target_node)));
        templates.extend(profile.vars.values().map(|t| (t, target_node)));
        templates.extend(profile.headers.values().map(|t| (t, target_node)));
        templates.extend(profile.webhooks.public_url.iter().map(|t| (t, target_node)));
        for (api, settings) in &profile.apis {
            let api_node = api_entry(target_node, api);
            templates.extend(settings.base_url.iter().map(|t| (t, api_node)));
            templates.extend(settings.vars.values().map(|t| (t, api_node)));
            templates.extend(settings.headers.values().map(|t| (t, api_node)));
            templates.extend(settings.auth.templates().into_iter().map(|t| (t, api_node)));
            if let Some(api_profile) = self.apis.get(api) {
                let profile_node = api_entry(self.tree.as_deref(), api);
                templates.extend(api_profile.headers.values().map(|t| (t, profile_node)));
            }
        }
        let mut reported = BTreeSet::new();
        for (template, node) in &templates {
            for name in template.env_vars() {
                if std::env::var_os(name).is_some() || !reported.insert(name.to_string()) {
                    continue;
                }
                let needle = format!("${{env:{name}}}");
                let at = node
                    .and_then(|n| n.find_scalar(&|text| text.contains(&needle)))
                    .map_or(self.key_span(target), |n| n.span);
                out.push(
                    self.at(
                        at,
                        format!("target `{target}` needs environment variable `{name}`, which is not set"),
                    )
                    .with_help(format!("export {name}=… before running, or use another target")),
                );
            }
        }
        let urls = profile.base_url.iter().map(|t| (t, target_node)).chain(
            profile.apis.iter().filter_map(|(api, s)| {
                s.base_url
                    .as_ref()
                    .map(|t| (t, api_entry(target_node, api)))
            }),
        );
        for (template, node) in urls {
            let at = node
                .and_then(|n| n.entry("base_url"))
                .map_or(self.key_span(target), |(_, v)| v.span);
            if profile.embedded {
                out.push(
                    self.at(at, format!("target `{target}` is embedded and also has a base_url"))
                        .with_help("an embedded target's URL is the embedded gateway's: remove `base_url`, or `embedded: true`"),
                );
                continue;
            }
            let Ok(url) = template.render(&super::EnvOnly) else {
                continue;
            };
            match reqwest::Url::parse(&url) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                Ok(parsed) => out.push(self.at(
                    at,
                    format!(
                        "base_url {:?} is not http or https (it is `{}`)",
                        template.source(),
                        parsed.scheme()
                    ),
                )),
                Err(e) => out.push(
                    self.at(
                        at,
                        format!("base_url {:?} is not a URL: {e}", template.source()),
                    )
                    .with_help("write it whole, e.g. `https://api.sandbox.example.com`"),
                ),
            }
        }
        let timeouts = std::iter::once((profile.timeout, target_node)).chain(
            profile
                .apis
                .iter()
                .map(|(api, s)| (s.timeout, api_entry(target_node, api))),
        );
        for (timeout, node) in timeouts {
            if timeout.is_some_and(|t| t.is_zero()) {
                let at = node
                    .and_then(|n| n.entry("timeout"))
                    .map_or(self.key_span(target), |(_, v)| v.span);
                out.push(
                    self.at(at, "a timeout of 0 fails every request")
                        .with_help("give it a length such as `30s`, or remove it for the default"),
                );
            }
        }
        out
    }

    /// A target `--target` names that does not exist, noting where the file has it
    /// commented out (as the example targets are).
    fn unknown_target(&self, target: &str) -> Diagnostic {
        let error = self
            .target(target)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let commented = self.source.lines().enumerate().find(|(_, line)| {
            line.trim_start().strip_prefix('#').is_some_and(|rest| {
                rest.trim_start()
                    .strip_prefix(target)
                    .is_some_and(|r| r.starts_with(':'))
            })
        });
        match commented {
            Some((index, line)) => {
                let column = line.len() - line.trim_start().len() + 1;
                self.at(Span::new(index + 1, column), error).with_help(format!(
                    "target `{target}` is commented out here: remove the `#` of its lines and fill in its settings"
                ))
            }
            None => Diagnostic::file(&self.path, error),
        }
    }

    /// Where target `name` is written, or the file's start.
    fn key_span(&self, name: &str) -> Span {
        self.tree
            .as_deref()
            .and_then(|t| t.entry("targets"))
            .and_then(|(_, t)| t.entry(name))
            .map_or(Span::new(1, 1), |(k, _)| k.span)
    }

    fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        // A base_url may carry `user:password@`; no message shows it.
        let message = crate::mask::Masker::default().text(&message.into());
        Diagnostic::at(&self.path, &self.source, span.line, span.column, message)
    }
}

/// The value of `apis.<api>` under `parent` (a target's node, or the file's root).
fn api_entry<'a>(parent: Option<&'a Node>, api: &str) -> Option<&'a Node> {
    parent
        .and_then(|n| n.entry("apis"))
        .and_then(|(_, a)| a.entry(api))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    fn config(text: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gatecheck.yaml");
        std::fs::write(&path, text).unwrap();
        let config = Config::load(&path).unwrap();
        (dir, config)
    }

    #[test]
    fn every_problem_of_a_target_in_one_pass() {
        let (_dir, c) = config(
            "apis: { j: { format: json } }\ntargets:\n  sandbox:\n    base_url: \"${env:GC_PREFLIGHT_UNSET_URL}\"\n    timeout: 0s\n    apis:\n      j:\n        auth: { bearer: { token: \"${env:GC_PREFLIGHT_UNSET_TOKEN}\" } }\n        vars: { id: \"${env:GC_PREFLIGHT_UNSET_URL}\" }\n  bad:\n    base_url: \"htp:/x y\"\n    apis: { j: {} }\n  both:\n    embedded: true\n    base_url: http://x\n    apis: { j: {} }\n# prod:\n#   base_url: https://api.example.com\n",
        );
        let problems = c.preflight("sandbox");
        let text: Vec<String> = problems
            .iter()
            .map(|d| format!("{}:{:?}", d.message, d.line))
            .collect();
        assert_eq!(problems.len(), 3, "{text:#?}");
        assert!(
            text[0].contains("`GC_PREFLIGHT_UNSET_URL`") && text[0].ends_with("Some(4)"),
            "{text:#?}"
        );
        assert!(
            text[1].contains("`GC_PREFLIGHT_UNSET_TOKEN`") && text[1].ends_with("Some(8)"),
            "{text:#?}"
        );
        assert!(
            text[2].contains("timeout of 0") && text[2].ends_with("Some(5)"),
            "{text:#?}"
        );
        let bad = c.preflight("bad");
        assert!(bad[0].message.contains("is not"), "{bad:?}");
        assert_eq!(bad[0].line, Some(11));
        let both = c.preflight("both");
        assert!(
            both[0].message.contains("embedded and also has a base_url"),
            "{both:?}"
        );
        let prod = c.preflight("prod");
        assert_eq!(prod[0].line, Some(17), "{prod:?}");
        assert!(
            prod[0]
                .help
                .as_deref()
                .unwrap_or_default()
                .contains("commented out"),
            "{prod:?}"
        );
        assert!(c.preflight("nothing")[0].line.is_none());
    }
}
