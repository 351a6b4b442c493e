//! Shared helpers: an emulator on a free port, and the command line run in process with
//! captured streams and a chosen environment.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::sync::OnceLock;

use cognito_emulator::{Config, Running};

pub const DEMO_SECRET: &str = "demo-client-secret";

/// One RSA key per test binary.
fn test_key_pem() -> String {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| cognito_emulator::generate_key_pem().unwrap())
        .clone()
}

pub async fn start_default() -> Running {
    start_with(Config::default()).await
}

/// An emulator with `config` on a free port, with the binary's key.
pub async fn start_with(config: Config) -> Running {
    cognito_emulator::start(Config {
        port: 0,
        key_pem: Some(test_key_pem()),
        ..config
    })
    .await
    .unwrap()
}

/// What a command line run left behind.
pub struct Ran {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Everything printed.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `cognito-api-tester <args>` in process.
pub async fn cli(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Ran {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = move |name: &str| env.get(name).cloned();
    let mut input = stdin.as_bytes();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut argv = vec!["cognito-api-tester".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let code = {
        let mut io = cognito_api_tester_cli::Io {
            stdin: &mut input,
            stdout: &mut stdout,
            stderr: &mut stderr,
            env: &lookup,
            progress: false,
        };
        cognito_api_tester_cli::run(argv, &mut io).await
    };
    Ran {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// The demo settings as flags (the secret comes from the environment).
pub fn demo_flags(em: &Running) -> Vec<String> {
    vec![
        "--client-id".into(),
        "demo-client-id".into(),
        "--domain".into(),
        em.base_url(),
        "--scope".into(),
        "demo/example".into(),
        "--api-url".into(),
        format!("{}/pets", em.api_url()),
    ]
}

pub fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A fresh directory under the target dir for files a test writes.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A server on loopback whose every path but `/elsewhere` answers `302 Location: /elsewhere`;
/// `/elsewhere` answers `200` with the seed's three pets, so a client that follows the redirect
/// would see a passing answer. Returns its port and how many requests reached `/elsewhere`.
pub async fn redirecting_server() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let followed = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = followed.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let answer = if request.starts_with("GET /elsewhere") {
                seen.fetch_add(1, Ordering::SeqCst);
                let body = r#"[{"id":1},{"id":2},{"id":3}]"#;
                format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            } else {
                "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
            };
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (port, followed)
}

/// A server on loopback that gives every request the same answer: `200 OK` with `content_type`
/// and `body`. Returns its port.
pub async fn answering_server(content_type: &'static str, body: &'static str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = socket.read(&mut buf).await;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    port
}
