//! What a matrix run sends, for both shells (the page's Run matrix and the command line's
//! `matrix`): which rows go out with which path, and the exact request of each row and of each
//! of its negative checks. The shells only send these and turn the answer into an [`Actual`].

use crate::core::diagnosis::NetworkFailure;
use crate::core::exchange::{Exchange, RecordedRequest};
use crate::core::negative;
use crate::core::run::SentHeader;
use crate::core::settings::check_http_url;
use crate::core::steps::SendFailure;

use super::{Actual, ApiDescription, Operation, Probe, SAFE_METHODS};

/// One row to run: the operation, its path with the parameters filled, whether to send it (a
/// data-changing method while those are excluded, an unfilled parameter or ANY on a path that
/// defines every verb is not sent) and the negative checks sent after the call with the token.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixJob {
    pub operation: Operation,
    /// What the request is sent with (`ApiDescription::verb_sent`: ANY's stand-in).
    pub verb: String,
    pub path: String,
    pub send: bool,
    pub probes: Vec<Probe>,
}

/// Each operation's path parameter values from the export's examples (empty when it gives none).
pub fn example_params(description: &ApiDescription) -> Vec<Vec<String>> {
    description
        .operations
        .iter()
        .map(|op| {
            op.path_params
                .iter()
                .map(|p| p.example.clone().unwrap_or_default())
                .collect()
        })
        .collect()
}

/// One job per operation. `values` holds each operation's path parameter values in order;
/// `include_changes` lets data-changing methods go out; `negative` adds each sent protected
/// method's negative checks.
pub fn plan_jobs(
    description: &ApiDescription,
    values: &[Vec<String>],
    include_changes: bool,
    negative: bool,
) -> Vec<MatrixJob> {
    description
        .operations
        .iter()
        .enumerate()
        .map(|(i, operation)| {
            let verb = description.verb_sent(operation).map(str::to_owned);
            let row: &[String] = values.get(i).map(Vec::as_slice).unwrap_or_default();
            let filled = operation
                .path_params
                .iter()
                .enumerate()
                .all(|(j, _)| row.get(j).is_some_and(|v| !v.trim().is_empty()));
            let lookup = |name: &str| {
                operation
                    .path_params
                    .iter()
                    .position(|p| p.name == name)
                    .and_then(|j| row.get(j).cloned())
                    .unwrap_or_default()
            };
            let path = operation.fill_path(&lookup);
            // ANY on a path that defines every verb: no request can reach it.
            let send = verb
                .as_deref()
                .is_some_and(|v| filled && (include_changes || SAFE_METHODS.contains(&v)));
            let probes = if send && negative {
                Probe::for_operation(operation)
            } else {
                Vec::new()
            };
            MatrixJob {
                operation: operation.clone(),
                verb: verb.unwrap_or_default(),
                path,
                send,
                probes,
            }
        })
        .collect()
}

/// The request for a row (`probe` None: with the run's token) or for one of its negative checks
/// (without the token, or with it altered): `base_url` + the row's path, the extra headers (an
/// Authorization among them is dropped: the row's own decides), and for a data-changing method
/// the export's example body as JSON. Err: the altered token could not be made.
pub fn row_request(
    base_url: &str,
    job: &MatrixJob,
    probe: Option<Probe>,
    access_token: &str,
    extra_headers: &[SentHeader],
) -> Result<RecordedRequest, String> {
    let authorization = match probe {
        None => Some(format!("Bearer {access_token}")),
        Some(probe) => {
            negative::authorization_for(probe.case(), access_token).map_err(|e| e.to_string())?
        }
    };
    let mut headers: Vec<(String, String)> = authorization
        .map(|value| ("Authorization".to_string(), value))
        .into_iter()
        .collect();
    headers.extend(
        extra_headers
            .iter()
            .filter(|h| !h.name.eq_ignore_ascii_case("authorization"))
            .map(|h| (h.name.clone(), h.value().to_owned())),
    );
    let body = if job.send && !SAFE_METHODS.contains(&job.verb.as_str()) {
        job.operation.body_example.clone()
    } else {
        None
    };
    if body.is_some()
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    Ok(RecordedRequest {
        method: job.verb.clone(),
        url: format!("{base_url}{}", job.path),
        headers,
        body,
    })
}

/// The Base URL each row's path is appended to, or why it cannot be: trimmed and without its
/// trailing slash, an http(s) URL (a relative one would send the token to the page's own host),
/// and without a query or fragment (every row's path would land after it: one address for all).
pub fn base_url(text: &str) -> Result<String, String> {
    let base = text.trim().trim_end_matches('/').to_owned();
    check_http_url("Base URL", &base)?;
    if base.contains(['?', '#']) {
        return Err("Base URL has a query (?…) or a fragment (#…): each method's path goes after the Base URL, so every row would call the same address. Give the stage's URL alone, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/dev.".into());
    }
    Ok(base)
}

/// What came back for a row, from the shell's exchange and how the send went. A redirect is no
/// answer (the native shell records the 3xx it refused to follow): the method was not reached.
pub fn actual_of(exchange: &Exchange, sent: Result<(), SendFailure>) -> Actual {
    let millis = exchange.elapsed_ms.max(0.0).round() as u64;
    if let Err(SendFailure::Redirected) = sent {
        return Actual::Failed("it answered with a redirect (3xx), which is not followed".into());
    }
    if let Some(response) = &exchange.response {
        return Actual::answered(response.status, millis, &response.body);
    }
    match sent {
        Err(SendFailure::Network(NetworkFailure::Cancelled)) => Actual::Cancelled,
        Err(SendFailure::Network(NetworkFailure::TimedOut { after_ms })) => {
            Actual::Failed(format!("no answer within {} s", after_ms / 1000))
        }
        Err(SendFailure::Network(NetworkFailure::CorsBlocked)) => Actual::Failed(
            "the browser blocked the answer (CORS): the API's Gateway Responses or OPTIONS lack CORS headers".into(),
        ),
        Err(SendFailure::Network(NetworkFailure::Unreachable)) => {
            Actual::Failed("the host did not answer".into())
        }
        Err(SendFailure::NotBuilt { message }) | Err(SendFailure::BodyInterrupted { message }) => {
            Actual::Failed(message)
        }
        Ok(()) | Err(SendFailure::Redirected) => Actual::Failed("no answer".into()),
    }
}
