#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `POST /oauth2/token`: client authentication, OAuth errors, scopes, the token itself, CORS, faults.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use cognito_emulator::{AppClient, CorsMode, TokenFault};
use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// `Basic Base64Encode(client_id:client_secret)`, as AWS documents it.
fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// RFC 6749 §2.3.1's form: id and secret form-urlencoded before base64. Cognito does not decode it.
fn basic_urlencoded(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

async fn post_raw(
    em: &cognito_emulator::Running,
    content_type: Option<&str>,
    auth: Option<&str>,
    body: &str,
) -> reqwest::Response {
    let mut req = client().post(em.token_url()).body(body.to_string());
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    req.send().await.unwrap()
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn client_secret_post_success_shape() {
    let em = start_default().await;
    let resp = token_post(
        &em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client-id"),
            ("client_secret", "demo-client-secret"),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-type"),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    let rid = header(&resp, "x-amz-cognito-request-id").unwrap();
    assert_eq!(rid.len(), 36, "a uuid: {rid}");
    let json: Value = resp.json().await.unwrap();
    let obj = json.as_object().unwrap();
    let mut keys: Vec<&String> = obj.keys().collect();
    keys.sort();
    assert_eq!(keys, ["access_token", "expires_in", "token_type"]);
    assert_eq!(json["expires_in"], 3600);
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["access_token"].as_str().unwrap().split('.').count(), 3);
    em.shutdown().await;
}

#[tokio::test]
async fn token_claims_and_signature_verify_against_served_jwks() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    let kid = header.kid.clone().unwrap();
    assert_eq!(kid, em.current_kid());
    // The raw header is exactly Cognito's {"kid","alg"}.
    let raw_header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let mut hkeys: Vec<&String> = raw_header.as_object().unwrap().keys().collect();
    hkeys.sort();
    assert_eq!(hkeys, ["alg", "kid"]);

    let jwks_resp = client().get(em.jwks_url()).send().await.unwrap();
    assert_eq!(jwks_resp.status(), 200);
    assert_eq!(jwks_resp.headers()["access-control-allow-origin"], "*");
    let jwks: Value = jwks_resp.json().await.unwrap();
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap();
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["e"], "AQAB");
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    validation.set_issuer(&[em.issuer()]);
    let claims = jsonwebtoken::decode::<Value>(&token, &key, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims["sub"], "demo-client-id");
    assert_eq!(claims["client_id"], "demo-client-id");
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["scope"], "demo/example");
    assert_eq!(claims["version"], 2);
    assert_eq!(claims["iss"], format!("{}/us-east-1_demo", em.base_url()));
    assert!(
        claims.get("aud").is_none(),
        "client credentials tokens have no aud"
    );
    let iat = claims["iat"].as_u64().unwrap();
    assert_eq!(claims["auth_time"].as_u64().unwrap(), iat);
    assert_eq!(claims["exp"].as_u64().unwrap(), iat + 3600);
    assert_eq!(claims["jti"].as_str().unwrap().len(), 36);

    // A tampered signature fails: the signature really is what was checked.
    let tampered = format!("{}x", token.trim_end_matches(|c| c != '.'));
    assert!(jsonwebtoken::decode::<Value>(&tampered, &key, &validation).is_err());
    em.shutdown().await;
}

#[tokio::test]
async fn discovery_document_points_at_jwks_and_token_endpoint() {
    let em = start_default().await;
    let url = format!("{}/.well-known/openid-configuration", em.issuer());
    let resp = client().get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    let doc: Value = resp.json().await.unwrap();
    assert_eq!(doc["issuer"], em.issuer());
    assert_eq!(
        doc["jwks_uri"],
        format!("{}/.well-known/jwks.json", em.issuer())
    );
    assert_eq!(doc["token_endpoint"], em.token_url());
    em.shutdown().await;
}

#[tokio::test]
async fn client_secret_basic_is_decoded_as_cognito_does() {
    let em = start_with(|c| {
        c.clients.push(AppClient {
            id: "weird id+&%".into(),
            secrets: vec!["s3cr3t/+=:&% é".into()],
            client_credentials: true,
            client_token_auth: false,
            allowed_scopes: vec!["demo/example".into()],
            access_token_validity: 900,
            authorization_code: false,
            callback_urls: Vec::new(),
            logout_urls: Vec::new(),
        })
    })
    .await;
    let resp = post_raw(
        &em,
        Some(FORM),
        Some(&basic("demo-client-id", "demo-client-secret")),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(resp.status(), 200);

    // Raw id:secret, split on the first colon: a colon in the secret is part of it.
    let resp = post_raw(
        &em,
        Some(FORM),
        Some(&basic("weird id+&%", "s3cr3t/+=:&% é")),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(resp.status(), 200);
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["expires_in"], 900);

    // No percent-decoding: an encoded character is a different (wrong) secret.
    let raw = format!(
        "Basic {}",
        STANDARD.encode("demo-client-id:demo%2Dclient-secret")
    );
    let resp = post_raw(&em, Some(FORM), Some(&raw), "grant_type=client_credentials").await;
    assert_eq!(oauth_error(resp).await, "invalid_client");

    // Malformed Basic credentials.
    for bad in [
        "Basic !!!notbase64",
        "Basic bm9jb2xvbg==", /* "nocolon" */
    ] {
        let resp = post_raw(&em, Some(FORM), Some(bad), "grant_type=client_credentials").await;
        assert_eq!(oauth_error(resp).await, "invalid_client", "{bad}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn a_secret_with_slash_and_plus_works_raw_or_in_the_body_but_not_urlencoded_in_basic() {
    let em = start_default().await;
    let (id, secret) = cognito_emulator::SPECIAL_SECRET_CLIENT;
    assert!(secret.contains('/') && secret.contains('+'));
    // Secret in body (client_secret_post): form-urlencoded by design, decoded by the form parser.
    token_for(&em, id, secret, None).await;
    // Basic, the AWS way.
    let resp = post_raw(
        &em,
        Some(FORM),
        Some(&basic(id, secret)),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(resp.status(), 200);
    // Basic, RFC 6749 §2.3.1's way: '/' and '+' become %2F and %2B, which Cognito does not decode.
    let resp = post_raw(
        &em,
        Some(FORM),
        Some(&basic_urlencoded(id, secret)),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(oauth_error(resp).await, "invalid_client");
    em.shutdown().await;
}

#[tokio::test]
async fn either_of_two_active_secrets_authenticates() {
    let em = start_default().await;
    for secret in ["rotating-secret-old", "rotating-secret-new"] {
        token_for(&em, "rotating-client", secret, None).await;
        let resp = post_raw(
            &em,
            Some(FORM),
            Some(&basic("rotating-client", secret)),
            "grant_type=client_credentials",
        )
        .await;
        assert_eq!(resp.status(), 200, "{secret}");
    }
    let resp = token_post(
        &em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "rotating-client"),
            ("client_secret", "rotating-secret-older"),
        ],
    )
    .await;
    assert_eq!(oauth_error(resp).await, "invalid_client");
    em.shutdown().await;
}

#[tokio::test]
async fn post_and_basic_must_agree() {
    let em = start_default().await;
    let auth = basic("demo-client-id", "demo-client-secret");
    let agree =
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret";
    let resp = post_raw(&em, Some(FORM), Some(&auth), agree).await;
    assert_eq!(resp.status(), 200);
    for body in [
        "grant_type=client_credentials&client_id=other-scope-client&client_secret=other-scope-secret",
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=wrong",
        "grant_type=client_credentials&client_secret=wrong",
    ] {
        let resp = post_raw(&em, Some(FORM), Some(&auth), body).await;
        assert_eq!(oauth_error(resp).await, "invalid_client", "{body}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn every_oauth_error() {
    let em = start_default().await;
    let cases: &[(&str, &str)] = &[
        ("client_id=demo-client-id&client_secret=demo-client-secret", "invalid_request"),
        ("grant_type=&client_id=demo-client-id&client_secret=demo-client-secret", "invalid_request"),
        ("grant_type=client_credentials&grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret", "invalid_request"),
        ("grant_type=password&client_id=demo-client-id&client_secret=demo-client-secret", "unsupported_grant_type"),
        ("grant_type=client_credentials&client_id=nobody&client_secret=x", "invalid_client"),
        ("grant_type=client_credentials&client_id=demo-client-id&client_secret=wrong", "invalid_client"),
        ("grant_type=client_credentials&client_id=demo-client-id", "invalid_client"),
        ("grant_type=client_credentials", "invalid_client"),
        ("grant_type=client_credentials&client_id=no-grant-client&client_secret=no-grant-secret", "unauthorized_client"),
        ("grant_type=client_credentials&client_id=public-client", "unauthorized_client"),
        ("grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret&scope=demo/other", "invalid_scope"),
        ("grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret&scope=demo/nope", "invalid_scope"),
        ("grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret&scope=demo/example+demo/other", "invalid_scope"),
        ("grant_type=authorization_code&client_id=demo-client-id&client_secret=demo-client-secret", "invalid_request"),
        ("grant_type=authorization_code&code=abc&client_id=demo-client-id&client_secret=demo-client-secret", "invalid_grant"),
        ("grant_type=refresh_token&refresh_token=abc&client_id=demo-client-id&client_secret=demo-client-secret", "invalid_grant"),
    ];
    for (body, expected) in cases {
        let resp = post_raw(&em, Some(FORM), None, body).await;
        assert_eq!(
            header(&resp, "access-control-allow-origin"),
            Some("*"),
            "{body}"
        );
        assert!(
            header(&resp, "x-amz-cognito-request-id").is_some(),
            "{body}"
        );
        assert_eq!(
            header(&resp, "content-type"),
            Some("application/json;charset=UTF-8"),
            "{body}"
        );
        assert_eq!(&oauth_error(resp).await, expected, "{body}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn wrong_content_type_or_method_is_an_empty_405() {
    let em = start_default().await;
    let body =
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret";
    for ct in [
        None,
        Some("application/json"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let resp = post_raw(&em, ct, None, body).await;
        assert_eq!(resp.status(), 405, "{ct:?}");
        assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
        assert!(resp.bytes().await.unwrap().is_empty());
    }
    // Parameters on the media type are fine.
    let resp = post_raw(
        &em,
        Some("application/x-www-form-urlencoded; charset=UTF-8"),
        None,
        body,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let resp = client().get(em.token_url()).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    em.shutdown().await;
}

#[tokio::test]
async fn scope_selection() {
    let em = start_with(|c| {
        c.clients[0].allowed_scopes = vec!["demo/example".into(), "demo/other".into()];
    })
    .await;
    let claims = |t: String| -> Value {
        let payload = t.split('.').nth(1).unwrap().to_string();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    };
    let all = token_for(&em, "demo-client-id", "demo-client-secret", None).await;
    assert_eq!(claims(all)["scope"], "demo/example demo/other");
    let one = token_for(
        &em,
        "demo-client-id",
        "demo-client-secret",
        Some("demo/other"),
    )
    .await;
    assert_eq!(claims(one)["scope"], "demo/other");
    let dup = token_for(
        &em,
        "demo-client-id",
        "demo-client-secret",
        Some("demo/other demo/other demo/example"),
    )
    .await;
    assert_eq!(claims(dup)["scope"], "demo/other demo/example");
    let blank = token_for(&em, "demo-client-id", "demo-client-secret", Some("  ")).await;
    assert_eq!(claims(blank)["scope"], "demo/example demo/other");
    em.shutdown().await;
}

#[tokio::test]
async fn token_validity_override_sets_expires_in_and_exp() {
    let em = start_with(|c| c.token_validity = Some(3)).await;
    let resp = token_post(
        &em,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client-id"),
            ("client_secret", "demo-client-secret"),
        ],
    )
    .await;
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["expires_in"], 3);
    let payload = json["access_token"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap()
        .to_string();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        3
    );
    em.shutdown().await;
}

#[tokio::test]
async fn preflight_is_answered_whatever_the_api_cors_mode() {
    for mode in [CorsMode::Full, CorsMode::None, CorsMode::SuccessOnly] {
        let em = start_with(|c| c.cors = mode).await;
        let resp = client()
            .request(reqwest::Method::OPTIONS, em.token_url())
            .header("origin", "http://localhost:8080")
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204, "{mode}");
        assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&resp, "access-control-allow-methods"), Some("POST"));
        assert_eq!(
            header(&resp, "access-control-allow-headers"),
            Some("authorization, content-type")
        );
        let err = post_raw(&em, Some(FORM), None, "grant_type=client_credentials").await;
        assert_eq!(
            header(&err, "access-control-allow-origin"),
            Some("*"),
            "{mode}"
        );
        em.shutdown().await;
    }
}

#[tokio::test]
async fn oversized_body_is_413() {
    let em = start_default().await;
    let body = format!(
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret&pad={}",
        "a".repeat(cognito_emulator::TOKEN_BODY_LIMIT)
    );
    let resp = post_raw(&em, Some(FORM), None, &body).await;
    assert_eq!(resp.status(), 413);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    em.shutdown().await;
}

#[tokio::test]
async fn token_faults() {
    let em = start_default().await;
    let good =
        "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret";

    em.set_token_fault(Some(TokenFault::Html500));
    let resp = post_raw(&em, Some(FORM), None, good).await;
    assert_eq!(resp.status(), 500);
    assert!(header(&resp, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert!(resp.text().await.unwrap().contains("<html>"));

    em.set_token_fault(Some(TokenFault::Empty405));
    let resp = post_raw(&em, Some(FORM), None, good).await;
    assert_eq!(resp.status(), 405);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert!(resp.bytes().await.unwrap().is_empty());

    em.set_token_fault(Some(TokenFault::NotJson200));
    let resp = post_raw(&em, Some(FORM), None, good).await;
    assert_eq!(resp.status(), 200);
    assert!(header(&resp, "content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(resp.text().await.unwrap(), "OK");

    em.set_token_fault(Some(TokenFault::Slow { ms: 400 }));
    let started = std::time::Instant::now();
    let resp = post_raw(&em, Some(FORM), None, good).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    let json: Value = resp.json().await.unwrap();
    assert!(json["access_token"].is_string());

    em.set_token_fault(None);
    let resp = post_raw(&em, Some(FORM), None, good).await;
    assert_eq!(resp.status(), 200);
    em.shutdown().await;
}
