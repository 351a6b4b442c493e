//! A pasted token, taken through everything the page does with it: decode, the problems list,
//! the claim table and expiry countdown, the held token's reuse decision, the JWKS URL and the
//! Checks panel (with a fixed form and clock). The input is used twice: as the pasted text
//! itself, and as the payload bytes of an otherwise valid token, so the JSON and claim code
//! sees arbitrary bytes too (libFuzzer rarely writes valid base64 of valid JSON on its own).
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;

use cognito_api_tester::core::checks::{
    all_pass, signature_precondition, token_checks, Signature, TokenContext,
};
use cognito_api_tester::core::jwks::jwks_url_for_issuer;
use cognito_api_tester::core::jwt::{
    claim_rows, decode, expiry, format_countdown, format_relative, format_utc, parse_issuer,
    pretty_json, Expiry,
};
use cognito_api_tester::core::session::{token_need, HeldToken};

const NOW: i64 = 1_780_000_000;
const HEADER: &str = r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#;

fn inspect(token: &str, pick: u8) {
    let d = decode(token);
    let problems = d.problems();
    assert_eq!(d.is_well_formed(), problems.is_empty(), "{problems:?}");
    assert_eq!(d.claims().is_some(), d.payload.json.is_ok());

    // The decoded-token panel.
    if let Some(claims) = d.claims() {
        let _ = pretty_json(claims);
        let rows = claim_rows(claims);
        assert_eq!(rows.len(), claims.len());
        for row in rows {
            if let Some(t) = row.time {
                let _ = format_utc(t);
                let _ = format_relative(t.saturating_sub(NOW));
            }
        }
        match expiry(claims, NOW) {
            Expiry::NoExpClaim => {}
            Expiry::Valid { seconds_left } => {
                assert!(seconds_left > 0);
                let _ = format_countdown(seconds_left);
            }
            Expiry::Expired { seconds_ago } => {
                assert!(seconds_ago >= 0);
                let _ = format_relative(-seconds_ago);
            }
        }
        let iss = claims.get("iss").and_then(|v| v.as_str());
        let _ = iss.map(parse_issuer);
        let _ = jwks_url_for_issuer(iss);
    }
    if let Ok(header) = &d.header.json {
        let _ = pretty_json(header);
    }

    // The held token: when it must be fetched again.
    let held = HeldToken::new(token.trim().to_owned(), None, NOW);
    let _ = token_need(Some(&held), NOW, 60);

    // The Checks panel, with a signature outcome the browser can report.
    let ctx = TokenContext {
        client_id: "3abc4defgh5ijk6lmn7opq8rst".into(),
        region: "us-east-1".into(),
        requested_scope: "demo/read demo/write".into(),
        now: NOW,
        server_skew_secs: Some(-7),
    };
    // One signature outcome per input (the input length picks it), to keep each run short.
    let kid = d.header_str("kid").unwrap_or_default().to_owned();
    let signature = match (pick % 3, signature_precondition(&d)) {
        (0, Err(reason)) => Signature::NotChecked { reason },
        (0, Ok(())) => Signature::Pending,
        (1, _) => Signature::Verified { kid },
        _ => Signature::UnknownKid {
            kid,
            known: vec!["k1".into()],
        },
    };
    let checks = token_checks(&d, &signature, &ctx);
    assert_eq!(checks.len(), 11);
    let _ = all_pass(&checks);
}

fuzz_target!(|data: &[u8]| {
    let pick = (data.len() % 3) as u8;
    inspect(&String::from_utf8_lossy(data), pick);
    let token = format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(data)
    );
    inspect(&token, pick);
});
