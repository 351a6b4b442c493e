//! Shared helpers for the emulator's integration tests: start an emulator on a free port, get tokens,
//! speak raw HTTP.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;
use std::time::Duration;

use cognito_emulator::{Config, Running};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One RSA key per test binary: generating 2048-bit keys for every test would be slow.
pub fn test_key_pem() -> String {
    static PEM: OnceLock<String> = OnceLock::new();
    PEM.get_or_init(|| cognito_emulator::generate_key_pem().unwrap())
        .clone()
}

/// The default scenario on a free port with the shared test key.
pub fn test_config() -> Config {
    Config {
        port: 0,
        key_pem: Some(test_key_pem()),
        ..Config::default()
    }
}

pub async fn start_default() -> Running {
    cognito_emulator::start(test_config()).await.unwrap()
}

pub async fn start_with(edit: impl FnOnce(&mut Config)) -> Running {
    let mut config = test_config();
    edit(&mut config);
    cognito_emulator::start(config).await.unwrap()
}

/// A plain-HTTP client that ignores proxy variables and never waits forever.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// POSTs a form to the token endpoint (client_secret_post).
pub async fn token_post(em: &Running, form: &[(&str, &str)]) -> reqwest::Response {
    let body: String = form_urlencoded_pairs(form);
    client()
        .post(em.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

pub fn form_urlencoded_pairs(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// application/x-www-form-urlencoded encoding of one value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A token for `client_id` / `secret` with an optional scope; panics unless the endpoint says 200.
pub async fn token_for(em: &Running, client_id: &str, secret: &str, scope: Option<&str>) -> String {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    let resp = token_post(em, &form).await;
    assert_eq!(resp.status(), 200);
    let json: serde_json::Value = resp.json().await.unwrap();
    json["access_token"].as_str().unwrap().to_string()
}

pub async fn demo_token(em: &Running) -> String {
    token_for(em, "demo-client-id", "demo-client-secret", None).await
}

/// The error code of a 400 token response.
pub async fn oauth_error(resp: reqwest::Response) -> String {
    assert_eq!(resp.status(), 400, "expected a 400 OAuth error");
    let json: serde_json::Value = resp.json().await.unwrap();
    json["error"].as_str().unwrap().to_string()
}

/// `host:port` of an `http://host:port` origin.
pub fn authority(origin: &str) -> String {
    origin.trim_start_matches("http://").to_string()
}

/// Sends raw bytes and returns whatever came back before the server closed (or 5 s passed).
pub async fn raw_exchange(authority: &str, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(authority).await.unwrap();
    // The server may close before reading everything: a write error is an answer too.
    let _ = stream.write_all(request).await;
    let _ = stream.flush().await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    out
}

/// The status code of a raw HTTP/1.1 response.
pub fn raw_status(response: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(response);
    text.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

pub fn header<'a>(resp: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}
