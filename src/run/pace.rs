//! Keeping to a target's request rate: requests are spaced evenly, all scenarios and
//! APIs of the target together, so a vendor sandbox that blocks fast clients is never
//! hammered.

use std::sync::Mutex;

use tokio::time::{Duration, Instant};

use crate::spec::retry::Rate;

/// Hands out send times at most one per interval.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer keeping to `rate`.
    pub fn new(rate: Rate) -> Pacer {
        Pacer {
            interval: rate.interval(),
            next: Mutex::new(None),
        }
    }

    /// Waits for this request's turn.
    pub async fn wait(&self) {
        let now = Instant::now();
        let slot = {
            // A poisoned lock only means another task panicked mid-update: the
            // instant inside is still a valid schedule.
            let mut next = self
                .next
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let slot = next.map_or(now, |at| at.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_by_the_interval() {
        let pacer = std::sync::Arc::new(Pacer::new(Rate::parse("10/s").unwrap()));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let pacer = std::sync::Arc::clone(&pacer);
            tasks.push(tokio::spawn(async move {
                pacer.wait().await;
                Instant::now()
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap() - start);
        }
        times.sort();
        let want: Vec<Duration> = (0..5).map(|i| Duration::from_millis(100 * i)).collect();
        assert_eq!(times, want);
    }
}
