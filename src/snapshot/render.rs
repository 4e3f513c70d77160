//! Rendering a snapshot document as YAML, byte for byte as the YAML library writes it
//! (so snapshots stored before stay byte-equal and compare without parsing), but
//! without going through its general emitter, which cost about 160 instructions per
//! byte: block mappings and sequences are written here, and every scalar this module
//! cannot tell at a glance how the library would write (quoting, numbers with a
//! fraction, keys the library would not write as simple keys) is written by the
//! library itself. A document with a multi-line string is the library's whole.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// Longest key written here; the library writes longer ones as `? key` entries.
pub(super) const MAX_SIMPLE_KEY: usize = 100;

/// Not a simple document: the library writes the whole of it.
pub(super) struct Fallback;

/// `doc` as YAML, as the YAML library writes it.
#[cfg(test)]
pub(super) fn to_yaml(doc: &Value) -> Result<String, String> {
    let mut out = String::new();
    write_yaml(&mut out, doc)?;
    Ok(out)
}

/// Writes `doc` as YAML, as the YAML library writes it, after what `out` holds.
/// `out` should have room for a usual answer's snapshot: growing by doubling from
/// empty cost a tenth of the rendering.
pub(super) fn write_yaml(out: &mut String, doc: &Value) -> Result<(), String> {
    let start = out.len();
    let written = match doc {
        Value::Object(map) if !map.is_empty() => mapping(out, map, 0, false),
        _ => Err(Fallback),
    };
    if let Err(Fallback) = written {
        out.truncate(start);
        let whole =
            serde_yaml::to_string(doc).map_err(|e| format!("cannot render snapshot: {e}"))?;
        out.push_str(&whole);
    }
    Ok(())
}

pub(super) fn indent(out: &mut String, width: usize) {
    // One copy for the usual depths, not a push per space.
    const SPACES: &str = "                                ";
    match SPACES.get(..width) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', width)),
    }
}

/// Writes the entries of a non-empty `map` at `width`; the first on the current line
/// when `inline` (after `- `).
fn mapping(
    out: &mut String,
    map: &Map<String, Value>,
    width: usize,
    inline: bool,
) -> Result<(), Fallback> {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, width);
        }
        if key.len() > MAX_SIMPLE_KEY {
            return Err(Fallback);
        }
        string(out, key)?;
        out.push(':');
        node(out, value, width, true)?;
    }
    Ok(())
}

/// Writes the items of a non-empty `items` at `width`; the first on the current line
/// when `inline`.
fn sequence(out: &mut String, items: &[Value], width: usize, inline: bool) -> Result<(), Fallback> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, width);
        }
        out.push('-');
        node(out, item, width, false)?;
    }
    Ok(())
}

/// Writes `value` after a `key:` (`in_map`) or a `- ` at `width`, with its line end.
pub(super) fn node(
    out: &mut String,
    value: &Value,
    width: usize,
    in_map: bool,
) -> Result<(), Fallback> {
    match value {
        Value::Object(map) if !map.is_empty() => {
            if in_map {
                out.push('\n');
                mapping(out, map, width + 2, false)
            } else {
                out.push(' ');
                mapping(out, map, width + 2, true)
            }
        }
        // A list under a key is not indented; one in a list is.
        Value::Array(items) if !items.is_empty() => {
            if in_map {
                out.push('\n');
                sequence(out, items, width, false)
            } else {
                out.push(' ');
                sequence(out, items, width + 2, true)
            }
        }
        scalar => {
            out.push(' ');
            match scalar {
                Value::Object(_) => out.push_str("{}"),
                Value::Array(_) => out.push_str("[]"),
                Value::Null => out.push_str("null"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) if n.is_i64() || n.is_u64() => {
                    // Writing into a `String` cannot fail.
                    let _ = write!(out, "{n}");
                }
                Value::String(s) => string(out, s)?,
                other => by_library(out, other)?,
            }
            out.push('\n');
            Ok(())
        }
    }
}

/// Writes a string scalar: plain or single-quoted when it is one line of printable
/// ASCII that cannot be read as a number, as the library decides; else as the library
/// writes it.
pub(super) fn string(out: &mut String, s: &str) -> Result<(), Fallback> {
    match ascii_style(s) {
        Some(Style::Plain) => out.push_str(s),
        Some(Style::SingleQuoted) => {
            // Piece by piece rather than `replace`, which makes a string for each.
            out.push('\'');
            let mut pieces = s.split('\'');
            if let Some(first) = pieces.next() {
                out.push_str(first);
            }
            for piece in pieces {
                out.push_str("''");
                out.push_str(piece);
            }
            out.push('\'');
        }
        None => by_library(out, &Value::String(s.to_string()))?,
    }
    Ok(())
}

/// The two ways the library writes a one-line string of printable ASCII.
#[derive(Debug, PartialEq)]
enum Style {
    Plain,
    SingleQuoted,
}

/// How the library writes `s`, when `s` is printable ASCII that YAML reads as a
/// string and not as a number (the library's own tests decide those): quoted when YAML
/// would read it plain as something else (empty, null, a boolean), or when it starts or
/// ends with a space or holds an indicator of block structure (libyaml's analysis:
/// `# , [ ] { } & * ! | > ' " % @` or a backquote first, `- `, `? ` or `: ` first,
/// `: ` or ` #` inside, `---` or `...` first).
fn ascii_style(s: &str) -> Option<Style> {
    word_style(s).or_else(|| general_style(s))
}

/// How the library writes a word of ASCII letters, digits and `_` that does not start
/// with a digit (`customer_id`, `USD`): plain, unless YAML reads it as null or a
/// boolean. Most keys and many values are words, told here in one short loop rather
/// than by the general analysis, which cost about 200 instructions a string.
fn word_style(s: &str) -> Option<Style> {
    let first = s.as_bytes().first()?;
    // A table rather than three ranges and `_`: half the instructions a byte.
    let word = !first.is_ascii_digit() && s.bytes().all(|b| WORD_BYTES[usize::from(b)]);
    word.then(|| match null_or_bool(s) {
        true => Style::SingleQuoted,
        false => Style::Plain,
    })
}

/// The bytes words are made of: ASCII letters, digits and `_`.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b: u8 = 0;
    loop {
        table[b as usize] = b.is_ascii_alphanumeric() || b == b'_';
        if b == u8::MAX {
            break table;
        }
        b += 1;
    }
};

/// Whether YAML reads `s`, written plain, as null or a boolean (not as a string).
fn null_or_bool(s: &str) -> bool {
    matches!(
        s,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
    )
}

/// [`ascii_style`] for any string, words included.
fn general_style(s: &str) -> Option<Style> {
    let bytes = s.as_bytes();
    // One pass without early exits, which the compiler turns into vector code (this
    // loop was half of rendering a snapshot): whether every byte is printable ASCII,
    // and whether a `:` or `#` occurs (most strings have neither, and skip the look
    // for `: ` and ` #` below).
    let (mut unprintable, mut colon_or_hash) = (false, false);
    for &b in bytes {
        unprintable |= !(b' '..=b'~').contains(&b);
        colon_or_hash |= b == b':' || b == b'#';
    }
    if unprintable {
        return None;
    }
    // Digits alone read as a number (or, with a leading zero, are quoted all the
    // same): quoted, without asking the library, which costs thousands of
    // instructions a scalar (card digits, `last4`, postal codes are common).
    if bytes.iter().all(u8::is_ascii_digit) && !bytes.is_empty() {
        return Some(Style::SingleQuoted);
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let numeric_chars = |b: &u8| {
        b.is_ascii_hexdigit() || matches!(b, b'x' | b'X' | b'o' | b'O' | b'.' | b'_' | b'+' | b'-')
    };
    if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.bytes().all(|b| numeric_chars(&b))
    {
        return None;
    }
    if null_or_bool(s) {
        return Some(Style::SingleQuoted);
    }
    let indicator = s.starts_with("---")
        || s.starts_with("...")
        || bytes.first().is_some_and(|&b| {
            b == b' '
                || matches!(
                    b,
                    b'#' | b','
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'&'
                        | b'*'
                        | b'!'
                        | b'|'
                        | b'>'
                        | b'\''
                        | b'"'
                        | b'%'
                        | b'@'
                        | b'`'
                )
                || (matches!(b, b'?' | b':' | b'-') && bytes.get(1).is_none_or(|&n| n == b' '))
        })
        || bytes.last() == Some(&b' ')
        || colon_or_hash
            && bytes
                .windows(2)
                .any(|w| (w[0] == b':' && w[1] == b' ') || (w[0] == b' ' && w[1] == b'#'))
        || bytes.len() > 1 && bytes.last() == Some(&b':');
    Some(if indicator {
        Style::SingleQuoted
    } else {
        Style::Plain
    })
}

/// Writes one scalar as the library writes it alone, when that is one line.
fn by_library(out: &mut String, scalar: &Value) -> Result<(), Fallback> {
    let text = serde_yaml::to_string(scalar).map_err(|_| Fallback)?;
    let line = text.strip_suffix('\n').ok_or(Fallback)?;
    if line.contains('\n') || line.starts_with("---") {
        return Err(Fallback);
    }
    out.push_str(line);
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn library(doc: &Value) -> String {
        serde_yaml::to_string(doc).unwrap()
    }

    #[test]
    fn writes_what_the_library_writes() {
        for doc in [
            json!({"scenario": "a b", "steps": {"1": {"request": {"method": "GET", "path": "/x/${id}"},
                "response": {"status": 200, "body": {"list": [{"a": 1, "b": [1, [2, 3], {}], "c": {"d": []}}],
                "n": null, "t": true, "f": 1.5, "neg": -3, "s": "[timestamp]", "q": "it's", "e": "", "y": "yes",
                "num": "0123", "x": "a: b", "h": "#x", "u": "é", "big": 18446744073709551615u64}}}}}),
            json!({"multi": "a\nb", "k": 1}),
            json!({"x".repeat(200): 1}),
            json!({"long": "word ".repeat(60).trim(), "q": "a 'b' c: d #e", "k": ["- x", "-x", "? y", ": z", "--- a", "...", "@a", "a@"]}),
        ] {
            assert_eq!(to_yaml(&doc).unwrap(), library(&doc), "{doc}");
        }
    }

    #[test]
    fn words_take_the_short_way() {
        assert_eq!(word_style("customer_id"), Some(Style::Plain));
        assert_eq!(word_style("USD"), Some(Style::Plain));
        assert_eq!(word_style("False"), Some(Style::SingleQuoted));
        for not_a_word in ["", "1a", "a-b", "a b", "é", "${id}"] {
            assert_eq!(word_style(not_a_word), None, "{not_a_word}");
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z_][a-zA-Z0-9_./@ -]{0,120}",
            "[ -~]{0,12}",
            "[-+.0-9a-fxo_ :#]{0,6}",
            "[0-9]{1,40}",
            Just("true".to_string()),
            Just("Null".to_string()),
            Just("1.5".to_string()),
            Just("0x1f".to_string()),
            Just("é ü".to_string()),
        ]
    }

    pub(in crate::snapshot) fn tree() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e3f64..1e3).prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 60, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((text(), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Words, and the words YAML reads as something else than a string.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z_][a-zA-Z0-9_]{0,20}",
            "[0-9_][a-zA-Z0-9_]{0,5}",
            prop::sample::select(vec![
                "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "False",
                "FALSE", "y", "Y", "yes", "No", "on", "OFF", "nan", "NaN", "inf", "Infinity", "_",
                "e1", "E5", "x1f", "o17", "b101", "nul", "nulls",
            ])
            .prop_map(String::from),
        ]
    }

    proptest! {
        /// The short way for words says what the general analysis says.
        #[test]
        fn words_are_told_as_the_general_analysis_tells_them(s in word()) {
            if let Some(style) = word_style(&s) {
                prop_assert_eq!(Some(style), general_style(&s), "{}", s);
            }
        }

        /// And what the library writes.
        #[test]
        fn words_are_written_as_the_library_writes_them(key in word(), value in word()) {
            let doc = Value::Object(Map::from_iter([(key, Value::String(value))]));
            prop_assert_eq!(to_yaml(&doc).unwrap(), library(&doc));
        }

        #[test]
        fn any_document_is_written_as_the_library_writes_it(
            entries in prop::collection::vec((text(), tree()), 1..4)
        ) {
            let doc = Value::Object(entries.into_iter().collect());
            prop_assert_eq!(to_yaml(&doc).unwrap(), library(&doc));
        }
    }
}
