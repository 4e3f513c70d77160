//! What `gatecheck run` (and `diff`) print while scenarios run.
//!
//! On a terminal a live bar counts what finished (done/total, passed, failed, skipped,
//! elapsed, the last scenario to finish) and each scenario's line, and the full block
//! of a failure, is printed above it as it finishes. Otherwise (output piped, `CI` set,
//! `TERM=dumb`, `--no-progress`) the output is plain and its order does not depend on
//! timing: a scenario's line waits until every scenario before it in the run's order
//! has finished, and failure blocks come at the end.
//!
//! Everything printed or put in the bar comes from a [`ScenarioOutcome`], which the
//! runner has masked, through the console's renderers: no other text reaches it.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::console;
use crate::run::ScenarioOutcome;

/// How often the bar redraws on its own, so the elapsed time moves while a slow
/// scenario runs.
const TICK: Duration = Duration::from_millis(200);

/// Whether a live bar fits where stdout goes: a terminal, not CI, not `TERM=dumb`, and
/// not refused with `--no-progress`.
pub fn live_wanted(no_progress: bool) -> bool {
    let term_dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    !no_progress
        && !term_dumb
        && !crate::snapshot::store::in_ci()
        && std::io::stdout().is_terminal()
}

/// The passed/failed/skipped counts the bar shows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Scenarios that passed.
    pub passed: usize,
    /// Scenarios that finished and failed (errors included).
    pub failed: usize,
    /// Scenarios not run: not served by the target, marked `skip:`, or stopped
    /// before their end.
    pub skipped: usize,
    /// Scenarios that failed as their `xfail:` expects.
    pub xfailed: usize,
}

impl Counts {
    /// Counts one finished scenario.
    pub fn add(&mut self, outcome: &ScenarioOutcome) {
        if outcome.passed() {
            self.passed += 1;
        } else if outcome.cut_off() {
            self.skipped += 1;
        } else if outcome.xfailed() {
            self.xfailed += 1;
        } else {
            self.failed += 1;
        }
    }

    /// `3 passed, 1 failed, 2 skipped` (then `, 1 xfailed` when there are any).
    pub fn text(&self) -> String {
        let xfailed = match self.xfailed {
            0 => String::new(),
            n => format!(", {n} xfailed"),
        };
        format!(
            "{} passed, {} failed, {} skipped{xfailed}",
            self.passed, self.failed, self.skipped
        )
    }

    /// Shows the counts and the last scenario to finish on `bar`.
    fn show(&self, bar: &ProgressBar, last: &ScenarioOutcome) {
        bar.inc(1);
        bar.set_prefix(self.text());
        // The id is cut to the terminal's width; the counts before it are not. It is a
        // path, but a path can hold a card number too.
        bar.set_message(crate::mask::Masker::default().text(&last.id));
    }
}

/// The lines one finished scenario prints: its verdict line; every step's exchange
/// with `verbose`; and, when failures are shown as they happen (`live`), its failure
/// block, except for a target that could not be reached, which the run says once.
pub fn finished_lines(outcome: &ScenarioOutcome, verbose: bool, live: bool) -> Vec<String> {
    let mut lines = vec![console::progress_line(outcome)];
    if verbose {
        lines.push(console::verbose_block(outcome));
    }
    if live && outcome.failed() && outcome.unreachable().is_none() {
        lines.push(console::failure_block(outcome));
    }
    lines
}

/// Holds lines back so they come out in the run's order whatever order scenarios
/// finish in: a scenario's lines are released once every scenario before it has.
#[derive(Debug, Default)]
pub struct InOrder {
    /// The positions of each test id in the run's order (a list, should one repeat).
    slots: HashMap<String, VecDeque<usize>>,
    /// The first position not released yet.
    next: usize,
    /// The next position for an id the order does not list (none should come): after
    /// every listed one, in the order they come.
    unlisted: usize,
    /// Lines of finished scenarios waiting for an earlier one.
    waiting: BTreeMap<usize, Vec<String>>,
}

impl InOrder {
    /// An order over the test ids of the run, as the trials are listed.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut slots: HashMap<String, VecDeque<usize>> = HashMap::new();
        let mut listed = 0;
        for (index, id) in ids.into_iter().enumerate() {
            slots.entry(id.to_string()).or_default().push_back(index);
            listed = index + 1;
        }
        InOrder {
            slots,
            next: 0,
            unlisted: listed,
            waiting: BTreeMap::new(),
        }
    }

    /// Records the lines of scenario `id` and returns what may be printed now.
    pub fn push(&mut self, id: &str, lines: Vec<String>) -> Vec<String> {
        // An id the order does not list (none should come) goes after all the others.
        let slot = match self.slots.get_mut(id).and_then(VecDeque::pop_front) {
            Some(slot) => slot,
            None => {
                self.unlisted += 1;
                self.unlisted - 1
            }
        };
        self.waiting.insert(slot, lines);
        let mut ready = Vec::new();
        while let Some(lines) = self.waiting.remove(&self.next) {
            ready.extend(lines);
            self.next += 1;
        }
        ready
    }

    /// Everything still held (scenarios after one that never finished), in order.
    pub fn drain(&mut self) -> Vec<String> {
        std::mem::take(&mut self.waiting)
            .into_values()
            .flatten()
            .collect()
    }
}

/// Where lines go: above a live bar, or plain and in the run's order.
enum Sink {
    Live {
        bar: ProgressBar,
        /// Whether styles may be written (`NO_COLOR` and the like say no).
        colour: bool,
    },
    /// Lines in suite order, on stdout as `anstream` adapts it (decided once: asking
    /// per line was a terminal check for every scenario).
    Plain(InOrder, anstream::AutoStream<std::io::Stdout>),
}

/// Prints `line` on `out` as `anstream::println!` does: a closed pipe is not an
/// error, any other failure to write is.
fn print_line(out: &mut anstream::AutoStream<std::io::Stdout>, line: &str) {
    use std::io::Write as _;
    if let Err(e) = writeln!(out, "{line}")
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        panic!("failed printing to stdout: {e}");
    }
}

/// A bar drawn on stdout with the given length.
fn new_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stdout());
    // The template is a constant: only a bug could make it invalid, and then the
    // default style still counts.
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:20} {pos}/{len} {prefix} · {wide_msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(TICK);
    bar
}

/// Whether styles written to stdout reach the reader (`anstream`'s choice:
/// `NO_COLOR`, `CLICOLOR`, terminal or not).
fn stdout_takes_colour() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// The progress of `gatecheck run`: fed each scenario as it finishes.
pub struct RunProgress {
    sink: Sink,
    counts: Counts,
    verbose: bool,
}

impl RunProgress {
    /// Progress over the scenarios `ids` (in the run's order), `skipped` more not run
    /// at all; live as [`live_wanted`] says.
    pub fn new<'a>(
        ids: impl IntoIterator<Item = &'a str>,
        skipped: usize,
        live: bool,
        verbose: bool,
    ) -> Self {
        let order = InOrder::new(ids);
        let sink = if live {
            let total = order.slots.values().map(VecDeque::len).sum();
            Sink::Live {
                bar: new_bar(total),
                colour: stdout_takes_colour(),
            }
        } else {
            Sink::Plain(order, anstream::stdout())
        };
        RunProgress {
            sink,
            counts: Counts {
                skipped,
                ..Counts::default()
            },
            verbose,
        }
    }

    /// Whether failures are printed as they happen (and so not again at the end).
    pub fn live(&self) -> bool {
        matches!(self.sink, Sink::Live { .. })
    }

    /// Takes one finished scenario.
    pub fn finished(&mut self, outcome: &ScenarioOutcome) {
        self.counts.add(outcome);
        let live = self.live();
        let lines = finished_lines(outcome, self.verbose, live);
        match &mut self.sink {
            Sink::Live { bar, colour } => {
                for line in lines {
                    bar.println(plain_unless(*colour, &line));
                }
                self.counts.show(bar, outcome);
            }
            Sink::Plain(order, out) => {
                for line in order.push(&outcome.id, lines) {
                    print_line(out, &line);
                }
            }
        }
    }

    /// Ends the progress: the bar is cleared, held lines are printed.
    pub fn finish(&mut self) {
        match &mut self.sink {
            Sink::Live { bar, .. } => bar.finish_and_clear(),
            Sink::Plain(order, out) => {
                for line in order.drain() {
                    print_line(out, &line);
                }
            }
        }
    }
}

/// A bar for runs counted without lines of their own (`gatecheck diff`'s runs on
/// both targets, whose verdicts come once they are compared): `None` when plain.
pub fn run_counter(total: usize, live: bool) -> Option<ProgressBar> {
    live.then(|| new_bar(total))
}

/// Counts one finished run on a [`run_counter`] bar.
pub fn count_run(bar: &ProgressBar, counts: &mut Counts, outcome: &ScenarioOutcome) {
    counts.add(outcome);
    counts.show(bar, outcome);
}

/// `text` without styles when they would not be shown (the bar writes to the terminal
/// directly, past `anstream`).
fn plain_unless(colour: bool, text: &str) -> String {
    if colour {
        text.to_string()
    } else {
        anstream::adapter::strip_str(text).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_out_in_the_run_order_whatever_order_scenarios_finish_in() {
        let mut order = InOrder::new(["a", "b", "c", "d"]);
        assert!(order.push("c", vec!["c".into()]).is_empty());
        assert!(order.push("b", vec!["b".into()]).is_empty());
        assert_eq!(
            order.push("a", vec!["a".into(), "a2".into()]),
            ["a", "a2", "b", "c"]
        );
        assert_eq!(order.push("d", vec!["d".into()]), ["d"]);
        assert!(order.drain().is_empty());
    }

    #[test]
    fn lines_after_a_scenario_that_never_finished_come_out_at_the_end() {
        let mut order = InOrder::new(["a", "b", "c"]);
        assert!(order.push("c", vec!["c".into()]).is_empty());
        // `a` was never started (the run stopped): `c` is still printed, at the end.
        assert!(order.push("b", vec!["b".into()]).is_empty());
        assert_eq!(order.drain(), ["b", "c"]);
    }

    #[test]
    fn ids_the_order_does_not_list_come_after_the_others() {
        let mut order = InOrder::new(["a"]);
        assert!(order.push("x", vec!["x".into()]).is_empty());
        assert!(order.push("y", vec!["y".into()]).is_empty());
        assert_eq!(order.push("a", vec!["a".into()]), ["a", "x", "y"]);
    }

    #[test]
    fn a_repeated_id_takes_its_positions_in_turn() {
        let mut order = InOrder::new(["x", "y", "x"]);
        assert_eq!(order.push("x", vec!["x1".into()]), ["x1"]);
        assert!(order.push("x", vec!["x2".into()]).is_empty());
        assert_eq!(order.push("y", vec!["y".into()]), ["y", "x2"]);
    }

    #[test]
    fn the_bar_counts_and_names_the_last_scenario() {
        let mut counts = Counts {
            passed: 3,
            failed: 1,
            skipped: 2,
            xfailed: 0,
        };
        assert_eq!(counts.text(), "3 passed, 1 failed, 2 skipped");
        let bar = ProgressBar::hidden();
        bar.set_length(10);
        count_run(&bar, &mut counts, &outcome("bt::x", None));
        assert_eq!(bar.position(), 1);
        assert_eq!(bar.prefix(), "4 passed, 1 failed, 2 skipped");
        assert_eq!(bar.message(), "bt::x");
        count_run(&bar, &mut counts, &outcome("bt::4111111111111111", None));
        assert!(
            !bar.message().contains("4111111111111111"),
            "{}",
            bar.message()
        );
    }

    /// A scenario that ran no step: failed with `message`, or passed without one.
    fn outcome(id: &str, message: Option<&str>) -> ScenarioOutcome {
        let masker = crate::mask::Masker::default();
        let source = "name: x\nsteps: []\n";
        let failures = message.map(|m| {
            let failure = crate::run::Failure::new(
                crate::yaml::Span::new(2, 1),
                crate::run::FailureKind::Other { message: m.into() },
            );
            masker.mask(failure.in_source(source))
        });
        ScenarioOutcome {
            id: id.into(),
            name: masker.mask("x".to_string()),
            file: "specs/x.yaml".into(),
            target: "t".into(),
            steps: Vec::new(),
            snapshot: None,
            failures: failures.into_iter().collect(),
            xfail: None,
            duration: Duration::from_millis(7),
        }
    }

    fn plain(lines: &[String]) -> String {
        anstream::adapter::strip_str(&lines.join("\n")).to_string()
    }

    #[test]
    fn a_failure_is_shown_whole_as_it_happens_only_when_live() {
        let failed = outcome("a::b", Some("card 4111 1111 1111 1111 refused"));
        let live = plain(&finished_lines(&failed, false, true));
        assert!(live.starts_with("  FAIL a::b (7 ms)\n"), "{live}");
        // The located block, masked as at the end of a plain run.
        assert!(live.contains("--> specs/x.yaml:2:1"), "{live}");
        assert!(live.contains("refused"), "{live}");
        assert!(!live.contains("4111 1111 1111 1111"), "{live}");
        let piped = plain(&finished_lines(&failed, false, false));
        assert_eq!(piped, "  FAIL a::b (7 ms)");
        let passed = plain(&finished_lines(&outcome("a::c", None), false, true));
        assert_eq!(passed, "  PASS a::c (7 ms)");
        let verbose = plain(&finished_lines(&outcome("a::c", None), true, true));
        assert!(verbose.contains("── a::c"), "{verbose}");
    }

    #[test]
    fn counts_sort_outcomes() {
        let mut counts = Counts::default();
        counts.add(&outcome("a", None));
        counts.add(&outcome("b", Some("no")));
        assert_eq!(counts.text(), "1 passed, 1 failed, 0 skipped");
    }

    #[test]
    fn styles_are_stripped_when_colour_is_off() {
        let styled = format!("{}x{}", anstyle::AnsiColor::Red.render_fg(), anstyle::Reset);
        assert_eq!(plain_unless(false, &styled), "x");
        assert_eq!(plain_unless(true, &styled), styled);
    }
}
