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
    let value = Tree.deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Reads one JSON value.
struct Tree;

impl<'de> DeserializeSeed<'de> for Tree {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree {
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
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Tree)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value_seed(Tree)?));
        }
        let mut out = Map::with_capacity(entries.len());
        out.extend(entries);
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
