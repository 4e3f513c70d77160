//! The embedded reference gateway.
//!
//! It speaks Braintree's XML API (customers, their cards and addresses) over one
//! in-memory vault, so scenario suites run without credentials and Braintree's official
//! client libraries can talk to it unchanged.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use gatecheck::sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("Braintree API at {}/merchants/sandbox_merchant", sandbox.base_url());
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Choices and known differences from Braintree are listed in `braintree/mod.rs`.

mod braintree;
pub mod clock;
pub mod store;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How the sandbox is set up.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    pub braintree: BraintreeCredentials,
}

/// The merchant and API keys the Braintree API accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BraintreeCredentials {
    pub merchant_id: String,
    pub public_key: String,
    pub private_key: String,
}

impl Default for BraintreeCredentials {
    /// `sandbox_merchant`, `sandbox_public`, `sandbox_private`.
    fn default() -> Self {
        BraintreeCredentials {
            merchant_id: "sandbox_merchant".into(),
            public_key: "sandbox_public".into(),
            private_key: "sandbox_private".into(),
        }
    }
}

/// The sandbox's HTTP API, on a fresh, empty vault.
pub fn router(config: SandboxConfig) -> axum::Router {
    braintree::router(Arc::new(braintree::Gateway {
        credentials: config.braintree,
        store: Arc::new(store::Store::default()),
    }))
}

/// A running sandbox server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Sandbox {
    /// Binds `127.0.0.1` on a free port and serves on the current tokio runtime. Returns
    /// once the listener is bound, so requests can be sent right away.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Like [`Sandbox::start`], on the given address (`gatecheck serve --port N`).
    pub async fn bind(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(config);
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender also stops the server.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Sandbox { addr, stop, task })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for requests in flight to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
