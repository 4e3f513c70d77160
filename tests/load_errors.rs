//! Every load error is reported at the exact key or value at fault: one golden file
//! per broken input under `tests/golden/load_errors/`, holding the whole message, since
//! the message is the product. `GOLDEN_UPDATE=1 cargo test --test load_errors` rewrites
//! them; review the diff before committing.

use std::path::{Path, PathBuf};

use gatecheck::spec::load::load_file;
use gatecheck::target::Config;

const DIR: &str = "tests/golden/load_errors";

/// What loading `path` says: every diagnostic in full, or `loaded`.
fn messages(path: &Path) -> String {
    let name = path.to_string_lossy();
    if name.ends_with(".gatecheck.yaml") {
        return match Config::load(path) {
            Ok(_) => "loaded\n".into(),
            Err(e) => format!("{e}\n"),
        };
    }
    match load_file(path, Path::new(DIR)) {
        Ok(_) => "loaded\n".into(),
        Err(diagnostics) => diagnostics
            .iter()
            .map(|d| format!("{d}\n"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn load_errors_match_their_golden_files() {
    let update = std::env::var_os("GOLDEN_UPDATE").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("the golden directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 15, "inputs went missing: {inputs:?}");
    let mut wrong = Vec::new();
    for input in inputs {
        let golden = input.with_extension("txt");
        let got = messages(&input);
        if update {
            std::fs::write(&golden, &got).expect("write the golden file");
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if got != want {
            wrong.push(format!(
                "{}:\n--- golden\n{want}--- got\n{got}",
                input.display()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "messages changed (GOLDEN_UPDATE=1 rewrites them):\n{}",
        wrong.join("\n")
    );
}
