//! Canary mode end to end: a short schedule with 3-second tokens, the API
//! failing and recovering (history and tab title), and the negative checks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use e2e::panel::CANARY;
use e2e::{emulator, Browser, WAIT};

/// Waits until the page title satisfies `ok`; returns it.
async fn wait_title(b: &Browser, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let title = b.client.title().await.unwrap();
        if ok(&title) {
            return title;
        }
        assert!(
            Instant::now() < deadline,
            "the title never showed {what}; it is \"{title}\""
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_schedule_refetches_tokens_and_shows_failure_and_recovery() {
    let emu = emulator(|c| c.token_validity = Some(3)).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.fill("Run every", "1").await;
        b.click("Start schedule").await;
        // 3 s tokens, a run every second: within a few runs the token is fetched again.
        let deadline = Instant::now() + WAIT;
        loop {
            let history = b.text("table.history").await;
            if history.matches("new token").count() >= 2 && history.contains("reused") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "no token re-fetch in the history:\n{history}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        wait_title(b, "passing", |t| {
            t.starts_with('✓') && t.contains("passing")
        })
        .await;

        emu.set_api_failing(true);
        let failing = wait_title(b, "failing", |t| {
            t.starts_with('✗') && t.contains("failing")
        })
        .await;
        assert!(failing.contains("Cognito API Tester"), "{failing}");
        b.wait_text("table.history", "FAIL").await;
        b.wait_text("table.history", "500").await;

        emu.set_api_failing(false);
        wait_title(b, "recovery", |t| t.starts_with('✓')).await;
        b.click("Stop schedule").await;
        b.wait_text(CANARY, "Stopped").await;
        let summary = b.text(".canary-summary").await;
        assert!(summary.contains("runs"), "{summary}");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn negative_checks_are_refused_and_an_open_method_is_a_security_finding() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev").await;
        b.click("Get token").await;
        b.wait_text(
            "section[aria-labelledby='token-response-heading']",
            "200 OK",
        )
        .await;
        b.client
            .find(fantoccini::Locator::Css("details.other-client summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.fill("Second client ID", "other-scope-client").await;
        b.fill("Second client secret", "other-scope-secret").await;
        b.click("Run all negative checks").await;
        let table = b.wait_text("table.negative", "Other client").await;
        assert_eq!(table.matches("refused ✓").count(), 5, "{table}");
        assert!(!table.contains("SECURITY FINDING"), "{table}");

        b.fill("API URL", &format!("{}/dev/open", emu.base_url()))
            .await;
        b.click("Call API").await;
        b.wait_idle().await;
        // An edit after the call the checks judge changes nothing they send: they went to the
        // form's URL and were shown as findings about the run before.
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
        b.click("Run all negative checks").await;
        let table = b.wait_text("table.negative", "SECURITY FINDING").await;
        assert!(table.contains("200"), "{table}");
    })
    .await;
    emu.shutdown().await;
}
