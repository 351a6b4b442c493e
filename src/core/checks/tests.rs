use super::*;
use crate::core::jwt::decode;
use crate::core::run::{checks_headline, ChecksHeadline};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

const NOW: i64 = 1_800_000_000;

fn token(header: &str, payload: &str) -> DecodedJwt {
    decode(&format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    ))
}

fn good_payload() -> String {
    format!(
        r#"{{"sub":"demo-client-id","token_use":"access","scope":"demo/example demo/other","auth_time":{iat},"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo","exp":{exp},"iat":{iat},"version":2,"jti":"j","client_id":"demo-client-id"}}"#,
        iat = NOW - 100,
        exp = NOW + 3500
    )
}

fn good() -> DecodedJwt {
    token(r#"{"kid":"k1","alg":"RS256"}"#, &good_payload())
}

fn ctx() -> TokenContext {
    TokenContext {
        client_id: "demo-client-id".into(),
        region: "us-east-1".into(),
        requested_scope: "demo/example".into(),
        now: NOW,
        server_skew_secs: None,
        token_origin: None,
    }
}

fn verified() -> Signature {
    Signature::Verified { kid: "k1".into() }
}

fn check(checks: &[Check], name: &str) -> Check {
    checks.iter().find(|c| c.name == name).cloned().unwrap()
}

fn with_payload(edit: impl Fn(&mut serde_json::Map<String, serde_json::Value>)) -> DecodedJwt {
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&good_payload()).unwrap();
    edit(&mut map);
    token(
        r#"{"kid":"k1","alg":"RS256"}"#,
        &serde_json::Value::Object(map).to_string(),
    )
}

#[test]
fn a_good_token_passes_everything_but_the_infos() {
    let checks = token_checks(&good(), &verified(), &ctx());
    let names: Vec<&str> = checks.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "Structure",
            "Algorithm",
            "Key ID",
            "Signature",
            "Expiry",
            "Issued at",
            "Issuer",
            "Token use",
            "Client ID",
            "Scopes",
            "Audience"
        ]
    );
    for c in &checks {
        let expected = if c.name == "Audience" {
            Status::Info
        } else {
            Status::Pass
        };
        assert_eq!(c.status, expected, "{c:?}");
        assert!(c.fix.is_none(), "{c:?}");
    }
    assert!(all_pass(&checks));
    assert!(check(&checks, "Expiry").detail.contains("in 58 min 20 s"));
    assert!(check(&checks, "Issuer").detail.contains("us-east-1_demo"));
}

#[test]
fn malformed_tokens_fail_structure() {
    let t = decode("abc.def");
    let checks = token_checks(
        &t,
        &Signature::NotChecked {
            reason: "the token is malformed".into(),
        },
        &ctx(),
    );
    let s = check(&checks, "Structure");
    assert_eq!(s.status, Status::Fail);
    assert!(s.fix.unwrap().contains("three base64url parts"));
    assert!(!all_pass(&checks));
    assert_eq!(
        signature_precondition(&t),
        Err("the token is malformed".into())
    );
}

#[test]
fn algorithms() {
    for (header, word) in [
        (r#"{"alg":"none"}"#, "unsigned"),
        (r#"{"alg":"HS256","kid":"k"}"#, "shared-secret"),
        (r#"{"alg":"ES256","kid":"k"}"#, "ES256"),
        (r#"{"kid":"k"}"#, "no alg"),
    ] {
        let t = token(header, &good_payload());
        let a = check(&token_checks(&t, &Signature::Pending, &ctx()), "Algorithm");
        assert_eq!(a.status, Status::Fail, "{header}");
        assert!(a.detail.contains(word), "{header}: {}", a.detail);
        assert!(a.fix.is_some());
        assert!(signature_precondition(&t).is_err());
    }
    assert_eq!(signature_precondition(&good()), Ok(()));
}

#[test]
fn signature_verdicts() {
    let t = good();
    let cases = [
        (
            Signature::Invalid { kid: "k1".into() },
            Status::Pass,
            Status::Fail,
        ),
        (
            Signature::UnknownKid {
                kid: "k9".into(),
                known: vec!["k1".into(), "k2".into()],
            },
            Status::Fail,
            Status::Fail,
        ),
        (Signature::NoKid, Status::Fail, Status::Fail),
        (
            Signature::JwksFailed {
                url: "https://x/jwks".into(),
                reason: "CORS".into(),
            },
            Status::Warn,
            Status::Warn,
        ),
        (Signature::Pending, Status::Info, Status::Info),
        (
            Signature::NotChecked {
                reason: "alg is HS256".into(),
            },
            Status::Info,
            Status::Info,
        ),
    ];
    for (sig, key_status, sig_status) in cases {
        let checks = token_checks(&t, &sig, &ctx());
        assert_eq!(check(&checks, "Key ID").status, key_status, "{sig:?}");
        assert_eq!(check(&checks, "Signature").status, sig_status, "{sig:?}");
    }
    let unknown = check(
        &token_checks(
            &t,
            &Signature::UnknownKid {
                kid: "k9".into(),
                known: vec!["k1".into()],
            },
            &ctx(),
        ),
        "Key ID",
    );
    assert!(unknown.detail.contains("k9") && unknown.detail.contains("k1"));
    let invalid = check(
        &token_checks(&t, &Signature::Invalid { kid: "k1".into() }, &ctx()),
        "Signature",
    );
    assert!(invalid.detail.contains("changed after signing"));
    let jwks = check(
        &token_checks(
            &t,
            &Signature::JwksFailed {
                url: "https://x/jwks".into(),
                reason: "CORS".into(),
            },
            &ctx(),
        ),
        "Key ID",
    );
    assert!(jwks.fix.unwrap().contains("Route through proxy"));
}

#[test]
fn expiry_and_issued_at() {
    let expired = with_payload(|m| {
        m.insert("exp".into(), (NOW - 5).into());
    });
    let e = check(&token_checks(&expired, &verified(), &ctx()), "Expiry");
    assert_eq!(e.status, Status::Fail);
    assert!(e.detail.contains("5 s ago"), "{}", e.detail);
    let no_exp = with_payload(|m| {
        m.remove("exp");
    });
    assert_eq!(
        check(&token_checks(&no_exp, &verified(), &ctx()), "Expiry").status,
        Status::Fail
    );

    let future = with_payload(|m| {
        m.insert("iat".into(), (NOW + 600).into());
    });
    // In the future by this computer's clock only: the Date header showed it 10 min behind, and
    // API Gateway judges by AWS's clock. It read as a failed check, and every Run as FAIL.
    let mut c = ctx();
    c.server_skew_secs = Some(600);
    let i = check(&token_checks(&future, &verified(), &c), "Issued at");
    assert_eq!(i.status, Status::Warn);
    assert!(i.detail.contains("10 min ahead"), "{}", i.detail);
    assert!(i.fix.unwrap().contains("clock"));
    // Not a failure, but not "every check passes" either: the headline names the warning.
    assert_eq!(
        checks_headline(&token_checks(&future, &verified(), &c)),
        ChecksHeadline::Warned(vec!["Issued at"])
    );
    // In the future by the server's clock too, or with no Date header to tell: a failure.
    c.server_skew_secs = Some(300);
    assert_eq!(
        check(&token_checks(&future, &verified(), &c), "Issued at").status,
        Status::Fail
    );
    // A Date header 5 min slow (a drifting backend, a cached answer) and a fresh token: a
    // warning, not a failure on every Run.
    let fresh = with_payload(|m| {
        m.insert("iat".into(), (NOW - 5).into());
    });
    c.server_skew_secs = Some(-300);
    assert_eq!(
        check(&token_checks(&fresh, &verified(), &c), "Issued at").status,
        Status::Warn
    );
    assert_eq!(
        check(&token_checks(&future, &verified(), &ctx()), "Issued at").status,
        Status::Fail
    );
    let slight = with_payload(|m| {
        m.insert("iat".into(), (NOW + MAX_IAT_SKEW_SECS).into());
    });
    assert_eq!(
        check(&token_checks(&slight, &verified(), &ctx()), "Issued at").status,
        Status::Pass
    );
    let no_iat = with_payload(|m| {
        m.remove("iat");
    });
    assert_eq!(
        check(&token_checks(&no_iat, &verified(), &ctx()), "Issued at").status,
        Status::Warn
    );
}

/// API Gateway judges `exp` by AWS's clock. With this computer 10 minutes behind (the server's
/// Date header says so), a token that expired 5 minutes ago by the server's clock is expired,
/// though the local clock gives it 5 more minutes: the Checks panel said "every check passes".
#[test]
fn expiry_is_judged_by_the_servers_clock_when_known() {
    let server_now = NOW + 600;
    let expired_by_server = with_payload(|m| {
        m.insert("exp".into(), (server_now - 300).into());
    });
    let mut c = ctx();
    c.server_skew_secs = Some(600);
    let checks = token_checks(&expired_by_server, &verified(), &c);
    let e = check(&checks, "Expiry");
    assert_eq!(e.status, Status::Fail, "{}", e.detail);
    assert!(
        e.detail.contains("5 min ago by the server's clock"),
        "{}",
        e.detail
    );
    assert!(
        e.detail
            .contains("This computer's clock says it has not expired yet"),
        "{}",
        e.detail
    );
    assert_ne!(checks_headline(&checks), ChecksHeadline::AllPass);

    // The other way round: the computer is ahead, the server still accepts the token.
    c.server_skew_secs = Some(-600);
    let live_by_server = with_payload(|m| {
        m.insert("exp".into(), (NOW - 300).into());
    });
    let e = check(&token_checks(&live_by_server, &verified(), &c), "Expiry");
    assert_eq!(e.status, Status::Pass, "{}", e.detail);
    assert!(
        e.detail
            .contains("This computer's clock says it has expired"),
        "{}",
        e.detail
    );

    // Within the Date header's precision the local clock is used, and nothing is added.
    c.server_skew_secs = Some(2);
    let e = check(&token_checks(&live_by_server, &verified(), &c), "Expiry");
    assert_eq!(e.status, Status::Fail);
    assert!(!e.detail.contains("server"), "{}", e.detail);
}

#[test]
fn issuer_rules() {
    let mut c = ctx();
    c.region = "eu-west-1".into();
    let wrong_region = check(&token_checks(&good(), &verified(), &c), "Issuer");
    assert_eq!(wrong_region.status, Status::Fail);
    assert!(wrong_region.detail.contains("Region says eu-west-1"));
    c.region.clear();
    assert_eq!(
        check(&token_checks(&good(), &verified(), &c), "Issuer").status,
        Status::Pass
    );
    let foreign = with_payload(|m| {
        m.insert("iss".into(), "https://accounts.example.com".into());
    });
    // Not a Cognito issuer and not the chosen endpoint: its keys came from wherever the token
    // pointed, so a verified signature proved nothing and every check read as passing.
    assert_eq!(
        check(&token_checks(&foreign, &verified(), &ctx()), "Issuer").status,
        Status::Fail
    );
    assert_eq!(
        checks_headline(&token_checks(&foreign, &verified(), &ctx())),
        ChecksHeadline::Failed(1)
    );
    // A stand-in with pool ids of its own (cognito-local) at the chosen endpoint: a warning.
    let cognito_local = with_payload(|m| {
        m.insert("iss".into(), "http://localhost:9229/local_abc".into());
    });
    let at_local = TokenContext {
        token_origin: Some("http://localhost:9229".into()),
        ..ctx()
    };
    assert_eq!(
        check(
            &token_checks(&cognito_local, &verified(), &at_local),
            "Issuer"
        )
        .status,
        Status::Warn
    );
    assert_eq!(
        check(&token_checks(&cognito_local, &verified(), &ctx()), "Issuer").status,
        Status::Fail
    );
    // A stand-in issuer (the emulator) passes only when it is the token endpoint the Domain names.
    let local = with_payload(|m| {
        m.insert("iss".into(), "http://127.0.0.1:9090/us-east-1_demo".into());
    });
    let at_domain = TokenContext {
        token_origin: Some("http://127.0.0.1:9090".into()),
        ..ctx()
    };
    assert_eq!(
        check(&token_checks(&local, &verified(), &at_domain), "Issuer").status,
        Status::Pass
    );
    assert_eq!(
        check(&token_checks(&local, &verified(), &ctx()), "Issuer").status,
        Status::Fail
    );
    // The authorizers compare iss as text: forms a URL parser reads as the same pool fail.
    for iss in [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo/",
        "https://COGNITO-IDP.us-east-1.amazonaws.com/us-east-1_demo",
        "https://cognito-idp.us-east-1.amazonaws.com:443/us-east-1_demo",
        "https://cognito-idp.us-east-1.amazonaws.com//us-east-1_demo",
        " https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo",
    ] {
        let near = with_payload(|m| {
            m.insert("iss".into(), iss.into());
        });
        let c = check(&token_checks(&near, &verified(), &ctx()), "Issuer");
        assert_eq!(c.status, Status::Fail, "{iss}: {}", c.detail);
        assert!(
            c.detail.contains("not exactly the pool's issuer"),
            "{iss}: {}",
            c.detail
        );
    }
    // A stand-in's authorizer takes what the stand-in writes (the emulator on port 80 writes
    // `:80`): only Cognito's own host is held to the exact text.
    let port_80 = with_payload(|m| {
        m.insert("iss".into(), "http://127.0.0.1:80/us-east-1_demo".into());
    });
    let at_80 = TokenContext {
        token_origin: Some("http://127.0.0.1".into()),
        ..ctx()
    };
    assert_eq!(
        check(&token_checks(&port_80, &verified(), &at_80), "Issuer").status,
        Status::Pass
    );
    let none = with_payload(|m| {
        m.remove("iss");
    });
    assert_eq!(
        check(&token_checks(&none, &verified(), &ctx()), "Issuer").status,
        Status::Fail
    );
}

#[test]
fn token_use_rules() {
    for (value, status) in [
        (Some("id"), Status::Fail),
        (Some("refresh"), Status::Fail),
        (None, Status::Fail),
    ] {
        let t = with_payload(|m| match value {
            Some(v) => {
                m.insert("token_use".into(), v.into());
            }
            None => {
                m.remove("token_use");
            }
        });
        let u = check(&token_checks(&t, &verified(), &ctx()), "Token use");
        assert_eq!(u.status, status, "{value:?}");
        assert!(u.fix.is_some());
    }
}

#[test]
fn client_id_rules() {
    let mut c = ctx();
    c.client_id = "someone-else".into();
    let wrong = check(&token_checks(&good(), &verified(), &c), "Client ID");
    assert_eq!(wrong.status, Status::Fail);
    assert!(wrong.detail.contains("demo-client-id") && wrong.detail.contains("someone-else"));
    c.client_id = "  ".into();
    assert_eq!(
        check(&token_checks(&good(), &verified(), &c), "Client ID").status,
        Status::Info
    );
    let none = with_payload(|m| {
        m.remove("client_id");
    });
    assert_eq!(
        check(&token_checks(&none, &verified(), &ctx()), "Client ID").status,
        Status::Fail
    );
}

#[test]
fn scope_rules() {
    let mut c = ctx();
    c.requested_scope = "demo/example, demo/admin".into();
    let missing = check(&token_checks(&good(), &verified(), &c), "Scopes");
    assert_eq!(missing.status, Status::Fail);
    assert!(
        missing.detail.contains("Missing demo/admin"),
        "{}",
        missing.detail
    );
    c.requested_scope = "demo/other demo/example".into();
    assert_eq!(
        check(&token_checks(&good(), &verified(), &c), "Scopes").status,
        Status::Pass
    );
    c.requested_scope.clear();
    let none = check(&token_checks(&good(), &verified(), &c), "Scopes");
    assert_eq!(none.status, Status::Info);
    assert!(none.detail.contains("demo/example, demo/other"));
    let no_scope_claim = with_payload(|m| {
        m.remove("scope");
    });
    let missing_all = check(
        &token_checks(&no_scope_claim, &verified(), &ctx()),
        "Scopes",
    );
    assert!(missing_all.detail.contains("carries none"));
}

#[test]
fn a_scope_claim_is_split_on_spaces_only_as_api_gateway_reads_it() {
    // API Gateway reads `demo/example,demo/other` as one scope and answers 401 for demo/example;
    // the Scope field's own comma split must not make the check pass.
    let commas = with_payload(|m| {
        m.insert("scope".into(), "demo/example,demo/other".into());
    });
    let mut c = ctx();
    c.requested_scope = "demo/example".into();
    let scopes = check(&token_checks(&commas, &verified(), &c), "Scopes");
    assert_eq!(scopes.status, Status::Fail, "{}", scopes.detail);
    assert!(
        scopes.detail.contains("demo/example,demo/other"),
        "{}",
        scopes.detail
    );
    // The field itself may still list scopes with commas.
    let spaced = with_payload(|m| {
        m.insert("scope".into(), "demo/example demo/other".into());
    });
    c.requested_scope = "demo/example,demo/other".into();
    assert_eq!(
        check(&token_checks(&spaced, &verified(), &c), "Scopes").status,
        Status::Pass
    );
}

#[test]
fn audience_is_information_only() {
    let with_aud = with_payload(|m| {
        m.insert("aud".into(), "abc".into());
    });
    let a = check(&token_checks(&with_aud, &verified(), &ctx()), "Audience");
    assert_eq!(a.status, Status::Info);
    // An access token with aud (resource indicators) is not called an ID token.
    assert!(
        a.detail.contains("access token issued for a resource"),
        "{}",
        a.detail
    );
    assert!(a.detail.contains("JWT authorizer must list \"abc\""));
    assert!(!a.detail.contains("ID tokens, not"));
    let id = with_payload(|m| {
        m.insert("aud".into(), "abc".into());
        m.insert("token_use".into(), "id".into());
    });
    let a = check(&token_checks(&id, &verified(), &ctx()), "Audience");
    assert!(a.detail.contains("ID token"));
    let a = check(&token_checks(&good(), &verified(), &ctx()), "Audience");
    assert!(a.detail.contains("No aud claim"));
    assert!(a.detail.contains("JWT authorizer"));
    assert!(a.detail.contains("demo-client-id"));
    assert!(a.detail.contains("client_id"));
}

#[test]
fn issuer_in_other_partitions_matches_the_region() {
    for (iss, region) in [
        (
            "https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_Ab1",
            "eusc-de-east-1",
        ),
        (
            "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/cn-northwest-1_Ab1",
            "cn-northwest-1",
        ),
    ] {
        let t = with_payload(|m| {
            m.insert("iss".into(), iss.into());
        });
        let c = TokenContext {
            region: region.into(),
            ..ctx()
        };
        let issuer = check(&token_checks(&t, &verified(), &c), "Issuer");
        assert_eq!(issuer.status, Status::Pass, "{issuer:?}");
        assert!(issuer.detail.contains(region));
    }
}

#[test]
fn status_labels() {
    assert_eq!(Status::Pass.label(), "pass");
    assert_eq!(Status::Warn.label(), "warning");
}

/// A token shaped like Cognito's but issued by another host verifies against that host's own
/// keys: the issuer check must fail it, so the headline never says every check passes.
#[test]
fn a_pool_shaped_issuer_on_a_foreign_host_fails_even_with_a_verified_signature() {
    let forged = with_payload(|m| {
        m.insert("iss".into(), "https://evil.example/us-east-1_AbC123".into());
    });
    let c = TokenContext {
        token_origin: Some("https://my-pool.auth.us-east-1.amazoncognito.com".into()),
        ..ctx()
    };
    let checks = token_checks(&forged, &verified(), &c);
    let issuer = check(&checks, "Issuer");
    assert_eq!(issuer.status, Status::Fail, "{issuer:?}");
    assert!(issuer.detail.contains("evil.example"), "{issuer:?}");
    assert_ne!(checks_headline(&checks), ChecksHeadline::AllPass);
    // The context a run builds names the Domain's origin.
    let settings = Settings {
        domain: "http://127.0.0.1:9090".into(),
        ..Settings::default()
    };
    assert_eq!(
        TokenContext::for_settings(&settings, NOW, None)
            .token_origin
            .as_deref(),
        Some("http://127.0.0.1:9090")
    );
}
