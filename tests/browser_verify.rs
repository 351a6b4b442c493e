//! Signature verification in a real browser: tokens issued by the emulator
//! (started by `make test-browser` at EMULATOR_URL) are verified through the
//! pool's JWKS and WebCrypto; tampered ones fail with the right reason.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use cognito_api_tester::core::checks::Signature;
use cognito_api_tester::core::exchange::RecordedRequest;
use cognito_api_tester::core::jwt::decode;
use cognito_api_tester::core::token::{build_token_request, parse_token_response, ClientAuth};
use cognito_api_tester::web::http::{send, InFlight};
use cognito_api_tester::web::verify::{jwks_fetches, verify, JwksSource};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Set by `make test-browser` (tools/with-emulator.sh), which starts the emulator there.
fn emulator() -> &'static str {
    env!("EMULATOR_URL")
}

async fn post(url: &str) -> String {
    let request = RecordedRequest {
        method: "POST".into(),
        url: url.into(),
        headers: vec![],
        body: None,
    };
    let (exchange, outcome) = send(&request, 10_000, &InFlight::new().unwrap()).await;
    outcome.unwrap();
    exchange.response.unwrap().body
}

/// A fresh access token for the demo client, as the app gets it.
async fn token() -> String {
    let built = build_token_request(
        &format!("{}/oauth2/token", emulator()),
        "demo-client-id",
        "demo-client-secret",
        "demo/example",
        ClientAuth::SecretInBody,
    );
    let request = RecordedRequest {
        method: "POST".into(),
        url: built.url,
        headers: built.headers,
        body: Some(built.body),
    };
    let (exchange, outcome) = send(&request, 10_000, &InFlight::new().unwrap()).await;
    outcome.unwrap();
    let response = exchange.response.unwrap();
    parse_token_response(response.status, &response.body)
        .unwrap()
        .access_token
}

fn parts(token: &str) -> (String, String, String) {
    let mut it = token.split('.').map(str::to_string);
    (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
}

/// The token with its header or payload JSON edited (the signature kept).
fn edit(token: &str, header: bool, change: impl Fn(&mut serde_json::Value)) -> String {
    let (h, p, s) = parts(token);
    let segment = if header { &h } else { &p };
    let mut json: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap();
    change(&mut json);
    let encoded = URL_SAFE_NO_PAD.encode(json.to_string());
    if header {
        format!("{encoded}.{p}.{s}")
    } else {
        format!("{h}.{encoded}.{s}")
    }
}

async fn verdict(token: &str) -> Signature {
    verify(&decode(token), &JwksSource::Issuer, false).await
}

fn kid_of(token: &str) -> String {
    decode(token).header_str("kid").unwrap().to_string()
}

#[wasm_bindgen_test]
async fn an_emulator_token_verifies_and_tampering_is_caught() {
    let good = token().await;
    let kid = kid_of(&good);
    assert_eq!(
        verdict(&good).await,
        Signature::Verified { kid: kid.clone() }
    );

    let changed_payload = edit(&good, false, |p| p["scope"] = "demo/admin".into());
    assert_eq!(
        verdict(&changed_payload).await,
        Signature::Invalid { kid: kid.clone() }
    );

    let (h, p, s) = parts(&good);
    let mut sig = s.into_bytes();
    let middle = sig.len() / 2;
    sig[middle] = if sig[middle] == b'A' { b'B' } else { b'A' };
    let changed_signature = format!("{h}.{p}.{}", String::from_utf8(sig).unwrap());
    assert_eq!(
        verdict(&changed_signature).await,
        Signature::Invalid { kid: kid.clone() }
    );

    let before = jwks_fetches();
    let unknown_kid = edit(&good, true, |h| h["kid"] = "not-a-pool-key".into());
    match verdict(&unknown_kid).await {
        Signature::UnknownKid { kid: k, known } => {
            assert_eq!(k, "not-a-pool-key");
            assert!(known.contains(&kid), "{known:?}");
        }
        other => panic!("expected UnknownKid, got {other:?}"),
    }
    assert_eq!(
        jwks_fetches(),
        before + 1,
        "an unknown kid fetches the JWKS once more"
    );

    for alg in ["none", "HS256"] {
        let forged = edit(&good, true, |h| h["alg"] = alg.into());
        match verdict(&forged).await {
            Signature::NotChecked { reason } => assert!(reason.contains(alg), "{reason}"),
            other => panic!("alg {alg}: expected NotChecked, got {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
async fn a_rotated_key_is_found_by_fetching_the_jwks_again() {
    let old = token().await;
    assert!(matches!(verdict(&old).await, Signature::Verified { .. }));
    let cached = jwks_fetches();
    assert!(matches!(verdict(&old).await, Signature::Verified { .. }));
    assert_eq!(
        jwks_fetches(),
        cached,
        "a known kid is served from the cache"
    );

    post(&format!("{}/_emulator/rotate-key", emulator())).await;
    let new = token().await;
    assert_ne!(
        kid_of(&old),
        kid_of(&new),
        "the emulator signs with the new key"
    );
    assert_eq!(
        verdict(&new).await,
        Signature::Verified { kid: kid_of(&new) }
    );
    assert_eq!(
        jwks_fetches(),
        cached + 1,
        "the unknown kid triggered exactly one refetch"
    );
    assert!(
        matches!(verdict(&old).await, Signature::Verified { .. }),
        "the old key is still published"
    );
}

#[wasm_bindgen_test]
async fn a_pasted_jwks_is_used_without_fetching() {
    let good = token().await;
    let jwks = {
        let request = RecordedRequest {
            method: "GET".into(),
            url: format!("{}/us-east-1_demo/.well-known/jwks.json", emulator()),
            headers: vec![],
            body: None,
        };
        let (exchange, _) = send(&request, 10_000, &InFlight::new().unwrap()).await;
        exchange.response.unwrap().body
    };
    let before = jwks_fetches();
    let verdict = verify(&decode(&good), &JwksSource::Pasted(jwks), false).await;
    assert_eq!(verdict, Signature::Verified { kid: kid_of(&good) });
    assert_eq!(jwks_fetches(), before);
    let broken = verify(
        &decode(&good),
        &JwksSource::Pasted("{\"keys\":[]}".into()),
        false,
    )
    .await;
    assert!(matches!(broken, Signature::JwksFailed { .. }), "{broken:?}");
}
