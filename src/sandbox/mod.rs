//! The embedded reference gateway.
//!
//! One server speaks three gateways' wire formats, each under its own path prefix:
//! Braintree's XML API under `/merchants/{merchant_id}/`, Rapyd's signed JSON API under
//! `/v1/`, Chargebee's form-encoded API under `/api/v2/`. Scenario suites run without
//! credentials, and the gateways' official client libraries can talk to it unchanged.
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
//! Each gateway has the same files for the same roles: `routes`, `auth`, `vault`,
//! `params`, `errors`, `render`, then one file per resource. Shared by the three:
//! `card` (number checks, brands, expiry, what is kept of a number), `field` (a field
//! that is absent, cleared or set), `clock` (the time every handler reads; see
//! [`router_with_clock`]), `state` (the lock a vault sits behind), `ids`, `countries` and
//! `basic_auth`. From outside itself the sandbox uses only `wire`, `mask`, `signature`
//! and `server`.
//!
//! Choices and known differences from each gateway are listed in `braintree/mod.rs`,
//! `rapyd/mod.rs` and `chargebee/mod.rs`.

mod basic_auth;
mod braintree;
mod card;
mod chargebee;
pub mod clock;
pub mod countries;
mod field;
pub mod ids;
mod rapyd;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use self::clock::{SharedClock, SystemClock};
use crate::server::BackgroundServer;

/// How the sandbox is set up: each gateway's credentials.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    /// Braintree's merchant id and API keys.
    pub braintree: BraintreeCredentials,
    /// Rapyd's access and secret keys, and where its webhooks go.
    pub rapyd: RapydSettings,
    /// Chargebee's API key.
    pub chargebee: ChargebeeSettings,
    /// Which gateways are served (all by default).
    pub serves: Gateways,
}

/// Which of the reference gateway's APIs a sandbox serves. A run that needs one API
/// starts only that one: building every router is a noticeable part of a test
/// process that runs a single scenario (nextest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gateways {
    /// Braintree's XML/JSON API under `/merchants/`.
    pub braintree: bool,
    /// Rapyd's signed JSON API under `/v1/`.
    pub rapyd: bool,
    /// Chargebee's form API under `/api/v2/`.
    pub chargebee: bool,
}

impl Gateways {
    /// Every gateway.
    pub const ALL: Gateways = Gateways {
        braintree: true,
        rapyd: true,
        chargebee: true,
    };

    /// The gateways named by `apis` (`braintree`, `rapyd`, `chargebee`; other names
    /// are not the sandbox's and are ignored).
    pub fn named<'a>(apis: impl IntoIterator<Item = &'a str>) -> Gateways {
        let mut serves = Gateways {
            braintree: false,
            rapyd: false,
            chargebee: false,
        };
        for api in apis {
            match api {
                "braintree" => serves.braintree = true,
                "rapyd" => serves.rapyd = true,
                "chargebee" => serves.chargebee = true,
                _ => {}
            }
        }
        serves
    }
}

impl Default for Gateways {
    /// [`Gateways::ALL`].
    fn default() -> Self {
        Gateways::ALL
    }
}

/// The keys the Rapyd API accepts and signs webhooks with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RapydSettings {
    /// The `access_key` header every request carries.
    pub access_key: String,
    /// The secret key request signatures are made with.
    pub secret_key: String,
    /// Where webhooks are posted; none are sent when unset.
    pub webhook_url: Option<String>,
}

impl Default for RapydSettings {
    /// `sandbox_access`, `sandbox_secret`, no webhook URL.
    fn default() -> Self {
        RapydSettings {
            access_key: "sandbox_access".into(),
            secret_key: "sandbox_secret".into(),
            webhook_url: None,
        }
    }
}

/// The API key the Chargebee API accepts (basic-auth user name, empty password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargebeeSettings {
    /// The API key.
    pub api_key: String,
}

impl Default for ChargebeeSettings {
    /// `sandbox_api_key`.
    fn default() -> Self {
        ChargebeeSettings {
            api_key: "sandbox_api_key".into(),
        }
    }
}

/// The merchant and API keys the Braintree API accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BraintreeCredentials {
    /// The merchant id in every path (`/merchants/{merchant_id}/…`).
    pub merchant_id: String,
    /// The basic-auth user name.
    pub public_key: String,
    /// The basic-auth password.
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

/// The sandbox's HTTP API, on fresh, empty vaults, on the system's clock.
pub fn router(config: SandboxConfig) -> axum::Router {
    router_with_clock(config, Arc::new(SystemClock))
}

/// Like [`router`], with every gateway reading the time from `clock` (a
/// [`ManualClock`](clock::ManualClock) in tests of time-bound rules).
pub fn router_with_clock(config: SandboxConfig, clock: SharedClock) -> axum::Router {
    let mut routers = Vec::with_capacity(3);
    if config.serves.braintree {
        routers.push(braintree::router(config.braintree, clock.clone()));
    }
    if config.serves.rapyd {
        routers.push(rapyd::router(config.rapyd, clock.clone()));
    }
    if config.serves.chargebee {
        routers.push(chargebee::router(config.chargebee, clock));
    }
    // Merging copies every route into the other router: with one gateway (a nextest
    // process runs one scenario) its router is used as it is.
    let mut routers = routers.into_iter();
    let first = routers.next().unwrap_or_default();
    routers
        .fold(first, axum::Router::merge)
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
}

/// A running sandbox server.
#[derive(Debug)]
pub struct Sandbox {
    server: BackgroundServer,
}

impl Sandbox {
    /// Binds `127.0.0.1` on a free port and serves on the current tokio runtime. Returns
    /// once the listener is bound, so requests can be sent right away.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Self::bind(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Like [`Sandbox::start`], on the given address (`gatecheck serve --port N`).
    pub async fn bind(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Sandbox> {
        let server = BackgroundServer::bind(addr, router(config)).await?;
        Ok(Sandbox { server })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// Stops accepting connections and waits (boundedly) for requests in flight.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
