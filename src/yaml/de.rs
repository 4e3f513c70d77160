//! `serde` deserialization from a located [`Node`] tree.
//!
//! Every error raised while a key or value is read is located at that key or value,
//! innermost first: an unknown field at its key, a bad JSONPath at the path, a value of
//! the wrong type at the value, a missing field at the key whose map lacks it.
//! Plain scalars are resolved as YAML 1.2's core schema (and `serde_yaml`) does when a
//! type asks for "anything", and read as written when it asks for text.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, VariantAccess, Visitor,
};

use super::error::{Error, ErrorKind};
use super::node::{Node, NodeKind, is_null_text};
use super::span;

/// Deserializes a `T` from `node`.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(NodeDe { node }).map_err(|e| e.or_at(node.span))
}

struct NodeDe<'a> {
    node: &'a Node,
}

/// A plain scalar as YAML's core schema reads it.
fn visit_plain<'de, V: Visitor<'de>>(text: &str, visitor: V) -> Result<V::Value, Error> {
    if is_null_text(text) {
        return visitor.visit_unit();
    }
    match text {
        "true" | "True" | "TRUE" => return visitor.visit_bool(true),
        "false" | "False" | "FALSE" => return visitor.visit_bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return visitor.visit_f64(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return visitor.visit_f64(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return visitor.visit_f64(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix('+').unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // Past u64, a float would quietly lose digits: such a number stays text.
        return match digits.parse::<u64>() {
            Ok(n) => visitor.visit_u64(n),
            Err(_) => visitor.visit_str(text),
        };
    } else if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<i64>()
    {
        return visitor.visit_i64(n);
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        if let Some(rest) = text.strip_prefix(prefix)
            && !rest.is_empty()
            && rest.chars().all(|c| c.is_digit(radix))
            && let Ok(n) = u64::from_str_radix(rest, radix)
        {
            return visitor.visit_u64(n);
        }
    }
    let numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if numeric
        && text.bytes().any(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<f64>()
    {
        return visitor.visit_f64(n);
    }
    visitor.visit_str(text)
}

impl<'de> Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { text, plain: true } => visit_plain(text, visitor),
            NodeKind::Scalar { text, plain: false } => visitor.visit_str(text),
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.iter(),
            }),
            NodeKind::Map(entries) => visitor.visit_map(MapDe {
                entries,
                next: 0,
                key: None,
            }),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            // Text is what was written, so `name: 123` is the text "123".
            NodeKind::Scalar { text, .. } => visitor.visit_str(text),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == span::NAME && fields == span::FIELDS {
            return visitor.visit_map(SpannedDe {
                node: self.node,
                next: 0,
            });
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { text, .. } => {
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(text.as_str()))
            }
            NodeKind::Map(entries) if entries.len() == 1 => {
                let (key, value) = &entries[0];
                visitor.visit_enum(EnumDe { key, value })
            }
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("a list or a map of several keys"),
                &visitor,
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct seq tuple tuple_struct map
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
}

impl<'de> SeqAccess<'de> for SeqDe<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(node) => seed
                .deserialize(NodeDe { node })
                .map(Some)
                .map_err(|e| e.or_at(node.span)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    entries: &'a [(Node, Node)],
    next: usize,
    key: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for MapDe<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, _)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        self.key = Some(key);
        seed.deserialize(NodeDe { node: key })
            .map(Some)
            .map_err(|e| e.or_at(key.span))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.entries.get(self.next) else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        self.next += 1;
        seed.deserialize(NodeDe { node: value })
            .map_err(|e| match e.kind {
                // A missing field is about the map as a whole: point at its key, and
                // when the field is written one level up, say it is mis-indented.
                ErrorKind::MissingField { field } if e.span.is_none() => {
                    let mut e = e.or_at(key.span);
                    if let Some((stray, _)) = self
                        .entries
                        .iter()
                        .find(|(k, _)| k.as_str() == Some(field))
                    {
                        e = e.with_help(format!(
                            "`{field}:` is written at {}, as a key next to `{}`; indent it to line up with the keys under `{}`",
                            stray.span,
                            key.as_str().unwrap_or("?"),
                            key.as_str().unwrap_or("?"),
                        ));
                    }
                    e
                }
                _ => e.or_at(value.span),
            })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

/// Answers a [`span::Spanned`]'s request: the node's line, column, then the value.
struct SpannedDe<'a> {
    node: &'a Node,
    next: usize,
}

impl<'de> MapAccess<'de> for SpannedDe<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match span::FIELDS.get(self.next) {
            Some(name) => seed
                .deserialize(IntoDeserializer::<Error>::into_deserializer(*name))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let field = self.next;
        self.next += 1;
        let at = self.node.span;
        match field {
            0 => seed.deserialize(IntoDeserializer::<Error>::into_deserializer(at.line as u64)),
            1 => seed.deserialize(IntoDeserializer::<Error>::into_deserializer(
                at.column as u64,
            )),
            _ => seed.deserialize(NodeDe { node: self.node }),
        }
    }
}

struct EnumDe<'a> {
    key: &'a Node,
    value: &'a Node,
}

impl<'de, 'a> EnumAccess<'de> for EnumDe<'a> {
    type Error = Error;
    type Variant = NodeDe<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, NodeDe<'a>), Error> {
        let variant = seed
            .deserialize(NodeDe { node: self.key })
            .map_err(|e| e.or_at(self.key.span))?;
        Ok((variant, NodeDe { node: self.value }))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        if self.node.is_null() {
            Ok(())
        } else {
            Err(Error::at(
                ErrorKind::Invalid,
                self.node.span,
                "this variant takes no value",
            ))
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let span = self.node.span;
        seed.deserialize(self).map_err(|e| e.or_at(span))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let span = self.node.span;
        self.deserialize_any(visitor).map_err(|e| e.or_at(span))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let span = self.node.span;
        self.deserialize_any(visitor).map_err(|e| e.or_at(span))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, Span, Spanned, parse};
    use super::*;
    use indexmap::IndexMap;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        name: String,
        #[serde(default)]
        items: Vec<Spanned<Inner>>,
        #[serde(default)]
        checks: IndexMap<Spanned<String>, u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        path: String,
        #[serde(default)]
        count: Option<u16>,
    }

    fn load<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
        from_node(&parse(text.as_bytes(), &Limits::default())?)
    }

    #[test]
    fn values_keep_their_places() {
        let o: Outer =
            load("name: 12\nitems:\n  - path: /a\n    count: 3\nchecks:\n  x: 1\n  'y': 2\n")
                .unwrap();
        assert_eq!(o.name, "12");
        assert_eq!(o.items[0].span, Span::new(3, 5));
        assert_eq!(
            (o.items[0].path.as_str(), o.items[0].count),
            ("/a", Some(3))
        );
        let spans: Vec<Span> = o.checks.keys().map(|k| k.span).collect();
        assert_eq!(spans, [Span::new(6, 3), Span::new(7, 3)]);
    }

    #[test]
    fn errors_point_at_the_innermost_key_or_value() {
        let e = load::<Outer>("name: a\nitems:\n  - path: /a\n    cuont: 3\n").unwrap_err();
        assert_eq!(e.span, Some(Span::new(4, 5)));
        assert_eq!(e.help.as_deref(), Some("did you mean `count`?"));
        let e = load::<Outer>("name: a\nitems:\n  - path: /a\n    count: many\n").unwrap_err();
        assert_eq!(e.span, Some(Span::new(4, 12)));
        let e = load::<Outer>("name: a\nchecks:\n  x: 1\n  y: -2\n").unwrap_err();
        assert_eq!(e.span, Some(Span::new(4, 6)));
    }

    #[test]
    fn missing_fields_point_at_the_key_and_spot_misindentation() {
        let e = load::<IndexMap<String, Inner>>("a:\n  count: 1\npath: /x\n").unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingField { field: "path" });
        assert_eq!(e.span, Some(Span::new(1, 1)));
        assert!(e.help.unwrap_or_default().contains("written at 3:1"));
    }

    #[test]
    fn plain_scalars_resolve_like_yaml() {
        let v: serde_json::Value =
            load("a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '1'\ng: 0x1F\nh: 1e3\ni: inf\nj: 1.2.3\nk: 0x+1F\nl: 99999999999999999999999\n")
                .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "1", "g": 31, "h": 1000.0, "i": "inf", "j": "1.2.3", "k": "0x+1F", "l": "99999999999999999999999"})
        );
    }
}
