//! Webhooks to the configured URL: Rapyd's webhook envelope, signed with Rapyd's
//! webhook signature.
//!
//! `POST <webhook_url>` with `Content-Type: application/json` and the headers `salt`,
//! `timestamp`, `signature` (= `rapyd_webhook_signature` over the whole URL and the
//! exact body) and `access_key`. The body is
//! `{"id": "wh_…", "type": …, "data": …, "trigger_operation_id": …, "status": "NEW",
//! "created_at": …, "extended_timestamp": …}` (seconds, then the same instant in
//! milliseconds, as in Rapyd's Customer Updated Webhook example). Each webhook is sent from a task of its own after the answer is
//! decided, so a receiver that is slow or down never changes the API's answer; a
//! failed delivery is not retried.

use std::time::Duration;

use serde_json::{Value, json};

use super::vault::new_id;
use crate::sandbox::RapydSettings;
use crate::sandbox::clock::Timestamp;
use crate::signature::{RapydKeys, rapyd_salt, rapyd_webhook_signature};

/// How long one delivery may take before it is given up.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// What happened, as Rapyd's webhook `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // named as Rapyd names them: CUSTOMER_*
pub(super) enum Event {
    CustomerCreated,
    CustomerUpdated,
    CustomerDeleted,
}

impl Event {
    /// The webhook `type`.
    pub(super) fn name(self) -> &'static str {
        match self {
            Event::CustomerCreated => "CUSTOMER_CREATED",
            Event::CustomerUpdated => "CUSTOMER_UPDATED",
            Event::CustomerDeleted => "CUSTOMER_DELETED",
        }
    }
}

/// Sends webhooks, when a URL is configured.
#[derive(Debug)]
pub(super) struct Webhooks {
    url: Option<String>,
    access_key: String,
    secret_key: String,
    client: reqwest::Client,
}

impl Webhooks {
    /// Webhooks with the gateway's keys, to `settings.webhook_url` (none when unset).
    pub(super) fn new(settings: &RapydSettings) -> Webhooks {
        let url = settings.webhook_url.clone().filter(|u| !u.is_empty());
        let builder = reqwest::Client::builder().timeout(DELIVERY_TIMEOUT);
        // Without a URL, or to a plain-HTTP one (the harness's receiver), no
        // certificate is ever checked: reading the system's store would only slow
        // every start of the gateway.
        let builder = if url.as_deref().is_none_or(|u| u.starts_with("http://")) {
            builder.tls_certs_only(Vec::new())
        } else {
            builder
        };
        let client = builder.build().unwrap_or_default();
        Webhooks {
            url,
            access_key: settings.access_key.clone(),
            secret_key: settings.secret_key.clone(),
            client,
        }
    }

    /// Posts `event` with `data`, made at `millis` (Unix milliseconds), in the
    /// background; does nothing without a URL.
    pub(super) fn send(&self, event: Event, data: Value, trigger_operation_id: &str, millis: u64) {
        let Some(url) = self.url.clone() else {
            return;
        };
        let now = Timestamp::from_millis(millis);
        let body = envelope(event, data, trigger_operation_id, millis).to_string();
        let headers = self.signed_headers(&url, &body, now);
        let request = self.client.post(&url).body(body);
        let request = headers
            .into_iter()
            .fold(request, |r, (name, value)| r.header(name, value));
        tokio::spawn(async move {
            // Delivery is best effort, like a gateway whose receiver is down.
            let _ = request.send().await;
        });
    }

    /// The headers of one delivery of `body` to `url`.
    pub(super) fn signed_headers(
        &self,
        url: &str,
        body: &str,
        now: Timestamp,
    ) -> Vec<(&'static str, String)> {
        let salt = rapyd_salt();
        let timestamp = now.0.to_string();
        let keys = RapydKeys {
            access_key: &self.access_key,
            secret_key: &self.secret_key,
        };
        let signature = rapyd_webhook_signature(keys, url, &salt, &timestamp, body);
        vec![
            ("content-type", "application/json".to_string()),
            ("salt", salt),
            ("timestamp", timestamp),
            ("signature", signature),
            ("access_key", self.access_key.clone()),
        ]
    }
}

/// Rapyd's webhook envelope, made at `millis` (Unix milliseconds).
pub(super) fn envelope(
    event: Event,
    data: Value,
    trigger_operation_id: &str,
    millis: u64,
) -> Value {
    json!({
        "id": new_id("wh_"),
        "type": event.name(),
        "data": data,
        "trigger_operation_id": trigger_operation_id,
        "status": "NEW",
        "created_at": millis / 1000,
        "extended_timestamp": millis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_a_signature_over_url_and_body() {
        let settings = RapydSettings {
            webhook_url: Some("http://127.0.0.1:9/hook".into()),
            ..RapydSettings::default()
        };
        let hooks = Webhooks::new(&settings);
        let body = r#"{"type":"CUSTOMER_UPDATED"}"#;
        let headers =
            hooks.signed_headers("http://127.0.0.1:9/hook", body, Timestamp(1_700_000_002));
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let keys = RapydKeys {
            access_key: "sandbox_access",
            secret_key: "sandbox_secret",
        };
        let expected = rapyd_webhook_signature(
            keys,
            "http://127.0.0.1:9/hook",
            &get("salt"),
            "1700000002",
            body,
        );
        assert_eq!(get("signature"), expected);
        assert_eq!(get("access_key"), "sandbox_access");
        assert_eq!(get("timestamp"), "1700000002");
    }

    #[test]
    fn envelope_has_rapyds_fields() {
        let wh = envelope(
            Event::CustomerUpdated,
            json!({"id": "cus_1"}),
            "op-1",
            7_250,
        );
        assert!(wh["id"].as_str().unwrap().starts_with("wh_"));
        assert_eq!(wh["type"], "CUSTOMER_UPDATED");
        assert_eq!(wh["data"]["id"], "cus_1");
        assert_eq!(wh["trigger_operation_id"], "op-1");
        assert_eq!(wh["status"], "NEW");
        assert_eq!(wh["created_at"], 7);
        assert_eq!(wh["extended_timestamp"], 7_250);
    }
}
