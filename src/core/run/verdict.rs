//! The verdict on a run: a pure function of what was sent and what came back. PASS only when
//! every required part passed; a run that cannot be judged, was cancelled or was skipped says
//! so instead of passing or failing.

use super::plan::Refusal;
use super::step::{StepResult, StepState};
use super::Job;
use crate::core::assertions::{AssertionParseErrors, AssertionResult};
use crate::core::checks::{Check, Status};
use crate::core::negative::{NegativeResult, Verdict as NegativeVerdict};
use crate::core::token::AccessToken;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// Get token alone succeeded: nothing about the API was judged yet.
    TokenObtained,
    Fail,
    /// The API accepted what it must refuse.
    SecurityFinding,
    /// Something needed for a verdict is missing or unreadable (bad assertion lines, nothing sent).
    CannotJudge,
    Cancelled,
    /// A scheduled tick that met a run in progress.
    Skipped,
}

impl Outcome {
    /// The word the page, the history and the exports use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::TokenObtained => "TOKEN",
            Self::Fail => "FAIL",
            Self::SecurityFinding => "SECURITY FINDING",
            Self::CannotJudge => "CANNOT JUDGE",
            Self::Cancelled => "CANCELLED",
            Self::Skipped => "SKIPPED",
        }
    }

    pub fn passed(self) -> bool {
        matches!(self, Self::Pass | Self::TokenObtained)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// One line: "PASS — the API answered 200 …", "FAIL — API call: …".
    pub headline: String,
    /// Every reason behind it, in order (failed assertions, failed checks, notes).
    pub reasons: Vec<String>,
}

impl Verdict {
    fn new(outcome: Outcome, headline: String, reasons: Vec<String>) -> Self {
        Self {
            outcome,
            headline,
            reasons,
        }
    }

    /// The first reason, or the headline: the history's "first failure" column.
    pub fn first_reason(&self) -> String {
        self.reasons
            .first()
            .cloned()
            .unwrap_or_else(|| self.headline.clone())
    }
}

/// What a run sent and got back, as the verdict needs it.
pub struct RunFacts<'a> {
    pub job: Job,
    /// Why the run sent nothing, when it did not.
    pub refusal: Option<&'a Refusal>,
    /// This run's token request (None when it reused the held token, or for Call API).
    pub token: Option<&'a StepResult<AccessToken>>,
    pub api: Option<&'a StepResult<()>>,
    /// The assertions as frozen at the start of the run.
    pub assertions:
        Option<&'a Result<Vec<crate::core::assertions::Assertion>, AssertionParseErrors>>,
    pub assertion_results: &'a [AssertionResult],
    /// The Checks panel's lines for the token the run used.
    pub checks: &'a [Check],
    pub negatives: &'a [NegativeResult],
}

/// The verdict, or None while there is nothing to judge (no run yet, or the API call of a Run
/// still out).
pub fn verdict(facts: &RunFacts) -> Option<Verdict> {
    let findings: Vec<String> = facts
        .negatives
        .iter()
        .filter(|n| n.verdict == NegativeVerdict::SecurityFinding)
        .map(|n| format!("{}: {}", n.case.label(), n.explanation))
        .collect();
    if !findings.is_empty() {
        return Some(Verdict::new(
            Outcome::SecurityFinding,
            format!(
                "SECURITY FINDING — the API accepted {} request{} it must refuse.",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" }
            ),
            findings,
        ));
    }
    if let Some(refusal) = facts.refusal {
        let outcome = if *refusal == Refusal::Busy {
            Outcome::Skipped
        } else {
            Outcome::CannotJudge
        };
        return Some(Verdict::new(
            outcome,
            format!("{} — {}", outcome.label(), refusal.message()),
            Vec::new(),
        ));
    }
    let cancelled = facts.token.is_some_and(StepResult::is_cancelled)
        || facts.api.is_some_and(StepResult::is_cancelled);
    if cancelled {
        return Some(Verdict::new(
            Outcome::Cancelled,
            "CANCELLED — the run was stopped before an answer; nothing was judged.".into(),
            Vec::new(),
        ));
    }
    if let Some(token) = facts.token {
        match &token.state {
            StepState::Failed(d) => {
                return Some(fail(format!("token request: {}", d.what), Vec::new()))
            }
            StepState::NotSent(d) => {
                return Some(Verdict::new(
                    Outcome::CannotJudge,
                    format!("CANNOT JUDGE — the token request was not sent: {}", d.cause),
                    Vec::new(),
                ))
            }
            _ => {}
        }
    }
    let failed_checks: Vec<String> = facts
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| format!("Check {}: {}", c.name, c.detail))
        .collect();
    let unverified = signature_note(facts.checks);
    let Some(api) = facts.api else {
        if facts.job == Job::Token && facts.token.is_some() {
            if !failed_checks.is_empty() {
                return Some(fail(
                    format!(
                        "the token was obtained, but {} check{} failed",
                        failed_checks.len(),
                        plural(failed_checks.len())
                    ),
                    failed_checks,
                ));
            }
            return Some(Verdict::new(
                Outcome::TokenObtained,
                "Token obtained. Press Call API to use it.".into(),
                unverified.into_iter().collect(),
            ));
        }
        // A Run whose API call is still out, or nothing run yet.
        return None;
    };
    let status = api.status();
    match &api.state {
        StepState::Failed(d) => return Some(fail(format!("API call: {}", d.what), failed_checks)),
        StepState::NotSent(d) => {
            return Some(Verdict::new(
                Outcome::CannotJudge,
                format!("CANNOT JUDGE — the API was not called: {}", d.cause),
                Vec::new(),
            ))
        }
        _ => {}
    }
    let status = status.map_or_else(|| "no status".to_owned(), |s| s.to_string());
    let failed_assertions: Vec<String> = facts
        .assertion_results
        .iter()
        .filter(|a| !a.passed)
        .map(|a| format!("{} (actual: {})", a.assertion, a.actual))
        .collect();
    if !failed_assertions.is_empty() || !failed_checks.is_empty() {
        let headline = match (failed_assertions.first(), failed_checks.len()) {
            (Some(first), _) => {
                format!("the API answered {status}, but an assertion failed: {first}")
            }
            (None, n) => format!(
                "the API answered {status}, but {n} token check{} failed",
                plural(n)
            ),
        };
        let mut reasons = failed_assertions;
        reasons.extend(failed_checks);
        return Some(fail(headline, reasons));
    }
    if let Some(Err(errors)) = facts.assertions {
        return Some(Verdict::new(
            Outcome::CannotJudge,
            format!(
                "CANNOT JUDGE — the API answered {status}, but {} assertion line{} cannot be read.",
                errors.0.len(),
                plural(errors.0.len())
            ),
            errors.messages(),
        ));
    }
    let checked = match facts.assertion_results.len() {
        0 => String::new(),
        n => format!(" and {n} assertion{} passed", plural(n)),
    };
    // A negative check asked for and answered with neither a refusal nor an acceptance (a 502, a
    // 404, no answer) proves nothing: the run cannot be called a PASS while it stands.
    let unjudged: Vec<String> = facts
        .negatives
        .iter()
        .filter(|n| n.verdict == NegativeVerdict::Unexpected)
        .map(|n| format!("{}: {} — {}", n.case.label(), n.actual, n.explanation))
        .collect();
    if !unjudged.is_empty() {
        return Some(Verdict::new(
            Outcome::CannotJudge,
            format!(
                "CANNOT JUDGE — the API answered {status} with the token{checked}, but {} negative check{} proved nothing either way.",
                unjudged.len(),
                plural(unjudged.len())
            ),
            unjudged,
        ));
    }
    Some(Verdict::new(
        Outcome::Pass,
        format!("PASS — the API answered {status} with the token{checked}."),
        unverified.into_iter().collect(),
    ))
}

fn fail(what: String, reasons: Vec<String>) -> Verdict {
    Verdict::new(Outcome::Fail, format!("FAIL — {what}"), reasons)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

const SIGNATURE_CHECK: &str = "Signature";

/// "Signature not verified: …" when the Signature check did not pass (and did not fail).
fn signature_note(checks: &[Check]) -> Option<String> {
    let signature = checks.iter().find(|c| c.name == SIGNATURE_CHECK)?;
    (signature.status != Status::Pass && signature.status != Status::Fail)
        .then(|| format!("Signature not verified: {}", signature.detail))
}

/// The line above the Checks panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChecksHeadline {
    /// Every check passed, the signature included.
    AllPass,
    Failed(usize),
    /// No check failed, but the signature was not verified: no promise about API Gateway.
    Unverified(String),
    /// Verified and nothing failed, but these checks warn (a stand-in issuer, another app
    /// client's pasted ID token, clocks that disagree): "every check passes" would not be true.
    Warned(Vec<&'static str>),
}

impl ChecksHeadline {
    pub fn text(&self) -> String {
        match self {
            Self::AllPass => {
                "Every check passes: API Gateway's Cognito authorizer should accept this token.".into()
            }
            Self::Failed(n) => format!(
                "{n} check{} failed: API Gateway would refuse this token.",
                plural(*n)
            ),
            Self::Unverified(detail) => format!(
                "No check failed, but the signature was not verified ({detail}), so this page cannot say whether API Gateway would accept the token."
            ),
            Self::Warned(names) => format!(
                "No check failed, but {} {}: read {} before trusting that API Gateway accepts this token.",
                names.join(", "),
                if names.len() == 1 { "warns" } else { "warn" },
                if names.len() == 1 { "it" } else { "them" }
            ),
        }
    }
}

/// Judges the Checks panel: "every check passes" only with a verified signature and no warning.
pub fn checks_headline(checks: &[Check]) -> ChecksHeadline {
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if failed > 0 {
        return ChecksHeadline::Failed(failed);
    }
    match checks.iter().find(|c| c.name == SIGNATURE_CHECK) {
        Some(c) if c.status == Status::Pass => {}
        Some(c) => return ChecksHeadline::Unverified(c.detail.trim_end_matches('.').to_owned()),
        None => return ChecksHeadline::Unverified("no signature check ran".into()),
    }
    let warned: Vec<&'static str> = checks
        .iter()
        .filter(|c| c.status == Status::Warn)
        .map(|c| c.name)
        .collect();
    if warned.is_empty() {
        ChecksHeadline::AllPass
    } else {
        ChecksHeadline::Warned(warned)
    }
}

#[cfg(test)]
mod tests;
