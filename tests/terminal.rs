//! gatecheck at a terminal and piped: `run` prints plain and in a fixed order when
//! piped, a live bar with failures shown as they happen on a terminal; `review` takes
//! single keys on a terminal. The terminal is a pty from util-linux's `script`.
//!
//! Hermetic: the repository's suite is copied into a temp dir and run on the embedded
//! gateway (127.0.0.1:0); no sleeps, nothing timed.

#![allow(clippy::unwrap_used)] // A test stops at its first surprise.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gatecheck");

/// The repository's targets file, suite and snapshots in a temp dir, so a run writes
/// nothing into the repository.
fn suite_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("gatecheck.yaml"),
        dir.path().join("gatecheck.yaml"),
    )
    .unwrap();
    for sub in ["specs", "snapshots"] {
        copy_tree(&repo.join(sub), &dir.path().join(sub));
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `gatecheck` in `dir`, as a developer's shell would start it (no `CI`).
fn gatecheck(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("GATECHECK_UPDATE")
        .env_remove("GATECHECK_CONFIG");
    c
}

/// Stdout with what differs between two identical runs taken out: times and the
/// embedded gateway's port.
fn normalized(stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(stdout);
    let ms = regex::Regex::new(r"\(\d+ ms\)").unwrap();
    let secs = regex::Regex::new(r"in \d+\.\d+s").unwrap();
    let port = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap();
    let text = ms.replace_all(&text, "(_ ms)");
    let text = secs.replace_all(&text, "in _s");
    port.replace_all(&text, "127.0.0.1:_").into_owned()
}

#[test]
fn piped_output_is_the_same_on_every_run_and_in_the_suite_order() {
    let dir = suite_copy();
    let runs: Vec<String> = (0..2)
        .map(|_| {
            let out = gatecheck(dir.path(), &["run", "--jobs", "16"])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stdout)
            );
            normalized(&out.stdout)
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    // The per-scenario lines follow the order `list` gives, not the order they finished.
    let list = gatecheck(dir.path(), &["list"]).output().unwrap();
    let listed: Vec<&str> = std::str::from_utf8(&list.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("(skipped:"))
        .filter_map(|l| l.split('\t').next())
        .collect();
    let printed: Vec<&str> = runs[0]
        .lines()
        .filter_map(|l| l.strip_prefix("  PASS "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert!(listed.len() > 100, "{listed:?}");
    assert_eq!(printed, listed);
    // Plain text only: no bar, no styles.
    assert!(!runs[0].contains('\u{1b}'), "{}", runs[0]);
}

/// A scenario that fails on the embedded gateway: it expects 200 where 201 comes.
const FAILING: &str = "name: Expects what does not come
api: braintree
steps:
  - name: a customer
    request:
      method: POST
      path: /merchants/${merchant_id}/customers
      body: { customer: { id: \"c-${run_id}\" } }
    expect:
      status: 200
";

/// What a terminal showed, without styles and with `\n` line ends.
fn terminal_text(transcript: &[u8]) -> String {
    anstream::adapter::strip_str(&String::from_utf8_lossy(transcript))
        .to_string()
        .replace("\r\n", "\n")
}

/// Whether the transcript holds a state of the bar after the failure.
fn bar_counted_a_failure(text: &str) -> bool {
    regex::Regex::new(r"\[\d\d:\d\d:\d\d\].* \d+/\d+ \d+ passed, 1 failed, 0 skipped · ")
        .unwrap()
        .is_match(text)
}

/// `command` run by `script` on a pty in `dir`, with `keys` typed, as a developer's
/// terminal would (no `CI`, colours on).
fn on_a_pty(dir: &Path, command: &str, keys: &str) -> (Option<i32>, String) {
    use std::io::Write as _;
    let mut child = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("GATECHECK_UPDATE")
        .env_remove("GATECHECK_CONFIG")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux's `script` runs gatecheck on a pty");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(keys.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), terminal_text(&out.stdout))
}

#[test]
fn on_a_terminal_review_takes_single_keys_and_asks_again() {
    let dir = suite_copy();
    let snap = dir
        .path()
        .join("snapshots/rapyd/customer_update/unknown_customer.snap.yaml");
    let stored = std::fs::read_to_string(&snap).unwrap();
    assert!(stored.contains("The request was rejected."));
    std::fs::write(&snap, stored.replace("was rejected.", "was refused.")).unwrap();
    let run = gatecheck(
        dir.path(),
        &["run", "specs/rapyd/customer_update/unknown_customer.yaml"],
    )
    .output()
    .unwrap();
    assert_eq!(run.status.code(), Some(1));
    // No Enter: `z` is refused at once, `a` accepts.
    let (code, text) = on_a_pty(dir.path(), &format!("{BIN} review"), "za");
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("`z` is not an answer"), "{text}");
    assert!(
        text.contains("step 1 \"update a customer that was never made\" at specs/rapyd/customer_update/unknown_customer.yaml:9:5"),
        "{text}"
    );
    assert!(
        text.contains("1 accepted, 0 rejected, 0 still pending"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&snap).unwrap(), stored);
}

#[test]
fn on_a_terminal_a_failure_is_shown_whole_as_it_happens() {
    let dir = suite_copy();
    // First in the suite's order, so that the bar is drawn after the failure: a failure
    // finishing last may end the run before the bar's next redraw.
    std::fs::write(dir.path().join("specs/braintree/aa_fails.yaml"), FAILING).unwrap();
    let (code, text) = on_a_pty(
        dir.path(),
        &format!("{BIN} run --jobs 4 specs/braintree"),
        "",
    );
    assert_eq!(code, Some(1), "{text}");
    // The bar counted: `[00:00:01] ===> 40/148 39 passed, 1 failed, 0 skipped · id`.
    assert!(bar_counted_a_failure(&text), "{text}");
    // The located block came while the run went on, not at the end.
    let block = text
        .find("── braintree::aa_fails")
        .unwrap_or_else(|| panic!("no failure block:\n{text}"));
    let end_list = text
        .find("failures (shown above):")
        .unwrap_or_else(|| panic!("no list of failures:\n{text}"));
    assert!(block < end_list, "{text}");
    assert!(
        text[block..].contains("--> specs/braintree/aa_fails.yaml:"),
        "{text}"
    );
    assert!(!text.contains("\nfailures:\n"), "{text}");

    // `--no-progress` on the same terminal: plain, failures at the end.
    let (_, text) = on_a_pty(
        dir.path(),
        &format!("{BIN} run --jobs 4 --no-progress specs/braintree"),
        "",
    );
    assert!(text.contains("\nfailures:\n"), "{text}");
    assert!(!bar_counted_a_failure(&text), "{text}");
}
