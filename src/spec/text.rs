//! Reading a scalar that is parsed into something else (a JSONPath, a regex, a
//! keyword) straight from the text the deserializer holds, rather than from a
//! `String` copied for it and dropped at once.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// Reads text as `String` does (the same values accepted, the same errors) and
/// hands it to `parse`, whose error becomes the deserializer's.
pub(crate) fn parse_text<'de, D, T, F>(deserializer: D, parse: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    deserializer.deserialize_string(Text(parse, PhantomData))
}

struct Text<F, T>(F, PhantomData<T>);

impl<T, F: FnOnce(&str) -> Result<T, String>> Visitor<'_> for Text<F, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.0)(text).map_err(E::custom)
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<T, E> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.visit_str(text),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(bytes), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, from_node, parse};

    #[derive(Debug)]
    struct Upper(String);

    impl<'de> serde::Deserialize<'de> for Upper {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            parse_text(deserializer, |text| match text {
                "" => Err("empty".to_string()),
                text => Ok(Upper(text.to_uppercase())),
            })
        }
    }

    fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        let node = parse(text.as_bytes(), &Limits::default()).map_err(|e| e.message)?;
        from_node(&node).map_err(|e| e.message)
    }

    #[test]
    fn reads_and_refuses_as_a_string_does() {
        assert_eq!(read::<Upper>("abc").unwrap().0, "ABC");
        assert_eq!(read::<Upper>("12").unwrap().0, "12");
        assert_eq!(read::<Upper>("''").unwrap_err(), "empty");
        for not_text in ["{ a: 1 }", "[1]"] {
            assert_eq!(
                read::<Upper>(not_text).unwrap_err(),
                read::<String>(not_text).unwrap_err()
            );
        }
        let json: Upper = serde_json::from_value(serde_json::json!("x")).unwrap();
        assert_eq!(json.0, "X");
        let err = serde_json::from_value::<Upper>(serde_json::json!(1)).unwrap_err();
        let string = serde_json::from_value::<String>(serde_json::json!(1)).unwrap_err();
        assert_eq!(err.to_string(), string.to_string());
    }
}
