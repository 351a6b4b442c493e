#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The API's CORS modes: preflight and response headers on 2xx, 401, 403, integration 500 and faults.

mod common;

use cognito_emulator::{CorsMode, Running};
use common::*;

const EXPOSE: &str = "date, x-amzn-requestid, x-amzn-errortype, content-length";

async fn preflight(em: &Running, path: &str) -> reqwest::Response {
    client()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}{}", em.base_url(), path),
        )
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "authorization, x-custom-trace",
        )
        .send()
        .await
        .unwrap()
}

async fn get(em: &Running, path: &str, auth: Option<&str>) -> reqwest::Response {
    let mut req = client()
        .get(format!("{}{}", em.base_url(), path))
        .header("origin", "http://localhost:8080");
    if let Some(a) = auth {
        req = req.header("authorization", format!("Bearer {a}"));
    }
    req.send().await.unwrap()
}

fn has_cors(resp: &reqwest::Response) -> bool {
    let origin = header(resp, "access-control-allow-origin");
    let expose = header(resp, "access-control-expose-headers");
    match (origin, expose) {
        (Some("*"), Some(e)) if e.starts_with(EXPOSE) => true,
        (None, None) => false,
        other => panic!("half-set CORS headers: {other:?}"),
    }
}

/// What each response of one mode carries: (preflight ok, 2xx, 401, 403, integration 500, fault 404).
async fn observe(mode: CorsMode) -> [bool; 6] {
    let em = start_with(|c| c.cors = mode).await;
    let token = demo_token(&em).await;

    let pre = preflight(&em, "/dev/pets").await;
    let pre_ok = match pre.status().as_u16() {
        200 => {
            assert!(has_cors(&pre));
            assert_eq!(
                header(&pre, "access-control-allow-methods"),
                Some("GET,OPTIONS,POST")
            );
            assert_eq!(
                header(&pre, "access-control-allow-headers"),
                Some("Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token")
            );
            true
        }
        403 => {
            assert!(!has_cors(&pre));
            assert_eq!(
                pre.text().await.unwrap(),
                r#"{"message":"Missing Authentication Token"}"#
            );
            false
        }
        other => panic!("preflight answered {other}"),
    };
    let ok = get(&em, "/dev/pets", Some(&token)).await;
    assert_eq!(ok.status(), 200);
    let unauthorized = get(&em, "/dev/pets", None).await;
    assert_eq!(unauthorized.status(), 401);
    let missing = get(&em, "/dev/nope", Some(&token)).await;
    assert_eq!(missing.status(), 403);
    em.set_api_failing(true);
    let failing = get(&em, "/dev/pets", Some(&token)).await;
    assert_eq!(failing.status(), 500);
    em.set_api_failing(false);
    let fault = get(&em, "/faults/status/404", None).await;
    assert_eq!(fault.status(), 404);

    // The token endpoint keeps its own CORS whatever the API's mode.
    let tok = client()
        .post(em.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&tok, "access-control-allow-origin"), Some("*"));

    let seen = [
        pre_ok,
        has_cors(&ok),
        has_cors(&unauthorized),
        has_cors(&missing),
        has_cors(&failing),
        has_cors(&fault),
    ];
    em.shutdown().await;
    seen
}

#[tokio::test]
async fn full_mode_puts_cors_everywhere() {
    assert_eq!(observe(CorsMode::Full).await, [true; 6]);
}

#[tokio::test]
async fn none_mode_has_no_cors_at_all() {
    assert_eq!(observe(CorsMode::None).await, [false; 6]);
}

#[tokio::test]
async fn success_only_mode_leaves_gateway_responses_bare() {
    assert_eq!(
        observe(CorsMode::SuccessOnly).await,
        [true, true, false, false, true, true]
    );
}

#[tokio::test]
async fn preflight_on_the_stage_root_and_unknown_paths() {
    let em = start_default().await;
    let root = preflight(&em, "/dev").await;
    assert_eq!(root.status(), 200);
    assert_eq!(
        header(&root, "access-control-allow-methods"),
        Some("GET,OPTIONS")
    );
    let item = preflight(&em, "/dev/pets/3").await;
    assert_eq!(
        header(&item, "access-control-allow-methods"),
        Some("DELETE,OPTIONS,PATCH,PUT")
    );
    // No resource, no OPTIONS method: 403 (with CORS in full mode, as a Gateway Response).
    let unknown = preflight(&em, "/dev/unknown").await;
    assert_eq!(unknown.status(), 403);
    assert!(has_cors(&unknown));
    em.shutdown().await;
}

#[tokio::test]
async fn preflight_answers_the_configured_headers_not_what_it_is_asked() {
    // The default: API Gateway console's list; the requested x-custom-trace is not echoed, so a browser
    // would refuse to send it.
    let em = start_default().await;
    let pre = preflight(&em, "/dev/pets").await;
    let allowed = header(&pre, "access-control-allow-headers")
        .unwrap()
        .to_string();
    assert!(
        !allowed.to_ascii_lowercase().contains("x-custom-trace"),
        "{allowed}"
    );
    em.shutdown().await;
    // Configured: exactly that list.
    let em = start_with(|c| {
        c.cors_allow_headers = vec!["Authorization".into(), "X-Custom-Trace".into()]
    })
    .await;
    for path in ["/dev/pets", "/faults/html"] {
        let pre = preflight(&em, path).await;
        assert_eq!(
            header(&pre, "access-control-allow-headers"),
            Some("Authorization,X-Custom-Trace"),
            "{path}"
        );
    }
    em.shutdown().await;
}
