#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests of the pure core: every parser meets arbitrary input without panicking, and the
//! round trips and invariants the UI relies on hold for generated values, not only for the
//! hand-picked examples of the unit tests.
//!
//! The number of cases comes from `PROPTEST_CASES` (256 when unset): `cargo test` stays quick,
//! `make test-properties` runs 10,000 cases of each property in a release build. The random
//! generator starts from a fixed seed, so every run draws the same cases;
//! `make properties-explore` (`PROPTEST_RNG_SEED=random`) draws new ones.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

use cognito_api_tester::core::assertions::{
    evaluate, parse_lines, to_lines, Assertion, ResponseFacts,
};
use cognito_api_tester::core::canary::{iso_utc_ms, History, RunRecord};
use cognito_api_tester::core::checks::{token_checks, Signature, Status, TokenContext};
use cognito_api_tester::core::clock_skew::{parse_http_date, skew_from_exchange};
use cognito_api_tester::core::diagnosis::{
    api_failure, body_interrupted, network_failure, token_failure_with_scope, Diagnosis,
    NetworkFailure, Step,
};
use cognito_api_tester::core::exchange::{
    body_preview, body_view, redact_request, redact_text, truncate_chars, BodyView, Exchange,
    Masker, RecordedRequest, RecordedResponse, REDACTED,
};
use cognito_api_tester::core::headers::{parse_extra_headers, withheld_headers};
use cognito_api_tester::core::hosting::{setup_blocks, HostingValues, DEFAULT_STACK_NAME};
use cognito_api_tester::core::import::{parse_import, SECRET_KEYS};
use cognito_api_tester::core::jwt::{
    base64url_decode, claim_rows, decode, parse_issuer, Base64Problem, SegmentProblem, ShapeProblem,
};
use cognito_api_tester::core::matrix::{parse_export, ExportError};
use cognito_api_tester::core::negative::{authorization_for, NegativeCase};
use cognito_api_tester::core::proxy::{backend_origin, proxied_path, trunk_proxy_block, Route};
use cognito_api_tester::core::run::Secret;
use cognito_api_tester::core::settings::{resolve_token_endpoint, Field, HttpMethod, Settings};
use cognito_api_tester::core::share::{
    from_fragment, to_fragment, ShareError, SharedSettings, MAX_FRAGMENT_BYTES, SHARE_VERSION,
};
use cognito_api_tester::core::token::{
    parse_token_response, ClientAuth, OAuthErrorCode, TokenFailure,
};
use cognito_api_tester::core::{aws, client_token, diagnosis};

/// The seed every run uses unless `PROPTEST_RNG_SEED` names another: CI (`make test`) must pass
/// or fail the same way every time. `make properties-explore` draws a new seed each run instead.
const FIXED_SEED: u64 = 20_261_202;

fn config() -> ProptestConfig {
    let seed = match std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .as_deref()
        .map(str::trim)
    {
        Some("random") => proptest::test_runner::RngSeed::Random,
        Some(n) => n
            .parse()
            .map(proptest::test_runner::RngSeed::Fixed)
            .unwrap_or(proptest::test_runner::RngSeed::Fixed(FIXED_SEED)),
        None => proptest::test_runner::RngSeed::Fixed(FIXED_SEED),
    };
    ProptestConfig {
        cases: cases(),
        rng_seed: seed,
        ..ProptestConfig::default()
    }
}

/// Cases per property: `PROPTEST_CASES` (proptest reads it too), else 256 for a quick local run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(256)
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Any characters at all (control characters, line breaks, astral planes), up to `max`.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// Text rich in the characters that break naive parsers: separators, quotes, line breaks.
fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => any::<char>(),
        2 => prop::sample::select(vec![
            ',', '"', '\'', '\n', '\r', '\t', ' ', ':', '=', '/', '.', '#', '&', '%', '+', '~', '\\',
            '{', '}', '[', ']', '•', 'é', '\u{feff}', '\u{2028}'
        ]),
        4 => prop::char::range('a', 'z'),
    ];
    prop::collection::vec(ch, 0..=max).prop_map(String::from_iter)
}

/// One line of text: no `\n` (but anything else, `\r` included).
fn line_text(max: usize) -> impl Strategy<Value = String> {
    tricky_text(max).prop_map(|s| s.replace('\n', " "))
}

/// A distinctive secret that cannot turn up by chance in generated text.
fn marker() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{20,28}".prop_map(|s| format!("Zq{s}"))
}

/// JSON numbers that survive text and back exactly (serde_json without `float_roundtrip`
/// reads some long decimals one ulp off; binary fractions of small integers are exact).
fn json_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1_000_000i32..1_000_000).prop_map(|n| Value::from(f64::from(n) / 8.0)),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        json_number(),
        text(12).prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(text(8), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(text(10), json_value(), 0..6).prop_map(|m| m.into_iter().collect())
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn jwt_from(header: &Map<String, Value>, payload: &Map<String, Value>, sig: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64(serde_json::to_string(header).unwrap().as_bytes()),
        b64(serde_json::to_string(payload).unwrap().as_bytes()),
        b64(sig)
    )
}

fn method() -> impl Strategy<Value = HttpMethod> {
    prop::sample::select(HttpMethod::all().to_vec())
}

fn client_auth() -> impl Strategy<Value = ClientAuth> {
    prop::sample::select(ClientAuth::all().to_vec())
}

fn route() -> impl Strategy<Value = Route> {
    prop::sample::select(Route::all().to_vec())
}

fn step() -> impl Strategy<Value = Step> {
    prop::sample::select(vec![Step::Token, Step::ClientToken, Step::Api, Step::Jwks])
}

/// Any `Settings`, field by field.
fn settings() -> impl Strategy<Value = Settings> {
    (
        (
            line_text(20),
            line_text(20),
            line_text(30),
            line_text(12),
            line_text(30),
            line_text(40),
        ),
        (
            method(),
            tricky_text(40),
            tricky_text(60),
            client_auth(),
            any::<bool>(),
            any::<u32>(),
            tricky_text(30),
        ),
        (
            prop::sample::select(
                cognito_api_tester::core::client_token::TokenSource::all().to_vec(),
            ),
            tricky_text(30),
            prop::sample::select(cognito_api_tester::core::user_sign_in::Grant::all().to_vec()),
            prop::sample::select(cognito_api_tester::core::user_sign_in::SendToken::all().to_vec()),
            tricky_text(20),
            line_text(8),
        ),
    )
        .prop_map(
            |(
                (client_id, _client_secret, domain, region, scope, api_url),
                (method, api_body, extra_headers, client_auth, via_proxy, timeout_secs, jwks),
                (token_source, client_metadata, grant, send_token, identity_provider, lang),
            )| Settings {
                client_id,
                domain,
                region,
                scope,
                api_url,
                method,
                api_body,
                extra_headers,
                client_auth,
                via_proxy,
                timeout_secs,
                jwks,
                secret_headers: Vec::new(),
                token_source,
                client_metadata,
                sign_in: cognito_api_tester::core::user_sign_in::SignInSettings {
                    grant,
                    send_token,
                    identity_provider,
                    lang,
                },
            },
        )
}

/// Any i64, with the extremes (where arithmetic overflows) as likely as the middle.
fn edgy_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        i64::MIN..i64::MIN + 10_000_000_000,
        i64::MAX - 10_000_000_000..=i64::MAX,
    ]
}

/// RFC 9110 token characters, written out independently of the code under test.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

// ---------------------------------------------------------------------------------------------
// Helpers written for the tests: a CSV reader and an HTTP-date writer.
// ---------------------------------------------------------------------------------------------

/// A strict RFC 4180 reader: records end with CRLF, a field with a separator, quote or line
/// break must be quoted, quotes inside are doubled. Anything else is a test failure.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if at_field_start && c == '"' {
            // A quoted field, up to its closing quote.
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(other) => field.push(other),
                    None => panic!("unterminated quoted field in {text:?}"),
                }
            }
            at_field_start = false;
            match chars.peek() {
                Some(',') | Some('\r') | None => {}
                other => panic!("{other:?} after a closing quote in {text:?}"),
            }
            continue;
        }
        at_field_start = false;
        match c {
            ',' => {
                record.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "bare CR in {text:?}");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                at_field_start = true;
            }
            '\n' => panic!("bare LF outside quotes in {text:?}"),
            '"' => panic!("quote inside an unquoted field in {text:?}"),
            other => field.push(other),
        }
    }
    assert!(
        record.is_empty() && field.is_empty(),
        "the last record has no CRLF in {text:?}"
    );
    records
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Unix seconds (from 1970) → (year, month 1–12, day, hour, minute, second, weekday 0=Sun),
/// by counting years and months: slow and obviously right, unlike the code's algorithm.
fn civil(unix: i64) -> (i64, usize, i64, i64, i64, i64, usize) {
    assert!(unix >= 0);
    let mut days = unix / 86_400;
    let secs = unix % 86_400;
    let weekday = ((days + 4) % 7) as usize; // 1970-01-01 was a Thursday.
    let mut year = 1970;
    // 400 Gregorian years are exactly 146,097 days.
    year += days / 146_097 * 400;
    days %= 146_097;
    loop {
        let in_year = if is_leap(year) { 366 } else { 365 };
        if days < in_year {
            break;
        }
        days -= in_year;
        year += 1;
    }
    let lengths = [
        31,
        if is_leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    (
        year,
        month + 1,
        days + 1,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        weekday,
    )
}

/// IMF-fixdate, as a server writes its `Date` header.
fn http_date(unix: i64) -> String {
    let (year, month, day, h, m, s, weekday) = civil(unix);
    format!(
        "{}, {day:02} {} {year:04} {h:02}:{m:02}:{s:02} GMT",
        WEEKDAYS[weekday],
        MONTHS[month - 1]
    )
}

fn non_empty(d: &Diagnosis) {
    assert!(!d.what.trim().is_empty(), "empty what: {d:?}");
    assert!(!d.cause.trim().is_empty(), "empty cause: {d:?}");
    assert!(!d.fix.trim().is_empty(), "empty fix: {d:?}");
}

const NOW: i64 = 1_780_000_000;

fn fixed_context() -> TokenContext {
    TokenContext {
        client_id: "3abc4defgh5ijk6lmn7opq8rst".into(),
        region: "us-east-1".into(),
        requested_scope: "demo/read demo/write".into(),
        now: NOW,
        server_skew_secs: Some(-7),
        token_origin: None,
    }
}

proptest! {
    #![proptest_config(config())]

    // -----------------------------------------------------------------------------------------
    // jwt
    // -----------------------------------------------------------------------------------------

    /// Any text decodes to something, and "well formed" means exactly "no problem to report".
    #[test]
    fn jwt_decode_any_string(input in prop_oneof![text(200), tricky_text(200)]) {
        let d = decode(&input);
        let problems = d.problems();
        prop_assert_eq!(d.is_well_formed(), problems.is_empty());
        prop_assert_eq!(d.claims().is_some(), d.payload.json.is_ok());
        prop_assert!(problems.iter().all(|p| !p.trim().is_empty()));
        if input.trim().is_empty() {
            prop_assert_eq!(d.shape, Err(ShapeProblem::Empty));
        }
    }

    /// Three parts of arbitrary bytes (read as text, or base64url-encoded) separated by dots.
    #[test]
    fn jwt_decode_three_parts_of_arbitrary_bytes(
        parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..80), 3),
        encode in any::<bool>(),
    ) {
        let texts: Vec<String> = parts
            .iter()
            .map(|bytes| {
                if encode {
                    b64(bytes)
                } else {
                    String::from_utf8_lossy(bytes).into_owned()
                }
            })
            .collect();
        let token = texts.join(".");
        let d = decode(&token);
        prop_assert_eq!(d.is_well_formed(), d.problems().is_empty());
        let clean = texts.iter().all(|t| !t.contains('.') && !t.contains(char::is_whitespace));
        if clean {
            prop_assert_eq!(&d.shape, &Ok(()));
            prop_assert_eq!(&d.header.encoded, &texts[0]);
            prop_assert_eq!(&d.payload.encoded, &texts[1]);
            prop_assert_eq!(&d.signature.encoded, &texts[2]);
        }
        if encode {
            // base64url of any bytes decodes back to them; empty is the one refusal.
            let expected = if parts[2].is_empty() {
                Err(SegmentProblem::Base64(Base64Problem::Empty))
            } else {
                Ok(parts[2].clone())
            };
            prop_assert_eq!(&d.signature.bytes, &expected);
            for (segment, bytes) in [(&d.header, &parts[0]), (&d.payload, &parts[1])] {
                match std::str::from_utf8(bytes) {
                    Err(e) if !bytes.is_empty() => prop_assert_eq!(
                        &segment.json,
                        &Err(SegmentProblem::Utf8 { valid_up_to: e.valid_up_to() })
                    ),
                    Ok(text) if !bytes.is_empty() => {
                        prop_assert_eq!(segment.text.as_deref(), Some(text));
                        let expected = serde_json::from_str::<Value>(text).ok();
                        match (&segment.json, expected) {
                            (Ok(map), Some(Value::Object(expected))) => prop_assert_eq!(map, &expected),
                            (Err(SegmentProblem::NotAnObject), Some(other)) => prop_assert!(!other.is_object()),
                            (Err(SegmentProblem::Json { .. }), None) => {}
                            (got, expected) => prop_assert!(false, "{:?} for {:?} ({:?})", got, text, expected),
                        }
                    }
                    _ => prop_assert_eq!(&segment.json, &Err(SegmentProblem::Base64(Base64Problem::Empty))),
                }
            }
        }
    }

    #[test]
    fn base64url_round_trips_any_bytes(bytes in prop::collection::vec(any::<u8>(), 1..300)) {
        prop_assert_eq!(base64url_decode(&URL_SAFE_NO_PAD.encode(&bytes)), Ok(bytes.clone()));
        prop_assert_eq!(base64url_decode(&URL_SAFE.encode(&bytes)), Ok(bytes.clone()));
        // Standard base64 is refused, by naming its first '+' or '/'.
        let standard = STANDARD.encode(&bytes);
        if let Some(index) = standard.find(['+', '/']) {
            let ch = standard[index..].chars().next().unwrap();
            prop_assert_eq!(
                base64url_decode(&standard),
                Err(Base64Problem::StandardAlphabet { ch, position: index + 1 })
            );
        }
    }

    /// Whatever is accepted is a base64url text of the decoded length.
    #[test]
    fn base64url_decode_any_string(input in prop_oneof![
        text(60),
        "[A-Za-z0-9_=-]{0,60}",
    ]) {
        match base64url_decode(&input) {
            Ok(bytes) => {
                let data = input.trim_end_matches('=');
                prop_assert!(!bytes.is_empty());
                prop_assert_eq!(URL_SAFE_NO_PAD.encode(&bytes).len(), data.len());
            }
            Err(Base64Problem::Empty) => prop_assert!(input.trim_end_matches('=').is_empty()),
            Err(_) => prop_assert!(!input.is_empty()),
        }
    }

    /// A token built from any header and payload objects gives them back, however it is pasted.
    #[test]
    fn jwt_decode_gives_back_the_objects(
        header in json_object(),
        payload in json_object(),
        sig in prop::collection::vec(any::<u8>(), 1..64),
        pasted in prop::sample::select(vec!["{}", "  {}\n", "Bearer {}", "bearer\t{}  "]),
    ) {
        let token = jwt_from(&header, &payload, &sig);
        let d = decode(&pasted.replace("{}", &token));
        prop_assert!(d.is_well_formed(), "{:?}", d.problems());
        prop_assert_eq!(d.header.json.as_ref(), Ok(&header));
        prop_assert_eq!(d.payload.json.as_ref(), Ok(&payload));
        prop_assert_eq!(d.signature.bytes.as_ref(), Ok(&sig));
        // One claim row per claim, each under its own name.
        let rows = claim_rows(&payload);
        let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        let mut keys: Vec<&str> = payload.keys().map(String::as_str).collect();
        keys.sort_unstable();
        prop_assert_eq!(names, keys);
    }

    /// The checks the UI runs on a token never panic, whatever its times and claims, and the
    /// expiry check passes exactly when exp is after now.
    #[test]
    fn token_checks_on_any_claims(
        extra in json_object(),
        exp in prop_oneof![edgy_i64(), (NOW - 100_000)..(NOW + 100_000)],
        iat in prop_oneof![edgy_i64(), (NOW - 100_000)..(NOW + 100_000)],
        iss in prop_oneof![
            text(30),
            "https://cognito-idp\\.[a-z]{2}-[a-z]{4,7}-[1-3]\\.amazonaws\\.com/[a-z]{2}-[a-z]{4,7}-[1-3]_[A-Za-z0-9]{1,9}",
        ],
        scope in prop_oneof![text(20), Just("demo/read demo/write".to_owned())],
        alg in prop_oneof![Just("RS256".to_owned()), Just("none".to_owned()), text(6)],
        skew in prop::option::of(edgy_i64()),
    ) {
        let mut claims = extra;
        claims.insert("exp".into(), json!(exp));
        claims.insert("iat".into(), json!(iat));
        claims.insert("iss".into(), json!(iss));
        claims.insert("scope".into(), json!(scope));
        claims.insert("token_use".into(), json!("access"));
        let header = json!({"alg": alg, "kid": "k1"}).as_object().unwrap().clone();
        let d = decode(&jwt_from(&header, &claims, b"sig"));
        let ctx = TokenContext { server_skew_secs: skew, ..fixed_context() };
        let checks = token_checks(&d, &Signature::Pending, &ctx);
        prop_assert_eq!(checks.len(), 11);
        let expiry = checks.iter().find(|c| c.name == "Expiry").unwrap();
        // By the server's clock when a Date header showed the local one more than 2 s off.
        let now = match skew {
            Some(s) if !(-2..=2).contains(&s) => NOW.saturating_add(s),
            _ => NOW,
        };
        prop_assert_eq!(expiry.status == Status::Pass, exp > now, "{:?}", expiry);
        prop_assert!(checks.iter().all(|c| !c.detail.trim().is_empty()));
    }

    /// The negative checks' tokens: any text is refused or turned into a header without a
    /// panic; from a readable token, the altered signature differs in its bytes only, and the
    /// altered payload adds an admin scope and keeps the rest.
    #[test]
    fn negative_tokens(
        input in prop_oneof![text(80), tricky_text(80)],
        header in json_object(),
        payload in json_object(),
        sig in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        for case in NegativeCase::all() {
            let _ = authorization_for(case, &input);
        }
        let token = jwt_from(&header, &payload, &sig);
        let altered = authorization_for(NegativeCase::AlteredSignature, &token).unwrap().unwrap();
        let altered = decode(altered.strip_prefix("Bearer ").unwrap());
        prop_assert!(altered.is_well_formed());
        prop_assert_eq!(altered.header.json.as_ref(), Ok(&header));
        prop_assert_eq!(altered.payload.json.as_ref(), Ok(&payload));
        let bytes = altered.signature.bytes.unwrap();
        prop_assert_eq!(bytes.len(), sig.len());
        prop_assert_ne!(bytes, sig.clone());
        let edited = authorization_for(NegativeCase::AlteredPayload, &token).unwrap().unwrap();
        let edited = decode(edited.strip_prefix("Bearer ").unwrap());
        prop_assert_eq!(edited.header.json.as_ref(), Ok(&header));
        prop_assert_eq!(edited.signature.bytes.as_ref(), Ok(&sig));
        let claims = edited.claims().unwrap();
        prop_assert!(claims.get("scope").and_then(Value::as_str).unwrap().ends_with("admin"));
        let mut rest = claims.clone();
        rest.remove("scope");
        let mut original = payload.clone();
        original.remove("scope");
        prop_assert_eq!(rest, original);
        prop_assert_eq!(authorization_for(NegativeCase::NoAuthorization, &input), Ok(None));
    }

    // -----------------------------------------------------------------------------------------
    // token
    // -----------------------------------------------------------------------------------------

    #[test]
    fn token_response_any_body(status in any::<u16>(), body in prop_oneof![
        text(100),
        json_value().prop_map(|v| v.to_string()),
    ]) {
        match parse_token_response(status, &body) {
            Ok(token) => {
                prop_assert!(!token.access_token.trim().is_empty());
                prop_assert!((200..300).contains(&status));
            }
            Err(failure) => prop_assert_eq!(failure.status(), status),
        }
    }

    /// A JSON object answer: a token comes out exactly when there is no `error`, a non-blank
    /// string access_token, and a 2xx status.
    #[test]
    fn token_response_objects(
        status in prop_oneof![200u16..300, any::<u16>()],
        mut object in json_object(),
        access_token in prop::option::of(prop_oneof![text(30).prop_map(Value::String), json_value()]),
        expires_in in prop::option::of(prop_oneof![any::<u64>().prop_map(Value::from), json_value()]),
        error in prop::option::of(json_value()),
    ) {
        for (key, value) in [("access_token", access_token), ("expires_in", expires_in), ("error", error)] {
            match value {
                Some(v) => { object.insert(key.into(), v); }
                None => { object.remove(key); }
            }
        }
        let result = parse_token_response(status, &Value::Object(object.clone()).to_string());
        let good_token = object
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty());
        let expect_ok = !object.contains_key("error") && good_token.is_some() && (200..300).contains(&status);
        prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
        if let Ok(token) = result {
            prop_assert_eq!(Some(token.access_token.as_str()), good_token);
            // RFC 6749 says a number; some servers send a string of digits.
            let expected_expiry = match object.get("expires_in") {
                Some(Value::Number(n)) => n.as_u64(),
                Some(Value::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            prop_assert_eq!(token.expires_in, expected_expiry);
            prop_assert!(!token.other_fields.iter().any(|f| f == "access_token"));
        }
    }

    /// `{"error": code}` with any code string and any status gives that code back.
    #[test]
    fn oauth_error_round_trips_the_code(
        status in any::<u16>(),
        code in prop_oneof![
            text(30),
            prop::sample::select(vec!["invalid_request", "invalid_client", "invalid_grant",
                "unauthorized_client", "unsupported_grant_type", "invalid_scope"]).prop_map(str::to_owned),
        ],
        description in prop::option::of(text(40)),
        pad in "[ \t\r\n]{0,3}",
    ) {
        let mut body = json!({ "error": code });
        if let Some(d) = &description {
            body["error_description"] = json!(d);
        }
        let result = parse_token_response(status, &format!("{pad}{body}{pad}"));
        let Err(TokenFailure::OAuth { status: got, code: parsed, description: got_description }) = result else {
            panic!("not an OAuth failure: {result:?}");
        };
        prop_assert_eq!(got, status);
        prop_assert_eq!(parsed.as_str(), code.as_str());
        prop_assert_eq!(&parsed, &OAuthErrorCode::parse(&code));
        prop_assert_eq!(got_description, description.filter(|d| !d.trim().is_empty()));
    }

    // -----------------------------------------------------------------------------------------
    // settings
    // -----------------------------------------------------------------------------------------

    #[test]
    fn token_endpoint_for_any_domain(
        domain in prop_oneof![
            text(40),
            tricky_text(40),
            "[a-z0-9-]{1,20}",
            "(https?://|HTTP://|ftp://)?[a-z0-9.-]{1,24}(:[0-9]{1,5})?(/[A-Za-z0-9._~%-]{0,12}){0,3}/?",
            "(https://)?[a-z0-9-]{1,12}\\.auth(-fips)?\\.[a-z]{2}-[a-z]{4,7}-[1-9]\\.amazoncognito\\.com(/oauth2/token)?/{0,2}",
            "(https?://)?(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{2,5})?(/[a-z]{0,6}){0,2}(/oauth2/token)?/{0,2}",
        ],
        region in prop_oneof![Just(String::new()), text(12), "[a-z]{2}-[a-z]{2,8}-[0-9]{1,2}"],
    ) {
        if let Ok(endpoint) = resolve_token_endpoint(&domain, &region) {
            prop_assert!(endpoint.url.ends_with("/oauth2/token"), "{:?} → {:?}", domain, endpoint.url);
            let url = url::Url::parse(&endpoint.url).unwrap();
            prop_assert!(matches!(url.scheme(), "https" | "http"));
            prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()));
            prop_assert!(url.query().is_none() && url.fragment().is_none());
            prop_assert!(url.path().ends_with("/oauth2/token"));
        }
    }

    /// A bare prefix and a region always make the hosted-domain URL — in every partition whose
    /// prefix-domain suffix is confirmed (not China: `cn-` regions ask for the full domain, see
    /// `regression_no_prefix_domain_in_china`).
    #[test]
    fn token_endpoint_for_a_prefix(
        prefix in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?",
        region in "([abd-z][a-z]|c[a-mo-z])-[a-z]{4,9}-[1-9]",
    ) {
        let endpoint = resolve_token_endpoint(&format!(" {prefix} "), &region).unwrap();
        prop_assert_eq!(
            endpoint.url,
            format!("https://{prefix}.auth.{region}.amazoncognito.com/oauth2/token")
        );
    }

    #[test]
    fn extra_headers_any_text(input in prop_oneof![text(120), tricky_text(120)]) {
        if let Ok(headers) = parse_extra_headers(&input) {
            let lines = input.lines().filter(|l| !l.trim().is_empty()).count();
            prop_assert_eq!(headers.len(), lines);
            for (name, value) in &headers {
                prop_assert!(!name.is_empty() && name.chars().all(is_tchar), "{:?}", name);
                prop_assert_eq!(value.trim(), value.as_str());
                // What the browser's Headers.set accepts: bytes, no CR, LF or NUL.
                prop_assert!(value.chars().all(|c| u32::from(c) <= 0xFF && !matches!(c, '\n' | '\r' | '\0')), "{:?}", value);
            }
        }
    }

    /// `Name: value` lines read back as written (surrounding spaces dropped). Each name is made
    /// distinct and kept off the Fetch standard's forbidden list (the field refuses both).
    #[test]
    fn extra_headers_round_trip(
        headers in prop::collection::vec(("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}", r"[^\n\r\x00\x{100}-\x{10FFFF}]{0,30}"), 0..8),
        blank in "[ \t]{0,2}",
    ) {
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .enumerate()
            .map(|(i, (n, v))| (format!("X-{i}-{n}"), v))
            .collect();
        let text: String = headers
            .iter()
            .map(|(n, v)| format!("{blank}{n}{blank}:{v}\n{blank}\n"))
            .collect();
        let parsed = parse_extra_headers(&text).unwrap();
        let expected: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.clone(), v.trim().to_owned()))
            .collect();
        prop_assert_eq!(parsed, expected);
    }

    // -----------------------------------------------------------------------------------------
    // import
    // -----------------------------------------------------------------------------------------

    #[test]
    fn import_any_text(input in prop_oneof![
        text(200),
        tricky_text(200),
        json_value().prop_map(|v| v.to_string()),
    ]) {
        match parse_import(&input) {
            Err(e) => prop_assert!(e.to_string().ends_with("The form was not changed.")),
            Ok(import) => {
                let v = &import.values;
                let values = [&v.client_id, &v.client_secret, &v.domain, &v.region, &v.scope, &v.api_url];
                prop_assert!(values.iter().any(|v| v.is_some()));
                for value in values.into_iter().flatten() {
                    prop_assert!(!value.is_empty() && value.trim() == value);
                }
            }
        }
    }

    /// Pastes shaped like the real formats, with any values: an error never quotes the secret
    /// and leaves nothing to apply; a success fills exactly the fields it found.
    #[test]
    fn import_formats(
        secret in marker(),
        values in prop::collection::vec(prop_oneof![
            3 => line_text(20).prop_map(Value::String),
            1 => json_value(),
        ], 5),
        mangle in prop::collection::vec(any::<bool>(), 5),
        shape in 0..5usize,
        current in settings(),
    ) {
        let mut inner = Map::new();
        for (i, key) in SECRET_KEYS.iter().enumerate() {
            if mangle[i] {
                let key = if i % 2 == 0 { key.to_ascii_lowercase() } else { (*key).to_owned() };
                inner.insert(key, values[i].clone());
            }
        }
        inner.insert("USER_POOL_CLIENT_SECRET".into(), json!(format!(" {secret} ")));
        let client = json!({
            "ClientId": values[0], "ClientSecret": secret, "UserPoolId": values[1],
            "AllowedOAuthScopes": values[2], "AllowedOAuthFlows": values[3],
        });
        let paste = match shape {
            0 => Value::Object(inner.clone()).to_string(),
            1 => json!({"ARN": "arn", "Name": "n", "SecretString": Value::Object(inner.clone()).to_string()}).to_string(),
            2 => json!({"UserPoolClient": client}).to_string(),
            3 => client.to_string(),
            _ => json!(Value::Object(inner.clone()).to_string()).to_string(),
        };
        match parse_import(&paste) {
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.contains(&secret), "{}", message);
                prop_assert!(message.ends_with("The form was not changed."));
            }
            Ok(import) => {
                prop_assert_eq!(import.values.client_secret.as_deref(), Some(secret.as_str()));
                let current_secret = Secret::new("the-secret-before");
                let (next, next_secret, summary) = import.apply(&current, &current_secret);
                let v = &import.values;
                prop_assert_eq!(next_secret.expose(), v.client_secret.as_deref().unwrap_or("the-secret-before"));
                for (field, value, before, after) in [
                    (Field::ClientId, &v.client_id, &current.client_id, &next.client_id),
                    (Field::Domain, &v.domain, &current.domain, &next.domain),
                    (Field::Region, &v.region, &current.region, &next.region),
                    (Field::Scope, &v.scope, &current.scope, &next.scope),
                    (Field::ApiUrl, &v.api_url, &current.api_url, &next.api_url),
                ] {
                    prop_assert_eq!(after, value.as_ref().unwrap_or(before));
                    prop_assert_eq!(summary.filled.contains(&field.label()), value.is_some());
                }
                // Fields the import never touches stay as they were.
                prop_assert_eq!(next.method, current.method);
                prop_assert_eq!(&next.api_body, &current.api_body);
                prop_assert_eq!(&next.extra_headers, &current.extra_headers);
                prop_assert_eq!(&next.jwks, &current.jwks);
                prop_assert_eq!(next.timeout_secs, current.timeout_secs);
                let message = summary.message();
                prop_assert!(!message.contains(&secret), "{}", message);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // share
    // -----------------------------------------------------------------------------------------

    /// A link reads back as the shared part of the settings; the secret is never in it, nor
    /// the value of a credential header.
    #[test]
    fn share_round_trip(
        mut s in settings(),
        secret in marker(),
        credential in marker(),
        header in prop::sample::select(vec!["Authorization", "cookie", "X-Api-Key", "proxy-AUTHORIZATION", "x-amz-security-token"]),
        at in 0..3usize,
    ) {
        // Settings has no field for the client secret: a link cannot carry it by construction.
        prop_assert!(!serde_json::to_string(&s).unwrap().contains("client_secret"));
        let _ = &secret;
        let mut lines: Vec<&str> = s.extra_headers.lines().collect();
        let credential_line = format!("{header}: Bearer {credential}");
        lines.insert(at.min(lines.len()), &credential_line);
        s.extra_headers = lines.join("\n");
        match to_fragment(&s) {
            Err(ShareError::TooLarge { bytes }) => prop_assert!(bytes > MAX_FRAGMENT_BYTES),
            Err(other) => prop_assert!(false, "{:?}", other),
            Ok(fragment) => {
                prop_assert!(fragment.len() <= MAX_FRAGMENT_BYTES);
                let shared = from_fragment(&fragment).unwrap();
                prop_assert_eq!(&shared, &SharedSettings::from_settings(&s));
                // Also from a whole link.
                prop_assert_eq!(from_fragment(&format!("https://tester.example/app/{fragment}")).unwrap(), shared.clone());
                let json = URL_SAFE_NO_PAD.decode(fragment.strip_prefix("#s=").unwrap()).unwrap();
                let json = String::from_utf8(json).unwrap();
                prop_assert!(!json.contains(&secret));
                prop_assert!(!json.contains(&credential));
                prop_assert!(withheld_headers(&s.extra_headers, &[]).iter().any(|h| h == header));
                let applied = shared.settings();
                prop_assert_eq!(&applied.api_url, &s.api_url);
            }
        }
    }

    #[test]
    fn share_from_any_fragment(input in prop_oneof![
        text(100),
        "#?s=[A-Za-z0-9_=-]{0,80}",
        json_value().prop_map(|v| format!("#s={}", b64(v.to_string().as_bytes()))),
    ]) {
        match from_fragment(&input) {
            Ok(shared) => prop_assert_eq!(shared.v, SHARE_VERSION),
            Err(ShareError::TooLarge { bytes }) => prop_assert!(bytes > MAX_FRAGMENT_BYTES),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // exchange
    // -----------------------------------------------------------------------------------------

    /// Every occurrence of every secret (1 character or more, the code's own minimum; `•` is
    /// what the mask is made of), as typed or URL-encoded, is gone, whatever surrounds it.
    #[test]
    fn redact_removes_every_secret(
        secrets in prop::collection::vec(
            tricky_text(24).prop_filter("non-empty, no mask character", |s| !s.is_empty() && !s.contains('•')),
            1..4,
        ),
        pieces in prop::collection::vec(tricky_text(20), 1..6),
        encoded in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            text.push_str(piece);
            let secret = &secrets[i % secrets.len()];
            if encoded && i % 2 == 1 {
                text.extend(url::form_urlencoded::byte_serialize(secret.as_bytes()));
            } else {
                text.push_str(secret);
            }
        }
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let out = redact_text(&text, &refs);
        for secret in &secrets {
            let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            let percent = form.replace('+', "%20");
            for pattern in [secret.as_str(), form.as_str(), percent.as_str()] {
                prop_assert!(!out.contains(pattern), "{:?} left in {:?} (from {:?})", pattern, out, text);
            }
        }
        prop_assert!(out.contains(REDACTED));
    }

    /// Text without the secret is left exactly as it was.
    #[test]
    fn redact_leaves_other_text_alone(text in tricky_text(80), secret in marker()) {
        prop_assert_eq!(redact_text(&text, &[secret.as_str()]), text.clone());
        prop_assert_eq!(redact_text(&text, &[]), text.clone());
        prop_assert_eq!(redact_text(&text, &[""]), text);
    }

    /// A recorded request loses the secret everywhere, and the Authorization value keeps only
    /// its scheme (and the start of a bearer token).
    #[test]
    fn redact_request_hides_secrets(
        secret in marker(),
        token in prop_oneof![
            "[A-Za-z0-9_-]{11,40}",
            "eyJ[A-Za-z0-9_-]{4,12}\\.[A-Za-z0-9_-]{4,12}\\.[A-Za-z0-9_-]{4,12}",
        ],
        prefix in tricky_text(10),
        basic in any::<bool>(),
    ) {
        let authorization = if basic {
            format!("Basic {}", STANDARD.encode(format!("id:{secret}")))
        } else {
            format!("Bearer {token}")
        };
        let req = RecordedRequest {
            method: "POST".into(),
            url: format!("https://h.example/{prefix}?secret={secret}"),
            headers: vec![
                ("Authorization".into(), authorization),
                ("X-Echo".into(), format!("{prefix}{secret}")),
            ],
            body: Some(format!("client_secret={secret}&x={prefix}")),
        };
        let red = redact_request(&req, &Masker::new(&[secret.as_str(), token.as_str()]));
        let all = format!("{red:?}");
        prop_assert!(!all.contains(&secret));
        prop_assert!(!all.contains(&token));
        let auth = &red.headers[0].1;
        if basic {
            prop_assert_eq!(auth.as_str(), format!("Basic {REDACTED}"));
        } else if token.starts_with("eyJ") && token.matches('.').count() == 2 {
            // A JWT keeps the start of its header, which is public; an opaque key keeps nothing.
            prop_assert_eq!(auth.clone(), format!("Bearer {}…(redacted)", &token[..10]));
        } else {
            prop_assert_eq!(auth.as_str(), format!("Bearer {REDACTED}"));
        }
    }

    #[test]
    fn truncate_chars_cuts_on_characters(text in prop_oneof![text(60), tricky_text(60)], max in 0..80usize) {
        let (shown, hidden) = truncate_chars(&text, max);
        let total = text.chars().count();
        prop_assert!(text.starts_with(shown));
        prop_assert!(text.is_char_boundary(shown.len()));
        prop_assert_eq!(shown.chars().count(), total.min(max));
        prop_assert_eq!(shown.chars().count() + hidden, total);
    }

    /// Any body is shown somehow; a JSON body is re-indented without changing its value.
    #[test]
    fn body_view_any_body(
        body in prop_oneof![
            text(100),
            tricky_text(100),
            json_value().prop_map(|v| v.to_string()),
            json_value().prop_map(|v| serde_json::to_string_pretty(&v).unwrap()),
            json_value().prop_map(|v| format!(" \n{}\t", v.to_string().replace(',', " ,\n ").replace(':', " : "))),
        ],
        content_type in prop::option::of(text(10)),
    ) {
        match body_view(&body, content_type.as_deref()) {
            BodyView::Empty => prop_assert!(body.trim().is_empty()),
            BodyView::Text(shown) => {
                prop_assert_eq!(&shown, &body);
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&body).is_err());
            }
            BodyView::Json(pretty) => {
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&pretty).is_ok(), "{:?}", pretty);
                if let Ok(value) = serde_json::from_str::<Value>(&body) {
                    prop_assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), value);
                }
            }
        }
    }

    /// The preview is the whole view (pretty or raw, masked) cut short; only its start is
    /// computed, yet a secret that the cut falls inside is masked whole: no piece of it is left.
    #[test]
    fn body_preview_is_the_masked_view_cut_short(
        body in prop_oneof![
            tricky_text(120),
            json_value().prop_map(|v| v.to_string()),
            json_value().prop_map(|v| serde_json::to_string_pretty(&v).unwrap()),
        ],
        secret in marker(),
        at in any::<prop::sample::Index>(),
        raw in any::<bool>(),
        max in 0..160usize,
    ) {
        // The secret somewhere in a JSON string or in the text, where the cut may fall inside it.
        let with_secret = match serde_json::from_str::<Value>(&body) {
            Ok(_) if !raw => format!("[{}, \"{}\"]", body, secret),
            _ => {
                let cut = body.char_indices().map(|(i, _)| i).chain([body.len()]).nth(at.index(body.chars().count() + 1)).unwrap();
                format!("{}{}{}", &body[..cut], secret, &body[cut..])
            }
        };
        let whole = body_preview(&with_secret, raw, &Masker::new(&[secret.as_str()]), None);
        prop_assert!(!whole.cut);
        let preview = body_preview(&with_secret, raw, &Masker::new(&[secret.as_str()]), Some(max));
        let (expected, hidden) = truncate_chars(&whole.text, max);
        prop_assert_eq!(preview.text.as_str(), expected);
        prop_assert_eq!(preview.cut, hidden > 0);
        // No run of five of the secret's characters is visible.
        for start in 0..secret.len().saturating_sub(4) {
            let piece = &secret[start..start + 5];
            prop_assert!(!preview.text.contains(piece), "{:?} visible in {:?}", piece, preview.text);
        }
    }

    // -----------------------------------------------------------------------------------------
    // proxy
    // -----------------------------------------------------------------------------------------

    #[test]
    fn proxied_path_any_text(input in prop_oneof![text(60), tricky_text(60)], route in route()) {
        if let Ok(path) = proxied_path(&input, route) {
            prop_assert!(path.starts_with(route.prefix()));
            prop_assert!(!path.contains('#'));
            prop_assert!(backend_origin(&input).is_ok());
        }
        let _ = trunk_proxy_block(&input, &input, Some(&input), Some(&input));
    }

    /// For an http(s) URL the route keeps the whole path and query, and drops the fragment.
    #[test]
    fn proxied_path_keeps_path_and_query(
        https in any::<bool>(),
        host in "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){0,3}".prop_filter("punycode", |h| !h.contains("xn--")),
        port in prop::option::of(1u16..),
        segments in prop::collection::vec("[A-Za-z0-9_~.-]{1,8}".prop_filter("dot segment", |s| s != "." && s != ".."), 0..4),
        trailing_slash in any::<bool>(),
        query in "[A-Za-z0-9=&_.~-]{0,20}",
        fragment in prop::option::of("[a-z0-9]{0,6}"),
        route in route(),
    ) {
        let scheme = if https { "https" } else { "http" };
        let authority = match port {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let mut path = segments.join("/");
        if trailing_slash && !path.is_empty() {
            path.push('/');
        }
        let mut url = format!("{scheme}://{authority}/{path}");
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        if let Some(f) = &fragment {
            url.push('#');
            url.push_str(f);
        }
        let mut expected = format!("{}{path}", route.prefix());
        if !query.is_empty() {
            expected.push('?');
            expected.push_str(&query);
        }
        prop_assert_eq!(proxied_path(&format!(" {url}\n"), route), Ok(expected));
        let default_port = if https { 443 } else { 80 };
        let origin = match port {
            Some(p) if p != default_port => format!("{scheme}://{host}:{p}/"),
            _ => format!("{scheme}://{host}/"),
        };
        prop_assert_eq!(backend_origin(&url), Ok(origin.clone()));
        let block = trunk_proxy_block(&url, &url, None, None).unwrap();
        prop_assert_eq!(block.matches("[[proxy]]").count(), 2);
        let backend_line = format!("backend = \"{origin}\"");
        prop_assert!(block.contains(&backend_line));
    }

    // -----------------------------------------------------------------------------------------
    // assertions
    // -----------------------------------------------------------------------------------------

    /// Within the documented limits (no pointer containing `==`, no surrounding spaces, one
    /// line each), the assertions field reads back what it shows.
    #[test]
    fn assertions_round_trip(list in prop::collection::vec(assertion(), 0..8)) {
        prop_assert_eq!(parse_lines(&to_lines(&list)), Ok(list.clone()));
    }

    #[test]
    fn assertions_parse_any_text(input in prop_oneof![text(100), tricky_text(100)]) {
        if let Ok(list) = parse_lines(&input) {
            // What was read is written back in a form that reads the same again.
            prop_assert_eq!(parse_lines(&to_lines(&list)), Ok(list.clone()));
        }
    }

    #[test]
    fn assertions_evaluate_any_body(
        list in prop::collection::vec(assertion(), 0..8),
        status in prop::option::of(prop_oneof![100u16..600, any::<u16>()]),
        body in prop_oneof![
            text(80),
            tricky_text(80),
            json_value().prop_map(|v| v.to_string()),
        ],
        elapsed_ms in prop_oneof![any::<f64>(), 0.0..5000.0f64],
    ) {
        let facts = ResponseFacts { status, body: &body, elapsed_ms, content_type: None };
        let results = evaluate(&list, &facts, &cognito_api_tester::core::exchange::Masker::new(&[]));
        prop_assert_eq!(results.len(), list.len());
        for (assertion, result) in list.iter().zip(&results) {
            prop_assert_eq!(&result.assertion, &assertion.describe());
            prop_assert!(!result.actual.is_empty());
            if status.is_none() {
                prop_assert!(!result.passed);
                continue;
            }
            match assertion {
                Assertion::Status { expected } => prop_assert_eq!(result.passed, status == Some(*expected)),
                // No Content-Type here: nothing declared JSON, so it passes.
                Assertion::JsonIfDeclared => prop_assert!(result.passed),
                Assertion::StatusClass { class } => prop_assert_eq!(
                    result.passed,
                    status.is_some_and(|s| (u16::from(*class) * 100..u16::from(*class) * 100 + 100).contains(&s))
                ),
                Assertion::BodyContains { text } => prop_assert_eq!(result.passed, body.contains(text.as_str())),
                Assertion::LatencyUnder { ms } => prop_assert_eq!(
                    result.passed,
                    elapsed_ms.is_finite() && elapsed_ms >= 0.0 && elapsed_ms < *ms as f64
                ),
                Assertion::JsonLength { expected } => {
                    let length = match serde_json::from_str::<Value>(&body) {
                        Ok(Value::Array(items)) => Some(items.len()),
                        Ok(Value::Object(map)) => Some(map.len()),
                        _ => None,
                    };
                    prop_assert_eq!(result.passed, length == Some(*expected));
                }
                Assertion::JsonPointerEquals { .. } => {
                    if result.passed {
                        prop_assert!(serde_json::from_str::<Value>(&body).is_ok());
                    }
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // canary
    // -----------------------------------------------------------------------------------------

    /// The CSV export has a header and one record per run, whatever the notes hold, and each
    /// note reads back as written (after the formula guard).
    #[test]
    fn canary_csv_one_record_per_run(runs in prop::collection::vec(run_record(), 0..12)) {
        let mut history = History::default();
        for run in &runs {
            history.push(run.clone());
        }
        let csv = history.to_csv();
        let records = parse_csv(&csv);
        prop_assert_eq!(records.len(), runs.len() + 1);
        prop_assert_eq!(
            records[0].join(","),
            "started_at_utc,passed,outcome,status,token_fetched,token_ms,api_ms,token_note,first_failure"
        );
        for (run, record) in runs.iter().zip(&records[1..]) {
            prop_assert_eq!(record.len(), 9);
            prop_assert_eq!(&record[0], &expected_iso(run.started_at_unix_ms));
            prop_assert_eq!(&record[1], &run.passed.to_string());
            prop_assert_eq!(&record[2], &run.outcome);
            prop_assert_eq!(&record[3], &run.status.map(|s| s.to_string()).unwrap_or_default());
            prop_assert_eq!(&record[4], &run.token_fetched.to_string());
            for (field, ms) in [(&record[5], run.token_ms), (&record[6], run.api_ms)] {
                match ms.filter(|v| v.is_finite()) {
                    None => prop_assert_eq!(field.as_str(), ""),
                    Some(v) => {
                        let back: f64 = field.parse().unwrap();
                        prop_assert!((back - v).abs() <= 0.05 + v.abs() * 1e-12, "{} for {}", field, v);
                    }
                }
            }
            prop_assert_eq!(&record[7], &guarded(run.token_note.as_deref()));
            prop_assert_eq!(&record[8], &guarded(run.first_failure.as_deref()));
        }
        let json: Value = serde_json::from_str(&history.to_json()).unwrap();
        prop_assert_eq!(json.as_array().map(Vec::len), Some(runs.len()));
    }

    // -----------------------------------------------------------------------------------------
    // clock_skew
    // -----------------------------------------------------------------------------------------

    /// Every second from 1970 to the end of 9999 reads back from its IMF-fixdate.
    #[test]
    fn http_date_round_trips(unix in prop_oneof![0i64..=253_402_300_799, 0i64..4_102_444_800]) {
        let date = http_date(unix);
        prop_assert_eq!(parse_http_date(&date), Some(unix), "{}", date);
    }

    #[test]
    fn http_date_any_text(
        input in prop_oneof![
            text(40),
            "[A-Za-z]{3}, [0-9]{1,3} [A-Z][a-z]{2} -?[0-9]{1,20} [0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3} GMT",
        ],
    ) {
        if let Some(unix) = parse_http_date(&input) {
            prop_assert!((-62_167_219_200..=253_402_387_200).contains(&unix), "{} → {}", input, unix);
        }
    }

    /// Any fields, however large, give an answer or nothing, never a panic.
    #[test]
    fn http_date_any_numbers(day in edgy_i64(), year in edgy_i64(), h in edgy_i64(), m in edgy_i64(), s in edgy_i64(), month in 0..12usize) {
        let _ = parse_http_date(&format!("Mon, {day} {} {year} {h}:{m}:{s} GMT", MONTHS[month]));
        let _ = parse_http_date(&format!("Mon, 01 {} {year} 00:00:00 GMT", MONTHS[month]));
    }

    /// The skew is the server's Date minus the request's midpoint, for any local clock value.
    #[test]
    fn skew_from_any_exchange(
        server in 0i64..=253_402_300_799,
        started_at_unix_ms in prop_oneof![any::<f64>(), 0.0..4.1e12f64],
        elapsed_ms in prop_oneof![any::<f64>(), 0.0..60_000.0f64],
    ) {
        let exchange = Exchange {
            request: RecordedRequest { method: "GET".into(), url: "https://h.example/".into(), headers: vec![], body: None },
            response: Some(RecordedResponse {
                status: 200,
                status_text: String::new(),
                headers: vec![("Date".into(), http_date(server))],
                body: String::new(),
                size_bytes: 0,
                body_was_utf8: true,
            }),
            elapsed_ms,
            started_at_unix_ms,
        };
        let skew = skew_from_exchange(&exchange);
        let midpoint = started_at_unix_ms + elapsed_ms / 2.0;
        prop_assert_eq!(skew.is_some(), midpoint.is_finite());
        if midpoint.is_finite() && midpoint.abs() < 1e15 {
            prop_assert_eq!(skew, Some(server - (midpoint / 1000.0).round() as i64));
        }
    }

    // -----------------------------------------------------------------------------------------
    // diagnosis
    // -----------------------------------------------------------------------------------------

    #[test]
    fn token_failure_diagnosis_is_complete(
        failure in token_failure(),
        auth in client_auth(),
        scope in text(30),
    ) {
        non_empty(&token_failure_with_scope(&failure, auth, &scope));
    }

    #[test]
    fn api_failure_diagnosis_is_complete(
        status in prop_oneof![any::<u16>(), prop::sample::select(vec![401u16, 403, 404, 429, 500, 502, 503, 504])],
        body in prop_oneof![
            text(60),
            line_text(40).prop_map(|m| json!({"message": m}).to_string()),
            prop::sample::select(vec!["The incoming token has expired", "Unauthorized", "Missing Authentication Token",
                "Invalid key=value pair (missing equal-sign) in Authorization header", "User is not authorized to access this resource",
                "Forbidden", "Endpoint request timed out", "Internal server error"])
                .prop_map(|m| json!({"Message": m}).to_string()),
        ],
        headers in prop::collection::vec((
            prop_oneof![
                prop::sample::select(vec!["x-amzn-ErrorType", "www-authenticate", "content-type", "x-amzn-RequestId"]).prop_map(str::to_owned),
                text(10),
            ],
            text(30),
        ), 0..4),
    ) {
        match api_failure(status, &body, &headers) {
            None => prop_assert!((200..300).contains(&status)),
            Some(d) => {
                prop_assert!(!(200..300).contains(&status));
                non_empty(&d);
            }
        }
    }

    #[test]
    fn network_and_interrupted_diagnoses_are_complete(
        step in step(),
        failure in prop_oneof![
            any::<u32>().prop_map(|after_ms| NetworkFailure::TimedOut { after_ms }),
            Just(NetworkFailure::Cancelled),
            Just(NetworkFailure::CorsBlocked),
            Just(NetworkFailure::Unreachable),
        ],
        url in prop_oneof![text(40), "https?://[a-z0-9.-]{1,20}(:[0-9]{1,5})?/[a-z/]{0,10}", "/proxy/(token|api|jwks)/[a-z]{0,8}"],
        via_proxy in any::<bool>(),
        message in text(40),
    ) {
        non_empty(&network_failure(step, failure, &url, via_proxy));
        non_empty(&body_interrupted(step, &message));
    }
}

// ---------------------------------------------------------------------------------------------
// Generators used inside proptest! (defined after it for readability).
// ---------------------------------------------------------------------------------------------

/// A JSON pointer that [`parse_lines`] can read back: escaped tokens, no `==`, no surrounding
/// whitespace, one line.
fn pointer() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        4 => prop::collection::vec(line_text(8), 1..4).prop_map(|tokens| {
            tokens
                .iter()
                .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
                .collect::<String>()
        }),
    ]
    .prop_filter("no ==, no surrounding whitespace", |p| {
        !p.contains("==") && p.trim() == p
    })
}

/// One line of text with no surrounding whitespace, not empty.
fn trimmed_line(max: usize) -> impl Strategy<Value = String> {
    line_text(max).prop_filter_map("blank", |s| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    })
}

fn assertion() -> impl Strategy<Value = Assertion> {
    prop_oneof![
        (100u16..=599).prop_map(|expected| Assertion::Status { expected }),
        (1u8..=5).prop_map(|class| Assertion::StatusClass { class }),
        Just(Assertion::JsonIfDeclared),
        any::<usize>().prop_map(|expected| Assertion::JsonLength { expected }),
        (pointer(), trimmed_line(20))
            .prop_map(|(pointer, expected)| Assertion::JsonPointerEquals { pointer, expected }),
        trimmed_line(20).prop_map(|text| Assertion::BodyContains { text }),
        (1u64..).prop_map(|ms| Assertion::LatencyUnder { ms }),
    ]
}

fn run_record() -> impl Strategy<Value = RunRecord> {
    let ms = || prop::option::of(prop_oneof![any::<f64>(), 0.0..10_000.0f64]);
    let note = || prop::option::of(tricky_text(40));
    (
        prop_oneof![any::<f64>(), 0.0..253_402_300_800_000.0f64],
        ms(),
        any::<bool>(),
        note(),
        ms(),
        any::<Option<u16>>(),
        any::<bool>(),
        note(),
    )
        .prop_map(
            |(
                started_at_unix_ms,
                token_ms,
                token_fetched,
                token_note,
                api_ms,
                status,
                passed,
                first_failure,
            )| RunRecord {
                started_at_unix_ms,
                token_ms,
                token_fetched,
                token_note,
                api_ms,
                status,
                passed,
                outcome: if passed { "PASS" } else { "FAIL" }.to_owned(),
                first_failure,
            },
        )
}

/// What the CSV should hold for a note: a leading formula character gets an apostrophe.
fn guarded(note: Option<&str>) -> String {
    match note {
        Some(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Some(t) => t.to_owned(),
        None => String::new(),
    }
}

/// The CSV's time column for a start time, by the test's own calendar from 1970 on.
fn expected_iso(ms: f64) -> String {
    if !(0.0..253_402_300_800_000.0).contains(&ms) {
        // Before 1970 the code's own calendar is trusted (its unit tests cover it); outside
        // the years 1–9999 and for NaN it writes nothing.
        return iso_utc_ms(ms);
    }
    let ms = ms.floor() as i64;
    let (year, month, day, h, m, s, _) = civil(ms / 1000);
    format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{:03}Z",
        ms % 1000
    )
}

fn token_failure() -> impl Strategy<Value = TokenFailure> {
    let code = prop_oneof![
        text(20).prop_map(|c| OAuthErrorCode::parse(&c)),
        prop::sample::select(vec![
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
        ])
        .prop_map(OAuthErrorCode::parse),
    ];
    prop_oneof![
        (any::<u16>(), code, prop::option::of(text(40))).prop_map(|(status, code, description)| {
            TokenFailure::OAuth {
                status,
                code,
                description,
            }
        }),
        any::<u16>().prop_map(|status| TokenFailure::EmptyBody { status }),
        (any::<u16>(), text(80))
            .prop_map(|(status, snippet)| TokenFailure::NotJson { status, snippet }),
        any::<u16>().prop_map(|status| TokenFailure::MissingAccessToken { status }),
        any::<u16>().prop_map(|status| TokenFailure::UnexpectedStatus { status }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Regressions: the cases the properties above found, kept as plain examples.

/// The 10,000-case run drew a `cn-` region: no prefix domain is built there (its suffix is not
/// confirmed), and the form asks for the full domain instead.
#[test]
fn regression_no_prefix_domain_in_china() {
    assert!(resolve_token_endpoint("my-pool", "cn-north-1").is_err());
    assert!(resolve_token_endpoint("my-pool", "us-gov-west-1").is_ok());
}

/// A fresh clone's CI drew `"===="`: padding alone decoded to zero bytes, as if it were data.
#[test]
fn regression_base64url_padding_alone() {
    for input in ["=", "==", "===", "===="] {
        assert_eq!(
            base64url_decode(input),
            Err(Base64Problem::Empty),
            "{input}"
        );
    }
}
// ---------------------------------------------------------------------------------------------

/// A pasted `…/oauth2/token/` kept its trailing slash, so the request went to another path.
#[test]
fn regression_token_path_with_trailing_slash() {
    for domain in [
        "localhost/oauth2/token/",
        "https://auth.example.com/oauth2/token//",
        "my-pool.auth.eu-west-1.amazoncognito.com/oauth2/token/",
    ] {
        let url = resolve_token_endpoint(domain, "").unwrap().url;
        assert!(url.ends_with("/oauth2/token"), "{domain} → {url}");
    }
}

/// A Date header with a year beyond four digits overflowed the day count.
#[test]
fn regression_http_date_with_a_huge_year() {
    assert_eq!(
        parse_http_date("Mon, 01 Jan 292277026597 00:00:00 GMT"),
        None
    );
    assert_eq!(parse_http_date("Mon, 01 Jan 10000 00:00:00 GMT"), None);
    assert_eq!(
        parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
        Some(253_402_300_799)
    );
}

/// A local clock value far from now overflowed the skew (server minus local).
#[test]
fn regression_skew_with_an_extreme_local_clock() {
    let exchange = Exchange {
        request: RecordedRequest {
            method: "GET".into(),
            url: "https://h.example/".into(),
            headers: vec![],
            body: None,
        },
        response: Some(RecordedResponse {
            status: 200,
            status_text: String::new(),
            headers: vec![("Date".into(), "Thu, 01 Jan 1970 00:00:00 GMT".into())],
            body: String::new(),
            size_bytes: 0,
            body_was_utf8: true,
        }),
        elapsed_ms: -2.5e120,
        started_at_unix_ms: 0.0,
    };
    assert_eq!(skew_from_exchange(&exchange), Some(i64::MAX));
}

/// An `exp` or `iat` near i64::MIN overflowed "exp − now" in the Expiry and Issued at checks,
/// and a skew of i64::MIN overflowed its negation.
#[test]
fn regression_token_checks_with_extreme_times() {
    let header = json!({"alg": "RS256", "kid": "k1"})
        .as_object()
        .unwrap()
        .clone();
    for time in [i64::MIN, i64::MIN + 1, i64::MAX] {
        let claims = json!({"exp": time, "iat": time, "token_use": "access"})
            .as_object()
            .unwrap()
            .clone();
        let d = decode(&jwt_from(&header, &claims, b"sig"));
        let ctx = TokenContext {
            server_skew_secs: Some(i64::MIN),
            ..fixed_context()
        };
        let checks = token_checks(&d, &Signature::Pending, &ctx);
        let expiry = checks.iter().find(|c| c.name == "Expiry").unwrap();
        assert_eq!(expiry.status == Status::Pass, time > NOW);
    }
}

// ---------------------------------------------------------------------------------------------
// AWS names (core::aws): never panic on any text; what is built parses back.

fn aws_region() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{2}-[a-z]{4,9}-[1-9]",
        "cn-(north|northwest)-[1-9]",
        "us-gov-(west|east)-[1-9]",
        "eusc-[a-z]{2}-(east|west)-[1-9]",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn aws_parsers_never_panic(s in text(80)) {
        let _ = aws::parse_region(&s);
        let _ = aws::parse_pool_id(&s);
        let _ = aws::parse_cognito_idp_host(&s);
        let _ = aws::parse_cognito_domain_host(&s);
        let _ = aws::parse_execute_api_host(&s);
        let _ = aws::is_loopback_host(&s);
        let _ = aws::is_domain_prefix(&s);
    }

    #[test]
    fn aws_built_names_parse_back(
        region in aws_region(),
        id in "[A-Za-z0-9]{1,12}",
        prefix in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?",
        api_id in "[a-z0-9]{10}",
        fips in any::<bool>(),
    ) {
        let r = aws::parse_region(&region).unwrap();
        prop_assert_eq!(r.as_str(), region.as_str());
        prop_assert_eq!(aws::parse_cognito_idp_host(&aws::cognito_idp_host(&r)), Some(r.clone()));

        let pool = aws::parse_pool_id(&format!("{region}_{id}")).unwrap();
        prop_assert_eq!(&pool.region, &r);
        prop_assert_eq!(pool.to_string(), format!("{region}_{id}"));
        let issuer = parse_issuer(&aws::issuer_url(&pool)).unwrap();
        prop_assert_eq!(issuer.region, region.clone());
        prop_assert_eq!(issuer.pool_id, pool.to_string());

        let api = aws::ExecuteApiHost { api_id, region: r.clone() };
        prop_assert_eq!(aws::parse_execute_api_host(&api.host()), Some(api));

        let domain = aws::CognitoDomain { prefix, region: r.clone(), fips };
        match domain.host() {
            Ok(host) => prop_assert_eq!(aws::parse_cognito_domain_host(&host), Some(domain)),
            Err(e) => prop_assert_eq!(
                e,
                aws::DomainError::NoPrefixDomains(r.partition())
            ),
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// GetClientToken's answer is read without panicking, and an echoed secret never comes back
    /// in what the tool shows (message, snippet, diagnosis).
    #[test]
    fn client_token_answers_never_leak_the_secret(
        status in any::<u16>(),
        secret in "[A-Za-z0-9+/=]{24,64}",
        noise in text(40),
        shape in 0..4u8,
    ) {
        let body = match shape {
            0 => format!(r#"{{"__type":"NotAuthorizedException","message":"{noise} {secret}"}}"#),
            1 => format!("<html>{noise}{secret}</html>"),
            2 => noise.clone(),
            _ => format!(r#"{{"ClientAuthenticationResult":{{"AccessToken":"{noise}"}}}}"#),
        };
        if let Err(failure) = client_token::parse_client_token_response(status, &body, &secret) {
            prop_assert!(!failure.to_string().contains(&secret));
            let d = diagnosis::client_token_failure(&failure, "");
            prop_assert!(!d.what.contains(&secret));
            prop_assert!(!d.cause.contains(&secret) && !d.fix.contains(&secret));
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The AWS and RFC 6749 Basic forms differ exactly when the secret has a character
    /// URL-encoding changes (the characters invalid_client names).
    #[test]
    fn basic_forms_differ_only_on_sensitive_characters(secret in text(40)) {
        use cognito_api_tester::core::token::{
            basic_authorization, basic_authorization_rfc6749, url_encoding_sensitive_chars,
        };
        let same = basic_authorization("id", &secret) == basic_authorization_rfc6749("id", &secret);
        prop_assert_eq!(same, url_encoding_sensitive_chars(&secret).is_empty());
    }

    /// Client metadata text never panics the validator, and accepted metadata written out as
    /// JSON reads back the same.
    #[test]
    fn client_metadata_round_trip(
        text_in in text(60),
        pairs in prop::collection::btree_map("[a-z]{1,8}", text(12), 0..5),
    ) {
        use cognito_api_tester::core::client_metadata::{metadata_json, parse_client_metadata};
        let _ = parse_client_metadata(&text_in);
        match metadata_json(&pairs) {
            Some(json) => prop_assert_eq!(parse_client_metadata(&json).unwrap(), pairs),
            None => prop_assert!(pairs.is_empty()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// hosting: the Proxy setup panel's copyable blocks
// ---------------------------------------------------------------------------------------------

/// A piece of a field value, rich in what breaks out of shell, TOML and comments.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9-]{1,8}",
        2 => prop::collection::vec(
            prop::sample::select(vec![
                '\n', '\r', '\u{2028}', '\u{85}', '\0', '$', '`', '\'', '"', '\\', ';', '&', '|', '#',
                '*', '(', ')', '<', '>', ' ', '!', '{', '}', '~', '?', 'a', '-', '.', '/', '=', '%',
            ]),
            1..8,
        )
        .prop_map(String::from_iter),
        1 => tricky_text(12),
    ]
}

fn hosting_token_url() -> impl Strategy<Value = String> {
    prop_oneof![
        (hostile_piece(), hostile_piece())
            .prop_map(|(p, r)| format!("https://{p}.auth.{r}.amazoncognito.com/oauth2/token")),
        hostile_piece().prop_map(|h| format!("https://{h}/oauth2/token")),
        Just("https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token".to_owned()),
        tricky_text(40),
    ]
}

fn hosting_api_url() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            hostile_piece(),
            hostile_piece(),
            hostile_piece(),
            hostile_piece()
        )
            .prop_map(|(id, region, stage, rest)| {
                format!("https://{id}.execute-api.{region}.amazonaws.com/{stage}/{rest}")
            }),
        (hostile_piece(), hostile_piece()).prop_map(|(stage, rest)| {
            format!("https://a1b2.execute-api.us-east-1.amazonaws.com/{stage}/{rest}")
        }),
        tricky_text(40),
    ]
}

fn hosting_region() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("eu-west-1".to_owned()),
        hostile_piece().prop_map(|p| format!("us-east-1{p}")),
        hostile_piece(),
    ]
}

/// A line a POSIX shell reads as one command with no expansion, redirection, list or comment outside quotes:
/// single quotes closed on the same line, nothing but plain characters outside them.
fn is_inert_shell_line(line: &str) -> bool {
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => quoted = !quoted,
            _ if quoted => {}
            // `'\''`: the one way shell_quote writes a quote inside a quoted word.
            '\\' if chars.next() == Some('\'') => {}
            c => {
                if !(c.is_ascii_alphanumeric() || " @%+=:,./_-".contains(c)) {
                    return false;
                }
            }
        }
    }
    !quoted
}

/// A TOML line of the Trunk block: a comment, the table header, or `key = "basic string"` with nothing raw in it
/// that TOML forbids (control characters) or that would end the string (an unescaped `"`).
fn is_valid_toml_line(line: &str) -> bool {
    if line.is_empty() || line == "[[proxy]]" {
        return true;
    }
    if let Some(comment) = line.strip_prefix('#') {
        return !comment.chars().any(|c| c.is_control() && c != '\t');
    }
    let Some((key, value)) = line.split_once(" = ") else {
        return false;
    };
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            // An escape: one of the few TOML knows (the guard consumes the escaped character).
            '\\' if !matches!(chars.next(), Some('"' | '\\' | 'u' | 'n' | 't' | 'r')) => {
                return false
            }
            '"' => return false,
            c if c.is_control() => return false,
            _ => {}
        }
    }
    matches!(key, "rewrite" | "backend")
}

proptest! {
    #![proptest_config(config())]

    /// For any field values, every line of the generated shell is a comment or an inert command line, and the
    /// Trunk.toml block is valid TOML line by line: no value can end a comment, a quote or a string and add code.
    #[test]
    fn hosting_blocks_never_let_a_value_out(
        token_url in hosting_token_url(),
        api_url in hosting_api_url(),
        region in hosting_region(),
        idp in proptest::option::of(hosting_token_url()),
    ) {
        let values = HostingValues {
            token_url: &token_url,
            api_url: &api_url,
            region: &region,
            client_token_url: idp.as_deref(),
            extra_headers: &[],
        };
        let [trunk, cloudfront, cors] = setup_blocks(&values, DEFAULT_STACK_NAME);
        for (title, block) in [&cloudfront, &cors] {
            prop_assert!(block.ends_with('\n'), "{}", title);
            for line in block.split('\n').filter(|l| !l.is_empty()) {
                let line_ok = if line.starts_with('#') {
                    !line.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
                } else {
                    is_inert_shell_line(line)
                };
                prop_assert!(line_ok, "{}: {:?} in {:?}", title, line, block);
            }
        }
        for line in trunk.1.split('\n') {
            prop_assert!(
                is_valid_toml_line(line) || (line.starts_with('#') && !line.chars().any(char::is_control)),
                "{}: {:?} in {:?}", trunk.0, line, trunk.1
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Authorization matrix: API Gateway exports
// ---------------------------------------------------------------------------------------------

/// A path template: segments of letters and `{params}`, sometimes repeated across draws so the
/// same path comes twice into one export (a JSON object keeps one of them).
fn export_path() -> impl Strategy<Value = String> {
    let seg = prop_oneof![
        3 => "[a-z]{1,6}",
        1 => "\\{[a-z]{1,4}\\}",
        1 => Just("{proxy+}".to_string()),
    ];
    prop::collection::vec(seg, 0..4).prop_map(|s| format!("/{}", s.join("/")))
}

const EXPORT_VERBS: [(&str, &str); 8] = [
    ("get", "GET"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("x-amazon-apigateway-any-method", "ANY"),
];

/// One method object: no security, a known scheme with scopes, or an API key beside one.
fn export_method() -> impl Strategy<Value = Value> {
    let scheme = prop::sample::select(vec!["pool", "jwt", "lambda", "iam", "api_key"]);
    let scopes = prop::collection::vec("[a-z]{1,5}/[a-z]{1,5}", 0..3);
    prop_oneof![
        Just(json!({"responses": {}})),
        (scheme, scopes).prop_map(|(s, scopes)| json!({"security": [{s: scopes}]})),
    ]
}

fn export_document() -> impl Strategy<Value = (Value, Vec<(String, String)>)> {
    let item = prop::collection::vec(
        (prop::sample::select(EXPORT_VERBS.to_vec()), export_method()),
        0..5,
    );
    (
        any::<bool>(),
        prop::collection::vec((export_path(), item), 1..8),
    )
        .prop_map(|(oas, paths)| {
            let mut path_map = Map::new();
            for (path, methods) in paths {
                let mut item = Map::new();
                for ((key, _), method) in methods {
                    item.insert(key.to_string(), method);
                }
                // The last draw of a repeated path wins, as in the JSON text.
                path_map.insert(path, Value::Object(item));
            }
            let mut expected: Vec<(String, String)> = Vec::new();
            for (path, item) in &path_map {
                for (key, verb) in EXPORT_VERBS {
                    if item.get(key).is_some() {
                        expected.push((path.clone(), verb.to_string()));
                    }
                }
            }
            let schemes = json!({
                "pool": {"type": "apiKey", "x-amazon-apigateway-authtype": "cognito_user_pools"},
                "jwt": {"type": "apiKey", "x-amazon-apigateway-authtype": "jwt"},
                "lambda": {"type": "apiKey", "x-amazon-apigateway-authtype": "custom",
                           "x-amazon-apigateway-authorizer": {"type": "token"}},
                "iam": {"type": "apiKey", "x-amazon-apigateway-authtype": "awsSigv4"},
                "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"},
            });
            let doc = if oas {
                json!({"openapi": "3.0.1", "paths": path_map, "components": {"securitySchemes": schemes}})
            } else {
                json!({"swagger": "2.0", "host": "h.example", "paths": path_map, "securityDefinitions": schemes})
            };
            (doc, expected)
        })
}

proptest! {
    #![proptest_config(config())]

    /// Any export the parser accepts lists each operation (path and method) exactly once, and
    /// every operation the export holds.
    #[test]
    fn matrix_export_lists_each_operation_once((doc, expected) in export_document(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&doc).unwrap() } else { doc.to_string() };
        match parse_export(&text) {
            Ok(api) => {
                let mut seen: Vec<(String, String)> = api
                    .operations
                    .iter()
                    .map(|o| (o.path.clone(), o.method.clone()))
                    .collect();
                let count = seen.len();
                seen.sort();
                seen.dedup();
                prop_assert_eq!(seen.len(), count, "an operation listed twice");
                let mut want = expected.clone();
                want.sort();
                prop_assert_eq!(seen, want);
            }
            Err(e) => {
                // Only an export without any method is refused.
                prop_assert!(expected.is_empty(), "{e}");
                prop_assert_eq!(e, ExportError::NoPaths);
            }
        }
    }

    /// Arbitrary text never panics the export parser.
    #[test]
    fn matrix_export_parser_never_panics(t in tricky_text(300)) {
        let _ = parse_export(&t);
        let _ = parse_export(&format!("{{\"openapi\":\"3.0.1\",\"paths\":{t}}}"));
    }
}
