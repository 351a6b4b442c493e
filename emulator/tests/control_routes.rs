#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `/_emulator/...`: the runtime switches over HTTP.

mod common;

use cognito_emulator::Running;
use common::*;
use serde_json::Value;

async fn control(em: &Running, path_and_query: &str) -> reqwest::Response {
    client()
        .post(format!("{}/_emulator/{}", em.base_url(), path_and_query))
        .header("origin", "http://localhost:8080")
        .send()
        .await
        .unwrap()
}

async fn form_token(em: &Running) -> reqwest::Response {
    token_post(
        em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client-id"),
            ("client_secret", "demo-client-secret"),
        ],
    )
    .await
}

#[tokio::test]
async fn api_failing_over_http() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    let pets = || {
        client()
            .get(format!("{}/pets", em.api_url()))
            .header("authorization", format!("Bearer {token}"))
            .send()
    };
    let resp = control(&em, "api-failing?on=true").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(resp.json::<Value>().await.unwrap()["api_failing"], true);
    assert_eq!(pets().await.unwrap().status(), 500);
    assert_eq!(control(&em, "api-failing?on=false").await.status(), 200);
    assert_eq!(pets().await.unwrap().status(), 200);
    let bad = control(&em, "api-failing?on=maybe").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(header(&bad, "access-control-allow-origin"), Some("*"));
    assert!(bad.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("on=true"));
    em.shutdown().await;
}

#[tokio::test]
async fn token_fault_over_http() {
    let em = start_default().await;
    assert_eq!(control(&em, "token-fault?mode=html500").await.status(), 200);
    assert_eq!(form_token(&em).await.status(), 500);
    assert_eq!(
        control(&em, "token-fault?mode=empty405").await.status(),
        200
    );
    assert_eq!(form_token(&em).await.status(), 405);
    assert_eq!(
        control(&em, "token-fault?mode=notjson200").await.status(),
        200
    );
    assert_eq!(form_token(&em).await.text().await.unwrap(), "OK");
    let resp = control(&em, "token-fault?mode=slow&ms=250").await;
    let state: Value = resp.json().await.unwrap();
    assert_eq!(state["token_fault"], "slow");
    assert_eq!(state["token_fault_ms"], 250);
    let started = std::time::Instant::now();
    assert_eq!(form_token(&em).await.status(), 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    assert_eq!(control(&em, "token-fault?mode=none").await.status(), 200);
    assert_eq!(form_token(&em).await.status(), 200);
    for bad in [
        "token-fault?mode=explode",
        "token-fault",
        "token-fault?mode=slow&ms=soon",
    ] {
        assert_eq!(control(&em, bad).await.status(), 400, "{bad}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn rotate_key_over_http_and_status() {
    let em = start_default().await;
    let before = em.current_kid();
    let resp = control(&em, "rotate-key").await;
    assert_eq!(resp.status(), 200);
    let state: Value = resp.json().await.unwrap();
    assert_ne!(state["current_kid"], before.as_str());
    assert_eq!(state["kids"][1], before.as_str());
    assert_eq!(state["current_kid"], em.current_kid().as_str());

    let status: Value = client()
        .get(format!("{}/_emulator/status", em.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["kids"].as_array().unwrap().len(), 2);
    assert_eq!(status["api_failing"], false);
    em.shutdown().await;
}

#[tokio::test]
async fn control_preflight_wrong_method_and_unknown_route() {
    let em = start_default().await;
    let pre = client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/_emulator/api-failing?on=true", em.base_url()),
        )
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), 204);
    assert_eq!(header(&pre, "access-control-allow-origin"), Some("*"));
    assert!(header(&pre, "access-control-allow-methods")
        .unwrap()
        .contains("POST"));

    let get = client()
        .get(format!("{}/_emulator/api-failing?on=true", em.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(header(&get, "access-control-allow-origin"), Some("*"));
    let unknown = control(&em, "self-destruct").await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(header(&unknown, "access-control-allow-origin"), Some("*"));
    em.shutdown().await;
}
