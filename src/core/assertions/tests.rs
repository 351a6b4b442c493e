use super::*;

/// Evaluated with no secret known.
fn evaluate(assertions: &[Assertion], facts: &ResponseFacts) -> Vec<AssertionResult> {
    super::evaluate(assertions, facts, &Masker::new(&[]))
}

const PETS: &str = r#"[
  {"id": 1, "type": "dog", "price": 249.99},
  {"id": 2, "type": "cat", "price": 124.99},
  {"id": 3, "type": "fish", "price": 0.99}
]"#;

fn facts(status: u16, body: &str) -> ResponseFacts<'_> {
    ResponseFacts {
        status: Some(status),
        body,
        elapsed_ms: 183.4,
        content_type: None,
    }
}

fn one(assertion: Assertion, facts: &ResponseFacts) -> AssertionResult {
    let mut results = evaluate(&[assertion], facts);
    assert_eq!(results.len(), 1);
    results.remove(0)
}

fn pointer(pointer: &str, expected: &str) -> Assertion {
    Assertion::JsonPointerEquals {
        pointer: pointer.into(),
        expected: expected.into(),
    }
}

fn actual(assertion: Assertion, body: &str) -> (bool, String) {
    let r = one(assertion, &facts(200, body));
    (r.passed, r.actual)
}

#[test]
fn seed_pair_passes_on_the_seed_answer() {
    assert_eq!(
        seed_assertions(),
        vec![
            Assertion::Status { expected: 200 },
            Assertion::JsonLength { expected: 3 }
        ]
    );
    let results = evaluate(&seed_assertions(), &facts(200, PETS));
    assert_eq!(
        results,
        vec![
            AssertionResult {
                assertion: "status is 200".into(),
                passed: true,
                actual: "200".into()
            },
            AssertionResult {
                assertion: "body has 3 items".into(),
                passed: true,
                actual: "array of 3".into()
            },
        ]
    );
}

#[test]
fn status_mismatch_shows_the_status() {
    let results = evaluate(
        &seed_assertions(),
        &facts(401, r#"{"message":"Unauthorized"}"#),
    );
    assert!(!results[0].passed);
    assert_eq!(results[0].actual, "401");
    assert!(!results[1].passed);
    assert_eq!(results[1].actual, "object of 1 key");
}

#[test]
fn no_response_fails_everything() {
    let all = vec![
        Assertion::Status { expected: 200 },
        Assertion::JsonLength { expected: 3 },
        pointer("/0/type", "\"dog\""),
        Assertion::BodyContains { text: "x".into() },
        Assertion::LatencyUnder { ms: 500 },
    ];
    let none = ResponseFacts {
        status: None,
        body: "",
        elapsed_ms: 30_000.0,
        content_type: None,
    };
    let results = evaluate(&all, &none);
    assert!(results.iter().all(|r| !r.passed));
    assert!(results[..4].iter().all(|r| r.actual == "no response"));
    assert_eq!(results[4].actual, "no response after 30000 ms");
    let instant = ResponseFacts {
        elapsed_ms: 0.0,
        ..none
    };
    assert_eq!(
        one(Assertion::LatencyUnder { ms: 5 }, &instant).actual,
        "no response"
    );
}

#[test]
fn length_of_arrays_objects_and_scalars() {
    let len = |n| Assertion::JsonLength { expected: n };
    assert_eq!(actual(len(3), PETS), (true, "array of 3".into()));
    assert_eq!(actual(len(2), PETS), (false, "array of 3".into()));
    assert_eq!(actual(len(0), "[]"), (true, "array of 0".into()));
    assert_eq!(
        actual(len(2), r#"{"a":1,"b":2}"#),
        (true, "object of 2 keys".into())
    );
    assert_eq!(actual(len(0), "{}"), (true, "object of 0 keys".into()));
    assert_eq!(actual(len(3), r#""abc""#), (false, "a string".into()));
    assert_eq!(actual(len(3), "3"), (false, "a number".into()));
    assert_eq!(actual(len(3), "true"), (false, "a boolean".into()));
    assert_eq!(actual(len(0), "null"), (false, "null".into()));
}

#[test]
fn bad_json_and_empty_body() {
    let len = Assertion::JsonLength { expected: 3 };
    assert_eq!(
        actual(len.clone(), "<html>Bad gateway</html>"),
        (false, "not JSON: expected value at line 1 column 1".into())
    );
    assert_eq!(
        actual(len.clone(), ""),
        (false, "not JSON: the body is empty".into())
    );
    assert_eq!(
        actual(len, "[1, 2,"),
        (
            false,
            "not JSON: EOF while parsing a value at line 1 column 6".into()
        )
    );
    let (passed, text) = actual(pointer("/0", "1"), "[1] trailing");
    assert!(!passed);
    assert!(text.starts_with("not JSON: trailing characters"), "{text}");
}

#[test]
fn pointer_finds_values() {
    assert_eq!(
        actual(pointer("/0/type", "\"dog\""), PETS),
        (true, "\"dog\"".into())
    );
    assert_eq!(
        actual(pointer("/1/type", "\"dog\""), PETS),
        (false, "\"cat\"".into())
    );
    // Plain text that is not JSON is compared as a string.
    assert_eq!(
        actual(pointer("/2/type", "fish"), PETS),
        (true, "\"fish\"".into())
    );
    // JSON text is a JSON value: 1 is not "1".
    assert_eq!(actual(pointer("/0/id", "1"), PETS), (true, "1".into()));
    assert_eq!(actual(pointer("/0/id", "\"1\""), PETS), (false, "1".into()));
    assert_eq!(
        actual(pointer("/a", "true"), r#"{"a":true}"#),
        (true, "true".into())
    );
    assert_eq!(
        actual(pointer("/a", "null"), r#"{"a":null}"#),
        (true, "null".into())
    );
    let r = one(pointer("/0/type", "\"dog\""), &facts(200, PETS));
    assert_eq!(r.assertion, "/0/type is \"dog\"");
    assert_eq!(
        one(pointer("/2/type", "fish"), &facts(200, PETS)).assertion,
        "/2/type is \"fish\""
    );
}

#[test]
fn numbers_compare_as_values() {
    assert!(actual(pointer("/0/price", "249.990"), PETS).0);
    assert!(actual(pointer("/0/price", "249.99"), PETS).0);
    assert!(!actual(pointer("/0/price", "249.98"), PETS).0);
    assert!(actual(pointer("/a", "1.0"), r#"{"a":1}"#).0);
    assert!(actual(pointer("/a", "1"), r#"{"a":1.0}"#).0);
    assert!(actual(pointer("/a", "1e2"), r#"{"a":100}"#).0);
    assert!(actual(pointer("/a", "-5"), r#"{"a":-5.0}"#).0);
    assert!(
        actual(
            pointer("/a", "9007199254740991"),
            r#"{"a":9007199254740991}"#
        )
        .0
    );
    // Nested values compare the same way, key order ignored.
    assert!(
        actual(
            pointer("", r#"{"b":[1.0,2],"a":1}"#),
            r#"{"a":1.00,"b":[1,2.0]}"#
        )
        .0
    );
    assert!(!actual(pointer("", r#"{"a":1}"#), r#"{"a":1,"b":2}"#).0);
    assert!(!actual(pointer("", "[1,2]"), "[1,2,3]").0);
}

/// From 2^53 on a double no longer holds every integer: 9007199254740993 read as one is
/// 9007199254740992, and two different 23-digit IDs read the same (the exported canary's
/// JavaScript reads every number so). Such a pair passed; it now fails and says why, and an
/// expected value like that is refused when the line is read.
#[test]
fn numbers_too_large_to_compare_exactly_never_pass() {
    let ids = r#"{"id":12345678901234567890123,"n":9007199254740993,"f":9007199254740993.0}"#;
    for (at, expected) in [
        ("/id", "12345678901234567890124"),
        ("/id", "12345678901234567890123"),
        ("/n", "9007199254740992"),
        ("/n", "9007199254740993"),
        ("/f", "9007199254740993"),
        ("/id", "\"x\""),
    ] {
        let (passed, shown) = actual(pointer(at, expected), ids);
        assert!(!passed, "{at} == {expected}");
        assert!(shown.contains("too large to compare exactly"), "{shown}");
    }
    // Nested: a rounded number inside the compared value fails too.
    assert!(!actual(pointer("", r#"[1e300]"#), "[1e300]").0);
    // An expected number that a double cannot hold is refused when the line is read.
    for expected in [
        "12345678901234567890124",
        "9007199254740992.0",
        "1e300",
        r#"{"id": 12345678901234567890124}"#,
    ] {
        let (e, m) = parse_error(&format!("pointer /id == {expected}"));
        assert!(
            matches!(e, AssertionParseError::InexactNumber { line: 1, .. }),
            "{expected}: {e:?}"
        );
        assert!(m.contains("contains"), "{m}");
    }
    let (_, m) = parse_error("pointer /id == 18446744073709551615");
    assert!(m.contains("contains 18446744073709551615"), "{m}");
    // Below 2^53 decimals and exponents are fine.
    assert!(parse_lines("pointer /a == 9007199254740991\npointer /b == -1e15").is_ok());
}

#[test]
fn empty_pointer_is_the_whole_document() {
    let r = one(pointer("", "[1,2,3]"), &facts(200, " [1, 2, 3] "));
    assert!(r.passed);
    assert_eq!(r.actual, "[1,2,3]");
    assert_eq!(r.assertion, "whole body is [1,2,3]");
    assert!(actual(pointer("", "\"ok\""), "\"ok\"").0);
}

#[test]
fn pointer_escapes() {
    let body = r#"{"a/b": 1, "m~n": 2, "": 3, " ": 4, "~1": 5}"#;
    assert!(actual(pointer("/a~1b", "1"), body).0);
    assert!(actual(pointer("/m~0n", "2"), body).0);
    assert!(actual(pointer("/", "3"), body).0);
    assert!(actual(pointer("/ ", "4"), body).0);
    // ~01 is "~1", not "/": unescaping is done once, left to right.
    assert!(actual(pointer("/~01", "5"), body).0);
    assert_eq!(
        parse_pointer("/a~1b/m~0n"),
        Ok(vec!["a/b".into(), "m~n".into()])
    );
    assert_eq!(parse_pointer(""), Ok(vec![]));
    assert_eq!(parse_pointer("/"), Ok(vec![String::new()]));
    assert_eq!(parse_pointer("//"), Ok(vec![String::new(), String::new()]));
    assert_eq!(parse_pointer("a"), Err(PointerProblem::NoLeadingSlash));
    assert_eq!(
        parse_pointer("/a~2"),
        Err(PointerProblem::BadEscape { position: 3 })
    );
    assert_eq!(
        parse_pointer("/é~"),
        Err(PointerProblem::BadEscape { position: 3 })
    );
    let (passed, text) = actual(pointer("0/type", "1"), PETS);
    assert!(!passed);
    assert!(text.starts_with("invalid pointer: a JSON pointer starts with \"/\""));
}

#[test]
fn missing_pointer_targets_say_where() {
    assert_eq!(
        actual(pointer("/0/type", "\"dog\""), "[]"),
        (
            false,
            "missing: the body has no element 0 (array of 0)".into()
        )
    );
    assert_eq!(
        actual(pointer("/0/colour", "\"red\""), PETS),
        (false, "missing: /0 has no key \"colour\"".into())
    );
    assert_eq!(
        actual(pointer("/3", "1"), PETS),
        (
            false,
            "missing: the body has no element 3 (array of 3)".into()
        )
    );
    assert_eq!(
        actual(pointer("/-", "1"), PETS),
        (
            false,
            "missing: the body is an array, and \"-\" is not an index".into()
        )
    );
    assert_eq!(
        actual(pointer("/01", "1"), PETS),
        (
            false,
            "missing: the body is an array, and \"01\" is not an index".into()
        )
    );
    assert_eq!(
        actual(pointer("/a~1b/x", "1"), r#"{"a/b":{}}"#),
        (false, "missing: /a~1b has no key \"x\"".into())
    );
}

#[test]
fn pointer_into_a_scalar() {
    assert_eq!(
        actual(pointer("/0/type/x", "1"), PETS),
        (
            false,
            "missing: /0/type is a string, not an array or object".into()
        )
    );
    assert_eq!(
        actual(pointer("/a", "1"), "42"),
        (
            false,
            "missing: the body is a number, not an array or object".into()
        )
    );
}

#[test]
fn long_actual_values_are_shortened() {
    let body = format!("[\"{}\"]", "x".repeat(500));
    let (passed, text) = actual(pointer("/0", "\"y\""), &body);
    assert!(!passed);
    assert_eq!(text.chars().count(), ACTUAL_MAX_CHARS + 1);
    assert!(text.ends_with('…'));
}

#[test]
fn body_contains_with_unicode() {
    let body = r#"{"name":"Zoë 🐟 fish"}"#;
    let contains = |t: &str| Assertion::BodyContains { text: t.into() };
    assert_eq!(
        actual(contains("🐟"), body),
        (true, "found at character 14".into())
    );
    assert_eq!(
        actual(contains("Zoë"), body),
        (true, "found at character 10".into())
    );
    assert_eq!(
        actual(contains("zoë"), body),
        (false, "not found in 21 characters".into())
    );
    assert_eq!(
        actual(contains("x"), ""),
        (false, "not found: the body is empty".into())
    );
    assert_eq!(
        one(contains("🐟"), &facts(200, body)).assertion,
        "body contains \"🐟\""
    );
    // Unicode in pointers and expected values.
    assert!(actual(pointer("/name", "\"Zoë 🐟 fish\""), body).0);
    assert!(actual(pointer("/ключ", "значение"), r#"{"ключ":"значение"}"#).0);
}

#[test]
fn latency() {
    let at = |ms: f64| ResponseFacts {
        status: Some(200),
        body: "",
        elapsed_ms: ms,
        content_type: None,
    };
    let under = Assertion::LatencyUnder { ms: 500 };
    let r = one(under.clone(), &at(499.6));
    assert_eq!((r.passed, r.actual.as_str()), (true, "499 ms"));
    let r = one(under.clone(), &at(500.0));
    assert_eq!((r.passed, r.actual.as_str()), (false, "500 ms"));
    let r = one(under.clone(), &at(1234.5));
    assert_eq!((r.passed, r.actual.as_str()), (false, "1234 ms"));
    let r = one(under.clone(), &at(f64::NAN));
    assert_eq!((r.passed, r.actual.as_str()), (false, "unknown"));
    assert!(!one(under.clone(), &at(-1.0)).passed);
    assert_eq!(under.describe(), "API answers in under 500 ms");
}

#[test]
fn results_keep_order_and_parse_the_body_once() {
    let all = parse_lines(
        "status 200\nlength 3\npointer /2/type == \"fish\"\ncontains cat\nlatency < 1000",
    )
    .unwrap();
    let results = evaluate(&all, &facts(200, PETS));
    assert_eq!(results.len(), 5);
    assert!(results.iter().all(|r| r.passed), "{results:?}");
    assert_eq!(
        results
            .iter()
            .map(|r| r.assertion.as_str())
            .collect::<Vec<_>>(),
        [
            "status is 200",
            "body has 3 items",
            "/2/type is \"fish\"",
            "body contains \"cat\"",
            "API answers in under 1000 ms"
        ]
    );
    assert!(evaluate(&[], &facts(200, PETS)).is_empty());
}

#[test]
fn parse_every_form() {
    let text = "status 200\n  length 3  \n\n# a comment\npointer /0/type == \"dog\"\n\
                POINTER == [1]\npointer /a==b==c\ncontains fish and chips\nlatency < 500\n\
                latency <250ms\nLatency < 100 ms\n";
    assert_eq!(
        parse_lines(text).unwrap(),
        vec![
            Assertion::Status { expected: 200 },
            Assertion::JsonLength { expected: 3 },
            pointer("/0/type", "\"dog\""),
            pointer("", "[1]"),
            pointer("/a", "b==c"),
            Assertion::BodyContains {
                text: "fish and chips".into()
            },
            Assertion::LatencyUnder { ms: 500 },
            Assertion::LatencyUnder { ms: 250 },
            Assertion::LatencyUnder { ms: 100 },
        ]
    );
    assert_eq!(parse_lines("").unwrap(), vec![]);
    assert_eq!(parse_lines("\r\n  \n# only comments").unwrap(), vec![]);
    assert_eq!(
        parse_lines("status 201\r\nlength 0\r\n").unwrap(),
        vec![
            Assertion::Status { expected: 201 },
            Assertion::JsonLength { expected: 0 }
        ]
    );
}

#[test]
fn lines_round_trip() {
    let all = vec![
        Assertion::Status { expected: 204 },
        Assertion::JsonLength { expected: 3 },
        pointer("/0/type", "\"dog\""),
        pointer("", "{\"a\": 1}"),
        pointer("/a~1b/ spaced key", "plain text"),
        Assertion::BodyContains {
            text: "Zoë 🐟 # not a comment".into(),
        },
        Assertion::LatencyUnder { ms: 500 },
    ];
    let text = to_lines(&all);
    assert_eq!(
        text,
        "status 204\nlength 3\npointer /0/type == \"dog\"\npointer == {\"a\": 1}\n\
         pointer /a~1b/ spaced key == plain text\ncontains Zoë 🐟 # not a comment\nlatency < 500"
    );
    assert_eq!(parse_lines(&text).unwrap(), all);
    assert_eq!(to_lines(&seed_assertions()), "status 200\nlength 3");
    assert_eq!(to_lines(&default_assertions()), "status 2xx\njson");
    assert_eq!(to_lines(&[]), "");
}

#[test]
fn serde_round_trip() {
    let all = parse_lines("status 200\npointer /0 == 1\nlatency < 5").unwrap();
    let json = serde_json::to_string(&all).unwrap();
    assert_eq!(
        json,
        r#"[{"Status":{"expected":200}},{"JsonPointerEquals":{"pointer":"/0","expected":"1"}},{"LatencyUnder":{"ms":5}}]"#
    );
    assert_eq!(serde_json::from_str::<Vec<Assertion>>(&json).unwrap(), all);
}

fn parse_error(text: &str) -> (AssertionParseError, String) {
    let errors = parse_lines(text).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors}");
    let e = errors.0[0].clone();
    let message = e.to_string();
    (e, message)
}

/// `status 201` / `length 3` / `status 2xx` showed only the third line's problem and judged
/// the rest as if the field were fine. Every bad line is reported now.
#[test]
fn every_bad_line_is_reported() {
    let errors = parse_lines("status abc\nlength 3\nstatsu 200\nlatency 5").unwrap_err();
    let lines: Vec<usize> = errors.0.iter().map(AssertionParseError::line).collect();
    assert_eq!(lines, vec![1, 3, 4]);
    assert_eq!(errors.messages().len(), 3);
}

#[test]
fn unknown_keyword() {
    let (e, m) = parse_error("status 200\n\nstatsu 200");
    assert_eq!(
        e,
        AssertionParseError::UnknownKeyword {
            line: 3,
            keyword: "statsu".into()
        }
    );
    assert!(
        m.starts_with("Line 3: \"statsu\" is not an assertion."),
        "{m}"
    );
    assert!(m.contains("status, length, pointer, contains, latency or json"));
}

#[test]
fn missing_values() {
    for (text, keyword) in [
        ("status", "status"),
        ("length   ", "length"),
        ("pointer", "pointer"),
        ("pointer /a ==", "pointer"),
        ("contains", "contains"),
        ("latency", "latency"),
        ("latency < ms", "latency"),
    ] {
        let (e, m) = parse_error(text);
        assert_eq!(
            e,
            AssertionParseError::MissingValue { line: 1, keyword },
            "{text}"
        );
        assert!(
            m.starts_with(&format!("Line 1: {keyword} needs a value, e.g. `")),
            "{m}"
        );
    }
    assert_eq!(
        parse_error("contains").1,
        "Line 1: contains needs a value, e.g. `contains fish`."
    );
}

#[test]
fn numbers_and_ranges() {
    let (e, m) = parse_error("status two hundred");
    assert_eq!(
        e,
        AssertionParseError::NotANumber {
            line: 1,
            keyword: "status",
            value: "two hundred".into()
        }
    );
    assert_eq!(
        m,
        "Line 1: \"two hundred\" is not a whole number, e.g. `status 200`."
    );
    assert!(matches!(
        parse_error("length -1").0,
        AssertionParseError::NotANumber {
            keyword: "length",
            ..
        }
    ));
    assert!(matches!(
        parse_error("latency < 1.5").0,
        AssertionParseError::NotANumber {
            keyword: "latency",
            ..
        }
    ));
    assert_eq!(
        parse_error("status 99999").0,
        AssertionParseError::StatusOutOfRange {
            line: 1,
            status: 99_999
        }
    );
    let (e, m) = parse_error("status 600");
    assert_eq!(
        e,
        AssertionParseError::StatusOutOfRange {
            line: 1,
            status: 600
        }
    );
    assert_eq!(
        m,
        "Line 1: 600 is not an HTTP status; use 100 to 599 or a class 1xx to 5xx, e.g. `status 200` or `status 2xx`."
    );
    assert!(parse_lines("status 99").is_err());
    assert!(parse_lines("status 100\nstatus 599").is_ok());
    let (e, m) = parse_error("latency < 0");
    assert_eq!(e, AssertionParseError::ZeroLatency { line: 1 });
    assert!(m.contains("at least 1 ms"));
}

#[test]
fn pointer_and_latency_syntax() {
    let (e, m) = parse_error("length 3\npointer /0/type = \"dog\"");
    assert_eq!(e, AssertionParseError::MissingEquals { line: 2 });
    assert_eq!(
        m,
        "Line 2: a pointer assertion compares with ==, e.g. `pointer /0/type == \"dog\"`."
    );
    let (e, m) = parse_error("pointer 0/type == \"dog\"");
    assert_eq!(
        e,
        AssertionParseError::BadPointer {
            line: 1,
            pointer: "0/type".into(),
            problem: PointerProblem::NoLeadingSlash
        }
    );
    assert!(
        m.starts_with("Line 1: \"0/type\" is not a JSON pointer: a JSON pointer starts with \"/\"")
    );
    let (e, m) = parse_error("pointer /a~ == 1");
    assert_eq!(
        e,
        AssertionParseError::BadPointer {
            line: 1,
            pointer: "/a~".into(),
            problem: PointerProblem::BadEscape { position: 3 }
        }
    );
    assert!(
        m.contains("the \"~\" at character 3 must be followed by 0 (meaning ~) or 1 (meaning /)")
    );
    let (e, m) = parse_error("latency 500");
    assert_eq!(e, AssertionParseError::MissingLessThan { line: 1 });
    assert!(m.contains("`latency < 500`"));
}

#[test]
fn the_default_judges_only_what_any_successful_call_satisfies() {
    assert_eq!(
        default_assertions(),
        vec![
            Assertion::StatusClass { class: 2 },
            Assertion::JsonIfDeclared
        ]
    );
    // A 201 with an object, an empty 204, the seed's three pets: all pass the default…
    for (status, body) in [
        (201, r#"{"id":42}"#),
        (204, ""),
        (200, PETS),
        (200, "plain text"),
    ] {
        let results = evaluate(&default_assertions(), &facts(status, body));
        assert!(results.iter().all(|r| r.passed), "{status}: {results:?}");
    }
    // …and a refusal or an error fails it, showing the status seen.
    for status in [199, 301, 401, 403, 500] {
        let result = one(Assertion::StatusClass { class: 2 }, &facts(status, ""));
        assert!(!result.passed, "{status}");
        assert_eq!(result.actual, status.to_string());
        assert_eq!(result.assertion, "status is 2xx");
    }
}

#[test]
fn status_classes_parse_and_print_back() {
    assert_eq!(
        parse_lines("status 2xx\nSTATUS 4XX"),
        Ok(vec![
            Assertion::StatusClass { class: 2 },
            Assertion::StatusClass { class: 4 }
        ])
    );
    assert_eq!(Assertion::StatusClass { class: 5 }.to_line(), "status 5xx");
    for bad in ["status 0xx", "status 6xx", "status 20xx"] {
        let error = parse_lines(bad).unwrap_err();
        assert!(
            matches!(
                error.first(),
                Some(AssertionParseError::StatusOutOfRange { .. })
            ),
            "{bad}: {error}"
        );
    }
    assert!(parse_lines("status 2x").is_err());
}

#[test]
fn a_body_declared_json_must_parse() {
    let with = |content_type: Option<&'static str>, body: &'static str| ResponseFacts {
        content_type,
        ..facts(200, body)
    };
    let json = Some("application/json;charset=UTF-8");
    let r = one(Assertion::JsonIfDeclared, &with(json, r#"[{"id": 1, "ty"#));
    assert!(!r.passed);
    assert!(r.actual.starts_with("not JSON: "), "{}", r.actual);
    assert_eq!(r.assertion, "body is JSON when its Content-Type says so");
    assert!(one(Assertion::JsonIfDeclared, &with(json, PETS)).passed);
    assert!(one(Assertion::JsonIfDeclared, &with(json, "")).passed);
    assert!(
        !one(
            Assertion::JsonIfDeclared,
            &with(Some("APPLICATION/JSON"), "{")
        )
        .passed
    );
    let text = one(
        Assertion::JsonIfDeclared,
        &with(Some("text/plain"), "not json"),
    );
    assert!(text.passed, "{text:?}");
    assert_eq!(text.actual, "not declared JSON (text/plain)");
    assert!(one(Assertion::JsonIfDeclared, &with(None, "{")).passed);
    // The default fails a cut-off JSON answer even with 200.
    let results = evaluate(&default_assertions(), &with(json, "[1, 2"));
    assert!(results[0].passed && !results[1].passed, "{results:?}");
    assert_eq!(parse_lines("JSON"), Ok(vec![Assertion::JsonIfDeclared]));
    assert_eq!(Assertion::JsonIfDeclared.to_line(), "json");
    // What follows json was ignored, so `json /0/type == "dog"` passed any JSON body.
    let errors = parse_lines("status 200\njson /0/type == \"dog\"").unwrap_err();
    let error = errors.first().unwrap();
    assert_eq!(error.line(), 2);
    assert!(
        error.to_string().contains("json takes nothing after it"),
        "{error}"
    );
    assert!(!error.to_string().contains("  "), "{error}");
    assert!(parse_lines("json length 3").is_err());
}
