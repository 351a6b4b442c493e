#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The API stage behind the COGNITO_USER_POOLS authorizer: routes, every 401/403, api-failing, rotation.

mod common;

use cognito_emulator::{Running, PETS_JSON};
use common::*;
use serde_json::{json, Value};

async fn call(em: &Running, method: &str, path: &str, auth: Option<&str>) -> reqwest::Response {
    let mut req = client().request(method.parse().unwrap(), format!("{}{}", em.api_url(), path));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    req.send().await.unwrap()
}

/// Asserts a gateway error: status, exact body, error type and the standard headers.
async fn assert_gateway(resp: reqwest::Response, status: u16, message: &str, error_type: &str) {
    assert_eq!(resp.status(), status);
    assert_eq!(header(&resp, "x-amzn-errortype"), Some(error_type));
    assert!(header(&resp, "x-amzn-requestid").is_some());
    assert_eq!(header(&resp, "content-type"), Some("application/json"));
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({ "message": message })
    );
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(em: &Running, edit: impl FnOnce(&mut Value)) -> Value {
    let t = now();
    let mut c = json!({
        "sub": "demo-client-id",
        "token_use": "access",
        "scope": "demo/example",
        "auth_time": t,
        "iss": em.issuer(),
        "exp": t + 3600,
        "iat": t,
        "version": 2,
        "jti": "00000000-0000-4000-8000-000000000000",
        "client_id": "demo-client-id",
    });
    edit(&mut c);
    c
}

#[tokio::test]
async fn pets_with_bearer_and_raw_token() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    for auth in [
        format!("Bearer {token}"),
        token.clone(),
        format!("bearer {token}"),
    ] {
        for path in ["/pets", "/", ""] {
            let resp = call(&em, "GET", path, Some(&auth)).await;
            assert_eq!(resp.status(), 200, "{path}");
            assert_eq!(header(&resp, "content-type"), Some("application/json"));
            assert!(header(&resp, "x-amzn-requestid").is_some());
            assert!(header(&resp, "x-amzn-errortype").is_none());
            assert_eq!(resp.text().await.unwrap(), PETS_JSON);
        }
    }
    em.shutdown().await;
}

#[tokio::test]
async fn write_methods_answer_small_json() {
    let em = start_default().await;
    let auth = format!("Bearer {}", demo_token(&em).await);
    let body = r#"{"type":"hamster","price":9.5,"tags":["<b>x</b>"]}"#;
    let resp = client()
        .post(format!("{}/pets", em.api_url()))
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(resp.text().await.unwrap(), body);

    let resp = client()
        .post(format!("{}/pets", em.api_url()))
        .header("authorization", &auth)
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"message": "Invalid request body"})
    );

    for (verb, field) in [
        ("PUT", "updated"),
        ("PATCH", "patched"),
        ("DELETE", "deleted"),
    ] {
        let resp = call(&em, verb, "/pets/7%22x", Some(&auth)).await;
        assert_eq!(resp.status(), 200, "{verb}");
        let json: Value = resp.json().await.unwrap();
        assert_eq!(json["id"], "7\"x", "{verb}");
        assert_eq!(json[field], true, "{verb}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn unauthorized_variants() {
    let em = start_default().await;
    let other = token_for(&em, "other-scope-client", "other-scope-secret", None).await;
    let good = demo_token(&em).await;
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    parts[2] = parts[2].chars().rev().collect();
    let bad_sig = parts.join(".");
    let unknown_kid = {
        // The good token's payload and signature under a header naming a kid the pool never had.
        let h = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            r#"{"kid":"no-such-kid","alg":"RS256"}"#,
        );
        format!("{h}.{}.{}", parts[1], parts[2])
    };
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims(&em, |_| {}),
        &jsonwebtoken::EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    let wrong_iss = em
        .sign_claims(&claims(&em, |c| {
            c["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo")
        }))
        .unwrap();
    let id_use = em
        .sign_claims(&claims(&em, |c| c["token_use"] = json!("id")))
        .unwrap();
    let no_exp = em
        .sign_claims(&claims(&em, |c| {
            c.as_object_mut().unwrap().remove("exp");
        }))
        .unwrap();
    let cases: Vec<(String, Option<String>)> = vec![
        ("no header".into(), None),
        ("empty".into(), Some(String::new())),
        ("bearer only".into(), Some("Bearer".into())),
        ("basic scheme".into(), Some(format!("Basic {good}"))),
        ("garbage".into(), Some("Bearer not.a.jwt".into())),
        ("two parts".into(), Some("Bearer abc.def".into())),
        ("bad signature".into(), Some(format!("Bearer {bad_sig}"))),
        ("unknown kid".into(), Some(format!("Bearer {unknown_kid}"))),
        ("hs256".into(), Some(format!("Bearer {hs256}"))),
        ("wrong issuer".into(), Some(format!("Bearer {wrong_iss}"))),
        (
            "id token on a scoped method".into(),
            Some(format!("Bearer {id_use}")),
        ),
        ("no exp".into(), Some(format!("Bearer {no_exp}"))),
        ("other scope".into(), Some(format!("Bearer {other}"))),
    ];
    for (name, auth) in cases {
        let resp = call(&em, "GET", "/pets", auth.as_deref()).await;
        assert_eq!(resp.status(), 401, "{name}");
        assert_gateway(resp, 401, "Unauthorized", "UnauthorizedException").await;
    }
    // The good token still works, so the 401s above are about the tokens.
    assert_eq!(call(&em, "GET", "/pets", Some(&good)).await.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn expired_token_has_its_own_message() {
    let em = start_default().await;
    let t = now();
    let expired = em
        .sign_claims(&claims(&em, |c| {
            c["exp"] = json!(t - 10);
            c["iat"] = json!(t - 3610);
        }))
        .unwrap();
    let resp = call(&em, "GET", "/pets", Some(&format!("Bearer {expired}"))).await;
    assert_gateway(
        resp,
        401,
        "The incoming token has expired",
        "UnauthorizedException",
    )
    .await;
    // A fresh token signed by the same helper passes: only exp differed.
    let fresh = em.sign_claims(&claims(&em, |_| {})).unwrap();
    assert_eq!(call(&em, "GET", "/pets", Some(&fresh)).await.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn method_without_scopes_expects_an_id_token() {
    let em = start_default().await;
    let access = demo_token(&em).await;
    let resp = call(
        &em,
        "GET",
        "/id-token-only",
        Some(&format!("Bearer {access}")),
    )
    .await;
    assert_gateway(resp, 401, "Unauthorized", "UnauthorizedException").await;
    let id_token = em
        .sign_claims(&claims(&em, |c| {
            c["token_use"] = json!("id");
            c["aud"] = json!("demo-client-id");
        }))
        .unwrap();
    let resp = call(&em, "GET", "/id-token-only", Some(&id_token)).await;
    assert_eq!(resp.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn open_method_needs_no_token() {
    let em = start_default().await;
    let resp = call(&em, "GET", "/open", None).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("no authorizer"));
    let resp = call(&em, "GET", "/open", Some("Bearer garbage")).await;
    assert_eq!(resp.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn unknown_paths_and_methods_are_missing_authentication_token() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    for (verb, url) in [
        ("GET", format!("{}/nope", em.api_url())),
        ("GET", format!("{}/pets/1/2", em.api_url())),
        ("DELETE", format!("{}/pets", em.api_url())),
        ("GET", format!("{}/pets/1", em.api_url())),
        ("POST", format!("{}/open", em.api_url())),
        ("GET", format!("{}/prod/pets", em.base_url())),
        ("GET", format!("{}/devx/pets", em.base_url())),
        ("GET", format!("{}/", em.base_url())),
    ] {
        for auth in [None, Some(format!("Bearer {token}"))] {
            let mut req = client().request(verb.parse().unwrap(), &url);
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 403, "{verb} {url}");
            assert_gateway(
                resp,
                403,
                "Missing Authentication Token",
                "MissingAuthenticationTokenException",
            )
            .await;
        }
    }
    em.shutdown().await;
}

#[tokio::test]
async fn api_failing_switch() {
    let em = start_default().await;
    let auth = format!("Bearer {}", demo_token(&em).await);
    em.set_api_failing(true);
    let resp = call(&em, "GET", "/pets", Some(&auth)).await;
    assert_eq!(resp.status(), 500);
    assert!(header(&resp, "x-amzn-requestid").is_some());
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"message": "Internal server error"})
    );
    // Unauthorized calls still get the authorizer's 401.
    assert_eq!(call(&em, "GET", "/pets", None).await.status(), 401);
    em.set_api_failing(false);
    assert_eq!(call(&em, "GET", "/pets", Some(&auth)).await.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn rotate_key_keeps_old_tokens_valid_and_signs_new_ones_with_a_new_kid() {
    let em = start_default().await;
    let old_kid = em.current_kid();
    let old_token = demo_token(&em).await;
    em.rotate_key();
    let new_kid = em.current_kid();
    assert_ne!(old_kid, new_kid);
    let jwks: Value = client()
        .get(em.jwks_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [new_kid.as_str(), old_kid.as_str()]);
    let new_token = demo_token(&em).await;
    assert_eq!(
        jsonwebtoken::decode_header(&new_token)
            .unwrap()
            .kid
            .unwrap(),
        new_kid
    );
    assert_eq!(
        call(&em, "GET", "/pets", Some(&old_token)).await.status(),
        200
    );
    assert_eq!(
        call(&em, "GET", "/pets", Some(&new_token)).await.status(),
        200
    );
    em.shutdown().await;
}

#[tokio::test]
async fn oversized_api_body_is_413() {
    let em = start_default().await;
    let auth = format!("Bearer {}", demo_token(&em).await);
    let big = format!("[\"{}\"]", "a".repeat(cognito_emulator::API_BODY_LIMIT));
    let resp = client()
        .post(format!("{}/pets", em.api_url()))
        .header("authorization", &auth)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"message": "Request Too Long"})
    );
    em.shutdown().await;
}

#[tokio::test]
async fn public_url_sets_base_and_issuer() {
    let em = start_with(|c| c.public_url = Some("https://auth.example.test/".into())).await;
    assert_eq!(em.base_url(), "https://auth.example.test");
    assert_eq!(em.issuer(), "https://auth.example.test/us-east-1_demo");
    let local = format!("http://{}", em.local_addr());
    let resp = client()
        .post(format!("{local}/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret")
        .send()
        .await
        .unwrap();
    let token = resp.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = client()
        .get(format!("{local}/dev/pets"))
        .header("authorization", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "the issuer follows the public URL on both sides"
    );
    em.shutdown().await;
}
