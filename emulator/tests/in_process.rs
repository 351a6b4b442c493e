#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `cognito_emulator::app`: the whole emulator as an axum Router, called without a socket.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use common::test_config;

async fn call(
    app: &axum::Router,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_route_table_answers_without_a_socket() {
    let app = cognito_emulator::app(test_config(), "http://emulator.test").unwrap();

    // Token endpoint: a token whose issuer is the given base URL.
    let (status, headers, body) = call(
        &app,
        Request::post("/oauth2/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(
                "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret",
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["token_type"], "Bearer");

    // The token endpoint's method table: GET is an empty 405, OPTIONS a preflight.
    let (status, _, body) = call(
        &app,
        Request::get("/oauth2/token").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "")
    );
    let (status, _, _) = call(
        &app,
        Request::options("/oauth2/token")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Discovery names the base URL given to app().
    let (status, _, body) = call(
        &app,
        Request::get("/us-east-1_demo/.well-known/openid-configuration")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["issuer"], "http://emulator.test/us-east-1_demo");

    // JWKS: GET only.
    let (status, headers, _) = call(
        &app,
        Request::delete("/us-east-1_demo/.well-known/jwks.json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers["allow"], "GET");

    // The stage without a token, and a path no route takes: API Gateway's answers.
    let (status, _, body) =
        call(&app, Request::get("/dev/pets").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::UNAUTHORIZED, r#"{"message":"Unauthorized"}"#)
    );
    for path in ["/nowhere", "/dev/", "/faults/nope", "/us-east-1_demo"] {
        let (status, headers, body) =
            call(&app, Request::get(path).body(Body::empty()).unwrap()).await;
        let expected = if path == "/dev/" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "{path}: {body}");
        assert!(headers.contains_key("x-amzn-requestid"), "{path}");
    }

    // Control routes.
    let (status, _, body) = call(
        &app,
        Request::get("/_emulator/status")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[test]
fn an_invalid_configuration_is_refused() {
    let mut config = test_config();
    config.stage = "oauth2".into();
    assert!(matches!(
        cognito_emulator::app(config, "http://x"),
        Err(cognito_emulator::StartError::Config(_))
    ));
}
