//! The layers of `src/` point one way. Each top-level module may use only the modules
//! of lower layers, and the peers this table names; the embedded gateway uses only
//! the shared codecs and never the harness. Every `crate::…` path in `src/` (outside
//! comments) is checked against the table, written once here.

use std::path::Path;

/// Layer by layer, bottom first: (module, layer, peers of the same layer it may use).
const LAYERS: &[(&str, u8, &[&str])] = &[
    ("suggest", 0, &[]),
    // The unit tests' property-test settings.
    ("proptest_config", 0, &[]),
    ("yaml", 0, &["suggest", "proptest_config"]),
    ("wire", 0, &["proptest_config"]),
    ("mask", 0, &[]),
    ("signature", 0, &[]),
    ("server", 0, &[]),
    ("spec", 1, &[]),
    ("target", 1, &["spec"]),
    ("run", 2, &["snapshot", "webhook"]),
    ("snapshot", 2, &[]),
    ("webhook", 2, &[]),
    ("diff", 2, &["run"]),
    ("report", 3, &[]),
    ("project", 3, &[]),
    ("schema", 3, &[]),
    ("review", 3, &["report"]),
];

/// What the reference gateway may use besides itself: it meets the harness only
/// over HTTP.
const SANDBOX_USES: &[&str] = &["wire", "signature", "mask", "server"];

/// Whether `from` may use `to`; the reason when it may not.
fn allowed(from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Ok(());
    }
    if from == "sandbox" {
        return if SANDBOX_USES.contains(&to) {
            Ok(())
        } else {
            Err(format!(
                "the gateway uses only {SANDBOX_USES:?}, never the harness"
            ))
        };
    }
    let layer = |m: &str| LAYERS.iter().find(|(name, ..)| *name == m);
    let Some((_, from_layer, peers)) = layer(from) else {
        return Err(format!("`{from}` has no layer: add it to LAYERS"));
    };
    if to == "sandbox" {
        return if *from_layer >= 3 {
            Ok(())
        } else {
            Err("only the top layer starts the gateway".into())
        };
    }
    let Some((_, to_layer, _)) = layer(to) else {
        return Err(format!("`{to}` has no layer: add it to LAYERS"));
    };
    if to_layer < from_layer || (to_layer == from_layer && peers.contains(&to)) {
        Ok(())
    } else {
        Err(format!(
            "layer {from_layer} uses layer {to_layer}: the arrow points up"
        ))
    }
}

/// Every module a line of code names with a `crate::` path.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .filter(|(i, _)| {
            // `gatecheck_crate::` and the like are other paths.
            !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        })
        .map(|(i, m)| {
            code[i + m.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .filter(|m: &String| !m.is_empty())
        .collect()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_arrow_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a source");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for to in crate_paths(line) {
                if let Err(why) = allowed(&top, &to) {
                    wrong.push(format!(
                        "src/{}:{}: `{top}` uses `crate::{to}`: {why}",
                        relative.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_refuses_upward_arrows() {
    assert!(allowed("wire", "spec").is_err());
    assert!(allowed("spec", "snapshot").is_err());
    assert!(allowed("run", "report").is_err());
    assert!(allowed("sandbox", "spec").is_err());
    assert!(allowed("snapshot", "run").is_err());
    assert!(allowed("spec", "sandbox").is_err());
    assert!(allowed("run", "spec").is_ok());
    assert!(allowed("run", "webhook").is_ok());
    assert!(allowed("sandbox", "wire").is_ok());
    assert_eq!(
        crate_paths("use crate::spec::model::{Step}; // crate::report"),
        ["spec"]
    );
    assert_eq!(
        crate_paths("x(crate::mask::luhn(a), crate::wire::form)"),
        ["mask", "wire"]
    );
}
