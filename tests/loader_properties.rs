//! Properties of the scenario loader: whatever bytes a scenario file or
//! `gatecheck.yaml` holds, loading ends in a scenario or a located error, never a
//! panic or a hang; and a real scenario with one thing changed still does.
//!
//! 64 cases per property so that `cargo test` stays quick; for a longer search:
//! `PROPTEST_CASES=20000 cargo test --release --test loader_properties`.

use std::path::Path;

use gatecheck::spec::load::parse;
use gatecheck::target::Config as Targets;
use proptest::prelude::*;

mod common;

/// A real scenario of the suite, to mutate.
const SCENARIO: &str = include_str!("../specs/braintree/customer_update/validation_failures.yaml");

/// Pieces that stress YAML and the scenario language.
const PIECES: &[&str] = &[
    ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!str ", "!tag ", "---\n", "\t", "\"", "'", "${",
    "${env:X}", "$.", "$[?", "lenght: ", "equals: ", "\n  ", "\n", "#", "|\n", ">\n", "\u{feff}",
    "\u{0}", "~", "null", "<<: *a\n",
];

/// `SCENARIO` with a few pieces inserted and a few ranges cut.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (any::<prop::sample::Index>(), 0..PIECES.len(), any::<bool>()),
        1..6,
    )
    .prop_map(|edits| {
        let mut text = SCENARIO.as_bytes().to_vec();
        for (at, piece, cut) in edits {
            let i = at.index(text.len() + 1);
            if cut {
                let end = (i + 7).min(text.len());
                text.drain(i..end);
            } else {
                text.splice(i..i, PIECES[piece].bytes());
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(Path::new("x.yaml"), &bytes);
    }

    #[test]
    fn yaml_soup_never_panics(pieces in prop::collection::vec(0..PIECES.len(), 0..64)) {
        let text: String = pieces.iter().map(|i| PIECES[*i]).collect();
        let _ = parse(Path::new("x.yaml"), text.as_bytes());
    }

    #[test]
    fn a_mutated_scenario_loads_or_is_located(bytes in mutated()) {
        if let Err(d) = parse(Path::new("x.yaml"), &bytes) {
            // Every refusal says where, unless it is about the whole file.
            let whole_file = d.message.contains("bytes are refused");
            prop_assert!(whole_file || d.line.is_some(), "unlocated: {d}");
        }
    }

    #[test]
    fn a_mutated_targets_file_loads_or_is_located(bytes in mutated()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("gatecheck.yaml");
        std::fs::write(&path, &bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = Targets::load(&path);
    }
}
