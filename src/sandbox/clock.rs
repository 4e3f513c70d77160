//! Time for the sandbox: the [`Clock`] every gateway carries and every handler reads,
//! and [`Timestamp`], seconds since the Unix epoch shown as RFC 3339 UTC.
//!
//! No handler reads the system time itself: the gateways' time-bound rules (Braintree's
//! nonces expire after 3 hours, Rapyd replays answers for 24 hours and refuses requests
//! signed more than 60 seconds ago) are then tested by moving a [`ManualClock`] on
//! instead of waiting.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use gatecheck::sandbox::clock::{Clock, ManualClock, SharedClock, Timestamp};
//!
//! let manual = Arc::new(ManualClock::at(Timestamp(1_700_000_000)));
//! let clock: SharedClock = manual.clone();
//! manual.advance(Duration::from_secs(90));
//! assert_eq!(clock.now(), Timestamp(1_700_000_090));
//! ```

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the sandbox reads the time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch (Rapyd's `extended_timestamp`, Chargebee's
    /// `resource_version`).
    fn now_millis(&self) -> u64;

    /// Whole seconds since the Unix epoch.
    fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.now_millis())
    }
}

/// A clock the gateways and their handlers share.
pub type SharedClock = Arc<dyn Clock>;

/// The system's wall clock: what the sandbox uses unless told otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// A clock that stands still until it is moved: for tests of time-bound rules.
#[derive(Debug)]
pub struct ManualClock {
    millis: AtomicU64,
}

impl ManualClock {
    /// A clock stopped at `time`.
    pub fn at(time: Timestamp) -> ManualClock {
        ManualClock {
            millis: AtomicU64::new(time.0.saturating_mul(1000)),
        }
    }

    /// Moves the clock on by `by`.
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.millis.fetch_add(by, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.millis.load(Ordering::SeqCst)
    }
}

/// A point in time, whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// The whole second `millis` (milliseconds since the Unix epoch) falls in.
    pub fn from_millis(millis: u64) -> Timestamp {
        Timestamp(millis / 1000)
    }

    /// The civil UTC date: (year, month 1-12, day 1-31).
    pub fn date(self) -> (i64, u32, u32) {
        // Howard Hinnant's days-to-civil algorithm.
        let days = (self.0 / 86_400) as i64 + 719_468;
        let era = days.div_euclid(146_097);
        let doe = days.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// `2026-11-23T09:05:01Z`.
    pub fn rfc3339(self) -> String {
        let (year, month, day) = self.date();
        let secs = self.0 % 86_400;
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(1_795_424_701).rfc3339(), "2026-11-23T09:05:01Z");
        assert_eq!(Timestamp(1_795_424_701).date(), (2026, 11, 23));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let clock = ManualClock::at(Timestamp(100));
        assert_eq!((clock.now(), clock.now_millis()), (Timestamp(100), 100_000));
        clock.advance(Duration::from_millis(1_500));
        assert_eq!((clock.now(), clock.now_millis()), (Timestamp(101), 101_500));
        let system = SystemClock.now();
        assert!(system > Timestamp(1_700_000_000), "{system:?}");
    }
}
