//! The receiver: an HTTP server that takes any request to any path, files it in the
//! inbox and answers `200`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use tokio::net::TcpListener;

use crate::server::BackgroundServer;

use super::{Delivery, Inbox, given_url};

/// The path of the local receiver URL handed to targets.
pub const PATH: &str = "/webhooks";

/// A running webhook receiver.
#[derive(Debug)]
pub struct WebhookReceiver {
    server: BackgroundServer,
    url: String,
    inbox: Arc<Inbox>,
}

struct Shared {
    inbox: Arc<Inbox>,
    url: String,
}

impl WebhookReceiver {
    /// Listens on `listen` (`127.0.0.1:0` picks a free port) and serves on the current
    /// tokio runtime; returns once bound. Its URL is `public_url` when given (a tunnel
    /// to `listen`), else `http://ADDR/webhooks`.
    pub async fn start(
        listen: SocketAddr,
        public_url: Option<String>,
    ) -> std::io::Result<WebhookReceiver> {
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let url = public_url.unwrap_or_else(|| format!("http://{addr}{PATH}"));
        let inbox = Arc::new(Inbox::default());
        let shared = Arc::new(Shared {
            inbox: Arc::clone(&inbox),
            url: url.clone(),
        });
        let app = axum::Router::new().fallback(receive).with_state(shared);
        let server = BackgroundServer::serve(listener, app)?;
        Ok(WebhookReceiver { server, url, inbox })
    }

    /// The URL to hand to targets (`${webhook_url}`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The local address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Where deliveries are filed.
    pub fn inbox(&self) -> Arc<Inbox> {
        Arc::clone(&self.inbox)
    }

    /// Stops accepting deliveries.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    raw: Bytes,
) -> StatusCode {
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |p| p.as_str().to_string());
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let content_type = crate::wire::headers::find(&headers, "content-type");
    // A body that does not decode is kept as text; the step that expects it says so.
    let body = crate::wire::decode_body(content_type, &raw)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&raw).into()));
    shared.inbox.push(Delivery {
        seq: 0,
        method: method.to_string(),
        url: given_url(&shared.url, &path),
        path,
        headers,
        raw: raw.to_vec(),
        body,
    });
    StatusCode::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_what_it_receives() {
        let receiver = WebhookReceiver::start(SocketAddr::from(([127, 0, 0, 1], 0)), None)
            .await
            .unwrap();
        assert_eq!(
            receiver.url(),
            format!("http://{}/webhooks", receiver.addr())
        );
        let client = reqwest::Client::new();
        let answer = client
            .post(format!("{}?a=1", receiver.url()))
            .header("content-type", "application/json")
            .header("salt", "s")
            .body(r#"{"type":"X","data":{"id":"1"}}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let inbox = receiver.inbox();
        let all = inbox.since(0);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].path, "/webhooks?a=1");
        assert_eq!(all[0].url, format!("{}?a=1", receiver.url()));
        assert_eq!(all[0].body["data"]["id"], "1");
        assert_eq!(all[0].raw, br#"{"type":"X","data":{"id":"1"}}"#);
        assert!(all[0].headers.iter().any(|(n, v)| n == "salt" && v == "s"));
        receiver.shutdown().await;
    }

    #[tokio::test]
    async fn a_form_body_nested_too_deep_is_filed_as_text_and_the_receiver_lives_on() {
        // One unauthenticated POST like this aborted the whole run when the form
        // decoder recursed once per bracket.
        let receiver = WebhookReceiver::start(SocketAddr::from(([127, 0, 0, 1], 0)), None)
            .await
            .unwrap();
        let deep = format!("event{}=x", "[a]".repeat(100_000));
        let client = reqwest::Client::new();
        let answer = client
            .post(receiver.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(deep.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let answer = client
            .post(receiver.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body("event[type]=ok")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let all = receiver.inbox().since(0);
        assert_eq!(all.len(), 2);
        // Kept as text, like any body that does not decode: the step that waits for a
        // webhook reports what came.
        assert_eq!(all[0].body, serde_json::Value::String(deep));
        assert_eq!(all[1].body["event"]["type"], "ok");
        receiver.shutdown().await;
    }

    #[tokio::test]
    async fn a_public_url_is_what_targets_are_given() {
        let receiver = WebhookReceiver::start(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            Some("https://tunnel.example/webhooks".into()),
        )
        .await
        .unwrap();
        assert_eq!(receiver.url(), "https://tunnel.example/webhooks");
        reqwest::Client::new()
            .post(format!("http://{}/webhooks", receiver.addr()))
            .body("plain")
            .send()
            .await
            .unwrap();
        let all = receiver.inbox().since(0);
        assert_eq!(all[0].url, "https://tunnel.example/webhooks");
        assert_eq!(all[0].body, "plain");
        receiver.shutdown().await;
    }
}
