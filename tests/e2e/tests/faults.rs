//! The fault matrix: every way the token endpoint or the API can break, each
//! with its own message, and the next Run working afterwards. The matrix is
//! written to target/fault-matrix.md (`make e2e` prints it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use cognito_emulator::{CorsMode, Running, TokenFault};
use e2e::panel::{API, CHECKS, TOKEN, VERDICT};
use e2e::{emulator, free_loopback_port, repo_root, Browser};

struct Matrix(String);

impl Matrix {
    fn row(&mut self, fault: &str, message: &str) {
        let message = message
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .replace('|', "\\\\|");
        let _ = writeln!(self.0, "| {fault} | {} | yes |", message.trim());
    }
}

/// The next Run after a fault works: a fresh token and the three pets.
async fn recovers(b: &Browser, emu: &Running) {
    b.fill("Timeout (seconds)", "30").await;
    b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
    b.click("Get token").await;
    b.wait_idle().await;
    b.click("Run").await;
    b.wait_idle().await;
    b.wait_text(VERDICT, "PASS").await;
}

/// The first line of the diagnosis shown in a panel.
async fn said(b: &Browser, panel: &str) -> String {
    b.text(&format!("{panel} .diagnosis .what")).await
}

#[tokio::test]
async fn every_fault_has_its_message_and_the_next_run_works() {
    let emu = emulator(|_| {}).await;
    let no_cors = emulator(|c| c.cors = CorsMode::None).await;
    let site = emu.static_url().unwrap();
    let expired = emu
        .sign_claims(&serde_json::json!({
            "sub": "demo-client-id", "client_id": "demo-client-id", "token_use": "access",
            "scope": "demo/example", "iss": emu.issuer(), "exp": 1_000_000_000, "iat": 999_996_400,
            "auth_time": 999_996_400, "version": 2, "jti": "expired"
        }))
        .unwrap();
    let mut matrix = Matrix("| fault | message | next Run works |\n|---|---|---|\n".into());
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.click("Run").await;
        b.wait_text(VERDICT, "PASS").await;

        // API faults: each needs a token, which the Run above holds.
        let api_faults: [(&str, String, &str); 7] = [
            ("500 with JSON", "/faults/status/500".into(), "500"),
            ("500 with an HTML page", "/faults/html".into(), "500"),
            (
                "connection closed mid-body",
                "/faults/close-mid-body".into(),
                "broke off",
            ),
            (
                "truncated JSON (200)",
                "/faults/truncated-json".into(),
                "assertion failed",
            ),
            (
                "invalid UTF-8 body",
                "/faults/invalid-utf8".into(),
                "not valid UTF-8",
            ),
            (
                "10 MB body",
                "/faults/big/10".into(),
                "Show all (the body is 10.0 MB",
            ),
            // The browser's preflight to a route that does not exist is refused, so it reads as CORS.
            (
                "a stage that does not exist",
                "/prod".into(),
                "Missing Authentication Token",
            ),
        ];
        for (fault, path, expect) in api_faults {
            b.fill("API URL", &format!("{}{path}", emu.base_url()))
                .await;
            b.click("Call API").await;
            let text = b.wait_text("section.results", expect).await;
            let message = match said(b, API).await {
                m if m.is_empty() => text
                    .lines()
                    .find(|l| l.contains(expect))
                    .unwrap_or(expect)
                    .to_string(),
                m => m,
            };
            recovers(b, &emu).await;
            matrix.row(fault, &message);
        }

        // Slow past the timeout.
        b.fill("API URL", &format!("{}/faults/delay/5000", emu.base_url()))
            .await;
        b.fill("Timeout (seconds)", "1").await;
        b.click("Call API").await;
        b.wait_text(API, "within 1 s").await;
        let message = said(b, API).await;
        recovers(b, &emu).await;
        matrix.row("slow answer past the timeout", &message);

        // Connection refused.
        let closed = free_loopback_port();
        b.fill("API URL", &format!("http://127.0.0.1:{closed}/dev"))
            .await;
        b.click("Call API").await;
        b.wait_text(API, "Could not reach").await;
        let message = said(b, API).await;
        recovers(b, &emu).await;
        matrix.row("connection refused", &message);

        // An API without CORS.
        b.fill("API URL", &format!("{}/dev", no_cors.base_url()))
            .await;
        b.click("Call API").await;
        b.wait_text(API, "CORS").await;
        let message = said(b, API).await;
        recovers(b, &emu).await;
        matrix.row("an API without CORS", &message);

        // Token endpoint faults.
        for (fault, setting, expect) in [
            (
                "token endpoint answers non-JSON (200 text)",
                TokenFault::NotJson200,
                "instead of JSON",
            ),
            (
                "token endpoint answers an HTML 500",
                TokenFault::Html500,
                "instead of JSON",
            ),
            (
                "token endpoint answers 405, empty",
                TokenFault::Empty405,
                "empty body",
            ),
        ] {
            emu.set_token_fault(Some(setting));
            b.click("Get token").await;
            b.wait_text(TOKEN, expect).await;
            let message = said(b, TOKEN).await;
            emu.set_token_fault(None);
            recovers(b, &emu).await;
            matrix.row(fault, &message);
        }

        // Tokens: malformed, expired, tampered — pasted, checked, and refused by the API.
        b.client
            .find(fantoccini::Locator::Css("details.paste summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        for (fault, token, check, api) in [
            (
                "malformed token",
                "not.a-token".to_string(),
                "checks failed",
                "401",
            ),
            (
                "expired token",
                expired.clone(),
                "Expired",
                "The incoming token has expired",
            ),
            (
                "tampered token (payload changed)",
                tamper(&expired_to_fresh(&emu)),
                "changed after signing",
                "401",
            ),
        ] {
            b.fill("Token to inspect", &token).await;
            b.click("Inspect token").await;
            b.wait_text(CHECKS, check).await;
            b.click("Call API").await;
            b.wait_text(API, api).await;
            let message = said(b, API).await;
            recovers(b, &emu).await;
            matrix.row(fault, &message);
        }
    })
    .await;
    let path = repo_root().join("target/fault-matrix.md");
    std::fs::write(&path, &matrix.0).unwrap();
    println!("{}", matrix.0);
    emu.shutdown().await;
    no_cors.shutdown().await;
}

/// A valid token from the emulator's key, for tampering.
fn expired_to_fresh(emu: &Running) -> String {
    emu.sign_claims(&serde_json::json!({
        "sub": "demo-client-id", "client_id": "demo-client-id", "token_use": "access",
        "scope": "demo/example", "iss": emu.issuer(), "exp": 4_000_000_000i64, "iat": 1_700_000_000,
        "auth_time": 1_700_000_000, "version": 2, "jti": "fresh"
    }))
    .unwrap()
}

/// The same token with one payload claim changed and the signature kept.
fn tamper(token: &str) -> String {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = token.split('.');
    let (h, p, s) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let mut payload: serde_json::Value =
        serde_json::from_slice(&engine.decode(p).unwrap()).unwrap();
    payload["scope"] = "demo/example demo/admin".into();
    format!("{h}.{}.{s}", engine.encode(payload.to_string()))
}
