use super::*;

/// Judged with no secret known.
fn judge(case: NegativeCase, status: Option<u16>, body: &str) -> NegativeResult {
    super::judge(case, status, body, &Masker::new(&[]))
}
use crate::core::jwt::{base64url_decode, decode, Base64Problem};
use serde_json::json;

const HEADER: &str = r#"{"kid":"k1","alg":"RS256"}"#;
const PAYLOAD: &str = r#"{"sub":"demo-client","token_use":"access","scope":"demo/example demo/other","exp":1800000000,"client_id":"demo-client"}"#;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token shaped like Cognito's: a 256-byte RS256 signature.
fn good_token() -> String {
    let signature: Vec<u8> = (0..=255u8).collect();
    format!(
        "{}.{}.{}",
        b64(HEADER.as_bytes()),
        b64(PAYLOAD.as_bytes()),
        b64(&signature)
    )
}

fn parts(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

fn bearer(header: Option<String>) -> String {
    header
        .unwrap()
        .strip_prefix("Bearer ")
        .expect("a Bearer header")
        .to_owned()
}

#[test]
fn cases_labels_and_proofs() {
    let all = NegativeCase::all();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0], NegativeCase::NoAuthorization);
    assert_eq!(all[4], NegativeCase::OtherClientToken);
    let labels: Vec<&str> = all.iter().map(|c| c.label()).collect();
    assert_eq!(
        labels,
        [
            "No Authorization header",
            "Altered signature",
            "Altered payload",
            "Basic instead of Bearer",
            "Other client's token"
        ]
    );
    for case in all {
        assert!(case.what_it_proves().ends_with("refused."), "{case:?}");
    }
    assert_eq!(
        serde_json::to_value(NegativeCase::WrongScheme).unwrap(),
        json!("WrongScheme")
    );
}

#[test]
fn no_authorization_sends_no_header_whatever_the_token() {
    assert_eq!(
        authorization_for(NegativeCase::NoAuthorization, &good_token()),
        Ok(None)
    );
    assert_eq!(
        authorization_for(NegativeCase::NoAuthorization, ""),
        Ok(None)
    );
}

#[test]
fn wrong_scheme_and_other_client_send_the_token_as_is() {
    let good = good_token();
    assert_eq!(
        authorization_for(NegativeCase::WrongScheme, &good),
        Ok(Some(format!("Basic {good}")))
    );
    assert_eq!(
        authorization_for(NegativeCase::OtherClientToken, &good),
        Ok(Some(format!("Bearer {good}")))
    );
    // Pasted forms are cleaned: a Bearer prefix, surrounding space, a wrapped line.
    let (a, b) = good.split_at(30);
    for pasted in [
        format!("Bearer {good}"),
        format!("  {good}\n"),
        format!("{a}\n{b}"),
    ] {
        assert_eq!(
            authorization_for(NegativeCase::WrongScheme, &pasted),
            Ok(Some(format!("Basic {good}")))
        );
    }
}

#[test]
fn altered_signature_still_decodes_but_differs() {
    let good = good_token();
    let altered = bearer(authorization_for(NegativeCase::AlteredSignature, &good).unwrap());
    assert_ne!(altered, good);
    let (g, a) = (parts(&good), parts(&altered));
    assert_eq!(a.len(), 3);
    assert_eq!(a[0], g[0], "header kept");
    assert_eq!(a[1], g[1], "payload kept");
    assert_eq!(a[2].len(), g[2].len());
    // Exactly one character changed, in the middle.
    let changed: Vec<usize> = a[2]
        .chars()
        .zip(g[2].chars())
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(changed, vec![g[2].len() / 2]);
    let decoded = decode(&altered);
    assert!(decoded.is_well_formed(), "{:?}", decoded.problems());
    assert_ne!(
        base64url_decode(&a[2]).unwrap(),
        base64url_decode(&g[2]).unwrap()
    );
}

#[test]
fn altered_signature_changes_the_bytes_for_every_length_and_character() {
    // Short signatures put the middle character last, where some bits are spare.
    for len in 1..=8usize {
        for byte in [0u8, 0x55, 0xaa, 0xff] {
            let sig = b64(&vec![byte; len]);
            let altered = altered_signature(&sig);
            assert_eq!(altered.len(), sig.len());
            assert_ne!(
                base64url_decode(&altered).unwrap(),
                base64url_decode(&sig).unwrap(),
                "{sig} → {altered}"
            );
        }
    }
    // Every alphabet character flips to a different one, both ways.
    for c in BASE64URL_ALPHABET.chars() {
        assert_ne!(flip(c), c);
        assert_eq!(flip(flip(c)), c);
    }
    // Padding is kept.
    let padded = base64::engine::general_purpose::URL_SAFE.encode([1u8, 2, 3, 4]);
    assert!(padded.ends_with("=="));
    let altered = altered_signature(&padded);
    assert!(altered.ends_with("=="));
    assert_ne!(
        base64url_decode(&altered).unwrap(),
        base64url_decode(&padded).unwrap()
    );
}

#[test]
fn altered_payload_adds_an_admin_scope_and_keeps_header_and_signature() {
    let good = good_token();
    let altered = bearer(authorization_for(NegativeCase::AlteredPayload, &good).unwrap());
    let (g, a) = (parts(&good), parts(&altered));
    assert_eq!(a.len(), 3);
    assert_eq!(a[0], g[0]);
    assert_eq!(a[2], g[2]);
    assert_ne!(a[1], g[1]);
    let decoded = decode(&altered);
    assert!(decoded.is_well_formed(), "{:?}", decoded.problems());
    let claims = decoded.claims().unwrap();
    assert_eq!(claims["scope"], json!("demo/example demo/other demo/admin"));
    // Every other claim is unchanged.
    let mut original: serde_json::Map<String, Value> = serde_json::from_str(PAYLOAD).unwrap();
    original.insert("scope".into(), claims["scope"].clone());
    assert_eq!(claims, &original);
}

#[test]
fn altered_payload_without_a_scope_or_resource_server() {
    let token = |payload: &str| {
        format!(
            "{}.{}.c2ln",
            b64(HEADER.as_bytes()),
            b64(payload.as_bytes())
        )
    };
    let scope_of = |payload: &str| {
        let altered =
            bearer(authorization_for(NegativeCase::AlteredPayload, &token(payload)).unwrap());
        decode(&altered).claims().unwrap()["scope"].clone()
    };
    assert_eq!(scope_of(r#"{"sub":"x"}"#), json!("admin"));
    assert_eq!(scope_of(r#"{"scope":""}"#), json!("admin"));
    assert_eq!(scope_of(r#"{"scope":"read"}"#), json!("read admin"));
    assert_eq!(scope_of(r#"{"scope":42}"#), json!("admin"));
    assert_eq!(scope_of(r#"{"scope":"admin"}"#), json!("admin admin"));
    assert_eq!(
        scope_of(r#"{"scope":"read api/write"}"#),
        json!("read api/write api/admin")
    );
}

#[test]
fn malformed_good_tokens_are_errors() {
    for case in [
        NegativeCase::AlteredSignature,
        NegativeCase::AlteredPayload,
        NegativeCase::WrongScheme,
        NegativeCase::OtherClientToken,
    ] {
        assert_eq!(authorization_for(case, ""), Err(NegativeError::EmptyToken));
        assert_eq!(
            authorization_for(case, "Bearer  "),
            Err(NegativeError::EmptyToken)
        );
        assert_eq!(
            authorization_for(case, "opaque-token"),
            Err(NegativeError::NotAJwt { parts: 1 })
        );
        assert_eq!(
            authorization_for(case, "a.b"),
            Err(NegativeError::NotAJwt { parts: 2 })
        );
    }
    let h = b64(HEADER.as_bytes());
    let p = b64(PAYLOAD.as_bytes());
    assert_eq!(
        authorization_for(
            NegativeCase::AlteredPayload,
            &format!("{h}.{}.c2ln", b64(b"[1]"))
        ),
        Err(NegativeError::Unreadable {
            part: "payload",
            problem: SegmentProblem::NotAnObject
        })
    );
    assert_eq!(
        authorization_for(NegativeCase::AlteredSignature, &format!("{h}.{p}.")),
        Err(NegativeError::Unreadable {
            part: "signature",
            problem: SegmentProblem::Base64(Base64Problem::Empty)
        })
    );
    assert!(matches!(
        authorization_for(NegativeCase::WrongScheme, &format!("%%.{p}.c2ln")),
        Err(NegativeError::Unreadable { part: "header", .. })
    ));
}

#[test]
fn error_messages() {
    assert_eq!(
        NegativeError::EmptyToken.to_string(),
        "There is no token to start from: get a token first."
    );
    assert_eq!(
        NegativeError::NotAJwt { parts: 1 }.to_string(),
        "The token is not a JWT: it has 1 part where a JWT has three (header.payload.signature), \
         so the check would prove nothing. Get a new token."
    );
    assert!(NegativeError::NotAJwt { parts: 2 }
        .to_string()
        .contains("it has 2 parts"));
    assert_eq!(
        NegativeError::Unreadable {
            part: "signature",
            problem: SegmentProblem::Base64(Base64Problem::Empty)
        }
        .to_string(),
        "The token's signature is empty, so the check would prove nothing. Get a new token."
    );
}

#[test]
fn refusals_pass() {
    for case in NegativeCase::all() {
        for status in [401, 403] {
            let r = judge(case, Some(status), r#"{"message":"Unauthorized"}"#);
            assert_eq!(r.case, case);
            assert_eq!(r.verdict, Verdict::Refused);
            assert_eq!(r.expected, "401 or 403");
            assert!(r.explanation.starts_with("Refused"), "{}", r.explanation);
            assert!(!r.explanation.contains("Missing Authentication Token"));
        }
    }
    let r = judge(
        NegativeCase::NoAuthorization,
        Some(401),
        r#"{"message":"Unauthorized"}"#,
    );
    assert_eq!(r.actual, r#"401 Unauthorized: {"message":"Unauthorized"}"#);
    assert_eq!(
        r.explanation,
        "Refused without a token: the method is protected."
    );
    assert_eq!(
        judge(NegativeCase::AlteredSignature, Some(403), "").actual,
        "403 Forbidden (empty body)"
    );
}

#[test]
fn missing_authentication_token_is_a_refusal_with_a_warning() {
    let r = judge(
        NegativeCase::NoAuthorization,
        Some(403),
        r#"{"message":"Missing Authentication Token"}"#,
    );
    assert_eq!(r.verdict, Verdict::Refused);
    assert!(r.explanation.contains("path or method that does not exist"));
}

#[test]
fn acceptance_is_a_security_finding() {
    for case in NegativeCase::all() {
        let r = judge(case, Some(200), "[]");
        assert_eq!(r.verdict, Verdict::SecurityFinding, "{case:?}");
        assert!(
            r.explanation.starts_with("The API answered 200 "),
            "{}",
            r.explanation
        );
        assert_eq!(r.actual, "200 OK: []");
    }
    let r = judge(NegativeCase::AlteredSignature, Some(204), "");
    assert_eq!(r.verdict, Verdict::SecurityFinding);
    assert_eq!(r.actual, "204 No Content (empty body)");
    assert!(r.explanation.contains("JWKS"));
    assert!(judge(NegativeCase::NoAuthorization, Some(299), "")
        .explanation
        .contains("Cognito authorizer"));
    assert!(judge(NegativeCase::OtherClientToken, Some(200), "")
        .explanation
        .contains("Authorization Scopes"));
    assert!(judge(NegativeCase::WrongScheme, Some(200), "")
        .explanation
        .contains("Bearer"));
}

#[test]
fn other_statuses_are_unexpected() {
    for (status, hint) in [
        (302, "redirect"),
        (400, "malformed"),
        (404, "not found"),
        (429, "throttling"),
        (500, "failed instead of refusing"),
        (502, "failed instead of refusing"),
        (418, "418 neither refuses nor accepts"),
        (100, "100 neither"),
    ] {
        let r = judge(NegativeCase::AlteredPayload, Some(status), "");
        assert_eq!(r.verdict, Verdict::Unexpected, "{status}");
        assert!(
            r.explanation.starts_with("Expected 401 or 403"),
            "{}",
            r.explanation
        );
        assert!(r.explanation.contains(hint), "{status}: {}", r.explanation);
    }
    assert_eq!(
        judge(NegativeCase::AlteredPayload, Some(418), "teapot").actual,
        "418: teapot"
    );
    assert_eq!(
        judge(
            NegativeCase::AlteredPayload,
            Some(502),
            r#"{"message": "Internal server error"}"#
        )
        .actual,
        r#"502 Bad Gateway: {"message": "Internal server error"}"#
    );
}

#[test]
fn no_response_is_unexpected_and_mentions_cors() {
    let r = judge(NegativeCase::NoAuthorization, None, "");
    assert_eq!(r.verdict, Verdict::Unexpected);
    assert_eq!(r.actual, "no response");
    assert!(r.explanation.contains("UNAUTHORIZED or DEFAULT_4XX"));
    let r = judge(
        NegativeCase::NoAuthorization,
        None,
        "TypeError: Failed to fetch",
    );
    assert_eq!(r.actual, "no response: TypeError: Failed to fetch");
}

#[test]
fn long_and_multiline_bodies_are_shortened() {
    let body = format!("{{\n  \"message\":\n    \"{}\"\n}}", "é".repeat(300));
    let r = judge(NegativeCase::AlteredSignature, Some(401), &body);
    assert!(r
        .actual
        .starts_with("401 Unauthorized: { \"message\": \"éé"));
    assert!(r.actual.ends_with('…'));
    assert!(!r.actual.contains('\n'));
    let shown = r.actual.strip_prefix("401 Unauthorized: ").unwrap();
    assert_eq!(shown.chars().count(), BODY_SHOWN_CHARS + 1);
}

#[test]
fn results_serialise_for_export() {
    let r = judge(NegativeCase::OtherClientToken, Some(401), "");
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["case"], json!("OtherClientToken"));
    assert_eq!(v["verdict"], json!("Refused"));
    assert_eq!(v["expected"], json!("401 or 403"));
}

/// The altered signature differs from the real one by one bit: once sent it is a secret of the
/// tab, masked wherever the server might echo it.
#[test]
fn an_altered_token_sent_is_masked_like_the_real_one() {
    use crate::core::run::SecretBook;
    let good = good_token();
    let header = authorization_for(NegativeCase::AlteredSignature, &good)
        .unwrap()
        .unwrap();
    let altered = header.trim_start_matches("Bearer ");
    let mut book = SecretBook::new();
    assert!(book.add_sent_authorization(Some(&header)));
    let altered_signature = altered.rsplit('.').next().unwrap();
    let echoed = book.mask(&format!(
        "invalid signature {altered_signature} in {altered}"
    ));
    assert!(!echoed.contains(altered_signature), "{echoed}");
    assert!(!book.add_sent_authorization(None));
}

/// Negative checks sent with a token the API refuses anyway (no scope for the method, expired by
/// the issuer's clock, another API's URL) all read "refused ✓", as if each had proved its check.
/// Beside a control call with the unaltered token that was refused too, they prove nothing.
#[test]
fn a_refusal_proves_a_check_only_when_the_unaltered_token_gets_through() {
    let refused = judge(NegativeCase::AlteredSignature, Some(401), "{}");
    assert_eq!(refused.verdict, Verdict::Refused);
    assert_eq!(against_control(refused.clone(), Some(200)), refused);
    for control in [Some(401), Some(403), Some(500), None] {
        let judged = against_control(refused.clone(), control);
        assert_eq!(judged.verdict, Verdict::Unexpected, "{control:?}");
        assert!(
            judged
                .explanation
                .contains("unaltered token was refused too"),
            "{}",
            judged.explanation
        );
        assert_eq!(judged.actual, refused.actual);
    }
    // A 2xx for the altered token stays a finding whatever the control got.
    let accepted = judge(NegativeCase::AlteredSignature, Some(200), "[]");
    assert_eq!(
        against_control(accepted, Some(401)).verdict,
        Verdict::SecurityFinding
    );
}
