//! Building a request from a step (pure): render the templates, encode the body in
//! the API's wire format, layer the headers. Signing happens per attempt, in `send`.

use serde_json::Value;

use crate::mask::{HeaderList, Masked};
use crate::spec::model::{Request, StepAuth};
use crate::target::auth::Outgoing;
use crate::wire::Format;
use crate::wire::headers::set as set_header;

use super::context::{BaseUrl, RunContext};
use super::failure::FailureKind;
use super::outcome::RequestRecord;
use super::vars::Vars;

/// A request ready to send, but for its credentials: a signing scheme signs each
/// attempt afresh (a new salt and timestamp per retry).
pub(super) struct Prepared {
    pub(super) method: reqwest::Method,
    pub(super) url: reqwest::Url,
    /// Path and query exactly as they go on the wire, for signing.
    path_with_query: String,
    /// Every header but the generated credentials.
    headers: Vec<(String, String)>,
    /// Whether the target's auth scheme adds credentials.
    sign: bool,
    pub(super) body: Option<Vec<u8>>,
    /// The body's tree and wire format, from which the body as it may be shown is made
    /// only when the request is recorded (most passing steps never are).
    tree: Option<(Value, Format)>,
}

impl Prepared {
    /// Whether sending the request twice does no harm: an idempotent method (RFC 9110),
    /// or an idempotency key the target deduplicates by.
    pub(super) fn safe_to_repeat(&self) -> bool {
        self.method.is_idempotent()
            || self.headers.iter().any(|(name, value)| {
                name.to_ascii_lowercase().contains("idempotency") && !value.trim().is_empty()
            })
    }

    /// The headers of one attempt: the request's own plus freshly made credentials.
    pub(super) fn headers_to_send(&self, ctx: &RunContext) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        if self.sign {
            let generated = ctx.signer.sign(&Outgoing {
                method: self.method.as_str(),
                path_with_query: &self.path_with_query,
                body: self.body.as_deref().unwrap_or_default(),
                headers: &self.headers,
            });
            headers.extend(generated);
        }
        headers
    }

    /// The request as it may be shown, with the headers of the attempt that was made.
    pub(super) fn record(
        &self,
        ctx: &RunContext,
        headers: &[(String, String)],
    ) -> Masked<RequestRecord> {
        let body = self
            .tree
            .as_ref()
            .zip(self.body.as_ref())
            .map(|((tree, format), bytes)| {
                let mut masked = tree.clone();
                ctx.masker.value(&mut masked);
                match crate::wire::encode_body_as(*format, ctx.api.form_lists, &masked) {
                    Ok((b, _)) => String::from_utf8_lossy(&b).into_owned(),
                    Err(_) => ctx.masker.text(&String::from_utf8_lossy(bytes)),
                }
            });
        ctx.masker.mask(RequestRecord {
            method: self.method.to_string(),
            url: self.url.to_string(),
            headers: HeaderList(headers.to_vec()),
            body,
        })
    }
}

/// A value of the request could not be rendered.
fn unrendered(what: impl Into<String>, e: impl std::fmt::Display) -> FailureKind {
    FailureKind::Template {
        what: what.into(),
        message: e.to_string(),
    }
}

/// The URL of a request: the base URL, the path, and the encoded query. Parsed once
/// here and sent as parsed, so the path a scheme signs is the one on the wire,
/// percent-encoding included. A path the URL parser keeps as written (no dot
/// segments, nothing it would encode or read as a query, fragment or separator) is
/// set on the base URL parsed once per run instead: reading the whole URL again,
/// host included, was a measurable part of each request.
fn request_url(
    base_url: &str,
    parsed: Option<&BaseUrl>,
    path: &str,
    query: Option<&str>,
) -> Result<reqwest::Url, FailureKind> {
    if let Some(base) = parsed
        && kept_as_written(path)
    {
        let mut url = base.url.clone();
        url.set_path(&format!("{}{path}", base.path));
        url.set_query(query);
        return Ok(url);
    }
    let mut url = format!("{base_url}{path}");
    if let Some(query) = query {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(query);
    }
    reqwest::Url::parse(&url).map_err(|e| FailureKind::Other {
        message: format!("bad request URL {url:?}: {e}"),
    })
}

/// Whether the URL parser keeps `path`, appended to a base URL's path, as written: no
/// byte it would encode or read as a query, fragment or separator, and no segment
/// starting with a dot (so none is `.` or `..`).
fn kept_as_written(path: &str) -> bool {
    let mut previous = 0;
    path.starts_with('/')
        && path.bytes().all(|b| {
            let kept = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_'
                        | b'~'
                        | b'/'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b':'
                        | b'@'
                )
                || (b == b'.' && previous != b'/');
            previous = b;
            kept
        })
}

/// Builds `request` for `ctx`'s target with the variables known so far.
pub(super) fn prepare(
    request: &Request,
    ctx: &RunContext,
    vars: &Vars,
) -> Result<Prepared, FailureKind> {
    let path = request
        .path
        .render(vars)
        .map_err(|e| unrendered("request path", e))?;
    let mut query = None;
    if !request.query.is_empty() {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        for (name, t) in &request.query {
            let name = name
                .render(vars)
                .map_err(|e| unrendered(format!("query name `{name}`"), e))?;
            let value = t
                .render(vars)
                .map_err(|e| unrendered(format!("query `{name}`"), e))?;
            pairs.append_pair(&name, &value);
        }
        query = Some(pairs.finish());
    }
    let url = request_url(
        &ctx.api.base_url,
        ctx.base.as_ref(),
        &path,
        query.as_deref(),
    )?;
    let path_with_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let mut headers = ctx.api.headers.clone();
    let mut body = None;
    let mut shown = None;
    if let Some(template) = &request.body {
        let tree = template
            .render(vars)
            .map_err(|e| unrendered("request body", e))?;
        let format = request.format.unwrap_or(ctx.api.format);
        let (bytes, content_type) = crate::wire::encode_body_as(format, ctx.api.form_lists, &tree)
            .map_err(|message| FailureKind::Other { message })?;
        set_header(&mut headers, "Content-Type", content_type.to_string());
        shown = Some((tree, format));
        body = Some(bytes);
    }
    for (name, t) in &request.headers {
        let name = name
            .render(vars)
            .map_err(|e| unrendered(format!("header name `{name}`"), e))?;
        let value = t
            .render(vars)
            .map_err(|e| unrendered(format!("header `{name}`"), e))?;
        set_header(&mut headers, &name, value);
    }
    let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes()).map_err(|e| {
        FailureKind::Other {
            message: format!("method: {e}"),
        }
    })?;
    Ok(Prepared {
        method,
        url,
        path_with_query,
        headers,
        sign: request.auth == StepAuth::Target,
        body,
        tree: shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed_whole(base_url: &str, path: &str, query: Option<&str>) -> Option<String> {
        request_url(base_url, None, path, query)
            .ok()
            .map(|u| u.to_string())
    }

    #[test]
    fn a_base_url_that_reads_back_differently_is_not_reused() {
        assert!(BaseUrl::parse("http://127.0.0.1:9/v1").is_some());
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:9").map(|b| b.path),
            Some(String::new())
        );
        assert!(BaseUrl::parse("HTTP://Example.com/v1").is_none());
        assert!(BaseUrl::parse("http://x.invalid/v1?a=1").is_none());
        assert!(BaseUrl::parse("http://x.invalid/a/../b").is_none());
    }

    proptest! {
        #[test]
        fn setting_the_path_makes_the_url_parsing_the_whole_makes(
            base in prop::sample::select(vec![
                "http://127.0.0.1:8080",
                "http://127.0.0.1:8080/api/v2",
                "https://u:p%40@pay.example/merchants/m_1",
            ]),
            path in "[/a-z0-9._~:@%?#!$&'()*+,;= \\-]{0,16}",
            query in prop::option::of("[a-z0-9=&%+]{1,8}"),
        ) {
            let parsed = BaseUrl::parse(base);
            prop_assert!(parsed.is_some());
            let ours = request_url(base, parsed.as_ref(), &path, query.as_deref())
                .ok()
                .map(|u| u.to_string());
            prop_assert_eq!(ours, parsed_whole(base, &path, query.as_deref()));
        }
    }
}
