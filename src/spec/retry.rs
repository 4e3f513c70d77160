//! Retries of transient failures and request rates, as targets and steps write them.
//!
//! Retrying is opt-in, and only ever applies to a request that is safe to send twice:
//! an idempotent method, or one that carries an idempotency key.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// When and how often a request that met a transient failure is sent again.
///
/// ```yaml
/// retry: { attempts: 3, backoff: 200ms, statuses: [502, 503, 504] }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// How many tries in all, the first included (`1` turns retrying off).
    #[serde(deserialize_with = "attempts")]
    #[schemars(range(min = 1, max = MAX_ATTEMPTS))]
    pub attempts: u32,
    /// The wait before the first retry; it doubles for each next one, with jitter.
    #[serde(default = "default_backoff", deserialize_with = "backoff")]
    // The schema's default is written as YAML has it, not as a serialized `Duration`.
    #[schemars(
        with = "crate::spec::schema::DurationSchema",
        default = "crate::spec::schema::default_backoff"
    )]
    pub backoff: Duration,
    /// The answer statuses that count as transient.
    #[serde(default = "default_statuses")]
    pub statuses: Vec<u16>,
    /// Whether a connection that fails (refused, reset, cut short) counts as transient.
    #[serde(default = "default_true")]
    pub connection_errors: bool,
}

/// Most tries a policy may ask for: a retry loop must not become a load test.
pub const MAX_ATTEMPTS: u32 = 10;

fn default_backoff() -> Duration {
    Duration::from_millis(200)
}

fn default_statuses() -> Vec<u16> {
    vec![502, 503, 504]
}

fn default_true() -> bool {
    true
}

fn backoff<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    super::duration::deserialize(deserializer)?
        .ok_or_else(|| serde::de::Error::custom("`backoff` needs a duration such as `200ms`"))
}

fn attempts<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let n = u32::deserialize(deserializer)?;
    if n == 0 || n > MAX_ATTEMPTS {
        return Err(serde::de::Error::custom(format!(
            "`attempts` is from 1 to {MAX_ATTEMPTS} (tries in all), found {n}"
        )));
    }
    Ok(n)
}

impl RetryPolicy {
    /// Whether an answer with `status` is worth another try.
    pub fn retries_status(&self, status: u16) -> bool {
        self.statuses.contains(&status)
    }

    /// The wait before retry number `retry` (0-based), with ±50 % jitter so that
    /// parallel scenarios do not retry in step.
    pub fn wait(&self, retry: u32, jitter: f64) -> Duration {
        let base = self.backoff.saturating_mul(1u32 << retry.min(16));
        base.mul_f64(0.5 + jitter.clamp(0.0, 1.0))
    }
}

/// A request rate: at most `count` requests per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed…
    pub count: u32,
    /// …in this long.
    pub per: Duration,
}

impl Rate {
    /// Parses `150/min`, `10/s`, `1000/h`.
    ///
    /// ```
    /// use gatecheck::spec::retry::Rate;
    /// let r = Rate::parse("150/min").unwrap();
    /// assert_eq!(r.interval(), std::time::Duration::from_millis(400));
    /// assert!(Rate::parse("fast").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Rate, String> {
        let bad = || format!("bad rate {text:?}: write e.g. `150/min`, `10/s` or `1000/h`");
        let (count, unit) = text.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(bad()),
        };
        if count == 0 {
            return Err(format!(
                "bad rate {text:?}: at least one request per period"
            ));
        }
        Ok(Rate { count, per })
    }

    /// The pause between two requests that keeps to the rate.
    pub fn interval(&self) -> Duration {
        self.per / self.count
    }
}

impl schemars::JsonSchema for Rate {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::spec::schema::RateSchema::json_schema(generator)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Rate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_with_jitter() {
        let p = RetryPolicy {
            attempts: 3,
            backoff: Duration::from_millis(100),
            statuses: default_statuses(),
            connection_errors: true,
        };
        assert_eq!(p.wait(0, 0.5), Duration::from_millis(100));
        assert_eq!(p.wait(2, 0.5), Duration::from_millis(400));
        assert_eq!(p.wait(1, 0.0), Duration::from_millis(100));
        assert_eq!(p.wait(1, 1.0), Duration::from_millis(300));
        let read = |text: &str| crate::yaml::from_slice::<RetryPolicy>(text.as_bytes());
        assert!(read("attempts: 0").is_err());
        assert!(read("attempts: 11").is_err());
        let p = read("attempts: 3\nbackoff: 50ms").unwrap();
        assert_eq!(
            (p.backoff, p.statuses.as_slice()),
            (Duration::from_millis(50), &[502, 503, 504][..])
        );
    }

    #[test]
    fn rates() {
        assert_eq!(
            Rate::parse("10/s").unwrap().interval(),
            Duration::from_millis(100)
        );
        assert_eq!(
            Rate::parse("1000/h").unwrap().interval(),
            Duration::from_millis(3600)
        );
        assert!(Rate::parse("0/s").is_err());
        assert!(Rate::parse("10 per second").is_err());
    }
}
