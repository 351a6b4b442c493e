//! The core flow end to end: the release dist/ served on its own origin (as on S3),
//! calling the emulator directly (CORS), clicking through the real UI.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_emulator::{CorsMode, TokenFault};
use e2e::panel::{API, CHECKS, DECODED, TOKEN, VERDICT};
use e2e::{emulator, Browser};
use fantoccini::Locator;

#[tokio::test]
async fn happy_path_with_both_client_authentication_methods() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        for method in ["Secret in body", "Basic header"] {
            b.choose("Client authentication", method).await;
            // A new token each time: Get token, then Call API. The panel keeps the last answer
            // until the new one is in, so wait for what only this method's request shows.
            b.click("Get token").await;
            let sent = if method == "Basic header" {
                "Authorization: Basic ••••••"
            } else {
                "client_secret=••••••"
            };
            let token = b.wait_text(TOKEN, sent).await;
            assert!(
                token.contains("200 OK") && token.contains("POST"),
                "{token}"
            );
            assert!(
                !token.contains("demo-client-secret"),
                "the secret must be masked:\n{token}"
            );
            if method == "Basic header" {
                assert!(token.contains("Authorization: Basic ••••••"), "{token}");
                assert!(!token.contains("client_secret="), "{token}");
            } else {
                assert!(token.contains("client_secret=••••••"), "{token}");
            }
            let decoded = b.wait_text(DECODED, "token_use").await;
            for expected in [
                "access",
                "demo/example",
                "demo-client-id",
                "us-east-1_demo",
                "Expires in",
            ] {
                assert!(
                    decoded.contains(expected),
                    "decoded token lacks {expected}:\n{decoded}"
                );
            }
            b.click("Call API").await;
            let api = b.wait_text(API, "200 OK").await;
            for pet in ["dog", "cat", "fish", "249.99"] {
                assert!(api.contains(pet), "API body lacks {pet}:\n{api}");
            }
            assert!(api.contains("Authorization: Bearer eyJ"), "{api}");
            b.wait_text(VERDICT, "PASS").await;
        }
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn token_errors_are_explained() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.fill("Client secret", "wrong-secret").await;
        b.click("Run").await;
        let token = b.wait_text(TOKEN, "invalid_client").await;
        assert!(token.contains("400"), "{token}");
        assert!(
            token.contains("Likely cause") && token.contains("What to do"),
            "{token}"
        );
        b.wait_text(VERDICT, "FAIL").await;
        assert!(
            !b.text(API).await.contains("200 OK"),
            "no API call after a failed token"
        );

        b.fill("Client secret", "demo-client-secret").await;
        b.fill("Scope", "demo/other").await;
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "invalid_scope").await;
        assert!(
            token.contains("demo/other") || token.contains("scope"),
            "{token}"
        );
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn an_api_without_cors_gets_the_proxy_fix() {
    let emu = emulator(|c| c.cors = CorsMode::None).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.click("Run").await;
        b.wait_text(TOKEN, "200 OK").await;
        let api = b.wait_text(API, "CORS").await;
        assert!(api.contains("Route through proxy"), "{api}");
        b.wait_text(VERDICT, "FAIL").await;
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn cors_only_on_success_points_at_the_gateway_responses() {
    let emu = emulator(|c| c.cors = CorsMode::SuccessOnly).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        // A token without the method's scope: the authorizer's 401 carries no CORS headers.
        b.fill("Client ID", "other-scope-client").await;
        b.fill("Client secret", "other-scope-secret").await;
        b.fill("Scope", "demo/other").await;
        b.click("Run").await;
        b.wait_text(TOKEN, "200 OK").await;
        let api = b.wait_text(API, "Gateway Responses").await;
        assert!(api.contains("DEFAULT_4XX"), "{api}");
    })
    .await;
    emu.shutdown().await;
}

/// The countdown runs out on its own, then Run must fetch a new token (it reuses one with more
/// than 5 s left). And a Run drew the Decoded token's time rows (iat, exp, auth_time) again with
/// every token, and its countdown line every second: with erased views that removes and sets
/// again each attribute of every element redrawn. Now the claims table is drawn once per shape and fed, and the countdown
/// line changes its figure until its kind changes (valid → EXPIRED → valid). Attribute and child
/// changes are counted by a MutationObserver; texts may change.
#[tokio::test]
async fn an_expired_token_is_fetched_again_and_only_the_texts_change() {
    // Long enough for the countdown to move before the token expires, whatever the machine.
    let emu = emulator(|c| c.token_validity = Some(8)).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.click("Run").await;
        b.wait_text(VERDICT, "PASS").await;
        let first = b.text(".jwt-payload").await;
        let exp = b.text("tr[data-claim='exp'] code.value").await;
        b.wait_text(".countdown", "0:0").await;
        // The observers go on in the same script that reads the countdown: no tick in between.
        let countdown = b
            .js_string(
                "window.__redrawn = [];
                 const note = (list) => { for (const m of list) if (m.type !== 'characterData')
                   window.__redrawn.push(m.type + ' ' + (m.attributeName || '') + ' on ' + m.target.nodeName); };
                 window.__tbody = document.querySelector('table.claims tbody');
                 window.__expiry = document.querySelector('p.expiry');
                 window.__rows = new MutationObserver(note);
                 window.__rows.observe(window.__tbody,
                   { subtree: true, childList: true, attributes: true, characterData: true });
                 window.__line = new MutationObserver(note);
                 window.__line.observe(window.__expiry,
                   { subtree: true, childList: true, attributes: true, characterData: true });
                 return document.querySelector('.countdown').textContent;",
            )
            .await;
        // The countdown moves: its line stays as drawn (the same element, no attribute set again).
        b.wait_text_change(".countdown", &countdown).await;
        let moved = b
            .js_string(
                "return document.querySelector('p.expiry') === window.__expiry
                   ? window.__redrawn.join('; ') : 'another line';",
            )
            .await;
        assert_eq!(moved, "", "the countdown line was drawn again as it moved");
        b.js_string("window.__line.disconnect(); return '';").await;

        b.wait_text(DECODED, "EXPIRED").await;
        b.click("Run").await;
        b.wait_text(VERDICT, "fetched a new one").await;
        b.wait_text(VERDICT, "PASS").await;
        b.wait_text_change(".jwt-payload", &first).await;
        let exp_again = b.text("tr[data-claim='exp'] code.value").await;
        assert_ne!(exp, exp_again, "the exp row shows the new token's");
        let redrawn = b
            .js_string(
                "return document.querySelector('table.claims tbody') === window.__tbody
                   ? window.__redrawn.join('; ') : 'another table';",
            )
            .await;
        assert_eq!(redrawn, "", "the claims table was drawn again for a token of the same kind");
        assert!(b.text(".expiry").await.contains("Expires in"));
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn timeouts_and_cancel() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/faults/delay/5000").await;
        b.click("Get token").await;
        b.wait_text(TOKEN, "200 OK").await;
        b.fill("Timeout (seconds)", "1").await;
        let timeout = b.control("Timeout (seconds)").await;
        assert_eq!(timeout.prop("value").await.unwrap().as_deref(), Some("1"));
        b.click("Call API").await;
        let api = b.wait_text(API, "within 1 s").await;
        assert!(api.contains("What to do"), "{api}");

        b.fill("Timeout (seconds)", "30").await;
        b.fill("API URL", &format!("{}/faults/delay/60000", emu.base_url()))
            .await;
        b.click("Call API").await;
        b.wait_text(VERDICT, "Calling the API").await;
        b.click("Cancel").await;
        b.wait_text(API, "was cancelled").await;
        // Run with the held token: the last answer is cleared, and while the call is out the
        // verdict says so, not "press Call API".
        b.click("Run").await;
        let verdict = b.wait_text(VERDICT, "Calling the API").await;
        assert!(!verdict.contains("Press Call API"), "{verdict}");
        assert!(
            !b.text(API).await.contains("cancelled"),
            "old answer still shown"
        );
        b.click("Cancel").await;
        b.wait_text(API, "was cancelled").await;
        // The page is usable again: the next call works.
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
        b.click("Call API").await;
        b.wait_text(API, "200 OK").await;
    })
    .await;
    emu.shutdown().await;
}

/// Run keeps a new token's answer back to show it with the API's (one redraw on a fast
/// network), but never longer than a moment: with an API that takes a minute, the token panel,
/// the decoded token and "Calling the API…" are on screen while the call is still out. The
/// negative checks wait for the run to end.
#[tokio::test]
async fn a_slow_api_does_not_hold_back_the_token() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/faults/delay/60000").await;
        // While the token is out, and while the API call is out with the token held back, the
        // run bar says both.
        emu.set_token_fault(Some(TokenFault::Slow { ms: 2_000 }));
        b.click("Run").await;
        b.wait_text("#verdict-summary", "Getting a token, then calling the API")
            .await;
        emu.set_token_fault(None);
        b.wait_text(VERDICT, "Calling the API").await;
        let token = b.wait_text(TOKEN, "200 OK").await;
        assert!(token.contains("access_token"), "{token}");
        b.wait_text(DECODED, "token_use").await;
        let api = b.text(API).await;
        assert!(
            !api.contains("200 OK"),
            "the API has not answered yet: {api}"
        );
        // Negative checks judge the held token and the run it came from: not while a run is on.
        let negatives = b.button("Run all negative checks").await;
        assert_eq!(
            negatives.prop("disabled").await.unwrap().as_deref(),
            Some("true")
        );
        b.click("Cancel").await;
        b.wait_text(API, "was cancelled").await;
        assert!(
            b.text(TOKEN).await.contains("200 OK"),
            "the token stays shown"
        );
        // The token is held: Call API sends it.
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
        b.click("Call API").await;
        b.wait_text(API, "200 OK").await;
        assert_eq!(
            negatives.prop("disabled").await.unwrap().as_deref(),
            Some("false")
        );
    })
    .await;
    emu.shutdown().await;
}

/// A run draws nothing before its answers come or 100 ms have passed: on a fast network the
/// page redraws once, with both answers (no flash of emptied panels, and no frame the answers
/// wait behind). Here the token endpoint takes 2 s, so the first change of the run bar or the
/// API panel is the timer's, at 100 ms or later; drawn at the click, it was at about 1 ms. A
/// second run with the same verdict still changes the verdict region: its time.
#[tokio::test]
async fn a_run_draws_nothing_before_its_answers_or_100_ms() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        emu.set_token_fault(Some(TokenFault::Slow { ms: 2_000 }));
        b.js_string(&format!(
            "window.firstChange = null;
             const t0 = performance.now();
             const seen = new MutationObserver(() => {{
               if (window.firstChange === null) window.firstChange = performance.now() - t0;
             }});
             for (const el of [document.querySelector({API:?}), document.querySelector('#verdict-summary')])
               seen.observe(el, {{ subtree: true, childList: true, characterData: true, attributes: true }});
             [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run').click();
             return '';"
        ))
        .await;
        b.wait_text("#verdict-summary", "Getting a token, then calling the API")
            .await;
        emu.set_token_fault(None);
        b.wait_text("#verdict-summary", "PASS").await;
        let first = b.js_string("return String(window.firstChange)").await;
        let first: f64 = first.parse().unwrap_or_else(|_| panic!("no change seen: {first}"));
        assert!(first >= 99.0, "the page changed {first} ms after the click");

        // With nothing drawn in between, a second run landing the same verdict must still read
        // as new (the verdict region is announced whole): it names when the run started.
        let verdict = b.wait_text(VERDICT, "Run started at").await;
        b.click("Run").await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let again = b.text(VERDICT).await;
            if again != verdict && again.contains("PASS") && again.contains("Run started at") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the verdict did not change: {again}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn a_hostile_body_stays_text() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/faults/xss").await;
        b.click("Run").await;
        let api = b.wait_text(API, "<script>alert(1)</script>").await;
        assert!(api.contains("<img src=x onerror=alert(1)>"), "{api}");
        let injected = b
            .client
            .find_all(Locator::Css(&format!("{API} script, {API} img")))
            .await
            .unwrap();
        assert!(injected.is_empty(), "the body was rendered as HTML");
        // The exposed header carrying a script is shown as text too.
        assert!(api.contains("x-xss-probe: <script>alert(1)</script>"), "{api}");

        // Claims carrying markup, in a pasted token, stay text in the claim table and payload.
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let hostile = format!(
            "{}.{}.c2ln",
            b64(r#"{"alg":"RS256","kid":"<script>window.__xss=1</script>"}"#),
            b64(r#"{"token_use":"<img src=x onerror=window.__xss=2>","scope":"javascript:window.__xss=3 &lt;b&gt;","iss":"<svg onload=window.__xss=4>"}"#)
        );
        b.client.find(Locator::Css("details.paste summary")).await.unwrap().click().await.unwrap();
        b.fill("Token to inspect", &hostile).await;
        b.click("Inspect token").await;
        let decoded = b.wait_text(DECODED, "<img src=x onerror=window.__xss=2>").await;
        assert!(decoded.contains("&lt;b&gt;") && decoded.contains("<svg onload=window.__xss=4>"), "{decoded}");
        let injected = b
            .client
            .find_all(Locator::Css(&format!("{DECODED} img, {DECODED} svg, {DECODED} script, section[aria-labelledby='checks-heading'] img")))
            .await
            .unwrap();
        assert!(injected.is_empty(), "a claim was rendered as HTML");
        let ran = b.client.execute("return window.__xss === undefined", vec![]).await.unwrap();
        assert_eq!(ran, serde_json::Value::Bool(true), "a payload ran");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn the_checks_panel_is_green_for_a_good_token_and_red_on_mismatch() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.click("Get token").await;
        let checks = b.wait_text(CHECKS, "Every check passes").await;
        assert!(checks.contains("Valid RS256 signature"), "{checks}");
        assert!(!checks.contains("✗"), "{checks}");

        // The clock ticks the Expiry line every second; the other lines stay the same elements.
        let signature = b
            .client
            .find(Locator::Css(r#"li[data-check="Signature"]"#))
            .await
            .unwrap();
        let expiry = b.text(r#"li[data-check="Expiry"]"#).await;
        b.wait_text_change(r#"li[data-check="Expiry"]"#, &expiry)
            .await;
        let still = signature.text().await;
        assert!(
            still
                .as_ref()
                .is_ok_and(|t| t.contains("Valid RS256 signature")),
            "the Signature line was redrawn on a clock tick: {still:?}"
        );

        // The checks judge the run's own settings: editing the form afterwards changes nothing.
        b.fill("Client ID", "someone-else").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let checks = b.text(CHECKS).await;
        assert!(checks.contains("Every check passes"), "{checks}");

        // A pasted token has no run: it is compared with the form, live.
        let reveal = b
            .client
            .find(Locator::XPath("//section[@aria-labelledby='token-response-heading']//label[contains(., 'Reveal secrets')]/input"))
            .await
            .unwrap();
        b.click_el(&reveal).await;
        let text = b.wait_text(TOKEN, "\"access_token\": \"eyJ").await;
        b.click_el(&reveal).await;
        let token = text
            .split("\"access_token\": \"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        b.client
            .find(Locator::XPath("//summary[normalize-space()='Paste a token']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.fill("Token to inspect", &token).await;
        b.click("Inspect token").await;
        let checks = b.wait_text(CHECKS, "check failed").await;
        assert!(
            checks.contains(
                "Issued to app client demo-client-id, but the Client ID field says someone-else"
            ),
            "{checks}"
        );
        b.fill("Client ID", "demo-client-id").await;
        b.fill("Scope", "demo/other").await;
        let checks = b.wait_text(CHECKS, "Missing demo/other").await;
        assert!(checks.contains("check failed"), "{checks}");

        // Call API with the pasted token freezes a run like any other: its verdict judges the
        // scope it was sent with, and putting the form right afterwards does not turn it to PASS.
        b.click("Call API").await;
        let summary = b.wait_text("#verdict-summary", "FAIL").await;
        assert!(summary.contains("token check failed"), "{summary}");
        b.fill("Scope", "demo/example").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let summary = b.text("#verdict-summary").await;
        assert!(summary.contains("FAIL"), "the verdict followed the form: {summary}");
        let checks = b.text(CHECKS).await;
        assert!(checks.contains("Missing demo/other"), "{checks}");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn a_pasted_forged_token_is_refused_by_the_checks() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    // alg none, no signature: the classic forgery.
    let forged = "eyJhbGciOiJub25lIn0.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.";
    Browser::with(async |b| {
        b.open(&site).await;
        b.client
            .find(Locator::Css("details.paste summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.fill("Token to inspect", forged).await;
        b.click("Inspect token").await;
        let checks = b.wait_text(CHECKS, "unsigned").await;
        assert!(
            checks.contains("check failed") || checks.contains("checks failed"),
            "{checks}"
        );
        b.wait_text(DECODED, "Showing a pasted token").await;
    })
    .await;
    emu.shutdown().await;
}
