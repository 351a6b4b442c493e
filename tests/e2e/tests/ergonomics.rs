//! The QA habits end to end: import from AWS output, run, save a profile, copy
//! curl, download the evidence report, share a link — and the secret and the
//! token appear nowhere they must not.
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

#[tokio::test]
async fn import_run_profile_report_and_share_without_leaking_secrets() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let secret_string = serde_json::json!({
        "USER_POOL_CLIENT_ID": "demo-client-id",
        "USER_POOL_CLIENT_SECRET": SECRET,
        "USER_POOL_DOMAIN": emu.base_url(),
        "USER_POOL_SCOPE": "demo/example",
        "APIGW_URL": format!("{}/dev", emu.base_url()),
    })
    .to_string();
    Browser::with(async |b| {
        b.open(&site).await;
        b.record_console().await;

        // Import the seed's Secrets Manager secret string.
        b.click("Import…").await;
        b.fill("Paste AWS output", &secret_string).await;
        b.click("Fill the form").await;
        let summary = b.wait_text(".import-summary", "Filled").await;
        assert!(!summary.contains(SECRET), "{summary}");
        let id = b.control("Client ID").await.prop("value").await.unwrap();
        assert_eq!(id.as_deref(), Some("demo-client-id"));

        // Bad input changes nothing.
        b.fill("Paste AWS output", "{\"Name\": 1").await;
        b.click("Fill the form").await;
        b.wait_text(".import-summary", "Nothing was changed").await;

        b.click("Run").await;
        b.wait_text(".verdict", "PASS").await;
        // The raw token, read once through Reveal secrets, then hidden again.
        let reveal = b
            .client
            .find(Locator::XPath(&format!(
                "{}//label[contains(., 'Reveal secrets')]/input",
                xpath_section("token-response-heading")
            )))
            .await
            .unwrap();
        b.click_el(&reveal).await;
        let revealed = b.wait_text(TOKEN, "\"access_token\"").await;
        let token = revealed
            .split("\"access_token\": \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the revealed token")
            .to_string();
        assert!(token.starts_with("eyJ"), "{token}");
        b.click_el(&reveal).await;
        b.wait_text(TOKEN, "••••••").await;

        // A profile: every field but the secret.
        b.fill("Profile name", "dev").await;
        b.click("Save profile").await;
        b.wait_text(".tools", "Saved profile").await;
        let stored = b
            .js_string("return JSON.stringify(Object.assign({}, localStorage))")
            .await;
        assert!(stored.contains("demo-client-id"), "{stored}");

        b.click("Copy as curl").await;
        // The copy's note ("Copied", or "Not copied: …" where the browser refuses) stands beside
        // the command it is about, and goes when the panel shows another (the panel is not
        // redrawn for a new exchange or a toggle, so the note would stay).
        let notes =
            format!("return String(document.querySelectorAll(\"{TOKEN} .copy-status\").length)");
        b.wait_text(&format!("{TOKEN} .copy-status"), "opied").await;
        let with_secrets = b
            .client
            .find(Locator::XPath(&format!(
                "{}//label[contains(., 'include secrets in curl')]/input",
                xpath_section("token-response-heading")
            )))
            .await
            .unwrap();
        b.click_el(&with_secrets).await;
        b.wait_text(TOKEN, "do not paste it into a ticket").await;
        assert_eq!(
            b.js_string(&notes).await,
            "0",
            "the note outlived its command"
        );
        b.click_el(&with_secrets).await;

        // The evidence report, both formats.
        b.click("Download report (Markdown)").await;
        let markdown = b.downloaded(".md").await;
        assert!(
            markdown.contains("demo-client-id") && markdown.contains("PASS"),
            "{markdown}"
        );
        b.click("Download report (JSON)").await;
        let json = b.downloaded(".json").await;
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());

        // Share link: settings without the secret; opening it fills the form and asks for the secret.
        b.click("Share link").await;
        let link = b
            .client
            .find(Locator::Css("input.share-link"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap();
        assert!(link.contains("#"), "{link}");

        for (place, text) in [
            ("localStorage", stored.clone()),
            (
                "sessionStorage",
                b.js_string("return JSON.stringify(Object.assign({}, sessionStorage))")
                    .await,
            ),
            ("the URL", b.client.current_url().await.unwrap().to_string()),
            ("the share link", link.clone()),
            (
                "the console (page hook)",
                b.console_messages().await.join("\n"),
            ),
            (
                "the console (chromedriver log)",
                b.browser_log().await.join("\n"),
            ),
            (
                "the DOM",
                b.js_string("return document.documentElement.outerHTML")
                    .await,
            ),
            ("the Markdown report", markdown.clone()),
            ("the JSON report", json.clone()),
        ] {
            assert!(
                !text.contains(SECRET),
                "the client secret leaked into {place}"
            );
            assert!(
                !text.contains(&token),
                "the access token leaked into {place}"
            );
        }

        // Only the fragment differs, so leave the page first to make the browser load it anew.
        b.client.goto("about:blank").await.unwrap();
        b.open(&link).await;
        b.wait_text(".verdict", "Enter the Client secret").await;
        let domain = b.control("Domain").await.prop("value").await.unwrap();
        assert_eq!(domain.as_deref(), Some(emu.base_url().as_str()));
        let secret = b
            .control("Client secret")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(secret.as_deref(), Some(""));
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn the_secret_is_remembered_in_the_tab_only_when_asked() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client secret", SECRET).await;
        let session = b.js_string("return JSON.stringify(Object.assign({}, sessionStorage))").await;
        assert!(!session.contains(SECRET), "stored without opting in: {session}");
        b.control("Remember secret in this tab").await.click().await.unwrap();
        let session = b.js_string("return JSON.stringify(Object.assign({}, sessionStorage))").await;
        assert!(session.contains(SECRET), "{session}");
        b.client.refresh().await.unwrap();
        b.open(&site).await;
        let secret = b.control("Client secret").await.prop("value").await.unwrap();
        assert_eq!(secret.as_deref(), Some(SECRET), "the tab remembers it after a reload");
        b.click("Forget everything").await;
        b.click("Yes, forget everything").await;
        let all = b.js_string("return JSON.stringify([Object.assign({}, sessionStorage), Object.assign({}, localStorage)])").await;
        assert!(!all.contains(SECRET), "{all}");
    })
    .await;
    emu.shutdown().await;
}

fn xpath_section(heading_id: &str) -> String {
    format!("//section[@aria-labelledby='{heading_id}']")
}
