//! An axum app served in the background on the current tokio runtime, with a bounded
//! shutdown. The embedded gateway and the webhook receiver both run this way.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a shutdown waits for requests in flight before dropping them: a client
/// that keeps a request half-sent must not hang the end of a run.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A server started by [`BackgroundServer::bind`].
#[derive(Debug)]
pub struct BackgroundServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl BackgroundServer {
    /// Binds `addr` (port 0 picks a free one) and serves `app`. Returns once the
    /// listener is bound, so requests can be sent right away.
    pub async fn bind(addr: SocketAddr, app: axum::Router) -> std::io::Result<BackgroundServer> {
        Self::serve(TcpListener::bind(addr).await?, app)
    }

    /// Serves `app` on a listener already bound (when the app needs its address).
    pub fn serve(listener: TcpListener, app: axum::Router) -> std::io::Result<BackgroundServer> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender also stops the server.
                    let _ = stopped.await;
                })
                .await
        });
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
            task.abort();
        }
    }
}
