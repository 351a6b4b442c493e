//! Users' tokens end to end (issue #17): the whole sign-in through the emulator's managed login
//! page for the public client and the client with a secret, the Send token choice against
//! methods with and without scopes, refresh, revoke, userInfo, and the redirect's failures (a
//! forged state, a reused code).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_emulator::{Running, DEMO_USER, USER_CLIENT_SECRET};
use e2e::panel::API;
use e2e::{emulator, free_loopback_port, Browser};

const PANEL: &str = "section[aria-labelledby='user-tokens-heading']";
const NOTE: &str = "#sign-in-note";
const PENDING_KEY: &str = "cognito-api-tester.sign-in";

/// The default scenario with this site's address allowed as callback and sign-out URL.
async fn emulator_for_the_site() -> Running {
    let port = free_loopback_port();
    emulator(|c| {
        c.static_port = port;
        let site = format!("http://127.0.0.1:{port}/");
        for client in c.clients.iter_mut().filter(|c| c.authorization_code) {
            client.callback_urls.push(site.clone());
            client.logout_urls.push(site.clone());
        }
    })
    .await
}

async fn fill_user_form(b: &Browser, emu: &Running, client_id: &str, api_path: &str) {
    b.fill("Client ID", client_id).await;
    b.fill("Domain", &emu.base_url()).await;
    b.fill("Scope", "openid email demo/example").await;
    b.fill("API URL", &format!("{}{api_path}", emu.base_url()))
        .await;
    b.choose("Grant", "Authorization code (PKCE)").await;
}

/// Sign in → the emulator's login page → back on the page.
async fn sign_in_at_managed_login(b: &Browser) {
    b.click("Sign in").await;
    // The emulator's page: plain labels and a Sign in button of its own.
    b.client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(fantoccini::Locator::Css("form[action^='/login']"))
        .await
        .expect("managed login's page opens");
    b.fill("Username", DEMO_USER.0).await;
    b.fill("Password", DEMO_USER.1).await;
    b.click("Sign in").await;
    b.client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(fantoccini::Locator::Css(e2e::APP_READY))
        .await
        .expect("the app mounts again after the redirect");
}

async fn address(b: &Browser) -> String {
    b.client.current_url().await.unwrap().to_string()
}

#[tokio::test]
async fn the_public_client_signs_in_and_uses_refreshes_and_revokes_its_tokens() {
    let emu = emulator_for_the_site().await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        fill_user_form(b, &emu, "user-client", "/dev/id-token-only").await;
        let redirect = b.control("Redirect URI").await;
        assert_eq!(
            redirect.prop("value").await.unwrap().as_deref(),
            Some(format!("{site}/").as_str())
        );
        sign_in_at_managed_login(b).await;

        b.wait_text(NOTE, "Signed in").await;
        let url = address(b).await;
        assert!(!url.contains("code=") && !url.contains("state="), "{url}");
        let stored = b
            .js_string(&format!(
                "return String(sessionStorage.getItem('{PENDING_KEY}'))"
            ))
            .await;
        assert_eq!(stored, "null", "the sign-in record outlived the return");
        let panel = b.wait_text("#id-token-claims", "cognito:username").await;
        assert!(panel.contains(DEMO_USER.2), "{panel}");
        assert!(b.text("#refresh-token-note").await.contains("Opaque"));
        let checks = b.wait_text("#id-token-checks", "Nonce").await;
        assert!(!checks.contains('✗'), "an ID token check failed:\n{checks}");

        // Without scopes the method wants the ID token; the access token gets 401 and the hint.
        b.choose("Send token", "ID token").await;
        b.click("Call API").await;
        b.wait_text(API, "200 OK").await;
        b.wait_idle().await;
        // The ID token is judged as one (not failed for lacking client_id and scope): PASS.
        b.wait_text(".verdict", "PASS").await;
        b.choose("Send token", "Access token").await;
        b.click("Call API").await;
        let api = b.wait_text(API, "401").await;
        assert!(api.contains("Send token: ID token"), "{api}");
        b.wait_idle().await;

        b.click("userInfo").await;
        b.wait_text(NOTE, "userInfo answered 200").await;
        b.wait_text(PANEL, DEMO_USER.2).await;

        b.click("Refresh token").await;
        b.wait_text(NOTE, "Refreshed").await;

        b.click("Revoke").await;
        b.wait_text(NOTE, "Revoked (HTTP 200)").await;
        b.wait_text(PANEL, "invalid_grant").await;
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn the_client_with_a_secret_asks_for_it_again_after_the_redirect() {
    let emu = emulator_for_the_site().await;
    let site = emu.static_url().unwrap();
    let (client_id, secret) = USER_CLIENT_SECRET;
    Browser::with(async |b| {
        b.open(&site).await;
        fill_user_form(b, &emu, client_id, "/dev/pets").await;
        b.fill("Client secret", secret).await;
        sign_in_at_managed_login(b).await;

        b.wait_text(NOTE, "type it again").await;
        let field = b.control("Client secret").await;
        assert_eq!(field.prop("value").await.unwrap().as_deref(), Some(""));
        b.fill("Client secret", secret).await;
        b.click("Exchange code").await;
        b.wait_text(NOTE, "Signed in").await;
        let exchange = b.text(PANEL).await;
        assert!(!exchange.contains(secret), "{exchange}");

        // A method with scopes takes the access token.
        b.click("Call API").await;
        b.wait_text(API, "200 OK").await;
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn a_forged_state_and_a_reused_code_are_refused_with_a_diagnosis() {
    let emu = emulator_for_the_site().await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        // A code this tab never asked for: nothing is exchanged.
        b.open(&format!("{site}/?code=forged-code&state=forged-state"))
            .await;
        b.wait_text(PANEL, "did not send").await;
        let url = address(b).await;
        assert!(!url.contains("forged-code"), "{url}");

        // A real sign-in, then the same code again (history, a reload of an old address).
        b.open(&site).await;
        fill_user_form(b, &emu, "user-client", "/dev/pets").await;
        b.click("Sign in").await;
        b.client
            .wait()
            .at_most(std::time::Duration::from_secs(20))
            .for_element(fantoccini::Locator::Css("form[action^='/login']"))
            .await
            .unwrap();
        b.fill("Username", DEMO_USER.0).await;
        b.fill("Password", DEMO_USER.1).await;
        // The address the redirect brought (the page cleaned it from the bar, not from the
        // navigation's record): replayed below.
        b.click("Sign in").await;
        b.wait_text(NOTE, "Signed in").await;
        let returned = b
            .js_string("return performance.getEntriesByType('navigation')[0].name")
            .await;
        assert!(returned.contains("code="), "{returned}");
        // Put back a record for it (as a second tab would have), then load the used code again.
        let state = returned
            .split("state=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string();
        let record = serde_json::json!({
            "verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "state": state,
            "nonce": "n",
            "redirect_uri": format!("{site}/"),
            "token_url": format!("{}/oauth2/token", emu.base_url()),
            "client_id": "user-client",
            "has_secret": false,
        });
        b.js_string(&format!(
            "sessionStorage.setItem('{PENDING_KEY}', {}); return 'ok'",
            serde_json::to_string(&record.to_string()).unwrap()
        ))
        .await;
        b.client.goto(&returned).await.unwrap();
        let panel = b.wait_text(PANEL, "invalid_grant").await;
        assert!(panel.contains("already used"), "{panel}");
    })
    .await;
    emu.shutdown().await;
}

/// The canary keeps a user's 3-second token alive with the refresh token: every scheduled run
/// passes, none is refused for want of a token (Run never signs a user in).
#[tokio::test]
async fn the_canary_refreshes_the_users_token_before_it_expires() {
    let port = free_loopback_port();
    let emu = emulator(|c| {
        c.static_port = port;
        c.token_validity = Some(3);
        let site = format!("http://127.0.0.1:{port}/");
        for client in c.clients.iter_mut().filter(|c| c.authorization_code) {
            client.callback_urls.push(site.clone());
        }
    })
    .await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        fill_user_form(b, &emu, "user-client", "/dev/pets").await;
        sign_in_at_managed_login(b).await;
        b.wait_text(NOTE, "Signed in").await;
        b.fill("Run every", "1").await;
        b.click("Start schedule").await;
        b.wait_text(NOTE, "Refreshed").await;
        // One more run on the refreshed token, then stop.
        let before = b.text("table.history").await;
        b.wait_text_change("table.history", &before).await;
        b.click("Stop schedule").await;
        let history = b.text("table.history").await;
        assert!(history.contains("PASS"), "{history}");
        for bad in ["FAIL", "CANNOT JUDGE", "Sign in"] {
            assert!(!history.contains(bad), "{bad} in the history:\n{history}");
        }
    })
    .await;
    emu.shutdown().await;
}
