#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The static site listener: content types, index.html, traversal refused.

mod common;

use common::*;

#[tokio::test]
async fn serves_the_folder_with_content_types_and_refuses_traversal() {
    let parent =
        std::env::temp_dir().join(format!("cognito-emulator-site-{}", uuid::Uuid::new_v4()));
    let site = parent.join("dist");
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::write(parent.join("secret.txt"), "top secret").unwrap();
    std::fs::write(site.join("index.html"), "<!DOCTYPE html><title>app</title>").unwrap();
    std::fs::write(site.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(site.join("assets/style.css"), "body{}").unwrap();
    std::fs::write(site.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(site.join("assets/index.html"), "assets index").unwrap();

    let em = start_with(|c| {
        c.static_dir = Some(site.clone());
        c.static_port = 0;
    })
    .await;
    let origin = em.static_url().unwrap();
    assert_ne!(origin, em.base_url());
    assert!(em.banner().contains(&origin));
    for (path, ctype, body) in [
        (
            "/",
            "text/html",
            "<!DOCTYPE html><title>app</title>".as_bytes(),
        ),
        (
            "/index.html",
            "text/html",
            b"<!DOCTYPE html><title>app</title>",
        ),
        ("/app.js", "text/javascript", b"console.log(1)"),
        ("/assets/style.css", "text/css", b"body{}"),
        ("/app_bg.wasm", "application/wasm", b"\0asm\x01\0\0\0"),
        ("/assets/", "text/html", b"assets index"),
        ("/assets", "text/html", b"assets index"),
    ] {
        let resp = client()
            .get(format!("{origin}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let ct = header(&resp, "content-type").unwrap().to_string();
        assert!(ct.starts_with(ctype), "{path}: {ct}");
        assert_eq!(&resp.bytes().await.unwrap()[..], body, "{path}");
    }
    assert_eq!(
        client()
            .get(format!("{origin}/missing.js"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client()
            .post(format!("{origin}/app.js"))
            .send()
            .await
            .unwrap()
            .status(),
        405
    );

    // Clients normalise "..", so speak raw HTTP to send it as is.
    let authority = authority(&origin);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
    ] {
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
        let response = raw_exchange(&authority, request.as_bytes()).await;
        let text = String::from_utf8_lossy(&response);
        assert_eq!(raw_status(&response), Some(403), "{target}: {text}");
        assert!(!text.contains("top secret"), "{target}");
    }
    // The API listener is not the static one.
    let resp = client()
        .get(format!("{}/app.js", em.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    em.shutdown().await;
    std::fs::remove_dir_all(parent).unwrap();
}
