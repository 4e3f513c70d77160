//! The usual XML document (a Braintree answer) parsed without roxmltree: most of
//! reading an answer was roxmltree's parse, which tracks what a Braintree answer never
//! holds (namespaces, entities and references of every kind, comments, processing
//! instructions, attribute normalization).
//!
//! Sound, not complete: [`Document::parse`] answers `None` for any text it is not sure
//! roxmltree reads the same way, and the caller then parses it with roxmltree, which
//! gives the error if there is one. It reads: an optional `<?xml version="1.0"
//! encoding="UTF-8"?>` at the very start; elements and attributes whose names are ASCII
//! letters, digits, `_`, `-` and `.` (not starting with `xml`); attribute values in
//! quotes without `<`, `&` or line breaks; text with the five named entities; spaces,
//! tabs and `\n` between elements. It declines everything else: comments, CDATA,
//! processing instructions, DTDs, character references, `\r` (which XML rewrites),
//! control characters, `]]>`, the non-characters U+FFFE and U+FFFF, more than
//! [`MAX_ATTRIBUTES`] attributes on an element or one written twice, nesting past
//! [`MAX_DEPTH`], more than [`MAX_ELEMENTS`] elements.

use std::borrow::Cow;

use super::{Element, text_pos};

/// Deepest nesting read here, below [`super::MAX_DEPTH`]: a document nested deeper is
/// left to roxmltree and the reader's own bound.
const MAX_DEPTH: usize = 100;

/// Most attributes an element carries here; Braintree writes one or two.
const MAX_ATTRIBUTES: usize = 4;

/// The only declaration read here, as Braintree writes it.
const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// No element.
const NONE: u32 = u32::MAX;

/// Most elements a document holds here: a larger one is left to roxmltree, so that
/// what this reader keeps stays small beside an answer's size.
const MAX_ELEMENTS: usize = 1 << 17;

/// A document's elements, in the order they start.
pub(super) struct Document<'x> {
    xml: &'x str,
    elements: Vec<Stored<'x>>,
    /// Every element's attributes, as (name, value), each element's together.
    attributes: Vec<(&'x str, &'x str)>,
}

struct Stored<'x> {
    name: &'x str,
    /// Where its start tag starts, in bytes.
    start: usize,
    /// Its attributes in [`Document::attributes`].
    attributes: std::ops::Range<u32>,
    text: Cow<'x, str>,
    first_child: u32,
    last_child: u32,
    next: u32,
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub(super) struct Node<'d, 'x> {
    doc: &'d Document<'x>,
    index: u32,
}

impl<'x> Document<'x> {
    /// `xml` parsed, or `None` when it is left to roxmltree (see the module's doc).
    pub(super) fn parse(xml: &'x str) -> Option<Self> {
        let bytes = xml.as_bytes();
        let mut at = if xml.starts_with(DECLARATION) {
            DECLARATION.len()
        } else {
            0
        };
        at = skip_space(bytes, at)?;
        let mut doc = Document {
            xml,
            elements: Vec::with_capacity(64),
            attributes: Vec::with_capacity(64),
        };
        let mut open: Vec<u32> = Vec::with_capacity(16);
        loop {
            if open.is_empty() && !doc.elements.is_empty() {
                // The root is closed: only space may follow.
                return (skip_space(bytes, at)? == bytes.len()).then_some(doc);
            }
            if *bytes.get(at)? != b'<' {
                // Text, inside an element (none may come before the root).
                let parent = *open.last()?;
                let (end, text) = text(xml, at)?;
                doc.add_text(parent, text);
                at = end;
                continue;
            }
            match *bytes.get(at + 1)? {
                b'/' => {
                    let end = name_end(bytes, at + 2)?;
                    let element = open.pop()?;
                    if bytes.get(end) != Some(&b'>')
                        || doc.elements[element as usize].name != &xml[at + 2..end]
                    {
                        return None;
                    }
                    at = end + 1;
                }
                b'!' | b'?' => return None,
                _ => {
                    let (element, empty, after) = start_tag(xml, at, &mut doc.attributes)?;
                    if open.len() >= MAX_DEPTH || doc.elements.len() >= MAX_ELEMENTS {
                        return None;
                    }
                    let index = doc.push(element, open.last().copied())?;
                    if !empty {
                        open.push(index);
                    }
                    at = after;
                }
            }
        }
    }

    /// The root element.
    pub(super) fn root(&self) -> Node<'_, 'x> {
        Node {
            doc: self,
            index: 0,
        }
    }

    /// Adds `element` as the last child of `parent`; its index.
    fn push(&mut self, element: Stored<'x>, parent: Option<u32>) -> Option<u32> {
        let index = u32::try_from(self.elements.len())
            .ok()
            .filter(|&i| i != NONE)?;
        self.elements.push(element);
        if let Some(parent) = parent {
            let last = self.elements[parent as usize].last_child;
            if last == NONE {
                self.elements[parent as usize].first_child = index;
            } else {
                self.elements[last as usize].next = index;
            }
            self.elements[parent as usize].last_child = index;
        }
        Some(index)
    }

    fn add_text(&mut self, element: u32, text: Cow<'x, str>) {
        let stored = &mut self.elements[element as usize].text;
        if stored.is_empty() {
            *stored = text;
        } else {
            stored.to_mut().push_str(&text);
        }
    }
}

/// The start tag at `at` (on its `<`): the element, whether it is empty (`/>`), and
/// where the tag ends.
/// Its attributes are added to `attributes`.
fn start_tag<'x>(
    xml: &'x str,
    at: usize,
    attributes: &mut Vec<(&'x str, &'x str)>,
) -> Option<(Stored<'x>, bool, usize)> {
    let bytes = xml.as_bytes();
    let name_at = at + 1;
    let mut end = name_end(bytes, name_at)?;
    let first = attributes.len();
    let from = u32::try_from(first).ok()?;
    let mut element = Stored {
        name: &xml[name_at..end],
        start: at,
        attributes: from..from,
        text: Cow::Borrowed(""),
        first_child: NONE,
        last_child: NONE,
        next: NONE,
    };
    loop {
        let next = skip_space(bytes, end)?;
        match *bytes.get(next)? {
            b'>' => return Some((element, false, next + 1)),
            b'/' => {
                return (bytes.get(next + 1) == Some(&b'>')).then_some((element, true, next + 2));
            }
            // An attribute follows a space.
            _ if next == end => return None,
            _ => {
                let name_stop = name_end(bytes, next)?;
                let quote = *bytes.get(name_stop + 1)?;
                if bytes.get(name_stop) != Some(&b'=') || !matches!(quote, b'"' | b'\'') {
                    return None;
                }
                let value_at = name_stop + 2;
                let value_end =
                    value_at + bytes.get(value_at..)?.iter().position(|&b| b == quote)?;
                let value = &xml[value_at..value_end];
                if value
                    .bytes()
                    .any(|b| matches!(b, b'<' | b'&' | b'\t' | b'\n'))
                    || !plain_chars(value)
                {
                    return None;
                }
                let name = &xml[next..name_stop];
                if attributes.len() - first == MAX_ATTRIBUTES
                    || attributes[first..].iter().any(|(n, _)| *n == name)
                {
                    return None;
                }
                attributes.push((name, value));
                element.attributes.end += 1;
                end = value_end + 1;
            }
        }
    }
}

/// Where the name starting at `at` ends: ASCII letters and `_` first, then letters,
/// digits, `_`, `-` and `.`; not starting with `xml` in any case (names reserved to
/// XML, `xmlns` among them). `None` when there is no such name.
fn name_end(bytes: &[u8], at: usize) -> Option<usize> {
    let first = *bytes.get(at)?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    if bytes
        .get(at..at + 3)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"xml"))
    {
        return None;
    }
    let mut end = at + 1;
    while bytes
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        end += 1;
    }
    Some(end)
}

/// Past the spaces, tabs and line feeds at `at`; `None` at a `\r`, which XML rewrites.
fn skip_space(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\n' => at += 1,
            b'\r' => return None,
            _ => break,
        }
    }
    Some(at)
}

/// Whether `s` holds only characters read here as they are written: no control
/// character but tab and line feed, no `\r`, no U+FFFE or U+FFFF.
fn plain_chars(s: &str) -> bool {
    s.bytes().all(|b| b >= b' ' || matches!(b, b'\t' | b'\n'))
        && (s.is_ascii() || !s.chars().any(|c| matches!(c, '\u{fffe}' | '\u{ffff}')))
}

/// The text from `at` to the next `<` (which must come), its entities decoded, and
/// where it ends; `None` for what is left to roxmltree. One pass over the bytes: text
/// is most of an answer.
fn text(xml: &str, at: usize) -> Option<(usize, Cow<'_, str>)> {
    let bytes = xml.as_bytes();
    let (mut entities, mut wide) = (false, false);
    let mut end = at;
    loop {
        match *bytes.get(end)? {
            b'<' => break,
            b'&' => entities = true,
            // `]]>` ends a CDATA section, and nothing else.
            b']' if bytes[end..].starts_with(b"]]>") => return None,
            b'\t' | b'\n' => {}
            b if b < b' ' => return None,
            b if b >= 0x80 => wide = true,
            _ => {}
        }
        end += 1;
    }
    let raw = &xml[at..end];
    if wide && !plain_chars(raw) {
        return None;
    }
    if !entities {
        return Some((end, Cow::Borrowed(raw)));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (entity, c) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&apos;", '\''),
        ]
        .into_iter()
        .find(|(entity, _)| rest.starts_with(entity))?;
        out.push(c);
        rest = &rest[entity.len()..];
    }
    out.push_str(rest);
    Some((end, Cow::Owned(out)))
}

impl<'d, 'x: 'd> Node<'d, 'x> {
    fn stored(self) -> &'d Stored<'x> {
        &self.doc.elements[self.index as usize]
    }
}

impl<'d, 'x: 'd> Element<'d> for Node<'d, 'x> {
    fn name(self) -> &'d str {
        self.stored().name
    }
    fn attribute(self, name: &str) -> Option<&'d str> {
        let range = &self.stored().attributes;
        self.doc.attributes[range.start as usize..range.end as usize]
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
    fn elements(self) -> impl Iterator<Item = Self> {
        let doc = self.doc;
        std::iter::successors(
            Some(self.stored().first_child).filter(|&i| i != NONE),
            move |&i| Some(doc.elements[i as usize].next).filter(|&n| n != NONE),
        )
        .map(move |index| Node { doc, index })
    }
    fn text(self) -> String {
        self.stored().text.to_string()
    }
    fn position(self) -> (u32, u32) {
        text_pos(self.doc.xml, self.stored().start)
    }
}
