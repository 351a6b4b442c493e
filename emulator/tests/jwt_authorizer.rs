#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The REST API JWT authorizer on `GET /dev/jwt/pets`: audience from `aud` or `client_id`, scopes from
//! `scope` or `scp`, 403 for a valid token without the method's scopes.

mod common;

use cognito_emulator::{Running, PETS_JSON};
use common::*;
use serde_json::{json, Value};

async fn get(em: &Running, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = client().get(format!("{}{}", em.api_url(), path));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.send().await.unwrap()
}

async fn status_and_body(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn signed(em: &Running, edit: impl FnOnce(&mut Value)) -> String {
    let t = now();
    let mut c = json!({
        "sub": "x", "token_use": "access", "scope": "demo/example", "iss": em.issuer(),
        "exp": t + 3600, "iat": t, "client_id": "demo-client-id",
    });
    edit(&mut c);
    em.sign_claims(&c).unwrap()
}

#[tokio::test]
async fn demo_token_passes_with_apigw_headers() {
    let em = start_default().await;
    let token = demo_token(&em).await;
    let resp = get(&em, "/jwt/pets", Some(&token)).await;
    assert_eq!(resp.status(), 200);
    let id = header(&resp, "x-amz-apigw-id").unwrap().to_string();
    assert_eq!(id.len(), 16, "{id}");
    assert!(header(&resp, "x-amzn-requestid").is_some());
    assert_eq!(resp.text().await.unwrap(), PETS_JSON);
    em.shutdown().await;
}

#[tokio::test]
async fn valid_token_without_the_scope_is_403_where_cognito_says_401() {
    let em = start_default().await;
    let token = token_for(&em, "other-scope-client", "other-scope-secret", None).await;
    let resp = get(&em, "/jwt/pets", Some(&token)).await;
    assert_eq!(
        header(&resp, "x-amzn-errortype"),
        Some("AccessDeniedException")
    );
    assert_eq!(
        status_and_body(resp).await,
        (403, r#"{"message":"Forbidden"}"#.to_string())
    );
    // The same token on the Cognito authorizer's method.
    let (status, body) = status_and_body(get(&em, "/pets", Some(&token)).await).await;
    assert_eq!(
        (status, body.as_str()),
        (401, r#"{"message":"Unauthorized"}"#)
    );
    em.shutdown().await;
}

#[tokio::test]
async fn audience_is_aud_else_client_id() {
    let em = start_default().await;
    // A client the authorizer does not list: 401, whatever its scopes.
    let (id, secret) = cognito_emulator::SPECIAL_SECRET_CLIENT;
    let other = token_for(&em, id, secret, None).await;
    assert_eq!(
        status_and_body(get(&em, "/jwt/pets", Some(&other)).await)
            .await
            .0,
        401
    );
    // aud wins over client_id when both are present.
    let cases = [
        (json!("demo-client-id"), "nobody", 200),
        (json!(["x", "demo-client-id"]), "nobody", 200),
        (json!("nobody"), "demo-client-id", 401),
    ];
    for (aud, client_id, expected) in cases {
        let token = signed(&em, |c| {
            c["aud"] = aud.clone();
            c["client_id"] = json!(client_id);
        });
        let (status, body) = status_and_body(get(&em, "/jwt/pets", Some(&token)).await).await;
        assert_eq!(status, expected, "aud {aud} client_id {client_id}: {body}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn scopes_come_from_scope_or_scp() {
    let em = start_default().await;
    for (scope, scp, expected) in [
        (None, Some(json!(["demo/example"])), 200),
        (None, Some(json!("demo/other demo/example")), 200),
        (Some("demo/other"), Some(json!(["demo/other"])), 403),
        (None, None, 403),
    ] {
        let token = signed(&em, |c| {
            match scope {
                Some(s) => c["scope"] = json!(s),
                None => {
                    c.as_object_mut().unwrap().remove("scope");
                }
            }
            if let Some(scp) = &scp {
                c["scp"] = scp.clone();
            }
        });
        let (status, body) = status_and_body(get(&em, "/jwt/pets", Some(&token)).await).await;
        assert_eq!(status, expected, "scope {scope:?} scp {scp:?}: {body}");
    }
    em.shutdown().await;
}

#[tokio::test]
async fn invalid_tokens_are_401_unauthorized() {
    let em = start_default().await;
    let t = now();
    let expired = signed(&em, |c| {
        c["exp"] = json!(t - 10);
        c["iat"] = json!(t - 100);
    });
    let future_iat = signed(&em, |c| c["iat"] = json!(t + 600));
    let not_yet = signed(&em, |c| c["nbf"] = json!(t + 600));
    let wrong_iss = signed(&em, |c| {
        c["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other")
    });
    let mut tampered = demo_token(&em).await;
    tampered.push('x');
    for (name, token) in [
        ("none", None),
        ("expired", Some(expired)),
        ("iat in the future", Some(future_iat)),
        ("nbf in the future", Some(not_yet)),
        ("wrong issuer", Some(wrong_iss)),
        ("bad signature", Some(tampered)),
    ] {
        let resp = get(&em, "/jwt/pets", token.as_deref()).await;
        assert_eq!(
            header(&resp, "x-amzn-errortype"),
            Some("UnauthorizedException"),
            "{name}"
        );
        assert_eq!(
            status_and_body(resp).await,
            (401, r#"{"message":"Unauthorized"}"#.to_string()),
            "{name}"
        );
    }
    em.shutdown().await;
}

#[tokio::test]
async fn a_configured_issuer_must_match_exactly() {
    let em = start_with(|c| {
        c.jwt_authorizers[0].issuer =
            Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo".into())
    })
    .await;
    // The emulator's own tokens carry its local issuer: refused.
    let token = demo_token(&em).await;
    assert_eq!(
        status_and_body(get(&em, "/jwt/pets", Some(&token)).await)
            .await
            .0,
        401
    );
    let aws_iss = signed(&em, |c| {
        c["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo")
    });
    assert_eq!(
        status_and_body(get(&em, "/jwt/pets", Some(&aws_iss)).await)
            .await
            .0,
        200
    );
    em.shutdown().await;
}

#[test]
fn jwt_configuration_errors_name_the_key() {
    let base = "[pool]\nid = \"us-east-1_x\"\n[[resource_servers]]\nidentifier = \"d\"\nscopes = [\"a\"]\n";
    let cases = [
        (
            "[[api.methods]]\nmethod = \"GET\"\npath = \"/x\"\nauthorization = \"jwt\"\n",
            "api.methods[0].authorizer",
            "needs an [[api.jwt_authorizers]]",
        ),
        (
            "[[api.methods]]\nmethod = \"GET\"\npath = \"/x\"\nauthorization = \"jwt\"\nauthorizer = \"nope\"\n[[api.jwt_authorizers]]\nname = \"a\"\naudiences = [\"c\"]\n",
            "api.methods[0].authorizer",
            "no [[api.jwt_authorizers]] is named \"nope\"",
        ),
        (
            "[[api.methods]]\nmethod = \"GET\"\npath = \"/x\"\nauthorizer = \"a\"\n[[api.jwt_authorizers]]\nname = \"a\"\naudiences = [\"c\"]\n",
            "api.methods[0].authorizer",
            "needs authorization = \"jwt\"",
        ),
        (
            "[[api.jwt_authorizers]]\nname = \"a\"\n",
            "api.jwt_authorizers[0].audiences",
            "at least one audience",
        ),
    ];
    for (extra, key, message) in cases {
        let err = cognito_emulator::Config::from_toml_str(&format!("{base}{extra}")).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(key), "{err}");
        assert!(err.to_string().contains(message), "{err}");
    }
    let ok = cognito_emulator::Config::from_toml_str(&format!(
        "{base}[[api.methods]]\nmethod = \"GET\"\npath = \"/x\"\nauthorization = \"jwt\"\nscopes = [\"d/a\"]\n[[api.jwt_authorizers]]\nname = \"a\"\nissuer = \"https://idp.example.com\"\naudiences = [\"c\"]\n"
    ))
    .unwrap();
    assert_eq!(
        ok.jwt_authorizers[0].issuer.as_deref(),
        Some("https://idp.example.com")
    );
    assert_eq!(
        ok.methods[0].authorization,
        cognito_emulator::Authorization::Jwt
    );
}
