//! JUnit XML for CI systems (GitHub Actions, GitLab, Jenkins read it): one test suite per run,
//! one test case per step (token, API call), per assertion and per negative check, and one for
//! the token checks. Every text is masked with the run's [`SecretBook`] before it is written.
//!
//! Written by hand rather than with an XML crate: the format is five elements and the escaping
//! below, and this module is part of the browser build, which should not grow for it.

use crate::core::assertions::AssertionResult;
use crate::core::canary::iso_utc_ms;
use crate::core::checks::{Check, Status};
use crate::core::negative::{NegativeResult, Verdict as NegativeVerdict};
use crate::core::run::{
    checks_headline, ChecksHeadline, SecretBook, StepResult, StepState, Verdict,
};
use crate::core::token::AccessToken;

/// How one test case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseResult {
    Passed,
    /// The system under test did not do what it must (message, details).
    Failed {
        message: String,
        detail: String,
    },
    /// The case could not be judged (nothing sent, unreadable assertions, no answer).
    Error {
        message: String,
        detail: String,
    },
    Skipped {
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    pub name: String,
    pub classname: String,
    pub time_secs: f64,
    pub result: CaseResult,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestSuite {
    pub name: String,
    pub timestamp_unix_ms: f64,
    pub cases: Vec<TestCase>,
    /// The verdict line, kept as the suite's system-out.
    pub verdict: String,
}

/// What one run produced, as the report needs it.
pub struct RunCases<'a> {
    pub name: String,
    pub started_at_unix_ms: f64,
    /// This run's token request; None when it reused the held token.
    pub token: Option<&'a StepResult<AccessToken>>,
    /// Why the token was reused or fetched again, when it was.
    pub token_note: Option<&'a str>,
    /// Why the run sent nothing, when a field stopped it: an error, not a skip (CI would read a
    /// suite of skips as "nothing failed").
    pub refused: Option<&'a str>,
    pub api: Option<&'a StepResult<()>>,
    pub assertion_results: &'a [AssertionResult],
    /// Bad assertion lines, when the assertions could not be read.
    pub assertion_errors: &'a [String],
    pub checks: &'a [Check],
    pub negatives: &'a [NegativeResult],
    pub verdict: Option<&'a Verdict>,
}

/// The test cases of one run, masked.
pub fn suite_for_run(run: &RunCases, book: &SecretBook) -> TestSuite {
    let m = |text: &str| book.mask(text);
    let mut cases = Vec::new();
    match (run.token, run.refused) {
        (_, Some(why)) => cases.push(TestCase {
            name: "token request".into(),
            classname: "steps".into(),
            time_secs: 0.0,
            result: CaseResult::Error {
                message: m(why),
                detail: m(why),
            },
        }),
        (Some(step), None) => cases.push(step_case("token request", Some(step), book)),
        (None, None) => cases.push(TestCase {
            name: "token request".into(),
            classname: "steps".into(),
            time_secs: 0.0,
            result: CaseResult::Skipped {
                message: m(run.token_note.unwrap_or("the held token was reused")),
            },
        }),
    }
    cases.push(step_case("API call", run.api, book));
    if !run.checks.is_empty() {
        let failed: Vec<String> = run
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect();
        // Passed only with the signature verified, as the Checks panel says "every check
        // passes": an unverified one read green in CI. Skipped is JUnit's "not judged".
        let result = match checks_headline(run.checks) {
            ChecksHeadline::AllPass => CaseResult::Passed,
            ChecksHeadline::Failed(n) => CaseResult::Failed {
                message: m(&format!("{n} token check(s) failed")),
                detail: m(&failed.join("\n")),
            },
            undecided @ (ChecksHeadline::Unverified(_) | ChecksHeadline::Warned(_)) => {
                CaseResult::Skipped {
                    message: m(&undecided.text()),
                }
            }
        };
        cases.push(TestCase {
            name: "token checks".into(),
            classname: "checks".into(),
            time_secs: 0.0,
            result,
        });
    }
    for error in run.assertion_errors {
        cases.push(TestCase {
            name: "assertion line".into(),
            classname: "assertions".into(),
            time_secs: 0.0,
            result: CaseResult::Error {
                message: m(error),
                detail: String::new(),
            },
        });
    }
    for a in run.assertion_results {
        let result = if a.passed {
            CaseResult::Passed
        } else {
            CaseResult::Failed {
                message: m(&format!("{} (actual: {})", a.assertion, a.actual)),
                detail: m(&a.actual),
            }
        };
        cases.push(TestCase {
            name: m(&a.assertion),
            classname: "assertions".into(),
            time_secs: 0.0,
            result,
        });
    }
    for n in run.negatives {
        let result = match n.verdict {
            NegativeVerdict::Refused => CaseResult::Passed,
            NegativeVerdict::SecurityFinding => CaseResult::Failed {
                message: m(&format!("SECURITY FINDING: {}", n.explanation)),
                detail: m(&n.actual),
            },
            NegativeVerdict::Unexpected => CaseResult::Error {
                message: m(&n.explanation),
                detail: m(&n.actual),
            },
        };
        cases.push(TestCase {
            name: n.case.label().to_owned(),
            classname: "negative".into(),
            time_secs: 0.0,
            result,
        });
    }
    let verdict = run.verdict.map_or_else(
        || "No verdict.".to_owned(),
        |v| {
            let mut text = v.headline.clone();
            for reason in &v.reasons {
                text.push_str("\n- ");
                text.push_str(reason);
            }
            m(&text)
        },
    );
    TestSuite {
        name: m(&run.name),
        timestamp_unix_ms: run.started_at_unix_ms,
        cases,
        verdict,
    }
}

/// One step as a test case; the token itself never reaches the report (only the diagnosis).
fn step_case<T>(name: &str, step: Option<&StepResult<T>>, book: &SecretBook) -> TestCase {
    let detail = |d: &crate::core::diagnosis::Diagnosis| {
        book.mask(&format!("{}\nCause: {}\nFix: {}", d.what, d.cause, d.fix))
    };
    let result = match step.map(|s| &s.state) {
        None => CaseResult::Skipped {
            message: "not run".into(),
        },
        Some(StepState::Done(_)) => CaseResult::Passed,
        Some(StepState::Failed(d)) => CaseResult::Failed {
            message: book.mask(&d.what),
            detail: detail(d),
        },
        Some(StepState::Cancelled(d) | StepState::NotSent(d)) => CaseResult::Error {
            message: book.mask(&d.what),
            detail: detail(d),
        },
    };
    TestCase {
        name: name.to_owned(),
        classname: "steps".into(),
        time_secs: step.and_then(StepResult::elapsed_ms).unwrap_or_default() / 1000.0,
        result,
    }
}

/// The `<testsuites>` document.
pub fn to_xml(suites: &[TestSuite]) -> String {
    let count = |pred: fn(&CaseResult) -> bool| -> usize {
        suites
            .iter()
            .flat_map(|s| s.cases.iter())
            .filter(|c| pred(&c.result))
            .count()
    };
    let total: usize = suites.iter().map(|s| s.cases.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"cognito-api-tester\" tests=\"{total}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n",
        count(|r| matches!(r, CaseResult::Failed { .. })),
        count(|r| matches!(r, CaseResult::Error { .. })),
        count(|r| matches!(r, CaseResult::Skipped { .. })),
    ));
    for suite in suites {
        let of =
            |pred: fn(&CaseResult) -> bool| suite.cases.iter().filter(|c| pred(&c.result)).count();
        let time: f64 = suite.cases.iter().map(|c| c.time_secs).sum();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" timestamp=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
            escape(&suite.name),
            escape(iso_utc_ms(suite.timestamp_unix_ms).trim_end_matches('Z')),
            suite.cases.len(),
            of(|r| matches!(r, CaseResult::Failed { .. })),
            of(|r| matches!(r, CaseResult::Error { .. })),
            of(|r| matches!(r, CaseResult::Skipped { .. })),
            seconds(time),
        ));
        for case in &suite.cases {
            let head = format!(
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
                escape(&case.name),
                escape(&case.classname),
                seconds(case.time_secs)
            );
            match &case.result {
                CaseResult::Passed => out.push_str(&format!("{head}/>\n")),
                CaseResult::Failed { message, detail } => out.push_str(&format!(
                    "{head}>\n      <failure message=\"{}\" type=\"failure\">{}</failure>\n    </testcase>\n",
                    escape(message),
                    escape(detail)
                )),
                CaseResult::Error { message, detail } => out.push_str(&format!(
                    "{head}>\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>\n",
                    escape(message),
                    escape(detail)
                )),
                CaseResult::Skipped { message } => out.push_str(&format!(
                    "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape(message)
                )),
            }
        }
        out.push_str(&format!(
            "    <system-out>{}</system-out>\n  </testsuite>\n",
            escape(&suite.verdict)
        ));
    }
    out.push_str("</testsuites>\n");
    out
}

fn seconds(secs: f64) -> String {
    crate::core::numbers::fixed(if secs.is_finite() { secs } else { 0.0 }, 3)
}

/// XML text and attribute escaping; characters XML 1.0 cannot carry at all become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::run::{Outcome, Secret, SecretKind};

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}&#10;"
        );
    }

    #[test]
    fn a_failed_assertion_is_a_failure_and_secrets_are_masked() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("top-secret-value"));
        let results = vec![
            AssertionResult {
                assertion: "status is 200".into(),
                passed: true,
                actual: "200".into(),
            },
            AssertionResult {
                assertion: "body contains \"x\"".into(),
                passed: false,
                actual: "echo top-secret-value".into(),
            },
        ];
        let verdict = Verdict {
            outcome: Outcome::Fail,
            headline: "FAIL — an assertion failed".into(),
            reasons: vec![],
        };
        let suite = suite_for_run(
            &RunCases {
                name: "run 1".into(),
                started_at_unix_ms: 1_800_000_000_000.0,
                token: None,
                token_note: None,
                refused: None,
                api: None,
                assertion_results: &results,
                assertion_errors: &[],
                checks: &[],
                negatives: &[],
                verdict: Some(&verdict),
            },
            &book,
        );
        let xml = to_xml(&[suite]);
        assert!(!xml.contains("top-secret-value"), "{xml}");
        assert!(
            xml.contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\""),
            "{xml}"
        );
        assert!(
            xml.contains("timestamp=\"2027-01-15T08:00:00.000\""),
            "{xml}"
        );
    }

    /// A run a field stopped (no API URL, say) wrote a suite of two skipped cases: CI read it
    /// as nothing failed while the verdict was CANNOT JUDGE. The refusal is an error now.
    #[test]
    fn a_refused_run_is_an_error_not_a_skip() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("top-secret-value"));
        let suite = suite_for_run(
            &RunCases {
                name: "run 1".into(),
                started_at_unix_ms: 0.0,
                token: None,
                token_note: None,
                refused: Some("Not sent: API URL is empty (top-secret-value)"),
                api: None,
                assertion_results: &[],
                assertion_errors: &[],
                checks: &[],
                negatives: &[],
                verdict: None,
            },
            &book,
        );
        let xml = to_xml(&[suite]);
        assert!(xml.contains("errors=\"1\""), "{xml}");
        assert!(xml.contains("Not sent: API URL is empty"), "{xml}");
        assert!(!xml.contains("top-secret-value"), "{xml}");
    }

    /// The token checks' case read Passed when no check failed, the signature unverified too
    /// (its key set unreachable, no WebCrypto): CI showed green where the page says it cannot
    /// tell whether API Gateway would accept the token.
    #[test]
    fn token_checks_pass_only_with_a_verified_signature() {
        let case = |status: Status| {
            let checks = vec![
                Check::new("Expiry", Status::Pass, "Expires in 1 h"),
                Check::new("Signature", status, "The key set could not be fetched"),
            ];
            let suite = suite_for_run(
                &RunCases {
                    name: "run".into(),
                    started_at_unix_ms: 0.0,
                    token: None,
                    token_note: None,
                    refused: None,
                    api: None,
                    assertion_results: &[],
                    assertion_errors: &[],
                    checks: &checks,
                    negatives: &[],
                    verdict: None,
                },
                &SecretBook::new(),
            );
            suite
                .cases
                .into_iter()
                .find(|c| c.name == "token checks")
                .map(|c| c.result)
        };
        assert_eq!(case(Status::Pass), Some(CaseResult::Passed));
        assert!(
            matches!(case(Status::Warn), Some(CaseResult::Skipped { message }) if message.contains("not verified")),
            "{:?}",
            case(Status::Warn)
        );
    }
}
