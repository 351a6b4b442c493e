use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::markdown::text;
use super::*;
use crate::core::checks::Status;
use crate::core::diagnosis::Severity;
use crate::core::exchange::{RecordedRequest, RecordedResponse};
use crate::core::run::{Job, RunSnapshot, Secret, SecretBook};
use crate::core::token::{basic_authorization, ClientAuth};

/// A secret with characters that change when form-encoded.
const SECRET: &str = "1k7s+j2v/0rq5ti0o8d2l9a4m6c3b8e1n5f0h7g2p9q4r6s1t3u8v=";
const NOW: i64 = 1_795_761_685; // 2026-11-27 06:41:25 UTC
const SIGNATURE: &str =
    "Zm9yZ2VkLXNpZ25hdHVyZS1ieXRlcy10aGF0LW11c3QtbmV2ZXItbGVhdmUtdGhlLWJyb3dzZXI";

fn b64(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(json)
}

fn token() -> String {
    format!(
        "{}.{}.{SIGNATURE}",
        b64(r#"{"kid":"k1","alg":"RS256"}"#),
        b64(&format!(
            r#"{{"sub":"demo-client-id","token_use":"access","scope":"demo/example","auth_time":{NOW},"iss":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo","exp":{},"iat":{NOW},"version":2,"jti":"j-1","client_id":"demo-client-id"}}"#,
            NOW + 3600
        ))
    )
}

fn settings(auth: ClientAuth) -> Settings {
    Settings {
        client_id: "demo-client-id".into(),
        domain: "demo-pool".into(),
        region: "us-east-1".into(),
        scope: "demo/example".into(),
        api_url: "https://abc123.execute-api.us-east-1.amazonaws.com/dev/pets".into(),
        extra_headers: "X-Trace: 1\nX-Api-Key: key-that-is-private".into(),
        client_auth: auth,
        ..Settings::default()
    }
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn response(status: u16, body: &str) -> Option<RecordedResponse> {
    Some(RecordedResponse {
        status,
        status_text: String::new(),
        headers: headers(&[("content-type", "application/json")]),
        body: body.into(),
        size_bytes: body.len(),
        body_was_utf8: true,
    })
}

fn token_exchange(auth: ClientAuth) -> Exchange {
    let form_secret: String = form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let (request_headers, body) = match auth {
        ClientAuth::SecretInBody => (
            headers(&[("Content-Type", "application/x-www-form-urlencoded")]),
            format!("grant_type=client_credentials&client_id=demo-client-id&client_secret={form_secret}&scope=demo%2Fexample"),
        ),
        ClientAuth::BasicHeader => (
            vec![
                ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
                ("Authorization".into(), basic_authorization("demo-client-id", SECRET)),
            ],
            "grant_type=client_credentials&scope=demo%2Fexample".into(),
        ),
    };
    Exchange {
        request: RecordedRequest {
            method: "POST".into(),
            url: "https://demo-pool.auth.us-east-1.amazoncognito.com/oauth2/token".into(),
            headers: request_headers,
            body: Some(body),
        },
        response: response(
            200,
            &format!(
                r#"{{"access_token":"{}","expires_in":3600,"token_type":"Bearer"}}"#,
                token()
            ),
        ),
        elapsed_ms: 183.4,
        started_at_unix_ms: (NOW - 2) as f64 * 1000.0 + 250.0,
    }
}

fn api_exchange() -> Exchange {
    Exchange {
        request: RecordedRequest {
            method: "GET".into(),
            url: "https://abc123.execute-api.us-east-1.amazonaws.com/dev/pets".into(),
            headers: vec![("Authorization".into(), format!("Bearer {}", token()))],
            body: None,
        },
        // An echoing backend: the token, its signature alone and the secret come back.
        response: response(
            200,
            &format!(
                r#"{{"headers":{{"authorization":"Bearer {}"}},"sig":"{SIGNATURE}","leak":"{SECRET}"}}"#,
                token()
            ),
        ),
        elapsed_ms: 1240.0,
        started_at_unix_ms: (NOW - 1) as f64 * 1000.0,
    }
}

fn full_input(auth: ClientAuth) -> EvidenceInput {
    EvidenceInput {
        tool_version: "0.1.0".into(),
        generated_at_unix: NOW,
        settings: settings(auth),
        token_exchange: Some(token_exchange(auth)),
        api_exchange: Some(api_exchange()),
        access_token: Some(token()),
        checks: vec![
            Check {
                name: "Signature",
                status: Status::Pass,
                detail: "RS256 signature verified with key k1.".into(),
                fix: None,
            },
            Check {
                name: "Scopes",
                status: Status::Fail,
                detail: "demo/other is not in the token.".into(),
                fix: Some("Allow demo/other on the app client.".into()),
            },
        ],
        assertions: vec![AssertionLine {
            description: "status is 200".into(),
            passed: true,
            actual: "200".into(),
        }],
        diagnoses: vec![],
        verdict: "PASS: the API accepted the token.".into(),
        client_secret_set: true,
        secrets: book(auth).values().into_iter().map(str::to_owned).collect(),
    }
}

/// What the page's secret book holds after this run: the secret, its Basic form, the API key.
fn book(auth: ClientAuth) -> SecretBook {
    let snapshot = RunSnapshot::new(Job::Run, settings(auth), Secret::new(SECRET), "", 0.0);
    let mut book = SecretBook::new();
    snapshot.register_secrets(&mut book);
    book
}

fn forbidden_forms() -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let basic = basic_authorization("demo-client-id", SECRET);
    vec![
        SECRET.to_owned(),
        form.clone(),
        form.replace('+', "%20"),
        form.to_lowercase(),
        token(),
        SIGNATURE.to_owned(),
        basic.trim_start_matches("Basic ").to_owned(),
        "key-that-is-private".to_owned(),
    ]
}

#[test]
fn no_secret_token_or_signature_anywhere() {
    for auth in ClientAuth::all() {
        let evidence = build_evidence(full_input(auth));
        let md = to_markdown(&evidence);
        let json = to_json(&evidence);
        for text in [&md, &json] {
            for forbidden in forbidden_forms() {
                assert!(!text.contains(&forbidden), "{forbidden} leaked:\n{text}");
            }
        }
        // The redacted pieces are still recognisable.
        let masked = match auth {
            ClientAuth::SecretInBody => "client_secret=••••••",
            ClientAuth::BasicHeader => "\"Basic ••••••\"",
        };
        assert!(json.contains(masked), "{json}");
        assert!(md.contains("Bearer eyJraWQiOi…(redacted)"), "{md}");
        assert_eq!(evidence.settings.client_secret, REDACTED);
        assert_eq!(
            evidence.settings.extra_headers,
            "X-Trace: 1\nX-Api-Key: ••••••"
        );
    }
}

#[test]
fn header_and_claims_are_kept_without_the_signature() {
    let evidence = build_evidence(full_input(ClientAuth::SecretInBody));
    let header = evidence.token_header.as_ref().unwrap();
    assert_eq!(header["kid"], "k1");
    assert_eq!(header.len(), 2);
    let claims = evidence.claims.as_ref().unwrap();
    assert_eq!(claims["client_id"], "demo-client-id");
    let md = to_markdown(&evidence);
    assert!(md.contains("| client\\_id | demo-client-id |"), "{md}");
    assert!(md.contains("The signature is not included"));
    let json: Value = serde_json::from_str(&to_json(&evidence)).unwrap();
    assert_eq!(json["claims"]["scope"], "demo/example");
    assert!(json.get("signature").is_none());
}

#[test]
fn timestamps_are_utc() {
    let evidence = build_evidence(full_input(ClientAuth::SecretInBody));
    assert_eq!(evidence.generated_at_utc, "2026-11-27T06:41:25.000Z");
    assert_eq!(
        evidence.timings,
        vec![
            Timing {
                step: "token request",
                started_at_utc: "2026-11-27T06:41:23.250Z".into(),
                elapsed_ms: 183.4,
            },
            Timing {
                step: "API call",
                started_at_utc: "2026-11-27T06:41:24.000Z".into(),
                elapsed_ms: 1240.0,
            },
        ]
    );
    let md = to_markdown(&evidence);
    assert!(md.contains("- Generated: 2026-11-27 06:41:25 UTC"), "{md}");
    assert!(
        md.contains("| token request | 2026-11-27T06:41:23.250Z | 183 ms |"),
        "{md}"
    );
    assert!(
        md.contains("| API call | 2026-11-27T06:41:24.000Z | 1.24 s |"),
        "{md}"
    );
    // exp in the claims table is shown in UTC too.
    assert!(md.contains("2026-11-27 07:41:25 UTC"), "{md}");
    let json: Value = serde_json::from_str(&to_json(&evidence)).unwrap();
    assert_eq!(json["generated_at_unix"], NOW);
    assert_eq!(json["generated_at_utc"], "2026-11-27T06:41:25.000Z");
}

#[test]
fn a_run_with_only_a_failed_token_request_renders() {
    let mut exchange = token_exchange(ClientAuth::SecretInBody);
    exchange.response = None;
    exchange.elapsed_ms = 30_000.0;
    let evidence = build_evidence(EvidenceInput {
        tool_version: "0.1.0".into(),
        generated_at_unix: NOW,
        settings: settings(ClientAuth::SecretInBody),
        token_exchange: Some(exchange),
        diagnoses: vec![Diagnosis {
            severity: Severity::Error,
            what: "The token request timed out after 30 s.".into(),
            cause: "The domain does not answer.".into(),
            fix: "Check the Domain field.".into(),
        }],
        verdict: "FAIL: no token.".into(),
        secrets: book(ClientAuth::SecretInBody)
            .values()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ..EvidenceInput::default()
    });
    assert_eq!(evidence.claims, None);
    assert_eq!(evidence.timings.len(), 1);
    let md = to_markdown(&evidence);
    for needle in [
        "**Verdict:** FAIL: no token.",
        "_No response after 30.00 s",
        "## API request\n\n_Not sent in this run._",
        "_No token was decoded in this run._",
        "## Checks\n\n_None in this run._",
        "- ✗ **The token request timed out after 30 s.**",
        "  - What to do: Check the Domain field.",
    ] {
        assert!(md.contains(needle), "{needle} missing in:\n{md}");
    }
    for forbidden in forbidden_forms() {
        assert!(!md.contains(&forbidden));
    }
    let json: Value = serde_json::from_str(&to_json(&evidence)).unwrap();
    assert_eq!(json["api_exchange"], Value::Null);
    assert_eq!(json["token_exchange"]["response"], Value::Null);
}

#[test]
fn the_token_is_found_in_the_response_when_not_given() {
    let input = EvidenceInput {
        access_token: None,
        ..full_input(ClientAuth::SecretInBody)
    };
    let evidence = build_evidence(input);
    assert!(evidence.claims.is_some());
    let md = to_markdown(&evidence);
    assert!(!md.contains(&token()) && !md.contains(SIGNATURE));
}

#[test]
fn an_empty_run_renders() {
    let evidence = build_evidence(EvidenceInput::default());
    assert_eq!(evidence.settings.client_secret, "");
    let md = to_markdown(&evidence);
    assert!(md.contains("| Client secret | (empty) |"), "{md}");
    assert!(md.contains("| Token request URL | (not valid) |"), "{md}");
    assert!(serde_json::from_str::<Value>(&to_json(&evidence)).is_ok());
}

#[test]
fn table_cells_and_list_text_are_escaped() {
    assert_eq!(text("a|b\nc\r\nd"), "a\\|b<br>c<br>d");
    assert_eq!(text("<img src=x>"), "\\<img src=x\\>");
    assert_eq!(
        text("*x* _y_ `z` [l](u) #h \\"),
        "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\#h \\\\"
    );
    let mut input = full_input(ClientAuth::SecretInBody);
    input.settings.method = crate::core::settings::HttpMethod::Post;
    input.settings.api_body = "{\"a\": \"x|y\"}\n| --- |".into();
    input.assertions[0].actual = "line1\n| injected | row |".into();
    let md = to_markdown(&build_evidence(input));
    for line in md.lines().filter(|l| l.starts_with("| Request body")) {
        assert_eq!(line, "| Request body | {\"a\": \"x\\|y\"}<br>\\| --- \\| |");
    }
    assert!(
        md.contains("(actual: line1<br>\\| injected \\| row \\|)"),
        "{md}"
    );
    // Every table row has exactly its columns: no cell content adds a separator.
    for line in md.lines().filter(|l| {
        l.starts_with("| Setting") || l.starts_with("| Client") || l.starts_with("| Request")
    }) {
        let separators = line.matches('|').count() - line.matches("\\|").count();
        assert_eq!(separators, 3, "{line}");
    }
}

#[test]
fn code_fences_outlast_backticks_in_bodies() {
    let mut input = full_input(ClientAuth::SecretInBody);
    if let Some(exchange) = input.api_exchange.as_mut() {
        exchange.response = response(500, "oops ```` not a fence\n```");
    }
    let md = to_markdown(&build_evidence(input));
    assert!(
        md.contains("`````http\nHTTP/1.1 500 Internal Server Error"),
        "{md}"
    );
    assert!(md.contains("```\n`````\n"), "{md}");
}

#[test]
fn long_bodies_are_cut_in_markdown_only() {
    let mut input = full_input(ClientAuth::SecretInBody);
    let body = "x".repeat(25_000);
    if let Some(exchange) = input.api_exchange.as_mut() {
        exchange.response = response(200, &body);
    }
    let evidence = build_evidence(input);
    assert!(to_markdown(&evidence).contains("… 5000 more characters"));
    assert!(to_json(&evidence).contains(&body));
}

#[test]
fn extra_secrets_are_masked_too() {
    let mut input = full_input(ClientAuth::SecretInBody);
    input.verdict = "FAIL: got other-token-123456".into();
    input.secrets = vec!["other-token-123456".into(), String::new()];
    let evidence = build_evidence(input);
    assert_eq!(evidence.verdict, "FAIL: got ••••••");
}

/// The report's form (and the checks quoting it) masked only what the tab's book knew, while
/// share links and profiles refuse any token-shaped text or URL password: a token from elsewhere
/// in the body and user:password@ in the key set's URL went into the report in clear.
#[test]
fn the_form_in_a_report_hides_what_looks_like_a_secret() {
    let mut input = full_input(ClientAuth::SecretInBody);
    let foreign =
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlbHNld2hlcmUifQ.c2lnbmF0dXJlLWZyb20tZWxzZXdoZXJl";
    input.settings.api_body = format!("{{\"t\":\"{foreign}\"}}");
    input.settings.jwks = "https://user:hunter22@keys.example.com/jwks.json".into();
    input.checks = vec![Check::new(
        "Key ID",
        Status::Warn,
        "The JWKS at https://user:hunter22@keys.example.com/jwks.json has no such key.",
    )];
    // A diagnosis quoting the URL it was sent to (a redirect's, say).
    input.diagnoses = vec![Diagnosis {
        severity: Severity::Error,
        what: "The API redirected the call.".into(),
        cause: format!("https://api.example.com/dev?access_token={foreign} answered 302."),
        fix: "Call the final URL.".into(),
    }];
    // Sent as the body and echoed back: the exchange in the report holds it twice.
    if let Some(exchange) = input.api_exchange.as_mut() {
        exchange.request.body = Some(input.settings.api_body.clone());
        exchange.request.url.push_str(&format!("?t={foreign}"));
        if let Some(response) = exchange.response.as_mut() {
            response.body = input.settings.api_body.clone();
        }
    }
    let evidence = build_evidence(input);
    let all = format!("{}{}", to_json(&evidence), to_markdown(&evidence));
    assert!(!all.contains("c2lnbmF0dXJlLWZyb20tZWxzZXdoZXJl"), "{all}");
    assert!(!all.contains("hunter22"), "{all}");
    assert!(
        evidence
            .settings
            .jwks
            .contains("user:••••••@keys.example.com"),
        "{}",
        evidence.settings.jwks
    );
}

#[test]
fn file_names() {
    assert_eq!(
        file_name(NOW, "md"),
        "cognito-api-test-2026-11-27T064125Z.md"
    );
    assert_eq!(
        file_name(NOW, ".json"),
        "cognito-api-test-2026-11-27T064125Z.json"
    );
    assert_eq!(file_name(0, "md"), "cognito-api-test-1970-01-01T000000Z.md");
    assert_eq!(
        file_name(i64::MAX, "md"),
        format!("cognito-api-test-{}.md", i64::MAX)
    );
}

/// A header line without its colon (`X-Api-Key abc123…`) is refused by a run, so its value never
/// reached the tab's book, and the report's Extra headers quoted it in clear.
#[test]
fn a_header_line_that_is_no_name_value_is_not_quoted() {
    let field = "X-Trace: 1\nX-Api-Key abc123def456ghi\n\nX-Tenant-Secret=s3cr3t-value\nAuthorization: Bearer x.y.z";
    assert_eq!(
        mask_credential_headers(field, &[]),
        "X-Trace: 1\n••••••\n\n••••••\nAuthorization: ••••••"
    );
}

/// The command line reads the API's `Set-Cookie` (the page's fetch never can): a session cookie's
/// value reached the report in clear. Its name and attributes stay, the value does not.
#[test]
fn a_session_cookie_the_api_sets_is_masked_in_the_report() {
    let mut input = full_input(ClientAuth::SecretInBody);
    if let Some(response) = input
        .api_exchange
        .as_mut()
        .and_then(|e| e.response.as_mut())
    {
        response.headers.push((
            "set-cookie".into(),
            "session=SeSsIoN-0123456789abcdef; Path=/; HttpOnly".into(),
        ));
        response
            .headers
            .push(("X-Session-Id".into(), "sid-0123456789abcdef".into()));
        response.headers.push((
            "www-authenticate".into(),
            r#"Bearer error="insufficient_scope""#.into(),
        ));
    }
    let evidence = build_evidence(input);
    for text in [to_markdown(&evidence), to_json(&evidence)] {
        assert!(!text.contains("SeSsIoN-0123456789abcdef"), "{text}");
        assert!(!text.contains("sid-0123456789abcdef"), "{text}");
        assert!(text.contains("session=••••••; Path=/; HttpOnly"), "{text}");
        // Why a token was refused is no secret: the report keeps it.
        assert!(text.contains("insufficient_scope"), "{text}");
    }
}
