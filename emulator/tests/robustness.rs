#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Garbage in: random bodies, headers, paths and raw bytes. The server answers each without a 5xx
//! and keeps serving.

mod common;

use cognito_emulator::Running;
use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

async fn still_serving(em: &Running) {
    let token = demo_token(em).await;
    let resp = client()
        .get(format!("{}/pets", em.api_url()))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

fn random_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let len = rng.gen_range(0..max);
    (0..len).map(|_| rng.gen()).collect()
}

#[tokio::test]
async fn random_bodies_headers_and_paths_never_break_the_server() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let c = client();
    let content_types = [
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded; charset=\u{0}",
    ];
    for i in 0..150 {
        let body = random_bytes(&mut rng, 2048);
        // Token endpoint: never a 5xx, always CORS.
        let ct = content_types[i % content_types.len()];
        let mut req = c.post(em.token_url()).body(body.clone());
        if let Ok(v) = reqwest::header::HeaderValue::from_bytes(ct.as_bytes()) {
            req = req.header("content-type", v);
        }
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_client_error(), "token {}", resp.status());
        assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));

        // Echo method with a valid token: 201 for JSON, else 400.
        let resp = c
            .post(format!("{}/pets", em.api_url()))
            .header("authorization", format!("Bearer {token}"))
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(
            matches!(resp.status().as_u16(), 201 | 400),
            "echo {}",
            resp.status()
        );

        // Random visible-ASCII Authorization headers: 401.
        let auth: String = (0..rng.gen_range(1..300))
            .map(|_| rng.gen_range(0x21u8..0x7f) as char)
            .collect();
        let resp = c
            .get(format!("{}/pets", em.api_url()))
            .header("authorization", auth.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "auth {auth}");

        // Random Basic credentials: a 400 OAuth error.
        let resp = c
            .post(em.token_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("authorization", format!("Basic {auth}"))
            .body("grant_type=client_credentials")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400);

        // Random percent-encoded paths anywhere: never a 5xx.
        let path: String = random_bytes(&mut rng, 60)
            .iter()
            .map(|b| format!("%{b:02X}"))
            .collect();
        let prefix = [
            "/",
            "/dev/",
            "/dev/pets/",
            "/faults/",
            "/faults/status/",
            "/_emulator/",
            "/us-east-1_demo/",
        ][i % 7];
        let resp = c
            .get(format!("{}{prefix}{path}", em.base_url()))
            .send()
            .await
            .unwrap();
        assert!(
            !resp.status().is_server_error(),
            "{prefix}{path}: {}",
            resp.status()
        );
    }
    still_serving(&em).await;
    em.shutdown().await;
}

#[tokio::test]
async fn raw_garbage_on_the_socket() {
    let em = start_default().await;
    let authority = authority(&em.base_url());
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..40 {
        let garbage = random_bytes(&mut rng, 4096);
        let _ = raw_exchange(&authority, &garbage).await;
    }
    // Request lines and headers with raw bytes that no client library would send.
    for request in [
        &b"GET /dev/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"GET /dev/pets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\x80\r\nConnection: close\r\n\r\n",
        b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nAuthorization: Basic \xc3\x28\r\nConnection: close\r\n\r\nab\xffcd",
        b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: \xff\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
        b"POST /dev/pets HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\nConnection: close\r\n\r\nabc",
        b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\nzz\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ] {
        let response = raw_exchange(&authority, request).await;
        if let Some(status) = raw_status(&response) {
            assert!(status < 500, "{status} for {:?}", String::from_utf8_lossy(request));
        }
    }
    // A half-sent body followed by a hang-up.
    {
        use tokio::io::AsyncWriteExt;
        let mut s = tokio::net::TcpStream::connect(&authority).await.unwrap();
        s.write_all(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=cl")
            .await
            .unwrap();
        drop(s);
    }
    still_serving(&em).await;
    em.shutdown().await;
}
