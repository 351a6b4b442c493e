//! The page over plain http from a host that is not localhost — what an S3 website endpoint gives:
//! not a secure context, so no WebCrypto and no clipboard. The app says so once, and Share link says
//! why it did not copy instead of throwing. chromium reaches the emulator's site as
//! `http://insecure.test:<port>/` (a resolver rule maps the name to 127.0.0.1; only localhost
//! names and loopback addresses count as secure).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::{emulator, Browser};

const NOTICE: &str = "p.insecure-context";

#[tokio::test]
async fn over_plain_http_the_page_says_what_does_not_work_and_nothing_throws() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().expect("static site");
    let insecure = site.replace("127.0.0.1", "insecure.test");
    assert_ne!(insecure, site, "{site}");
    let rule = "--host-resolver-rules=MAP insecure.test 127.0.0.1";
    Browser::with_args(&[rule], async |b| {
        b.open(&insecure).await;
        assert_eq!(
            b.js_string("return String(window.isSecureContext)").await,
            "false"
        );
        let notices = b
            .client
            .find_all(fantoccini::Locator::Css(NOTICE))
            .await
            .unwrap();
        assert_eq!(notices.len(), 1, "said once");
        let notice = b.text(NOTICE).await;
        for part in [
            "plain http://",
            "network path",
            "WebCrypto",
            "clipboard",
            "HTTPS",
            "CloudFront",
        ] {
            assert!(notice.contains(part), "{part}: {notice}");
        }

        b.fill_demo(&emu, "/dev").await;
        b.click("Share link").await;
        let message = b
            .wait_text("p.notice[role=status]", "The link is below")
            .await;
        assert!(message.contains("no clipboard"), "{message}");
        let log = b.browser_log().await;
        assert!(
            !log.iter().any(|m| m.contains("writeText")
                || m.contains("Uncaught")
                || m.contains("panicked")),
            "{log:#?}"
        );
    })
    .await;

    // The same build on 127.0.0.1 is a secure context: no notice.
    Browser::with(async |b| {
        b.open(&site).await;
        assert_eq!(
            b.js_string("return String(window.isSecureContext)").await,
            "true"
        );
        assert_eq!(b.text(NOTICE).await, "");
    })
    .await;
}
