//! Reading a JSON answer into a tree, with each map built once at its final size.
//!
//! `serde_json`'s own `Value` grows each map (an ordered hash map here) entry by
//! entry, moving it several times over; answers are read for every step, so their
//! maps are gathered first and then built in one go. Same tree, same rules: a
//! repeated key keeps its first place and its last value. Depth is bounded by the
//! `serde_json` reader (128 levels), which this only visits.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Parses `text` as one JSON document.
pub(super) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let mut scratch = Scratch::default();
    let value = Tree(&mut scratch).deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// The entries and items of the maps and lists being read, innermost last: one
/// buffer for the whole document instead of a vector grown for each map and list.
#[derive(Default)]
struct Scratch {
    entries: Vec<(String, Value)>,
    items: Vec<Value>,
}

/// Reads one JSON value.
struct Tree<'s>(&'s mut Scratch);

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let scratch = self.0;
        let start = scratch.items.len();
        while let Some(item) = seq.next_element_seed(Tree(scratch))? {
            scratch.items.push(item);
        }
        Ok(Value::Array(scratch.items.drain(start..).collect()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let scratch = self.0;
        let start = scratch.entries.len();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Tree(scratch))?;
            scratch.entries.push((key, value));
        }
        let mut out = Map::with_capacity(scratch.entries.len() - start);
        out.extend(scratch.entries.drain(start..));
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a": 1, "b": [true, null, -2, 1.5, 18446744073709551615, "x\u00e9"], "a": {"c": {}}, "d": []}"#,
            "[]",
            "\"s\"",
            "1e400",
            "{\"a\": 1} x",
            "[1,]",
        ] {
            let ours = parse(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_err(), "the reader's depth bound holds");
    }

    proptest! {
        #[test]
        fn any_text_reads_as_serde_json_reads_it(text in "[\\[\\]{}\":,a0-9.e -]{0,24}") {
            let ours = parse(&text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(&text).map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }
    }
}
