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
    b.click_el(&reveal).await;
    let text = b.wait_text(TOKEN, "\"access_token\": \"eyJ").await;
    b.click_el(&reveal).await;
    text.split("\"access_token\": \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string()
}

/// The same for a user's sign-in: during the redirect sessionStorage holds the PKCE verifier,
/// state and nonce with the form, never the client secret; afterwards no ID, access or refresh
/// token (nor a signature, nor the secret) is in storage, the URL, the console or the DOM.
#[tokio::test]
async fn no_user_token_or_secret_escapes_the_sign_in() {
    let port = e2e::free_loopback_port();
    let site_slash = format!("http://127.0.0.1:{port}/");
    let emu = emulator(|c| {
        c.static_port = port;
        for client in c.clients.iter_mut().filter(|c| c.authorization_code) {
            client.callback_urls.push(site_slash.clone());
        }
    })
    .await;
    let site = emu.static_url().unwrap();
    let (client_id, secret) = cognito_emulator::USER_CLIENT_SECRET;
    let (user, password, _) = cognito_emulator::DEMO_USER;
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client ID", client_id).await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "openid email demo/example").await;
        b.fill("API URL", &format!("{}/dev/pets", emu.base_url()))
            .await;
        b.choose("Grant", "Authorization code (PKCE)").await;
        b.fill("Client secret", secret).await;
        b.click("Sign in").await;
        let login = Locator::Css("form[action^='/login']");
        b.client.wait().for_element(login).await.unwrap();
        // Back to the page without finishing: what the tab keeps while the user is away.
        b.client.back().await.unwrap();
        b.client
            .wait()
            .for_element(Locator::Css(e2e::APP_READY))
            .await
            .unwrap();
        let during = b
            .js_string("return JSON.stringify(Object.assign({}, sessionStorage))")
            .await;
        assert!(during.contains("verifier"), "no sign-in record: {during}");
        assert!(
            !during.contains(secret),
            "the client secret is in sessionStorage during the redirect"
        );

        // The whole sign-in, a refresh and a call, the client authenticated under the Basic
        // scheme: base64(client_id:secret) is as secret as the secret.
        b.choose("Client authentication", "Basic header").await;
        b.fill("Client secret", secret).await;
        b.click("Sign in").await;
        b.client.wait().for_element(login).await.unwrap();
        b.fill("Username", user).await;
        b.fill("Password", password).await;
        b.click("Sign in").await;
        b.wait_text("#sign-in-note", "type it again").await;
        b.fill("Client secret", secret).await;
        b.click("Exchange code").await;
        b.wait_text("#sign-in-note", "Signed in").await;
        // Copy as curl of the code exchange, before any Run has put the Basic form in the book.
        let copied_exchange = copy_user_curl(b).await;
        assert!(
            copied_exchange.contains("Authorization: Basic"),
            "{copied_exchange}"
        );
        let tokens = raw_user_tokens(b).await;
        b.click("Call API").await;
        b.wait_text(e2e::panel::API, "200 OK").await;
        b.click("Refresh token").await;
        b.wait_text("#sign-in-note", "Refreshed").await;
        // A refresh with a secret edited since sign-in, which the token endpoint refuses.
        let edited = "an-edited-secret-after-sign-in-0123456789";
        b.fill("Client secret", edited).await;
        b.click("Refresh token").await;
        b.wait_text("body", "invalid_client").await;
        let copied_refresh = copy_user_curl(b).await;
        use base64::Engine as _;
        let basic =
            |s: &str| base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{s}"));

        let places = [
            ("the code exchange's curl", copied_exchange),
            ("the failed refresh's curl", copied_refresh),
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
        for (place, text) in &places {
            assert!(
                !text.contains(secret),
                "the client secret leaked into {place}"
            );
            assert!(
                !text.contains(edited),
                "the edited client secret leaked into {place}"
            );
            assert!(
                !text.contains(&basic(secret)) && !text.contains(&basic(edited)),
                "the Basic credentials leaked into {place}"
            );
            for (name, token) in &tokens {
                assert!(
                    !text.contains(token.as_str()),
                    "the {name} leaked into {place}"
                );
                let tail = token.rsplit('.').next().unwrap();
                assert!(
                    !text.contains(tail),
                    "the {name}'s last part leaked into {place}"
                );
            }
        }
        assert!(
            !places[3].1.contains("verifier"),
            "the sign-in record outlived the exchange"
        );
    })
    .await;
    emu.shutdown().await;
}

/// What the User tokens panel's Copy as curl puts on the clipboard (captured in the page: the
/// real clipboard needs a focused window).
async fn copy_user_curl(b: &Browser) -> String {
    b.js_string(
        "window.__copied = []; navigator.clipboard.writeText = async t => { window.__copied.push(t); }; return ''",
    )
    .await;
    let button = b
        .client
        .find(Locator::XPath("//section[@aria-labelledby='user-tokens-heading']//button[normalize-space()='Copy as curl']"))
        .await
        .unwrap();
    b.click_el(&button).await;
    let copied = b
        .poll_js("return (window.__copied || []).join('\\n')", |c| {
            c.contains("curl")
        })
        .await;
    assert!(copied.contains("curl"), "Copy as curl copied nothing");
    copied
}

/// The three tokens of the code exchange, read through the User tokens panel's "Reveal secrets".
async fn raw_user_tokens(b: &Browser) -> Vec<(&'static str, String)> {
    let panel = "section[aria-labelledby='user-tokens-heading']";
    let reveal = b
        .client
        .find(Locator::XPath("//section[@aria-labelledby='user-tokens-heading']//label[contains(., 'Reveal secrets')]/input"))
        .await
        .unwrap();
    b.click_el(&reveal).await;
    let text = b.wait_text(panel, "\"refresh_token\": \"eyJ").await;
    b.click_el(&reveal).await;
    ["id_token", "access_token", "refresh_token"]
        .into_iter()
        .map(|name| {
            let value = text
                .split(&format!("\"{name}\": \""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap()
                .to_string();
            assert!(value.len() > 40, "{name}: {value}");
            (name, value)
        })
        .collect()
}

/// A token pasted into the form from elsewhere — here the API URL — is a secret even before the tab
/// has seen it: the tab's kept form (sessionStorage) holds it masked, a profile (localStorage)
/// refuses it, and after the tab learns it (by inspecting it) nothing changes. Before, the kept form
/// held it as typed and kept it after the tab learned it. After a reload the masked field is
/// refused with its reason instead of being sent.
#[tokio::test]
async fn a_token_pasted_into_the_form_never_reaches_storage() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    // A JWT from elsewhere: the tab has never sent or received it.
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsYXRlciJ9.c2lnbmF0dXJlLWxlYXJuZWQtbGF0ZXI";
    let signature = token.rsplit('.').next().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client ID", "demo-client-id").await;
        b.fill(
            "API URL",
            &format!("{}/dev?access_token={token}", emu.base_url()),
        )
        .await;
        let kept = "return sessionStorage.getItem('cognito-api-tester.form') || ''";
        let stored = "return JSON.stringify(Object.assign({}, sessionStorage, localStorage))";
        let form = b.poll_js(kept, |f| f.contains("access_token=••••••")).await;
        assert!(
            form.contains("demo-client-id") && form.contains("access_token=••••••"),
            "the kept form holds the form with the token masked: {form}"
        );
        b.fill("Profile name", "with-a-token").await;
        b.click("Save profile").await;
        let tools = b.wait_text(".tools", "Not saved").await;
        assert!(tools.contains("a token (eyJ"), "{tools}");
        let everything = b.js_string(stored).await;
        assert!(
            !everything.contains(signature),
            "the token reached storage: {everything}"
        );
        let paste = b
            .client
            .find(Locator::XPath(
                "//summary[normalize-space()='Paste a token']",
            ))
            .await
            .unwrap();
        b.click_el(&paste).await;
        b.fill("Token to inspect", token).await;
        b.click("Inspect token").await;
        b.wait_text(".verdict", "Inspecting the pasted token").await;
        let everything = b.js_string(stored).await;
        assert!(
            !everything.contains(signature),
            "the token reached storage once the tab knew it: {everything}"
        );
        let form = b.js_string(kept).await;
        assert!(
            form.contains("access_token=••••••"),
            "the kept form still holds the form with the token masked: {form}"
        );
        // After a reload the field holds the mark, and the page says so instead of sending it.
        b.client.refresh().await.unwrap();
        b.open(&site).await;
        let api_url = b
            .control("API URL")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        assert_eq!(
            api_url,
            format!("{}/dev?access_token=••••••", emu.base_url())
        );
        b.fill("Client secret", "demo-client-secret").await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "demo/example").await;
        b.click("Run").await;
        let summary = b.wait_text("#verdict-summary", "Not sent").await;
        assert!(summary.contains("with the secret masked"), "{summary}");
    })
    .await;
    emu.shutdown().await;
}

/// A profile an earlier version saved with a token pasted into the API URL (saves refuse one
/// now): the page reads it masked, stores the profiles again without the token, and loading it
/// puts the mark in the field, which Run refuses.
#[tokio::test]
async fn a_token_in_a_profile_saved_earlier_leaves_storage() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2lnbmF0dXJlLWZyb20tYW4tb2xkLXByb2ZpbGU";
    let signature = token.rsplit('.').next().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client ID", "demo-client-id").await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "demo/example").await;
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
        b.fill("Profile name", "old").await;
        b.click("Save profile").await;
        b.wait_text(".tools", "Saved").await;
        // What an earlier version stored when the API URL held a token: the same, with it.
        b.js_string(&format!(
            "const k = 'cognito-api-tester.profiles'; \
             localStorage.setItem(k, localStorage.getItem(k).replace('/dev\"', {})); return ''",
            serde_json::to_string(&format!("/dev?access_token={token}\"")).unwrap()
        ))
        .await;
        assert!(b
            .js_string("return localStorage.getItem('cognito-api-tester.profiles')")
            .await
            .contains(signature));
        b.client.refresh().await.unwrap();
        b.open(&site).await;
        let stored = "return localStorage.getItem('cognito-api-tester.profiles') || ''";
        let profiles = b.poll_js(stored, |p| !p.contains(signature)).await;
        assert!(
            !profiles.contains(signature) && profiles.contains("access_token=••••••"),
            "the profile still holds the token: {profiles}"
        );
        b.choose("Profiles", "old").await;
        b.click("Load").await;
        let field = b
            .control("API URL")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        assert_eq!(field, format!("{}/dev?access_token=••••••", emu.base_url()));
        b.fill("Client secret", "demo-client-secret").await;
        b.click("Run").await;
        let summary = b.wait_text("#verdict-summary", "Not sent").await;
        assert!(summary.contains("with the secret masked"), "{summary}");
    })
    .await;
    emu.shutdown().await;
}

/// The Proxy setup panel quoted the API URL whole in its errors (here: no stage), and its Copy
/// button copied that: a token in the URL's query went to the panel and the clipboard in clear.
#[tokio::test]
async fn the_proxy_setup_panel_masks_what_it_quotes() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm94eSJ9.c2lnbmF0dXJlLWluLXByb3h5LXNldHVw";
    let signature = token.rsplit('.').next().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill(
            "API URL",
            &format!(
                "https://abc123defg.execute-api.us-east-1.amazonaws.com/?access_token={token}"
            ),
        )
        .await;
        b.open_details("details.hosting").await;
        let text = b.wait_text("details.hosting", "stage").await;
        assert!(text.contains("access_token=••••••"), "{text}");
        assert!(
            !text.contains(signature),
            "the token is in the panel: {text}"
        );
    })
    .await;
}
