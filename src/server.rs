//! An axum app served in the background on the current tokio runtime, with read
//! timeouts and a bounded shutdown. The embedded gateway and the webhook receiver both
//! run this way.
//!
//! Connections are served by hyper directly rather than through `axum::serve`, which
//! has no way to set read timeouts: a client that sent half a request and stalled kept
//! its connection, and a task, forever.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower_service::Service as _;

/// How long a shutdown waits for requests in flight before dropping them: a client
/// that keeps a request half-sent must not hang the end of a run.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The default for both [`ReadTimeouts`]: far more than a client on a local network or
/// a tunnel needs to send a request the size of the body limit.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client may take to send a request before its connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadTimeouts {
    /// From the moment the server waits for a request (a new connection, or the end of
    /// the previous answer on a kept-alive one) to the end of the request's headers. An
    /// idle kept-alive connection is closed after this long too.
    pub header: Duration,
    /// From the end of the headers to the end of the body. A handler reading the body
    /// gets an error; the connection is closed after the answer.
    pub body: Duration,
}

impl Default for ReadTimeouts {
    fn default() -> Self {
        ReadTimeouts {
            header: READ_TIMEOUT,
            body: READ_TIMEOUT,
        }
    }
}

/// A server started by [`BackgroundServer::bind`].
#[derive(Debug)]
pub struct BackgroundServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl BackgroundServer {
    /// Binds `addr` (port 0 picks a free one) and serves `app` with the default
    /// [`ReadTimeouts`]. Returns once the listener is bound, so requests can be sent
    /// right away.
    pub async fn bind(addr: SocketAddr, app: axum::Router) -> std::io::Result<BackgroundServer> {
        Self::serve(TcpListener::bind(addr).await?, app)
    }

    /// Serves `app` on a listener already bound (when the app needs its address), with
    /// the default [`ReadTimeouts`].
    pub fn serve(listener: TcpListener, app: axum::Router) -> std::io::Result<BackgroundServer> {
        Self::serve_with(listener, app, ReadTimeouts::default())
    }

    /// Serves `app` on a listener already bound, cutting off clients slower than
    /// `timeouts`. HTTP/1.1 only: the gateway and the receiver speak nothing else.
    pub fn serve_with(
        listener: TcpListener,
        app: axum::Router,
        timeouts: ReadTimeouts,
    ) -> std::io::Result<BackgroundServer> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(accept_loop(listener, app, timeouts, stopped));
        Ok(BackgroundServer { addr, stop, task })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits up to [`SHUTDOWN_GRACE`] for requests in
    /// flight, then drops them.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
            .await
            .is_err()
        {
            // The connections live in the task's `JoinSet`: aborting it ends them too.
            task.abort();
        }
    }
}

/// Accepts connections until `stopped` fires (or its sender is dropped), then asks
/// every connection to finish its request in flight and waits for them.
async fn accept_loop(
    listener: TcpListener,
    app: axum::Router,
    timeouts: ReadTimeouts,
    mut stopped: oneshot::Receiver<()>,
) {
    let (closing, close) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => accepted,
            // Reap finished connections so the set does not grow with every client.
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        match accepted {
            Ok((stream, _)) => {
                connections.spawn(connection(stream, app.clone(), timeouts, close.clone()));
            }
            Err(e) if is_connection_error(&e) => {}
            // Out of file descriptors and the like: accepting again at once would spin.
            // This backs off; it does not wait for anything to be ready.
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    drop(listener);
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

/// Errors that concern one connection, not the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection until the client is done, too slow, or the server stops.
async fn connection(
    stream: tokio::net::TcpStream,
    app: axum::Router,
    timeouts: ReadTimeouts,
    mut close: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let request = request.map(|body| Body::new(Deadline::new(body, timeouts.body)));
        let mut app = app.clone();
        async move { Ok::<Response, Infallible>(app.call(request).await.unwrap_or_else(|e| match e {})) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        // A connection error (the client left, or was too slow) ends the connection;
        // there is nobody to tell.
        _ = conn.as_mut() => return,
        _ = close.wait_for(|closing| *closing) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// A request body that fails once `timeout` has passed before its end.
struct Deadline {
    inner: Incoming,
    timeout: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(inner: Incoming, timeout: Duration) -> Deadline {
        Deadline {
            inner,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
        }
    }
}

/// The error a handler sees when a request body is not sent in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body was not received within {0:?}")]
struct BodyTimeout(Duration);

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(BodyTimeout(self.timeout).into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        http_body::Body::is_end_stream(&self.inner)
    }

    fn size_hint(&self) -> SizeHint {
        http_body::Body::size_hint(&self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpStream;

    /// Short enough for a quick test; the bound below is far longer, so that a loaded
    /// machine does not fail the test, and a server without timeouts does.
    const SHORT: Duration = Duration::from_millis(200);
    const BOUND: Duration = Duration::from_secs(10);

    async fn echo_server() -> BackgroundServer {
        let app = axum::Router::new().fallback(|body: Bytes| async move { body });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let timeouts = ReadTimeouts {
            header: SHORT,
            body: SHORT,
        };
        BackgroundServer::serve_with(listener, app, timeouts).unwrap()
    }

    /// Sends `request`, then reads until the server closes the connection; what it
    /// answered, or `None` if it was still open after [`BOUND`].
    async fn send_and_read_to_close(addr: SocketAddr, request: &[u8]) -> Option<String> {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(BOUND, stream.read_to_end(&mut answer)).await;
        // A reset is a close too.
        read.ok()
            .map(|_| String::from_utf8_lossy(&answer).into_owned())
    }

    #[tokio::test]
    async fn half_sent_headers_are_cut_off() {
        let server = echo_server().await;
        let answer = send_and_read_to_close(server.addr(), b"POST / HTTP/1.1\r\nHost: x\r\n").await;
        assert!(answer.is_some(), "the connection was still open");
        server.shutdown().await;
    }

    #[tokio::test]
    async fn half_sent_bodies_are_cut_off() {
        let server = echo_server().await;
        let answer = send_and_read_to_close(
            server.addr(),
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b",
        )
        .await
        .expect("the connection was still open");
        // The handler learnt the body would not come, and the client was told.
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        server.shutdown().await;
    }

    #[tokio::test]
    async fn whole_requests_are_answered_and_kept_alive() {
        let server = echo_server().await;
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        for _ in 0..2 {
            stream
                .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
                .await
                .unwrap();
            let mut buf = vec![0u8; 4096];
            let mut answer = String::new();
            while !answer.ends_with("hello") {
                let n = tokio::time::timeout(BOUND, stream.read(&mut buf))
                    .await
                    .unwrap()
                    .unwrap();
                assert!(n > 0, "closed early: {answer}");
                answer.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        }
        server.shutdown().await;
    }

    #[tokio::test]
    async fn shutdown_ends_idle_connections() {
        let server = echo_server().await;
        let mut idle = TcpStream::connect(server.addr()).await.unwrap();
        // The connection is accepted before shutdown begins once a request went through.
        idle.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = idle.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        tokio::time::timeout(BOUND, server.shutdown())
            .await
            .expect("shutdown took too long");
        let rest = tokio::time::timeout(BOUND, idle.read(&mut buf)).await;
        assert!(matches!(rest, Ok(Ok(0)) | Ok(Err(_))), "{rest:?}");
    }
}
