#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `POST /` as the user pools API: GetClientToken, its errors, its CORS, and the token it issues.

mod common;

use cognito_emulator::{Running, PETS_JSON};
use common::*;
use serde_json::{json, Value};

const TARGET: &str = "AWSCognitoIdentityProviderService.GetClientToken";
const AMZ_JSON: &str = "application/x-amz-json-1.1";

async fn call(em: &Running, target: &str, content_type: &str, body: &str) -> reqwest::Response {
    client()
        .post(em.idp_url())
        .header("x-amz-target", target)
        .header("content-type", content_type)
        .header("origin", "http://localhost:8080")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

async fn get_client_token(em: &Running, body: Value) -> reqwest::Response {
    call(em, TARGET, AMZ_JSON, &body.to_string()).await
}

/// Asserts an AWS JSON error: 400, `__type`, a message containing `message`, and the headers.
async fn assert_error(resp: reqwest::Response, kind: &str, message: &str) {
    assert_eq!(resp.status(), 400);
    assert_eq!(header(&resp, "content-type"), Some(AMZ_JSON));
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header(&resp, "x-amzn-errortype"),
        Some(format!("{kind}:").as_str())
    );
    assert!(header(&resp, "x-amzn-requestid").is_some());
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["__type"], kind, "{json}");
    assert!(
        json["message"].as_str().unwrap_or("").contains(message),
        "{json}"
    );
}

#[tokio::test]
async fn client_token_client_gets_an_access_token_the_api_accepts() {
    let em = start_default().await;
    let resp = get_client_token(
        &em,
        json!({
            "ClientId": "client-token-client",
            "Secret": "client-token-secret",
            "Scopes": ["demo/example"],
            "ClientMetadata": { "environment": "test" },
        }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), Some(AMZ_JSON));
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    let json: Value = resp.json().await.unwrap();
    let result = &json["ClientAuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    let token = result["AccessToken"].as_str().unwrap();
    let resp = client()
        .get(format!("{}/pets", em.api_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), PETS_JSON);
    em.shutdown().await;
}

#[tokio::test]
async fn without_scopes_every_allowed_scope_is_granted() {
    let em = start_default().await;
    let resp = get_client_token(
        &em,
        json!({ "ClientId": "client-token-client", "Secret": "client-token-secret" }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn documented_error_types() {
    let em = start_default().await;
    let cases = [
        (
            json!({ "ClientId": "nobody", "Secret": "x" }),
            "ResourceNotFoundException",
            "nobody does not exist",
        ),
        (
            json!({ "ClientId": "client-token-client", "Secret": "wrong" }),
            "NotAuthorizedException",
            "secret",
        ),
        // A client without ALLOW_CLIENT_TOKEN_AUTH is refused even with its right secret.
        (
            json!({ "ClientId": "demo-client-id", "Secret": "demo-client-secret" }),
            "NotAuthorizedException",
            "ALLOW_CLIENT_TOKEN_AUTH",
        ),
        (
            json!({ "ClientId": "client-token-client", "Secret": "client-token-secret", "Scopes": ["demo/other"] }),
            "InvalidParameterException",
            "demo/other",
        ),
        (
            json!({ "Secret": "client-token-secret" }),
            "InvalidParameterException",
            "clientId",
        ),
        (
            json!({ "ClientId": "client-token-client" }),
            "InvalidParameterException",
            "secret",
        ),
        (
            json!({ "ClientId": "client-token-client", "Secret": "client-token-secret", "ClientMetadata": { "n": 1 } }),
            "SerializationException",
            "",
        ),
    ];
    for (body, kind, message) in cases {
        let resp = get_client_token(&em, body.clone()).await;
        assert_error(resp, kind, message).await;
    }
    assert_error(
        call(&em, TARGET, AMZ_JSON, "{not json").await,
        "SerializationException",
        "",
    )
    .await;
    assert_error(
        call(
            &em,
            TARGET,
            "application/json",
            r#"{"ClientId":"client-token-client"}"#,
        )
        .await,
        "SerializationException",
        "Content-Type",
    )
    .await;
    assert_error(
        call(
            &em,
            "AWSCognitoIdentityProviderService.InitiateAuth",
            AMZ_JSON,
            "{}",
        )
        .await,
        "UnknownOperationException",
        "",
    )
    .await;
    em.shutdown().await;
}

#[tokio::test]
async fn browsers_preflight_is_answered_and_other_methods_are_api_gateway_403() {
    let em = start_default().await;
    let resp = client()
        .request(reqwest::Method::OPTIONS, em.idp_url())
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&resp, "access-control-allow-methods"), Some("POST"));
    assert_eq!(
        header(&resp, "access-control-allow-headers"),
        Some("content-type, x-amz-target, x-amz-user-agent, cache-control")
    );
    let resp = client().get(em.idp_url()).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{"message":"Missing Authentication Token"}"#
    );
    em.shutdown().await;
}

#[tokio::test]
async fn client_token_client_cannot_use_the_oauth_endpoint() {
    let em = start_default().await;
    let resp = token_post(
        &em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "client-token-client"),
            ("client_secret", "client-token-secret"),
        ],
    )
    .await;
    assert_eq!(oauth_error(resp).await, "unauthorized_client");
    em.shutdown().await;
}
