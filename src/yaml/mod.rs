//! Located YAML: the files users write (scenarios, `gatecheck.yaml`) read into a tree
//! that knows where every key and value is written, then deserialized from that tree,
//! so every error, at load time or at run time, can point at the exact key or value.
//!
//! - `node` reads text into a [`Node`] tree (pure; bounded in size, depth and alias
//!   expansion; duplicate keys, extra documents and tags are errors), first through
//!   `block`, a fast reader of the block-style YAML most files are written in, and
//!   through saphyr when that declines; `inline` holds what `block` reads within a
//!   line (scalars, flow collections).
//! - `de` deserializes any `serde` type from a node, locating each error at the
//!   innermost key or value it concerns.
//! - `span` holds [`Span`] and [`Spanned`], which a typed model uses to keep
//!   positions for run-time messages.
//!
//! Nothing here does I/O: callers read the file and hand over its bytes.

mod block;
mod de;
mod error;
mod inline;
mod node;
#[cfg(test)]
mod oracle;
mod span;

pub use de::from_node;
pub use error::{Error, ErrorKind};
pub(crate) use inline::{find as find_either, single_quoted};
pub use node::{Limits, Node, NodeKind, parse};
pub use span::{Span, Spanned};

/// Reads `bytes` (a whole file) and deserializes a `T` from it.
///
/// ```
/// use gatecheck::yaml;
/// let value: std::collections::BTreeMap<String, u32> = yaml::from_slice(b"a: 1\nb: 2\n").unwrap();
/// assert_eq!(value["b"], 2);
/// let err = yaml::from_slice::<std::collections::BTreeMap<String, u32>>(b"a: 1\na: 2\n").unwrap_err();
/// assert_eq!(err.span.map(|s| (s.line, s.column)), Some((2, 1)));
/// ```
pub fn from_slice<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let node = parse(bytes, &Limits::default())?;
    from_node(&node)
}
