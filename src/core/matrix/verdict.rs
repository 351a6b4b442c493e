//! A verdict per row (expected against actual) and one for the whole matrix, in the run model's
//! terms ([`Outcome`]): a SECURITY FINDING when any method let through what it must refuse.

use serde::Serialize;

use super::expect::Expected;
use super::export::Operation;
use super::probe::ProbeResult;
use crate::core::run::{Outcome, Verdict};

/// Methods that change nothing: the only ones a matrix runs unless the user includes the others.
pub const SAFE_METHODS: [&str; 3] = ["GET", "HEAD", "OPTIONS"];

/// At most this many requests of a matrix run are out at once.
pub const CONCURRENCY: usize = 4;

/// What came back for one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actual {
    /// An HTTP answer (its status and how long it took).
    Answered {
        status: u16,
        millis: u64,
        /// API Gateway's own answer to a route it does not have, before any authorizer runs: a
        /// REST API's `403 {"message":"Missing Authentication Token"}` (no such path, method or
        /// stage, or an IAM method called unsigned), an HTTP API's `404 {"message":"Not Found"}`.
        unrouted: bool,
    },
    /// No answer: network, CORS or timeout (the message says which).
    Failed(String),
    Cancelled,
    /// Not sent: a data-changing method while those are excluded.
    NotRun,
}

impl Actual {
    /// An answer with this status and body.
    pub fn answered(status: u16, millis: u64, body: &str) -> Self {
        Self::Answered {
            status,
            millis,
            unrouted: match status {
                403 => body.contains("Missing Authentication Token"),
                404 => body.split_whitespace().collect::<String>() == r#"{"message":"NotFound"}"#,
                _ => false,
            },
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Answered { status, .. } => status.to_string(),
            Self::Failed(_) => "no answer".into(),
            Self::Cancelled => "cancelled".into(),
            Self::NotRun => "not run".into(),
        }
    }
}

/// The verdict on one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RowVerdict {
    AsExpected,
    /// Refused where the rules say it should pass.
    UnexpectedDenial,
    /// Let through where the rules say it must be refused.
    SecurityFinding,
    /// The rules cannot predict this method (Lambda, IAM).
    CannotJudge,
    /// No answer (network, CORS, timeout).
    NoAnswer,
    Cancelled,
    NotRun,
}

impl RowVerdict {
    pub fn label(self) -> &'static str {
        match self {
            Self::AsExpected => "as expected",
            Self::UnexpectedDenial => "unexpected denial",
            Self::SecurityFinding => "SECURITY FINDING",
            Self::CannotJudge => "cannot judge",
            Self::NoAnswer => "no answer",
            Self::Cancelled => "cancelled",
            Self::NotRun => "not run",
        }
    }
}

/// 401 and 403 are the authorizer's (or API Gateway's) refusals; any other answer means the call
/// got past the authorizer — even a 404 from the integration — except those below.
fn refused(status: u16) -> bool {
    matches!(status, 401 | 403)
}

/// A throttle or a server error: API Gateway answers them before the authorizer too (429 for a
/// throttled stage, 500 for an authorizer that fails, 502/504 from a proxy with no answer), so
/// they show nothing of it. Counted as passing the authorizer, an API that was down read PASS.
fn says_nothing(status: u16) -> bool {
    status == 429 || status >= 500
}

/// The status of API Gateway's answer to a route it does not have (see `Actual::Answered`).
fn unrouted(actual: &Actual) -> Option<u16> {
    match actual {
        Actual::Answered {
            status,
            unrouted: true,
            ..
        } => Some(*status),
        _ => None,
    }
}

const UNROUTED_NOTE: &str = "Refused with 403 \"Missing Authentication Token\": API Gateway has no such path, method or stage (check the Base URL and stage), or the method needs an IAM signature.";

const NOT_FOUND_NOTE: &str = "Answered 404 {\"message\":\"Not Found\"}: an HTTP API's answer to a route or stage it does not have, before any authorizer, or the integration's own \"not found\" (this page cannot tell them apart). Check the Base URL and stage, and give path parameters values that exist.";

/// The row's verdict and, when the answer differs from the rule in a detail (403 where 401 was
/// expected), a note.
pub fn row_verdict(expected: &Expected, actual: &Actual) -> (RowVerdict, Option<String>) {
    let status = match actual {
        Actual::Answered { status, .. } => *status,
        Actual::Failed(message) => return (RowVerdict::NoAnswer, Some(message.clone())),
        Actual::Cancelled => return (RowVerdict::Cancelled, None),
        Actual::NotRun => return (RowVerdict::NotRun, None),
    };
    match expected {
        Expected::CannotJudge { .. } => (RowVerdict::CannotJudge, None),
        _ if says_nothing(status) => (
            RowVerdict::CannotJudge,
            Some(format!(
                "Answered {status}: a throttle or a server error, which API Gateway also answers before the authorizer (an authorizer that fails, a stage throttled, a proxy with no answer), so it shows nothing of the authorizer. If the integration answered it, the authorizer let the call through: see the API's logs, then run again."
            )),
        ),
        Expected::Allowed { .. } if unrouted(actual) == Some(403) => (
            RowVerdict::UnexpectedDenial,
            Some(UNROUTED_NOTE.into()),
        ),
        _ if unrouted(actual) == Some(404) => (RowVerdict::CannotJudge, Some(NOT_FOUND_NOTE.into())),
        Expected::Denied { .. } if unrouted(actual).is_some() => (
            RowVerdict::CannotJudge,
            Some(format!("{UNROUTED_NOTE} A refusal from before the authorizer shows nothing of it.")),
        ),
        Expected::Allowed { .. } if refused(status) => (
            RowVerdict::UnexpectedDenial,
            Some(format!(
                "Refused with {status} although the rules let this token through."
            )),
        ),
        Expected::Allowed { .. } => (RowVerdict::AsExpected, None),
        Expected::Denied { .. } if !refused(status) => (
            RowVerdict::SecurityFinding,
            Some(format!(
                "Answered {status}: the API let this token through where the method's authorizer must refuse it."
            )),
        ),
        // The authorizers that answer 401 never answer 403: a 403 came from something before
        // them, so it says nothing of the authorizer (and would pass with a wrong stage).
        Expected::Denied { status: 401, .. } if status == 403 => (
            RowVerdict::CannotJudge,
            Some(
                "Refused with 403, but this authorizer refuses with 401: something before it refused the call (an unknown path or stage — API Gateway's \"Missing Authentication Token\" —, a missing API key, WAF or a resource policy), so this does not show the authorizer at work. Check the base URL and stage."
                    .into(),
            ),
        ),
        Expected::Denied { status: want, .. } if *want != status => (
            RowVerdict::AsExpected,
            Some(format!(
                "Refused as expected, with {status} where AWS's rule gives {want}."
            )),
        ),
        Expected::Denied { .. } => (RowVerdict::AsExpected, None),
    }
}

/// One row as shown, reported and exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub operation: Operation,
    /// The path as sent, parameters filled.
    pub path: String,
    pub expected: Expected,
    pub actual: Actual,
    pub verdict: RowVerdict,
    pub note: Option<String>,
    /// The row's negative checks (empty unless they were asked for and apply).
    pub probes: Vec<ProbeResult>,
    /// The verb the request goes out as: the method's own, or ANY's stand-in
    /// (`ApiDescription::verb_sent`); None for an ANY no request can reach.
    pub verb: Option<String>,
}

impl MatrixRow {
    pub fn new(operation: Operation, path: String, expected: Expected, actual: Actual) -> Self {
        let (verdict, mut note) = row_verdict(&expected, &actual);
        let forbidden = matches!(actual, Actual::Answered { status: 403, .. });
        if operation.api_key && forbidden && verdict == RowVerdict::UnexpectedDenial {
            note = Some(
                "This method also requires an API key: without a valid x-api-key header API Gateway answers 403. Add it under Extra headers."
                    .into(),
            );
        }
        MatrixRow {
            path,
            expected,
            actual,
            verdict,
            note,
            probes: Vec::new(),
            verb: (operation.method != "ANY").then(|| operation.method.clone()),
            operation,
        }
    }

    pub fn with_probes(mut self, probes: Vec<ProbeResult>) -> Self {
        self.probes = probes;
        self
    }

    /// The row as sent as `verb` (ANY's stand-in; None when no request can reach it).
    pub fn sent_as(mut self, verb: Option<String>) -> Self {
        self.verb = verb;
        self
    }

    /// The method as shown and reported: "ANY (as HEAD)" for ANY, which the export does not say.
    pub fn method_label(&self) -> String {
        super::export::method_label(&self.operation.method, self.verb.as_deref())
    }

    /// Whether the call or a negative check could not be judged although the authorizer's rule
    /// was known: a throttle or a server error (see `says_nothing`), or a refusal from before
    /// the authorizer (a 403 where it answers 401, API Gateway's "Missing Authentication Token").
    pub fn answered_nothing(&self) -> bool {
        let nothing = |expected: &Expected, verdict: RowVerdict| {
            !matches!(expected, Expected::CannotJudge { .. }) && verdict == RowVerdict::CannotJudge
        };
        nothing(&self.expected, self.verdict)
            || self.probes.iter().any(|p| nothing(&p.expected, p.verdict))
    }

    /// The verdicts of the call with the token and of every negative check.
    fn verdicts(&self) -> impl Iterator<Item = RowVerdict> + '_ {
        std::iter::once(self.verdict).chain(self.probes.iter().map(|p| p.verdict))
    }

    /// The row as one outcome (the table's cell, the JSON download, the canary's per-method
    /// history): a security finding or an unexpected denial anywhere in it wins, then a missing
    /// answer, then a part that could not be judged (a negative check answered 500 proves
    /// nothing, whatever the call with the token got), then the call's own verdict.
    pub fn overall(&self) -> RowVerdict {
        [
            RowVerdict::SecurityFinding,
            RowVerdict::UnexpectedDenial,
            RowVerdict::NoAnswer,
            RowVerdict::Cancelled,
            RowVerdict::CannotJudge,
        ]
        .into_iter()
        .find(|v| self.verdicts().any(|x| x == *v))
        .unwrap_or(self.verdict)
    }

    fn line(&self) -> String {
        let mut line = format!(
            "{} {}: expected {}, got {} — {}",
            self.method_label(),
            self.path,
            self.expected.label(),
            self.actual.label(),
            self.verdict.label()
        );
        if let Some(note) = &self.note {
            line.push_str(&format!(" ({note})"));
        }
        line.push_str(&self.probe_clauses(&|t: &str| t.to_owned()));
        line
    }

    /// "; no token: 401 refused; altered signature: 200 SECURITY FINDING (note)": each negative
    /// check, with its own reason where it is not the row's, through `mask`.
    pub(super) fn probe_clauses(&self, mask: &dyn Fn(&str) -> String) -> String {
        let mut text = String::new();
        for probe in &self.probes {
            text.push_str(&format!("; {}", probe.summary()));
            if let Some(note) = probe
                .note
                .as_ref()
                .filter(|n| Some(*n) != self.note.as_ref())
            {
                text.push_str(&format!(" ({})", mask(note)));
            }
        }
        text
    }
}

/// Rows with `v` anywhere in them (the call with the token or a negative check).
fn count(rows: &[MatrixRow], v: RowVerdict) -> usize {
    rows.iter().filter(|r| r.verdicts().any(|x| x == v)).count()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The matrix's verdict: SECURITY FINDING when any row is one; FAIL on an unexpected denial or a
/// missing answer; CANCELLED when cancelled; PASS when every row that ran was judged as expected
/// (rows that cannot be judged or did not run are listed under it, never hidden); CANNOT JUDGE
/// when no row could be judged.
pub fn matrix_verdict(rows: &[MatrixRow]) -> Verdict {
    let lines = |v: RowVerdict| -> Vec<String> {
        rows.iter()
            .filter(|r| r.verdicts().any(|x| x == v))
            .map(MatrixRow::line)
            .collect()
    };
    let findings = count(rows, RowVerdict::SecurityFinding);
    if findings > 0 {
        return Verdict {
            outcome: Outcome::SecurityFinding,
            headline: format!(
                "SECURITY FINDING — {} let through a call its authorizer must refuse.",
                plural(findings, "method")
            ),
            reasons: lines(RowVerdict::SecurityFinding),
        };
    }
    let denials = count(rows, RowVerdict::UnexpectedDenial);
    let no_answer = count(rows, RowVerdict::NoAnswer);
    if denials + no_answer > 0 {
        let mut reasons = lines(RowVerdict::UnexpectedDenial);
        reasons.extend(lines(RowVerdict::NoAnswer));
        return Verdict {
            outcome: Outcome::Fail,
            headline: match (denials, no_answer) {
                (_, 0) => format!("FAIL — {} refused unexpectedly.", plural(denials, "method")),
                (0, _) => format!("FAIL — {} without an answer.", plural(no_answer, "method")),
                _ => format!(
                    "FAIL — {} refused unexpectedly, {} without an answer.",
                    plural(denials, "method"),
                    plural(no_answer, "method")
                ),
            },
            reasons,
        };
    }
    if count(rows, RowVerdict::Cancelled) > 0 {
        return Verdict {
            outcome: Outcome::Cancelled,
            headline: "CANCELLED — the matrix run was stopped before every method answered.".into(),
            reasons: Vec::new(),
        };
    }
    let judged = rows
        .iter()
        .filter(|r| r.verdict == RowVerdict::AsExpected)
        .count();
    let probes = rows
        .iter()
        .flat_map(|r| &r.probes)
        .filter(|p| p.verdict == RowVerdict::AsExpected)
        .count();
    let mut reasons = lines(RowVerdict::CannotJudge);
    let not_run = count(rows, RowVerdict::NotRun);
    if not_run > 0 {
        reasons.push(format!(
            "{} not run: methods that change data (tick Include methods that change data), with an empty path parameter, or an ANY whose path defines every verb itself.",
            plural(not_run, "method")
        ));
    }
    if judged == 0 {
        return Verdict {
            outcome: Outcome::CannotJudge,
            headline: "CANNOT JUDGE — no method of the matrix could be judged.".into(),
            reasons,
        };
    }
    // An answer that shows nothing of the authorizer where its rule was known may hide a finding
    // (an open method whose code failed without claims, a wrong stage refusing everything
    // before the authorizer): not a PASS, however many others answered as predicted.
    let unusable = rows.iter().filter(|r| r.answered_nothing()).count();
    if unusable > 0 {
        return Verdict {
            outcome: Outcome::CannotJudge,
            headline: format!(
                "CANNOT JUDGE — {} answered in a way that shows nothing of the authorizer (a throttle, a server error or a refusal from before it); {} answered as predicted.",
                plural(unusable, "method"),
                plural(judged, "method")
            ),
            reasons,
        };
    }
    Verdict {
        outcome: Outcome::Pass,
        headline: if probes == 0 {
            format!(
                "PASS — {} answered as the authorizer rules predict.",
                plural(judged, "method")
            )
        } else {
            format!(
                "PASS — {} answered as the authorizer rules predict; {} refused.",
                plural(judged, "method"),
                plural(probes, "negative check")
            )
        },
        reasons,
    }
}
