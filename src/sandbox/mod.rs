//! The embedded reference gateway. (Placeholder until the gateway lands.)

/// Configuration of the embedded gateway.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Braintree credentials.
    pub braintree: BraintreeCredentials,
}

/// Braintree credentials.
#[derive(Debug, Clone, Default)]
pub struct BraintreeCredentials {
    /// Merchant id.
    pub merchant_id: String,
    /// Public key.
    pub public_key: String,
    /// Private key.
    pub private_key: String,
}

/// A running gateway.
pub struct Sandbox {
    addr: std::net::SocketAddr,
}

impl Sandbox {
    /// Starts on 127.0.0.1:0.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::bind(config, ([127, 0, 0, 1], 0).into()).await
    }
    /// Starts on `addr`.
    pub async fn bind(
        _config: SandboxConfig,
        _addr: std::net::SocketAddr,
    ) -> std::io::Result<Sandbox> {
        Err(std::io::Error::other("sandbox not merged yet"))
    }
    /// Address.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }
    /// Base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Stops.
    pub async fn shutdown(self) {}
}
