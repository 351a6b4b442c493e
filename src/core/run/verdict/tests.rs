use super::*;
use crate::core::assertions::{parse_lines, ResponseFacts};
use crate::core::diagnosis::{Diagnosis, Severity};
use crate::core::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::core::mask::Masker;
use crate::core::negative::{NegativeCase, NegativeResult};

/// Evaluated with no secret known.
fn evaluate(
    assertions: &[crate::core::assertions::Assertion],
    facts: &ResponseFacts,
) -> Vec<crate::core::assertions::AssertionResult> {
    crate::core::assertions::evaluate(assertions, facts, &Masker::new(&[]))
}

/// Judged with no secret known.
fn judge(case: NegativeCase, status: Option<u16>, body: &str) -> NegativeResult {
    crate::core::negative::judge(case, status, body, &Masker::new(&[]))
}

fn exchange(status: u16, body: &str) -> Exchange {
    Exchange {
        request: RecordedRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:9090/dev".into(),
            headers: Vec::new(),
            body: None,
        },
        response: Some(RecordedResponse {
            status,
            status_text: String::new(),
            headers: Vec::new(),
            body: body.into(),
            size_bytes: body.len(),
            body_was_utf8: true,
        }),
        elapsed_ms: 12.0,
        started_at_unix_ms: 0.0,
    }
}

fn diagnosis(what: &str) -> Diagnosis {
    Diagnosis {
        severity: Severity::Error,
        what: what.into(),
        cause: "cause".into(),
        fix: "fix".into(),
    }
}

fn api_ok(status: u16, body: &str) -> StepResult<()> {
    StepResult {
        exchange: Some(exchange(status, body)),
        proxied_target: None,
        state: StepState::Done(()),
    }
}

fn check(name: &'static str, status: Status) -> Check {
    Check {
        name,
        status,
        detail: format!("{name} detail."),
        fix: None,
    }
}

fn verified() -> Vec<Check> {
    vec![
        check("Structure", Status::Pass),
        check("Signature", Status::Pass),
    ]
}

struct Case {
    assertions: Result<Vec<crate::core::assertions::Assertion>, AssertionParseErrors>,
    results: Vec<AssertionResult>,
}

fn assertions(text: &str, status: u16, body: &str) -> Case {
    let assertions = parse_lines(text);
    let results = match &assertions {
        Ok(list) => evaluate(
            list,
            &ResponseFacts {
                status: Some(status),
                body,
                elapsed_ms: 12.0,
                content_type: None,
            },
        ),
        Err(_) => Vec::new(),
    };
    Case {
        assertions,
        results,
    }
}

fn judge_api(api: &StepResult<()>, case: &Case, checks: &[Check]) -> Verdict {
    verdict(&RunFacts {
        job: Job::Run,
        refusal: None,
        token: None,
        api: Some(api),
        assertions: Some(&case.assertions),
        assertion_results: &case.results,
        checks,
        negatives: &[],
    })
    .unwrap()
}

const PETS: &str = r#"[{"id":1},{"id":2},{"id":3}]"#;

#[test]
fn pass_needs_the_answer_every_assertion_and_every_check() {
    let api = api_ok(200, PETS);
    let v = judge_api(
        &api,
        &assertions("status 200\nlength 3", 200, PETS),
        &verified(),
    );
    assert_eq!(v.outcome, Outcome::Pass);
    assert_eq!(
        v.headline,
        "PASS — the API answered 200 with the token and 2 assertions passed."
    );
    assert!(v.reasons.is_empty());
}

/// `status 201` / `length 3` / `status 2xz` (unreadable) must never give PASS.
#[test]
fn unreadable_assertions_are_never_a_pass() {
    let api = api_ok(200, PETS);
    let v = judge_api(
        &api,
        &assertions("status 200\nlength 3\nstatus 2xz", 200, PETS),
        &verified(),
    );
    assert_eq!(v.outcome, Outcome::CannotJudge);
    assert_eq!(v.reasons.len(), 1);
    assert!(v.reasons[0].starts_with("Line 3:"), "{:?}", v.reasons);
    let v = judge_api(
        &api,
        &assertions("statsu 200\nlength x", 200, PETS),
        &verified(),
    );
    assert_eq!(v.outcome, Outcome::CannotJudge);
    assert_eq!(v.reasons.len(), 2);
}

#[test]
fn a_failed_assertion_fails_even_beside_an_unreadable_line() {
    // Nothing can make this a pass, so it is a FAIL rather than "cannot judge".
    let api = api_ok(200, PETS);
    let case = Case {
        assertions: parse_lines("status 201\nstatus x"),
        results: evaluate(
            &parse_lines("status 201").unwrap(),
            &ResponseFacts {
                status: Some(200),
                body: PETS,
                elapsed_ms: 1.0,
                content_type: None,
            },
        ),
    };
    assert_eq!(judge_api(&api, &case, &verified()).outcome, Outcome::Fail);
}

#[test]
fn a_failed_token_check_fails_the_run() {
    let api = api_ok(200, PETS);
    let mut checks = verified();
    checks.push(check("Client ID", Status::Fail));
    let v = judge_api(&api, &assertions("", 200, PETS), &checks);
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.reasons,
        vec!["Check Client ID: Client ID detail.".to_string()]
    );
}

#[test]
fn an_unverified_signature_is_said_even_on_a_pass() {
    let api = api_ok(200, PETS);
    let checks = vec![check("Signature", Status::Warn)];
    let v = judge_api(&api, &assertions("status 200", 200, PETS), &checks);
    assert_eq!(v.outcome, Outcome::Pass);
    assert_eq!(
        v.reasons,
        vec!["Signature not verified: Signature detail.".to_string()]
    );
}

#[test]
fn cancelled_skipped_and_not_sent_are_their_own_outcomes() {
    let cancelled: StepResult<()> = StepResult {
        exchange: None,
        proxied_target: None,
        state: StepState::Cancelled(diagnosis("cancelled")),
    };
    let case = assertions("status 200", 200, PETS);
    assert_eq!(
        judge_api(&cancelled, &case, &[]).outcome,
        Outcome::Cancelled
    );
    let not_sent: StepResult<()> = StepResult::not_sent(diagnosis("bad header"));
    assert_eq!(
        judge_api(&not_sent, &case, &[]).outcome,
        Outcome::CannotJudge
    );
    let busy = Refusal::Busy;
    let v = verdict(&RunFacts {
        job: Job::Run,
        refusal: Some(&busy),
        token: None,
        api: None,
        assertions: None,
        assertion_results: &[],
        checks: &[],
        negatives: &[],
    })
    .unwrap();
    assert_eq!(v.outcome, Outcome::Skipped);
    assert!(!v.outcome.passed());
}

#[test]
fn failures_name_the_step() {
    let failed: StepResult<()> = StepResult {
        exchange: Some(exchange(401, r#"{"message":"Unauthorized"}"#)),
        proxied_target: None,
        state: StepState::Failed(diagnosis("The API refused the token (401).")),
    };
    let v = judge_api(&failed, &assertions("status 200", 401, ""), &verified());
    assert_eq!(v.outcome, Outcome::Fail);
    assert_eq!(
        v.headline,
        "FAIL — API call: The API refused the token (401)."
    );
    let token: StepResult<AccessToken> = StepResult {
        exchange: None,
        proxied_target: None,
        state: StepState::Failed(diagnosis("invalid_client")),
    };
    let v = verdict(&RunFacts {
        job: Job::Run,
        refusal: None,
        token: Some(&token),
        api: None,
        assertions: None,
        assertion_results: &[],
        checks: &[],
        negatives: &[],
    })
    .unwrap();
    assert_eq!(v.headline, "FAIL — token request: invalid_client");
}

#[test]
fn a_security_finding_reaches_the_top() {
    let api = api_ok(200, PETS);
    let negatives = vec![judge(NegativeCase::NoAuthorization, Some(200), "[]")];
    let case = assertions("status 200", 200, PETS);
    let v = verdict(&RunFacts {
        job: Job::Run,
        refusal: None,
        token: None,
        api: Some(&api),
        assertions: Some(&case.assertions),
        assertion_results: &case.results,
        checks: &verified(),
        negatives: &negatives,
    })
    .unwrap();
    assert_eq!(v.outcome, Outcome::SecurityFinding);
}

/// A negative check that proves nothing (a 502 to a call without a token, no answer at all)
/// leaves the run unjudged: it was a PASS before, with exit code 0 in the CLI.
#[test]
fn a_negative_check_that_proves_nothing_is_not_a_pass() {
    let api = api_ok(200, PETS);
    let case = assertions("status 200", 200, PETS);
    let judged = |negatives: &[NegativeResult]| {
        verdict(&RunFacts {
            job: Job::Run,
            refusal: None,
            token: None,
            api: Some(&api),
            assertions: Some(&case.assertions),
            assertion_results: &case.results,
            checks: &verified(),
            negatives,
        })
        .unwrap()
    };
    for negatives in [
        vec![
            judge(
                NegativeCase::NoAuthorization,
                Some(502),
                "Internal server error",
            ),
            judge(NegativeCase::AlteredSignature, Some(401), "Unauthorized"),
        ],
        vec![judge(NegativeCase::AlteredSignature, None, "")],
    ] {
        let v = judged(&negatives);
        assert_eq!(v.outcome, Outcome::CannotJudge, "{v:?}");
        assert!(
            v.headline.contains("1 negative check proved nothing"),
            "{}",
            v.headline
        );
        assert_eq!(v.reasons.len(), 1, "{:?}", v.reasons);
    }
    // Refused: the run is a PASS.
    let refused = [judge(
        NegativeCase::NoAuthorization,
        Some(401),
        "Unauthorized",
    )];
    assert_eq!(judged(&refused).outcome, Outcome::Pass);
}

#[test]
fn get_token_alone_is_not_a_pass_of_the_api() {
    let token: StepResult<AccessToken> = StepResult {
        exchange: None,
        proxied_target: None,
        state: StepState::Done(AccessToken {
            access_token: "t".into(),
            expires_in: None,
            token_type: None,
            other_fields: Vec::new(),
        }),
    };
    let facts = RunFacts {
        job: Job::Token,
        refusal: None,
        token: Some(&token),
        api: None,
        assertions: None,
        assertion_results: &[],
        checks: &verified(),
        negatives: &[],
    };
    assert_eq!(verdict(&facts).unwrap().outcome, Outcome::TokenObtained);
    // A Run whose API call is still out has no verdict yet.
    let facts = RunFacts {
        job: Job::Run,
        ..facts
    };
    assert_eq!(verdict(&facts), None);
}

/// JWKS override `{"keys":[]}` and an edited payload: the headline said API Gateway should
/// accept it.
#[test]
fn checks_headline_needs_a_verified_signature() {
    assert_eq!(checks_headline(&verified()), ChecksHeadline::AllPass);
    let warn = vec![
        check("Structure", Status::Pass),
        check("Signature", Status::Warn),
    ];
    let headline = checks_headline(&warn);
    assert!(matches!(headline, ChecksHeadline::Unverified(_)));
    assert!(
        !headline.text().contains("should accept"),
        "{}",
        headline.text()
    );
    let info = vec![check("Signature", Status::Info)];
    assert!(matches!(
        checks_headline(&info),
        ChecksHeadline::Unverified(_)
    ));
    let fail = vec![
        check("Signature", Status::Fail),
        check("Key ID", Status::Fail),
    ];
    assert_eq!(checks_headline(&fail), ChecksHeadline::Failed(2));
}

/// A stand-in's issuer (a warning) with a verified signature read "Every check passes: API
/// Gateway's Cognito authorizer should accept this token", and JUnit marked the checks passed.
#[test]
fn a_warning_keeps_the_checks_from_every_check_passes() {
    let mut warned = verified();
    warned.push(check("Issuer", Status::Warn));
    let headline = checks_headline(&warned);
    assert_eq!(headline, ChecksHeadline::Warned(vec!["Issuer"]));
    assert!(
        !headline.text().contains("should accept"),
        "{}",
        headline.text()
    );
    assert!(
        headline.text().contains("Issuer warns"),
        "{}",
        headline.text()
    );
    // An unverified signature is said first: it is what the promise rests on.
    let mut both = warned.clone();
    for c in both.iter_mut().filter(|c| c.name == "Signature") {
        c.status = Status::Warn;
    }
    assert!(matches!(
        checks_headline(&both),
        ChecksHeadline::Unverified(_)
    ));
}
