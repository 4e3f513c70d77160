//! Braintree-flavoured XML <-> JSON tree.
//!
//! Braintree speaks XML in which the *type* of a value travels in attributes:
//! `type="array"`, `type="boolean"`, `type="integer"`, `nil="true"`. This module maps
//! that XML to a JSON tree and back, so that the harness can assert on every gateway's
//! answers with one language (JSONPath) and the sandbox can build answers as plain trees.
//!
//! ```
//! use gatecheck::wire::xml::{EncodeOptions, decode, encode};
//! use serde_json::json;
//!
//! let opts = EncodeOptions { dasherize: true, declaration: false };
//! let xml = encode(&json!({"customer": {"first_name": "Ada", "vip": true}}), opts).unwrap();
//! assert_eq!(
//!     xml,
//!     r#"<customer><first-name>Ada</first-name><vip type="boolean">true</vip></customer>"#
//! );
//! assert_eq!(decode(&xml).unwrap(), json!({"customer": {"first_name": "Ada", "vip": true}}));
//! ```

use std::collections::{HashMap, HashSet};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::selection::Selection;

mod fast;

/// Options for encoding a JSON tree as XML.
#[derive(Debug, Clone, Copy)]
pub struct EncodeOptions {
    /// Write element names with dashes (`first-name`) instead of underscores.
    pub dasherize: bool,
    /// Start the document with `<?xml version="1.0" encoding="UTF-8"?>`.
    pub declaration: bool,
}

/// Why a document could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub enum XmlError {
    /// The input is not well-formed XML (or uses a DTD, which is refused).
    #[error("malformed XML at {line}:{column}: {message}")]
    Parse {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The parser's reason.
        message: String,
    },
    /// An element's text does not fit the type its `type` attribute announces.
    #[error(
        "element <{element}> at {line}:{column} has type=\"{kind}\" but its text {text:?} is not one"
    )]
    InvalidValue {
        /// The element's name.
        element: String,
        /// The type it announces.
        kind: String,
        /// Its text.
        text: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// Elements are nested deeper than [`MAX_DEPTH`].
    #[error("elements nest deeper than {MAX_DEPTH} levels at {line}:{column}")]
    TooDeep {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// An element carries more than [`MAX_ATTRIBUTES`] attributes.
    #[error("element at {line}:{column} has more than {MAX_ATTRIBUTES} attributes")]
    TooManyAttributes {
        /// 1-based line of the element's `<`.
        line: u32,
        /// 1-based column of the element's `<`.
        column: u32,
    },
    /// The document declares more than [`MAX_NAMESPACES`] namespaces.
    #[error("the document declares more than {MAX_NAMESPACES} namespaces (at {line}:{column})")]
    TooManyNamespaces {
        /// 1-based line of the declaration over the limit.
        line: u32,
        /// 1-based column of the declaration over the limit.
        column: u32,
    },
    /// The JSON tree to encode is not an object with exactly one key.
    #[error("a document needs one root element: expected an object with exactly one key, got {0}")]
    Root(String),
    /// A JSON key cannot be used as an XML element name.
    #[error("{0:?} cannot be used as an XML element name")]
    InvalidName(String),
    /// Writing failed (should not happen when writing to memory).
    #[error("could not write XML: {0}")]
    Write(String),
}

/// Encodes a JSON tree as Braintree-style XML.
///
/// The value must be an object with one key, the root element's name. Booleans get
/// `type="boolean"`, integers `type="integer"`, `null` becomes `<x nil="true"/>`, arrays
/// get `type="array"` and one element per item, named after the singular of the key
/// (`addresses` → `address`, `…ies` → `…y`, a trailing `s` dropped, otherwise `item`).
pub fn encode(value: &Value, opts: EncodeOptions) -> Result<String, XmlError> {
    encode_with_string_types(value, opts, |_| None)
}

/// Like [`encode`], and gives string values a `type` attribute chosen by their
/// (underscored) element name: `created_at` → `Some("datetime")` for instance.
///
/// ```
/// use gatecheck::wire::xml::{EncodeOptions, encode_with_string_types};
/// use serde_json::json;
///
/// let opts = EncodeOptions { dasherize: true, declaration: false };
/// let tree = json!({"error": {"attribute": "number"}});
/// let xml = encode_with_string_types(&tree, opts, |name| (name == "attribute").then_some("symbol"));
/// assert_eq!(xml.unwrap(), r#"<error><attribute type="symbol">number</attribute></error>"#);
/// ```
pub fn encode_with_string_types(
    value: &Value,
    opts: EncodeOptions,
    string_type: impl Fn(&str) -> Option<&'static str>,
) -> Result<String, XmlError> {
    let Value::Object(root) = value else {
        return Err(XmlError::Root(kind_of(value).to_string()));
    };
    let mut entries = root.iter();
    let (Some((name, content)), None) = (entries.next(), entries.next()) else {
        return Err(XmlError::Root(format!(
            "an object with {} keys",
            root.len()
        )));
    };
    let mut encoder = Encoder {
        writer: Writer::new(Vec::new()),
        dasherize: opts.dasherize,
        string_type: &string_type,
    };
    if opts.declaration {
        encoder
            .writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(write_error)?;
    }
    encoder.element(name, content)?;
    String::from_utf8(encoder.writer.into_inner()).map_err(|e| XmlError::Write(e.to_string()))
}

struct Encoder<'a> {
    writer: Writer<Vec<u8>>,
    dasherize: bool,
    string_type: &'a dyn Fn(&str) -> Option<&'static str>,
}

impl Encoder<'_> {
    fn element(&mut self, key: &str, value: &Value) -> Result<(), XmlError> {
        let name = self.element_name(key)?;
        let mut start = BytesStart::new(name.as_str());
        match value {
            Value::Null => {
                start.push_attribute(("nil", "true"));
                return self.write(Event::Empty(start));
            }
            Value::Bool(b) => {
                start.push_attribute(("type", "boolean"));
                return self.text_element(&name, start, if *b { "true" } else { "false" });
            }
            Value::Number(n) => {
                if n.is_i64() || n.is_u64() {
                    start.push_attribute(("type", "integer"));
                }
                return self.text_element(&name, start, &n.to_string());
            }
            Value::String(s) => {
                if let Some(kind) = (self.string_type)(key) {
                    start.push_attribute(("type", kind));
                }
                return self.text_element(&name, start, s);
            }
            Value::Array(items) => {
                start.push_attribute(("type", "array"));
                if items.is_empty() {
                    return self.write(Event::Empty(start));
                }
                self.write(Event::Start(start))?;
                let item_name = singular(key);
                for item in items {
                    self.element(&item_name, item)?;
                }
            }
            Value::Object(fields) => {
                if fields.is_empty() {
                    return self.write(Event::Empty(start));
                }
                self.write(Event::Start(start))?;
                for (child, child_value) in fields {
                    self.element(child, child_value)?;
                }
            }
        }
        self.write(Event::End(BytesEnd::new(name.as_str())))
    }

    fn text_element(
        &mut self,
        name: &str,
        start: BytesStart<'_>,
        text: &str,
    ) -> Result<(), XmlError> {
        self.write(Event::Start(start))?;
        if !text.is_empty() {
            self.write(Event::Text(BytesText::new(text)))?;
        }
        self.write(Event::End(BytesEnd::new(name)))
    }

    fn write(&mut self, event: Event<'_>) -> Result<(), XmlError> {
        self.writer.write_event(event).map_err(write_error)
    }

    fn element_name(&self, key: &str) -> Result<String, XmlError> {
        let name = if self.dasherize {
            key.replace('_', "-")
        } else {
            key.to_string()
        };
        // The name as written is checked: `_a` is a name, but `-a` dasherized is not.
        if !is_xml_name(key) || !is_xml_name(&name) {
            return Err(XmlError::InvalidName(key.to_string()));
        }
        Ok(name)
    }
}

fn write_error(e: std::io::Error) -> XmlError {
    XmlError::Write(e.to_string())
}

/// Whether `name` can be an XML element name (as written, and once dasherized, as
/// Braintree writes names).
pub fn is_element_name(name: &str) -> bool {
    is_xml_name(name) && is_xml_name(&name.replace('_', "-"))
}

/// A conservative XML name check: a letter or `_` first, then letters, digits, `_`, `-`, `.`.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.to_ascii_lowercase().starts_with("xml")
}

/// The element name for the items of an array stored under `key`.
fn singular(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    if lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches") {
        key[..key.len() - 2].to_string()
    } else if lower.ends_with("ies") && key.len() > 3 {
        format!("{}y", &key[..key.len() - 3])
    } else if lower.ends_with('s') && !lower.ends_with("ss") && key.len() > 1 {
        key[..key.len() - 1].to_string()
    } else {
        "item".to_string()
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes Braintree-style XML into a JSON tree.
///
/// The root element becomes the single top-level key. Names are snake_cased (dashes and
/// camelCase both become underscores). `type="array"` → list, `type="integer"` → number,
/// `type="boolean"` → bool, `nil="true"` → null; other types and untyped text stay
/// strings. Elements with children become objects; a child repeated without
/// `type="array"` becomes a list; an empty untyped element is `""`.
///
/// A document is refused, before it is parsed, when an element carries more than
/// [`MAX_ATTRIBUTES`] attributes or the document declares more than [`MAX_NAMESPACES`]
/// namespaces, and after when elements nest deeper than [`MAX_DEPTH`]: decoding time
/// stays linear in the size of the input.
///
/// The usual document (as Braintree writes it) is parsed by a small reader of this
/// module's own; whatever it is not sure of, errors included, by roxmltree, with the
/// same result (`fast`'s doc says which documents it reads).
pub fn decode(xml: &str) -> Result<Value, XmlError> {
    document(xml, Read::Whole)
}

/// [`decode`], keeping only what `selection` reads (see [`super::selection`]): maps
/// keep the members on the way, lists their length (an item no path reaches is
/// `null`), and the end of each path is read whole. The rest is walked and checked
/// (depth, typed values) in the same order without being built, so it fails exactly
/// where [`decode`] fails, with the same error.
pub fn decode_selected(xml: &str, selection: &Selection<'_>) -> Result<Value, XmlError> {
    document(xml, Read::of(Some(selection)))
}

fn document(xml: &str, read: Read<'_, '_>) -> Result<Value, XmlError> {
    // The usual answer is read by `fast`; the rest, errors included, by roxmltree.
    if let Some(root) = fast::Document::parse(xml)
        && let Ok(value) = root_value(root.root(), read)
    {
        return Ok(value);
    }
    parsed_document(xml, read)
}

/// [`document`] by roxmltree.
fn parsed_document(xml: &str, read: Read<'_, '_>) -> Result<Value, XmlError> {
    check_limits(xml)?;
    let doc = roxmltree::Document::parse(xml).map_err(|e| {
        let pos = e.pos();
        let message = e.to_string();
        let suffix = format!(" at {}:{}", pos.row, pos.col);
        XmlError::Parse {
            line: pos.row,
            column: pos.col,
            message: message
                .strip_suffix(&suffix)
                .unwrap_or(&message)
                .to_string(),
        }
    })?;
    root_value(
        Parsed {
            doc: &doc,
            node: doc.root_element(),
        },
        read,
    )
}

/// The document whose root element is `root`: `{root_name: value}`.
fn root_value<'s, E: Element<'s>>(root: E, read: Read<'_, '_>) -> Result<Value, XmlError> {
    let below = read.member(root.name());
    let value = node_value(root, 1, below)?;
    let mut top = Map::new();
    if !matches!(below, Read::Check) {
        top.insert(snake_case(root.name()), value);
    }
    Ok(Value::Object(top))
}

/// An element as [`node_value`] reads it: from roxmltree's tree ([`Parsed`]), or from
/// the fast reader's ([`fast::Node`]).
trait Element<'s>: Copy {
    /// Its name, as written.
    fn name(self) -> &'s str;
    /// The value of its attribute `name`.
    fn attribute(self, name: &str) -> Option<&'s str>;
    /// Its child elements, in order.
    fn elements(self) -> impl Iterator<Item = Self>;
    /// Its text, entities decoded.
    fn text(self) -> String;
    /// Where it starts, as (line, column).
    fn position(self) -> (u32, u32);
}

/// An element of a document parsed by roxmltree.
#[derive(Clone, Copy)]
struct Parsed<'a, 'i> {
    doc: &'a roxmltree::Document<'i>,
    node: roxmltree::Node<'a, 'i>,
}

impl<'a, 'i: 'a> Element<'a> for Parsed<'a, 'i> {
    fn name(self) -> &'a str {
        self.node.tag_name().name()
    }
    fn attribute(self, name: &str) -> Option<&'a str> {
        self.node.attribute(name)
    }
    fn elements(self) -> impl Iterator<Item = Self> {
        let doc = self.doc;
        self.node
            .children()
            .filter(|c| c.is_element())
            .map(move |node| Parsed { doc, node })
    }
    fn text(self) -> String {
        self.node
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect()
    }
    fn position(self) -> (u32, u32) {
        let pos = self.doc.text_pos_at(self.node.range().start);
        (pos.row, pos.col)
    }
}

/// What is read of an element: all of it, what a selection reads, or nothing (it is
/// only checked, and read as `null`).
#[derive(Clone, Copy)]
enum Read<'s, 'p> {
    Whole,
    Part(&'s Selection<'p>),
    Check,
}

impl<'s, 'p> Read<'s, 'p> {
    fn of(selection: Option<&'s Selection<'p>>) -> Self {
        match selection {
            Some(s) if s.is_whole() => Read::Whole,
            Some(s) => Read::Part(s),
            None => Read::Check,
        }
    }

    /// What is read of the child element named `element` (before snake-casing).
    fn member(self, element: &str) -> Self {
        match self {
            Read::Part(s) if usual_name(element) => {
                Read::of(s.member_where(|name| dashed_is(element, name)))
            }
            Read::Part(s) => Read::of(s.member(&snake_case(element))),
            other => other,
        }
    }

    fn item(self, index: usize) -> Self {
        match self {
            Read::Part(s) => Read::of(s.item(index)),
            other => other,
        }
    }
}

/// How deeply elements may nest in a document to decode.
pub const MAX_DEPTH: usize = 128;

/// How many attributes (namespace declarations included) one element may carry.
/// Braintree's elements carry one or two (`type`, `nil`).
pub const MAX_ATTRIBUTES: usize = 64;

/// How many namespace declarations (`xmlns`, `xmlns:p`) one document may make.
/// Braintree uses none.
pub const MAX_NAMESPACES: usize = 64;

/// Refuses, in one linear pass, the documents `roxmltree` would take quadratic time
/// over: it checks each new attribute of an element against all the earlier ones, and
/// each namespace in scope against those an element declares, so 100,000 attributes on
/// one element (1 MB) cost seconds of CPU.
///
/// The pass only counts: an attribute is an `=` outside quotes inside a start tag.
/// Comments, CDATA sections and processing instructions are skipped; at any other `<!`
/// (a DTD, refused by the parser, or malformed markup) the pass stops, because the
/// parser stops there too. On malformed input the count may be off, but only for
/// input the parser refuses at or before the same place.
fn check_limits(xml: &str) -> Result<(), XmlError> {
    let bytes = xml.as_bytes();
    let mut namespaces = 0;
    let mut at = 0;
    while let Some(offset) = find(bytes, at, b"<") {
        let start = offset;
        let rest = &bytes[start..];
        let skip_to = |close: &[u8], open_len: usize| {
            find(bytes, start + open_len, close).map(|end| end + close.len())
        };
        let next = if rest.starts_with(b"<!--") {
            skip_to(b"-->", 4)
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(b"]]>", 9)
        } else if rest.starts_with(b"<?") {
            skip_to(b"?>", 2)
        } else if rest.starts_with(b"<!") {
            None
        } else if rest.starts_with(b"</") {
            skip_to(b">", 2)
        } else {
            Some(scan_start_tag(xml, start, &mut namespaces)?)
        };
        match next {
            Some(next) => at = next,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Whether `b`, in a start tag, ends a run of name characters or means something:
/// the end of the tag, quotes, `=`, white space and `/`.
fn tag_special(b: u8) -> bool {
    matches!(
        b,
        b'>' | b'"' | b'\'' | b'=' | b' ' | b'\t' | b'\r' | b'\n' | b'/'
    )
}

/// Counts the attributes of the start tag at `start` (and its namespace declarations
/// into `namespaces`); returns where the tag ends. Runs of name characters and quoted
/// values are skipped whole: looking at each of their bytes was most of decoding's own
/// time.
fn scan_start_tag(xml: &str, start: usize, namespaces: &mut usize) -> Result<usize, XmlError> {
    let bytes = xml.as_bytes();
    let mut attributes = 0;
    // The last run of name characters outside quotes: the attribute name before `=`.
    let mut token = start + 1..start + 1;
    let mut i = start + 1;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| tag_special(b)))
    {
        let at = i + offset;
        if at > i {
            token = i..at;
        }
        match bytes[at] {
            b'>' => return Ok(at + 1),
            quote @ (b'"' | b'\'') => match bytes[at + 1..].iter().position(|&b| b == quote) {
                Some(close) => {
                    i = at + 1 + close + 1;
                    continue;
                }
                None => return Ok(bytes.len()),
            },
            b'=' => {
                attributes += 1;
                attribute_seen(xml, start, token.clone(), attributes, namespaces)?;
            }
            _ => {}
        }
        i = at + 1;
    }
    Ok(bytes.len())
}

/// Checks the limits at the `attributes`th attribute of the start tag at `start`,
/// named by the bytes at `name`, counting it into `namespaces` if it declares one.
fn attribute_seen(
    xml: &str,
    start: usize,
    name: std::ops::Range<usize>,
    attributes: usize,
    namespaces: &mut usize,
) -> Result<(), XmlError> {
    if attributes > MAX_ATTRIBUTES {
        let (line, column) = text_pos(xml, start);
        return Err(XmlError::TooManyAttributes { line, column });
    }
    let text = &xml.as_bytes()[name.clone()];
    if text == b"xmlns" || text.starts_with(b"xmlns:") {
        *namespaces += 1;
        if *namespaces > MAX_NAMESPACES {
            let (line, column) = text_pos(xml, name.start);
            return Err(XmlError::TooManyNamespaces { line, column });
        }
    }
    Ok(())
}

/// Where `needle` first occurs in `bytes` from `from` on.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    // A byte search, then a comparison where the first byte matches: comparing a
    // window at every byte was most of the pass.
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    loop {
        let found = at + bytes.get(at..)?.iter().position(|&b| b == first)?;
        if bytes[found + 1..].starts_with(rest) {
            return Some(found);
        }
        at = found + 1;
    }
}

/// The 1-based line and column (in characters) of byte `offset`, as `roxmltree`
/// counts them.
fn text_pos(xml: &str, offset: usize) -> (u32, u32) {
    let before = xml.get(..offset).unwrap_or(xml);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

fn node_value<'s, E: Element<'s>>(
    node: E,
    depth: usize,
    read: Read<'_, '_>,
) -> Result<Value, XmlError> {
    if depth > MAX_DEPTH {
        let (line, column) = node.position();
        return Err(XmlError::TooDeep { line, column });
    }
    if node.attribute("nil") == Some("true") {
        return Ok(Value::Null);
    }
    let check = matches!(read, Read::Check);
    let elements = || node.elements();
    let kind = node.attribute("type");
    if kind == Some("array") {
        let mut items = Vec::new();
        for (index, child) in elements().enumerate() {
            // An item no path reaches keeps its place (as `null`), so that indexes
            // still count.
            let item = node_value(child, depth + 1, read.item(index))?;
            if !check {
                items.push(item);
            }
        }
        return Ok(if check {
            Value::Null
        } else {
            Value::Array(items)
        });
    }
    let count = elements().count();
    if count == 0 {
        let typed = matches!(kind, Some("integer" | "boolean"));
        if check && !typed {
            return Ok(Value::Null);
        }
        let text = node.text();
        return match kind {
            // Above `i64::MAX` as `encode` writes it for a large unsigned number.
            Some("integer") => {
                let digits = text.trim();
                digits
                    .parse::<i64>()
                    .map(Number::from)
                    .or_else(|_| digits.parse::<u64>().map(Number::from))
                    .map(Value::Number)
                    .map_err(|_| invalid_value(node, "integer", &text))
            }
            Some("boolean") => match text.trim() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err(invalid_value(node, "boolean", &text)),
            },
            _ => Ok(Value::String(text)),
        };
    }
    if check {
        for child in elements() {
            node_value(child, depth + 1, Read::Check)?;
        }
        return Ok(Value::Null);
    }
    // What is read of each child, and under which name it is kept (none: it is only
    // checked). Written only for what is kept: most of an answer read in part is not.
    let plan: Vec<(Read<'_, '_>, Option<String>)> = elements()
        .map(|child| {
            let below = read.member(child.name());
            let name = (!matches!(below, Read::Check)).then(|| snake_case(child.name()));
            (below, name)
        })
        .collect();
    // Read in part, a kept name that several elements bear makes a list, whose items
    // are read whole (each element's selection was made for a lone element): found
    // first, so that each element is read once, in order.
    let mut lists = HashSet::new();
    if let Read::Part(_) = read {
        let mut times: HashMap<&str, usize> = HashMap::new();
        for name in plan.iter().filter_map(|(_, name)| name.as_deref()) {
            *times.entry(name).or_default() += 1;
        }
        lists.extend(
            times
                .into_iter()
                .filter(|&(_, n)| n > 1)
                .map(|(name, _)| name.to_string()),
        );
    }
    let mut fields = Map::with_capacity(count);
    // Names whose list was made by repetition (not by one `type="array"` element).
    let mut repeated = HashSet::new();
    for (child, (below, name)) in elements().zip(plan) {
        let Some(name) = name else {
            node_value(child, depth + 1, Read::Check)?;
            continue;
        };
        let below = if lists.contains(&name) {
            Read::Whole
        } else {
            below
        };
        let value = node_value(child, depth + 1, below)?;
        match fields.entry(name) {
            Entry::Vacant(entry) => {
                entry.insert(value);
            }
            Entry::Occupied(mut entry) => {
                if repeated.contains(entry.key())
                    && let Value::Array(list) = entry.get_mut()
                {
                    list.push(value);
                } else {
                    let existing = entry.get_mut();
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                    repeated.insert(entry.key().clone());
                }
            }
        }
    }
    Ok(Value::Object(fields))
}

fn invalid_value<'s>(node: impl Element<'s>, kind: &str, text: &str) -> XmlError {
    let (line, column) = node.position();
    XmlError::InvalidValue {
        element: node.name().to_string(),
        kind: kind.to_string(),
        text: text.to_string(),
        line,
        column,
    }
}

/// Whether `element` is a name as Braintree writes them (lower case, dashes), which
/// snake-casing only changes dash for underscore.
fn usual_name(element: &str) -> bool {
    element
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// Whether the usual name `element` snake-cased is `name`, without writing it.
fn dashed_is(element: &str, name: &str) -> bool {
    element.len() == name.len()
        && element
            .bytes()
            .zip(name.bytes())
            .all(|(e, n)| n == if e == b'-' { b'_' } else { e })
}

/// `first-name`, `firstName` and `first_name` all become `first_name`.
fn snake_case(name: &str) -> String {
    // Braintree's names are lower case with dashes: no word boundary to look for, and
    // every element of every answer goes through here.
    if usual_name(name) {
        return name.replace('-', "_");
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' {
            out.push('_');
        } else if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::selection::Pick;
    use proptest::prelude::*;
    use serde_json::json;

    /// The scan byte by byte, as it was written first: the reference for the one above.
    fn scan_start_tag_bytewise(
        xml: &str,
        start: usize,
        namespaces: &mut usize,
    ) -> Result<usize, XmlError> {
        let bytes = xml.as_bytes();
        let mut attributes = 0;
        let mut quote = None;
        // The last run of name characters outside quotes: the attribute name before `=`.
        let mut token = start + 1..start + 1;
        let mut i = start + 1;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = quote {
                if b == q {
                    quote = None;
                }
            } else {
                match b {
                    b'>' => return Ok(i + 1),
                    b'"' | b'\'' => quote = Some(b),
                    b'=' => {
                        attributes += 1;
                        attribute_seen(xml, start, token.clone(), attributes, namespaces)?;
                    }
                    b' ' | b'\t' | b'\r' | b'\n' | b'/' => {}
                    _ => {
                        if token.end != i {
                            token.start = i;
                        }
                        token.end = i + 1;
                    }
                }
            }
            i += 1;
        }
        Ok(bytes.len())
    }

    proptest! {
        #[test]
        fn the_tag_scan_counts_as_the_bytewise_scan(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "xmlns", "xmlns:p", "a", "b-c", "=", "=", "=", "\"", "'", " ", "\t", "/", ">",
                ]),
                0..90,
            ),
            prefix in "[a-z<>]{0,3}",
        ) {
            let tag = format!("<{}", parts.concat());
            let text = format!("{prefix}{tag}");
            let start = prefix.len();
            let (mut ours, mut theirs) = (MAX_NAMESPACES - 2, MAX_NAMESPACES - 2);
            let a = scan_start_tag(&text, start, &mut ours).map_err(|e| e.to_string());
            let b = scan_start_tag_bytewise(&text, start, &mut theirs).map_err(|e| e.to_string());
            prop_assert_eq!(a, b);
            prop_assert_eq!(ours, theirs);
        }
    }

    /// The nodes a path of picks selects, as JSONPath selects them.
    fn select<'v>(path: &[Pick<'_>], value: &'v Value, out: &mut Vec<&'v Value>) {
        let Some((pick, rest)) = path.split_first() else {
            out.push(value);
            return;
        };
        match (pick, value) {
            (Pick::Name(name), Value::Object(map)) => {
                if let Some(v) = map.get(*name) {
                    select(rest, v, out);
                }
            }
            (Pick::Index(i), Value::Array(list)) => {
                let len = i64::try_from(list.len()).unwrap();
                let at = if *i < 0 { len + i } else { *i };
                if let Some(v) = usize::try_from(at).ok().and_then(|at| list.get(at)) {
                    select(rest, v, out);
                }
            }
            (Pick::Any, Value::Object(map)) => map.values().for_each(|v| select(rest, v, out)),
            (Pick::Any, Value::Array(list)) => list.iter().for_each(|v| select(rest, v, out)),
            _ => {}
        }
    }

    /// Documents as Braintree writes them and as it does not: typed values good and
    /// bad, lists by `type="array"` and by repetition, `nil`, names in three styles.
    fn document() -> impl Strategy<Value = String> {
        let name = || prop::sample::select(vec!["a", "b", "c-d", "cD", "e"]);
        let attributes = || {
            prop::sample::select(vec![
                "",
                "",
                " type=\"integer\"",
                " type=\"boolean\"",
                " type=\"array\"",
                " nil=\"true\"",
                " type=\"datetime\"",
            ])
        };
        let text = prop::sample::select(vec![
            "",
            "1",
            "-7",
            "x",
            "true",
            "0",
            " 42 ",
            "99999999999999999999999",
            "&amp;",
        ]);
        let leaf = (name(), attributes(), text).prop_map(|(n, a, t)| format!("<{n}{a}>{t}</{n}>"));
        let element = leaf.prop_recursive(5, 48, 6, move |inner| {
            (name(), attributes(), prop::collection::vec(inner, 0..6))
                .prop_map(|(n, a, children)| format!("<{n}{a}>{}</{n}>", children.concat()))
        });
        prop::collection::vec(element, 0..6)
            .prop_map(|children| format!("<r>{}</r>", children.concat()))
    }

    fn paths() -> impl Strategy<Value = Vec<Vec<Pick<'static>>>> {
        let pick = prop_oneof![
            prop::sample::select(vec!["r", "a", "b", "c_d", "e"]).prop_map(Pick::Name),
            (-2i64..3).prop_map(Pick::Index),
            Just(Pick::Any),
        ];
        prop::collection::vec(prop::collection::vec(pick, 0..5), 0..4)
    }

    proptest! {
        #![proptest_config(crate::proptest_config::proptest_config(2_000))]

        /// A document read as far as some paths go: they select what they select from
        /// the whole one, and it fails where the whole reading fails, with its error.
        #[test]
        fn paths_select_from_the_part_what_they_select_from_the_whole(
            xml in document(),
            paths in paths(),
        ) {
            let Some(selection) = Selection::of(&paths) else {
                return Ok(());
            };
            let whole = decode(&xml).map_err(|e| e.to_string());
            let part = decode_selected(&xml, &selection).map_err(|e| e.to_string());
            match (&whole, &part) {
                (Ok(whole), Ok(part)) => {
                    for path in &paths {
                        let (mut from_whole, mut from_part) = (Vec::new(), Vec::new());
                        select(path, whole, &mut from_whole);
                        select(path, part, &mut from_part);
                        prop_assert_eq!(from_part, from_whole, "{:?}", path);
                    }
                }
                _ => prop_assert_eq!(part.err(), whole.err()),
            }
        }
    }

    proptest! {
        /// An element's name is told a selected name's without being written, as
        /// writing it would tell.
        #[test]
        fn names_are_told_as_snake_case_writes_them(
            element in "[a-zA-Z0-9_é-]{0,8}", other in "[a-z0-9_-]{0,8}", same in any::<bool>(),
        ) {
            let name = if same { snake_case(&element) } else { other };
            if usual_name(&element) {
                prop_assert_eq!(dashed_is(&element, &name), snake_case(&element) == name);
            }
        }
    }

    /// Documents as Braintree writes them, and pieces of what it does not write, to
    /// be spliced in anywhere.
    fn answer() -> impl Strategy<Value = String> {
        let declaration = prop::sample::select(vec![
            "",
            DECLARATION_FOR_TESTS,
            "<?xml version=\"1.0\"?>",
            " ",
        ]);
        let space = prop::sample::select(vec!["", "", "\n  ", " ", "\t"]);
        let splice = prop::sample::select(vec![
            "",
            "",
            "",
            "<!-- c -->",
            "<![CDATA[x]]>",
            "&lt;",
            "&#38;",
            "&bogus;",
            "\r\n",
            "\u{1}",
            "]]>",
            "\u{fffe}",
            "é",
            " a='1'",
            " type=\"integer\" type=\"integer\"",
            " xmlns=\"u\"",
            "<xmlx/>",
            "<a/>",
            "<a >",
            "</a >",
            "<p:a/>",
            "<",
            ">",
            "&",
            "\"",
            "<?pi?>",
            " b = \"1\"",
        ]);
        (
            declaration,
            document(),
            space,
            splice,
            any::<prop::sample::Index>(),
        )
            .prop_map(|(declaration, body, space, splice, at)| {
                let body = body.replace("><", &format!(">{space}<"));
                let mut at = at.index(body.len() + 1);
                while !body.is_char_boundary(at) {
                    at -= 1;
                }
                format!("{declaration}{}{splice}{}", &body[..at], &body[at..])
            })
    }

    const DECLARATION_FOR_TESTS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    proptest! {
        #![proptest_config(crate::proptest_config::proptest_config(3_000))]

        /// Whatever the fast reader reads, roxmltree reads the same, whole and in
        /// part; what roxmltree refuses, the fast reader leaves to it.
        #[test]
        fn the_fast_reader_reads_only_what_roxmltree_reads_the_same(
            xml in answer(),
            paths in paths(),
        ) {
            let Some(selection) = Selection::of(&paths) else {
                return Ok(());
            };
            for read in [Read::Whole, Read::of(Some(&selection))] {
                let fast = fast::Document::parse(&xml).and_then(|d| root_value(d.root(), read).ok());
                let parsed = parsed_document(&xml, read).ok();
                if fast.is_some() {
                    prop_assert_eq!(&fast, &parsed);
                }
            }
        }

        /// And it is not dead weight: a document as Braintree writes it is read fast.
        #[test]
        fn the_fast_reader_reads_the_usual_answer(body in document()) {
            let xml = format!("{DECLARATION_FOR_TESTS}{body}");
            let fast = fast::Document::parse(&xml).map(|d| root_value(d.root(), Read::Whole));
            let parsed = parsed_document(&xml, Read::Whole);
            match fast {
                Some(fast) => prop_assert_eq!(
                    fast.map_err(|e| e.to_string()),
                    parsed.map_err(|e| e.to_string())
                ),
                None => prop_assert!(false, "declined: {}", xml),
            }
        }
    }

    #[test]
    fn repeated_elements_under_a_wildcard_are_read_once_each() {
        // Each repeated name was read again from all its siblings: quadratic in them.
        let names = 2_000;
        let xml: String = std::iter::once("<r>".to_string())
            .chain((0..names).map(|i| format!("<n{i}>x</n{i}><n{i}>y</n{i}>")))
            .chain(std::iter::once("</r>".to_string()))
            .collect();
        let selection = Selection::of([vec![Pick::Name("r"), Pick::Any]]).unwrap();
        let part = decode_selected(&xml, &selection).unwrap();
        assert_eq!(part, decode(&xml).unwrap());
        assert_eq!(part["r"]["n1999"], json!(["x", "y"]));
    }

    #[test]
    fn a_document_read_in_part_keeps_what_its_paths_read() {
        let xml = "<customer><id>c1</id><first-name>Ada</first-name><n type=\"integer\">5</n>\
            <credit-cards type=\"array\"><credit-card><token>a</token><bin>411111</bin></credit-card>\
            <credit-card><token>b</token></credit-card></credit-cards><tag>x</tag><tag>y</tag></customer>";
        let paths: [&[Pick]; 3] = [
            &[Pick::Name("customer"), Pick::Name("id")],
            &[
                Pick::Name("customer"),
                Pick::Name("credit_cards"),
                Pick::Index(-1),
                Pick::Name("token"),
            ],
            &[Pick::Name("customer"), Pick::Name("tag"), Pick::Index(0)],
        ];
        let selection = Selection::of(paths).unwrap();
        assert_eq!(
            decode_selected(xml, &selection).unwrap(),
            json!({"customer": {
                "id": "c1",
                "credit_cards": [{"token": "a"}, {"token": "b"}],
                "tag": ["x", "y"],
            }})
        );
        // Unread parts are still checked: a bad integer fails the reading.
        let bad = "<customer><id>c1</id><n type=\"integer\">x</n></customer>";
        assert_eq!(
            decode_selected(bad, &selection).unwrap_err().to_string(),
            decode(bad).unwrap_err().to_string()
        );
    }

    const DASHED: EncodeOptions = EncodeOptions {
        dasherize: true,
        declaration: false,
    };
    const PLAIN: EncodeOptions = EncodeOptions {
        dasherize: false,
        declaration: false,
    };

    #[test]
    fn encodes_scalars_with_their_types() {
        let tree = json!({"customer": {
            "first_name": "Ada", "vip": true, "closed": false, "visits": 3,
            "score": 1.5, "fax": null, "note": "a < b & \"c\""
        }});
        assert_eq!(
            encode(&tree, DASHED).unwrap(),
            "<customer><first-name>Ada</first-name><vip type=\"boolean\">true</vip>\
             <closed type=\"boolean\">false</closed><visits type=\"integer\">3</visits>\
             <score>1.5</score><fax nil=\"true\"/><note>a &lt; b &amp; &quot;c&quot;</note></customer>"
        );
    }

    #[test]
    fn keeps_underscores_without_dasherize_and_writes_declaration() {
        let opts = EncodeOptions {
            dasherize: false,
            declaration: true,
        };
        assert_eq!(
            encode(&json!({"customer": {"first_name": "Ada"}}), opts).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><customer><first_name>Ada</first_name></customer>"
        );
    }

    #[test]
    fn encodes_arrays_with_singular_item_names() {
        let tree = json!({"customer": {
            "credit_cards": [{"token": "t1"}],
            "addresses": [{"id": "a1"}, {"id": "a2"}],
            "countries": ["x"],
            "data": [1],
            "verifications": []
        }});
        assert_eq!(
            encode(&tree, DASHED).unwrap(),
            "<customer><credit-cards type=\"array\"><credit-card><token>t1</token></credit-card></credit-cards>\
             <addresses type=\"array\"><address><id>a1</id></address><address><id>a2</id></address></addresses>\
             <countries type=\"array\"><country>x</country></countries>\
             <data type=\"array\"><item type=\"integer\">1</item></data>\
             <verifications type=\"array\"/></customer>"
        );
    }

    #[test]
    fn singular_forms() {
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("credit_cards"), "credit_card");
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("errors"), "error");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("data"), "item");
        assert_eq!(singular("class"), "item");
    }

    #[test]
    fn string_types_apply_to_strings_only() {
        let tree = json!({"customer": {"created_at": "2026-01-01T00:00:00Z", "updated_at": null}});
        let xml =
            encode_with_string_types(&tree, DASHED, |n| n.ends_with("_at").then_some("datetime"))
                .unwrap();
        assert_eq!(
            xml,
            "<customer><created-at type=\"datetime\">2026-01-01T00:00:00Z</created-at><updated-at nil=\"true\"/></customer>"
        );
    }

    #[test]
    fn encode_rejects_bad_roots_and_names() {
        assert!(matches!(
            encode(&json!([1]), DASHED),
            Err(XmlError::Root(_))
        ));
        assert!(matches!(
            encode(&json!({"a": 1, "b": 2}), DASHED),
            Err(XmlError::Root(_))
        ));
        assert!(matches!(encode(&json!({}), DASHED), Err(XmlError::Root(_))));
        assert!(matches!(
            encode(&json!({"a": {"1x": 1}}), DASHED),
            Err(XmlError::InvalidName(_))
        ));
        assert!(matches!(
            encode(&json!({"a": {"b c": 1}}), DASHED),
            Err(XmlError::InvalidName(_))
        ));
        assert!(matches!(
            encode(&json!({"a": {"": 1}}), DASHED),
            Err(XmlError::InvalidName(_))
        ));
        // A leading underscore is a name, a leading dash is not.
        assert!(matches!(
            encode(&json!({"a": {"_b": 1}}), DASHED),
            Err(XmlError::InvalidName(_))
        ));
        assert!(encode(&json!({"a": {"_b": 1}}), PLAIN).is_ok());
    }

    #[test]
    fn decodes_the_recorded_create_request() {
        let xml = "<customer><id>c1</id><first_name>Ada</first_name><credit_card><number>4111111111111111</number><expiration_date>05/2030</expiration_date><cvv>123</cvv><billing_address><street_address>1 Old St</street_address><postal_code>60606</postal_code></billing_address></credit_card></customer>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"customer": {
                "id": "c1", "first_name": "Ada",
                "credit_card": {
                    "number": "4111111111111111", "expiration_date": "05/2030", "cvv": "123",
                    "billing_address": {"street_address": "1 Old St", "postal_code": "60606"}
                }
            }})
        );
    }

    #[test]
    fn decodes_the_recorded_update_requests() {
        let xml = "<customer><email>new.email@example.com</email><credit_card><cardholder_name>New Cardholder Name</cardholder_name><number>5105105105105100</number><expiration_date>08/2012</expiration_date><options><update_existing_token>the_token</update_existing_token><verify_card type=\"boolean\">true</verify_card></options><billing_address><street_address>New Street Address</street_address><postal_code>60622</postal_code><options><update_existing type=\"boolean\">true</update_existing></options></billing_address></credit_card></customer>";
        let tree = decode(xml).unwrap();
        assert_eq!(
            tree["customer"]["credit_card"]["options"],
            json!({"update_existing_token": "the_token", "verify_card": true})
        );
        assert_eq!(
            tree["customer"]["credit_card"]["billing_address"]["options"]["update_existing"],
            json!(true)
        );

        let xml = "<customer><default_payment_method_token>the_token</default_payment_method_token><custom_fields><color>blue</color></custom_fields><international_phone><country_code>1</country_code><national_number>3121234567</national_number></international_phone></customer>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"customer": {
                "default_payment_method_token": "the_token",
                "custom_fields": {"color": "blue"},
                "international_phone": {"country_code": "1", "national_number": "3121234567"}
            }})
        );

        let xml = "<payment_method><payment_method_nonce>fake-valid-nonce</payment_method_nonce><options><verify_card type=\"boolean\">true</verify_card><verification_amount>1.00</verification_amount></options></payment_method>";
        assert_eq!(
            decode(xml).unwrap()["payment_method"]["options"],
            json!({"verify_card": true, "verification_amount": "1.00"})
        );
    }

    #[test]
    fn decodes_ruby_style_dashes_declaration_and_whitespace() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<customer>\n  <first-name>Ada</first-name>\n  <credit-card>\n    <options>\n      <make-default type=\"boolean\">true</make-default>\n    </options>\n  </credit-card>\n</customer>\n";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"customer": {"first_name": "Ada", "credit_card": {"options": {"make_default": true}}}})
        );
    }

    #[test]
    fn decodes_java_style_camel_case() {
        let xml = "<customer><firstName>Ada</firstName><creditCard><billingAddressId>x</billingAddressId><options><updateExistingToken>t</updateExistingToken><verifyCard>true</verifyCard></options></creditCard></customer>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"customer": {"first_name": "Ada", "credit_card": {
                "billing_address_id": "x",
                "options": {"update_existing_token": "t", "verify_card": "true"}
            }}})
        );
        assert_eq!(snake_case("HTMLParser"), "html_parser");
        assert_eq!(snake_case("last4"), "last4");
        assert_eq!(snake_case("countryCodeAlpha2"), "country_code_alpha2");
    }

    #[test]
    fn decodes_types_nil_and_empty() {
        let xml = "<api-error-response><n type=\"integer\"> 42 </n><b type=\"boolean\">false</b><d type=\"datetime\">2026-01-01T00:00:00Z</d><day type=\"date\">2026-01-01</day><amt type=\"decimal\">1.00</amt><attribute type=\"symbol\">number</attribute><x nil=\"true\"/><y nil=\"true\" type=\"integer\"></y><e/><arr type=\"array\"/><arr2 type=\"array\">\n</arr2></api-error-response>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"api_error_response": {
                "n": 42, "b": false, "d": "2026-01-01T00:00:00Z", "day": "2026-01-01",
                "amt": "1.00", "attribute": "number", "x": null, "y": null, "e": "",
                "arr": [], "arr2": []
            }})
        );
    }

    #[test]
    fn decodes_arrays_and_repeated_children() {
        let xml = "<customer><credit-cards type=\"array\"><credit-card><token>a</token></credit-card></credit-cards><tag>x</tag><tag>y</tag><tag>z</tag></customer>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"customer": {"credit_cards": [{"token": "a"}], "tag": ["x", "y", "z"]}})
        );
        // A repeated element whose first value is itself an array stays a list of lists.
        let xml = "<r><l type=\"array\"><i>1</i></l><l type=\"array\"><i>2</i></l><l type=\"array\"/></r>";
        assert_eq!(
            decode(xml).unwrap(),
            json!({"r": {"l": [["1"], ["2"], []]}})
        );
    }

    #[test]
    fn round_trips_through_encode_and_decode() {
        let tree = json!({"customer": {
            "id": "c1", "first_name": "Ada", "fax": null, "default": true, "count": -7,
            "min": i64::MIN, "max": u64::MAX,
            "custom_fields": {"color": "blue"}, "empty": "",
            "credit_cards": [{"token": "t1", "billing_address": {"street_address": "1 & 2"}}],
            "addresses": []
        }});
        for opts in [DASHED, PLAIN] {
            assert_eq!(decode(&encode(&tree, opts).unwrap()).unwrap(), tree);
        }
    }

    #[test]
    fn malformed_xml_is_an_error_with_position() {
        for bad in [
            "",
            "<customer>",
            "<customer><a></b></customer>",
            "not xml",
            "<a/><b/>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
        ] {
            let err = decode(bad).unwrap_err();
            assert!(matches!(err, XmlError::Parse { .. }), "{bad:?}: {err}");
        }
        match decode("<a>\n<b></c></a>").unwrap_err() {
            XmlError::Parse { line, .. } => assert_eq!(line, 2),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert!(matches!(decode(&deep), Err(XmlError::TooDeep { .. })));
        let fine = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(decode(&fine).is_ok());
    }

    #[test]
    fn too_many_attributes_are_refused_with_their_element() {
        let attributes = |n: usize| (0..n).map(|i| format!(" a{i}=\"x\"")).collect::<String>();
        let fine = format!("<r><c{}/></r>", attributes(MAX_ATTRIBUTES));
        assert!(decode(&fine).is_ok());
        let many = format!("<r>\n <c{}/></r>", attributes(MAX_ATTRIBUTES + 1));
        let err = decode(&many).unwrap_err();
        assert!(
            matches!(err, XmlError::TooManyAttributes { line: 2, column: 2 }),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "element at 2:2 has more than 64 attributes"
        );
        // `=` and `>` inside quoted values, comments, CDATA and processing instructions
        // are not attributes; single quotes and spaces around `=` are.
        let quoted = format!(
            "<?xml version=\"1.0\"?><!-- {eq} --><r><c a='{eq}>' b = \"{eq}\"><![CDATA[{eq}]]></c></r>",
            eq = "=".repeat(500)
        );
        assert!(decode(&quoted).is_ok());
        let spaced = format!(
            "<r{}/>",
            (0..=MAX_ATTRIBUTES)
                .map(|i| format!(" a{i} = 'x'"))
                .collect::<String>()
        );
        assert!(matches!(
            decode(&spaced),
            Err(XmlError::TooManyAttributes { .. })
        ));
        // An unterminated tag is counted as far as it goes.
        let open = format!("<r{}", attributes(100_000));
        assert!(matches!(
            decode(&open),
            Err(XmlError::TooManyAttributes { .. })
        ));
    }

    #[test]
    fn too_many_namespaces_are_refused() {
        let declare = |n: usize| {
            (0..n)
                .map(|i| format!("<e xmlns:p{i}=\"urn:{i}\">"))
                .collect::<String>()
        };
        let close = |n: usize| "</e>".repeat(n);
        let fine = format!("{}{}", declare(MAX_NAMESPACES), close(MAX_NAMESPACES));
        assert!(decode(&fine).is_ok());
        let many = format!(
            "<r xmlns=\"urn:x\">{}{}</r>",
            declare(MAX_NAMESPACES),
            close(MAX_NAMESPACES)
        );
        let err = decode(&many).unwrap_err();
        assert!(matches!(err, XmlError::TooManyNamespaces { .. }), "{err}");
    }

    #[test]
    fn dtds_are_still_refused_by_the_parser() {
        for dtd in [
            "<!DOCTYPE a><a/>",
            "<!DOCTYPE a [<!ATTLIST a b CDATA \"c\">]><a/>",
        ] {
            assert!(matches!(decode(dtd), Err(XmlError::Parse { .. })), "{dtd}");
        }
    }

    #[test]
    fn parse_errors_name_their_position_once() {
        let err = decode("<a><b></c></a>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "malformed XML at 1:7: expected 'b' tag, not 'c'"
        );
    }

    #[test]
    fn badly_typed_values_are_errors() {
        let err = decode("<a>\n  <n type=\"integer\">x</n></a>").unwrap_err();
        assert!(
            matches!(
                err,
                XmlError::InvalidValue {
                    line: 2,
                    column: 3,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("<n>"));
        assert!(decode("<a><b type=\"boolean\">yes</b></a>").is_err());
        assert!(decode("<a><n type=\"integer\">99999999999999999999999</n></a>").is_err());
    }
}
