//! The two steps of a run — get a token, call the API — as the browser performs them: the core
//! builds and judges from the run's frozen snapshot, this module only sends.

use crate::core::client_metadata::with_aws_client_metadata;
use crate::core::client_token::{self, TokenSource};
use crate::core::diagnosis::{self, Diagnosis, NetworkFailure, Severity, Step};
use crate::core::exchange::RecordedRequest;
use crate::core::proxy::{self, Route};
use crate::core::run::{RunSnapshot, StepResult, StepState};
use crate::core::settings::Settings;
use crate::core::token::{self, AccessToken};
use crate::web::http::{self, InFlight, SendFailure};

/// Gets a token from the snapshot's token source — the client-credentials grant at the token
/// endpoint, or GetClientToken — and reads the answer into the same [`AccessToken`].
pub async fn request_token(
    snapshot: &RunSnapshot,
    in_flight: &InFlight,
) -> StepResult<AccessToken> {
    let settings = &snapshot.settings;
    let metadata = match &snapshot.client_metadata {
        Ok(metadata) => metadata,
        Err(e) => return StepResult::not_sent(form_problem(e.clone())),
    };
    let secret = snapshot.secret.expose();
    let (built, route_to, step) = match settings.token_source {
        TokenSource::TokenEndpoint => {
            let endpoint = match settings.token_endpoint() {
                Ok(endpoint) => endpoint,
                Err(e) => return StepResult::not_sent(form_problem(e.to_string())),
            };
            let request = token::build_token_request(
                &endpoint.url,
                settings.client_id.trim(),
                secret,
                &settings.scope,
                settings.client_auth,
            );
            (
                with_aws_client_metadata(request, metadata),
                Route::Token,
                Step::Token,
            )
        }
        TokenSource::GetClientToken => {
            let endpoint = match settings.client_token_endpoint() {
                Ok(endpoint) => endpoint,
                Err(e) => return StepResult::not_sent(form_problem(e.to_string())),
            };
            let request = client_token::build_client_token_request(
                &endpoint.url,
                settings.client_id.trim(),
                secret,
                &settings.scope,
                metadata,
            );
            (request, Route::Idp, Step::ClientToken)
        }
    };
    let (url, proxied_target) = match route(&built.url, route_to, settings.via_proxy) {
        Ok(pair) => pair,
        Err(d) => return StepResult::not_sent(d),
    };
    let request = RecordedRequest {
        method: "POST".into(),
        url,
        headers: built.headers,
        body: Some(built.body),
    };
    let (exchange, sent) = http::send(&request, timeout_ms(settings), in_flight).await;
    let state = match (sent, &exchange.response) {
        (Err(failure), _) => failed(step, failure, &request.url, settings.via_proxy),
        (Ok(()), None) => StepState::Failed(diagnosis::body_interrupted(step, "no response")),
        (Ok(()), Some(response)) => match settings.token_source {
            TokenSource::TokenEndpoint => {
                match token::parse_token_response(response.status, &response.body) {
                    Ok(token) => StepState::Done(token),
                    Err(failure) => StepState::Failed(diagnosis::token_failure_with_secret(
                        &failure,
                        settings.client_auth,
                        &settings.scope,
                        secret,
                    )),
                }
            }
            TokenSource::GetClientToken => match client_token::parse_client_token_response(
                response.status,
                &response.body,
                secret,
            ) {
                Ok(token) => StepState::Done(token),
                Err(failure) => {
                    StepState::Failed(diagnosis::client_token_failure(&failure, &settings.scope))
                }
            },
        },
    };
    StepResult {
        exchange: Some(exchange),
        proxied_target,
        state,
    }
}

/// Calls the API with the bearer token; Done when it answers 2xx.
pub async fn call_api(
    snapshot: &RunSnapshot,
    access_token: &str,
    in_flight: &InFlight,
) -> StepResult<()> {
    call_api_with(snapshot, Some(format!("Bearer {access_token}")), in_flight).await
}

/// Calls the API with exactly this Authorization header (None: no header at all),
/// for the negative checks that must be refused.
pub async fn call_api_with(
    snapshot: &RunSnapshot,
    authorization: Option<String>,
    in_flight: &InFlight,
) -> StepResult<()> {
    let settings = &snapshot.settings;
    let extra = match &snapshot.headers {
        Ok(headers) => headers,
        Err(e) => return StepResult::not_sent(form_problem(e.clone())),
    };
    let (url, proxied_target) = match route(settings.api_url.trim(), Route::Api, settings.via_proxy)
    {
        Ok(pair) => pair,
        Err(d) => return StepResult::not_sent(d),
    };
    let mut headers: Vec<(String, String)> = authorization
        .map(|value| ("Authorization".to_string(), value))
        .into_iter()
        .collect();
    let body = (settings.method.takes_body() && !settings.api_body.is_empty())
        .then(|| settings.api_body.clone());
    let has_content_type = extra
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !has_content_type {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    headers.extend(extra.iter().map(|h| (h.name.clone(), h.value().to_owned())));
    let request = RecordedRequest {
        method: settings.method.as_str().into(),
        url,
        headers,
        body,
    };
    let (exchange, sent) = http::send(&request, timeout_ms(settings), in_flight).await;
    let state = match (sent, &exchange.response) {
        (Err(failure), _) => failed(Step::Api, failure, &request.url, settings.via_proxy),
        (Ok(()), Some(response)) => {
            match diagnosis::api_failure(response.status, &response.body, &response.headers) {
                Some(d) => StepState::Failed(d),
                None => StepState::Done(()),
            }
        }
        (Ok(()), None) => StepState::Failed(diagnosis::body_interrupted(Step::Api, "no response")),
    };
    StepResult {
        exchange: Some(exchange),
        proxied_target,
        state,
    }
}

fn timeout_ms(settings: &Settings) -> u32 {
    settings.timeout_secs.saturating_mul(1000)
}

/// The URL to fetch: the target itself, or this page's same-origin proxy route for it.
fn route(
    target: &str,
    route: Route,
    via_proxy: bool,
) -> Result<(String, Option<String>), Diagnosis> {
    if !via_proxy {
        return Ok((target.to_string(), None));
    }
    let url = same_origin_route(target, route).map_err(|e| form_problem(e.to_string()))?;
    Ok((url, Some(target.to_string())))
}

/// The absolute URL of this page's proxy route for `target` (`<origin>/proxy/<route>/…`).
pub fn same_origin_route(target: &str, route: Route) -> Result<String, proxy::ProxyError> {
    let path = proxy::proxied_path(target, route)?;
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    Ok(format!("{origin}{path}"))
}

fn failed<T>(step: Step, failure: SendFailure, url: &str, via_proxy: bool) -> StepState<T> {
    match failure {
        SendFailure::Network(NetworkFailure::Cancelled) => StepState::Cancelled(
            diagnosis::network_failure(step, NetworkFailure::Cancelled, url, via_proxy),
        ),
        SendFailure::Network(network) => {
            StepState::Failed(diagnosis::network_failure(step, network, url, via_proxy))
        }
        SendFailure::BodyInterrupted { message } => {
            StepState::Failed(diagnosis::body_interrupted(step, &message))
        }
        SendFailure::NotBuilt { message } => StepState::NotSent(form_problem(message)),
    }
}

fn form_problem(message: String) -> Diagnosis {
    Diagnosis {
        severity: Severity::Error,
        what: "The request was not sent.".into(),
        cause: message,
        fix: "Correct the highlighted field and try again.".into(),
    }
}
