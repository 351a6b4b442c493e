//! A local stand-in for an Amazon Cognito user pool's token endpoint and JWKS, and for an API Gateway
//! REST API protected by a `COGNITO_USER_POOLS` authorizer — so the Cognito API Tester can be tried,
//! demonstrated and tested without AWS. It follows `docs/aws-behaviour.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cognito_emulator::StartError> {
//! let mut config = cognito_emulator::Config::default();
//! config.port = 0; // any free port
//! let running = cognito_emulator::start(config).await?;
//! println!("{}", running.banner());
//! running.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod authorizer;
pub mod config;
pub mod config_file;
mod control;
mod cors;
mod export;
mod faults;
mod gateway;
mod idp;
pub mod keys;
mod managed_login;
mod oauth_error;
mod respond;
mod routes;
mod seed;
mod state;
pub mod static_files;
mod templates;
mod token;
mod user_sessions;
mod user_tokens;
mod validate;
mod well_known;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use api::API_BODY_LIMIT;
pub use config::{
    ApiMethod, AppClient, Authorization, Config, ConfigError, CorsMode, ResourceServer, User,
    MAX_SECRETS, PETS_JSON, STANDARD_SCOPES,
};
pub use faults::{CLOSE_MID_BODY_DECLARED, MAX_BIG_MB, XSS_PROBES};
pub use keys::{generate_key_pem, KeyError};
pub use seed::{DEMO_USER, SPECIAL_SECRET_CLIENT, USER_CLIENT_SECRET};
pub use token::{TokenFault, MAX_DELAY_MS, TOKEN_BODY_LIMIT};

use keys::{KeyStore, SigningKey};
use state::AppState;

/// Which listener could not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    /// The emulator's own port (`--port`).
    Main,
    /// The static site's port (`--static-port`).
    Static,
}

impl Listener {
    fn flag(self) -> &'static str {
        match self {
            Listener::Main => "--port",
            Listener::Static => "--static-port",
        }
    }
}

/// Why the emulator did not start.
#[derive(Debug)]
pub enum StartError {
    /// The configuration breaks a rule.
    Config(ConfigError),
    /// The signing key could not be read or generated.
    Key(KeyError),
    /// Another process listens on the port.
    PortInUse {
        ip: IpAddr,
        port: u16,
        listener: Listener,
    },
    /// Any other failure to listen (permission, unknown address, ...).
    Bind {
        addr: SocketAddr,
        listener: Listener,
        reason: String,
    },
    /// The static folder is missing or not a folder.
    StaticDir {
        dir: std::path::PathBuf,
        reason: String,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Config(e) => write!(f, "invalid configuration: {e}"),
            StartError::Key(e) => write!(f, "signing key: {e}"),
            StartError::PortInUse { ip, port, listener } => write!(
                f,
                "port {port} on {ip} is already in use — stop the other process or pass {}",
                listener.flag()
            ),
            StartError::Bind {
                addr,
                listener,
                reason,
            } => write!(
                f,
                "cannot listen on {addr}: {reason} — pick another address or pass {}",
                listener.flag()
            ),
            StartError::StaticDir { dir, reason } => {
                write!(f, "static folder {}: {reason}", dir.display())
            }
        }
    }
}

impl std::error::Error for StartError {}

async fn bind(ip: IpAddr, port: u16, listener: Listener) -> Result<TcpListener, StartError> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            StartError::PortInUse { ip, port, listener }
        } else {
            StartError::Bind {
                addr,
                listener,
                reason: e.to_string(),
            }
        }
    })
}

/// The warning [`Running::exposure_warning`] gives for a listener on `addr`.
fn exposure_warning(addr: SocketAddr) -> Option<String> {
    if addr.ip().is_loopback() {
        return None;
    }
    Some(format!(
        "WARNING: listening on {addr}, reachable from other machines. The emulator is not a security \
         boundary: its /_emulator/* control routes have no authentication and allow any origin (CORS *), \
         so anyone who can reach this address can switch faults on, rotate keys and get demo tokens. \
         Use --bind 127.0.0.1 unless you mean it."
    ))
}

/// `http://ip:port`, using loopback when bound to every interface.
fn origin_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

fn spawn_server(
    listener: TcpListener,
    router: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let signal = async move {
            // Ends when told to stop or when the sender is gone.
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(signal)
            .await
        {
            eprintln!("cognito-emulator: server stopped: {e}");
        }
    })
}

/// The signing key the configuration names, or a new one.
fn signing_key(config: &Config) -> Result<SigningKey, StartError> {
    match &config.key_pem {
        Some(pem) => SigningKey::from_pem(pem),
        None => SigningKey::generate(),
    }
    .map_err(StartError::Key)
}

/// The emulator as an axum [`Router`](axum::Router), to serve yourself or to call in-process without a
/// socket (e.g. with `tower::ServiceExt::oneshot`). `base_url` is the origin clients use: the base of
/// the token issuer and of the discovery document's URLs. Without `key_pem` a new key is generated
/// (this blocks for a moment).
pub fn app(config: Config, base_url: &str) -> Result<axum::Router, StartError> {
    config.validate().map_err(StartError::Config)?;
    let key = signing_key(&config)?;
    let base_url = base_url.trim_end_matches('/').to_string();
    let state = Arc::new(AppState::new(config, base_url, KeyStore::new(key)));
    Ok(routes::router(state))
}

/// Starts the emulator: binds its listener(s) and serves in background tokio tasks.
pub async fn start(config: Config) -> Result<Running, StartError> {
    config.validate().map_err(StartError::Config)?;
    // Pick the RustCrypto backend explicitly, so feature unification elsewhere cannot leave none chosen.
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    if let Some(dir) = &config.static_dir {
        if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
            return Err(StartError::StaticDir {
                dir: dir.clone(),
                reason: "does not exist or is not a folder".into(),
            });
        }
    }
    let main_listener = bind(config.bind, config.port, Listener::Main).await?;
    let static_listener = match &config.static_dir {
        Some(_) => Some(bind(config.bind, config.static_port, Listener::Static).await?),
        None => None,
    };
    let key = match config.key_pem {
        Some(_) => signing_key(&config)?,
        None => tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .map_err(|e| KeyError::Generate(e.to_string()))
            .and_then(|r| r)
            .map_err(StartError::Key)?,
    };

    let local = main_listener.local_addr().map_err(|e| StartError::Bind {
        addr: SocketAddr::new(config.bind, config.port),
        listener: Listener::Main,
        reason: e.to_string(),
    })?;
    let base_url = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => origin_of(local),
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    let mut static_url = None;
    if let (Some(listener), Some(dir)) = (static_listener, config.static_dir.clone()) {
        if let Ok(addr) = listener.local_addr() {
            static_url = Some(origin_of(addr));
        }
        tasks.push(spawn_server(
            listener,
            static_files::router(dir),
            stop_rx.clone(),
        ));
    }
    let state = Arc::new(AppState::new(config, base_url, KeyStore::new(key)));
    tasks.push(spawn_server(
        main_listener,
        routes::router(Arc::clone(&state)),
        stop_rx,
    ));
    Ok(Running {
        state,
        local_addr: local,
        static_url,
        stop: stop_tx,
        tasks,
    })
}

/// A started emulator. Dropping it leaves the servers running until the runtime ends; call
/// [`Running::shutdown`] to stop them.
pub struct Running {
    state: Arc<AppState>,
    local_addr: SocketAddr,
    static_url: Option<String>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// The origin clients use, e.g. `http://127.0.0.1:9090` (the public URL override if set).
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The address the main listener is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The static site's origin, if static serving is on.
    pub fn static_url(&self) -> Option<String> {
        self.static_url.clone()
    }

    pub fn pool_id(&self) -> &str {
        &self.state.config.pool_id
    }

    /// The tokens' `iss`: base URL + "/" + pool id.
    pub fn issuer(&self) -> String {
        self.state.issuer.clone()
    }

    /// `base_url/`: the user pools API endpoint (`https://cognito-idp.<region>.amazonaws.com/` on AWS) for
    /// GetClientToken.
    pub fn idp_url(&self) -> String {
        format!("{}/", self.state.base_url)
    }

    /// `base_url/oauth2/authorize`: managed login's authorize endpoint.
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth2/authorize", self.state.base_url)
    }

    /// `base_url/oauth2/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth2/token", self.state.base_url)
    }

    /// `issuer/.well-known/jwks.json`.
    pub fn jwks_url(&self) -> String {
        format!("{}{}", self.state.base_url, self.state.jwks_path())
    }

    /// The API stage's URL, e.g. `http://127.0.0.1:9090/dev`.
    pub fn api_url(&self) -> String {
        format!("{}/{}", self.state.base_url, self.state.config.stage)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.state.config
    }

    /// While on, authorized API calls get 500 `{"message":"Internal server error"}`.
    pub fn set_api_failing(&self, failing: bool) {
        self.state.set_api_failing(failing);
    }

    /// While on, the (emulated) pre token generation Lambda trigger fails: the token endpoint answers 500
    /// and GetClientToken `UserLambdaValidationException`.
    pub fn set_pre_token_lambda_failing(&self, failing: bool) {
        self.state.set_pre_token_lambda_failing(failing);
    }

    /// Makes the token endpoint misbehave until cleared with `None`.
    pub fn set_token_fault(&self, fault: Option<TokenFault>) {
        self.state.set_token_fault(fault);
    }

    /// The `kid` new tokens are signed with.
    pub fn current_kid(&self) -> String {
        self.state.keys.current_kid()
    }

    /// Switches to a new signing key with a new `kid`; the JWKS keeps serving the old key too.
    /// Generation takes a moment; an error is reported on stderr (see [`Running::try_rotate_key`]).
    pub fn rotate_key(&self) {
        if let Err(e) = self.try_rotate_key() {
            eprintln!("cognito-emulator: key rotation failed: {e}");
        }
    }

    /// [`Running::rotate_key`] returning the new `kid`.
    pub fn try_rotate_key(&self) -> Result<String, KeyError> {
        let key = SigningKey::generate()?;
        let kid = key.kid().to_string();
        self.state.keys.rotate(key);
        Ok(kid)
    }

    /// Signs arbitrary claims with the current key (with its `kid`): for tests that need tokens the
    /// token endpoint would never issue (expired, wrong issuer, an ID token, ...).
    pub fn sign_claims(&self, claims: &serde_json::Value) -> Result<String, KeyError> {
        self.state.keys.sign(claims)
    }

    /// A warning when the emulator listens beyond this machine (any address that is not loopback, e.g.
    /// `0.0.0.0`): the `/_emulator/*` control routes have no authentication and answer CORS `*`, so any
    /// host on the network (and any web page its users open) could flip the switches.
    pub fn exposure_warning(&self) -> Option<String> {
        exposure_warning(self.local_addr)
    }

    /// The startup text: the bound address (and a warning if it is not loopback), endpoints and the
    /// demo client's id, secret and scope.
    pub fn banner(&self) -> String {
        let c = &self.state.config;
        let base = &self.state.base_url;
        let mut out = String::new();
        if let Some(warning) = self.exposure_warning() {
            out.push_str(&warning);
            out.push('\n');
        }
        out.push_str(&format!(
            "Cognito emulator for user pool {pool} ({region})\n\
             \x20 Listening on   : {listen}\n\
             \x20 Token endpoint : {token}\n\
             \x20 JWKS           : {jwks}\n\
             \x20 Issuer         : {iss}\n\
             \x20 API            : {api}   (CORS: {cors})\n\
             \x20 Faults         : {base}/faults/{{delay/MS,status/CODE,html,truncated-json,big/MB,xss,invalid-utf8,close-mid-body}}\n\
             \x20 GetClientToken : POST {base}/   (X-Amz-Target: AWSCognitoIdentityProviderService.GetClientToken)\n\
             \x20 Control        : POST {base}/_emulator/api-failing?on=true | pre-token-lambda?fail=true | token-fault?mode=... | rotate-key\n",
            pool = c.pool_id,
            region = c.region,
            listen = self.local_addr,
            token = self.token_url(),
            jwks = self.jwks_url(),
            iss = self.state.issuer,
            api = self.api_url(),
            cors = c.cors,
        ));
        for m in c
            .methods
            .iter()
            .filter(|m| m.authorization == Authorization::Jwt)
        {
            out.push_str(&format!(
                "  JWT authorizer : {} {}{}\n",
                m.method,
                self.api_url(),
                m.path
            ));
        }
        if let (Some(url), Some(dir)) = (&self.static_url, &c.static_dir) {
            out.push_str(&format!("  Static site    : {url}   ({})\n", dir.display()));
        }
        match c.demo_client() {
            Some(client) => {
                let validity = c.token_validity.unwrap_or(client.access_token_validity);
                out.push_str(&format!(
                    "Demo client (client_credentials, tokens valid {validity} s):\n\
                     \x20 Client id      : {}\n\
                     \x20 Client secret  : {}\n\
                     \x20 Scope          : {}\n",
                    client.id,
                    client.secrets.first().map(String::as_str).unwrap_or(""),
                    client.allowed_scopes.join(" "),
                ));
            }
            None => out.push_str("No client can use client credentials in this configuration.\n"),
        }
        out.push_str(&managed_login::banner(c, base));
        out
    }

    /// Stops the listeners; in-flight requests get up to 3 seconds to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}
