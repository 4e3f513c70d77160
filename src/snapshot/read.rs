//! Reading a snapshot text back into its document, for the form [`super::render`]
//! writes, without the YAML library (which costs about 400 instructions a byte: a
//! changed 1 MB snapshot was read twice in 90 ms).
//!
//! The form is a strict subset of YAML: block mappings indented by two, block
//! sequences, `- ` items holding a mapping or a sequence on the same line, one-line
//! plain or single-quoted scalars, `{}`, `[]`, `null`, `true`, `false` and plain
//! decimal numbers, with comment lines only before the first entry. Whatever is
//! outside it (other indentation, comments, double quotes, block scalars, anchors,
//! tags, a plain scalar that may mean something other than its text, a number written
//! another way) is refused, and the caller asks the YAML library: so what is read here
//! is always what the library reads (a property test holds the two together), and a
//! hand-edited snapshot is still read as YAML.
//!
//! Bounded: one pass over the text, collections on an explicit stack no deeper than
//! [`MAX_DEPTH`] (below the library's own limit, so that a deeper text goes to it and
//! fails there as before).

use serde_json::{Map, Number, Value};

use super::render::MAX_SIMPLE_KEY;

/// Deepest nesting read here; the YAML library refuses more than 128 levels.
const MAX_DEPTH: usize = 100;

/// A collection being read, and the column its keys or dashes start at.
enum Frame {
    Map {
        col: usize,
        map: Map<String, Value>,
        /// A key written alone on its line, whose value is the block that follows.
        pending: Option<String>,
    },
    Seq {
        col: usize,
        items: Vec<Value>,
    },
}

impl Frame {
    fn col(&self) -> usize {
        match self {
            Frame::Map { col, .. } | Frame::Seq { col, .. } => *col,
        }
    }
}

/// The document `text` holds, when it is in the form described above; `None` when
/// only the YAML library can tell.
pub(super) fn read(text: &str) -> Option<Value> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut started = false;
    for line in body.split('\n') {
        if !started && line.starts_with('#') {
            // The library ends a comment also at a character it takes for a line
            // break, and reads what follows.
            if line.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
                return None;
            }
            continue;
        }
        let col = line.bytes().take_while(|b| *b == b' ').count();
        let rest = &line[col..];
        if rest.is_empty() {
            return None;
        }
        let dash = rest == "-" || rest.starts_with("- ");
        if !started {
            if col != 0 || dash {
                return None;
            }
            started = true;
            stack.push(Frame::Map {
                col: 0,
                map: Map::new(),
                pending: None,
            });
        } else if let Some(Frame::Map {
            col: w,
            pending: Some(_),
            ..
        }) = stack.last()
        {
            // The block under a key written alone: a mapping indented by two, or a
            // sequence at the key's own column.
            let w = *w;
            let frame = match (dash, col) {
                (false, c) if c == w + 2 => Frame::Map {
                    col: c,
                    map: Map::new(),
                    pending: None,
                },
                (true, c) if c == w => Frame::Seq {
                    col: c,
                    items: Vec::new(),
                },
                _ => return None,
            };
            push(&mut stack, frame)?;
        } else {
            // Close what this line is outside of: deeper collections, and a sequence
            // under a key when the line is the mapping's next key.
            while let Some(top) = stack.last() {
                let closes = top.col() > col
                    || (matches!(top, Frame::Seq { .. }) && top.col() == col && !dash);
                if !closes {
                    break;
                }
                pop(&mut stack)?;
            }
            match stack.last() {
                Some(Frame::Map { col: c, .. }) if *c == col && !dash => {}
                Some(Frame::Seq { col: c, .. }) if *c == col && dash => {}
                _ => return None,
            }
        }
        content(&mut stack, rest)?;
    }
    while stack.len() > 1 {
        pop(&mut stack)?;
    }
    match stack.pop() {
        Some(Frame::Map {
            map, pending: None, ..
        }) if started => Some(Value::Object(map)),
        _ => None,
    }
}

fn push(stack: &mut Vec<Frame>, frame: Frame) -> Option<()> {
    if stack.len() >= MAX_DEPTH {
        return None;
    }
    stack.push(frame);
    Some(())
}

/// Closes the innermost collection: it becomes the value of its parent's pending key
/// or its parent's next item.
fn pop(stack: &mut Vec<Frame>) -> Option<()> {
    let value = match stack.pop()? {
        Frame::Map { map, pending, .. } => {
            if pending.is_some() {
                return None;
            }
            Value::Object(map)
        }
        Frame::Seq { items, .. } => Value::Array(items),
    };
    match stack.last_mut()? {
        Frame::Map { map, pending, .. } => {
            map.insert(pending.take()?, value);
        }
        Frame::Seq { items, .. } => items.push(value),
    }
    Some(())
}

/// Reads what a line holds after its indentation, into the collection it belongs to
/// (the innermost, at the line's column).
fn content(stack: &mut Vec<Frame>, mut rest: &str) -> Option<()> {
    loop {
        let top = stack.last_mut()?;
        match top {
            Frame::Map { .. } => {
                let (key, after) = entry(rest)?;
                return entry_into(top, key, after?);
            }
            Frame::Seq { col, .. } => {
                let inner = *col + 2;
                rest = rest.strip_prefix("- ")?;
                if rest == "-" || rest.starts_with("- ") {
                    push(
                        stack,
                        Frame::Seq {
                            col: inner,
                            items: Vec::new(),
                        },
                    )?;
                    continue;
                }
                return match entry(rest) {
                    Some((key, after)) => {
                        push(
                            stack,
                            Frame::Map {
                                col: inner,
                                map: Map::new(),
                                pending: None,
                            },
                        )?;
                        entry_into(stack.last_mut()?, key, after?)
                    }
                    None => {
                        let value = scalar(rest)?;
                        match stack.last_mut()? {
                            Frame::Seq { items, .. } => items.push(value),
                            Frame::Map { .. } => return None,
                        }
                        Some(())
                    }
                };
            }
        }
    }
}

/// Adds `key` and what follows its colon to the mapping `frame`.
fn entry_into(frame: &mut Frame, key: String, after: &str) -> Option<()> {
    let Frame::Map { map, pending, .. } = frame else {
        return None;
    };
    if after.is_empty() {
        if map.contains_key(&key) {
            return None;
        }
        *pending = Some(key);
    } else {
        let value = scalar(after.strip_prefix(' ')?)?;
        match map.entry(key) {
            serde_json::map::Entry::Vacant(slot) => {
                slot.insert(value);
            }
            serde_json::map::Entry::Occupied(_) => return None,
        }
    }
    Some(())
}

/// When `rest` starts with a key (a scalar and a colon ending the line or followed by
/// a space): the key and what follows the colon, or `None` inside when the key is not
/// one read here. `None` when `rest` is a scalar alone.
fn entry(rest: &str) -> Option<(String, Option<&str>)> {
    if rest.starts_with('\'') {
        let (key, after) = single_quoted(rest)?;
        let after = after.strip_prefix(':')?;
        let after = (key.len() <= MAX_SIMPLE_KEY && (after.is_empty() || after.starts_with(' ')))
            .then_some(after);
        return Some((key, after));
    }
    let bytes = rest.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' '))?;
    let key = &rest[..colon];
    let after = (key.len() <= MAX_SIMPLE_KEY && plain_string(key)).then_some(&rest[colon + 1..]);
    Some((key.to_string(), after))
}

/// A whole scalar: single-quoted, an empty collection, `null`, a boolean, a decimal
/// number, or a plain string that YAML reads as itself.
fn scalar(text: &str) -> Option<Value> {
    if text.starts_with('\'') {
        let (s, after) = single_quoted(text)?;
        return after.is_empty().then_some(Value::String(s));
    }
    match text {
        "{}" => return Some(Value::Object(Map::new())),
        "[]" => return Some(Value::Array(Vec::new())),
        "null" => return Some(Value::Null),
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    if let Some(n) = number(text) {
        return Some(Value::Number(n));
    }
    plain_string(text).then(|| Value::String(text.to_string()))
}

/// A number as the renderer's library writes it: `-?(0|[1-9][0-9]*)` that fits 64
/// bits, or that with a fraction, an exponent or both (`1.5`, `1e300`, `1.5e-7`),
/// finite.
fn number(text: &str) -> Option<Number> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let int_end = unsigned
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(unsigned.len());
    let (int, tail) = unsigned.split_at(int_end);
    if int.is_empty() || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    if tail.is_empty() {
        return if text.starts_with('-') {
            text.parse::<i64>().ok().map(Number::from)
        } else {
            text.parse::<u64>().ok().map(Number::from)
        };
    }
    let exponent = match tail.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction
                .bytes()
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(fraction.len());
            if digits == 0 {
                return None;
            }
            &fraction[digits..]
        }
        None => tail,
    };
    if !exponent.is_empty() {
        let e = exponent.strip_prefix(['e', 'E'])?;
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let f: f64 = text.parse().ok()?;
    if f.is_finite() {
        Number::from_f64(f)
    } else {
        None
    }
}

/// Characters YAML prints as they are, outside ASCII (no line or paragraph
/// separator, no byte-order mark).
fn printable(c: char) -> bool {
    (c.is_ascii() && (' '..='~').contains(&c))
        || (matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}'))
}

/// Whether every character of `s` is one YAML prints as it is.
fn printable_text(s: &str) -> bool {
    s.bytes().all(|b| (b' '..=b'~').contains(&b)) || s.chars().all(printable)
}

/// Whether YAML reads `s`, written plain on one line after `key: ` or `- `, or as a
/// key, as the string `s`: no indicator first, no `: ` or ` #` inside, no space or
/// colon at either end, printable, and nothing the library would read as null, a
/// boolean or a number (whatever it takes for a number, Rust's float syntax and the
/// `0x`, `0o`, `0b` forms, is refused).
fn plain_string(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if b"-?:,[]{}#&*!|>'\"%@`.+~ ".contains(&first) || matches!(last, b' ' | b':') {
        return false;
    }
    // One pass for `: `, ` #` and what is not printable ASCII.
    let mut ascii = true;
    let mut prev = 0;
    for &b in bytes {
        if (prev == b':' && b == b' ') || (prev == b' ' && b == b'#') {
            return false;
        }
        ascii &= (b' '..=b'~').contains(&b);
        prev = b;
    }
    if !ascii && !s.chars().all(printable) {
        return false;
    }
    if matches!(
        s,
        "<<" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) {
        return false;
    }
    // With no sign or dot first, a float starts with a digit or is `inf`, `infinity`
    // or `nan` in any case.
    if !(first.is_ascii_digit() || matches!(first, b'i' | b'I' | b'n' | b'N')) {
        return true;
    }
    let radix = bytes.len() >= 2 && first == b'0' && b"xXoObB".contains(&bytes[1]);
    !radix && s.parse::<f64>().is_err()
}

/// A single-quoted scalar at the start of `text` (`''` is a quote), one line, as the
/// YAML reader reads one: its value, when it is printable, and what follows the
/// closing quote.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let (value, rest) = crate::yaml::single_quoted(text.strip_prefix('\'')?)?;
    printable_text(&value).then_some((value, rest))
}

#[cfg(test)]
mod tests {
    use super::super::render::{tests::tree, to_yaml};
    use super::*;
    use proptest::prelude::*;
    use proptest::strategy::ValueTree as _;
    use serde_json::json;

    /// What the YAML library reads, the reference.
    fn library(text: &str) -> Option<Value> {
        serde_yaml::from_str::<Value>(text).ok()
    }

    /// `read` either leaves `text` to the library or reads what it reads.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        if let Some(v) = read(text) {
            prop_assert_eq!(Some(v), library(text), "{}", text);
        }
        Ok(())
    }

    #[test]
    fn reads_what_the_renderer_writes() {
        let doc = json!({"scenario": "a b", "steps": {"1 pay": {"request": {"method": "GET", "path": "/x/${id}"},
            "response": {"status": 200, "body": {"list": [{"a": 1, "b": [1, [2, [3, 4]], {}], "c": {"d": []}},
            [{"x": 1, "y": [{"z": null}]}], []],
            "n": null, "t": true, "f": 1.5, "e9": 1e300, "neg": -3, "s": "[timestamp]", "q": "it's", "e": "",
            "y": "yes", "num": "0123", "x": "a: b", "h": "#x", "u": "é ü", "d": "2026-01-01T00:00:00Z",
            "card": "************1111", "exp": "05/2030", "big": 18446744073709551615u64,
            "1": "one", "true": "key", "": "empty key"}}}}});
        let text = format!(
            "# gatecheck snapshot of x.yaml\n# do not edit\n{}",
            to_yaml(&doc).unwrap()
        );
        assert_eq!(read(&text), Some(doc), "{text}");
    }

    #[test]
    fn leaves_other_yaml_to_the_library() {
        for text in [
            "x: 1\n  y\n",
            "x: 1 # c\n",
            "x:   1\n",
            "x: \"a\"\n",
            "x: |\n  a\n",
            "x: &a 1\ny: *a\n",
            "x: !!str 1\n",
            "x: 0x1F\n",
            "x: 01\n",
            "x: .inf\n",
            "x: yes\nx: no\n",
            "x:\n",
            "x:\ny: 1\n",
            "x:\n    y: 1\n",
            "x:\n  - 1\n",
            "- 1\n",
            "---\nx: 1\n",
            "x: 1\n\ny: 2\n",
            "x: 1\n# c\n",
            "x: 1\r\n",
            "x:\ty\n",
            "x: 'a\n",
            "x: 'a' \n",
            "x: Null\n",
            "x: nan\n",
            "x: +1\n",
            "<<: 1\n",
            "# a\u{2028}b: 1\nc: 2\n",
            "# a\rb: 1\nc: 2\n",
            "",
        ] {
            assert_eq!(read(text), None, "{text:?}");
        }
        let deep = (0..MAX_DEPTH + 5).fold(String::new(), |text, i| {
            format!("{text}{}k:\n", " ".repeat(2 * i))
        }) + &" ".repeat(2 * (MAX_DEPTH + 5))
            + "k: 1\n";
        assert_eq!(read(&deep), None);
    }

    /// The property tests below would hold if everything were left to the library:
    /// most rendered documents must be read here.
    #[test]
    fn most_rendered_documents_are_read_here() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let docs = prop::collection::vec(("[a-z_]{1,8}", tree()), 1..4);
        let mut read_here = 0;
        for _ in 0..200 {
            let entries = docs.new_tree(&mut runner).unwrap().current();
            let text = to_yaml(&Value::Object(entries.into_iter().collect())).unwrap();
            read_here += usize::from(read(&text).is_some());
        }
        assert!(read_here > 120, "{read_here} of 200");
    }

    fn scalar_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{0,8}",
            "[-+.0-9a-fxobeEinINfFtTyY_ :#']{0,7}",
            "[a-z0-9 \u{a0}\u{85}\u{2028}\u{feff}\u{e9}\u{1f600}'#:-]{0,6}",
        ]
    }

    proptest! {
        #[test]
        fn any_rendered_document_is_read_as_the_library_reads_it(
            entries in prop::collection::vec((scalar_text(), tree()), 1..4)
        ) {
            let doc = Value::Object(entries.into_iter().collect());
            let text = to_yaml(&doc).unwrap();
            agrees(&text)?;
            // What the comparison of a stored snapshot with a document rests on: read
            // here, a rendering is the document. (Not always through the library: it
            // writes a key holding U+2028 in a way it cannot read back.)
            if let Some(v) = read(&text) {
                prop_assert_eq!(v, doc);
            }
        }

        #[test]
        fn any_scalar_is_read_as_the_library_reads_it(
            key in scalar_text(), value in scalar_text(), quoted in any::<bool>()
        ) {
            let value = if quoted { format!("'{value}'") } else { value };
            agrees(&format!("{key}: {value}\n"))?;
            agrees(&format!("k:\n- {value}\n- {key}: {value}\n"))?;
        }

        /// Hand edits of a rendered text: inserted or removed characters anywhere.
        #[test]
        fn any_edited_document_is_read_as_the_library_reads_it(
            entries in prop::collection::vec((scalar_text(), tree()), 1..3),
            edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(vec!["", " ", "  ", "\n", "- ", ": ", "#", "'", "x", "1", "\t"])), 1..4),
        ) {
            let doc = Value::Object(entries.into_iter().collect());
            let mut text = to_yaml(&doc).unwrap();
            for (at, insert) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                if insert.is_empty() {
                    let mut end = i + 1;
                    while end < text.len() && !text.is_char_boundary(end) {
                        end += 1;
                    }
                    if end <= text.len() {
                        text.replace_range(i..end, "");
                    }
                } else {
                    text.insert_str(i, insert);
                }
            }
            agrees(&text)?;
        }
    }
}
