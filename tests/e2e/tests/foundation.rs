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
