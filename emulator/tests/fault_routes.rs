#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `/faults/...`: every awkward response, and their CORS.

mod common;

use std::time::{Duration, Instant};

use cognito_emulator::{CorsMode, Running};
use common::*;
use serde_json::Value;

async fn get(em: &Running, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}/faults/{}", em.base_url(), path))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn delay_waits_and_is_capped() {
    let em = start_default().await;
    let started = Instant::now();
    let resp = get(&em, "delay/300").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(resp.json::<Value>().await.unwrap()["delayed_ms"], 300);
    let resp = get(&em, "delay/soon").await;
    assert_eq!(resp.status(), 400);
    em.shutdown().await;
}

#[tokio::test]
async fn status_answers_that_status() {
    let em = start_default().await;
    for code in [
        200u16, 201, 400, 401, 403, 404, 418, 429, 500, 502, 503, 504, 599,
    ] {
        let resp = get(&em, &format!("status/{code}")).await;
        assert_eq!(resp.status().as_u16(), code);
        assert_eq!(header(&resp, "content-type"), Some("application/json"));
        let json: Value = resp.json().await.unwrap();
        assert!(
            json["message"]
                .as_str()
                .unwrap()
                .contains(&code.to_string()),
            "{code}"
        );
    }
    let resp = get(&em, "status/204").await;
    assert_eq!(resp.status(), 204);
    assert!(resp.bytes().await.unwrap().is_empty());
    for bad in ["99", "600", "abc", "-1", "100"] {
        assert_eq!(
            get(&em, &format!("status/{bad}")).await.status(),
            400,
            "{bad}"
        );
    }
    em.shutdown().await;
}

#[tokio::test]
async fn html_truncated_invalid_utf8_and_xss() {
    let em = start_default().await;
    let resp = get(&em, "html").await;
    assert_eq!(resp.status(), 500);
    assert!(header(&resp, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("<h1>"));

    let resp = get(&em, "truncated-json").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), Some("application/json"));
    let body = resp.bytes().await.unwrap();
    assert!(body.starts_with(b"{\"pets\""));
    assert!(serde_json::from_slice::<Value>(&body).is_err());

    let resp = get(&em, "invalid-utf8").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-type"),
        Some("application/json;charset=utf-8")
    );
    let body = resp.bytes().await.unwrap();
    assert!(body.windows(2).any(|w| w == [0xFF, 0xFE]));
    assert!(std::str::from_utf8(&body).is_err());

    let resp = get(&em, "xss").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "x-xss-probe"),
        Some("<script>alert(1)</script>")
    );
    assert!(header(&resp, "access-control-expose-headers")
        .unwrap()
        .contains("x-xss-probe"));
    let text = resp.text().await.unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let all = json.to_string();
    for probe in cognito_emulator::XSS_PROBES {
        assert!(all.contains(probe), "{probe}");
    }
    assert_eq!(json["escaped"], "&lt;b&gt;");
    em.shutdown().await;
}

#[tokio::test]
async fn big_is_about_that_many_megabytes_and_valid_json() {
    let em = start_default().await;
    let resp = get(&em, "big/2").await;
    assert_eq!(resp.status(), 200);
    let body = resp.bytes().await.unwrap();
    let mb = 1024 * 1024;
    assert!(
        body.len() > 2 * mb - 4096 && body.len() <= 2 * mb + 4096,
        "{}",
        body.len()
    );
    let json: Value = serde_json::from_slice(&body).unwrap();
    assert!(json.as_array().unwrap().len() > 10_000);
    let zero: Value = get(&em, "big/0").await.json().await.unwrap();
    assert_eq!(zero, serde_json::json!([]));
    assert_eq!(get(&em, "big/lots").await.status(), 400);
    em.shutdown().await;
}

#[tokio::test]
async fn big_is_capped_at_50_mb() {
    let em = start_default().await;
    let resp = get(&em, "big/1000").await;
    let mut len = 0usize;
    let mut resp = resp;
    while let Some(chunk) = resp.chunk().await.unwrap() {
        len += chunk.len();
    }
    let mb = 1024 * 1024;
    assert!(len <= 50 * mb + 4096 && len > 49 * mb, "{len}");
    em.shutdown().await;
}

#[tokio::test]
async fn close_mid_body_makes_the_body_read_fail() {
    let em = start_default().await;
    let resp = get(&em, "close-mid-body").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.content_length(),
        Some(cognito_emulator::CLOSE_MID_BODY_DECLARED as u64)
    );
    assert!(resp.bytes().await.is_err());
    // The server is fine afterwards.
    assert_eq!(get(&em, "status/200").await.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn unknown_faults_and_methods_are_403() {
    let em = start_default().await;
    for path in ["nope", "delay", "status/500/extra", ""] {
        assert_eq!(get(&em, path).await.status(), 403, "{path}");
    }
    let resp = client()
        .post(format!("{}/faults/html", em.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    em.shutdown().await;
}

#[tokio::test]
async fn fault_routes_follow_the_cors_mode() {
    for (mode, preflight_status, cors) in [
        (CorsMode::Full, 200, true),
        (CorsMode::SuccessOnly, 200, true),
        (CorsMode::None, 403, false),
    ] {
        let em = start_with(|c| c.cors = mode).await;
        for path in [
            "delay/0",
            "status/503",
            "html",
            "truncated-json",
            "big/0",
            "xss",
            "invalid-utf8",
            "close-mid-body",
        ] {
            let pre = client()
                .request(
                    reqwest::Method::OPTIONS,
                    format!("{}/faults/{}", em.base_url(), path),
                )
                .header("origin", "http://localhost:8080")
                .header("access-control-request-method", "GET")
                .send()
                .await
                .unwrap();
            assert_eq!(pre.status().as_u16(), preflight_status, "{mode} {path}");
            assert_eq!(
                header(&pre, "access-control-allow-origin").is_some(),
                cors,
                "{mode} {path}"
            );
            let resp = get(&em, path).await;
            assert_eq!(
                header(&resp, "access-control-allow-origin").is_some(),
                cors,
                "{mode} {path}"
            );
            assert!(header(&resp, "x-amzn-requestid").is_some());
        }
        em.shutdown().await;
    }
}
