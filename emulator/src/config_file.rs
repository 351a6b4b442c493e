//! The TOML configuration file.
//!
//! Every table and key is optional except `[pool] id`; a missing table means "none" (no clients,
//! no methods) and command-line flags override the `[server]` table. Unknown keys are errors.
//! Relative paths are relative to the file's folder.
//!
//! ```toml
//! [pool]
//! id = "us-east-1_demo"          # user pool id; the issuer is <base url>/<id>
//! region = "us-east-1"           # default: the id's part before '_'
//!
//! [server]                       # all optional
//! bind = "127.0.0.1"
//! port = 9090                    # 0 = any free port
//! public_url = "http://localhost:9090"   # origin clients use (also the issuer's base)
//! key_file = "signing-key.pem"   # PKCS#8 PEM RSA private key; default: a new 2048-bit key per start
//! static_dir = "../dist"         # serve a folder on a second listener
//! static_port = 8080
//! token_validity = 3             # overrides every client's access_token_validity
//!
//! [[resource_servers]]
//! identifier = "demo"
//! scopes = ["example", "other"]  # full scopes: demo/example, demo/other
//!
//! [[clients]]
//! id = "demo-client-id"
//! secret = "demo-client-secret"  # omit for a public client; or, two active secrets:
//! # secrets = ["old-secret", "new-secret"]
//! client_credentials = true      # default false
//! allowed_scopes = ["demo/example"]
//! access_token_validity = 3600   # seconds, default 3600
//! # authorization_code = true    # managed login's code grant (not with client_credentials)
//! # callback_urls = ["http://127.0.0.1:8080/"]  # allowed redirect_uri values, exactly
//! # logout_urls = ["http://127.0.0.1:8080/"]    # allowed logout_uri values, exactly
//!
//! [[users]]                      # who can sign in through /oauth2/authorize
//! username = "demo-user"
//! password = "Demo-password-1"
//! email = "demo-user@example.com"  # optional
//! email_verified = true          # default false
//!
//! [api]
//! stage = "dev"                  # the API lives under /dev
//! cors = "full"                  # full | none | success-only
//! # cors_allow_headers = ["Content-Type", "Authorization"]  # the preflight's answer, as configured
//!
//! [[api.methods]]
//! method = "GET"                 # GET POST PUT PATCH DELETE HEAD OPTIONS ANY
//! path = "/pets/{id}"            # relative to the stage; {name+} as last segment is greedy
//! authorization = "cognito"      # cognito (default) | jwt | none
//! # authorizer = "demo-jwt"      # with jwt: which [[api.jwt_authorizers]] (default: the first)
//! scopes = ["demo/example"]      # empty with cognito: API Gateway expects an ID token
//! status = 200                   # default 200
//! body = '{"id":"{id}"}'         # JSON answered; {name} replaced by the path parameter
//! # echo = true                  # answer the request's JSON body instead of `body`
//! # export_authorization = "cognito"  # what /_emulator/export shows, if not `authorization` (a misconfiguration)
//! # delay_ms = 2000              # the integration answers after this long (a slow backend)
//!
//! [[api.jwt_authorizers]]
//! name = "demo-jwt"
//! # issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo"  # default: this pool's issuer
//! audiences = ["demo-client-id"] # compared with aud, else client_id
//! ```

use std::collections::HashMap;
use std::net::IpAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::{
    ApiMethod, AppClient, Authorization, Config, ConfigError, CorsMode, JwtAuthorizer,
    ResourceServer, User, DEFAULT_VALIDITY_SECS,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    pool: RawPool,
    #[serde(default)]
    server: RawServer,
    #[serde(default)]
    resource_servers: Vec<RawResourceServer>,
    #[serde(default)]
    clients: Vec<RawClient>,
    #[serde(default)]
    users: Vec<RawUser>,
    #[serde(default)]
    api: RawApi,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    username: Spanned<String>,
    password: Spanned<String>,
    email: Option<Spanned<String>>,
    email_verified: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPool {
    id: Spanned<String>,
    region: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServer {
    bind: Option<Spanned<String>>,
    port: Option<Spanned<u16>>,
    public_url: Option<Spanned<String>>,
    key_file: Option<Spanned<String>>,
    static_dir: Option<Spanned<String>>,
    static_port: Option<Spanned<u16>>,
    token_validity: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResourceServer {
    identifier: Spanned<String>,
    #[serde(default)]
    scopes: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    id: Spanned<String>,
    secret: Option<Spanned<String>>,
    secrets: Option<Spanned<Vec<String>>>,
    client_credentials: Option<Spanned<bool>>,
    client_token_auth: Option<Spanned<bool>>,
    allowed_scopes: Option<Spanned<Vec<String>>>,
    access_token_validity: Option<Spanned<u64>>,
    authorization_code: Option<Spanned<bool>>,
    callback_urls: Option<Spanned<Vec<String>>>,
    logout_urls: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawApi {
    stage: Option<Spanned<String>>,
    cors: Option<Spanned<String>>,
    cors_allow_headers: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    methods: Vec<RawMethod>,
    #[serde(default)]
    jwt_authorizers: Vec<RawJwtAuthorizer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJwtAuthorizer {
    name: Spanned<String>,
    issuer: Option<Spanned<String>>,
    audiences: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    method: Spanned<String>,
    path: Spanned<String>,
    authorization: Option<Spanned<String>>,
    authorizer: Option<Spanned<String>>,
    scopes: Option<Spanned<Vec<String>>>,
    status: Option<Spanned<u16>>,
    body: Option<Spanned<String>>,
    echo: Option<Spanned<bool>>,
    export_authorization: Option<Spanned<String>>,
    delay_ms: Option<Spanned<u64>>,
}

/// `cognito`, `jwt` or `none` (or API Gateway's own names).
fn authorization_named(name: &str) -> Option<Authorization> {
    match name {
        "cognito" | "COGNITO_USER_POOLS" => Some(Authorization::CognitoUserPools),
        "jwt" | "JWT" => Some(Authorization::Jwt),
        "none" | "NONE" => Some(Authorization::None),
        _ => None,
    }
}

/// Key path → byte range in the source, for turning a validation error into a line number.
#[derive(Default)]
struct Spans(HashMap<String, Range<usize>>);

impl Spans {
    fn take<T>(&mut self, key: String, v: Spanned<T>) -> T {
        self.0.insert(key, v.span());
        v.into_inner()
    }
    fn opt<T>(&mut self, key: String, v: Option<Spanned<T>>) -> Option<T> {
        v.map(|v| self.take(key, v))
    }
    /// The span of `key`, else of the first recorded key of the same table.
    fn find(&self, key: &str) -> Option<usize> {
        if let Some(r) = self.0.get(key) {
            return Some(r.start);
        }
        let parent = key.rsplit_once('.').map(|(p, _)| p)?;
        self.0
            .iter()
            .filter(|(k, _)| {
                k.starts_with(parent) && k.get(parent.len()..).is_some_and(|r| r.starts_with('.'))
            })
            .map(|(_, r)| r.start)
            .min()
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    src.get(..offset)
        .unwrap_or(src)
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// For a parse error: the key written on the error's line, prefixed by the table it is in.
fn key_at_line(src: &str, line: usize) -> Option<String> {
    let mut table = String::new();
    for (i, text) in src.lines().enumerate() {
        let t = text.trim();
        let header = t
            .strip_prefix("[[")
            .and_then(|s| s.split_once("]]"))
            .or_else(|| t.strip_prefix('[').and_then(|s| s.split_once(']')))
            .map(|(name, _)| name.trim().to_string());
        if let Some(h) = &header {
            table = h.clone();
        }
        if i + 1 == line {
            if header.is_some() {
                return Some(table);
            }
            let key = t.split_once('=').map(|(k, _)| k.trim().trim_matches('"'))?;
            return Some(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    None
}

fn resolve(base: Option<&Path>, p: &str) -> PathBuf {
    let path = PathBuf::from(p);
    match base {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path,
    }
}

impl Config {
    /// Parses a TOML configuration (format: see [`crate::config_file`]); relative paths are taken from
    /// the current directory.
    pub fn from_toml_str(s: &str) -> Result<Config, ConfigError> {
        parse(s, None)
    }

    /// Reads and parses a TOML configuration file; errors name the file, the line and the key.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let src = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: Some(path.to_path_buf()),
            line: None,
            key: None,
            message: format!("cannot read the configuration file: {e}"),
        })?;
        parse(&src, Some(path))
    }
}

/// Parses and validates a configuration; `file` names it in errors and anchors relative paths.
pub(crate) fn parse(src: &str, file: Option<&Path>) -> Result<Config, ConfigError> {
    let with_file = |mut e: ConfigError| {
        e.file = file.map(Path::to_path_buf);
        e
    };
    let raw: RawFile = toml::from_str(src).map_err(|e| {
        if e.message().trim() == "missing field `pool`" {
            // The only required root table: its "span" is the whole document, so no line to name.
            return with_file(ConfigError::at(
                "pool",
                "missing [pool] table: add one with id = \"<region>_<name>\"",
            ));
        }
        let line = e.span().map(|s| line_of(src, s.start));
        with_file(ConfigError {
            file: None,
            line,
            key: line.and_then(|l| key_at_line(src, l)),
            message: e.message().trim().to_string(),
        })
    })?;
    let base = file.and_then(Path::parent);
    let mut spans = Spans::default();
    let located = |spans: &Spans, e: ConfigError| {
        let line = e
            .key
            .as_deref()
            .and_then(|k| spans.find(k))
            .map(|o| line_of(src, o));
        with_file(ConfigError { line, ..e })
    };
    let config = build(raw, base, &mut spans).map_err(|e| located(&spans, e))?;
    config.validate().map_err(|e| located(&spans, e))?;
    Ok(config)
}

fn build(raw: RawFile, base: Option<&Path>, sp: &mut Spans) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    config.pool_id = sp.take("pool.id".into(), raw.pool.id);
    config.region = match sp.opt("pool.region".into(), raw.pool.region) {
        Some(r) => r,
        None => config
            .pool_id
            .split_once('_')
            .map(|(r, _)| r.to_string())
            .unwrap_or_else(|| "us-east-1".into()),
    };

    let s = raw.server;
    if let Some(bind) = sp.opt("server.bind".into(), s.bind) {
        config.bind = bind.trim().parse::<IpAddr>().map_err(|_| {
            ConfigError::at(
                "server.bind",
                format!("\"{bind}\" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)"),
            )
        })?;
    }
    if let Some(port) = sp.opt("server.port".into(), s.port) {
        config.port = port;
    }
    config.public_url = sp
        .opt("server.public_url".into(), s.public_url)
        .map(|u| u.trim_end_matches('/').to_string());
    if let Some(key_file) = sp.opt("server.key_file".into(), s.key_file) {
        let path = resolve(base, &key_file);
        let pem = std::fs::read_to_string(&path).map_err(|e| {
            ConfigError::at(
                "server.key_file",
                format!("cannot read key file {}: {e}", path.display()),
            )
        })?;
        crate::keys::SigningKey::from_pem(&pem)
            .map_err(|e| ConfigError::at("server.key_file", format!("{}: {e}", path.display())))?;
        config.key_pem = Some(pem);
    }
    config.static_dir = sp
        .opt("server.static_dir".into(), s.static_dir)
        .map(|d| resolve(base, &d));
    if let Some(p) = sp.opt("server.static_port".into(), s.static_port) {
        config.static_port = p;
    }
    config.token_validity = sp.opt("server.token_validity".into(), s.token_validity);

    config.resource_servers = raw
        .resource_servers
        .into_iter()
        .enumerate()
        .map(|(i, r)| ResourceServer {
            identifier: sp.take(format!("resource_servers[{i}].identifier"), r.identifier),
            scopes: sp
                .opt(format!("resource_servers[{i}].scopes"), r.scopes)
                .unwrap_or_default(),
        })
        .collect();

    let mut clients = Vec::new();
    for (i, c) in raw.clients.into_iter().enumerate() {
        let secret = sp.opt(format!("clients[{i}].secret"), c.secret);
        let secrets = sp.opt(format!("clients[{i}].secrets"), c.secrets);
        let secrets = match (secret, secrets) {
            (Some(_), Some(_)) => {
                return Err(ConfigError::at(
                    format!("clients[{i}].secrets"),
                    "give either secret = \"...\" or secrets = [\"...\", \"...\"], not both",
                ))
            }
            (Some(one), None) => vec![one],
            (None, list) => list.unwrap_or_default(),
        };
        clients.push(AppClient {
            id: sp.take(format!("clients[{i}].id"), c.id),
            secrets,
            client_credentials: sp
                .opt(
                    format!("clients[{i}].client_credentials"),
                    c.client_credentials,
                )
                .unwrap_or(false),
            client_token_auth: sp
                .opt(
                    format!("clients[{i}].client_token_auth"),
                    c.client_token_auth,
                )
                .unwrap_or(false),
            allowed_scopes: sp
                .opt(format!("clients[{i}].allowed_scopes"), c.allowed_scopes)
                .unwrap_or_default(),
            access_token_validity: sp
                .opt(
                    format!("clients[{i}].access_token_validity"),
                    c.access_token_validity,
                )
                .unwrap_or(DEFAULT_VALIDITY_SECS),
            authorization_code: sp
                .opt(
                    format!("clients[{i}].authorization_code"),
                    c.authorization_code,
                )
                .unwrap_or(false),
            callback_urls: sp
                .opt(format!("clients[{i}].callback_urls"), c.callback_urls)
                .unwrap_or_default(),
            logout_urls: sp
                .opt(format!("clients[{i}].logout_urls"), c.logout_urls)
                .unwrap_or_default(),
        });
    }
    config.clients = clients;
    config.users = raw
        .users
        .into_iter()
        .enumerate()
        .map(|(i, u)| User {
            username: sp.take(format!("users[{i}].username"), u.username),
            password: sp.take(format!("users[{i}].password"), u.password),
            email: sp.opt(format!("users[{i}].email"), u.email),
            email_verified: sp
                .opt(format!("users[{i}].email_verified"), u.email_verified)
                .unwrap_or(false),
        })
        .collect();

    if let Some(stage) = sp.opt("api.stage".into(), raw.api.stage) {
        config.stage = stage;
    }
    if let Some(cors) = sp.opt("api.cors".into(), raw.api.cors) {
        config.cors = cors
            .parse::<CorsMode>()
            .map_err(|e| ConfigError::at("api.cors", e))?;
    }
    if let Some(headers) = sp.opt("api.cors_allow_headers".into(), raw.api.cors_allow_headers) {
        config.cors_allow_headers = headers;
    }
    let mut methods = Vec::new();
    for (i, m) in raw.api.methods.into_iter().enumerate() {
        let key = |f: &str| format!("api.methods[{i}].{f}");
        let authorization = match sp.opt(key("authorization"), m.authorization) {
            None => Authorization::CognitoUserPools,
            Some(a) => authorization_named(&a).ok_or_else(|| {
                ConfigError::at(
                    key("authorization"),
                    format!("authorization \"{a}\" must be \"cognito\", \"jwt\" or \"none\""),
                )
            })?,
        };
        let export_authorization = match sp.opt(key("export_authorization"), m.export_authorization)
        {
            None => None,
            Some(a) => Some(authorization_named(&a).ok_or_else(|| {
                ConfigError::at(
                    key("export_authorization"),
                    format!(
                        "export_authorization \"{a}\" must be \"cognito\", \"jwt\" or \"none\""
                    ),
                )
            })?),
        };
        methods.push(ApiMethod {
            method: sp.take(key("method"), m.method).to_ascii_uppercase(),
            path: sp.take(key("path"), m.path),
            authorization,
            authorizer: sp.opt(key("authorizer"), m.authorizer),
            scopes: sp.opt(key("scopes"), m.scopes).unwrap_or_default(),
            status: sp.opt(key("status"), m.status).unwrap_or(200),
            body: sp.opt(key("body"), m.body),
            echo: sp.opt(key("echo"), m.echo).unwrap_or(false),
            export_authorization,
            delay_ms: sp.opt(key("delay_ms"), m.delay_ms).unwrap_or(0),
        });
    }
    config.methods = methods;
    config.jwt_authorizers = raw
        .api
        .jwt_authorizers
        .into_iter()
        .enumerate()
        .map(|(i, a)| JwtAuthorizer {
            name: sp.take(format!("api.jwt_authorizers[{i}].name"), a.name),
            issuer: sp.opt(format!("api.jwt_authorizers[{i}].issuer"), a.issuer),
            audiences: sp
                .opt(format!("api.jwt_authorizers[{i}].audiences"), a.audiences)
                .unwrap_or_default(),
        })
        .collect();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_at_line_finds_table_and_key() {
        let src = "[pool]\nid = \"x\"\n\n[[clients]]\nid = \"a\"\nbogus = 1\n";
        assert_eq!(key_at_line(src, 2).as_deref(), Some("pool.id"));
        assert_eq!(key_at_line(src, 4).as_deref(), Some("clients"));
        assert_eq!(key_at_line(src, 6).as_deref(), Some("clients.bogus"));
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let src = "[pool]\nid = \"us-east-1_x\"\n\n[[clients]]\nid = \"a\"\nbogus = 1\n";
        let e = parse(src, Some(Path::new("x.toml"))).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
        assert_eq!(e.key.as_deref(), Some("clients.bogus"));
        assert!(
            e.to_string()
                .starts_with("x.toml line 6, key `clients.bogus`: unknown field"),
            "{e}"
        );
    }

    #[test]
    fn validation_error_points_at_the_value() {
        let src = "[pool]\nid = \"us-east-1_x\"\n[[resource_servers]]\nidentifier = \"d\"\nscopes = [\"a\"]\n[[clients]]\nid = \"c\"\nsecret = \"s\"\nclient_credentials = true\nallowed_scopes = [\"d/b\"]\n";
        let e = parse(src, None).unwrap_err();
        assert_eq!(e.line, Some(10), "{e}");
        assert_eq!(e.key.as_deref(), Some("clients[0].allowed_scopes"));
        assert!(e.message.contains("d/b"));
    }
}
