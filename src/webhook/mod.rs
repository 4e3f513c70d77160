//! Webhooks a target sends back during a run: a receiver on this machine keeps every
//! delivery in an [`Inbox`], and a scenario step waits, event-driven, for the one it
//! expects.
//!
//! One receiver serves a whole run; scenarios run in parallel and share it, so a step
//! selects its webhook by content (an id of its own), and each scenario takes a
//! delivery at most once. The receiver knows nothing about gateways: signatures are
//! checked by the target's auth scheme (`target::auth`), types are read where the API
//! profile says.

pub mod receiver;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;

pub use receiver::WebhookReceiver;

/// One webhook as it arrived.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its position in the inbox, from 0.
    pub seq: usize,
    /// The HTTP method (gateways POST).
    pub method: String,
    /// The path and query it was sent to.
    pub path: String,
    /// The URL the sender was given, as far as the receiver can tell: the configured
    /// webhook URL when the delivery came to its path, else that URL's origin with
    /// the path it came to. Signatures that cover the URL are checked against this.
    pub url: String,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as received (signatures cover them).
    pub raw: Vec<u8>,
    /// The body decoded by its content type (JSON, form or XML), a string otherwise.
    pub body: Value,
}

/// Every delivery of the run, in order of arrival, and a way to wait for more.
#[derive(Debug, Default)]
pub struct Inbox {
    deliveries: Mutex<Vec<Arc<Delivery>>>,
    arrived: Notify,
}

impl Inbox {
    /// How many deliveries have arrived: a mark to wait from.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True before the first delivery.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Files a delivery (its `seq` is set here) and wakes every waiter.
    pub fn push(&self, mut delivery: Delivery) {
        {
            let mut all = self.lock();
            delivery.seq = all.len();
            all.push(Arc::new(delivery));
        }
        self.arrived.notify_waiters();
    }

    /// The deliveries from position `from` on.
    pub fn since(&self, from: usize) -> Vec<Arc<Delivery>> {
        self.lock().iter().skip(from).cloned().collect()
    }

    /// Waits up to `within` for the first delivery from `from` on that `wanted`
    /// accepts, looking at those already there first. Returns `None` on timeout.
    ///
    /// Waiting is event-driven: every arrival wakes the waiters, who look again.
    pub async fn wait_for(
        &self,
        from: usize,
        within: Duration,
        mut wanted: impl FnMut(&Delivery) -> bool,
    ) -> Option<Arc<Delivery>> {
        // A `within` too large for the clock (years) waits as long as it can.
        let now = tokio::time::Instant::now();
        let deadline = now
            .checked_add(within)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 60 * 60));
        let mut next = from;
        loop {
            // Registered before looking, so an arrival between the look and the
            // wait still wakes this waiter.
            let notified = self.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            for delivery in self.since(next) {
                next = delivery.seq + 1;
                if wanted(&delivery) {
                    return Some(delivery);
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Delivery>>> {
        // A panic while pushing leaves a consistent list behind: keep using it.
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The URL a sender was given for a delivery that came to `path` (path and query),
/// when the receiver is known to the world as `configured`.
///
/// ```
/// use gatecheck::webhook::given_url;
/// let url = "https://abc.tunnel.example/hooks";
/// assert_eq!(given_url(url, "/hooks"), url);
/// assert_eq!(given_url(url, "/hooks/rapyd?x=1"), "https://abc.tunnel.example/hooks/rapyd?x=1");
/// ```
pub fn given_url(configured: &str, path: &str) -> String {
    // Compared as text, not as parsed URLs, so that the string the gateway signed
    // (an explicit `:443`, say) is kept exactly.
    let after_scheme = configured.find("://").map_or(0, |i| i + 3);
    let path_at = configured[after_scheme..]
        .find('/')
        .map_or(configured.len(), |i| i + after_scheme);
    let (origin, configured_path) = configured.split_at(path_at);
    let configured_path = if configured_path.is_empty() {
        "/"
    } else {
        configured_path
    };
    if configured_path == path {
        configured.to_string()
    } else {
        format!("{origin}{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(body: Value) -> Delivery {
        Delivery {
            seq: 0,
            method: "POST".into(),
            path: "/webhooks".into(),
            url: "http://127.0.0.1:1/webhooks".into(),
            headers: vec![],
            raw: body.to_string().into_bytes(),
            body,
        }
    }

    #[tokio::test]
    async fn waits_for_a_later_arrival_without_polling() {
        let inbox = Arc::new(Inbox::default());
        inbox.push(delivery(serde_json::json!({"id": "old"})));
        let from = inbox.len();
        let waiter = {
            let inbox = Arc::clone(&inbox);
            tokio::spawn(async move {
                inbox
                    .wait_for(from, Duration::from_secs(30), |d| d.body["id"] == "b")
                    .await
            })
        };
        inbox.push(delivery(serde_json::json!({"id": "a"})));
        inbox.push(delivery(serde_json::json!({"id": "b"})));
        let found = waiter.await.unwrap().expect("delivered");
        assert_eq!(found.seq, 2);
        assert_eq!(inbox.since(1).len(), 2);
    }

    #[tokio::test]
    async fn gives_up_after_within() {
        let inbox = Inbox::default();
        inbox.push(delivery(serde_json::json!({"id": "a"})));
        // Deliveries before the mark are not looked at.
        let found = inbox.wait_for(1, Duration::from_millis(20), |_| true).await;
        assert!(found.is_none());
        let found = inbox.wait_for(0, Duration::from_millis(20), |_| true).await;
        assert_eq!(found.map(|d| d.seq), Some(0));
    }

    #[test]
    fn given_urls() {
        assert_eq!(
            given_url("http://127.0.0.1:9/webhooks", "/webhooks"),
            "http://127.0.0.1:9/webhooks"
        );
        assert_eq!(
            given_url("https://x.example:443", "/"),
            "https://x.example:443"
        );
        assert_eq!(
            given_url("https://x.example:443", "/other"),
            "https://x.example:443/other"
        );
    }
}
