//! Both steps through the same-origin proxy routes of `trunk serve`, using the
//! Trunk.toml that ships (its routes point at the emulator on 127.0.0.1:9090, as
//! for `make demo`). The API runs without CORS, so only the proxy can reach it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use cognito_emulator::CorsMode;
use e2e::{emulator, free_loopback_port, repo_root, wait_until_serving, Browser};
use tokio::process::Command;

const TOKEN: &str = "section[aria-labelledby='token-response-heading']";
const API: &str = "section[aria-labelledby='api-response-heading']";

#[tokio::test]
async fn trunk_serve_proxy_routes_carry_the_whole_flow() {
    let emu = emulator(|c| {
        c.port = 9090;
        c.cors = CorsMode::None;
    })
    .await;
    let port = free_loopback_port();
    // A dist folder of its own, so the other tests' release dist/ is left alone.
    let mut serve = Command::new("trunk")
        .args([
            "serve",
            "--release",
            "--offline",
            "--dist",
            "target/e2e-serve-dist",
            "--port",
        ])
        .arg(port.to_string())
        .current_dir(repo_root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("trunk serve starts (make setup installs trunk)");
    wait_until_serving(port, Duration::from_secs(600)).await;
    let app = format!("http://127.0.0.1:{port}/");
    Browser::with(async |b| {
        b.open(&app).await;
        b.fill("Client ID", "demo-client-id").await;
        b.fill("Client secret", "demo-client-secret").await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "demo/example").await;
        b.fill("API URL", &format!("{}/dev/pets", emu.base_url()))
            .await;
        b.control("Route through proxy")
            .await
            .click()
            .await
            .unwrap();
        for method in ["Secret in body", "Basic header"] {
            b.choose("Client authentication", method).await;
            b.click("Get token").await;
            let token = b.wait_text(TOKEN, "200 OK").await;
            assert!(
                token.contains(&format!("127.0.0.1:{port}/proxy/token/oauth2/token")),
                "{token}"
            );
            b.click("Call API").await;
            let api = b.wait_text(API, "200 OK").await;
            assert!(
                api.contains(&format!("127.0.0.1:{port}/proxy/api/dev/pets")),
                "{api}"
            );
            assert!(api.contains("fish"), "{api}");
        }
    })
    .await;
    let _ = serve.kill().await;
    emu.shutdown().await;
}
