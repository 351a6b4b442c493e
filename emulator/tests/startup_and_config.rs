#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Starting: port in use, configuration files and their errors, the banner, the binary's flags.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cognito_emulator::{Config, CorsMode, StartError};
use common::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cognito-emulator-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = cognito_emulator::start(Config {
        port,
        ..test_config()
    })
    .await
    .err()
    .unwrap();
    assert!(matches!(err, StartError::PortInUse { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "port {port} on 127.0.0.1 is already in use — stop the other process or pass --port"
        )
    );
}

#[tokio::test]
async fn static_port_in_use_names_its_flag() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = temp_dir("static-port");
    let config = Config {
        static_dir: Some(dir.clone()),
        static_port: port,
        ..test_config()
    };
    let err = cognito_emulator::start(config).await.err().unwrap();
    assert!(err.to_string().ends_with("pass --static-port"), "{err}");
    let config = Config {
        static_dir: Some(dir.join("missing")),
        static_port: 0,
        ..test_config()
    };
    let err = cognito_emulator::start(config).await.err().unwrap();
    assert!(err.to_string().contains("does not exist"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn invalid_config_and_key_refuse_to_start() {
    let mut config = test_config();
    config.clients[0].allowed_scopes = vec!["demo/nope".into()];
    let err = cognito_emulator::start(config).await.err().unwrap();
    assert!(
        err.to_string().contains("clients[0].allowed_scopes"),
        "{err}"
    );
    let config = Config {
        key_pem: Some("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n".into()),
        ..test_config()
    };
    let err = cognito_emulator::start(config).await.err().unwrap();
    assert!(matches!(err, StartError::Key(_)), "{err}");
}

#[test]
fn demo_toml_equals_the_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo.toml");
    assert_eq!(Config::load(&path).unwrap(), Config::default());
}

#[test]
fn bad_config_files_name_file_line_and_key() {
    let dir = temp_dir("config");
    let cases: &[(&str, usize, &str, &str)] = &[
        ("[pool]\nid = \"us-east-1_x\"\n[api]\nstage = \"dev\"\ncors = \"sometimes\"\n", 5, "api.cors", "unknown CORS mode"),
        ("[pool]\nid = \"us-east-1_x\"\n[server]\nport = \"ninety\"\n", 4, "server.port", "invalid type"),
        ("[pool]\nid = \"us-east-1_x\"\n[server]\nport = 70000\n", 4, "server.port", ""),
        ("[pool]\nid = \"us-east-1_x\"\n\n[[clients]]\nid = \"a\"\nsecrett = \"b\"\n", 6, "clients.secrett", "unknown field"),
        ("[pool]\nid = \"us-east-1_x\"\n[[clients]]\nid = \"a\"\n[[clients]]\nid = \"a\"\n", 6, "clients[1].id", "defined twice"),
        ("[pool]\nid = \"us-east-1_x\"\n[[api.methods]]\nmethod = \"GET\"\npath = \"/x\"\nbody = '{not json'\n", 6, "api.methods[0].body", "not JSON"),
        ("[pool]\nid = \"us-east-1_x\"\n[[api.methods]]\nmethod = \"FETCH\"\npath = \"/x\"\n", 4, "api.methods[0].method", "must be one of"),
        ("[pool]\nid = \"us-east-1_x\"\n[server]\nkey_file = \"no-such.pem\"\n", 4, "server.key_file", "cannot read key file"),
        ("[pool]\nid = \"us-east-1_x\"\nx = [\n", 3, "pool.x", ""),
        ("[pool]\nid = \"us-east-1_x\"\n\n[[clients]]\nsecret = \"b\"\n", 4, "clients", "missing field `id`"),
        ("[pool]\nid = \"us-east-1_x\"\n[[clients]]\nid = \"a\"\nsecret = \"s\"\nsecrets = [\"t\"]\n", 6, "clients[0].secrets", "not both"),
        ("[pool]\nid = \"us-east-1_x\"\n[[clients]]\nid = \"a\"\nsecrets = [\"a\", \"b\", \"c\"]\n", 5, "clients[0].secrets", "at most 2 active secrets"),
        ("[pool]\nid = \"us-east-1_x\"\n[api]\ncors_allow_headers = [\"Authorization\", \"bad header\"]\n", 4, "api.cors_allow_headers", "not a header name"),
    ];
    for (i, (src, line, key, message)) in cases.iter().enumerate() {
        let path = dir.join(format!("case{i}.toml"));
        std::fs::write(&path, src).unwrap();
        let err = Config::load(&path).unwrap_err();
        let text = err.to_string();
        assert_eq!(err.file.as_deref(), Some(path.as_path()), "{text}");
        assert_eq!(err.line, Some(*line), "{text}");
        assert_eq!(err.key.as_deref(), Some(*key), "{text}");
        assert!(
            text.starts_with(&format!("{} line {line}, key `{key}`: ", path.display())),
            "{text}"
        );
        assert!(text.contains(message), "{text}");
    }
    let no_pool = dir.join("no-pool.toml");
    std::fs::write(&no_pool, "[server]\nport = 1\n").unwrap();
    let err = Config::load(&no_pool).unwrap_err();
    assert_eq!(err.key.as_deref(), Some("pool"));
    assert!(err.to_string().contains("missing [pool] table"), "{err}");
    let missing = Config::load(&dir.join("absent.toml")).unwrap_err();
    assert!(
        missing.to_string().contains("absent.toml: cannot read"),
        "{missing}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn config_file_fields_and_relative_paths() {
    let dir = temp_dir("fields");
    std::fs::write(dir.join("key.pem"), test_key_pem()).unwrap();
    std::fs::create_dir(dir.join("site")).unwrap();
    let src = r#"
[pool]
id = "eu-west-1_Abc"

[server]
bind = "0.0.0.0"
port = 0
public_url = "http://localhost:1234/"
key_file = "key.pem"
static_dir = "site"
static_port = 0
token_validity = 5

[[resource_servers]]
identifier = "https://api.example.com"
scopes = ["read"]

[[clients]]
id = "c"
secret = "s"
client_credentials = true
allowed_scopes = ["https://api.example.com/read"]

[api]
stage = "prod"
cors = "success-only"

[[api.methods]]
method = "any"
path = "/files/{path+}"
scopes = ["https://api.example.com/read"]
status = 202
body = '{"path":"{path}"}'
"#;
    let path = dir.join("c.toml");
    std::fs::write(&path, src).unwrap();
    let c = Config::load(&path).unwrap();
    assert_eq!(c.region, "eu-west-1");
    assert_eq!(c.bind.to_string(), "0.0.0.0");
    assert_eq!(c.public_url.as_deref(), Some("http://localhost:1234"));
    assert_eq!(c.key_pem.as_deref(), Some(test_key_pem().as_str()));
    assert_eq!(c.static_dir.as_deref(), Some(dir.join("site").as_path()));
    assert_eq!(c.token_validity, Some(5));
    assert_eq!(c.cors, CorsMode::SuccessOnly);
    assert_eq!(c.methods[0].method, "ANY");
    assert_eq!(c.clients[0].access_token_validity, 3600);
    // Without a file, relative paths stay relative to the current directory.
    let no_key = src.replace("key_file = \"key.pem\"\n", "");
    assert_eq!(
        Config::from_toml_str(&no_key).unwrap().static_dir,
        Some(PathBuf::from("site"))
    );
    let err = Config::from_toml_str(src).unwrap_err();
    assert_eq!(err.key.as_deref(), Some("server.key_file"));
    assert!(
        err.to_string()
            .starts_with("configuration line 9, key `server.key_file`: cannot read key file"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn greedy_any_method_from_a_config_file() {
    let src = r#"
[pool]
id = "eu-west-1_Abc"
[[resource_servers]]
identifier = "files"
scopes = ["read"]
[[clients]]
id = "c"
secret = "s"
client_credentials = true
allowed_scopes = ["files/read"]
[api]
stage = "prod"
[[api.methods]]
method = "ANY"
path = "/files/{path+}"
scopes = ["files/read"]
status = 202
body = '{"path":"{path}"}'
"#;
    let mut config = Config::from_toml_str(src).unwrap();
    config.port = 0;
    config.key_pem = Some(test_key_pem());
    let em = cognito_emulator::start(config).await.unwrap();
    let token = token_for(&em, "c", "s", None).await;
    let resp = client()
        .patch(format!("{}/files/a/b%20c.txt", em.api_url()))
        .header("authorization", token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    assert_eq!(resp.text().await.unwrap(), r#"{"path":"a/b c.txt"}"#);
    em.shutdown().await;
}

#[tokio::test]
async fn banner_names_endpoints_and_demo_client() {
    let em = start_default().await;
    let banner = em.banner();
    let base = em.base_url();
    for needle in [
        format!("{base}/oauth2/token"),
        format!("{base}/us-east-1_demo/.well-known/jwks.json"),
        format!("{base}/dev"),
        "demo-client-id".to_string(),
        "demo-client-secret".to_string(),
        "demo/example".to_string(),
        format!("GetClientToken : POST {base}/"),
        format!("JWT authorizer : GET {base}/dev/jwt/pets"),
        "pre-token-lambda?fail=true".to_string(),
    ] {
        assert!(banner.contains(&needle), "{needle} missing from\n{banner}");
    }
    assert_eq!(em.pool_id(), "us-east-1_demo");
    assert!(base.starts_with("http://127.0.0.1:"));
    assert_eq!(em.static_url(), None);
    em.shutdown().await;
}

fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"));
    cmd.stdin(Stdio::null());
    cmd
}

#[test]
fn binary_help_lists_the_flags() {
    let out = binary().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--config",
        "--bind",
        "--port",
        "--public-url",
        "--cors",
        "--token-validity",
        "--key",
        "--static",
        "--static-port",
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
    let bad = binary().args(["--cors", "sometimes"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("success-only"));
}

#[test]
fn binary_reports_bad_config_and_busy_port() {
    let dir = temp_dir("bin");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[pool]\nid = \"us-east-1_x\"\nport = 1\n").unwrap();
    let out = binary().arg("--config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml line 3, key `pool.port`"), "{err}");

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    std::fs::write(dir.join("key.pem"), test_key_pem()).unwrap();
    let out = binary()
        .args(["--port", &port, "--key"])
        .arg(dir.join("key.pem"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn binary_starts_and_prints_the_banner() {
    let dir = temp_dir("run");
    std::fs::write(dir.join("key.pem"), test_key_pem()).unwrap();
    let mut child = binary()
        .args([
            "--port",
            "0",
            "--token-validity",
            "3",
            "--cors",
            "none",
            "--key",
        ])
        .arg(dir.join("key.pem"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let done = line.contains("Press Ctrl-C");
        lines.push(line);
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let banner = lines.join("\n");
    assert!(banner.contains("/oauth2/token"), "{banner}");
    assert!(banner.contains("demo-client-secret"), "{banner}");
    assert!(banner.contains("CORS: none"), "{banner}");
    assert!(banner.contains("valid 3 s"), "{banner}");
    assert!(
        !banner.contains("127.0.0.1:0/"),
        "the real port is shown: {banner}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn loopback_bind_shows_its_address_and_no_warning() {
    let em = start_default().await;
    let banner = em.banner();
    let listen = format!("Listening on   : {}", em.local_addr());
    assert!(banner.contains(&listen), "{listen} missing from\n{banner}");
    assert!(em.local_addr().ip().is_loopback());
    assert_eq!(em.exposure_warning(), None);
    assert!(!banner.contains("WARNING"), "{banner}");
    em.shutdown().await;
}

#[tokio::test]
async fn any_interface_bind_is_shown_as_bound_and_warned_about() {
    let em = start_with(|c| c.bind = "0.0.0.0".parse().unwrap()).await;
    let port = em.local_addr().port();
    let banner = em.banner();
    // The real bound address, not the loopback origin clients use.
    assert!(
        banner.contains(&format!("Listening on   : 0.0.0.0:{port}")),
        "{banner}"
    );
    let warning = em.exposure_warning().expect("a warning for 0.0.0.0");
    assert!(
        warning.starts_with("WARNING: listening on 0.0.0.0:"),
        "{warning}"
    );
    assert!(warning.contains("/_emulator/*"), "{warning}");
    assert!(warning.contains("--bind 127.0.0.1"), "{warning}");
    assert!(
        banner.starts_with(&warning),
        "the warning leads the banner:\n{banner}"
    );
    em.shutdown().await;
}

#[test]
fn binary_warns_on_stderr_for_a_non_loopback_bind() {
    let mut child = binary()
        .args(["--port", "0", "--bind", "0.0.0.0", "--key"])
        .arg({
            let dir = temp_dir("bind");
            std::fs::write(dir.join("key.pem"), test_key_pem()).unwrap();
            dir.join("key.pem")
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let first = BufReader::new(stderr).lines().next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        first.starts_with("cognito-emulator: WARNING: listening on 0.0.0.0:"),
        "{first}"
    );
}
