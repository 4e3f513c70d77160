//! [`super::block`] checked against saphyr's path, the oracle: whenever the fast
//! reader answers, saphyr must read the same text to the identical tree, spans
//! included. On every YAML file of the repository, and on texts generated from the
//! subset's grammar and then damaged.
//!
//! 64 generated cases per property so that `cargo test` stays quick; for a longer
//! search: `PROPTEST_CASES=20000 cargo test --release --lib yaml::oracle`.
//! `GATECHECK_YAML_DIR=/some/suite` also checks every `.yaml` under that directory
//! (a suite the benchmark generated, say).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::block;
use super::error::ErrorKind;
use super::node::{Limits, parse, parse_with_saphyr};
use super::span::Span;

/// Checks `text` both ways: answers whether the fast reader read it.
fn agree(text: &str, limits: &Limits) -> Result<bool, String> {
    let Some(fast) = block::read(text, limits) else {
        return Ok(false);
    };
    match parse_with_saphyr(text, limits) {
        Ok(slow) if slow == fast => Ok(true),
        Ok(slow) => Err(format!(
            "different trees for {text:?}:\nfast: {fast:?}\nsaphyr: {slow:?}"
        )),
        Err(e) => Err(format!("fast read {text:?}, saphyr refused it: {e:?}")),
    }
}

/// The YAML files under `dir`, but not those of the client libraries `.ci/run`
/// installs under `tests/clients/` (`node_modules`, `.venv`): they are not ours, and
/// are there only once the clients' flows have run.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Links are not followed: a loop of them would never end.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let name = entry.file_name();
            if name == "node_modules" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn text_of(path: &Path) -> Option<String> {
    // Bounded as the loader's reads are: a stray huge file (or a device) is skipped.
    let limit = Limits::default().max_bytes;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).ok()?, limit as u64 + 1),
        &mut bytes,
    )
    .ok()?;
    if bytes.len() > limit {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    Some(text.trim_start_matches('\u{feff}').to_string())
}

#[test]
fn every_yaml_file_of_the_repository_reads_alike() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("gatecheck.yaml")];
    for dir in [
        "specs",
        "tests",
        "schema",
        "snapshots",
        "benches",
        "examples",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    if let Some(extra) = std::env::var_os("GATECHECK_YAML_DIR") {
        yaml_files(Path::new(&extra), &mut files);
    }
    let mut declined = Vec::new();
    for path in &files {
        let Some(text) = text_of(path) else { continue };
        match agree(&text, &Limits::default()) {
            Ok(true) => {}
            Ok(false) => declined.push(path.strip_prefix(root).unwrap_or(path).to_path_buf()),
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    assert!(files.len() > 100, "{} files", files.len());
    // Every scenario and fixture, and the targets file, take the fast path: the
    // files it declines are the broken ones kept to test error messages.
    let slow: Vec<_> = declined
        .iter()
        .filter(|p| !p.starts_with("tests/golden/load_errors") && !p.starts_with("snapshots"))
        .collect();
    assert!(
        slow.is_empty(),
        "valid files the fast reader leaves to saphyr (slower to load): {slow:?}; \
         teach yaml::block what they use, or list them here if that is not worth it"
    );
}

#[test]
fn the_fallback_still_locates_errors() {
    let cases: &[(&str, ErrorKind, Span)] = &[
        ("a:\n  b: 1\n c: 2\n", ErrorKind::Syntax, Span::new(3, 2)),
        (
            "a: 1\na: 2\n",
            ErrorKind::DuplicateKey {
                first: Span::new(1, 1),
            },
            Span::new(2, 1),
        ),
        ("a: [1, 2\nb: 3\n", ErrorKind::Syntax, Span::new(2, 2)),
        ("a: 'x\nb: 3\n", ErrorKind::Syntax, Span::new(1, 4)),
        ("a: !t 1\n", ErrorKind::Tag, Span::new(1, 4)),
        (
            "a: 1\n---\nb: 2\n",
            ErrorKind::ExtraDocument,
            Span::new(2, 1),
        ),
    ];
    for (text, kind, at) in cases {
        assert_eq!(block::read(text, &Limits::default()), None, "{text:?}");
        let e = parse(text.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!((&e.kind, e.span), (kind, Some(*at)), "{text:?}: {e:?}");
    }
}

#[test]
fn what_the_subset_holds_is_read_fast() {
    let texts = [
        "",
        "# only a comment\n",
        "a: 1\nb:\n  c: x y\n  d: [1, {e: f}, 'g''h']\n",
        "steps:\n- name: a\n  request:\n    path: /x/${id}\n-\n- - n\n  - m\n",
        "$.customer.id: \"c-\\u00e9\\n\"\n\"k\" : v  # c\n",
        "description: >\n  one\n  two\n\n  three\nnext: |-\n  kept\n    as is\nlast: |\n  x\n\n",
        "é: [é, 'é']\nu: http://x.y/z?a=b#c\n",
    ];
    for text in texts {
        assert_eq!(agree(text, &Limits::default()), Ok(true), "{text:?}");
    }
}

/// Corners of the subset, each read alike or declined.
#[test]
fn corners_read_alike_or_are_declined() {
    let texts = [
        "a : 1\n\"b\" : 2\n'c':  3\n",
        "a: b :c\nd: e:::f\ng: a#b # c\nh: -1\ni: --x\nj: ---\n-: x\n",
        "a:\n  # deeper comment\n\n# shallower\nb: 1\n",
        "a:\n- b:\n  - c\n  - d: 1\n    e:\n    - f\n- g\n",
        "- |\n  x\n- >-\n  a\n  b\n- a: |\n    x\n  b: >\n   y\n",
        "- a: |\n  x\n",
        "- [a, b]\n- {a: 1}\n- {a: [1, {b: c}], 'd': \"e\"}\n- [a] # c\n- [a]x\n",
        "a: 'it''s'\nb: \"\\x41\\u00e9\\U0001F600\\/\"\nc: \"\\ \"\nd: \"x\" \ne: 'x'  # c\n",
        "[a, b]\n",
        "{a: 1}\n",
        "hello\n",
        "hello\nworld\n",
        "  a: 1\n  b: 2\n",
        "a:\n  - b\n  -  c\n-   a: 1\n",
        "-   a: 1\n    b: 2\n",
        "a: -\nb: - c\n",
        "a: [- b]\nc: [b -]\nd: [b-]\n",
        "a: {b: }\n",
        "a: [b, ]\n",
        "a: {b: c, b: d}\n",
        "a: [b, c\n",
        "a: b\n  c\n",
        "a: |\n  x\n y\n",
        "a: |\n  x\n\n\n",
        "a: >\n  x\n\n\n  y\n",
        "a: |\n  x\n   \n  y\n",
        "a: |2\n  x\n",
        "a: |+\n  x\n\n",
        "a: >\n  x\n    y\n",
        "a: |\n  x",
        "a: b",
        "a:",
        "-",
        "- # c é\n-\n",
        "a: \"é\" # é\nb: é # é\n",
        "ключ: значение\n\"ключ2\": [д, е]\n",
        "a: {b: http://x/y, c: 'd'}\n",
        "a: {b: c:d}\n",
        "a: [b:c]\n",
        "a: [b: c]\n",
        "a: 1 # c\n  # indented comment\nb: 2\n",
        "a: 1 # c\n  b\n",
        "a:\n  b: 1\n c: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: &x 1\nb: *x\n",
        "? a\n: b\n",
        "%YAML 1.2\n---\na: 1\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a: \"x\ny\"\n",
        "a: 'x\n  y'\n",
    ];
    for text in texts {
        assert!(
            agree(text, &Limits::default()).is_ok(),
            "{text:?}: {:?}",
            agree(text, &Limits::default())
        );
    }
}

#[test]
fn nesting_and_size_past_the_limits_are_declined() {
    let deep: String = (0..200).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(block::read(&deep, &Limits::default()), None);
    let flow = format!("a: {}{}\n", "[".repeat(130), "]".repeat(130));
    assert_eq!(block::read(&flow, &Limits::default()), None);
    let small = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    assert_eq!(block::read("a: 1\nb: 2\nc: 3\n", &small), None);
    // A line of ten thousand `- ` is read without recursion.
    let dashes = format!("{}x\n", "- ".repeat(10_000));
    assert_eq!(block::read(&dashes, &Limits::default()), None);
}

/// Placing each of a long line's scalars counts its characters from the last one
/// placed, not from the line's start (which would be quadratic in the line's length).
#[test]
fn a_long_line_of_non_ascii_scalars_reads_alike() {
    let items = vec!["é"; 20_000].join(", ");
    let text = format!("a: [{items}]\nb: {{ü: [ß]}}\n");
    assert_eq!(agree(&text, &Limits::default()), Ok(true));
}

// --- generated texts --------------------------------------------------------------

fn config() -> Config {
    crate::proptest_config::proptest_config(64)
}

/// A tree to write out; scalars are fragments the writer styles.
#[derive(Debug, Clone)]
enum Tree {
    Text(String),
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
}

/// Pieces of scalars, chosen to sit near YAML's rules.
const WORDS: &[&str] = &[
    "a",
    "b",
    "id",
    "1",
    "-1",
    "0.5",
    "true",
    "null",
    "~",
    "$.customer.id",
    "${run_id}",
    "x[0]",
    "é",
    "ü-ß",
    "a:b",
    "http://h/p",
    "a#b",
    "-",
    ":",
    "#",
    "'",
    "\"",
    "\\",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "?",
    "|",
    ">",
    "%",
    "@",
    "`",
    " ",
    "  ",
    "\n",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{1F600}",
    "\t",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..4).prop_map(|w| w.concat())
}

fn key() -> impl Strategy<Value = String> {
    // Few keys, so that repeats happen.
    prop_oneof![
        4 => prop::sample::select(&["a", "b", "c", "name", "$.x", "a b", "é"][..]).prop_map(String::from),
        1 => text(),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    text()
        .prop_map(Tree::Text)
        .prop_recursive(6, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 0..5).prop_map(Tree::Map),
                prop::collection::vec(inner, 0..5).prop_map(Tree::Seq),
            ]
        })
}

/// Style choices, drawn from a seed so that one generated number drives them all.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next(n) == 0
    }
}

/// Whether `text` can be written plain (in a flow collection if `flow`).
fn plain_ok(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let second = text.chars().nth(1);
    !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\n', '\t', '\u{7f}', '\u{85}', '\u{2028}'])
        && !(flow && text.contains([',', '[', ']', '{', '}', '#']))
        && !(flow && (text.contains(':') || text.ends_with('-')))
        && !"?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && matches!(second, None | Some(' ')))
        && !text.starts_with("---")
        && !text.starts_with("...")
}

fn quoted(text: &str, c: &mut Choices) -> String {
    let printable = !text.contains(['\n', '\t', '\u{7f}', '\u{85}', '\u{2028}']);
    if printable && c.one_in(2) {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        let mut out = String::from("\"");
        for ch in text.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\u{7f}' => out.push_str("\\x7f"),
                '\u{85}' => out.push_str("\\u0085"),
                '\u{2028}' => out.push_str("\\U00002028"),
                '/' if c.one_in(2) => out.push_str("\\/"),
                _ => out.push(ch),
            }
        }
        out.push('"');
        out
    }
}

fn scalar(text: &str, flow: bool, c: &mut Choices) -> String {
    if plain_ok(text, flow) && !c.one_in(4) {
        text.to_string()
    } else {
        quoted(text, c)
    }
}

fn flow(tree: &Tree, c: &mut Choices) -> String {
    let pad = if c.one_in(2) { " " } else { "" };
    match tree {
        Tree::Text(t) => scalar(t, true, c),
        Tree::Seq(items) => {
            let items: Vec<_> = items.iter().map(|i| flow(i, c)).collect();
            format!("[{pad}{}{pad}]", items.join(", "))
        }
        Tree::Map(entries) => {
            let entries: Vec<_> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k, true, c), flow(v, c)))
                .collect();
            format!("{{{pad}{}{pad}}}", entries.join(", "))
        }
    }
}

fn one_line(tree: &Tree) -> bool {
    match tree {
        Tree::Text(_) => true,
        Tree::Seq(items) => items.iter().all(one_line),
        Tree::Map(entries) => entries.iter().all(|(_, v)| one_line(v)),
    }
}

/// Writes `tree` as the value after `head` (a line's start: `key:`, `-`, or nothing),
/// its block collections indented past `indent`.
fn write(out: &mut String, head: &str, tree: &Tree, indent: usize, c: &mut Choices) {
    let comment = |c: &mut Choices| if c.one_in(6) { "  # note é" } else { "" };
    let sep = if head.is_empty() { "" } else { " " };
    match tree {
        Tree::Text(t) if t.is_empty() && !head.is_empty() && c.one_in(2) => {
            out.push_str(&format!("{head}{}\n", comment(c)));
        }
        Tree::Text(t) if !head.is_empty() && c.one_in(5) => {
            // A block scalar: the text's words as its lines.
            let header = ["|", "|-", ">", ">-"][c.next(4) as usize];
            out.push_str(&format!("{head} {header}{}\n", comment(c)));
            let pad = " ".repeat(indent + 1 + c.next(3) as usize);
            let words = t
                .split([' ', '\n'])
                .filter(|w| !w.is_empty() && !w.contains(['\t', '\u{7f}', '\u{85}', '\u{2028}']));
            for (i, word) in words.chain(["end"]).enumerate() {
                if i > 0 && c.one_in(4) {
                    out.push('\n');
                }
                out.push_str(&format!("{pad}{word}\n"));
            }
        }
        Tree::Text(t) => out.push_str(&format!(
            "{head}{sep}{}{}\n",
            scalar(t, false, c),
            comment(c)
        )),
        _ if one_line(tree) && c.one_in(3) => {
            out.push_str(&format!("{head}{sep}{}{}\n", flow(tree, c), comment(c)));
        }
        Tree::Seq(items) if items.is_empty() => out.push_str(&format!("{head}{sep}[]\n")),
        Tree::Map(entries) if entries.is_empty() => out.push_str(&format!("{head}{sep}{{}}\n")),
        Tree::Seq(items) => {
            // Under a key, a list may sit at the key's own indentation.
            let at = if head.is_empty() || (head.ends_with(':') && c.one_in(2)) {
                indent
            } else {
                indent + 1 + c.next(3) as usize
            };
            out.push_str(&format!("{head}{}\n", comment(c)));
            for item in items {
                blank_or_comment(out, at, c);
                write_item(out, item, at, c);
            }
        }
        Tree::Map(entries) => {
            let at = if head.is_empty() {
                indent
            } else {
                indent + 1 + c.next(3) as usize
            };
            out.push_str(&format!("{head}{}\n", comment(c)));
            write_entries(out, entries, at, c);
        }
    }
}

fn write_entries(out: &mut String, entries: &[(String, Tree)], at: usize, c: &mut Choices) {
    for (k, v) in entries {
        blank_or_comment(out, at, c);
        let head = format!("{}{}:", " ".repeat(at), scalar(k, false, c));
        write(out, &head, v, at, c);
    }
}

/// An item of a list whose `-` is at column `at`.
fn write_item(out: &mut String, item: &Tree, at: usize, c: &mut Choices) {
    let dash = format!("{}-", " ".repeat(at));
    match item {
        // `- key: value`, the map's keys at the column after `- `.
        Tree::Map(entries) if !entries.is_empty() && c.one_in(2) => {
            out.push_str(&dash);
            let mut first = String::new();
            write_entries(&mut first, &entries[..1], at + 2, c);
            out.push(' ');
            out.push_str(first.trim_start_matches(' '));
            write_entries(out, &entries[1..], at + 2, c);
        }
        // `- - x`
        Tree::Seq(items) if !items.is_empty() && c.one_in(2) => {
            out.push_str(&dash);
            let mut first = String::new();
            write_item(&mut first, &items[0], at + 2, c);
            out.push(' ');
            out.push_str(first.trim_start_matches(' '));
            for item in &items[1..] {
                write_item(out, item, at + 2, c);
            }
        }
        _ => write(out, &dash, item, at, c),
    }
}

/// A blank or comment line before an entry or item at column `at` (not deeper: it
/// would be content of a block scalar before it).
fn blank_or_comment(out: &mut String, at: usize, c: &mut Choices) {
    match c.next(12) {
        0 => out.push('\n'),
        // Spaces past a block scalar's indentation would be its content.
        1 => out.push_str(" \n"),
        2 => out.push_str(&format!(
            "{}# comment: - [x]\n",
            " ".repeat(c.next(at as u64 + 1) as usize)
        )),
        _ => {}
    }
}

fn document(tree: &Tree, seed: u64) -> String {
    let mut c = Choices(seed | 1);
    let mut out = String::new();
    match tree {
        Tree::Map(entries) => write_entries(&mut out, entries, 0, &mut c),
        Tree::Seq(items) => {
            for item in items {
                write_item(&mut out, item, 0, &mut c);
            }
        }
        Tree::Text(_) => write(&mut out, "", tree, 0, &mut c),
    }
    out
}

/// Pieces that break the subset's rules.
const DAMAGE: &[&str] = &[
    " ",
    "  ",
    ":",
    ": ",
    "#",
    " #",
    "-",
    "- ",
    "'",
    "\"",
    "\t",
    "\r",
    "\n",
    "\n  ",
    "|",
    ">",
    "&a ",
    "*a",
    "!t ",
    "? ",
    "---\n",
    "...\n",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\\",
    "é",
    "%YAML 1.2\n",
    "a: 1\n",
    "- x\n",
    "|+\n",
    ">2\n",
    "\u{feff}",
    "\0",
];

/// Real files of the suite, to damage.
const REAL: &[&str] = &[
    include_str!("../../specs/chargebee/customers/json_and_list_fields.yaml"),
    include_str!("../../specs/rapyd/customer_update/validation_failures.yaml"),
    include_str!("../../gatecheck.yaml"),
];

/// Each edit: a position (as a fraction of the text) and what to do there.
fn damaged(text: &str, edits: &[(prop::sample::Index, usize, u8)]) -> String {
    let mut text = text.to_string();
    for (at, piece, how) in edits {
        let mut at = at.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match how % 4 {
            0 | 1 => text.insert_str(at, DAMAGE[*piece % DAMAGE.len()]),
            2 => {
                let end = text[at..]
                    .chars()
                    .next()
                    .map_or(at, |ch| at + ch.len_utf8());
                text.replace_range(at..end, "");
            }
            _ => {
                // Repeat the line holding `at` (a repeated key, item or deeper line).
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                let line = text[start..end].to_string();
                text.insert_str(end, &line);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(config())]

    /// Texts of the subset are read fast, and as saphyr reads them.
    #[test]
    fn subset_texts_read_fast_and_alike(tree in tree(), seed in any::<u64>()) {
        let text = document(&tree, seed);
        // Repeated keys are refused, which the fast reader leaves to saphyr.
        let repeated = parse_with_saphyr(&text, &Limits::default())
            .is_err_and(|e| matches!(e.kind, ErrorKind::DuplicateKey { .. }));
        match agree(&text, &Limits::default()) {
            Ok(read) => prop_assert!(read || repeated, "declined {:?}", text),
            Err(e) => prop_assert!(false, "{}", e),
        }
    }

    /// Damaged texts are declined, or read as saphyr reads them; under small limits too.
    #[test]
    fn damaged_texts_are_declined_or_read_alike(
        tree in tree(),
        seed in any::<u64>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<usize>(), any::<u8>()), 1..4),
        small in any::<bool>(),
    ) {
        let text = damaged(&document(&tree, seed), &edits);
        let limits = if small {
            Limits { max_bytes: 1 << 20, max_depth: 3, max_nodes: 12 }
        } else {
            Limits::default()
        };
        if let Err(e) = agree(&text, &limits) {
            prop_assert!(false, "{}", e);
        }
    }

    /// Real files, damaged, are declined or read alike.
    #[test]
    fn damaged_real_files_are_declined_or_read_alike(
        file in 0..REAL.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<usize>(), any::<u8>()), 1..4),
    ) {
        let text = damaged(REAL[file], &edits);
        if let Err(e) = agree(&text, &Limits::default()) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Deep block nesting is read alike, or declined past the depth bound.
#[test]
fn deep_nesting_reads_alike_or_is_declined() {
    for depth in [1, 5, 64, 127, 128, 129, 300] {
        let mut text: String = (0..depth)
            .map(|i| format!("{}{}\n", " ".repeat(i), if i % 2 == 0 { "k:" } else { "-" }))
            .collect();
        text.push_str(&format!("{}leaf\n", " ".repeat(depth)));
        assert_eq!(
            agree(&text, &Limits::default()),
            Ok(depth <= 128),
            "depth {depth}"
        );
    }
}
