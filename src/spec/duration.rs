//! Durations as scenarios and targets write them: `30s`, `500ms`, `2m`, or seconds.

use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Parses `30s`, `250ms`, `2m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number
        .parse()
        .map_err(|_| format!("bad duration {text:?}: write e.g. `30s`, `500ms` or `2m`"))?;
    let seconds = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        other => {
            return Err(format!(
                "bad duration unit {other:?} in {text:?}: use ms, s or m"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("bad duration {text:?}: {e}"))
}

/// Reads an optional duration field (`timeout: 30s`, `within: 500ms`).
pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    let text = match Value::deserialize(deserializer)? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s,
        Value::Null => return Ok(None),
        other => {
            return Err(serde::de::Error::custom(format!(
                "a duration is text like `30s`, found {other}"
            )));
        }
    };
    parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert!(parse_duration("3h").is_err());
        assert!(parse_duration("fast").is_err());
    }
}
