use super::*;
use crate::core::checks::{Check, Signature, Status};
use crate::core::jwt;
use crate::core::run::{checks_headline, masked_curl};

const RFC7636_VERIFIER_SHA256: [u8; 32] = [
    19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109,
    241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195,
];
const TOKEN_URL: &str = "http://127.0.0.1:9090/oauth2/token";

#[test]
fn the_challenge_is_rfc_7636s_example() {
    assert_eq!(
        code_challenge(&RFC7636_VERIFIER_SHA256),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    let pending = PendingSignIn::from_random(&[0u8; 32], &[1u8; 32], &[2u8; 32]);
    assert_eq!(pending.verifier.expose().len(), 43);
    assert_ne!(pending.state, pending.nonce);
}

#[test]
fn the_authorize_url_has_every_parameter_and_no_secret() {
    let url = authorize_url(&AuthorizeRequest {
        token_url: TOKEN_URL,
        client_id: " user-client ",
        redirect_uri: "http://127.0.0.1:8080/",
        scope: "openid, email demo/example",
        state: "st",
        nonce: "no",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        identity_provider: "",
        lang: "fr",
    });
    assert_eq!(
        url,
        "http://127.0.0.1:9090/oauth2/authorize?response_type=code&client_id=user-client\
         &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&scope=openid+email+demo%2Fexample\
         &state=st&nonce=no&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
         &code_challenge_method=S256&lang=fr"
    );
}

#[test]
fn requests_authenticate_the_client_only_when_it_has_a_secret() {
    let code = Secret::new("the-code");
    let verifier = Secret::new("the-verifier");
    let none = Secret::default();
    let public = ClientIdentity {
        client_id: "user-client",
        secret: &none,
        auth: ClientAuth::BasicHeader,
    };
    let r = code_exchange(
        TOKEN_URL,
        &public,
        &code,
        "http://127.0.0.1:8080/",
        &verifier,
    );
    assert_eq!(
        r.body.as_deref(),
        Some("grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&code_verifier=the-verifier&client_id=user-client")
    );
    assert_eq!(r.headers.len(), 1);
    let secret = Secret::new("s3cret");
    let basic = ClientIdentity {
        client_id: "user-client-secret",
        secret: &secret,
        auth: ClientAuth::BasicHeader,
    };
    let r = refresh_request(TOKEN_URL, &basic, &Secret::new("rt"));
    assert_eq!(
        r.body.as_deref(),
        Some("grant_type=refresh_token&refresh_token=rt")
    );
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "Authorization" && v.starts_with("Basic ")));
    let body = ClientIdentity {
        auth: ClientAuth::SecretInBody,
        ..basic
    };
    let r = revoke_request(TOKEN_URL, &body, &Secret::new("rt"));
    assert_eq!(r.url, "http://127.0.0.1:9090/oauth2/revoke");
    assert_eq!(
        r.body.as_deref(),
        Some("token=rt&client_id=user-client-secret&client_secret=s3cret")
    );
    let r = userinfo_request(TOKEN_URL, "at");
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("GET", "http://127.0.0.1:9090/oauth2/userInfo")
    );
    assert_eq!(
        logout_url(TOKEN_URL, "user-client", "http://127.0.0.1:8080/"),
        "http://127.0.0.1:9090/logout?client_id=user-client&logout_uri=http%3A%2F%2F127.0.0.1%3A8080%2F"
    );
}

#[test]
fn the_redirect_is_read_and_cleaned() {
    match parse_redirect("?code=abc&state=s1&x=1") {
        Redirect::Code { code, state } => {
            assert_eq!(code.expose(), "abc");
            assert_eq!(state.as_deref(), Some("s1"));
        }
        _ => panic!("expected a code"),
    }
    match parse_redirect("error=redirect_mismatch&error_description=bad+uri&state=s") {
        Redirect::Error {
            error, description, ..
        } => {
            assert_eq!(error, "redirect_mismatch");
            assert_eq!(description.as_deref(), Some("bad uri"));
        }
        _ => panic!("expected an error"),
    }
    assert!(matches!(parse_redirect("?profile=x"), Redirect::None));
    assert!(matches!(parse_redirect(""), Redirect::None));
    assert_eq!(
        strip_redirect_params("http://h/p?profile=a&code=c&state=s#frag"),
        "http://h/p?profile=a#frag"
    );
    assert_eq!(
        strip_redirect_params("http://h/?code=c&state=s"),
        "http://h/"
    );
    assert_eq!(strip_redirect_params("http://h/"), "http://h/");
}

#[test]
fn user_tokens_are_read_and_all_masked() {
    let body = r#"{"id_token":"aaa.bbb.id-signature","access_token":"ccc.ddd.access-signature","refresh_token":"eyJj.x.y.z.refresh-tail","expires_in":3600,"token_type":"Bearer"}"#;
    let tokens = parse_user_tokens(200, body).unwrap();
    assert_eq!(tokens.id_token.as_deref(), Some("aaa.bbb.id-signature"));
    assert_eq!(
        SendToken::IdToken.pick(&tokens),
        Some("aaa.bbb.id-signature")
    );
    assert_eq!(
        SendToken::AccessToken.pick(&tokens),
        Some("ccc.ddd.access-signature")
    );
    let mut book = SecretBook::new();
    assert!(register_tokens(&mut book, &tokens));
    register_exchange_secrets(
        &mut book,
        &Secret::new("code-1234"),
        &Secret::new("verifier-1234"),
    );
    let masked = book.mask(&format!("{body} code-1234 verifier-1234"));
    for secret in [
        "id-signature",
        "access-signature",
        "refresh-tail",
        "code-1234",
        "verifier-1234",
    ] {
        assert!(!masked.contains(secret), "{secret} in {masked}");
    }
    let request = RecordedRequest {
        method: "POST".into(),
        url: "https://x.example.com/oauth2/token".into(),
        headers: Vec::new(),
        body: Some("refresh_token=eyJj.x.y.z.refresh-tail".into()),
    };
    assert!(masked_curl(&request, &book).contains("\"$REFRESH_TOKEN\""));
    // A refresh answer has no refresh token.
    let refreshed =
        parse_user_tokens(200, r#"{"id_token":"a.b.c","access_token":"d.e.f"}"#).unwrap();
    assert_eq!(refreshed.refresh_token, None);
    assert!(parse_user_tokens(400, r#"{"error":"invalid_grant"}"#).is_err());
}

fn token(claims: serde_json::Value) -> jwt::DecodedJwt {
    let header = URL_SAFE_NO_PAD.encode(r#"{"kid":"k1","alg":"RS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    jwt::decode(&format!("{header}.{payload}.c2ln"))
}

fn ctx() -> IdTokenContext {
    IdTokenContext {
        client_id: "user-client".into(),
        region: String::new(),
        nonce: Some("n-1".into()),
        access_token_sha256: Some(vec![
            45, 113, 22, 66, 183, 38, 176, 68, 1, 98, 124, 169, 251, 172, 50, 245, 200, 83, 15,
            177, 144, 60, 196, 219, 2, 37, 135, 23, 146, 26, 72, 129,
        ]),
        now: 1_000,
        server_skew_secs: None,
        token_origin: None,
    }
}

fn status_of(checks: &[Check], name: &str) -> Status {
    checks
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.status)
        .unwrap()
}

#[test]
fn id_token_checks_catch_each_wrong_claim() {
    let good = serde_json::json!({
        "token_use": "id", "aud": "user-client", "nonce": "n-1", "exp": 2_000,
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
        "at_hash": "LXEWQrcmsEQBYnyp-6wy9Q",
    });
    let sig = Signature::Verified { kid: "k1".into() };
    let checks = id_token_checks(&token(good.clone()), &sig, &ctx());
    assert!(crate::core::checks::all_pass(&checks), "{checks:?}");
    for (claim, value, check) in [
        ("token_use", "access", "Token use"),
        ("aud", "other-client", "Audience"),
        ("nonce", "n-2", "Nonce"),
        ("at_hash", "AAAAAAAAAAAAAAAAAAAAAA", "Access token hash"),
    ] {
        let mut bad = good.clone();
        bad[claim] = value.into();
        let checks = id_token_checks(&token(bad), &sig, &ctx());
        assert_eq!(status_of(&checks, check), Status::Fail, "{claim}");
    }
    let mut expired = good.clone();
    expired["exp"] = 999.into();
    assert_eq!(
        status_of(&id_token_checks(&token(expired), &sig, &ctx()), "Expiry"),
        Status::Fail
    );
    let invalid = Signature::Invalid { kid: "k1".into() };
    assert_eq!(
        status_of(
            &id_token_checks(&token(good), &invalid, &ctx()),
            "Signature"
        ),
        Status::Fail
    );
}

#[test]
fn every_flow_error_gets_its_own_diagnosis() {
    let mut causes = Vec::new();
    for code in [
        "redirect_mismatch",
        "unauthorized_client",
        "invalid_scope",
        "access_denied",
        "invalid_request",
        "server_error",
    ] {
        let d = redirect_error(code, Some("desc"));
        assert!(d.what.contains(code) && d.what.contains("desc"));
        causes.push(d.cause);
    }
    causes.dedup();
    assert_eq!(causes.len(), 6);
    let oauth = |code: &str| TokenFailure::OAuth {
        status: 400,
        code: crate::core::token::OAuthErrorCode::parse(code),
        description: None,
    };
    let reused = exchange_failure(&oauth("invalid_grant"), false, false);
    assert!(reused.cause.contains("already used"));
    let revoked = exchange_failure(&oauth("invalid_grant"), true, false);
    assert!(revoked.cause.contains("revoked"));
    assert!(exchange_failure(&oauth("invalid_client"), false, false)
        .fix
        .contains("secret"));
    assert!(exchange_failure(&oauth("redirect_mismatch"), false, false)
        .cause
        .contains("redirect_uri"));
    assert!(state_mismatch().fix.contains("Sign in again"));
}

#[test]
fn the_wrong_token_for_the_method_is_named() {
    let access = send_token_hint(SendToken::AccessToken, 401).unwrap();
    assert!(access.fix.contains("Send token: ID token"));
    let id = send_token_hint(SendToken::IdToken, 403).unwrap();
    assert!(id.fix.contains("Send token: Access token"));
    assert!(send_token_hint(SendToken::IdToken, 200).is_none());
    assert!(send_token_hint(SendToken::IdToken, 500).is_none());
}

#[test]
fn labels_round_trip() {
    for g in Grant::all() {
        assert_eq!(Grant::from_label(g.label()), Some(g));
    }
    for s in SendToken::all() {
        assert_eq!(SendToken::from_label(s.label()), Some(s));
    }
    assert_eq!(Grant::default(), Grant::ClientCredentials);
    assert!(
        allow_redirect_command("c", "http://127.0.0.1:8080/", "openid email")
            .contains("--callback-urls http://127.0.0.1:8080/")
    );
}

#[test]
fn a_signed_in_users_id_token_is_judged_as_an_id_token_when_sent() {
    let id = token(serde_json::json!({
        "token_use": "id", "aud": "user-client", "exp": 2_000, "nonce": "n-1",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
    }));
    let sig = Signature::Verified { kid: "k1".into() };
    let ctx = crate::core::checks::TokenContext {
        client_id: "user-client".into(),
        region: String::new(),
        requested_scope: "openid".into(),
        now: 1_000,
        server_skew_secs: None,
        token_origin: None,
    };
    assert!(crate::core::checks::all_pass(&sent_token_checks(
        &id,
        &sig,
        &ctx,
        SentFrom::SignedIn
    )));
    // Run never fetches an ID token: one held as fetched is judged as the access token it must be.
    let fetched = sent_token_checks(&id, &sig, &ctx, SentFrom::Fetched);
    assert_eq!(status_of(&fetched, "Token use"), Status::Fail);
}

/// A pasted ID token is what API Gateway's Cognito authorizer takes on a method without scopes: the
/// Checks panel must not say "API Gateway would refuse this token" for lacking an access token's
/// `client_id` and `scope`. Its `aud` is compared with the Client ID field only as a hint.
#[test]
fn a_pasted_id_token_is_judged_as_an_id_token() {
    let id = |aud: Option<&str>| {
        let mut claims = serde_json::json!({
            "token_use": "id", "exp": 2_000,
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
        });
        if let Some(aud) = aud {
            claims["aud"] = aud.into();
        }
        token(claims)
    };
    let sig = Signature::Verified { kid: "k1".into() };
    let ctx = |client_id: &str| crate::core::checks::TokenContext {
        client_id: client_id.into(),
        region: String::new(),
        requested_scope: "demo/example".into(),
        now: 1_000,
        server_skew_secs: None,
        token_origin: None,
    };
    let pasted =
        |aud, client_id| sent_token_checks(&id(aud), &sig, &ctx(client_id), SentFrom::Pasted);

    let same = pasted(Some("user-client"), "user-client");
    assert_eq!(status_of(&same, "Token use"), Status::Pass);
    // The headline's "should accept" holds only where no scope is required: said beside it.
    assert_eq!(status_of(&same, "Scopes"), Status::Info);
    assert_eq!(
        checks_headline(&same),
        crate::core::run::ChecksHeadline::AllPass
    );

    let other = pasted(Some("user-client"), "cc-client");
    assert_eq!(status_of(&other, "Audience"), Status::Warn);
    assert!(crate::core::checks::all_pass(&other));
    assert!(other
        .iter()
        .any(|c| c.detail.contains("not the Client ID field's cc-client")));

    assert_eq!(
        status_of(&pasted(Some("user-client"), " "), "Audience"),
        Status::Info
    );
    // Cognito always sets aud on an ID token: none is still a failure.
    assert_eq!(
        status_of(&pasted(None, "user-client"), "Audience"),
        Status::Fail
    );
    // An expired pasted ID token still fails.
    let mut late = ctx("user-client");
    late.now = 3_000;
    let expired = sent_token_checks(&id(Some("user-client")), &sig, &late, SentFrom::Pasted);
    assert!(!crate::core::checks::all_pass(&expired));

    // A pasted access token is judged as an access token, as before.
    let access = token(serde_json::json!({
        "token_use": "access", "client_id": "cc-client", "scope": "demo/example", "exp": 2_000,
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
    }));
    let judged = sent_token_checks(&access, &sig, &ctx("cc-client"), SentFrom::Pasted);
    assert_eq!(
        judged,
        crate::core::checks::token_checks(&access, &sig, &ctx("cc-client"))
    );
}

/// A sign-in's requests carry the client's secret as the page sends them: registered first, a
/// copied curl hides `base64(client_id:secret)` under Basic, and a refresh with a secret edited
/// since sign-in hides that one too (the book held neither before).
#[test]
fn a_registered_client_is_masked_in_every_form_a_request_carries() {
    use crate::core::exchange::{redact_request, request_text};
    use crate::core::token::basic_authorization;
    let secret = Secret::new("1q2w3e4r5t6y7u8i9o0p-user-client-secret");
    let basic = ClientIdentity {
        client_id: "user-client",
        secret: &secret,
        auth: ClientAuth::BasicHeader,
    };
    let mut book = SecretBook::new();
    assert!(basic.register(&mut book));
    assert!(!basic.register(&mut book), "registered once");
    let code = Secret::new("the-authorization-code");
    let verifier = Secret::new("the-pkce-code-verifier-0123456789");
    register_exchange_secrets(&mut book, &code, &verifier);
    let request = code_exchange(
        TOKEN_URL,
        &basic,
        &code,
        "http://127.0.0.1:8080/",
        &verifier,
    );
    let credentials = basic_authorization("user-client", secret.expose());
    let credentials = credentials.trim_start_matches("Basic ");
    let curl = masked_curl(&request, &book);
    assert!(!curl.contains(credentials), "{curl}");
    assert!(!curl.contains("the-authorization-code"), "{curl}");

    let edited = Secret::new("an-edited-secret-typed-after-sign-in");
    let in_body = ClientIdentity {
        client_id: "user-client",
        secret: &edited,
        auth: ClientAuth::SecretInBody,
    };
    in_body.register(&mut book);
    let request = refresh_request(TOKEN_URL, &in_body, &Secret::new("a-refresh-token"));
    let shown = request_text(&redact_request(&request, book.masker()));
    assert!(!shown.contains("an-edited-secret"), "{shown}");
    assert!(!masked_curl(&request, &book).contains("an-edited-secret"));
}

/// A profile or import for another pool after a sign-in: Refresh, Revoke, userInfo and the
/// canary's refresh read the form's token endpoint, so the user's tokens went to the new pool.
#[test]
fn user_tokens_are_sent_only_where_they_were_issued() {
    let a = "https://a.auth.us-east-1.amazoncognito.com/oauth2/token";
    let b = "https://b.auth.us-east-1.amazoncognito.com/oauth2/token";
    assert_eq!(tokens_elsewhere((a, "client-a"), (a, " client-a ")), None);
    let moved = tokens_elsewhere((a, "client-a"), (b, "client-a")).unwrap();
    assert!(moved.contains(a) && moved.contains(b), "{moved}");
    assert!(tokens_elsewhere((a, "client-a"), (a, "client-b")).is_some());
}
