//! Managed login: authorize → login page → code → tokens, refresh, revoke, userInfo, logout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_emulator::{Running, DEMO_USER, USER_CLIENT_SECRET};
use common::*;
use sha2::{Digest, Sha256};

const CALLBACK: &str = "http://127.0.0.1:8080/";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn authorize_query(client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("state", "st-123"),
        ("nonce", "n-456"),
        ("scope", "openid email demo/example"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in extra {
        pairs.retain(|(pk, _)| pk != k);
        if !v.is_empty() {
            pairs.push((k, v));
        }
    }
    form_urlencoded_pairs(&pairs)
}

fn location(resp: &reqwest::Response) -> String {
    assert_eq!(resp.status(), 302, "expected a redirect");
    header(resp, "location").unwrap().to_string()
}

fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

/// Signs in through authorize + the login page; returns the callback URL the browser would go to.
async fn sign_in(em: &Running, query: &str, password: &str) -> reqwest::Response {
    let http = no_redirects();
    let resp = http
        .get(format!("{}?{query}", em.authorize_url()))
        .send()
        .await
        .unwrap();
    let login = location(&resp);
    assert!(login.starts_with("/login?"), "{login}");
    let page = http
        .get(format!("{}{login}", em.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for needle in [
        ">Username</label>",
        ">Password</label>",
        ">Sign in</button>",
    ] {
        assert!(html.contains(needle), "{needle} missing from {html}");
    }
    http.post(format!("{}{login}", em.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_urlencoded_pairs(&[
            ("username", DEMO_USER.0),
            ("password", password),
        ]))
        .send()
        .await
        .unwrap()
}

async fn code_for(em: &Running, client_id: &str) -> String {
    let resp = sign_in(em, &authorize_query(client_id, &[]), DEMO_USER.1).await;
    let back = location(&resp);
    assert!(back.starts_with(CALLBACK), "{back}");
    let q = query_of(&back);
    assert_eq!(q["state"], "st-123");
    q["code"].clone()
}

fn claims(jwt: &str) -> serde_json::Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

async fn exchange(em: &Running, form: &[(&str, &str)]) -> reqwest::Response {
    token_post(em, form).await
}

async fn redeem(em: &Running, code: &str) -> serde_json::Value {
    let resp = exchange(
        em,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "user-client"),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn the_whole_sign_in_gives_three_tokens_with_cognitos_claims() {
    let em = start_default().await;
    let code = code_for(&em, "user-client").await;
    let body = redeem(&em, &code).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let id = claims(body["id_token"].as_str().unwrap());
    let access_token = body["access_token"].as_str().unwrap();
    let access = claims(access_token);
    assert_eq!(
        body["refresh_token"].as_str().unwrap().split('.').count(),
        5
    );

    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], "user-client");
    assert_eq!(id["cognito:username"], DEMO_USER.0);
    assert_eq!(id["email"], DEMO_USER.2);
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["nonce"], "n-456");
    assert_eq!(id["iss"], em.issuer());
    let digest = Sha256::digest(access_token.as_bytes());
    assert_eq!(id["at_hash"], URL_SAFE_NO_PAD.encode(&digest[..16]));
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert!(id["auth_time"].as_u64().is_some());

    assert_eq!(access["token_use"], "access");
    assert_eq!(access["username"], DEMO_USER.0);
    assert_eq!(access["client_id"], "user-client");
    assert_eq!(access["scope"], "openid email demo/example");
    assert_eq!(access["sub"], id["sub"]);
    assert!(access.get("aud").is_none());
    em.shutdown().await;
}

#[tokio::test]
async fn the_id_token_reaches_the_method_without_scopes_and_the_access_token_the_scoped_one() {
    let em = start_default().await;
    let code = code_for(&em, "user-client").await;
    let body = redeem(&em, &code).await;
    let (id, access) = (
        body["id_token"].as_str().unwrap(),
        body["access_token"].as_str().unwrap(),
    );
    let call = |path: &str, token: &str| {
        client()
            .get(format!("{}{path}", em.api_url()))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(call("/id-token-only", id).await.unwrap().status(), 200);
    assert_eq!(call("/id-token-only", access).await.unwrap().status(), 401);
    assert_eq!(call("/pets", access).await.unwrap().status(), 200);
    assert_eq!(call("/pets", id).await.unwrap().status(), 401);
    em.shutdown().await;
}

#[tokio::test]
async fn a_code_works_once_and_only_with_its_verifier_and_redirect_uri() {
    let em = start_default().await;
    let code = code_for(&em, "user-client").await;
    redeem(&em, &code).await;
    let again = exchange(
        &em,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "user-client"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(oauth_error(again).await, "invalid_grant");

    for (redirect, verifier) in [
        (CALLBACK, "wrong-verifier-wrong-verifier-wrong-verifier-x"),
        ("http://localhost:8080/", VERIFIER),
    ] {
        let code = code_for(&em, "user-client").await;
        let resp = exchange(
            &em,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "user-client"),
                ("code", &code),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ],
        )
        .await;
        assert_eq!(
            oauth_error(resp).await,
            "invalid_grant",
            "{redirect} {verifier}"
        );
    }
    em.shutdown().await;
}

#[tokio::test]
async fn the_client_with_a_secret_must_authenticate() {
    let em = start_default().await;
    let (id, secret) = USER_CLIENT_SECRET;
    let code = code_for(&em, id).await;
    let form = |secret: Option<&'static str>| {
        let mut f = vec![
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ];
        if let Some(s) = secret {
            f.push(("client_secret", s));
        }
        f
    };
    let mut without = form(None);
    without.push(("code", &code));
    assert_eq!(
        oauth_error(exchange(&em, &without).await).await,
        "invalid_client"
    );
    // The failed attempt did not consume the code: client authentication comes first.
    let mut with = form(Some(secret));
    with.push(("code", &code));
    let resp = exchange(&em, &with).await;
    assert_eq!(resp.status(), 200);
    em.shutdown().await;
}

#[tokio::test]
async fn wrong_password_shows_the_page_again() {
    let em = start_default().await;
    let resp = sign_in(&em, &authorize_query("user-client", &[]), "nope").await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Incorrect username or password."));
    em.shutdown().await;
}

#[tokio::test]
async fn authorize_refuses_what_cognito_refuses() {
    let em = start_default().await;
    let http = no_redirects();
    let get = |q: String| http.get(format!("{}?{q}", em.authorize_url())).send();

    // No trustworthy callback: managed login's own error page, never the given URL.
    let resp = get(authorize_query(
        "user-client",
        &[("redirect_uri", "https://evil.example/")],
    ))
    .await
    .unwrap();
    assert_eq!(location(&resp), "/error?error=redirect_mismatch");
    let page = http
        .get(format!("{}/error?error=redirect_mismatch", em.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    let resp = get(authorize_query("nobody", &[])).await.unwrap();
    assert_eq!(location(&resp), "/error?error=invalid_request");

    // Back to the callback with error and state.
    for (extra, error) in [
        (("scope", "openid demo/other"), "invalid_scope"),
        (("code_challenge_method", "plain"), "invalid_request"),
        (("code_challenge", "too-short"), "invalid_request"),
        (("response_type", "id_token"), "unsupported_response_type"),
    ] {
        let resp = get(authorize_query("user-client", &[extra])).await.unwrap();
        let q = query_of(&location(&resp));
        assert_eq!(q["error"], error, "{extra:?}");
        assert_eq!(q["state"], "st-123");
        assert!(!q.contains_key("code"));
    }
    em.shutdown().await;
}

#[tokio::test]
async fn a_client_without_the_code_grant_is_sent_back_unauthorized() {
    let em = start_with(|c| {
        let client = c
            .clients
            .iter_mut()
            .find(|c| c.id == "public-client")
            .unwrap();
        client.callback_urls = vec![CALLBACK.into()];
    })
    .await;
    let resp = no_redirects()
        .get(format!(
            "{}?{}",
            em.authorize_url(),
            authorize_query("public-client", &[("scope", "")])
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(query_of(&location(&resp))["error"], "unauthorized_client");
    em.shutdown().await;
}

async fn userinfo(em: &Running, access: &str) -> reqwest::Response {
    client()
        .get(format!("{}/oauth2/userInfo", em.base_url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn refresh_userinfo_revoke() {
    let em = start_default().await;
    let code = code_for(&em, "user-client").await;
    let first = redeem(&em, &code).await;
    let refresh_token = first["refresh_token"].as_str().unwrap().to_string();
    let refresh_form = [
        ("grant_type", "refresh_token"),
        ("client_id", "user-client"),
        ("refresh_token", refresh_token.as_str()),
    ];
    let refresh = || exchange(&em, &refresh_form);
    let resp = refresh().await;
    assert_eq!(resp.status(), 200);
    let second: serde_json::Value = resp.json().await.unwrap();
    assert!(second.get("refresh_token").is_none());
    let id = claims(second["id_token"].as_str().unwrap());
    assert_eq!(
        id["origin_jti"],
        claims(first["id_token"].as_str().unwrap())["origin_jti"]
    );
    assert!(id.get("nonce").is_none());

    let access = second["access_token"].as_str().unwrap();
    let info = userinfo(&em, access).await;
    assert_eq!(info.status(), 200);
    assert_eq!(header(&info, "access-control-allow-origin"), Some("*"));
    let info: serde_json::Value = info.json().await.unwrap();
    assert_eq!(info["username"], DEMO_USER.0);
    assert_eq!(info["email"], DEMO_USER.2);
    assert_eq!(info["sub"], id["sub"]);
    // The ID token is not an access token.
    let wrong = userinfo(&em, second["id_token"].as_str().unwrap()).await;
    assert_eq!(wrong.status(), 401);

    // Revoke: an access token is refused, the refresh token accepted; then refresh and userInfo fail.
    let revoke = |token: String| {
        client()
            .post(format!("{}/oauth2/revoke", em.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_urlencoded_pairs(&[
                ("token", &token),
                ("client_id", "user-client"),
            ]))
            .send()
    };
    let resp = revoke(access.to_string()).await.unwrap();
    assert_eq!(oauth_error(resp).await, "unsupported_token_type");
    let resp = revoke(refresh_token.clone()).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "access-control-allow-origin"), Some("*"));
    assert_eq!(oauth_error(refresh().await).await, "invalid_grant");
    assert_eq!(userinfo(&em, access).await.status(), 401);
    em.shutdown().await;
}

#[tokio::test]
async fn logout_goes_only_to_an_allowed_url() {
    let em = start_default().await;
    let http = no_redirects();
    let go = |uri: &str| {
        http.get(format!(
            "{}/logout?{}",
            em.base_url(),
            form_urlencoded_pairs(&[("client_id", "user-client"), ("logout_uri", uri)])
        ))
        .send()
    };
    assert_eq!(location(&go(CALLBACK).await.unwrap()), CALLBACK);
    assert_eq!(
        location(&go("https://evil.example/").await.unwrap()),
        "/error?error=redirect_mismatch"
    );
    em.shutdown().await;
}

#[tokio::test]
async fn the_banner_prints_the_test_user() {
    let em = start_default().await;
    let banner = em.banner();
    assert!(banner.contains("demo-user / Demo-password-1"), "{banner}");
    assert!(banner.contains("user-client (no secret)"), "{banner}");
    em.shutdown().await;
}
