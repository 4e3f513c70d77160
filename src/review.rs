//! `gatecheck review`: each pending snapshot with the scenario and step it belongs to
//! and its diff (changed words emphasized), then a decision, as insta's review asks:
//! accept (`a`), reject (`r`), skip (`s`) or quit (`q`, the rest left pending).
//!
//! On a terminal a single key answers; otherwise answers are read a line each from
//! stdin, so a pipe (or a test) can drive it. A key or line that is no answer is said
//! so, and the question asked again.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::mask::Masker;
use crate::report::console;
use crate::snapshot::store;
use crate::spec::ScenarioFile;

/// What to do with one pending snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// It replaces the stored snapshot.
    Accept,
    /// It is deleted; the stored snapshot stays.
    Reject,
    /// It stays pending; on to the next.
    Skip,
    /// It and every one after it stay pending; the review ends.
    Quit,
}

/// The question asked of each pending snapshot.
pub const PROMPT: &str = "accept (a), reject (r), skip (s), quit (q)? ";

impl Answer {
    /// The answer a key (or a line's first word) stands for, if any.
    pub fn from_word(word: &str) -> Option<Answer> {
        match word.trim().to_ascii_lowercase().as_str() {
            "a" | "accept" => Some(Answer::Accept),
            "r" | "reject" => Some(Answer::Reject),
            "s" | "skip" => Some(Answer::Skip),
            "q" | "quit" => Some(Answer::Quit),
            _ => None,
        }
    }
}

/// Where answers come from.
pub trait Answers {
    /// Asks [`PROMPT`] on `out` until an answer comes. The end of the input is
    /// [`Answer::Quit`].
    fn ask(&mut self, out: &mut dyn Write) -> Result<Answer, String>;
}

/// Answers a line each (a pipe, a file, a test).
pub struct Lines<R>(pub R);

impl<R: BufRead> Answers for Lines<R> {
    fn ask(&mut self, out: &mut dyn Write) -> Result<Answer, String> {
        loop {
            prompt(out)?;
            let mut line = String::new();
            let read = self
                .0
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the answer: {e}"))?;
            if read == 0 {
                writeln(out, "(no more answers: quitting)")?;
                return Ok(Answer::Quit);
            }
            // What was typed is echoed, as a terminal would have shown it.
            writeln(out, line.trim_end())?;
            match Answer::from_word(&line) {
                Some(answer) => return Ok(answer),
                None => not_an_answer(out, line.trim())?,
            }
        }
    }
}

/// The same answer to every question, without asking (`--accept`, `--reject`).
pub struct Always(pub Answer);

impl Answers for Always {
    fn ask(&mut self, _: &mut dyn Write) -> Result<Answer, String> {
        Ok(self.0)
    }
}

/// Answers a key each, read from the terminal without waiting for Enter.
pub struct Keys(::console::Term);

impl Keys {
    /// Keys pressed on the terminal stdout is on.
    pub fn terminal() -> Keys {
        Keys(::console::Term::stdout())
    }
}

impl Answers for Keys {
    fn ask(&mut self, out: &mut dyn Write) -> Result<Answer, String> {
        loop {
            prompt(out)?;
            let key = self
                .0
                .read_key()
                .map_err(|e| format!("cannot read a key: {e}"))?;
            let answer = match key {
                ::console::Key::Char(c) => {
                    writeln(out, &c.to_string())?;
                    let answer = Answer::from_word(&c.to_string());
                    if answer.is_none() {
                        not_an_answer(out, &c.to_string())?;
                    }
                    answer
                }
                // Escape and Ctrl-C leave as `q` does, keeping the rest pending.
                ::console::Key::Escape | ::console::Key::CtrlC => {
                    writeln(out, "q")?;
                    Some(Answer::Quit)
                }
                other => {
                    writeln(out, "")?;
                    not_an_answer(out, &format!("{other:?}"))?;
                    None
                }
            };
            if let Some(answer) = answer {
                return Ok(answer);
            }
        }
    }
}

fn prompt(out: &mut dyn Write) -> Result<(), String> {
    write!(out, "{PROMPT}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write: {e}"))
}

fn writeln(out: &mut dyn Write, text: &str) -> Result<(), String> {
    writeln!(out, "{text}").map_err(|e| format!("cannot write: {e}"))
}

fn not_an_answer(out: &mut dyn Write, what: &str) -> Result<(), String> {
    writeln(
        out,
        &format!("`{what}` is not an answer: press a to accept, r to reject, s to skip, q to quit"),
    )
}

/// A pending snapshot and what it belongs to.
#[derive(Debug)]
pub struct Pending {
    /// The pending file.
    pub path: PathBuf,
    /// The scenario whose snapshot it is, when the suite still has it.
    pub scenario: Option<ScenarioFile>,
}

/// The pending snapshots at `paths`, each with its scenario from the suite under
/// `specs_dir` (whose snapshots live under `snapshots_dir`).
pub fn with_scenarios(paths: Vec<PathBuf>, specs_dir: &Path, snapshots_dir: &Path) -> Vec<Pending> {
    // A file that does not load has nothing to show here: `check` says why.
    let (files, _) = crate::spec::load_suite(&[specs_dir.to_path_buf()], specs_dir);
    let mut by_snapshot: std::collections::HashMap<PathBuf, ScenarioFile> = files
        .into_iter()
        .map(|f| (store::snapshot_path(snapshots_dir, &f.relative), f))
        .collect();
    paths
        .into_iter()
        .map(|path| Pending {
            scenario: by_snapshot.remove(&store::stored_path(&path)),
            path,
        })
        .collect()
}

/// The steps of `file` whose snapshot entries differ between `old` and `new` (all of
/// its snapshot steps when that cannot be told): `step N "name" at file:line:col`.
pub fn changed_steps(file: &ScenarioFile, old: &str, new: &str) -> Vec<String> {
    let entries = |text: &str| {
        serde_yaml::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|doc| doc.get("steps").cloned())
    };
    let (old, new) = (entries(old), entries(new));
    let masker = Masker::default();
    let snapshotted: Vec<(
        usize,
        &crate::yaml::Spanned<crate::spec::model::Step>,
        String,
    )> = file
        .scenario
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, step)| step.value.snapshot_key(i).map(|key| (i, step, key)))
        .collect();
    let differs = |key: &str| {
        let entry =
            |doc: &Option<serde_json::Value>| doc.as_ref().and_then(|d| d.get(key)).cloned();
        entry(&old) != entry(&new)
    };
    let changed: Vec<_> = snapshotted
        .iter()
        .filter(|(_, _, key)| differs(key))
        .collect();
    let shown = if changed.is_empty() {
        snapshotted.iter().collect()
    } else {
        changed
    };
    shown
        .into_iter()
        .map(|(i, step, _)| {
            format!(
                "step {} {:?} at {}:{}",
                i + 1,
                masker.text(&step.value.name),
                file.path.display(),
                step.span
            )
        })
        .collect()
}

/// What a review decided.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Accepted snapshots.
    pub accepted: usize,
    /// Rejected snapshots.
    pub rejected: usize,
    /// Snapshots still pending (skipped, or not reached after a quit).
    pub pending: usize,
    /// Whether the review was quit before the last one.
    pub quit: bool,
}

/// Shows each of `pending` on `out` and does what `answers` say.
pub fn review(
    pending: &[Pending],
    answers: &mut dyn Answers,
    out: &mut dyn Write,
) -> Result<Tally, String> {
    let mut tally = Tally::default();
    for (n, item) in pending.iter().enumerate() {
        if tally.quit {
            tally.pending += 1;
            continue;
        }
        let stored = store::stored_path(&item.path);
        // No stored file yet: everything in the pending one is new.
        let old = std::fs::read_to_string(&stored).unwrap_or_default();
        let new = std::fs::read_to_string(&item.path)
            .map_err(|e| format!("cannot read {}: {e}", item.path.display()))?;
        writeln(
            out,
            &format!("[{}/{}] {}", n + 1, pending.len(), stored.display()),
        )?;
        match &item.scenario {
            Some(file) => {
                let name = Masker::default().text(&file.scenario.name);
                writeln(out, &format!("  scenario {name:?} ({})", file.id))?;
                for step in changed_steps(file, &old, &new) {
                    writeln(out, &format!("  {step}"))?;
                }
            }
            None => writeln(out, "  (no scenario in the suite has this snapshot)")?,
        }
        writeln(out, &console::word_diff(&old, &new, "stored", "pending"))?;
        match answers.ask(out)? {
            Answer::Accept => {
                store::accept(&item.path)?;
                tally.accepted += 1;
            }
            Answer::Reject => {
                store::reject(&item.path)?;
                tally.rejected += 1;
            }
            Answer::Skip => tally.pending += 1,
            Answer::Quit => {
                tally.pending += 1;
                tally.quit = true;
            }
        }
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_keys_stand_for_answers() {
        assert_eq!(Answer::from_word("a\n"), Some(Answer::Accept));
        assert_eq!(Answer::from_word(" Reject "), Some(Answer::Reject));
        assert_eq!(Answer::from_word("s"), Some(Answer::Skip));
        assert_eq!(Answer::from_word("Q"), Some(Answer::Quit));
        assert_eq!(Answer::from_word("x"), None);
        assert_eq!(Answer::from_word(""), None);
    }

    #[test]
    fn a_line_that_is_no_answer_is_asked_again_and_the_end_quits() {
        let mut answers = Lines(&b"x\n\nr\n"[..]);
        let mut out = Vec::new();
        assert_eq!(answers.ask(&mut out).unwrap(), Answer::Reject);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches(PROMPT).count(), 3, "{text}");
        assert!(text.contains("`x` is not an answer"), "{text}");
        let mut out = Vec::new();
        assert_eq!(answers.ask(&mut out).unwrap(), Answer::Quit);
    }
}
