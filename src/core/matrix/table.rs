//! A matrix run leaving the page: CSV and JSON downloads and the lines of the evidence report.
//! Every text goes through `mask` (the tab's SecretBook) on its way out.

use serde_json::json;

use super::expect::Expected;
use super::verdict::{Actual, MatrixRow, RowVerdict};

/// `sent_as`: the verb the request went out as (ANY's stand-in; empty when none could reach it).
/// `sent`: `token` for the call with the held token, else the negative check's name.
const CSV_HEADER: &str =
    "method,sent_as,path,sent,authorizer,scopes,expected,actual_status,latency_ms,verdict,note";

/// RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would read as a formula.
fn csv_field(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

fn status_and_ms(actual: &Actual) -> (String, String) {
    match actual {
        Actual::Answered { status, millis, .. } => (status.to_string(), millis.to_string()),
        other => (other.label(), String::new()),
    }
}

/// One call of a row: with the token, or one of its negative checks.
struct Call<'a> {
    sent: &'a str,
    expected: &'a Expected,
    actual: &'a Actual,
    verdict: RowVerdict,
    note: Option<&'a str>,
}

fn calls(r: &MatrixRow) -> impl Iterator<Item = Call<'_>> {
    let main = Call {
        sent: "token",
        expected: &r.expected,
        actual: &r.actual,
        verdict: r.verdict,
        note: r.note.as_deref(),
    };
    std::iter::once(main).chain(r.probes.iter().map(|p| Call {
        sent: p.probe.label(),
        expected: &p.expected,
        actual: &p.actual,
        verdict: p.verdict,
        note: p.note.as_deref(),
    }))
}

/// One line per call (the token's, then each negative check's), a header first.
pub fn to_csv(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        for call in calls(r) {
            let (status, ms) = status_and_ms(call.actual);
            let fields = [
                r.operation.method.clone(),
                r.verb.clone().unwrap_or_default(),
                mask(&r.path),
                call.sent.to_owned(),
                r.operation.authorizer.label(),
                r.operation.scopes.join(" "),
                call.expected.label(),
                status,
                ms,
                call.verdict.label().to_owned(),
                mask(call.note.unwrap_or("")),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// `{"rows": [...]}` with the same columns as the CSV, plus why each expectation holds.
pub fn to_json(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> String {
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            let (status, millis) = status_of(&r.actual);
            let checks: Vec<_> = r
                .probes
                .iter()
                .map(|p| {
                    json!({
                        "sent": p.probe.label(),
                        "expected": p.expected.label(),
                        "expected_because": p.expected.why(),
                        "actual": p.actual.label(),
                        "status": status_of(&p.actual).0,
                        "verdict": p.verdict.label(),
                        "note": p.note.as_deref().map(mask),
                    })
                })
                .collect();
            json!({
                "method": r.operation.method,
                "sent_as": r.verb,
                "path": mask(&r.path),
                "authorizer": r.operation.authorizer.label(),
                "scopes": r.operation.scopes,
                "expected": r.expected.label(),
                "expected_because": r.expected.why(),
                "actual": r.actual.label(),
                "status": status,
                "latency_ms": millis,
                "verdict": r.verdict.label(),
                "note": r.note.as_deref().map(mask),
                "negative_checks": checks,
                // The row as one outcome: a finding among its negative checks shows here.
                "overall": r.overall().label(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "rows": rows })).unwrap_or_default()
}

fn status_of(actual: &Actual) -> (Option<u16>, Option<u64>) {
    match actual {
        Actual::Answered { status, millis, .. } => (Some(*status), Some(*millis)),
        _ => (None, None),
    }
}

/// The report's lines: one per row, "GET /pets — expected allowed, got 200 (12 ms): as expected".
pub fn report_lines(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let got = match &r.actual {
                Actual::Answered { status, millis, .. } => format!("{status} ({millis} ms)"),
                other => other.label(),
            };
            let mut line = format!(
                "{} {} — {}, scopes [{}]: expected {}, got {}: {}",
                r.method_label(),
                mask(&r.path),
                r.operation.authorizer.label(),
                r.operation.scopes.join(" "),
                r.expected.label(),
                got,
                r.verdict.label()
            );
            if let Some(note) = &r.note {
                line.push_str(&format!(" ({})", mask(note)));
            }
            line.push_str(&r.probe_clauses(mask));
            one_line(line)
        })
        .collect()
}

/// A report line stays one line: a scope or a note from an imported export holding a line break
/// would otherwise read as a row of its own (a method that was never called, "as expected").
fn one_line(line: String) -> String {
    if !line.chars().any(char::is_control) {
        return line;
    }
    line.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The rows as the evidence report holds them after the verdict: "Authorization matrix against
/// BASE (N methods):" and a line per row (the page's Download report and the command line's
/// `matrix --report`).
pub fn evidence_text(base_url: &str, rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> String {
    let mut text = format!(
        "\n\nAuthorization matrix against {} ({} methods):",
        mask(base_url),
        rows.len()
    );
    for line in report_lines(rows, mask) {
        text.push_str(&format!("\n- {line}"));
    }
    text
}
