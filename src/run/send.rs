//! Sending a built request: the one place a request step does I/O. Rate limits are
//! respected (a 429 is waited out and retried, each attempt signed afresh), the
//! answer is read with a size bound and decoded into one JSON tree.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::build::Prepared;
use super::context::RunContext;
use super::failure::FailureKind;
use crate::wire::headers::find as header;

/// Most of an answer body kept in memory; larger ones are cut (and the step fails).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// An answer as received, before masking.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Value,
    pub(super) elapsed: Duration,
}

/// Characters of an undecodable answer shown in its failure, and bytes of it masked
/// to make them (enough that the cut falls far from what is shown).
const PREVIEW_CHARS: usize = 300;
const PREVIEW_READ: usize = 4096;

/// Times a 429 answer is retried when the step does not itself expect a 429.
const MAX_RETRIES_429: u32 = 3;
/// Longest `Retry-After` honoured; a longer one fails the step instead of stalling the run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Sends, respecting rate limits: a 429 is waited out (its `Retry-After` in seconds,
/// else 1 s, 2 s, 4 s) and retried, unless the step expects the 429 itself. Each
/// attempt is signed afresh. Returns the headers of the last attempt with its result.
pub(super) async fn send(
    ctx: &RunContext,
    prepared: &Prepared,
    retry_429: bool,
) -> (Vec<(String, String)>, Result<Answer, FailureKind>) {
    let mut attempt = 0;
    loop {
        let headers = prepared.headers_to_send(ctx);
        let answer = match send_once(ctx, prepared, &headers).await {
            Ok(answer) => answer,
            Err(why) => return (headers, Err(why)),
        };
        if answer.status != 429 || !retry_429 || attempt >= MAX_RETRIES_429 {
            return (headers, Ok(answer));
        }
        let wait = header(&answer.headers, "retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(Duration::from_secs(1 << attempt), Duration::from_secs);
        if wait > MAX_RETRY_AFTER {
            return (headers, Ok(answer));
        }
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

async fn send_once(
    ctx: &RunContext,
    prepared: &Prepared,
    headers: &[(String, String)],
) -> Result<Answer, FailureKind> {
    let mut builder = ctx
        .client
        .request(prepared.method.clone(), prepared.url.clone())
        .timeout(ctx.api.timeout);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &prepared.body {
        builder = builder.body(body.clone());
    }
    let started = Instant::now();
    // Masked with the rest of the failure when it is recorded.
    let shown_url = prepared.url.as_str();
    let explain = |e: reqwest::Error| {
        let timeout = e.is_timeout();
        let what = if timeout {
            format!("no complete answer within {:?}", ctx.api.timeout)
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else if e.is_builder() {
            "cannot build the request".to_string()
        } else {
            "the request failed".to_string()
        };
        let mut detail = String::new();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        let message = format!(
            "{what}: {shown_url}: {e}{}",
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            }
        );
        if timeout {
            FailureKind::Timeout { message }
        } else {
            FailureKind::Transport { message }
        }
    };
    let mut response = builder.send().await.map_err(explain)?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(explain)? {
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(FailureKind::Answer {
                message: format!("the answer body is larger than {MAX_BODY} bytes"),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    let elapsed = started.elapsed();
    let content_type = header(&headers, "content-type");
    let body = crate::wire::decode_body(content_type, &bytes).map_err(|why| {
        // Masked before it is cut, so that the cut cannot split a card number or a
        // CVV member and leave a part the masker no longer recognizes.
        let head = &bytes[..bytes.len().min(PREVIEW_READ)];
        let preview: String = ctx
            .masker
            .text(&String::from_utf8_lossy(head))
            .chars()
            .take(PREVIEW_CHARS)
            .collect();
        FailureKind::Answer {
            message: format!("status {status}: {why}; the body begins: {preview:?}"),
        }
    })?;
    Ok(Answer {
        status,
        headers,
        body,
        elapsed,
    })
}
