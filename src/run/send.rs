//! Sending a built request: the one place a request step does I/O. Rate limits are
//! respected (a 429 is waited out and retried, each attempt signed afresh), the
//! answer is read with a size bound and decoded into one JSON tree.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::build::Prepared;
use super::context::RunContext;
use super::failure::FailureKind;
use crate::mask::Masker;
use crate::spec::retry::RetryPolicy;
use crate::wire::headers::find as header;
use crate::wire::selection::Selection;

/// Most of an answer body kept in memory; larger ones are cut (and the step fails).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// An answer as received, before masking.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Value,
    pub(super) elapsed: Duration,
    /// The answer's bytes when `body` holds only the parts a selection reads.
    pub(super) partial: Option<Vec<u8>>,
}

impl Answer {
    /// Reads the whole body into `body`, if it holds only some of it.
    pub(super) fn read_whole(&mut self, masker: &Masker) -> Result<(), FailureKind> {
        if let Some(bytes) = self.partial.take() {
            self.body = decode(masker, self.status, &self.headers, &bytes, Reads::default())?.0;
        }
        Ok(())
    }
}

/// Characters of an undecodable answer shown in its failure, and bytes of it masked
/// to make them (enough that the cut falls far from what is shown).
const PREVIEW_CHARS: usize = 300;
const PREVIEW_READ: usize = 4096;

/// Times a 429 answer is retried when the step does not itself expect a 429.
const MAX_RETRIES_429: u32 = 3;
/// Longest `Retry-After` honoured; a longer one fails the step instead of stalling the run.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// What sending a request came to: the headers of the last attempt, its answer or why
/// there is none, and how many attempts were made.
pub(super) struct Sent {
    pub(super) headers: Vec<(String, String)>,
    pub(super) answer: Result<Answer, FailureKind>,
    pub(super) attempts: u32,
}

/// Sends, respecting rate limits: the target's pace is kept; a 429 is waited out (its
/// `Retry-After`, else 1 s, 2 s, 4 s) and retried, unless the step expects the 429
/// itself; and with a retry policy, a transient failure (a connection that fails, or
/// a status the policy names) of a request that is safe to repeat is tried again with
/// backoff and jitter. Each attempt is signed afresh.
///
/// An answer that decodes is read into a tree of what `reads` says (see
/// [`Answer::read_whole`]).
pub(super) async fn send(
    ctx: &RunContext,
    prepared: &Prepared,
    retry_429: bool,
    policy: Option<&RetryPolicy>,
    reads: Reads<'_, '_>,
) -> Sent {
    let policy = policy.filter(|_| prepared.safe_to_repeat());
    let mut limited = 0;
    let mut attempts = 0;
    loop {
        if let Some(pacer) = &ctx.pacer {
            pacer.wait().await;
        }
        let headers = prepared.headers_to_send(ctx);
        let result = send_once(ctx, prepared, &headers, reads).await;
        attempts += 1;
        let transient = match (&result, policy) {
            (Err(FailureKind::Transport { .. } | FailureKind::Unreachable { .. }), Some(p)) => {
                p.connection_errors
            }
            // A 429 the step expects is its answer, whatever the policy lists.
            (Ok(answer), Some(p)) => {
                p.retries_status(answer.status) && (answer.status != 429 || retry_429)
            }
            _ => false,
        };
        if let Some(p) = policy
            && transient
            && attempts < p.attempts
        {
            tokio::time::sleep(p.wait(attempts - 1, rand::random::<f64>())).await;
            continue;
        }
        let answer = match result {
            Ok(answer) => answer,
            Err(why) => {
                return Sent {
                    headers,
                    answer: Err(why),
                    attempts,
                };
            }
        };
        if answer.status != 429 || !retry_429 || limited >= MAX_RETRIES_429 {
            return Sent {
                headers,
                answer: Ok(answer),
                attempts,
            };
        }
        let asked = header(&answer.headers, "retry-after")
            .and_then(|v| retry_after(v, std::time::SystemTime::now()));
        let wait = asked.unwrap_or(Duration::from_secs(1 << limited));
        if wait > MAX_RETRY_AFTER {
            let message = format!(
                "status 429: the target asks to wait {}s before retrying (Retry-After), more than the {}s gatecheck waits; slow the suite down (`--jobs`, or the target's `rate_limit`) or expect the 429 in the step",
                wait.as_secs(),
                MAX_RETRY_AFTER.as_secs()
            );
            return Sent {
                headers,
                answer: Err(FailureKind::Answer { message }),
                attempts,
            };
        }
        tokio::time::sleep(wait).await;
        limited += 1;
    }
}

/// How long a `Retry-After` value asks to wait: seconds, or an HTTP date (RFC 9110),
/// counted from `now` (a date in the past means at once).
fn retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

async fn send_once(
    ctx: &RunContext,
    prepared: &Prepared,
    headers: &[(String, String)],
    reads: Reads<'_, '_>,
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
        let connect = e.is_connect() && !timeout;
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
        } else if connect {
            FailureKind::Unreachable { message }
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
                n.as_str().to_owned(),
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
    let (body, partial) = decode(&ctx.masker, status, &headers, &bytes, reads)?;
    Ok(Answer {
        status,
        headers,
        body,
        elapsed,
        partial: partial.then_some(bytes),
    })
}

/// What of an answer a step reads into its tree.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Reads<'a, 'p> {
    /// The parts read; all of it when `None`.
    pub(super) selection: Option<&'a Selection<'p>>,
    /// Read in part only when it is JSON: a snapshot keeps a JSON answer's text (its
    /// own pass reads it), and an answer in another format as its tree, read whole.
    pub(super) json_only: bool,
}

/// Decodes an answer's body by its content type (what `reads` says; the flag says
/// whether the tree is only a part). An undecodable body is an answer failure that
/// shows how it begins, masked.
fn decode(
    masker: &Masker,
    status: u16,
    headers: &[(String, String)],
    bytes: &[u8],
    reads: Reads<'_, '_>,
) -> Result<(Value, bool), FailureKind> {
    let content_type = header(headers, "content-type");
    let selection = reads.selection.filter(|_| {
        !reads.json_only
            || content_type.and_then(crate::wire::format_of) == Some(crate::wire::Format::Json)
    });
    crate::wire::decode_body_selected(content_type, bytes, selection).map_err(|why| {
        // Masked before it is cut, so that the cut cannot split a card number or a
        // CVV member and leave a part the masker no longer recognizes.
        let head = &bytes[..bytes.len().min(PREVIEW_READ)];
        let preview: String = masker
            .text(&String::from_utf8_lossy(head))
            .chars()
            .take(PREVIEW_CHARS)
            .collect();
        FailureKind::Answer {
            message: format!("status {status}: {why}; the body begins: {preview:?}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{SystemTime, UNIX_EPOCH};

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
        assert_eq!(retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", SystemTime::now()), None);
    }
}
