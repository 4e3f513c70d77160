//! What [`super::block`] reads within one line: plain and quoted scalars, and flow
//! collections (`{ a: 1 }`, `[x, [y]]`) opened and closed on that line.
//!
//! Every function answers `None` for what it does not recognize, and the whole file is
//! then read by saphyr instead (see [`super::block`]); so each one accepts only what
//! saphyr reads the same way, and says no to anything rarer.

use std::cell::Cell;

use super::node::Builder;
use super::span::Span;

/// One line of the file, without its line break.
pub(super) struct Line<'t> {
    /// The line's text.
    pub(super) text: &'t str,
    /// Its 1-based number.
    pub(super) number: usize,
    /// Whether a line break ends it (the last line of a file may have none).
    pub(super) terminated: bool,
    /// Whether it is all ASCII, so that a byte offset is a column.
    ascii: bool,
    /// The last place found on a line that is not all ASCII, as (byte, column): its
    /// scalars are placed left to right from there, one pass over the line rather than
    /// one from its start for each.
    last: Cell<(usize, usize)>,
}

impl<'t> Line<'t> {
    /// The line `text` (`ascii` if it is).
    pub(super) fn new(text: &'t str, number: usize, terminated: bool, ascii: bool) -> Line<'t> {
        Line {
            text,
            number,
            terminated,
            ascii,
            last: Cell::new((0, 0)),
        }
    }

    /// The place of the character at byte `at` (columns count characters).
    #[inline]
    pub(super) fn span(&self, at: usize) -> Span {
        // Inlined for the common case, where it is an addition: every node is placed.
        if self.ascii {
            return Span::new(self.number, at + 1);
        }
        self.counted_span(at)
    }

    /// [`Line::span`] on a line that is not all ASCII, where columns are counted.
    fn counted_span(&self, at: usize) -> Span {
        let (from, column) = match self.last.get() {
            (byte, column) if byte <= at => (byte, column),
            _ => (0, 0),
        };
        let column = column + self.text[from..at].chars().count();
        self.last.set((at, column));
        Span::new(self.number, column + 1)
    }

    /// The byte at `at`, if the line goes that far.
    pub(super) fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Where the first non-space at or after `at` is (the line's end if none).
    pub(super) fn skip_spaces(&self, at: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = at;
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        at
    }

    /// How many spaces the line starts with: eight at a time, as indentation is
    /// about a sixth of a scenario file's bytes.
    pub(super) fn indent(&self) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = 0;
        while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
            let other = u64::from_le_bytes(*chunk) ^ repeat(b' ');
            if other != 0 {
                // The lowest byte is the first: the lowest set bit is in the first
                // byte that is not a space.
                return at + other.trailing_zeros() as usize / 8;
            }
            at += 8;
        }
        self.skip_spaces(at)
    }

    /// Whether only spaces and perhaps a comment follow `at`.
    pub(super) fn ends_at(&self, at: usize) -> bool {
        let next = self.skip_spaces(at);
        next == self.text.len() || (next > at && self.byte(next) == Some(b'#'))
    }

    /// Whether `at` holds an indicator (`-`, `:`) that a space or the line's end follows.
    pub(super) fn indicator(&self, at: usize, indicator: u8) -> bool {
        self.byte(at) == Some(indicator) && matches!(self.byte(at + 1), None | Some(b' '))
    }
}

/// Where the first `a` or `b` in `bytes` is: eight bytes at a time, then byte by
/// byte. Plain loops rather than `str::find`: as fast optimized, and many times
/// faster when not (test binaries, where this crate is built unoptimized, read
/// scenario files too). Neither a set-up cost nor a call: most texts searched are
/// short (a snapshot's JSON strings are searched with it too).
pub(crate) fn find(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        let found = zero_bytes(word ^ repeat(a)) | zero_bytes(word ^ repeat(b));
        if found != 0 {
            // The lowest byte is the first, and the lowest flagged byte is a match.
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    while at < bytes.len() {
        if bytes[at] == a || bytes[at] == b {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// `byte` in each of a word's eight bytes.
pub(super) const fn repeat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The top bit of each zero byte of `word` set, and perhaps of bytes above a zero
/// byte (subtracting one from each byte borrows on only past a zero): any bit is set
/// exactly when a byte is zero, and the lowest one always marks a zero byte.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(repeat(1)) & !word & repeat(0x80)
}

/// A scalar read from a line.
pub(super) struct Scalar {
    /// Its text, escapes resolved.
    pub(super) text: String,
    /// Written without quotes.
    pub(super) plain: bool,
    /// The byte after its last character (trailing spaces of a plain scalar excluded).
    pub(super) end: usize,
}

/// Keys longer than this are left to saphyr, which refuses a key of more than 1024
/// characters.
const LONGEST_KEY: usize = 1000;

/// Flow collections nested deeper than this are left to saphyr, whose own bound on
/// them is not [`super::Limits::max_depth`].
const DEEPEST_FLOW: usize = 64;

/// The plain or quoted scalar at `at`, if one starts there. In a flow collection
/// (`flow`), `,[]{}` end a plain scalar; in a block they are part of it.
pub(super) fn scalar(line: &Line, at: usize, flow: bool) -> Option<Scalar> {
    let (text, after) = match line.byte(at)? {
        b'\'' => single_quoted(&line.text[at + 1..])?,
        b'"' => double_quoted(&line.text[at + 1..])?,
        _ => return plain(line, at, flow),
    };
    Some(Scalar {
        text,
        plain: false,
        end: line.text.len() - after.len(),
    })
}

/// Whether the scalar ending at `end` is a key: a `:` and a space or the line's end
/// follow it. Answers where the `:` is.
pub(super) fn colon_after(line: &Line, start: usize, end: usize) -> Option<usize> {
    let colon = line.skip_spaces(end);
    (line.indicator(colon, b':') && colon - start <= LONGEST_KEY).then_some(colon)
}

/// A plain scalar: it ends at `: `, at ` #`, at the line's end and, in a flow
/// collection, at `,[]{}`. Its first character must not be an indicator.
fn plain(line: &Line, at: usize, flow: bool) -> Option<Scalar> {
    let bytes = line.text.as_bytes();
    let first = *bytes.get(at)?;
    let starts = match first {
        b'-' => match bytes.get(at + 1) {
            None | Some(b' ') => false,
            Some(b',' | b'[' | b']' | b'{' | b'}') => !flow,
            Some(_) => true,
        },
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' => false,
        _ => true,
    };
    if !starts {
        return None;
    }
    let mut stop = at;
    while stop < bytes.len() {
        if !flow {
            // In a block only a `:` or a `#` can end it.
            match find(&bytes[stop..], b':', b'#') {
                Some(next) => stop += next,
                None => {
                    stop = bytes.len();
                    break;
                }
            }
        }
        let ends = match bytes[stop] {
            b':' => match bytes.get(stop + 1) {
                None | Some(b' ') => true,
                Some(b',' | b'[' | b']' | b'{' | b'}') => flow,
                _ => false,
            },
            b'#' => bytes[stop - 1] == b' ',
            b',' | b'[' | b']' | b'{' | b'}' => flow,
            _ => false,
        };
        if ends {
            break;
        }
        stop += 1;
    }
    // In a flow collection saphyr refuses a word `-` before `,[]{}`, as it refuses a
    // scalar starting so.
    let word_dash =
        stop > at && bytes[stop - 1] == b'-' && (stop - 1 == at || bytes[stop - 2] == b' ');
    if flow && word_dash && matches!(bytes.get(stop), Some(b',' | b'[' | b']' | b'{' | b'}')) {
        return None;
    }
    let mut end = stop;
    while end > at && bytes[end - 1] == b' ' {
        end -= 1;
    }
    Some(Scalar {
        text: line.text[at..end].to_string(),
        plain: true,
        end,
    })
}

/// The text of a single-quoted scalar whose opening quote `inside` follows, closed on
/// its line (`''` is a quote), and what follows its closing quote.
pub(crate) fn single_quoted(inside: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut rest = inside;
    loop {
        let quote = find(rest.as_bytes(), b'\'', b'\'')?;
        text.push_str(&rest[..quote]);
        rest = &rest[quote + 1..];
        if !rest.starts_with('\'') {
            break;
        }
        text.push('\'');
        rest = &rest[1..];
    }
    Some((text, rest))
}

/// The text of a double-quoted scalar whose opening quote `inside` follows, closed on
/// its line, with the common escapes (others are left to saphyr), and what follows its
/// closing quote.
fn double_quoted(inside: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut rest = inside;
    loop {
        let stop = find(rest.as_bytes(), b'"', b'\\')?;
        text.push_str(&rest[..stop]);
        if rest.as_bytes()[stop] == b'"' {
            rest = &rest[stop + 1..];
            break;
        }
        let escape = *rest.as_bytes().get(stop + 1)?;
        if !escape.is_ascii() {
            return None;
        }
        rest = &rest[stop + 2..];
        let unicode = match escape {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        if unicode > 0 {
            let hex = rest.get(..unicode)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            text.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
            rest = &rest[unicode..];
            continue;
        }
        text.push(match escape {
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b'e' => '\u{1b}',
            b'f' => '\u{c}',
            b'v' => '\u{b}',
            _ => return None,
        });
    }
    Some((text, rest))
}

/// What a flow collection expects next.
#[derive(Clone, Copy)]
enum Want {
    /// An item of a list, or its `]` (`first`: no `,` came before).
    Item { first: bool },
    /// A key of a map, or its `}`.
    Key { first: bool },
    /// The `: ` after a key.
    Colon,
    /// The value after a key's `: `.
    Value,
    /// A `,` or the closing bracket.
    Separator,
}

/// The flow collection opening at `at` (a `[` or `{`), built into `builder`, closed
/// on this line; answers the byte after its closing bracket. Nested collections are
/// kept on a stack, not read by recursion.
pub(super) fn flow(line: &Line, at: usize, builder: &mut Builder) -> Option<usize> {
    if !matches!(line.byte(at), Some(b'[' | b'{')) {
        return None;
    }
    // Whether each open collection is a map.
    let mut maps: Vec<bool> = Vec::new();
    let mut want = Want::Value;
    let mut at = at;
    loop {
        at = line.skip_spaces(at);
        let byte = line.byte(at)?;
        match (want, byte) {
            (Want::Item { first: true }, b']') | (Want::Separator, b']')
                if maps.last() == Some(&false) => {}
            (Want::Key { first: true }, b'}') | (Want::Separator, b'}')
                if maps.last() == Some(&true) => {}
            (Want::Separator, b',') => {
                let map = *maps.last()?;
                want = if map {
                    Want::Key { first: false }
                } else {
                    Want::Item { first: false }
                };
                at += 1;
                continue;
            }
            (Want::Colon, b':') if line.indicator(at, b':') => {
                want = Want::Value;
                at += 1;
                continue;
            }
            (Want::Item { .. } | Want::Value, b'[' | b'{') => {
                if maps.len() >= DEEPEST_FLOW {
                    return None;
                }
                let map = byte == b'{';
                builder.open(line.span(at), !map, 0).ok()?;
                want = if map {
                    Want::Key { first: true }
                } else {
                    Want::Item { first: true }
                };
                maps.push(map);
                at += 1;
                continue;
            }
            (Want::Item { .. } | Want::Value | Want::Key { .. }, _) => {
                let scalar = scalar(line, at, true)?;
                builder
                    .scalar(line.span(at), scalar.text, scalar.plain)
                    .ok()?;
                want = match want {
                    Want::Key { .. } if scalar.end - at <= LONGEST_KEY => Want::Colon,
                    Want::Key { .. } => return None,
                    _ => Want::Separator,
                };
                at = scalar.end;
                continue;
            }
            _ => return None,
        }
        // A closing bracket.
        maps.pop();
        builder.close().ok()?;
        at += 1;
        if maps.is_empty() {
            return Some(at);
        }
        want = Want::Separator;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The eight-byte search finds what a byte-by-byte search finds, in texts of
        /// characters of one to four bytes.
        #[test]
        fn finds_what_a_byte_by_byte_search_finds(
            text in "[a\"\\\\é€😀\\x00-\\x7f]{0,40}", from in 0usize..44,
        ) {
            let rest = text.as_bytes().get(from..).unwrap_or_default();
            let expected = rest.iter().position(|&b| b == b'"' || b == b'\\');
            prop_assert_eq!(super::find(rest, b'"', b'\\'), expected);
        }
    }
}
