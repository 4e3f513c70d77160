//! Reading a JSON answer into a tree, with each map built once at its final size.
//!
//! `serde_json`'s own `Value` grows each map (an ordered hash map here) entry by
//! entry, moving it several times over; answers are read for every step, so their
//! maps are gathered first and then built in one go. Same tree, same rules: a
//! repeated key keeps its first place and its last value. Depth is bounded by the
//! `serde_json` reader (128 levels), which this only visits.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::selection::Selection;

/// Parses `text` as one JSON document.
pub(super) fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let mut scratch = Scratch::default();
    let value = Tree(&mut scratch).deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Parses `text` as one JSON document, keeping only what `selection` reads (see
/// [`Selection`]). The whole text is read by the same reader with the same rules, so it
/// fails exactly where [`parse`] fails: the parts not kept are read without being built.
pub(super) fn parse_selected(
    text: &str,
    selection: &Selection<'_>,
) -> Result<Value, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let mut scratch = Scratch::default();
    let value = Picked(selection, &mut scratch).deserialize(&mut reader)?;
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

/// Reads one JSON value, keeping what a selection reads of it.
struct Picked<'a, 'p>(&'a Selection<'p>, &'a mut Scratch);

impl<'de> DeserializeSeed<'de> for Picked<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.0.is_whole() {
            deserializer.deserialize_any(Tree(self.1))
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Picked<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    // A scalar where the paths go on has nothing below it: kept as it is.
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Tree(self.1).visit_bool(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Tree(self.1).visit_i64(v)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Tree(self.1).visit_u64(v)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Tree(self.1).visit_f64(v)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Tree(self.1).visit_str(v)
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Tree(self.1).visit_string(v)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Tree(self.1).visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Picked(selection, scratch) = self;
        let start = scratch.items.len();
        let mut index = 0;
        loop {
            // An item no path reaches keeps its place, so that indexes still count.
            let item = match selection.item(index) {
                Some(s) => seq.next_element_seed(Picked(s, scratch))?,
                None => seq.next_element_seed(Skip)?.map(|()| Value::Null),
            };
            let Some(item) = item else { break };
            scratch.items.push(item);
            index += 1;
        }
        Ok(Value::Array(scratch.items.drain(start..).collect()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Picked(selection, scratch) = self;
        let start = scratch.entries.len();
        while let Some(key) = map.next_key_seed(Key)? {
            match selection.member(&key) {
                Some(s) => {
                    let value = map.next_value_seed(Picked(s, scratch))?;
                    scratch.entries.push((key.into_owned(), value));
                }
                None => map.next_value_seed(Skip)?,
            }
        }
        let mut out = Map::with_capacity(scratch.entries.len() - start);
        out.extend(scratch.entries.drain(start..));
        Ok(Value::Object(out))
    }
}

/// Reads a member's name, borrowed from the text unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads one JSON value as [`Tree`] would, numbers and escapes included, building
/// nothing. (`serde::de::IgnoredAny` would skip numbers unread: `1e400`, which
/// [`parse`] refuses, would pass.)
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
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

    use crate::wire::selection::Pick;

    #[test]
    fn keeps_what_the_paths_read_and_nothing_else() {
        let text = r#"{"customer": {"id": "c1", "first_name": "Ada", "cards": [{"last4": "1111"}, {"last4": "4242", "brand": "visa"}]}, "card": {"id": "k"}, "list": [1, 2, 3]}"#;
        let selection = Selection::of([
            vec![Pick::Name("customer"), Pick::Name("id")],
            vec![
                Pick::Name("customer"),
                Pick::Name("cards"),
                Pick::Index(-1),
                Pick::Name("last4"),
            ],
            vec![Pick::Name("list"), Pick::Index(1)],
        ])
        .unwrap();
        assert_eq!(
            parse_selected(text, &selection).unwrap(),
            serde_json::json!({
                "customer": {"id": "c1", "cards": [{"last4": "1111"}, {"last4": "4242"}]},
                "list": [null, 2, null]
            })
        );
        // No path: the text is read and checked, nothing is built.
        let nothing = Selection::of(Vec::<Vec<Pick>>::new()).unwrap();
        assert_eq!(
            parse_selected(text, &nothing).unwrap(),
            serde_json::json!({})
        );
    }

    fn some_paths() -> Selection<'static> {
        Selection::of([
            vec![Pick::Name("a"), Pick::Index(1)],
            vec![Pick::Any, Pick::Name("a")],
        ])
        .unwrap()
    }

    #[test]
    fn fails_where_the_whole_reading_fails() {
        for text in [
            r#"{"b": 1e400}"#,
            r#"{"b": "\x"}"#,
            r#"{"b": [1,]}"#,
            r#"{"b": 1} x"#,
            r#"{"a": 1, "b": {"c" 1}}"#,
            // Inside a member that is read, below a name no path goes on to: these
            // are the parts read without being built.
            r#"{"x": {"y": 1e400}}"#,
            r#"{"x": {"y": "\x"}}"#,
            r#"{"x": {"y": ["\ud800"]}}"#,
        ] {
            let part = parse_selected(text, &some_paths()).map_err(|e| e.to_string());
            let whole = parse(text).map_err(|e| e.to_string());
            assert!(whole.is_err(), "{text}");
            assert_eq!(part.err(), whole.err(), "{text}");
        }
        let deep = format!(r#"{{"b": {}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(parse_selected(&deep, &some_paths()).is_err(), "depth bound");
    }

    proptest! {
        #[test]
        fn any_text_reads_as_serde_json_reads_it(text in "[\\[\\]{}\":,a0-9.e -]{0,24}") {
            let ours = parse(&text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<Value>(&text).map_err(|e| e.to_string());
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn any_text_fails_selected_where_it_fails_whole(text in "[\\[\\]{}\":,a0-9.e -]{0,24}") {
            let part = parse_selected(&text, &some_paths()).map_err(|e| e.to_string());
            let whole = parse(&text).map_err(|e| e.to_string());
            prop_assert_eq!(part.err(), whole.err());
        }
    }
}
