//! A fast reader for the block-style YAML that scenarios and `gatecheck.yaml` are
//! written in, giving exactly the tree (every span included) that saphyr's path in
//! [`super::node`] gives, or `None`, and then saphyr reads the file.
//!
//! Why it exists: reading scenario files was the largest single cost of a run left.
//! saphyr's scanner and parser spent about 280,000 instructions on a 1.5 KB scenario,
//! and ten times that in test binaries, where its generic parser is compiled into this
//! crate unoptimized. The files use a small part of YAML, which reads line by line.
//!
//! It reads: block maps and lists (a list may sit at its key's indentation, and an
//! item may be a `- key: value` map or a `- - nested` list), comments and blank
//! lines, plain scalars on one line, single- and double-quoted scalars closed on their
//! line (common escapes), flow maps and lists closed on their line (nested too), and
//! `|`, `|-`, `>`, `>-` block scalars (folded ones with every line at one indentation).
//!
//! It declines everything else, so that saphyr reads it and every error message
//! still comes from one place: tabs, `\r` and control characters, tags, anchors,
//! aliases, `?` keys, directives, `---` and `...`, multi-line plain or quoted scalars,
//! `|+` and indentation indicators, empty flow values, a root scalar followed by more;
//! and whatever [`Builder`] refuses (repeated keys, keys that are not text, depth, size). When in
//! doubt it declines: declining costs time, a wrong tree costs correctness.
//!
//! Nesting is kept on explicit stacks (here and in the builder), never by recursion.

use super::inline::{self, Line, Scalar};
use super::node::{Builder, Limits, Node};
use super::span::Span;

/// Reads `text` into its tree, or `None` if it uses YAML this reader leaves to saphyr.
pub(super) fn read(text: &str, limits: &Limits) -> Option<Node> {
    let mut reader = Reader {
        builder: Builder::new(limits),
        blocks: Vec::new(),
        pending: None,
        started: false,
        lines: Lines {
            rest: text,
            number: 0,
            refused: false,
        },
    };
    while let Some(line) = reader.lines.next() {
        let indent = line.indent();
        if matches!(line.byte(indent), None | Some(b'#')) {
            continue;
        }
        if line.text.starts_with("---") || line.text.starts_with("...") {
            return None;
        }
        reader.line(&line, indent)?;
    }
    if reader.lines.refused {
        return None;
    }
    reader.end()
}

/// The lines of the text, one at a time, each holding only printable characters.
struct Lines<'t> {
    rest: &'t str,
    /// The number of the last line taken.
    number: usize,
    /// Whether a line holds a character this reader leaves to saphyr (tabs, `\r`,
    /// other line breaks and control characters have rules of their own): there are no
    /// more lines then, and the text is declined.
    refused: bool,
}

impl<'t> Lines<'t> {
    /// The next line, not taken yet. One pass finds its end, refuses control
    /// characters and sees whether it is ASCII (loops rather than `str::find` and
    /// iterators: see [`inline::find`]).
    fn peek(&mut self) -> Option<Line<'t>> {
        if self.refused || self.rest.is_empty() {
            return None;
        }
        let bytes = self.rest.as_bytes();
        let mut ascii = true;
        let mut end = 0;
        // Eight bytes at a time while all are printable ASCII (most of a file); the
        // loop below reads the word that is not, and on.
        while let Some(chunk) = bytes.get(end..).and_then(<[u8]>::first_chunk::<8>) {
            let word = u64::from_le_bytes(*chunk);
            // A byte below a space borrows into its top bit; one past `~` carries into
            // it, or has it set already (a carry out of a byte only leaves one that
            // has it set).
            let below = word.wrapping_sub(inline::repeat(b' ')) & !word;
            let above = word.wrapping_add(inline::repeat(1)) | word;
            if (below | above) & inline::repeat(0x80) != 0 {
                break;
            }
            end += 8;
        }
        while end < bytes.len() {
            let b = bytes[end];
            if !matches!(b, b' '..=b'~') {
                if b == b'\n' {
                    break;
                }
                self.refused |= b < 0x80;
                ascii = false;
            }
            end += 1;
        }
        let text = &self.rest[..end];
        let special = |c: char| {
            ('\u{80}'..'\u{a0}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                )
        };
        self.refused |= !ascii && text.chars().any(special);
        if self.refused {
            return None;
        }
        Some(Line::new(text, self.number + 1, end < bytes.len(), ascii))
    }

    /// Moves past `line`, the one [`Lines::peek`] gave.
    fn advance(&mut self, line: &Line) {
        self.rest = &self.rest[line.text.len() + usize::from(line.terminated)..];
        self.number += 1;
    }

    fn next(&mut self) -> Option<Line<'t>> {
        let line = self.peek()?;
        self.advance(&line);
        Some(line)
    }
}

/// A block map or list being read.
struct Block {
    /// The column (0-based) of its keys or `-`.
    indent: usize,
    seq: bool,
    /// A list at its key's indentation (`key:` then `- item` below it): the first line
    /// at that indentation that is not an item ends it.
    indentless: bool,
}

struct Reader<'t, 'l> {
    builder: Builder<'l>,
    blocks: Vec<Block>,
    /// After a `key:` or `-` with nothing after it on its line: where saphyr places the
    /// empty value, if no nested node follows on the next lines.
    pending: Option<Span>,
    /// Whether the root node has begun.
    started: bool,
    lines: Lines<'t>,
}

impl Reader<'_, '_> {
    /// A line with something on it, indented by `indent` spaces.
    fn line(&mut self, line: &Line, indent: usize) -> Option<()> {
        if let Some(empty) = self.pending.take() {
            let top = self.blocks.last()?;
            if indent > top.indent {
                return self.node(line, indent);
            }
            if !top.seq && indent == top.indent && line.indicator(indent, b'-') {
                let (content, mark) = entry(line, indent);
                // saphyr places such a list after its first `-`, where the item starts
                // (or at the line's end).
                self.open(mark, indent, true, true)?;
                return self.item(line, content, mark);
            }
            self.builder.scalar(empty, String::new(), true).ok()?;
        }
        if !self.started {
            self.started = true;
            return self.node(line, indent);
        }
        loop {
            // No block left: the root is complete, and this would be a second one.
            let top = self.blocks.last()?;
            let ends_list = top.indentless && top.indent == indent && !line.indicator(indent, b'-');
            if top.indent <= indent && !ends_list {
                break;
            }
            self.close()?;
        }
        let top = self.blocks.last()?;
        if top.indent != indent {
            return None;
        }
        if top.seq {
            if !line.indicator(indent, b'-') {
                return None;
            }
            let (content, mark) = entry(line, indent);
            return self.item(line, content, mark);
        }
        let key = inline::scalar(line, indent, false)?;
        let colon = inline::colon_after(line, indent, key.end)?;
        self.key(line, indent, key, colon)
    }

    /// The node starting at `at`: first on its line, or after a `-`.
    fn node(&mut self, line: &Line, mut at: usize) -> Option<()> {
        // `- - x`: each `-` opens a list, nested in the one before.
        while line.indicator(at, b'-') {
            self.open(line.span(at), at, true, false)?;
            let (content, mark) = entry(line, at);
            match content {
                Some(next) => at = next,
                None => {
                    self.pending = Some(mark);
                    return Some(());
                }
            }
        }
        match line.byte(at)? {
            b'[' | b'{' => self.value(line, at),
            // A block scalar on a line of its own is rare enough to leave to saphyr.
            b'|' | b'>' if line.indent() == at => None,
            b'|' | b'>' => self.value(line, at),
            _ => {
                let scalar = inline::scalar(line, at, false)?;
                match inline::colon_after(line, at, scalar.end) {
                    Some(colon) => {
                        self.open(line.span(at), at, false, false)?;
                        self.key(line, at, scalar, colon)
                    }
                    None => self.scalar(line, at, scalar),
                }
            }
        }
    }

    /// The item after a `-`: its content starts at `content`, or, if none is on this
    /// line, it is nested below or empty (placed at `mark`).
    fn item(&mut self, line: &Line, content: Option<usize>, mark: Span) -> Option<()> {
        match content {
            Some(at) => self.node(line, at),
            None => {
                self.pending = Some(mark);
                Some(())
            }
        }
    }

    /// A key at `at` (its `:` at `colon`) of the innermost map, and its value.
    fn key(&mut self, line: &Line, at: usize, key: Scalar, colon: usize) -> Option<()> {
        self.builder
            .scalar(line.span(at), key.text, key.plain)
            .ok()?;
        if line.ends_at(colon + 1) {
            self.pending = Some(line.span(colon));
            return Some(());
        }
        self.value(line, line.skip_spaces(colon + 1))
    }

    /// A value that is not a block collection, at `at`.
    fn value(&mut self, line: &Line, at: usize) -> Option<()> {
        match line.byte(at)? {
            b'[' | b'{' => {
                let end = inline::flow(line, at, &mut self.builder)?;
                line.ends_at(end).then_some(())
            }
            b'|' | b'>' => self.block_scalar(line, at),
            _ => {
                let scalar = inline::scalar(line, at, false)?;
                self.scalar(line, at, scalar)
            }
        }
    }

    /// A scalar value at `at`, which only a comment may follow on its line.
    fn scalar(&mut self, line: &Line, at: usize, scalar: Scalar) -> Option<()> {
        if !line.ends_at(scalar.end) {
            return None;
        }
        self.builder
            .scalar(line.span(at), scalar.text, scalar.plain)
            .ok()
    }

    /// A block scalar whose header (`|`, `|-`, `>`, `>-`) is at `at`, with its lines.
    fn block_scalar(&mut self, line: &Line, at: usize) -> Option<()> {
        let owner = self.blocks.last()?.indent;
        let literal = line.byte(at) == Some(b'|');
        let strip = line.byte(at + 1) == Some(b'-');
        if !line.terminated || !line.ends_at(at + 1 + usize::from(strip)) {
            return None;
        }
        let first = self.lines.peek()?;
        let indent = first.indent();
        if indent <= owner || indent == first.text.len() {
            return None;
        }
        let span = Span::new(first.number, indent + 1);
        let mut text = String::new();
        // Blank lines since the last content line.
        let mut blank = 0;
        while let Some(next) = self.lines.peek() {
            let spaces = next.indent();
            if spaces < indent && spaces < next.text.len() {
                break;
            }
            // Left to saphyr: a blank line with spaces past the indentation (they are
            // content), a folded line indented more (kept as written, with its
            // breaks), a last line without its break (chomped by rules of its own).
            if !next.terminated || (spaces > indent && (spaces == next.text.len() || !literal)) {
                return None;
            }
            if spaces == next.text.len() {
                blank += 1;
            } else {
                if !text.is_empty() {
                    let breaks = if literal { blank + 1 } else { blank };
                    if breaks == 0 {
                        text.push(' ');
                    }
                    text.extend(std::iter::repeat_n('\n', breaks));
                }
                text.push_str(&next.text[indent..]);
                blank = 0;
            }
            self.lines.advance(&next);
        }
        if !strip {
            text.push('\n');
        }
        self.builder.scalar(span, text, false).ok()
    }

    fn open(&mut self, span: Span, indent: usize, seq: bool, indentless: bool) -> Option<()> {
        self.builder.open(span, seq, 0).ok()?;
        self.blocks.push(Block {
            indent,
            seq,
            indentless,
        });
        Some(())
    }

    fn close(&mut self) -> Option<()> {
        self.blocks.pop();
        self.builder.close().ok()
    }

    fn end(mut self) -> Option<Node> {
        if let Some(empty) = self.pending.take() {
            self.builder.scalar(empty, String::new(), true).ok()?;
        }
        while !self.blocks.is_empty() {
            self.close()?;
        }
        Some(self.builder.into_root())
    }
}

/// After the `-` at `dash`: where the item's content starts on this line, if it does,
/// and where saphyr places the entry: at that content, or, with none, at the line's
/// end (past a comment).
fn entry(line: &Line, dash: usize) -> (Option<usize>, Span) {
    let at = line.skip_spaces(dash + 1);
    match line.byte(at) {
        Some(b'#') | None => (None, line.span(line.text.len())),
        Some(_) => (Some(at), line.span(at)),
    }
}
