//! Authentication schemes a target can use, and how each signs a request.

use base64::Engine as _;
use serde::Deserialize;

use crate::spec::template::Template;

/// How requests to a target's API authenticate, as written in `gatecheck.yaml`:
/// `none`, or a map with one key naming the scheme (`{ basic: { username, password } }`).
#[derive(Debug, Clone, Default)]
pub enum AuthConfig {
    /// No credentials.
    #[default]
    None,
    /// HTTP basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// User name (Braintree: public key; Chargebee: API key).
        username: Template,
        /// Password (Braintree: private key; Chargebee: empty).
        password: Template,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token.
        token: Template,
    },
    /// A header of your choosing carrying a key.
    Header {
        /// Header name, e.g. `X-Api-Key`.
        name: String,
        /// Header value.
        value: Template,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicFields {
    username: Template,
    #[serde(default)]
    password: Option<Template>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BearerFields {
    token: Template,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderFields {
    name: String,
    value: Template,
}

const SCHEMES: [&str; 4] = ["none", "basic", "bearer", "header"];

impl<'de> Deserialize<'de> for AuthConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        let unknown = |name: &str| {
            D::Error::custom(format!(
                "unknown auth scheme `{name}`{}; schemes: none, basic {{ username, password }}, bearer {{ token }}, header {{ name, value }}",
                crate::spec::suggest::did_you_mean(name, &SCHEMES)
            ))
        };
        let (scheme, fields) = match value {
            serde_json::Value::String(s) if s == "none" => return Ok(AuthConfig::None),
            serde_json::Value::String(s) => return Err(unknown(&s)),
            serde_json::Value::Object(map) if map.len() == 1 => map
                .into_iter()
                .next()
                .ok_or_else(|| D::Error::custom("empty auth"))?,
            _ => {
                return Err(D::Error::custom(
                    "`auth` is `none` or a map with one scheme, e.g. `{ basic: { username: ..., password: ... } }`",
                ));
            }
        };
        let field_error = |e: serde_json::Error| D::Error::custom(format!("auth.{scheme}: {e}"));
        match scheme.as_str() {
            "none" => Ok(AuthConfig::None),
            "basic" => {
                let f: BasicFields = serde_json::from_value(fields).map_err(field_error)?;
                let password = match f.password {
                    Some(p) => p,
                    None => Template::parse("").map_err(D::Error::custom)?,
                };
                Ok(AuthConfig::Basic {
                    username: f.username,
                    password,
                })
            }
            "bearer" => {
                let f: BearerFields = serde_json::from_value(fields).map_err(field_error)?;
                Ok(AuthConfig::Bearer { token: f.token })
            }
            "header" => {
                let f: HeaderFields = serde_json::from_value(fields).map_err(field_error)?;
                Ok(AuthConfig::Header {
                    name: f.name,
                    value: f.value,
                })
            }
            other => Err(unknown(other)),
        }
    }
}

impl AuthConfig {
    /// The templates holding credentials, so their rendered values count as secrets.
    pub fn templates(&self) -> Vec<&Template> {
        match self {
            AuthConfig::None => vec![],
            AuthConfig::Basic { username, password } => vec![username, password],
            AuthConfig::Bearer { token } => vec![token],
            AuthConfig::Header { value, .. } => vec![value],
        }
    }
}

/// Credentials with their values resolved from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No credentials.
    None,
    /// HTTP basic.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// Bearer token.
    Bearer(String),
    /// A named header.
    Header(String, String),
}

impl Auth {
    /// The headers this scheme adds to a request.
    ///
    /// ```
    /// use gatecheck::target::auth::Auth;
    /// let auth = Auth::Basic { username: "u".into(), password: "p".into() };
    /// assert_eq!(auth.headers(), [("Authorization".to_string(), "Basic dTpw".to_string())]);
    /// // Chargebee: the API key as user name and an empty password, base64("key:").
    /// let auth = Auth::Basic { username: "key".into(), password: String::new() };
    /// assert_eq!(auth.headers()[0].1, "Basic a2V5Og==");
    /// ```
    pub fn headers(&self) -> Vec<(String, String)> {
        match self {
            Auth::None => vec![],
            Auth::Basic { username, password } => {
                let token = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{password}"));
                vec![("Authorization".into(), format!("Basic {token}"))]
            }
            Auth::Bearer(token) => vec![("Authorization".into(), format!("Bearer {token}"))],
            Auth::Header(name, value) => vec![(name.clone(), value.clone())],
        }
    }

    /// Every credential value, to be masked wherever output could show it. The
    /// encoded forms (the basic header) are included, since they leak just as well.
    pub fn secrets(&self) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Auth::None => vec![],
            Auth::Basic { username, password } => vec![username.clone(), password.clone()],
            Auth::Bearer(token) => vec![token.clone()],
            Auth::Header(_, value) => vec![value.clone()],
        };
        out.extend(self.headers().into_iter().map(|(_, v)| v));
        out.retain(|s| !s.is_empty());
        out
    }
}
