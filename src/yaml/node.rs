//! Reading YAML text into a located tree, with bounds on everything an input controls.
//!
//! The tree is built by [`Builder`], from saphyr's events or from [`super::block`]'s
//! lines, on an explicit stack, so nesting costs heap, never call stack, and is refused
//! past [`Limits::max_depth`] as soon as it is seen. Aliases are expanded here and
//! counted against [`Limits::max_nodes`], so an "alias bomb" is refused before it is
//! expanded.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as ParserSpan};

use super::block;
use super::error::{Error, ErrorKind};
use super::span::Span;

/// How much a file may ask of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting of maps and lists.
    pub max_depth: usize,
    /// Most nodes, aliases expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    /// 4 MiB, 128 levels (as the JSON and XML decoders allow), a million nodes.
    fn default() -> Self {
        Limits {
            max_bytes: 4 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
        }
    }
}

/// A YAML node and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts (for a block map, its first key).
    pub span: Span,
    /// What it is.
    pub kind: NodeKind,
}

/// The three shapes of YAML.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// Text. `plain` scalars are resolved (null, booleans, numbers) when a type asks
    /// for "anything"; quoted and block scalars are always strings.
    Scalar {
        /// The text, escapes resolved.
        text: String,
        /// Written without quotes (and not as a block), so it may be a number, say.
        plain: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A map, in written order; keys are unique (checked when reading).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a scalar node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key` in a map node, with the key node.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The `index`th item of a list node.
    pub fn item(&self, index: usize) -> Option<&Node> {
        match &self.kind {
            NodeKind::Seq(items) => items.get(index),
            _ => None,
        }
    }

    /// The first scalar (key or value, in written order) under this node whose text
    /// satisfies `pred`.
    pub fn find_scalar(&self, pred: &dyn Fn(&str) -> bool) -> Option<&Node> {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match &node.kind {
                NodeKind::Scalar { text, .. } if pred(text) => return Some(node),
                NodeKind::Scalar { .. } => {}
                NodeKind::Seq(items) => stack.extend(items.iter().rev()),
                NodeKind::Map(entries) => {
                    for (k, v) in entries.iter().rev() {
                        stack.push(v);
                        stack.push(k);
                    }
                }
            }
        }
        None
    }

    /// Whether the node is YAML's null (`~`, `null`, or nothing written).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if is_null_text(text))
    }

    /// How many nodes the tree has, and how many levels of maps and lists it nests.
    fn measure(&self) -> (usize, usize) {
        let (mut total, mut height) = (0, 0);
        let mut stack = vec![(self, 0)];
        while let Some((node, depth)) = stack.pop() {
            total += 1;
            match &node.kind {
                NodeKind::Scalar { .. } => {}
                NodeKind::Seq(items) => {
                    height = height.max(depth + 1);
                    stack.extend(items.iter().map(|i| (i, depth + 1)));
                }
                NodeKind::Map(entries) => {
                    height = height.max(depth + 1);
                    for (k, v) in entries {
                        stack.push((k, depth + 1));
                        stack.push((v, depth + 1));
                    }
                }
            }
        }
        (total, height)
    }
}

/// The plain scalars YAML reads as null.
pub(crate) fn is_null_text(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn span_of(span: &ParserSpan) -> Span {
    Span::new(span.start.line(), span.start.col() + 1)
}

/// A collection being read. Its items (or entries) so far are the ones of
/// [`Builder`]'s shared list from `start` on.
enum Frame {
    Seq {
        span: Span,
        anchor: usize,
        start: usize,
    },
    Map {
        span: Span,
        anchor: usize,
        start: usize,
        key: Option<Node>,
        /// The keys by text, made only once the map has [`SCANNED_KEYS`] of them.
        seen: Option<HashMap<String, Span>>,
    },
}

/// Keys a map may hold before repeats are found through an index rather than by
/// scanning its keys: nearly every map is smaller, and hashing and copying each key
/// cost more than the scan (it was a tenth of building a scenario's tree).
const SCANNED_KEYS: usize = 16;

/// Where `text`, a key written at `at`, was first written as a key of the map being
/// read, if it was.
fn first_key(
    entries: &[(Node, Node)],
    seen: &mut Option<HashMap<String, Span>>,
    text: &str,
    at: Span,
) -> Option<Span> {
    if entries.len() < SCANNED_KEYS {
        return entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(text))
            .map(|(k, _)| k.span);
    }
    let seen = seen.get_or_insert_with(|| {
        entries
            .iter()
            .filter_map(|(k, _)| Some((k.as_str()?.to_string(), k.span)))
            .collect()
    });
    let first = seen.get(text).copied();
    if first.is_none() {
        seen.insert(text.to_string(), at);
    }
    first
}

/// Builds the tree from what a reader finds, in written order: the one place that
/// bounds size and depth and refuses duplicate and non-text keys, whichever reader
/// (saphyr's events here, or [`super::block`]'s lines) finds the nodes.
pub(super) struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    /// The items of the lists being read, innermost last, and the entries of the maps:
    /// a collection takes its own, sized to fit, when it ends, rather than each
    /// growing a list of its own item by item.
    items: Vec<Node>,
    entries: Vec<(Node, Node)>,
    /// Anchored nodes by id, with their size and height (levels of nesting).
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    root: Option<Node>,
}

impl<'l> Builder<'l> {
    pub(super) fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            root: None,
        }
    }

    /// Starts a list (`seq`) or a map placed at `span` (a map at its first key in
    /// block style, at its `{` in flow style, as saphyr places them), under `anchor`
    /// (0: none).
    pub(super) fn open(&mut self, span: Span, seq: bool, anchor: usize) -> Result<(), Error> {
        self.count(1, span)?;
        if self.stack.len() >= self.limits.max_depth {
            return Err(Error::at(
                ErrorKind::TooDeep,
                span,
                format!(
                    "maps and lists nest more than {} levels deep",
                    self.limits.max_depth
                ),
            )
            .with_help("flatten the structure"));
        }
        self.stack.push(if seq {
            Frame::Seq {
                span,
                anchor,
                start: self.items.len(),
            }
        } else {
            Frame::Map {
                span,
                anchor,
                start: self.entries.len(),
                key: None,
                seen: None,
            }
        });
        Ok(())
    }

    /// Adds a scalar (a key or a value) to the collection being read.
    pub(super) fn scalar(&mut self, span: Span, text: String, plain: bool) -> Result<(), Error> {
        self.anchored_scalar(span, text, plain, 0)
    }

    /// [`Builder::scalar`], under `anchor` (0: none).
    fn anchored_scalar(
        &mut self,
        span: Span,
        text: String,
        plain: bool,
        anchor: usize,
    ) -> Result<(), Error> {
        self.count(1, span)?;
        let kind = NodeKind::Scalar { text, plain };
        self.finish(Node { span, kind }, anchor)
    }

    /// Ends the innermost collection being read, handing it to the one around it.
    pub(super) fn close(&mut self) -> Result<(), Error> {
        let (node, anchor) = match self.stack.pop() {
            Some(Frame::Seq {
                span,
                anchor,
                start,
            }) => (
                Node {
                    span,
                    kind: NodeKind::Seq(self.items.split_off(start)),
                },
                anchor,
            ),
            Some(Frame::Map {
                span,
                anchor,
                start,
                ..
            }) => (
                Node {
                    span,
                    kind: NodeKind::Map(self.entries.split_off(start)),
                },
                anchor,
            ),
            None => return Ok(()),
        };
        self.finish(node, anchor)
    }

    /// The tree read; an empty file is a null node.
    pub(super) fn into_root(self) -> Node {
        self.root.unwrap_or(Node {
            span: Span::new(1, 1),
            kind: NodeKind::Scalar {
                text: String::new(),
                plain: true,
            },
        })
    }

    #[inline]
    fn count(&mut self, n: usize, span: Span) -> Result<(), Error> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(Error::at(
                ErrorKind::TooManyNodes,
                span,
                format!(
                    "the file expands to more than {} values (aliases included)",
                    self.limits.max_nodes
                ),
            )
            .with_help("write the values out, or use fewer `*alias` references"));
        }
        Ok(())
    }

    /// Hands a finished node to the collection being read (or makes it the root).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), Error> {
        if anchor != 0 {
            // The copy kept for aliases costs like the nodes themselves: nested
            // anchors must not multiply memory outside the budget.
            let (size, height) = node.measure();
            self.count(size, node.span)?;
            self.anchors.insert(anchor, (node.clone(), size, height));
        }
        match self.stack.last_mut() {
            None => {
                self.root.get_or_insert(node);
            }
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map {
                start, key, seen, ..
            }) => match key.take() {
                Some(k) => self.entries.push((k, node)),
                None => {
                    let Some(text) = node.as_str() else {
                        return Err(Error::at(
                            ErrorKind::Invalid,
                            node.span,
                            "a key must be text, not a map or a list",
                        )
                        .with_help("write the key as plain or quoted text"));
                    };
                    if let Some(first) = first_key(&self.entries[*start..], seen, text, node.span) {
                        return Err(Error::at(
                            ErrorKind::DuplicateKey { first },
                            node.span,
                            format!("duplicate key `{text}` (first written at {first})"),
                        )
                        .with_help(format!(
                            "a map holds each key once: remove one of them, or merge them into the one at line {}",
                            first.line
                        )));
                    }
                    *key = Some(node);
                }
            },
        }
        Ok(())
    }
}

/// Reads `bytes` as one YAML document into a tree.
///
/// Refuses, with the place: text that is not UTF-8 or not YAML, a second document,
/// duplicate keys, unknown tags, and anything past `limits`. A UTF-8 byte-order mark
/// is skipped. An empty file is a null node.
///
/// Most files are read by `yaml::block`, a fast reader of block-style YAML that gives
/// the same tree; what it declines, errors included, is read by saphyr.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Node, Error> {
    if bytes.len() > limits.max_bytes {
        return Err(Error {
            kind: ErrorKind::TooLarge,
            message: format!(
                "the file is {} bytes; files of more than {} bytes are refused",
                bytes.len(),
                limits.max_bytes
            ),
            span: None,
            help: Some("split it into several files".into()),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let before = std::str::from_utf8(valid).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        Error::at(
            ErrorKind::NotUtf8,
            Span::new(line, column),
            format!("the file is not UTF-8: byte 0x{byte:02X} cannot start a character here"),
        )
        .with_help("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match block::read(text, limits) {
        Some(node) => Ok(node),
        None => parse_with_saphyr(text, limits),
    }
}

/// Reads `text` through saphyr's events: all of YAML, and every error message.
pub(super) fn parse_with_saphyr(text: &str, limits: &Limits) -> Result<Node, Error> {
    let mut builder = Builder::new(limits);
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = Span::new(e.marker().line(), e.marker().col() + 1);
            if e.info().contains("recursion limit") {
                // The parser's own nesting bound, met before ours in flow collections.
                return Error::at(ErrorKind::TooDeep, at, "maps and lists nest too deep")
                    .with_help("flatten the structure");
            }
            let message = e.info().to_string();
            let help = syntax_help(&message);
            let error = Error::at(ErrorKind::Syntax, at, message);
            match help {
                Some(h) => error.with_help(h),
                None => error,
            }
        })?;
        let at = span_of(&span);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Error::at(
                        ErrorKind::ExtraDocument,
                        at,
                        "a second YAML document: this file holds one",
                    )
                    .with_help(
                        "remove the `---` line and what follows, or move it to a file of its own",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let mut plain = style == ScalarStyle::Plain;
                if let Some(tag) = tag {
                    match (tag.handle.as_str(), tag.suffix.as_str()) {
                        ("!!", "str") | ("tag:yaml.org,2002:", "str") => plain = false,
                        ("!!", "int" | "float" | "bool" | "null")
                        | ("tag:yaml.org,2002:", "int" | "float" | "bool" | "null") => {}
                        (handle, suffix) => {
                            return Err(Error::at(
                                ErrorKind::Tag,
                                at,
                                format!("unknown tag `{handle}{suffix}`"),
                            )
                            .with_help("remove the tag; quote the value if it must stay text"));
                        }
                    }
                }
                builder.anchored_scalar(at, value.into_owned(), plain, anchor)?;
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(tag) = tag {
                    return Err(Error::at(
                        ErrorKind::Tag,
                        at,
                        format!("unknown tag `{}{}`", tag.handle, tag.suffix),
                    )
                    .with_help("remove the tag"));
                }
                builder.open(at, matches!(event, Event::SequenceStart(..)), anchor)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::Alias(id) => {
                let Some((size, height)) = builder
                    .anchors
                    .get(&id)
                    .map(|(_, size, height)| ((*size).max(1), *height))
                else {
                    return Err(Error::at(ErrorKind::Syntax, at, "unknown alias"));
                };
                // An alias pastes its anchor's levels where it stands: the depth bound
                // holds for the tree as expanded, not only as written.
                if builder.stack.len() + height > limits.max_depth {
                    return Err(Error::at(
                        ErrorKind::TooDeep,
                        at,
                        format!(
                            "with this alias expanded, maps and lists nest more than {} levels deep",
                            limits.max_depth
                        ),
                    )
                    .with_help("flatten the structure, or use fewer nested `*alias` references"));
                }
                // Counted before the copy is made, so a bomb is refused unexpanded.
                builder.count(size, at)?;
                if let Some((node, _, _)) = builder.anchors.get(&id) {
                    let mut copy = node.clone();
                    // An alias is shown where it is written, not where its anchor is.
                    copy.span = at;
                    builder.finish(copy, 0)?;
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(builder.into_root())
}

/// Help for the parser's common complaints.
fn syntax_help(message: &str) -> Option<&'static str> {
    if message.contains("tab") {
        Some("YAML indents with spaces, not tabs")
    } else if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
        || message.contains("did not find expected '-'")
    {
        Some(
            "check the indentation: the keys of one map line up in one column, and a nested map is indented under its key",
        )
    } else if message.contains("did not find expected ',' or '}'")
        || message.contains("did not find expected ',' or ']'")
    {
        Some(
            "inside `{ ... }` or `[ ... ]`, quote values that use `${...}` or `:`, e.g. `{ id: \"c-${run_id}\" }`",
        )
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Error {
        parse(text.as_bytes(), &Limits::default()).unwrap_err()
    }

    #[test]
    fn spans_of_keys_and_values() {
        let node = parse(b"a: 1\nb:\n  - x\n  - { c: d }\n", &Limits::default()).unwrap();
        let (key, value) = node.entry("b").unwrap();
        assert_eq!(key.span, Span::new(2, 1));
        let NodeKind::Seq(items) = &value.kind else {
            panic!("{value:?}")
        };
        assert_eq!(items[1].span, Span::new(4, 5));
        let (c, d) = items[1].entry("c").unwrap();
        assert_eq!((c.span, d.span), (Span::new(4, 7), Span::new(4, 10)));
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let e = err("x:\n  a: 1\n  b: 2\n  a: 3\n");
        assert_eq!(e.span, Some(Span::new(4, 3)));
        assert_eq!(
            e.kind,
            ErrorKind::DuplicateKey {
                first: Span::new(2, 3)
            }
        );
        assert!(e.message.contains("first written at 2:3"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_of_large_maps_name_both_places() {
        // Past SCANNED_KEYS keys, repeats are found through the index: a repeat of a
        // key read before the index was made, and of one read after.
        let keys: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        for (first, line) in [(3, 4), (30, 31)] {
            let e = err(&format!("{keys}k{first}: again\n"));
            assert_eq!(e.span, Some(Span::new(41, 1)));
            assert_eq!(
                e.kind,
                ErrorKind::DuplicateKey {
                    first: Span::new(line, 1)
                }
            );
        }
        assert!(parse(keys.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn bom_is_skipped_and_extra_documents_refused() {
        let node = parse("\u{feff}a: 1\n".as_bytes(), &Limits::default()).unwrap();
        assert_eq!(node.entry("a").unwrap().0.span, Span::new(1, 1));
        let e = err("a: 1\n---\nb: 2\n");
        assert_eq!(
            (e.kind, e.span),
            (ErrorKind::ExtraDocument, Some(Span::new(2, 1)))
        );
        assert!(parse(b"---\na: 1\n", &Limits::default()).is_ok());
    }

    #[test]
    fn not_utf8_is_located() {
        let e = parse(b"a: 1\nb: \xff\n", &Limits::default()).unwrap_err();
        assert_eq!(
            (e.kind, e.span),
            (ErrorKind::NotUtf8, Some(Span::new(2, 4)))
        );
    }

    #[test]
    fn alias_bombs_and_depth_are_bounded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = err(&bomb);
        assert_eq!(e.kind, ErrorKind::TooManyNodes);
        assert!(e.span.is_some());
        let e = err(&"[".repeat(200));
        assert_eq!(e.kind, ErrorKind::TooDeep);
        assert_eq!(e.span, Some(Span::new(1, 129)));
        // Far deeper input is refused too (by the parser's own bound), not overflowed.
        assert!(parse("[".repeat(100_000).as_bytes(), &Limits::default()).is_err());
        let block: String = (0..200)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(err(&block).kind, ErrorKind::TooDeep);
        let small = parse(b"a: &x { b: 1 }\nc: *x\n", &Limits::default()).unwrap();
        assert_eq!(small.entry("c").unwrap().1.span, Span::new(2, 4));
    }

    #[test]
    fn aliases_cannot_nest_past_the_depth_bound_or_multiply_memory() {
        // Each anchor 100 levels deep, holding the previous one.
        let mut text = String::from("a0: &a0 ");
        text.push_str(&"[".repeat(100));
        text.push_str(&"]".repeat(100));
        text.push('\n');
        for i in 1..5 {
            text.push_str(&format!(
                "a{i}: &a{i} {}*a{} {}\n",
                "[".repeat(100),
                i - 1,
                "]".repeat(100)
            ));
        }
        let e = err(&text);
        assert_eq!(e.kind, ErrorKind::TooDeep, "{e:?}");
        assert!(e.message.contains("alias expanded"), "{}", e.message);
        // Nested anchors of one big list: their kept copies are counted too.
        let big = vec!["x"; 300_000].join(", ");
        let nested = format!("&n0 [&n1 [&n2 [&n3 [{big}]]]]");
        let limits = Limits {
            max_nodes: 1_000_000,
            ..Limits::default()
        };
        let e = parse(nested.as_bytes(), &limits).unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooManyNodes, "{e:?}");
    }

    #[test]
    fn syntax_errors_are_located_with_help() {
        let e = err("a:\n  b: 1\n c: 2\n");
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.span.is_some());
        assert!(e.help.unwrap_or_default().contains("indentation"));
        let e = err("a: !custom 1\n");
        assert_eq!(e.kind, ErrorKind::Tag);
    }
}
