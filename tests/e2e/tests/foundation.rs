//! The first screen, as a QA engineer meets it: title, every labelled field of the
//! interface contract, the buttons, and the token URL resolved as they type.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::{emulator, Browser};

#[tokio::test]
async fn the_first_screen_has_every_field_and_resolves_the_token_url() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().expect("static site");
    Browser::with(async |b| {
        b.open(&site).await;
        assert_eq!(b.client.title().await.unwrap(), "Cognito API Tester");
        for label in [
            "Client ID",
            "Client secret",
            "Domain",
            "Region",
            "Scope",
            "API URL",
            "Method",
            "Client authentication",
            "Route through proxy",
        ] {
            b.control(label).await;
        }
        for name in ["Get token", "Call API", "Run"] {
            b.button(name).await;
        }
        let secret = b.control("Client secret").await;
        assert_eq!(
            secret.attr("type").await.unwrap().as_deref(),
            Some("password")
        );

        b.fill("Domain", "my-pool").await;
        b.fill("Region", "us-east-1").await;
        b.wait_text(
            "#token-url",
            "https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token",
        )
        .await;

        // A custom domain and a local URL resolve too; a bad region is explained.
        b.fill("Domain", "auth.example.com").await;
        b.wait_text("#token-url", "https://auth.example.com/oauth2/token")
            .await;
        b.fill("Domain", "my-pool").await;
        b.fill("Region", "narnia").await;
        b.wait_text("#region-issues", "not an AWS region").await;
    })
    .await;
    emu.shutdown().await;
}

/// The panels the first screen does not need come in wasm parts after the form (src/ui/parts.rs).
/// One that cannot be fetched says so in its place with Retry, while the rest of the page works;
/// Retry loads it once the file is back.
#[tokio::test]
async fn a_panel_whose_part_cannot_be_fetched_says_so_and_retry_loads_it() {
    let site_dir = std::env::temp_dir().join(format!("e2e-parts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site_dir);
    std::fs::create_dir_all(&site_dir).unwrap();
    let mut held = None;
    for entry in std::fs::read_dir(e2e::dist_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("part-split-matrix-") {
            held = Some(name);
        } else {
            std::fs::copy(&path, site_dir.join(&name)).unwrap();
        }
    }
    let held = held.expect("make dist splits the matrix panel into its own part");
    let dir = site_dir.clone();
    let emu = emulator(move |c| c.static_dir = Some(dir)).await;
    let site = emu.static_url().expect("static site");
    Browser::with(async |b| {
        b.client.goto(&site).await.unwrap();
        let failed = "[data-part='authorization matrix'][data-state='failed']";
        let panel = b
            .client
            .wait()
            .at_most(e2e::WAIT)
            .for_element(fantoccini::Locator::Css(failed))
            .await
            .expect("the matrix panel says its part did not load");
        let text = panel.text().await.unwrap();
        assert!(text.contains("did not load"), "{text}");
        assert!(
            panel
                .find(fantoccini::Locator::Css("[role=alert]"))
                .await
                .is_ok(),
            "the failure is announced"
        );
        // The rest of the page is whole: the other three parts, and a Run.
        for other in ["sign-in and tools", "report", "canary"] {
            b.client
                .wait()
                .at_most(e2e::WAIT)
                .for_element(fantoccini::Locator::Css(&format!(
                    "[data-part='{other}'][data-state='loaded']"
                )))
                .await
                .unwrap_or_else(|e| panic!("the {other} part loads: {e}"));
        }
        b.fill_demo(&emu, "/dev").await;
        b.click("Run").await;
        b.wait_text(e2e::panel::VERDICT, "PASS").await;

        std::fs::copy(e2e::dist_dir().join(&held), site_dir.join(&held)).unwrap();
        b.click("Retry loading the authorization matrix panel")
            .await;
        b.client
            .wait()
            .at_most(e2e::WAIT)
            .for_element(fantoccini::Locator::Css(e2e::APP_READY))
            .await
            .expect("every part loaded after Retry");
        b.wait_text("[data-part='authorization matrix']", "Import export")
            .await;
    })
    .await;
    emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&site_dir);
}
