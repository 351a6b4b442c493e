//! The authorization matrix: every method of an API Gateway export, the outcome AWS's rules
//! predict for the held token, and a verdict per row once the methods were called.
//!
//! Pure: the export is parsed here ([`parse_export`]), the expectation is a function of the
//! method's authorizer and the token's `token_use`/scopes ([`expected`]), the verdict a function
//! of expectation and answer ([`row_verdict`], [`matrix_verdict`]), the requests a function of the
//! row ([`plan_jobs`], [`row_request`]). The shells (the page, the command line) only send.

mod expect;
mod export;
mod history;
mod plan;
mod probe;
mod stored;
mod table;
mod verdict;

#[cfg(test)]
mod tests;

pub use expect::{expected, Expected, HeldToken, TokenUse};
pub use export::{
    parse_export, ApiDescription, AuthorizerKind, ExportError, ExportFormat, Operation, PathParam,
    MAX_EXPORT_BYTES,
};
pub use history::{canary_csv, canary_json, row_key, RowCounts, RowHistory, RowTrack};
pub use plan::{actual_of, base_url, example_params, plan_jobs, row_request, MatrixJob};
pub use probe::{Probe, ProbeResult};
pub use stored::description_from_value;
pub use table::{evidence_text, report_lines, to_csv, to_json};
pub use verdict::{
    matrix_verdict, row_verdict, Actual, MatrixRow, RowVerdict, CONCURRENCY, SAFE_METHODS,
};
