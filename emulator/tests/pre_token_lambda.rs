#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `aws_client_metadata` on the token endpoint, and the pre token generation trigger failure switch.

mod common;

use common::*;
use serde_json::{json, Value};

fn form(meta: Option<&str>) -> Vec<(&str, &str)> {
    let mut f = vec![
        ("grant_type", "client_credentials"),
        ("client_id", "demo-client-id"),
        ("client_secret", "demo-client-secret"),
    ];
    if let Some(m) = meta {
        f.push(("aws_client_metadata", m));
    }
    f
}

#[tokio::test]
async fn aws_client_metadata_is_accepted_when_it_is_a_json_map_of_strings() {
    let em = start_default().await;
    let resp = token_post(&em, &form(Some(r#"{"environment":"dev","language":"en"}"#))).await;
    assert_eq!(resp.status(), 200);
    for bad in ["not json", r#"["a"]"#, r#"{"n":1}"#] {
        let resp = token_post(&em, &form(Some(bad))).await;
        assert_eq!(oauth_error(resp).await, "invalid_request", "{bad}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn a_failing_trigger_gives_500_until_switched_off() {
    let em = start_default().await;
    em.set_pre_token_lambda_failing(true);
    let resp = token_post(&em, &form(None)).await;
    assert_eq!(resp.status(), 500);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["error"], "server_error");
    assert!(json["error_description"]
        .as_str()
        .unwrap()
        .starts_with("PreTokenGeneration failed with error"));
    // Client authentication still comes first.
    let resp = token_post(
        &em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client-id"),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(oauth_error(resp).await, "invalid_client");
    // GetClientToken: the user pools API's Lambda error.
    let resp = client()
        .post(em.idp_url())
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.GetClientToken",
        )
        .header("content-type", "application/x-amz-json-1.1")
        .body(
            json!({ "ClientId": "client-token-client", "Secret": "client-token-secret" })
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["__type"], "UserLambdaValidationException");

    em.set_pre_token_lambda_failing(false);
    assert_eq!(token_post(&em, &form(None)).await.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn the_switch_over_http() {
    let em = start_default().await;
    let url = format!("{}/_emulator/pre-token-lambda?fail=true", em.base_url());
    let resp = client().post(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let status: Value = resp.json().await.unwrap();
    assert_eq!(status["pre_token_lambda_failing"], true);
    assert_eq!(token_post(&em, &form(None)).await.status(), 500);
    let resp = client()
        .post(format!(
            "{}/_emulator/pre-token-lambda?fail=maybe",
            em.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    client()
        .post(format!(
            "{}/_emulator/pre-token-lambda?fail=false",
            em.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(token_post(&em, &form(None)).await.status(), 200);
    em.shutdown().await;
}
