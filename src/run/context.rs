//! What the scenarios of one run on one API of one target share: the HTTP client,
//! the target's settings, the masker, snapshot settings and the webhook inbox.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::mask::Masker;
use crate::snapshot::{Memo, SnapshotMode, store};
use crate::target::ResolvedApi;
use crate::target::auth::Signer;
use crate::webhook::Inbox;

/// Everything shared by the scenarios of one run on one API of one target.
#[derive(Debug, Clone)]
pub struct RunContext {
    /// The HTTP client (connection pool shared by all scenarios).
    pub client: reqwest::Client,
    /// The target's settings for the API.
    pub api: ResolvedApi,
    /// Masks this target's secrets and card data.
    pub masker: Masker,
    /// Where snapshots live.
    pub snapshots_dir: PathBuf,
    /// What to do with snapshots.
    pub mode: SnapshotMode,
    /// Whether this is CI (missing snapshots fail).
    pub ci: bool,
    /// The run's webhook receiver's deliveries, when one is running.
    pub webhooks: Option<Arc<Inbox>>,
    /// Keeps to the target's request rate; shared by the contexts of all its APIs.
    pub pacer: Option<Arc<super::pace::Pacer>>,
    /// Whether steps record what they saw for a comparison of targets (and the
    /// scenario's snapshot is not compared).
    pub observe: bool,
    /// What comparing snapshots remembers from scenario to scenario.
    pub snapshot_memo: Arc<Memo>,
    /// Signs requests with the API's credentials.
    pub(super) signer: Signer,
    /// The base URL parsed once, for the requests whose URL can be made from it
    /// without parsing the whole again (see `build::request_url`).
    pub(super) base: Option<BaseUrl>,
}

/// A base URL parsed, with its path as written (empty for `http://host`, which
/// parses to the path `/`).
#[derive(Debug, Clone)]
pub(super) struct BaseUrl {
    pub(super) url: reqwest::Url,
    pub(super) path: String,
}

impl BaseUrl {
    /// `base_url` parsed, when it reads back as written (bar an empty path) and has
    /// no query or fragment: then a path appended to it can be set on the parsed URL.
    pub(super) fn parse(base_url: &str) -> Option<BaseUrl> {
        let url = reqwest::Url::parse(base_url).ok()?;
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return None;
        }
        let path = if url.as_str() == base_url {
            url.path().to_string()
        } else if url.path() == "/" && url.as_str().strip_suffix('/') == Some(base_url) {
            String::new()
        } else {
            return None;
        };
        Some(BaseUrl { url, path })
    }
}

impl RunContext {
    /// A context with a fresh client, masking the API's secrets.
    pub fn new(
        api: ResolvedApi,
        snapshots_dir: PathBuf,
        mode: SnapshotMode,
    ) -> Result<RunContext, String> {
        let client = if api.base_url.starts_with("http://") {
            plain_http_client()?
        } else {
            http_client()?
        };
        Ok(RunContext {
            masker: Masker::new(api.secrets.iter().cloned()),
            client,
            signer: Signer::new(api.auth.clone()),
            base: BaseUrl::parse(&api.base_url),
            api,
            snapshots_dir,
            mode,
            ci: store::in_ci(),
            webhooks: None,
            pacer: None,
            observe: false,
            snapshot_memo: Arc::default(),
        })
    }

    /// This context with the run's webhook receiver, whose URL the scenarios see as
    /// `${webhook_url}`.
    pub fn with_webhooks(mut self, url: &str, inbox: Arc<Inbox>) -> RunContext {
        self.api.vars.insert(
            crate::spec::template::WEBHOOK_URL.to_string(),
            Value::String(url.to_string()),
        );
        self.webhooks = Some(inbox);
        self
    }
}

/// The HTTP client gatecheck sends with: gzip, no redirects (a redirect is something
/// a scenario should see), a connect timeout so a dead host fails fast.
pub fn http_client() -> Result<reqwest::Client, String> {
    build(client_builder())
}

/// [`http_client`] for a target served over plain HTTP (the embedded gateway, a local
/// one): it trusts no certificate, so building it does not read the system's
/// certificate store, which is most of the start of a short run (a conformance test
/// process). An `https` URL would fail to verify, never be trusted.
fn plain_http_client() -> Result<reqwest::Client, String> {
    build(client_builder().tls_certs_only(Vec::new()))
}

fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("gatecheck/", env!("CARGO_PKG_VERSION")))
}

fn build(builder: reqwest::ClientBuilder) -> Result<reqwest::Client, String> {
    builder
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}
