//! A 5 MB API response: the panel shows a preview, and "Show all" draws the whole body —
//! every item of the JSON array, up to its last line — with the secrets still masked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use e2e::panel::API;
use e2e::{emulator, Browser, WAIT};

/// What the API panel's body shows, as one string (the drawn text, however it is split into
/// elements), and how many items the body itself holds (fetched again in the page).
const READ_BODY: &str = r#"
const done = arguments[arguments.length - 1];
const shown = [...document.querySelectorAll(arguments[0] + ' .body')].map((e) => e.textContent).join('');
fetch(arguments[1]).then((r) => r.json()).then((items) => {
  done({ shown, items: items.length, last: items[items.length - 1].id });
}).catch((e) => done({ error: String(e) }));
"#;

#[tokio::test]
async fn show_all_draws_the_whole_5_mb_body() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/faults/big/5").await;
        b.click("Run").await;
        b.wait_text(API, "Show all (the body is 5.0 MB").await;

        let show_all = b.button_containing("Show all").await;
        b.click_el(&show_all).await;
        // Drawn in parts: wait until the button is gone and the last line is there.
        let url = format!("{}/faults/big/5", emu.base_url());
        let deadline = Instant::now() + WAIT;
        let (shown, items, last) = loop {
            let out = b
                .client
                .execute_async(READ_BODY, vec![API.into(), url.clone().into()])
                .await
                .unwrap();
            assert!(out.get("error").is_none(), "{out}");
            let shown = out["shown"].as_str().unwrap().to_string();
            let items = out["items"].as_u64().unwrap();
            let last = out["last"].as_u64().unwrap();
            if shown.trim_end().ends_with(']') && !b.text(API).await.contains("Show all") {
                break (shown, items, last);
            }
            assert!(
                Instant::now() < deadline,
                "the whole body never showed; it ends with:\n{}",
                &shown[shown.len().saturating_sub(300)..]
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        // Every item, pretty-printed, in order, to the closing bracket.
        assert!(
            shown.starts_with("[\n  {\n    \"id\": 0,"),
            "{}",
            &shown[..200]
        );
        assert_eq!(
            shown.matches("\"id\": ").count() as u64,
            items,
            "every item of the body is drawn"
        );
        let end = format!("\"id\": {last},");
        let at = shown.rfind(&end).expect("the last item is drawn");
        assert!(
            shown[at..]
                .ends_with("\"note\": \"padding padding padding padding padding padding\"\n  }\n]"),
            "the body ends as it should:\n{}",
            &shown[at..]
        );
        // The whole body is one text a user can copy: "Copy body" is there with it.
        assert!(b.text(API).await.contains("Copy body"));
    })
    .await;
}
