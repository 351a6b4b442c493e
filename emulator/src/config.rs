//! The emulator's scenario: the user pool, its app clients and the API in front of it.
//!
//! [`Config::default`] is the seed's reference scenario; a TOML file can describe any other
//! (see [`crate::config_file`] for the format, and `emulator/demo.toml` for the default written out).

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// Port of the emulator's main listener unless told otherwise.
pub const DEFAULT_PORT: u16 = 9090;
/// Port of the static site listener when `--static` is given without `--static-port`.
pub const DEFAULT_STATIC_PORT: u16 = 8080;
/// Access-token validity of a client that does not say (Cognito's default, one hour).
pub const DEFAULT_VALIDITY_SECS: u64 = 3600;
/// Cognito allows at most one day for an access token.
pub const MAX_VALIDITY_SECS: u64 = 86_400;

/// The `Access-Control-Allow-Headers` API Gateway's console puts on the OPTIONS mock when enabling CORS.
pub const DEFAULT_CORS_ALLOW_HEADERS: [&str; 5] = [
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

/// The seed's three pets, byte for byte what `GET /pets` answers.
pub const PETS_JSON: &str = r#"[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]"#;

/// How the emulated API answers CORS (the token endpoint always sends `Access-Control-Allow-Origin: *`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CorsMode {
    /// Preflight answered; CORS headers on every API response, the authorizer's 401 and the 403 included.
    #[default]
    Full,
    /// No CORS at all: preflights get 403 Missing Authentication Token, no header anywhere on the API.
    None,
    /// Preflight answered and headers on integration responses only: the Gateway Responses (401, 403, 413)
    /// lack them, the common misconfiguration.
    SuccessOnly,
}

impl FromStr for CorsMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" => Ok(CorsMode::Full),
            "none" => Ok(CorsMode::None),
            "success-only" | "success_only" => Ok(CorsMode::SuccessOnly),
            other => Err(format!(
                "unknown CORS mode \"{other}\": use full, none or success-only"
            )),
        }
    }
}

impl fmt::Display for CorsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CorsMode::Full => "full",
            CorsMode::None => "none",
            CorsMode::SuccessOnly => "success-only",
        })
    }
}

/// A resource server of the pool: scopes are named `identifier/scope`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceServer {
    pub identifier: String,
    /// Scope names without the identifier (`example`, not `demo/example`).
    pub scopes: Vec<String>,
}

impl ResourceServer {
    /// The full scope strings, `identifier/name`.
    pub fn full_scopes(&self) -> impl Iterator<Item = String> + '_ {
        self.scopes
            .iter()
            .map(move |s| format!("{}/{}", self.identifier, s))
    }
}

/// Cognito keeps at most two active secrets per app client (`AddUserPoolClientSecret`), so a secret can be
/// rotated without downtime.
pub const MAX_SECRETS: usize = 2;

/// An app client of the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppClient {
    pub id: String,
    /// The active secrets (at most [`MAX_SECRETS`]); any of them authenticates the client. Empty is a
    /// public client (no secret): it cannot use client credentials.
    pub secrets: Vec<String>,
    /// Whether the client credentials flow is enabled for this client.
    pub client_credentials: bool,
    /// `ALLOW_CLIENT_TOKEN_AUTH` as the client's only explicit auth flow: it may call GetClientToken.
    pub client_token_auth: bool,
    /// Full scope strings the client may ask for; a token request without `scope` gets all of them.
    pub allowed_scopes: Vec<String>,
    /// Access-token validity in seconds (`expires_in`).
    pub access_token_validity: u64,
    /// The authorization code grant through managed login (`AllowedOAuthFlows` `code`). Cognito does not
    /// combine it with client credentials on one client.
    pub authorization_code: bool,
    /// Where managed login may send the user back with a code (`CallbackURLs`), compared exactly.
    pub callback_urls: Vec<String>,
    /// Where `/logout` may send the user (`LogoutURLs`), compared exactly.
    pub logout_urls: Vec<String>,
}

/// A user of the pool who can sign in through managed login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub password: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

/// Scopes an authorization-code client may have without a resource server (OpenID Connect's and Cognito's).
pub const STANDARD_SCOPES: [&str; 5] = [
    "openid",
    "email",
    "profile",
    "phone",
    "aws.cognito.signin.user.admin",
];

/// Who guards an API method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization {
    /// A `COGNITO_USER_POOLS` authorizer on the pool.
    CognitoUserPools,
    /// A REST API `JWT` authorizer (see [`JwtAuthorizer`]): issuer, audience, then the method's scopes;
    /// a valid token without them gets 403 (the Cognito authorizer answers 401).
    Jwt,
    /// No authorizer: anyone may call (a misconfiguration, useful for security findings).
    None,
}

/// One method of the REST API stage, answered by a mock integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiMethod {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS` or `ANY`.
    pub method: String,
    /// Path relative to the stage, e.g. `/pets/{id}`; `{name+}` as the last segment matches the rest.
    pub path: String,
    pub authorization: Authorization,
    /// With [`Authorization::Jwt`]: the [`JwtAuthorizer`]'s name (`None`: the first one).
    pub authorizer: Option<String>,
    /// Authorization scopes. Empty with the Cognito authorizer means API Gateway expects an ID token; with
    /// a JWT authorizer, that any valid token will do. Otherwise the token needs at least one of them.
    pub scopes: Vec<String>,
    /// Status of the integration response.
    pub status: u16,
    /// JSON text answered; `{name}` is replaced by the (JSON-escaped) path parameter. `None` answers `{}`.
    pub body: Option<String>,
    /// Answer the request's own JSON body instead of `body`.
    pub echo: bool,
    /// What `GET /_emulator/export` says guards this method, when it differs from what the stage
    /// enforces: a test scenario's deliberate misconfiguration (the definition names an authorizer
    /// the deployed method lacks). `None`: the export shows `authorization`.
    pub export_authorization: Option<Authorization>,
    /// How long the integration takes before it answers (a slow backend), in milliseconds.
    pub delay_ms: u64,
}

impl ApiMethod {
    /// `GET <path>` deployed with no authorizer while the export says the Cognito authorizer
    /// guards it: the misconfiguration an authorization matrix must report as a SECURITY FINDING
    /// (the tests of the page, the command line and the emulator add it to the demo API).
    pub fn open_but_exported_as_cognito(path: &str, body: &str) -> Self {
        Self {
            method: "GET".into(),
            path: path.into(),
            authorization: Authorization::None,
            authorizer: None,
            scopes: Vec::new(),
            status: 200,
            body: Some(body.into()),
            echo: false,
            export_authorization: Some(Authorization::CognitoUserPools),
            delay_ms: 0,
        }
    }
}

impl AppClient {
    /// Whether `secret` is one of the client's active secrets (compared exactly: no decoding).
    pub fn accepts_secret(&self, secret: &str) -> bool {
        self.secrets.iter().any(|s| s == secret)
    }
}

/// A REST API JWT authorizer: the issuer it trusts and the audiences it accepts from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtAuthorizer {
    pub name: String,
    /// The trusted `iss`, exactly. `None` is the emulated pool's own issuer (`<base url>/<pool id>`).
    pub issuer: Option<String>,
    /// Accepted audiences, compared with the token's `aud`, or with `client_id` when the token has no
    /// `aud` (Cognito access tokens: their `client_id` is the app client id).
    pub audiences: Vec<String>,
}

/// Everything the emulator needs to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub pool_id: String,
    pub region: String,
    pub resource_servers: Vec<ResourceServer>,
    pub clients: Vec<AppClient>,
    /// Users who can sign in through managed login (`/oauth2/authorize`).
    pub users: Vec<User>,
    /// API Gateway stage name: the API lives under `/<stage>`.
    pub stage: String,
    pub methods: Vec<ApiMethod>,
    /// The REST API's JWT authorizers, used by methods with [`Authorization::Jwt`].
    pub jwt_authorizers: Vec<JwtAuthorizer>,
    pub cors: CorsMode,
    /// `Access-Control-Allow-Headers` of the API's OPTIONS mock, answered as configured whatever the
    /// preflight asks (a header not listed makes the browser refuse the call). Default: the list API
    /// Gateway's console sets when enabling CORS ([`DEFAULT_CORS_ALLOW_HEADERS`]).
    pub cors_allow_headers: Vec<String>,
    pub bind: IpAddr,
    /// 0 picks any free port.
    pub port: u16,
    /// The origin clients use to reach the emulator (e.g. behind a proxy); also the token issuer's base.
    pub public_url: Option<String>,
    /// Serve this folder as a static site on a second listener.
    pub static_dir: Option<PathBuf>,
    /// Port of the static listener (0 picks any free port).
    pub static_port: u16,
    /// PKCS#8 (or PKCS#1) PEM of the RSA signing key; `None` generates a 2048-bit key at start.
    pub key_pem: Option<String>,
    /// Overrides every client's access-token validity (seconds).
    pub token_validity: Option<u64>,
}

impl Config {
    /// All full scope strings defined by the resource servers.
    pub fn defined_scopes(&self) -> Vec<String> {
        self.resource_servers
            .iter()
            .flat_map(ResourceServer::full_scopes)
            .collect()
    }

    /// The JWT authorizer a method uses: the one it names, or the first.
    pub fn jwt_authorizer(&self, method: &ApiMethod) -> Option<&JwtAuthorizer> {
        match &method.authorizer {
            Some(name) => self.jwt_authorizers.iter().find(|a| &a.name == name),
            None => self.jwt_authorizers.first(),
        }
    }

    /// The client the banner shows: the first one that can get a token.
    pub fn demo_client(&self) -> Option<&AppClient> {
        self.clients
            .iter()
            .find(|c| c.client_credentials && !c.secrets.is_empty())
    }
}

/// A configuration that cannot be used, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, when the configuration was loaded from one.
    pub file: Option<PathBuf>,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    /// The key at fault, as a path such as `clients[1].allowed_scopes`.
    pub key: Option<String>,
    pub message: String,
}

impl ConfigError {
    pub(crate) fn at(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            file: None,
            line: None,
            key: Some(key.into()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{}", file.display())?,
            None => f.write_str("configuration")?,
        }
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}
