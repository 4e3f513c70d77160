//! What comparing costs next to running: `gatecheck diff` of the whole suite between
//! two embedded targets (each scenario on A twice, for noise, and on B once) against
//! `gatecheck run` on one. Expected: about 3× a single run, not more.
//!
//! `cargo bench --bench diff` (release); `DIFF_BENCH_ROUNDS=N` for more rounds.

#![allow(clippy::unwrap_used)] // A bench stops at its first surprise.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gatecheck");

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("DIFF_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = std::fs::read_to_string(root.join("gatecheck.yaml")).unwrap();
    // A second embedded target, the same as the first: a diff with nothing to find
    // still does all the work of one.
    let start = repo.find("  embedded:").unwrap();
    let end = repo[start..].find("\n\n").map_or(repo.len(), |i| start + i);
    let mirror = repo[start..end].replacen("  embedded:", "  mirror:", 1);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gatecheck.yaml");
    let text = format!("{}\n{mirror}{}", &repo[..end], &repo[end..])
        .replacen(
            "specs: specs",
            &format!("specs: {}", root.join("specs").display()),
            1,
        )
        .replacen(
            "snapshots: snapshots",
            &format!("snapshots: {}", root.join("snapshots").display()),
            1,
        );
    std::fs::write(&config, text).unwrap();
    let time = |args: &[&str]| {
        let started = Instant::now();
        let out = Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        started.elapsed()
    };
    let (mut runs, mut diffs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        runs.push(time(&["run", "--target", "embedded"]));
        diffs.push(time(&[
            "diff", "--target", "embedded", "--target", "mirror",
        ]));
    }
    let (run, diff) = (median(runs), median(diffs));
    println!(
        "run  (one target, whole suite):          median {:>7.1} ms",
        run.as_secs_f64() * 1e3
    );
    println!(
        "diff (A twice + B, whole suite):         median {:>7.1} ms",
        diff.as_secs_f64() * 1e3
    );
    println!(
        "diff / run:                              {:.2}x (goal: about 3x)",
        diff.as_secs_f64() / run.as_secs_f64()
    );
}
