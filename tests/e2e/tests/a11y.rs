//! Accessibility as a test: axe-core (pinned in tests/e2e/axe) finds no serious or critical
//! violation on the first screen, after a PASS, after a FAIL and with every panel open, in the
//! light and the dark theme; and the whole flow works from the keyboard alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Instant;

use e2e::panel::VERDICT;
use e2e::{emulator, Browser, WAIT};
use fantoccini::key::Key;
use fantoccini::Locator;

async fn axe_on(b: &Browser, what: &str, found: &mut Vec<String>) {
    for violation in b.axe_serious().await {
        found.push(format!("{what}: {violation}"));
    }
}

#[tokio::test]
async fn axe_finds_no_serious_or_critical_violation_light_and_dark() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let mut found = Vec::new();
    for dark in [false, true] {
        let theme = if dark { "dark" } else { "light" };
        Browser::with(async |b| {
            b.resize(1280, 900).await;
            b.color_scheme(dark).await;
            b.open(&site).await;
            axe_on(b, &format!("{theme}, first screen"), &mut found).await;

            b.fill_demo(&emu, "/dev").await;
            b.click("Run").await;
            b.wait_text(VERDICT, "PASS").await;
            axe_on(b, &format!("{theme}, after a PASS"), &mut found).await;

            b.fill("Client secret", "wrong-secret").await;
            b.click("Run").await;
            b.wait_text(VERDICT, "FAIL").await;
            axe_on(b, &format!("{theme}, after a FAIL"), &mut found).await;

            // Every panel open: Import…, the confirm of Forget everything, every <details>,
            // the negative checks' table.
            b.fill("Client secret", "demo-client-secret").await;
            b.click("Run").await;
            b.wait_text(VERDICT, "PASS").await;
            b.click("Run all negative checks").await;
            b.wait_text("table.negative", "refused").await;
            b.click("Import…").await;
            b.click("Forget everything").await;
            for summary in b
                .client
                .find_all(Locator::Css("details:not([open]) > summary"))
                .await
                .unwrap()
            {
                b.click_el(&summary).await;
            }
            axe_on(b, &format!("{theme}, every panel open"), &mut found).await;

            // The checker can fail: a planted unlabelled field is reported.
            b.client
                .execute(
                    "const i = document.createElement('input'); i.type = 'text'; i.id = 'planted'; document.querySelector('main').appendChild(i);",
                    vec![],
                )
                .await
                .unwrap();
            let planted = b.axe_serious().await;
            assert!(
                planted.iter().any(|v| v.contains("#planted")),
                "axe did not report a planted unlabelled input: {planted:?}"
            );
        })
        .await;
    }
    emu.shutdown().await;
    assert!(
        found.is_empty(),
        "axe-core found {} serious or critical violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Presses Tab (or Shift+Tab) until `target` has the focus, checking that every stop on the
/// way shows a visible focus indicator. Returns the stops.
async fn tab_to(b: &Browser, target: &str, backwards: bool) -> Vec<String> {
    let mut stops = Vec::new();
    for _ in 0..40 {
        if backwards {
            b.chord(Key::Shift.into(), Key::Tab.into()).await;
        } else {
            b.keys(&char::from(Key::Tab).to_string()).await;
        }
        let focused = b.focused().await;
        let ring = b
            .js_string(
                "const el = document.activeElement; const s = getComputedStyle(el);
                 return String(el === document.body || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none');",
            )
            .await;
        assert_eq!(ring, "true", "no visible focus on {focused}");
        stops.push(focused.clone());
        if focused == target {
            return stops;
        }
    }
    panic!("Tab never reached {target}; it went {stops:?}");
}

async fn type_here(b: &Browser, text: &str) {
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_whole_flow_from_the_keyboard_alone() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.resize(1280, 900).await;
        b.open(&site).await;
        // The first Tab stop is the run bar: the actions come first.
        b.keys(&char::from(Key::Tab).to_string()).await;
        assert_eq!(b.focused().await, "button Get token");

        // The form in reading order.
        let order = [
            "#client-id",
            "#client-secret",
            "#domain",
            "#scope",
            "#api-url",
        ];
        let values = [
            "demo-client-id".to_string(),
            "demo-client-secret".to_string(),
            emu.base_url(),
            "demo/example".to_string(),
            format!("{}/dev", emu.base_url()),
        ];
        for (id, value) in order.iter().zip(&values) {
            tab_to(b, id, false).await;
            type_here(b, value).await;
        }

        // Ctrl+Enter runs from the field; the focus stays where the user is typing.
        b.chord(Key::Control.into(), Key::Enter.into()).await;
        b.wait_text(VERDICT, "PASS").await;
        assert_eq!(b.focused().await, "#api-url");

        // Escape cancels a slow call.
        b.fill("API URL", &format!("{}/faults/delay/5000", emu.base_url()))
            .await;
        b.chord(Key::Control.into(), Key::Enter.into()).await;
        b.wait_text("#verdict-summary", "Calling the API").await;
        b.keys(&char::from(Key::Escape).to_string()).await;
        b.wait_text(VERDICT, "CANCELLED").await;

        // Enter in a field runs (the form's implicit submission clicks Run, whose click handler
        // starts the run); the focus stays in the field.
        b.fill("API URL", &format!("{}/dev", emu.base_url())).await;
        b.keys(&char::from(Key::Enter).to_string()).await;
        b.wait_text(VERDICT, "PASS").await;
        assert_eq!(b.focused().await, "#api-url");

        // Back to Run with Shift+Tab, Enter: a run that ends before the page redraws (100 ms)
        // never disables the button, and the focus stays on it (on a machine slow enough to take
        // longer, it goes to the verdict summary, as below).
        let before = b.wait_text(VERDICT, "Run started at").await;
        tab_to(b, "button Run", true).await;
        b.keys(&char::from(Key::Enter).to_string()).await;
        b.wait_idle().await;
        let after = b.wait_text_change(VERDICT, &before).await;
        assert!(after.contains("PASS"), "{after}");
        let focused = b.focused().await;
        assert!(
            focused == "button Run" || focused == "#verdict-summary",
            "focus after Run is on {focused}"
        );

        // A slower one disables it while it is on: the focus then lands on the verdict summary,
        // and Enter there shows the details.
        b.fill("API URL", &format!("{}/faults/delay/2000", emu.base_url()))
            .await;
        let deadline = Instant::now() + WAIT;
        tab_to(b, "button Run", true).await;
        b.keys(&char::from(Key::Enter).to_string()).await;
        b.wait_text("#verdict-summary", "Calling the API").await;
        b.wait_text("#verdict-summary", "PASS").await;
        while b.focused().await != "#verdict-summary" {
            assert!(
                Instant::now() < deadline,
                "focus is on {}",
                b.focused().await
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        b.keys(&char::from(Key::Enter).to_string()).await;
        assert_eq!(b.focused().await, "#verdict");
        assert!(b.in_view(VERDICT).await);
    })
    .await;
    emu.shutdown().await;
}
