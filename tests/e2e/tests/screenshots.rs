//! `make screenshots`: the README's pictures, taken from the release build against the
//! emulator so they stay current — the page after a PASS and after a diagnosed failure, at
//! 1280 and 360 px, light and dark. Ignored by `make e2e` (it writes into docs/screenshots).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::panel::VERDICT;
use e2e::{emulator, repo_root, Browser};

#[tokio::test]
#[ignore = "writes docs/screenshots: run it with `make screenshots`"]
async fn readme_screenshots() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let dir = repo_root().join("docs/screenshots");
    for (width, height) in [(1280, 900), (360, 780)] {
        for dark in [false, true] {
            let theme = if dark { "dark" } else { "light" };
            Browser::with(async |b| {
                b.resize(width, height).await;
                b.color_scheme(dark).await;
                b.open(&site).await;
                b.fill_demo(&emu, "/dev").await;
                b.click("Run").await;
                b.wait_text(VERDICT, "PASS").await;
                b.screenshot_to(&dir.join(format!("pass-{width}-{theme}.png")))
                    .await;
                // A diagnosed failure: the wrong secret, explained.
                b.fill("Client secret", "wrong-secret").await;
                b.click("Run").await;
                b.wait_text(VERDICT, "FAIL").await;
                b.wait_text(e2e::panel::TOKEN, "invalid_client").await;
                b.client
                    .execute(
                        "document.getElementById('verdict').scrollIntoView();",
                        vec![],
                    )
                    .await
                    .unwrap();
                b.screenshot_to(&dir.join(format!("failure-{width}-{theme}.png")))
                    .await;
            })
            .await;
        }
    }
    emu.shutdown().await;
}
