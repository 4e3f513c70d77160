//! Idempotent replay: a request whose `idempotency` header repeats one sent before
//! with the same access key, within 24 hours, gets the first answer again, byte for
//! byte (status, headers, body), and nothing is applied a second time.
//!
//! Like Rapyd configured for idempotency on all POST requests, only the header
//! counts: the same key with another path or body still replays the first answer.
//! The check covers every method but GET and HEAD. Requests with the same key are
//! handled one after the other, so two at once still apply once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Gateway;

/// How long an answer is replayed.
pub(super) const TTL_SECS: u64 = 24 * 60 * 60;

/// A first answer, kept for replay.
#[derive(Debug, Clone)]
struct Stored {
    at: u64,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

type Slot = Arc<tokio::sync::Mutex<Option<Stored>>>;

/// Most keys kept at once. Expired keys are dropped first; past this, the oldest go,
/// so a client sending endless fresh keys cannot grow the server's memory without end.
pub(super) const MAX_KEYS: usize = 10_000;

/// The answers kept, by access key and idempotency key, with when each key was first
/// seen.
#[derive(Debug, Default)]
pub(super) struct Cache {
    slots: Mutex<HashMap<(String, String), (u64, Slot)>>,
}

impl Cache {
    fn slot(&self, access_key: &str, key: &str, now: u64) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let id = (access_key.to_string(), key.to_string());
        if !slots.contains_key(&id) && slots.len() >= MAX_KEYS {
            slots.retain(|_, (seen, _)| fresh(*seen, now));
            while slots.len() >= MAX_KEYS {
                let oldest = slots
                    .iter()
                    .min_by_key(|(_, (seen, _))| *seen)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => slots.remove(&k),
                    None => break,
                };
            }
        }
        slots
            .entry(id)
            .or_insert_with(|| (now, Slot::default()))
            .1
            .clone()
    }
}

/// Whether an answer kept at `at` is still replayed at `now`.
fn fresh(at: u64, now: u64) -> bool {
    now < at.saturating_add(TTL_SECS)
}

/// Middleware (after authentication): replays or records answers.
pub(super) async fn replay(
    State(gateway): State<Arc<Gateway>>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let header = |headers: &HeaderMap, name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let headers = request.headers();
    let (Some(key), Some(access_key)) = (
        header(headers, "idempotency"),
        header(headers, "access_key"),
    ) else {
        return next.run(request).await;
    };
    let now = gateway.now();
    let slot = gateway.idempotency.slot(&access_key, &key, now);
    let mut kept = slot.lock().await;
    if let Some(first) = kept.as_ref().filter(|s| fresh(s.at, now)) {
        let mut response = Response::new(Body::from(first.body.clone()));
        *response.status_mut() = first.status;
        *response.headers_mut() = first.headers.clone();
        return response;
    }
    let (parts, body) = next.run(request).await.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    *kept = Some(Stored {
        at: now,
        status: parts.status,
        headers: parts.headers.clone(),
        body: body.clone(),
    });
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_replayed_for_a_day() {
        assert!(fresh(100, 100));
        assert!(fresh(100, 100 + TTL_SECS - 1));
        assert!(!fresh(100, 100 + TTL_SECS));
    }

    #[test]
    fn slots_are_per_access_key_and_key() {
        let cache = Cache::default();
        assert!(Arc::ptr_eq(
            &cache.slot("a", "k", 1),
            &cache.slot("a", "k", 2)
        ));
        assert!(!Arc::ptr_eq(
            &cache.slot("a", "k", 1),
            &cache.slot("b", "k", 1)
        ));
        assert!(!Arc::ptr_eq(
            &cache.slot("a", "k", 1),
            &cache.slot("a", "j", 1)
        ));
    }

    #[test]
    fn keys_kept_are_bounded_expired_first_then_oldest() {
        let cache = Cache::default();
        let count = |c: &Cache| c.slots.lock().map(|s| s.len()).unwrap_or_default();
        let kept = |c: &Cache, k: &str| {
            c.slots
                .lock()
                .map(|s| s.contains_key(&("a".to_string(), k.to_string())))
                .unwrap_or_default()
        };
        cache.slot("a", "old", 0);
        for i in 1..MAX_KEYS {
            cache.slot("a", &i.to_string(), TTL_SECS);
        }
        assert_eq!(count(&cache), MAX_KEYS);
        // A new key at a time `old` has expired drops `old` alone.
        cache.slot("a", "new", TTL_SECS + 1);
        assert_eq!(count(&cache), MAX_KEYS);
        assert!(!kept(&cache, "old") && kept(&cache, "1") && kept(&cache, "new"));
        // Nothing expired: the oldest goes.
        cache.slot("a", "newer", TTL_SECS + 2);
        assert_eq!(count(&cache), MAX_KEYS);
        assert!(kept(&cache, "newer") && kept(&cache, "new"));
        // A key already kept adds nothing.
        cache.slot("a", "newer", TTL_SECS + 3);
        assert_eq!(count(&cache), MAX_KEYS);
    }
}
