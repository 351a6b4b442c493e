//! The assertions as editable text, one a line: `status 200`, `status 2xx`, `length 3`,
//! `pointer /0/type == "dog"`, `contains fish`, `latency < 500`.

use std::fmt;

use super::pointer::{parse_pointer, PointerProblem};
use super::Assertion;

/// Why a line of the assertions field cannot be read. Lines count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssertionParseError {
    UnknownKeyword {
        line: usize,
        keyword: String,
    },
    MissingValue {
        line: usize,
        keyword: &'static str,
    },
    NotANumber {
        line: usize,
        keyword: &'static str,
        value: String,
    },
    StatusOutOfRange {
        line: usize,
        status: u64,
    },
    /// `pointer` without `==`.
    MissingEquals {
        line: usize,
    },
    BadPointer {
        line: usize,
        pointer: String,
        problem: PointerProblem,
    },
    /// `latency` without `<`.
    MissingLessThan {
        line: usize,
    },
    ZeroLatency {
        line: usize,
    },
    /// `pointer … == N` with a number from 2^53 on, where JSON readers round (two different
    /// numbers would compare equal).
    InexactNumber {
        line: usize,
        number: String,
    },
    /// `json` followed by more text, which it would have ignored.
    JsonTakesNoValue {
        line: usize,
        text: String,
    },
}

fn example(keyword: &str) -> &'static str {
    match keyword {
        "status" => "status 200",
        "length" => "length 3",
        "pointer" => "pointer /0/type == \"dog\"",
        "contains" => "contains fish",
        _ => "latency < 500",
    }
}

impl AssertionParseError {
    /// The line it is about, counting from 1.
    pub fn line(&self) -> usize {
        match self {
            Self::UnknownKeyword { line, .. }
            | Self::MissingValue { line, .. }
            | Self::NotANumber { line, .. }
            | Self::StatusOutOfRange { line, .. }
            | Self::MissingEquals { line }
            | Self::BadPointer { line, .. }
            | Self::MissingLessThan { line }
            | Self::ZeroLatency { line }
            | Self::InexactNumber { line, .. }
            | Self::JsonTakesNoValue { line, .. } => *line,
        }
    }
}

impl fmt::Display for AssertionParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownKeyword { line, keyword } => write!(
                f,
                "Line {line}: \"{keyword}\" is not an assertion. Start each line with status, length, \
                 pointer, contains, latency or json (e.g. `status 200`)."
            ),
            Self::MissingValue { line, keyword } => write!(
                f,
                "Line {line}: {keyword} needs a value, e.g. `{}`.",
                example(keyword)
            ),
            Self::NotANumber {
                line,
                keyword,
                value,
            } => write!(
                f,
                "Line {line}: \"{value}\" is not a whole number, e.g. `{}`.",
                example(keyword)
            ),
            Self::StatusOutOfRange { line, status } => write!(
                f,
                "Line {line}: {status} is not an HTTP status; use 100 to 599 or a class 1xx to 5xx, e.g. `status 200` or `status 2xx`."
            ),
            Self::MissingEquals { line } => write!(
                f,
                "Line {line}: a pointer assertion compares with ==, e.g. `{}`.",
                example("pointer")
            ),
            Self::BadPointer {
                line,
                pointer,
                problem,
            } => write!(f, "Line {line}: \"{pointer}\" is not a JSON pointer: {problem}."),
            Self::MissingLessThan { line } => write!(
                f,
                "Line {line}: a latency limit is written with <, in milliseconds, e.g. `latency < 500`."
            ),
            Self::ZeroLatency { line } => write!(
                f,
                "Line {line}: no call answers in under 0 ms; give a limit of at least 1 ms."
            ),
            Self::InexactNumber { line, number } => write!(
                f,
                "Line {line}: {number} is too large to compare exactly as a number (from 2^53 on, JSON numbers are read rounded, so a different value would pass); check it as text instead, e.g. `contains {number}`."
            ),
            Self::JsonTakesNoValue { line, text } => write!(
                f,
                "Line {line}: json takes nothing after it (it checks that a body declared JSON parses), \
                 so \"{text}\" would be ignored. Put it on a line of its own, e.g. `pointer /0/type == \"dog\"`."
            ),
        }
    }
}

/// Reads the assertions field, one assertion a line. Blank lines and `#` comments are skipped;
/// keywords may be in any case.
///
/// Every bad line is reported, not only the first: a run with any of them cannot be judged, and
/// the person fixing the field should see them all at once.
pub fn parse_lines(text: &str) -> Result<Vec<Assertion>, AssertionParseErrors> {
    let (assertions, errors) = parse_each_line(text);
    if errors.is_empty() {
        Ok(assertions)
    } else {
        Err(AssertionParseErrors(errors))
    }
}

/// The readable lines and the errors of the others. A run with any error cannot pass, but its
/// readable lines are still checked: a failing one makes it a FAIL, whatever else is wrong.
pub fn parse_each_line(text: &str) -> (Vec<Assertion>, Vec<AssertionParseError>) {
    let mut assertions = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (keyword, rest) = trimmed
            .split_once(char::is_whitespace)
            .map_or((trimmed, ""), |(k, r)| (k, r.trim()));
        match parse_line(line, keyword, rest) {
            Ok(assertion) => assertions.push(assertion),
            Err(e) => errors.push(e),
        }
    }
    (assertions, errors)
}

/// Every unreadable line of the assertions field, in line order (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionParseErrors(pub Vec<AssertionParseError>);

impl AssertionParseErrors {
    pub fn first(&self) -> Option<&AssertionParseError> {
        self.0.first()
    }

    /// One message a line.
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

impl fmt::Display for AssertionParseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages().join(" "))
    }
}

fn parse_line(line: usize, keyword: &str, rest: &str) -> Result<Assertion, AssertionParseError> {
    let keyword = match keyword.to_ascii_lowercase().as_str() {
        "status" => "status",
        "length" => "length",
        "pointer" => "pointer",
        "contains" => "contains",
        "latency" => "latency",
        "json" => "json",
        _ => {
            return Err(AssertionParseError::UnknownKeyword {
                line,
                keyword: keyword.to_owned(),
            })
        }
    };
    if keyword == "json" {
        // `json /0/type == "dog"` passed any JSON body: what follows is refused, not ignored.
        if !rest.is_empty() {
            return Err(AssertionParseError::JsonTakesNoValue {
                line,
                text: rest.to_owned(),
            });
        }
        return Ok(Assertion::JsonIfDeclared);
    }
    if rest.is_empty() {
        return Err(AssertionParseError::MissingValue { line, keyword });
    }
    let number = |value: &str| {
        value
            .parse::<u64>()
            .map_err(|_| AssertionParseError::NotANumber {
                line,
                keyword,
                value: value.to_owned(),
            })
    };
    match keyword {
        "status" => {
            // `2xx`: a status class, 1xx to 5xx.
            if let Some(class) = rest
                .strip_suffix("xx")
                .or_else(|| rest.strip_suffix("XX"))
                .and_then(|d| d.parse::<u8>().ok())
            {
                return match class {
                    1..=5 => Ok(Assertion::StatusClass { class }),
                    _ => Err(AssertionParseError::StatusOutOfRange {
                        line,
                        status: u64::from(class) * 100,
                    }),
                };
            }
            let status = number(rest)?;
            match u16::try_from(status) {
                Ok(expected @ 100..=599) => Ok(Assertion::Status { expected }),
                _ => Err(AssertionParseError::StatusOutOfRange { line, status }),
            }
        }
        "length" => Ok(Assertion::JsonLength {
            expected: usize::try_from(number(rest)?).unwrap_or(usize::MAX),
        }),
        "pointer" => {
            let (pointer, expected) = rest
                .split_once("==")
                .ok_or(AssertionParseError::MissingEquals { line })?;
            let (pointer, expected) = (pointer.trim(), expected.trim());
            if expected.is_empty() {
                return Err(AssertionParseError::MissingValue { line, keyword });
            }
            parse_pointer(pointer).map_err(|problem| AssertionParseError::BadPointer {
                line,
                pointer: pointer.to_owned(),
                problem,
            })?;
            if let Some(number) = inexact_number(&super::expected_value(expected)) {
                return Err(AssertionParseError::InexactNumber { line, number });
            }
            Ok(Assertion::JsonPointerEquals {
                pointer: pointer.to_owned(),
                expected: expected.to_owned(),
            })
        }
        "contains" => Ok(Assertion::BodyContains {
            text: rest.to_owned(),
        }),
        _ => {
            let limit = rest
                .strip_prefix('<')
                .ok_or(AssertionParseError::MissingLessThan { line })?
                .trim();
            let limit = limit.strip_suffix("ms").unwrap_or(limit).trim();
            if limit.is_empty() {
                return Err(AssertionParseError::MissingValue { line, keyword });
            }
            match number(limit)? {
                0 => Err(AssertionParseError::ZeroLatency { line }),
                ms => Ok(Assertion::LatencyUnder { ms }),
            }
        }
    }
}

/// The assertions as the field shows them, one a line; [`parse_lines`] reads it back.
/// (A pointer whose key contains `==`, or text with surrounding spaces, cannot round-trip.)
pub fn to_lines(assertions: &[Assertion]) -> String {
    assertions
        .iter()
        .map(Assertion::to_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first number in `value` too large to compare exactly, as written back.
fn inexact_number(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Number(n) if !super::exact_number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(inexact_number),
        Value::Object(map) => map.values().find_map(inexact_number),
        _ => None,
    }
}
