//! What a run prints: the verdict first, then the token and API steps, the assertions, failed
//! checks, negative checks and diagnoses. Every line goes through the secret book.

use cognito_api_tester::core::canary::iso_utc_ms;
use cognito_api_tester::core::checks::Status;
use cognito_api_tester::core::exchange::format_elapsed;
use cognito_api_tester::core::negative::Verdict as NegativeVerdict;
use cognito_api_tester::core::run::{SecretBook, StepResult};

use crate::runner::RunOutput;

/// The run as text, masked. `number`: shown when the run is one of a schedule.
pub fn describe(out: &RunOutput, number: Option<usize>, book: &SecretBook) -> String {
    let mut lines = Vec::new();
    let headline = out.verdict.as_ref().map_or_else(
        || "CANNOT JUDGE — nothing was judged.".to_owned(),
        |v| v.headline.clone(),
    );
    match number {
        Some(n) => lines.push(format!(
            "[{n}] {} {headline}",
            iso_utc_ms(out.started_at_unix_ms)
        )),
        None => lines.push(headline),
    }
    lines.extend(token_line(out));
    if let Some(api) = &out.api {
        let status = api
            .status()
            .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
        let timing = api
            .elapsed_ms()
            .map(|ms| format!(" in {}", format_elapsed(ms)))
            .unwrap_or_default();
        lines.push(format!(
            "  API: {} {} → {status}{timing}",
            out.snapshot.settings.method.as_str(),
            out.snapshot.settings.api_url.trim()
        ));
    }
    for a in &out.assertion_results {
        let mark = if a.passed { "✓" } else { "✗" };
        lines.push(format!("  {mark} {} (actual: {})", a.assertion, a.actual));
    }
    lines.extend(check_lines(out));
    for n in &out.negatives {
        let mark = match n.verdict {
            NegativeVerdict::Refused => "✓ refused",
            NegativeVerdict::SecurityFinding => "✗ SECURITY FINDING",
            NegativeVerdict::Unexpected => "? unexpected",
        };
        lines.push(format!(
            "  Negative check {}: {mark} — {} ({})",
            n.case.label(),
            n.actual,
            n.explanation
        ));
    }
    lines.extend(
        out.negative_notes
            .iter()
            .map(|n| format!("  Negative check {n}")),
    );
    if let Some(v) = &out.verdict {
        lines.extend(v.reasons.iter().map(|r| format!("  - {r}")));
    }
    for (step, name) in [
        (
            out.token.as_ref().and_then(StepResult::diagnosis),
            "Token request",
        ),
        (out.api.as_ref().and_then(StepResult::diagnosis), "API call"),
    ] {
        if let Some(d) = step {
            lines.push(format!("  {name}: {}", d.what));
            lines.push(format!("    Cause: {}", d.cause));
            lines.push(format!("    Fix: {}", d.fix));
        }
    }
    book.mask_all(&lines.join("\n"))
}

/// "  Token: new token in 85 ms (why)", or why the held one was reused; None when no token step ran.
pub fn token_line(out: &RunOutput) -> Option<String> {
    match (&out.token, &out.token_note) {
        (Some(step), note) => {
            let state = if step.value().is_some() {
                "new token"
            } else {
                "token request failed"
            };
            let timing = step
                .elapsed_ms()
                .map(|ms| format!(" in {}", format_elapsed(ms)))
                .unwrap_or_default();
            let note = note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            Some(format!("  Token: {state}{timing}{note}"))
        }
        (None, Some(note)) => Some(format!("  Token: {note}")),
        (None, None) => None,
    }
}

/// One line per token check that did not pass.
pub fn check_lines(out: &RunOutput) -> Vec<String> {
    out.checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|check| {
            format!(
                "  Check {} [{}]: {}",
                check.name,
                check.status.label(),
                check.detail
            )
        })
        .collect()
}
