//! Known differences between two targets: a committed, reviewable file per pair
//! (`diffs/<A>..<B>.yaml`), so a diff fails only on what is new.
//!
//! ```yaml
//! - scenario: "braintree::customer_update::*"   # test id; `*` matches anything
//!   step: "*"                                   # step name, 1-based number, or *
//!   path: "$.customer.global_id"                # `status`, `headers.x`, or a body path; `*` allowed
//!   class: known                                # noise | known | bug
//!   reason: Braintree's sandbox returns it; the embedded gateway does not yet
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::spec::Diagnostic;
use crate::spec::load::{parse_yaml, read_bounded};
use crate::yaml::{Limits, Spanned};

/// What a known difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Differs from run to run by nature; not a divergence.
    Noise,
    /// A real difference, understood and accepted.
    Known,
    /// A real difference that is a bug somewhere, tracked.
    Bug,
}

/// One entry of the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownDifference {
    /// The scenario's test id, `*` wildcards allowed.
    pub scenario: String,
    /// The step's name or 1-based number, or `*`.
    #[serde(default = "any")]
    pub step: String,
    /// The compared path, `*` wildcards allowed.
    pub path: String,
    /// What the difference is.
    pub class: Class,
    /// Why it is accepted.
    pub reason: String,
}

fn any() -> String {
    "*".into()
}

impl KnownDifference {
    /// Whether this entry covers `path` at step `step` (`index` 0-based) of `scenario`.
    pub fn covers(&self, scenario: &str, index: usize, step: &str, path: &str) -> bool {
        glob(&self.scenario, scenario)
            && (self.step == "*"
                || self.step == step
                || self.step.parse::<usize>().is_ok_and(|n| n == index + 1))
            && glob(&self.path, path)
    }
}

/// The known differences of a pair of targets, with where they were read from.
#[derive(Debug, Clone, Default)]
pub struct KnownDifferences {
    /// The file (it may not exist yet).
    pub path: PathBuf,
    /// Its entries, with their places.
    pub entries: Vec<Spanned<KnownDifference>>,
}

impl KnownDifferences {
    /// The file for targets `a` and `b` under `dir`.
    pub fn file_for(dir: &Path, a: &str, b: &str) -> PathBuf {
        dir.join(format!("{a}..{b}.yaml"))
    }

    /// Reads `path`; a missing file is an empty list.
    pub fn load(path: &Path) -> Result<KnownDifferences, Box<Diagnostic>> {
        if !path.exists() {
            return Ok(KnownDifferences {
                path: path.to_path_buf(),
                entries: Vec::new(),
            });
        }
        let bytes = read_bounded(path, &Limits::default(), "the known differences")?;
        let (entries, _, _): (Option<Vec<Spanned<KnownDifference>>>, _, _) =
            parse_yaml(path, &bytes)?;
        Ok(KnownDifferences {
            path: path.to_path_buf(),
            entries: entries.unwrap_or_default(),
        })
    }

    /// The first entry covering a difference, if any.
    pub fn find(
        &self,
        scenario: &str,
        index: usize,
        step: &str,
        path: &str,
    ) -> Option<&KnownDifference> {
        self.entries
            .iter()
            .map(|e| &e.value)
            .find(|e| e.covers(scenario, index, step, path))
    }

    /// Appends `new` to the file for review, keeping what is there as written.
    pub fn append(&self, new: &[KnownDifference]) -> Result<(), String> {
        if new.is_empty() {
            return Ok(());
        }
        let mut text = std::fs::read_to_string(&self.path).unwrap_or_default();
        if text.is_empty() {
            text.push_str("# Known differences between two targets: `gatecheck diff` fails only on others.\n# class: noise | known | bug. Review each entry and give it a real reason.\n");
        } else if !text.ends_with('\n') {
            text.push('\n');
        }
        let added = serde_yaml::to_string(new).map_err(|e| format!("cannot render: {e}"))?;
        text.push_str(&added);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&self.path, text)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("braintree::*", "braintree::customer_update::x"));
        assert!(glob(
            "$.customer.cards[*].token",
            "$.customer.cards[12].token"
        ));
        assert!(!glob("$.a", "$.ab"));
        assert!(glob("*", ""));
    }

    #[test]
    fn entries_cover_by_scenario_step_and_path() {
        let e = KnownDifference {
            scenario: "bt::*".into(),
            step: "2".into(),
            path: "$.x".into(),
            class: Class::Known,
            reason: "r".into(),
        };
        assert!(e.covers("bt::a", 1, "find", "$.x"));
        assert!(!e.covers("bt::a", 0, "find", "$.x"));
        assert!(!e.covers("rapyd::a", 1, "find", "$.x"));
    }

    #[test]
    fn a_file_round_trips_and_bad_entries_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = KnownDifferences::file_for(dir.path(), "a", "b");
        let known = KnownDifferences::load(&path).unwrap();
        assert!(known.entries.is_empty());
        known
            .append(&[KnownDifference {
                scenario: "s".into(),
                step: "*".into(),
                path: "$.x".into(),
                class: Class::Bug,
                reason: "tracked".into(),
            }])
            .unwrap();
        let known = KnownDifferences::load(&path).unwrap();
        assert_eq!(known.entries.len(), 1);
        assert!(known.find("s", 0, "any", "$.x").is_some());
        std::fs::write(
            &path,
            "- scenario: s\n  path: $.x\n  class: fine\n  reason: r\n",
        )
        .unwrap();
        let e = KnownDifferences::load(&path).unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(10)));
    }
}
