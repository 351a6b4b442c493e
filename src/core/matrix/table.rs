//! A matrix run leaving the page: CSV and JSON downloads and the lines of the evidence report.
//! Every text goes through `mask` (the tab's SecretBook) on its way out.

use serde_json::json;

use super::verdict::{Actual, MatrixRow};

const CSV_HEADER: &str =
    "method,path,authorizer,scopes,expected,actual_status,latency_ms,verdict,note";

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
        Actual::Answered { status, millis } => (status.to_string(), millis.to_string()),
        other => (other.label(), String::new()),
    }
}

/// One line per row, a header first.
pub fn to_csv(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        let (status, ms) = status_and_ms(&r.actual);
        let fields = [
            r.operation.method.clone(),
            mask(&r.path),
            r.operation.authorizer.label(),
            r.operation.scopes.join(" "),
            r.expected.label(),
            status,
            ms,
            r.verdict.label().to_owned(),
            mask(r.note.as_deref().unwrap_or("")),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `{"rows": [...]}` with the same columns as the CSV, plus why each expectation holds.
pub fn to_json(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> String {
    let rows: Vec<_> = rows
        .iter()
        .map(|r| {
            let (status, millis) = match r.actual {
                Actual::Answered { status, millis } => (Some(status), Some(millis)),
                _ => (None, None),
            };
            json!({
                "method": r.operation.method,
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
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "rows": rows })).unwrap_or_default()
}

/// The report's lines: one per row, "GET /pets — expected allowed, got 200 (12 ms): as expected".
pub fn report_lines(rows: &[MatrixRow], mask: &dyn Fn(&str) -> String) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let got = match &r.actual {
                Actual::Answered { status, millis } => format!("{status} ({millis} ms)"),
                other => other.label(),
            };
            let mut line = format!(
                "{} {} — {}, scopes [{}]: expected {}, got {}: {}",
                r.operation.method,
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
            line
        })
        .collect()
}
