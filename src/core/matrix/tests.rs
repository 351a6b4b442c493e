use super::*;
use crate::core::run::Outcome;

const OAS: &str = include_str!("fixtures/oas30.json");
const SWAGGER: &str = include_str!("fixtures/swagger.json");

fn op<'a>(api: &'a ApiDescription, method: &str, path: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.method == method && o.path == path)
        .unwrap_or_else(|| panic!("{method} {path} missing"))
}

#[test]
fn oas30_export_lists_every_method_with_its_authorizer_and_scopes() {
    let api = parse_export(OAS).unwrap();
    assert_eq!(api.format, ExportFormat::Oas30);
    assert_eq!(api.title.as_deref(), Some("PetStore"));
    assert_eq!(
        api.base_url.as_deref(),
        Some("https://abc123.execute-api.us-east-1.amazonaws.com/dev")
    );
    assert_eq!(api.operations.len(), 8);
    let get = op(&api, "GET", "/pets");
    assert_eq!(get.authorizer, AuthorizerKind::CognitoUserPools);
    assert_eq!(get.authorizer_name.as_deref(), Some("pool"));
    assert_eq!(get.scopes, vec!["demo/example"]);
    assert_eq!(
        op(&api, "POST", "/pets").body_example.as_deref(),
        Some(r#"{"type":"dog"}"#)
    );
    assert_eq!(
        op(&api, "OPTIONS", "/pets").authorizer,
        AuthorizerKind::None
    );
    let one = op(&api, "GET", "/pets/{id}");
    assert_eq!(one.scopes, vec!["demo/example", "demo/other"]);
    assert_eq!(
        one.path_params,
        vec![PathParam {
            name: "id".into(),
            example: Some("2".into())
        }]
    );
    // An API key beside the authorizer is not the authorizer, but is noted.
    let profile = op(&api, "GET", "/profile");
    assert_eq!(profile.authorizer, AuthorizerKind::CognitoUserPools);
    assert!(profile.scopes.is_empty());
    assert!(profile.api_key);
    assert!(!get.api_key);
    assert_eq!(op(&api, "GET", "/jwt/pets").authorizer, AuthorizerKind::Jwt);
    let any = op(&api, "ANY", "/lambda");
    assert_eq!(any.authorizer, AuthorizerKind::Lambda);
    assert_eq!(api.verb_sent(any), Some("GET"));
    assert_eq!(op(&api, "GET", "/iam").authorizer, AuthorizerKind::Iam);
}

/// API Gateway sends a request to the method defined for its verb: an ANY sent as GET on a path
/// that defines GET too judged GET's answer against ANY's authorizer (a false finding, or a
/// false pass). ANY goes out as the first verb its path leaves to it, safe ones first.
#[test]
fn any_is_sent_with_a_verb_its_path_leaves_to_it() {
    let with = |methods: &[&str]| ApiDescription {
        format: ExportFormat::Oas30,
        title: None,
        base_url: None,
        operations: methods
            .iter()
            .map(|m| Operation {
                method: (*m).to_owned(),
                ..operation(AuthorizerKind::None, &[])
            })
            .collect(),
    };
    let sent = |methods: &[&str]| {
        let api = with(methods);
        let any = op(&api, "ANY", "/x").clone();
        api.verb_sent(&any).map(str::to_owned)
    };
    assert_eq!(sent(&["ANY"]).as_deref(), Some("GET"));
    assert_eq!(sent(&["GET", "ANY"]).as_deref(), Some("HEAD"));
    assert_eq!(sent(&["GET", "HEAD", "ANY"]).as_deref(), Some("OPTIONS"));
    assert_eq!(
        sent(&["GET", "HEAD", "OPTIONS", "ANY"]).as_deref(),
        Some("POST")
    );
    let all = [
        "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "ANY",
    ];
    assert_eq!(sent(&all), None);
    // Another path's GET does not count, and a method's own verb is its own.
    let mut api = with(&["ANY"]);
    api.operations.push(Operation {
        path: "/y".into(),
        ..operation(AuthorizerKind::None, &[])
    });
    let any = op(&api, "ANY", "/x").clone();
    assert_eq!(api.verb_sent(&any), Some("GET"));
    let get = op(&api, "GET", "/y").clone();
    assert_eq!(api.verb_sent(&get), Some("GET"));
    // The table says which.
    assert_eq!(api.method_label(&any), "ANY (as GET)");
    assert_eq!(api.method_label(&get), "GET");
    let crowded = with(&all);
    let any = op(&crowded, "ANY", "/x").clone();
    assert!(crowded.method_label(&any).contains("never reached"));
}

#[test]
fn swagger_export_reads_host_base_path_and_path_level_parameters() {
    let api = parse_export(SWAGGER).unwrap();
    assert_eq!(api.format, ExportFormat::Swagger20);
    assert_eq!(
        api.base_url.as_deref(),
        Some("https://abc123.execute-api.us-east-1.amazonaws.com/dev")
    );
    assert_eq!(api.operations.len(), 4);
    let delete = op(&api, "DELETE", "/pets/{id}");
    assert_eq!(delete.path_params[0].example.as_deref(), Some("7"));
    assert_eq!(delete.scopes, vec!["demo/example"]);
    assert_eq!(
        op(&api, "POST", "/pets").body_example.as_deref(),
        Some(r#"{"type":"dog"}"#)
    );
    assert_eq!(op(&api, "GET", "/open").authorizer, AuthorizerKind::None);
}

#[test]
fn both_formats_of_one_api_describe_the_same_methods() {
    let oas = parse_export(OAS).unwrap();
    let swagger = parse_export(SWAGGER).unwrap();
    for o in &swagger.operations {
        if let Some(same) = oas
            .operations
            .iter()
            .find(|x| x.path == o.path && x.method == o.method)
        {
            assert_eq!(same.authorizer, o.authorizer);
            assert_eq!(same.scopes, o.scopes);
        }
    }
}

#[test]
fn base_url_needs_absolute_resolved_servers() {
    let no_server = r#"{"openapi":"3.0.1","paths":{"/a":{"get":{}}}}"#;
    assert_eq!(parse_export(no_server).unwrap().base_url, None);
    let relative = r#"{"openapi":"3.0.1","servers":[{"url":"/dev"}],"paths":{"/a":{"get":{}}}}"#;
    assert_eq!(parse_export(relative).unwrap().base_url, None);
    let unresolved = r#"{"openapi":"3.0.1","servers":[{"url":"https://{id}.example.com"}],"paths":{"/a":{"get":{}}}}"#;
    assert_eq!(parse_export(unresolved).unwrap().base_url, None);
    let http = r#"{"swagger":"2.0","host":"127.0.0.1:9090","basePath":"/dev","schemes":["http"],"paths":{"/a":{"get":{}}}}"#;
    assert_eq!(
        parse_export(http).unwrap().base_url.as_deref(),
        Some("http://127.0.0.1:9090/dev")
    );
}

#[test]
fn parse_errors_say_what_is_wrong() {
    // A path holding a line break forged a row of its own in the report's matrix lines.
    let forged =
        r#"{"openapi":"3.0.1","paths":{"/pets\n- DELETE /admin: as expected":{"get":{}}}}"#;
    let refused = parse_export(forged).unwrap_err().to_string();
    assert!(refused.contains("without line breaks"), "{refused}");
    assert_eq!(parse_export("  "), Err(ExportError::Empty));
    assert_eq!(
        parse_export("openapi: 3.0.1\npaths: {}\n"),
        Err(ExportError::Yaml)
    );
    assert!(matches!(
        parse_export("{\"openapi\": "),
        Err(ExportError::NotJson { line: 1, .. })
    ));
    assert_eq!(parse_export("{\"a\":1}"), Err(ExportError::NotAnExport));
    assert_eq!(parse_export("[1]"), Err(ExportError::NotAnExport));
    assert_eq!(
        parse_export(r#"{"openapi":"3.1.0","paths":{}}"#),
        Err(ExportError::UnsupportedVersion("3.1.0".into()))
    );
    assert_eq!(
        parse_export(r#"{"swagger":"2.0","paths":{}}"#),
        Err(ExportError::NoPaths)
    );
    assert_eq!(
        parse_export(r#"{"swagger":"2.0","paths":{"/a":{"get":{"security":[{"pool":["s"]}]}}}}"#),
        Err(ExportError::UnknownScheme {
            path: "/a".into(),
            method: "GET".into(),
            scheme: "pool".into()
        })
    );
    assert!(matches!(
        parse_export(r#"{"swagger":"2.0","paths":{"/a":{"get":{"security":{}}}}}"#),
        Err(ExportError::Shape { .. })
    ));
    let big = " ".repeat(MAX_EXPORT_BYTES + 1);
    assert!(matches!(
        parse_export(&big),
        Err(ExportError::TooLarge { .. })
    ));
    // Every message says what to do.
    let msg = ExportError::Yaml.to_string();
    assert!(msg.contains("--accepts application/json"), "{msg}");
    let msg = ExportError::UnknownScheme {
        path: "/a".into(),
        method: "GET".into(),
        scheme: "pool".into(),
    }
    .to_string();
    assert!(msg.contains("extensions='authorizers'"), "{msg}");
}

#[test]
fn fill_path_encodes_each_value_as_one_segment() {
    let api = parse_export(OAS).unwrap();
    let one = op(&api, "GET", "/pets/{id}");
    assert_eq!(one.fill_path(&|_| "2".into()), "/pets/2");
    assert_eq!(one.fill_path(&|_| "a/b c".into()), "/pets/a%2Fb%20c");
    let greedy = Operation {
        path: "/files/{proxy+}".into(),
        ..one.clone()
    };
    assert_eq!(greedy.fill_path(&|_| "a/b".into()), "/files/a/b");
}

fn operation(authorizer: AuthorizerKind, scopes: &[&str]) -> Operation {
    Operation {
        path: "/x".into(),
        method: "GET".into(),
        authorizer,
        authorizer_name: None,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        api_key: false,
        path_params: Vec::new(),
        body_example: None,
    }
}

fn token(token_use: TokenUse, scopes: &[&str]) -> HeldToken {
    HeldToken {
        token_use,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        scp: Vec::new(),
    }
}

/// The expected-outcome rules, one line per case. Sources: docs/aws-behaviour.md — "API Gateway
/// REST API with a COGNITO_USER_POOLS authorizer" (scopes: an access token with one passes;
/// without scopes an ID token is expected; refusals are 401), "REST API JWT authorizer" (a
/// valid token without the method's scopes gets 403), "Authorization matrix" (no authorizer:
/// open; Lambda and IAM: not predictable from the export).
#[test]
fn expected_outcome_table() {
    use AuthorizerKind::{CognitoUserPools, Iam, Jwt, Lambda, Other};
    use TokenUse::{Access, Id};
    let open = AuthorizerKind::None;
    let ex = ["demo/example"];
    let both = ["demo/example", "demo/other"];
    let table: Vec<(AuthorizerKind, &[&str], Option<HeldToken>, &str)> = vec![
        // Cognito authorizer with scopes.
        (CognitoUserPools, &ex, Some(token(Access, &ex)), "allowed"),
        (
            CognitoUserPools,
            &both,
            Some(token(Access, &["demo/other"])),
            "allowed",
        ),
        (
            CognitoUserPools,
            &ex,
            Some(token(Access, &["demo/other"])),
            "denied (401)",
        ),
        (
            CognitoUserPools,
            &ex,
            Some(token(Access, &[])),
            "denied (401)",
        ),
        (CognitoUserPools, &ex, Some(token(Id, &[])), "denied (401)"),
        (CognitoUserPools, &ex, None, "denied (401)"),
        // Cognito authorizer without scopes: ID tokens only; client credentials give access tokens.
        (
            CognitoUserPools,
            &[],
            Some(token(Access, &ex)),
            "denied (401)",
        ),
        (CognitoUserPools, &[], Some(token(Id, &[])), "allowed"),
        (CognitoUserPools, &[], None, "denied (401)"),
        // JWT authorizer: a missing scope is 403.
        (Jwt, &ex, Some(token(Access, &ex)), "allowed"),
        (
            Jwt,
            &ex,
            Some(token(Access, &["demo/other"])),
            "denied (403)",
        ),
        (Jwt, &ex, Some(token(Id, &[])), "denied (403)"),
        (Jwt, &ex, None, "denied (401)"),
        (Jwt, &[], Some(token(Access, &[])), "allowed"),
        // No authorizer: open to everyone.
        (open.clone(), &[], Some(token(Access, &ex)), "allowed"),
        (open, &[], None, "allowed"),
        // Lambda and IAM: the export cannot say.
        (Lambda, &[], Some(token(Access, &ex)), "cannot judge"),
        (Iam, &[], Some(token(Access, &ex)), "cannot judge"),
        (
            Other("x".into()),
            &[],
            Some(token(Access, &ex)),
            "cannot judge",
        ),
    ];
    for (kind, scopes, held, want) in table {
        let o = operation(kind.clone(), scopes);
        let got = expected(&o, held.as_ref());
        assert_eq!(
            got.label(),
            want,
            "{kind:?} {scopes:?} {held:?}: {}",
            got.why()
        );
    }
}

/// The Cognito authorizer reads `scope` only: a method scope found in `scp` alone is a 401 there
/// (a 200 would be a finding), while a JWT authorizer accepts it. Before, both counted it.
#[test]
fn scp_counts_for_a_jwt_authorizer_only() {
    let claims =
        serde_json::json!({"token_use":"access","scope":"demo/example","scp":"demo/admin"});
    let t = HeldToken::from_claims(claims.as_object().unwrap());
    let op = |authorizer| operation(authorizer, &["demo/admin"]);
    assert!(matches!(
        expected(&op(AuthorizerKind::CognitoUserPools), Some(&t)),
        Expected::Denied { status: 401, .. }
    ));
    assert!(matches!(
        expected(&op(AuthorizerKind::Jwt), Some(&t)),
        Expected::Allowed { .. }
    ));
}

#[test]
fn held_token_reads_scope_and_scp() {
    let claims = serde_json::json!({"token_use":"access","scope":"a/b c/d","scp":["e/f"]});
    let t = HeldToken::from_claims(claims.as_object().unwrap());
    assert_eq!(t.token_use, TokenUse::Access);
    assert_eq!(t.scopes, vec!["a/b", "c/d"]);
    assert_eq!(t.scp, vec!["e/f"]);
    // Split on spaces only, as API Gateway reads the claim: a comma is part of a scope name.
    let claims = serde_json::json!({"token_use":"access","scope":"a/b,c/d  e/f"});
    let t = HeldToken::from_claims(claims.as_object().unwrap());
    assert_eq!(t.scopes, vec!["a/b,c/d", "e/f"]);
    let claims = serde_json::json!({"token_use":"id"});
    assert_eq!(
        HeldToken::from_claims(claims.as_object().unwrap()).token_use,
        TokenUse::Id
    );
}

fn answered(status: u16) -> Actual {
    Actual::Answered {
        status,
        millis: 5,
        unrouted: false,
    }
}

/// API Gateway's answer to a path, method or stage it does not have.
fn unrouted() -> Actual {
    Actual::Answered {
        status: 403,
        millis: 5,
        unrouted: true,
    }
}

#[test]
fn row_verdicts() {
    let allowed = Expected::Allowed { why: "" };
    let denied = Expected::Denied {
        status: 401,
        why: "",
    };
    let unknown = Expected::CannotJudge { why: "" };
    let v = |e: &Expected, a: Actual| row_verdict(e, &a).0;
    assert_eq!(v(&allowed, answered(200)), RowVerdict::AsExpected);
    // Past the authorizer, whatever the integration answered.
    assert_eq!(v(&allowed, answered(404)), RowVerdict::AsExpected);
    // But a throttle or a server error may be API Gateway's own, before the authorizer: an API
    // answering 502 to every row read PASS, and a 500 where it must refuse a SECURITY FINDING.
    for status in [429, 500, 502, 503, 504] {
        assert_eq!(
            v(&allowed, answered(status)),
            RowVerdict::CannotJudge,
            "{status}"
        );
        assert_eq!(
            v(&denied, answered(status)),
            RowVerdict::CannotJudge,
            "{status}"
        );
    }
    // And the matrix is no PASS while one row says nothing, however many others answered as
    // predicted (an open method whose code fails without claims answers 502, not 200).
    let verdict = matrix_verdict(&[
        row(allowed.clone(), answered(200)),
        row(denied.clone(), answered(502)),
    ]);
    assert_eq!(verdict.outcome, Outcome::CannotJudge, "{verdict:?}");
    assert!(
        verdict.headline.contains("server error"),
        "{}",
        verdict.headline
    );
    assert_eq!(v(&allowed, answered(401)), RowVerdict::UnexpectedDenial);
    assert_eq!(v(&allowed, answered(403)), RowVerdict::UnexpectedDenial);
    assert_eq!(v(&denied, answered(401)), RowVerdict::AsExpected);
    assert_eq!(v(&denied, answered(200)), RowVerdict::SecurityFinding);
    assert_eq!(v(&denied, answered(404)), RowVerdict::SecurityFinding);
    assert_eq!(v(&unknown, answered(200)), RowVerdict::CannotJudge);
    assert_eq!(
        v(&allowed, Actual::Failed("CORS".into())),
        RowVerdict::NoAnswer
    );
    assert_eq!(v(&denied, Actual::Cancelled), RowVerdict::Cancelled);
    assert_eq!(v(&denied, Actual::NotRun), RowVerdict::NotRun);
    // A 401 where a JWT authorizer's scope rule gives 403 is still its refusal, with a note.
    let jwt_denied = Expected::Denied {
        status: 403,
        why: "",
    };
    let (verdict, note) = row_verdict(&jwt_denied, &answered(401));
    assert_eq!(verdict, RowVerdict::AsExpected);
    assert!(note.unwrap().contains("401"));
    // A 403 where the authorizer answers 401 came from something before it ("Missing
    // Authentication Token" for a wrong stage, WAF, a missing API key): it proves nothing.
    let (verdict, note) = row_verdict(&denied, &answered(403));
    assert_eq!(verdict, RowVerdict::CannotJudge);
    assert!(note.unwrap().contains("Missing Authentication Token"));
}

/// A wrong stage answers 403 "Missing Authentication Token" to everything: a Cognito method the
/// token lacks the scope for, and both negative checks, were "as expected" and the matrix PASS.
#[test]
fn a_403_everywhere_is_not_a_pass() {
    let o = operation(AuthorizerKind::CognitoUserPools, &["demo/admin"]);
    let probes = vec![
        ProbeResult::new(Probe::NoToken, &o, answered(403)).unwrap(),
        ProbeResult::new(Probe::AlteredSignature, &o, answered(403)).unwrap(),
    ];
    let denied = Expected::Denied {
        status: 401,
        why: "",
    };
    let row = MatrixRow::new(o, "/admin".into(), denied, answered(403)).with_probes(probes);
    let v = matrix_verdict(std::slice::from_ref(&row));
    assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
    // Beside a row that was judged it is still not a PASS: a required row showed nothing of its
    // authorizer (JUnit calls it an error; the verdict and exit code agree).
    let good = probed(answered(200), answered(401), answered(401));
    let v = matrix_verdict(&[good, row]);
    assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
    assert!(
        v.headline.contains("1 method answered as predicted"),
        "{v:?}"
    );
    assert!(v.reasons.iter().any(|r| r.contains("/admin")), "{v:?}");
}

/// A JWT authorizer refuses a token without the method's scope with 403, so a 403 read as
/// "refused as expected" — also API Gateway's 403 "Missing Authentication Token" for a wrong
/// stage, before any authorizer: PASS with nothing tested. That answer is recognised now.
#[test]
fn a_403_from_before_the_authorizer_is_not_a_refusal_as_expected() {
    let o = operation(AuthorizerKind::Jwt, &["demo/admin"]);
    let denied = Expected::Denied {
        status: 403,
        why: "",
    };
    let real = MatrixRow::new(o.clone(), "/admin".into(), denied.clone(), answered(403));
    assert_eq!(real.verdict, RowVerdict::AsExpected);
    let wrong_stage = MatrixRow::new(o.clone(), "/admin".into(), denied, unrouted());
    assert_eq!(wrong_stage.verdict, RowVerdict::CannotJudge);
    assert!(wrong_stage
        .note
        .as_deref()
        .is_some_and(|n| n.contains("Missing Authentication Token")));
    let v = matrix_verdict(std::slice::from_ref(&wrong_stage));
    assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
    // Beside a real refusal, still not a PASS.
    let v = matrix_verdict(&[real, wrong_stage]);
    assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
    // Where the token should pass, an unrouted 403 is a failure that names the stage.
    let allowed = MatrixRow::new(o, "/pets".into(), Expected::Allowed { why: "" }, unrouted());
    assert_eq!(allowed.verdict, RowVerdict::UnexpectedDenial);
    assert!(allowed.note.as_deref().is_some_and(|n| n.contains("stage")));
}

#[test]
fn actual_of_recognises_missing_authentication_token() {
    let exchange = |status: u16, body: &str| crate::core::exchange::Exchange {
        request: crate::core::exchange::RecordedRequest {
            method: "GET".into(),
            url: "https://x/dev/pets".into(),
            headers: vec![],
            body: None,
        },
        response: Some(crate::core::exchange::RecordedResponse::from_bytes(
            status,
            String::new(),
            vec![],
            body.as_bytes().to_vec(),
        )),
        elapsed_ms: 5.0,
        started_at_unix_ms: 0.0,
    };
    let unrouted = |status, body| {
        matches!(
            actual_of(&exchange(status, body), Ok(())),
            Actual::Answered { unrouted: true, .. }
        )
    };
    assert!(unrouted(
        403,
        r#"{"message":"Missing Authentication Token"}"#
    ));
    assert!(!unrouted(403, r#"{"message":"Forbidden"}"#));
    assert!(!unrouted(
        401,
        r#"{"message":"Missing Authentication Token"}"#
    ));
    assert!(unrouted(404, r#"{"message":"Not Found"}"#));
    assert!(unrouted(404, "{ \"message\": \"Not Found\" }\n"));
    assert!(!unrouted(404, r#"{"message":"Pet 7 not found"}"#));
    assert!(!unrouted(200, r#"{"message":"Not Found"}"#));
}

/// An HTTP API answers a route or stage it does not have with 404 {"message":"Not Found"} before
/// any authorizer; any other answer than 401/403 read as "got past the authorizer", so a wrong
/// stage made every allowed row pass. Now no row with such an answer is judged.
#[test]
fn an_http_apis_not_found_is_not_judged() {
    let not_found = Actual::Answered {
        status: 404,
        millis: 5,
        unrouted: true,
    };
    let o = operation(AuthorizerKind::Jwt, &["demo/read"]);
    let allowed = MatrixRow::new(
        o.clone(),
        "/pets".into(),
        Expected::Allowed { why: "" },
        not_found.clone(),
    );
    assert_eq!(allowed.verdict, RowVerdict::CannotJudge);
    assert!(allowed.note.as_deref().is_some_and(|n| n.contains("stage")));
    let denied = Expected::Denied {
        status: 403,
        why: "",
    };
    let refused = MatrixRow::new(o.clone(), "/admin".into(), denied, not_found);
    assert_eq!(
        refused.verdict,
        RowVerdict::CannotJudge,
        "not a security finding"
    );
    let v = matrix_verdict(&[allowed, refused]);
    assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
    // An integration's own 404 (another body) is still past the authorizer.
    let past = MatrixRow::new(
        o,
        "/pets/7".into(),
        Expected::Allowed { why: "" },
        answered(404),
    );
    assert_eq!(past.verdict, RowVerdict::AsExpected);
}

fn row(expected: Expected, actual: Actual) -> MatrixRow {
    MatrixRow::new(
        operation(AuthorizerKind::CognitoUserPools, &["demo/example"]),
        "/x".into(),
        expected,
        actual,
    )
}

#[test]
fn matrix_verdict_feeds_the_run_model() {
    let allowed = || Expected::Allowed { why: "" };
    let denied = || Expected::Denied {
        status: 401,
        why: "",
    };
    let ok = row(allowed(), answered(200));
    let refused = row(denied(), answered(401));
    let finding = row(denied(), answered(200));
    let unexpected = row(allowed(), answered(401));
    let lambda = row(Expected::CannotJudge { why: "" }, answered(200));
    let not_run = row(allowed(), Actual::NotRun);

    let v = matrix_verdict(&[ok.clone(), refused.clone(), lambda.clone(), not_run.clone()]);
    assert_eq!(v.outcome, Outcome::Pass, "{v:?}");
    // What was not judged is said under the PASS.
    assert_eq!(v.reasons.len(), 2, "{v:?}");

    let v = matrix_verdict(&[ok.clone(), unexpected.clone(), finding.clone()]);
    assert_eq!(v.outcome, Outcome::SecurityFinding);
    assert_eq!(v.reasons.len(), 1);
    assert!(v.reasons[0].contains("SECURITY FINDING"), "{v:?}");

    let v = matrix_verdict(&[ok.clone(), unexpected.clone()]);
    assert_eq!(v.outcome, Outcome::Fail);
    // The headline names only what happened ("0 methods without an answer" read oddly).
    assert_eq!(v.headline, "FAIL — 1 method refused unexpectedly.");
    let silent = row(allowed(), Actual::Failed("timeout".into()));
    let v = matrix_verdict(&[ok.clone(), silent.clone()]);
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(v.headline, "FAIL — 1 method without an answer.");
    let v = matrix_verdict(&[unexpected, silent]);
    assert_eq!(
        v.headline,
        "FAIL — 1 method refused unexpectedly, 1 method without an answer."
    );
    assert_eq!(
        matrix_verdict(&[ok, row(allowed(), Actual::Cancelled)]).outcome,
        Outcome::Cancelled
    );
    assert_eq!(
        matrix_verdict(&[lambda, not_run]).outcome,
        Outcome::CannotJudge
    );
    assert_eq!(matrix_verdict(&[]).outcome, Outcome::CannotJudge);
}

#[test]
fn csv_json_and_report_lines_are_masked_and_quoted() {
    let mut r = row(
        Expected::Denied {
            status: 401,
            why: "",
        },
        answered(200),
    );
    r.path = "/x/SECRET,=1".into();
    let mask = |t: &str| t.replace("SECRET", "•••");
    let csv = to_csv(std::slice::from_ref(&r), &mask);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("method,sent_as,path,sent,authorizer,scopes,expected,actual_status,latency_ms,verdict,note")
    );
    let line = lines.next().unwrap();
    assert!(
        line.starts_with(
            "GET,GET,\"/x/•••,=1\",token,Cognito user pool,demo/example,denied (401),200,5,SECURITY FINDING,"
        ),
        "{line}"
    );
    assert!(!csv.contains("SECRET"));
    let json: serde_json::Value = serde_json::from_str(&to_json(&[r.clone()], &mask)).unwrap();
    assert_eq!(json["rows"][0]["status"], 200);
    assert_eq!(json["rows"][0]["verdict"], "SECURITY FINDING");
    assert_eq!(json["rows"][0]["path"], "/x/•••,=1");
    let report = report_lines(&[r], &mask);
    assert!(
        report[0].contains("expected denied (401), got 200 (5 ms): SECURITY FINDING"),
        "{report:?}"
    );
    assert!(!report[0].contains("SECRET"));
}

/// The downloads said `ANY` and not the verb the request went out as (the panel did): a reader
/// of the CSV could not tell which request API Gateway answered.
#[test]
fn an_any_row_names_the_verb_it_was_sent_as_in_every_download() {
    let mut o = operation(AuthorizerKind::CognitoUserPools, &[]);
    o.method = "ANY".into();
    let sent = MatrixRow::new(
        o.clone(),
        "/x".into(),
        Expected::Allowed { why: "" },
        answered(200),
    )
    .sent_as(Some("HEAD".into()));
    let unreached = MatrixRow::new(
        o,
        "/x".into(),
        Expected::Allowed { why: "" },
        Actual::NotRun,
    );
    let keep = |t: &str| t.to_owned();
    let csv = to_csv(&[sent.clone(), unreached.clone()], &keep);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[1].starts_with("ANY,HEAD,/x,token,"), "{csv}");
    assert!(lines[2].starts_with("ANY,,/x,token,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&to_json(&[sent.clone(), unreached.clone()], &keep)).unwrap();
    assert_eq!(json["rows"][0]["method"], "ANY");
    assert_eq!(json["rows"][0]["sent_as"], "HEAD");
    assert!(json["rows"][1]["sent_as"].is_null());
    let report = report_lines(&[sent, unreached], &keep);
    assert!(report[0].starts_with("ANY (as HEAD) /x — "), "{report:?}");
    assert!(report[1].starts_with("ANY (never reached"), "{report:?}");
}

#[test]
fn a_403_on_a_method_that_needs_an_api_key_says_so() {
    let mut o = operation(AuthorizerKind::None, &[]);
    o.api_key = true;
    let r = MatrixRow::new(
        o.clone(),
        "/x".into(),
        Expected::Allowed { why: "" },
        answered(403),
    );
    assert_eq!(r.verdict, RowVerdict::UnexpectedDenial);
    assert!(r.note.unwrap().contains("API key"));
    o.api_key = false;
    let r = MatrixRow::new(o, "/x".into(), Expected::Allowed { why: "" }, answered(403));
    assert!(!r.note.unwrap().contains("API key"));
}

/// A row of `method path` with this answer for a method that must allow the token.
fn tracked(method: &str, path: &str, status: u16) -> MatrixRow {
    let mut op = operation(AuthorizerKind::CognitoUserPools, &["demo/example"]);
    op.method = method.into();
    op.path = path.into();
    MatrixRow::new(
        op,
        path.replace("{id}", "7"),
        Expected::Allowed { why: "" },
        Actual::Answered {
            status,
            millis: 3,
            unrouted: false,
        },
    )
}

#[test]
fn per_method_history_counts_each_kind_of_outcome_per_row_key() {
    let mut history = RowHistory::default();
    assert!(history.is_empty());
    history.push(&[
        tracked("GET", "/pets", 200),
        tracked("GET", "/pets/{id}", 403),
    ]);
    let mut finding = tracked("DELETE", "/pets", 200);
    finding.verdict = RowVerdict::SecurityFinding;
    let mut cancelled = tracked("GET", "/pets", 200);
    cancelled.verdict = RowVerdict::Cancelled;
    history.push(&[cancelled, tracked("GET", "/pets/{id}", 200), finding]);
    let keys: Vec<&str> = history.tracks().iter().map(|t| t.key.as_str()).collect();
    // The export's path, never the filled one: a key is the same row across runs.
    assert_eq!(keys, vec!["GET /pets", "GET /pets/{id}", "DELETE /pets"]);
    let counts: Vec<RowCounts> = history.tracks().iter().map(RowTrack::counts).collect();
    assert_eq!(
        counts[0],
        RowCounts {
            as_expected: 1,
            unexpected_denial: 0,
            security_finding: 0,
            other: 1
        }
    );
    assert_eq!(
        counts[1],
        RowCounts {
            as_expected: 1,
            unexpected_denial: 1,
            security_finding: 0,
            other: 0
        }
    );
    assert_eq!(counts[2].security_finding, 1);
    assert_eq!(counts[1].runs(), 2);
    assert_eq!(history.tracks()[0].last(), Some(RowVerdict::Cancelled));
    history.clear();
    assert!(history.is_empty());
}

#[test]
fn per_method_history_keeps_the_newest_outcomes_like_the_run_history() {
    use crate::core::canary::HISTORY_CAP;
    let mut history = RowHistory::default();
    history.push(&[tracked("GET", "/pets", 403)]);
    history.push(&[tracked("GET", "/pets", 403)]);
    for _ in 0..HISTORY_CAP {
        history.push(&[tracked("GET", "/pets", 200)]);
    }
    let track = &history.tracks()[0];
    assert_eq!(track.outcomes().count(), HISTORY_CAP);
    // The two oldest (denials) were dropped; the counts are of what is kept.
    assert_eq!(track.counts().unexpected_denial, 0);
    assert_eq!(track.counts().as_expected, HISTORY_CAP);
}

#[test]
fn per_method_history_joins_the_canary_exports_masked() {
    let mut history = RowHistory::default();
    let runs_csv = "started_at_utc,passed\r\n2026-12-02T08:00:00.000Z,true\r\n".to_owned();
    let runs_json = "[\n  {\n    \"passed\": true\n  }\n]";
    let mask = |t: &str| t.replace("s3cr3t", "••••");
    // No matrix tick: the exports are exactly the run history's.
    assert_eq!(canary_csv(runs_csv.clone(), &history, &mask), runs_csv);
    assert_eq!(canary_json(runs_json, &history, &mask), runs_json);
    history.push(&[
        tracked("GET", "/pets", 200),
        tracked("GET", "/s3cr3t,x", 403),
    ]);
    let csv = canary_csv(runs_csv.clone(), &history, &mask);
    assert!(csv.starts_with(&runs_csv), "{csv}");
    assert!(csv.contains(
        "\r\n\r\nmethod_path,runs,as_expected,unexpected_denial,security_finding,other,last_outcome\r\n"
    ));
    assert!(csv.contains("GET /pets,1,1,0,0,0,as expected\r\n"), "{csv}");
    assert!(
        csv.contains("\"GET /••••,x\",1,0,1,0,0,unexpected denial\r\n"),
        "{csv}"
    );
    assert!(!csv.contains("s3cr3t"));
    let json: serde_json::Value =
        serde_json::from_str(&canary_json(runs_json, &history, &mask)).unwrap();
    assert_eq!(json["runs"][0]["passed"], true);
    assert_eq!(json["per_method"][0]["method_path"], "GET /pets");
    assert_eq!(json["per_method"][0]["as_expected"], 1);
    assert_eq!(json["per_method"][1]["unexpected_denial"], 1);
    assert_eq!(json["per_method"][1]["outcomes"][0], "unexpected denial");
    assert!(!json.to_string().contains("s3cr3t"));
}

/// docs/aws-behaviour.md, "Authorization matrix": a call without a token or with an altered
/// signature is refused by every authorizer that reads the token (401), by IAM (403, not
/// SigV4-signed); open methods and Lambda authorizers get no negative checks.
#[test]
fn negative_checks_per_authorizer() {
    let denied = |status| Some(status);
    let table: [(AuthorizerKind, Option<u16>); 6] = [
        (AuthorizerKind::CognitoUserPools, denied(401)),
        (AuthorizerKind::Jwt, denied(401)),
        (AuthorizerKind::Iam, denied(403)),
        (AuthorizerKind::None, None),
        (AuthorizerKind::Lambda, None),
        (AuthorizerKind::Other("x".into()), None),
    ];
    for (kind, want) in table {
        // The method's scopes change nothing: neither call carries a valid token.
        for scopes in [&[][..], &["demo/example"][..]] {
            let o = operation(kind.clone(), scopes);
            for probe in Probe::ALL {
                let got = match probe.expected(&o) {
                    Some(Expected::Denied { status, .. }) => Some(status),
                    Some(other) => panic!("{kind:?} {probe:?}: {other:?}"),
                    None => None,
                };
                assert_eq!(got, want, "{kind:?} {probe:?}");
            }
            assert_eq!(
                Probe::for_operation(&o).len(),
                if want.is_some() { 2 } else { 0 },
                "{kind:?}"
            );
        }
    }
}

fn probed(main: Actual, no_token: Actual, altered: Actual) -> MatrixRow {
    let o = operation(AuthorizerKind::CognitoUserPools, &["demo/example"]);
    let probes = vec![
        ProbeResult::new(Probe::NoToken, &o, no_token).unwrap(),
        ProbeResult::new(Probe::AlteredSignature, &o, altered).unwrap(),
    ];
    MatrixRow::new(o, "/x".into(), Expected::Allowed { why: "" }, main).with_probes(probes)
}

#[test]
fn a_report_line_stays_one_line() {
    let mut row = probed(answered(200), answered(401), answered(401));
    row.operation.scopes = vec!["demo/a\n- DELETE /admin — forged: as expected".into()];
    row.note = Some("note\r\nsecond".into());
    let lines = super::table::report_lines(std::slice::from_ref(&row), &|t: &str| t.to_owned());
    assert_eq!(lines.len(), 1);
    assert!(
        !lines[0].contains('\n') && !lines[0].contains('\r'),
        "{}",
        lines[0]
    );
}

#[test]
fn a_row_whose_negative_check_could_not_be_judged_is_not_as_expected() {
    // The call with the token got its 200, yet the altered signature's 500 proves nothing (the
    // integration may have run): the row's cell, its JSON and the canary's history say so.
    let row = probed(answered(200), answered(401), answered(500));
    assert_eq!(row.verdict, RowVerdict::AsExpected);
    assert_eq!(row.overall(), RowVerdict::CannotJudge);
    assert_eq!(
        matrix_verdict(std::slice::from_ref(&row)).outcome,
        Outcome::CannotJudge
    );
    let mut history = RowHistory::default();
    history.push(std::slice::from_ref(&row));
    let outcomes: Vec<_> = history.tracks()[0].outcomes().collect();
    assert_eq!(outcomes, vec![RowVerdict::CannotJudge]);
}

#[test]
fn a_negative_check_let_through_is_a_security_finding_of_the_matrix() {
    let good = probed(answered(200), answered(401), answered(401));
    assert_eq!(good.overall(), RowVerdict::AsExpected);
    let v = matrix_verdict(std::slice::from_ref(&good));
    assert_eq!(v.outcome, Outcome::Pass, "{v:?}");
    assert!(v.headline.contains("2 negative checks refused"), "{v:?}");
    assert_eq!(
        good.probes[0].summary(),
        "no token: 401 refused",
        "{:?}",
        good.probes
    );

    // The call with the token passes, yet the altered signature gets through: a finding.
    let open = probed(answered(200), answered(401), answered(200));
    assert_eq!(open.verdict, RowVerdict::AsExpected);
    assert_eq!(open.overall(), RowVerdict::SecurityFinding);
    let v = matrix_verdict(&[good.clone(), open.clone()]);
    assert_eq!(v.outcome, Outcome::SecurityFinding, "{v:?}");
    assert!(v.headline.contains("1 method let through"), "{v:?}");
    assert_eq!(v.reasons.len(), 1);
    assert!(
        v.reasons[0].contains("altered signature: 200 SECURITY FINDING"),
        "{v:?}"
    );
    assert!(
        open.probes[1]
            .note
            .as_deref()
            .unwrap()
            .contains("with altered signature"),
        "{:?}",
        open.probes
    );

    // A negative check without an answer is not a pass; one cancelled makes the run cancelled.
    let silent = probed(
        answered(200),
        Actual::Failed("timeout".into()),
        answered(401),
    );
    assert_eq!(
        matrix_verdict(std::slice::from_ref(&silent)).outcome,
        Outcome::Fail
    );
    assert_eq!(silent.overall(), RowVerdict::NoAnswer);
    // Its reason reaches the verdict's lines even where the row's call also had no answer.
    let both = probed(
        Actual::Failed("CORS".into()),
        Actual::Failed("no answer within 30 s".into()),
        answered(401),
    );
    let v = matrix_verdict(std::slice::from_ref(&both));
    assert!(v.reasons[0].contains("no answer within 30 s"), "{v:?}");
    let report = report_lines(std::slice::from_ref(&both), &|t: &str| t.to_owned());
    assert!(report[0].contains("no answer within 30 s"), "{report:?}");
    let stopped = probed(answered(200), answered(401), Actual::Cancelled);
    assert_eq!(matrix_verdict(&[stopped]).outcome, Outcome::Cancelled);

    // Every export carries each check: a CSV line, JSON entries, the report line.
    let csv = to_csv(std::slice::from_ref(&open), &|t: &str| t.to_owned());
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.contains("GET,/x,altered signature,Cognito user pool,demo/example,denied (401),200,5,SECURITY FINDING,"),
        "{csv}"
    );
    assert!(csv.contains("GET,/x,no token,"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&to_json(std::slice::from_ref(&open), &|t: &str| {
            t.to_owned()
        }))
        .unwrap();
    assert_eq!(
        json["rows"][0]["negative_checks"][1]["verdict"],
        "SECURITY FINDING"
    );
    assert_eq!(json["rows"][0]["negative_checks"][0]["sent"], "no token");
    // The row's own call passed, yet the row as a whole is the finding.
    assert_eq!(json["rows"][0]["verdict"], "as expected");
    assert_eq!(json["rows"][0]["overall"], "SECURITY FINDING");
    let report = report_lines(std::slice::from_ref(&open), &|t: &str| t.to_owned());
    assert!(
        report[0].contains("; no token: 401 refused; altered signature: 200 SECURITY FINDING"),
        "{report:?}"
    );

    // The canary's history keeps the row's worst outcome.
    let mut history = RowHistory::default();
    history.push(&[open]);
    assert_eq!(
        history.tracks()[0].last(),
        Some(RowVerdict::SecurityFinding)
    );
}

/// What each shell sends (`plan_jobs`, `row_request`): the page and the command line build the
/// same requests from the same rows.
#[test]
fn jobs_send_safe_filled_rows_and_their_negative_checks_only_when_asked() {
    let api = parse_export(OAS).unwrap();
    let job = |jobs: &[MatrixJob], method: &str, path: &str| -> MatrixJob {
        jobs.iter()
            .find(|j| j.operation.method == method && j.operation.path == path)
            .cloned()
            .unwrap_or_else(|| panic!("{method} {path} missing"))
    };
    let examples = example_params(&api);
    let jobs = plan_jobs(&api, &examples, false, false);
    assert_eq!(jobs.len(), api.operations.len());
    let one = job(&jobs, "GET", "/pets/{id}");
    assert_eq!(one.path, "/pets/2", "the export's example");
    assert!(one.send && one.probes.is_empty());
    assert!(
        !job(&jobs, "POST", "/pets").send,
        "changes data: not without the tick"
    );
    assert_eq!(job(&jobs, "ANY", "/lambda").verb, "GET");

    // The ticks: data-changing methods go out; each sent protected method gets its checks.
    let jobs = plan_jobs(&api, &examples, true, true);
    let post = job(&jobs, "POST", "/pets");
    assert!(post.send);
    assert_eq!(post.probes, Probe::for_operation(&post.operation));
    assert!(!post.probes.is_empty());
    assert!(
        job(&jobs, "OPTIONS", "/pets").probes.is_empty(),
        "not protected"
    );

    // A path parameter without a value: the row is listed, never sent with a hole in its path.
    let mut blank = examples.clone();
    for row in &mut blank {
        row.iter_mut().for_each(|v| *v = " ".into());
    }
    let jobs = plan_jobs(&api, &blank, true, true);
    let one = job(&jobs, "GET", "/pets/{id}");
    assert!(!one.send && one.probes.is_empty());
}

#[test]
fn a_rows_request_carries_its_own_authorization_and_the_export_body() {
    let api = parse_export(OAS).unwrap();
    let jobs = plan_jobs(&api, &example_params(&api), true, true);
    let find = |method: &str| {
        jobs.iter()
            .find(|j| j.operation.method == method && j.operation.path == "/pets")
            .unwrap()
    };
    use crate::core::run::SentHeader;
    let extra = vec![
        SentHeader::new("Authorization".into(), "Bearer someone-else".into(), true),
        SentHeader::new("X-Trace".into(), "1".into(), false),
    ];
    let get = row_request(
        "https://api.example/dev",
        find("GET"),
        None,
        "tok.en.sig",
        &extra,
    )
    .unwrap();
    assert_eq!(get.method, "GET");
    assert_eq!(get.url, "https://api.example/dev/pets");
    assert_eq!(
        get.headers,
        vec![
            ("Authorization".to_string(), "Bearer tok.en.sig".to_string()),
            ("X-Trace".to_string(), "1".to_string()),
        ],
        "the extra Authorization never replaces the row's"
    );
    assert_eq!(get.body, None);
    let post = row_request("https://api.example/dev", find("POST"), None, "t", &[]).unwrap();
    assert_eq!(post.body.as_deref(), Some(r#"{"type":"dog"}"#));
    assert!(post
        .headers
        .contains(&("Content-Type".to_string(), "application/json".to_string())));
    let bare = row_request(
        "https://api.example/dev",
        find("GET"),
        Some(Probe::NoToken),
        "tok.en.sig",
        &extra,
    )
    .unwrap();
    assert!(
        bare.headers.iter().all(|(n, _)| n != "Authorization"),
        "{:?}",
        bare.headers
    );
}

#[test]
fn an_answer_or_why_there_was_none() {
    use crate::core::diagnosis::NetworkFailure;
    use crate::core::exchange::{Exchange, RecordedRequest, RecordedResponse};
    use crate::core::steps::SendFailure;
    let exchange = |response: Option<RecordedResponse>| Exchange {
        request: RecordedRequest {
            method: "GET".into(),
            url: "https://api.example/dev/pets".into(),
            headers: Vec::new(),
            body: None,
        },
        response,
        elapsed_ms: 12.6,
        started_at_unix_ms: 0.0,
    };
    let answered = RecordedResponse {
        status: 403,
        status_text: "Forbidden".into(),
        headers: Vec::new(),
        body: String::new(),
        size_bytes: 0,
        body_was_utf8: true,
    };
    assert_eq!(
        actual_of(&exchange(Some(answered)), Ok(())),
        Actual::Answered {
            status: 403,
            millis: 13,
            unrouted: false,
        }
    );
    assert_eq!(
        actual_of(
            &exchange(None),
            Err(SendFailure::Network(NetworkFailure::TimedOut {
                after_ms: 30_000
            }))
        ),
        Actual::Failed("no answer within 30 s".into())
    );
    assert_eq!(
        actual_of(
            &exchange(None),
            Err(SendFailure::Network(NetworkFailure::Cancelled))
        ),
        Actual::Cancelled
    );
    assert!(matches!(
        actual_of(&exchange(None), Err(SendFailure::Redirected)),
        Actual::Failed(m) if m.contains("redirect")
    ));
    // The native shell records the 3xx it refused to follow: still no answer from the method (a
    // 301 from a CDN in front of the API read as "allowed, as expected" before).
    let moved = RecordedResponse {
        status: 301,
        status_text: "Moved Permanently".into(),
        headers: Vec::new(),
        body: String::new(),
        size_bytes: 0,
        body_was_utf8: true,
    };
    assert!(matches!(
        actual_of(&exchange(Some(moved)), Err(SendFailure::Redirected)),
        Actual::Failed(m) if m.contains("redirect")
    ));
}

#[test]
fn a_base_url_is_an_http_address_without_query_or_fragment() {
    assert_eq!(
        base_url(" https://abc.execute-api.us-east-1.amazonaws.com/dev/ "),
        Ok("https://abc.execute-api.us-east-1.amazonaws.com/dev".to_string())
    );
    assert!(base_url("/dev").unwrap_err().contains("Base URL"));
    for bad in [
        "https://api.example/dev?x=1",
        "https://api.example/dev#",
        "https://api.example/dev#/pets",
    ] {
        assert!(
            base_url(bad)
                .unwrap_err()
                .contains("query (?…) or a fragment (#…)"),
            "{bad}"
        );
    }
}
