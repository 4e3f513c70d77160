//! HTTP plumbing shared by the Braintree handlers: reading XML bodies, writing XML
//! answers, and gzip.

use std::io::Write;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Map, Value};

use super::errors::{Rejection, echo};
use super::params::{ParamError, body_object};
use super::render::to_xml;
use crate::wire::xml;

/// The content type of every XML answer.
pub const XML: &str = "application/xml; charset=utf-8";

/// A request that cannot be read: 400 with a plain-text explanation.
pub fn bad_request(message: impl std::fmt::Display) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{message}\n"),
    )
        .into_response()
}

/// Decodes a request body. An empty body is `None`.
pub fn read_body(body: &str) -> Result<Option<Value>, ParamError> {
    if body.trim().is_empty() {
        return Ok(None);
    }
    xml::decode(body)
        .map(Some)
        .map_err(|e| ParamError(format!("could not read the request body: {e}")))
}

/// Decodes a request body and reads the parameters under its root element (`customer`,
/// `payment_method`, `address`); returns the decoded tree too, for the error echo.
pub fn read_params<T>(
    body: &str,
    root: &str,
    parse: impl FnOnce(&Map<String, Value>) -> Result<T, ParamError>,
) -> Result<(Option<Value>, T), ParamError> {
    let tree = read_body(body)?;
    let params = parse(&body_object(tree.as_ref(), root)?)?;
    Ok((tree, params))
}

/// The 422 answer: the `<api-error-response>` document, echoing the request and the ids in its path.
pub fn unprocessable(
    rejection: &Rejection,
    request: Option<Value>,
    path_ids: &[(&str, &str)],
) -> Response {
    xml_answer(
        StatusCode::UNPROCESSABLE_ENTITY,
        &rejection.to_document(echo(request, path_ids)),
    )
}

/// An XML answer with Braintree's content type.
pub fn xml_answer(status: StatusCode, tree: &Value) -> Response {
    match to_xml(tree) {
        Ok(body) => (status, [(header::CONTENT_TYPE, XML)], body).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("could not write the answer: {e}\n"),
        )
            .into_response(),
    }
}

/// An answer with an empty body (404, and 200 after a delete).
pub fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// Whether `Accept-Encoding` allows gzip (`gzip`, `x-gzip` or `*`, with a q above 0).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            matches!(coding.as_str(), "gzip" | "x-gzip" | "*") && !refused
        })
}

/// Middleware: gzips every non-empty answer when the request accepts gzip. (The Ruby
/// client reads a body only when it carries `Content-Encoding: gzip`.) Empty bodies
/// stay empty, with no `Content-Encoding`.
pub async fn gzip(request: Request, next: Next) -> Response {
    let accepts = accepts_gzip(request.headers());
    let response = next.run(request).await;
    if !accepts || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let Ok(compressed) = encoder.write_all(&bytes).and_then(|()| encoder.finish()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Response::from_parts(parts, Body::from(compressed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn reads_accept_encoding() {
        assert!(accept("gzip"));
        assert!(accept("deflate, gzip;q=0.5"));
        assert!(accept("*"));
        assert!(!accept("gzip;q=0"));
        assert!(!accept("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
