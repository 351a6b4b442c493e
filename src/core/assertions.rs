//! Assertions on the API's answer: the seed canary's "status 200 and a body of three items",
//! made editable. Each one is evaluated to pass or fail together with the value actually seen,
//! so a failed run says what came back instead of only "failed".

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::exchange::truncate_chars;
use crate::core::mask::Masker;

mod lines;
mod pointer;

pub use lines::{
    parse_each_line, parse_lines, to_lines, AssertionParseError, AssertionParseErrors,
};
use pointer::resolve;
pub use pointer::{parse_pointer, PointerProblem};

/// What the seed canary expects: `200` and a JSON array of three items.
pub const SEED_STATUS: u16 = 200;
pub const SEED_ITEM_COUNT: usize = 3;

/// Actual values are cut to this many characters: a whole body does not fit in a table cell.
const ACTUAL_MAX_CHARS: usize = 120;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Assertion {
    Status {
        expected: u16,
    },
    /// A body whose Content-Type says JSON parses as JSON (an empty body passes). What a
    /// successful call must satisfy too: a 200 with a cut-off JSON body is not a success.
    JsonIfDeclared,
    /// A status class: `2` means any 2xx. What every successful call satisfies, whatever the
    /// endpoint answers (200, 201, 204…), so it is the default instead of one exact status.
    StatusClass {
        class: u8,
    },
    /// Length of a JSON array, or number of keys of a JSON object.
    JsonLength {
        expected: usize,
    },
    /// An RFC 6901 pointer (empty: the whole body). `expected` is JSON text (`"dog"`, `249.99`,
    /// `true`); text that is not JSON is compared as a plain string with a string value.
    JsonPointerEquals {
        pointer: String,
        expected: String,
    },
    /// Case-sensitive substring of the raw body.
    BodyContains {
        text: String,
    },
    /// The API call's elapsed time, strictly under this many milliseconds.
    LatencyUnder {
        ms: u64,
    },
}

impl Assertion {
    /// "status is 200", "body has 3 items", "/0/type is \"dog\"".
    pub fn describe(&self) -> String {
        match self {
            Assertion::Status { expected } => format!("status is {expected}"),
            Assertion::StatusClass { class } => format!("status is {class}xx"),
            Assertion::JsonIfDeclared => "body is JSON when its Content-Type says so".to_owned(),
            Assertion::JsonLength { expected } => format!("body has {expected} items"),
            Assertion::JsonPointerEquals { pointer, expected } if pointer.is_empty() => {
                format!("whole body is {}", expected_value(expected))
            }
            Assertion::JsonPointerEquals { pointer, expected } => {
                format!("{pointer} is {}", expected_value(expected))
            }
            Assertion::BodyContains { text } => format!("body contains \"{text}\""),
            Assertion::LatencyUnder { ms } => format!("API answers in under {ms} ms"),
        }
    }

    /// The line [`parse_lines`] reads back.
    pub fn to_line(&self) -> String {
        match self {
            Assertion::Status { expected } => format!("status {expected}"),
            Assertion::StatusClass { class } => format!("status {class}xx"),
            Assertion::JsonIfDeclared => "json".to_owned(),
            Assertion::JsonLength { expected } => format!("length {expected}"),
            Assertion::JsonPointerEquals { pointer, expected } if pointer.is_empty() => {
                format!("pointer == {expected}")
            }
            Assertion::JsonPointerEquals { pointer, expected } => {
                format!("pointer {pointer} == {expected}")
            }
            Assertion::BodyContains { text } => format!("contains {text}"),
            Assertion::LatencyUnder { ms } => format!("latency < {ms}"),
        }
    }
}

/// What the API answered, as far as the assertions care.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResponseFacts<'a> {
    /// None: no response could be read (network error, CORS, timeout, cancel).
    pub status: Option<u16>,
    pub body: &'a str,
    pub elapsed_ms: f64,
    /// The response's Content-Type, when it had one.
    pub content_type: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionResult {
    /// The assertion in words, e.g. "status is 200".
    pub assertion: String,
    pub passed: bool,
    /// What was seen, e.g. "401", "array of 3", "not JSON: expected value at line 1 column 1".
    pub actual: String,
}

/// What any successful call satisfies: a 2xx status, and a body that parses when it says it is
/// JSON. The seed's exact pair (`status 200`,
/// `length 3`) fails every other endpoint (a 201, an object, `/pets/42`), so it is offered in
/// one click for the canary ([`seed_assertions`]) instead of being the default.
pub fn default_assertions() -> Vec<Assertion> {
    vec![
        Assertion::StatusClass { class: 2 },
        Assertion::JsonIfDeclared,
    ]
}

/// The seed canary's checks: status 200 and three items.
pub fn seed_assertions() -> Vec<Assertion> {
    vec![
        Assertion::Status {
            expected: SEED_STATUS,
        },
        Assertion::JsonLength {
            expected: SEED_ITEM_COUNT,
        },
    ]
}

/// Evaluates every assertion, in order. The body is parsed as JSON once, and only if needed.
/// A value quoted from the body is masked with `masker` (the tab's secrets) before it is cut
/// short: a secret standing across the cut would otherwise show its first part.
pub fn evaluate(
    assertions: &[Assertion],
    facts: &ResponseFacts,
    masker: &Masker,
) -> Vec<AssertionResult> {
    let mut parsed: Option<Result<Value, String>> = None;
    assertions
        .iter()
        .map(|assertion| {
            let (passed, actual) = check(assertion, facts, &mut parsed, masker);
            AssertionResult {
                assertion: assertion.describe(),
                passed,
                actual,
            }
        })
        .collect()
}

fn check(
    assertion: &Assertion,
    facts: &ResponseFacts,
    parsed: &mut Option<Result<Value, String>>,
    masker: &Masker,
) -> (bool, String) {
    let Some(status) = facts.status else {
        return (false, no_response(assertion, facts.elapsed_ms));
    };
    match assertion {
        Assertion::Status { expected } => (status == *expected, status.to_string()),
        Assertion::StatusClass { class } => (status / 100 == u16::from(*class), status.to_string()),
        Assertion::JsonIfDeclared => match facts.content_type {
            Some(declared) if declared.to_ascii_lowercase().contains("json") => {
                if facts.body.trim().is_empty() {
                    (true, "empty body".to_owned())
                } else {
                    match body_json(parsed, facts.body) {
                        Ok(_) => (true, "valid JSON".to_owned()),
                        Err(problem) => (false, format!("not JSON: {problem}")),
                    }
                }
            }
            Some(declared) => (true, format!("not declared JSON ({})", shorten(declared))),
            None => (true, "no Content-Type".to_owned()),
        },
        Assertion::JsonLength { expected } => match body_json(parsed, facts.body) {
            Err(problem) => (false, format!("not JSON: {problem}")),
            Ok(Value::Array(items)) => (
                items.len() == *expected,
                format!("array of {}", items.len()),
            ),
            Ok(Value::Object(map)) => (
                map.len() == *expected,
                format!("object of {} key{}", map.len(), plural(map.len())),
            ),
            Ok(other) => (false, kind(other).to_owned()),
        },
        Assertion::JsonPointerEquals { pointer, expected } => {
            let tokens = match parse_pointer(pointer) {
                Ok(tokens) => tokens,
                Err(problem) => return (false, format!("invalid pointer: {problem}")),
            };
            match body_json(parsed, facts.body) {
                Err(problem) => (false, format!("not JSON: {problem}")),
                Ok(document) => match resolve(document, &tokens) {
                    Err(missing) => (false, format!("missing: {missing}")),
                    Ok(found) => {
                        let shown = shorten(&masker.redact(&found.to_string()));
                        match found {
                            Value::Number(n) if !exact_number(n) => (
                                false,
                                format!("{shown}, rounded: too large to compare exactly as a number (check it with `contains`)"),
                            ),
                            _ => (json_equal(found, &expected_value(expected)), shown),
                        }
                    }
                },
            }
        }
        Assertion::BodyContains { text } => match facts.body.find(text.as_str()) {
            Some(at) => {
                let position = facts
                    .body
                    .get(..at)
                    .map_or(0, |before| before.chars().count())
                    + 1;
                (true, format!("found at character {position}"))
            }
            None if facts.body.is_empty() => (false, "not found: the body is empty".to_owned()),
            None => (
                false,
                format!("not found in {} characters", facts.body.chars().count()),
            ),
        },
        Assertion::LatencyUnder { ms } => latency(facts.elapsed_ms, *ms),
    }
}

fn no_response(assertion: &Assertion, elapsed_ms: f64) -> String {
    match assertion {
        // How long it took to give up is still worth seeing against a latency limit.
        Assertion::LatencyUnder { .. } if elapsed_ms.is_finite() && elapsed_ms > 0.0 => {
            format!("no response after {} ms", elapsed_ms.floor() as u64)
        }
        _ => "no response".to_owned(),
    }
}

/// Whole milliseconds, rounded down: then "499 ms" passes "under 500 ms" and "500 ms" fails,
/// which is what a reader of the table expects.
fn latency(elapsed_ms: f64, limit_ms: u64) -> (bool, String) {
    if !elapsed_ms.is_finite() || elapsed_ms < 0.0 {
        return (false, "unknown".to_owned());
    }
    (
        elapsed_ms < limit_ms as f64,
        format!("{} ms", elapsed_ms.floor() as u64),
    )
}

/// The body as JSON, parsed on first use and kept for the next assertion.
fn body_json<'p>(
    parsed: &'p mut Option<Result<Value, String>>,
    body: &str,
) -> Result<&'p Value, &'p String> {
    parsed.get_or_insert_with(|| parse_body(body)).as_ref()
}

fn parse_body(body: &str) -> Result<Value, String> {
    if body.trim().is_empty() {
        return Err("the body is empty".to_owned());
    }
    serde_json::from_str(body).map_err(|e| e.to_string())
}

/// "a string", "a number": the JSON type of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn shorten(text: &str) -> String {
    match truncate_chars(text, ACTUAL_MAX_CHARS) {
        (shown, 0) => shown.to_owned(),
        (shown, _) => format!("{shown}…"),
    }
}

/// The expected text as a JSON value; text that is not JSON is taken as a plain string, so
/// `dog` means `"dog"`.
pub fn expected_value(expected: &str) -> Value {
    serde_json::from_str(expected.trim()).unwrap_or_else(|_| Value::String(expected.to_owned()))
}

/// From 2^53 on, a double no longer holds every integer: the exported canary's JavaScript reads
/// every JSON number as one, and serde_json reads as one any number beyond 64-bit integers (or
/// written with a fraction or exponent), so two different numbers can read the same.
const EXACT_DOUBLE_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Whether `n` compares the same everywhere its assertion runs (page, CLI, exported canary).
fn exact_number(n: &serde_json::Number) -> bool {
    n.as_f64().is_some_and(|f| f.abs() < EXACT_DOUBLE_LIMIT)
}

/// Equality of JSON values where numbers compare by value: `249.99` equals `249.990`, and
/// `1` equals `1.0` (serde_json's own `==` tells integers and floats apart). A number from 2^53
/// on equals nothing (see [`exact_number`]): a false pass is worse than a failure that says why.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            exact_number(x) && exact_number(y) && x.as_f64() == y.as_f64()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| json_equal(x, y)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests;
