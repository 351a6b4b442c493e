//! The secret-leak test: after full flows with both client-authentication
//! methods and an error, neither the secret nor any access token is in
//! storage, the URL, the console (chromedriver's log) or any export.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::panel::TOKEN;
use e2e::{emulator, Browser};
use fantoccini::Locator;

const SECRET: &str = "demo-client-secret";
const WRONG: &str = "wrong-secret-that-must-not-leak";

#[tokio::test]
async fn no_secret_or_token_escapes_after_every_flow() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client ID", "demo-client-id").await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "demo/example").await;
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;

        let mut tokens = Vec::new();
        // An error first: the wrong secret must not leak either.
        b.fill("Client secret", WRONG).await;
        b.click("Run").await;
        b.wait_text(TOKEN, "invalid_client").await;
        b.wait_idle().await;
        b.fill("Client secret", SECRET).await;
        for method in ["Secret in body", "Basic header"] {
            b.choose("Client authentication", method).await;
            b.click("Get token").await;
            b.wait_idle().await;
            b.click("Call API").await;
            b.wait_idle().await;
            b.wait_text(".verdict", "PASS").await;
            tokens.push(raw_token(b).await);
            b.click("Altered signature").await;
            b.wait_text("table.negative", "refused").await;
        }
        b.fill("Run every", "1").await;
        b.click("Start schedule").await;
        b.wait_text("table.history", "PASS").await;
        b.click("Stop schedule").await;

        let mut exports = Vec::new();
        for (button, suffix) in [
            ("Download report (Markdown)", ".md"),
            ("Download report (JSON)", ".json"),
            ("Download CSV", ".csv"),
        ] {
            b.click(button).await;
            exports.push((button, b.downloaded(suffix).await));
        }
        let places = [
            (
                "localStorage",
                b.js_string("return JSON.stringify(Object.assign({}, localStorage))")
                    .await,
            ),
            (
                "sessionStorage",
                b.js_string("return JSON.stringify(Object.assign({}, sessionStorage))")
                    .await,
            ),
            ("the URL", b.client.current_url().await.unwrap().to_string()),
            ("the console", b.browser_log().await.join("\n")),
            (
                "the DOM",
                b.js_string("return document.documentElement.outerHTML")
                    .await,
            ),
        ];
        for (place, text) in places
            .iter()
            .map(|(p, t)| (*p, t))
            .chain(exports.iter().map(|(p, t)| (*p, t)))
        {
            for secret in [SECRET, WRONG] {
                assert!(
                    !text.contains(secret),
                    "a client secret leaked into {place}"
                );
            }
            for token in &tokens {
                assert!(
                    !text.contains(token.as_str()),
                    "an access token leaked into {place}"
                );
                // With the claims on screen, the signature alone rebuilds the token.
                let signature = token.rsplit('.').next().unwrap();
                assert!(
                    !text.contains(signature),
                    "a token's signature leaked into {place}"
                );
            }
        }
    })
    .await;
    emu.shutdown().await;
}

/// The access token of the last token response, read through "Reveal secrets" and hidden again.
async fn raw_token(b: &Browser) -> String {
    let reveal = b
        .client
        .find(Locator::XPath("//section[@aria-labelledby='token-response-heading']//label[contains(., 'Reveal secrets')]/input"))
        .await
        .unwrap();
    reveal.click().await.unwrap();
    let text = b.wait_text(TOKEN, "\"access_token\": \"eyJ").await;
    reveal.click().await.unwrap();
    text.split("\"access_token\": \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string()
}
