//! The two steps of a run — get a token, call the API — as the browser performs
//! them: the core builds and judges, this module only sends.

use crate::core::diagnosis::{self, Diagnosis, Severity, Step};
use crate::core::exchange::{Exchange, RecordedRequest};
use crate::core::proxy::{self, Route};
use crate::core::settings::{parse_extra_headers, Settings};
use crate::core::token::{self, AccessToken};
use crate::web::http::{self, InFlight, SendFailure};

/// What one step produced: the raw exchange (when a request went out) and its verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult<T> {
    pub exchange: Option<Exchange>,
    /// The real target when the request went through a same-origin proxy route.
    pub proxied_target: Option<String>,
    pub outcome: Result<T, Diagnosis>,
}

impl<T> StepResult<T> {
    fn refused(diagnosis: Diagnosis) -> Self {
        Self {
            exchange: None,
            proxied_target: None,
            outcome: Err(diagnosis),
        }
    }
}

/// POSTs the client-credentials grant and parses the answer.
pub async fn request_token(settings: &Settings, in_flight: &InFlight) -> StepResult<AccessToken> {
    let endpoint = match settings.token_endpoint() {
        Ok(endpoint) => endpoint,
        Err(e) => return StepResult::refused(form_problem(e.to_string())),
    };
    let built = token::build_token_request(
        &endpoint.url,
        settings.client_id.trim(),
        settings.client_secret.trim(),
        &settings.scope,
        settings.client_auth,
    );
    let (url, proxied_target) = match route(&built.url, Route::Token, settings.via_proxy) {
        Ok(pair) => pair,
        Err(d) => return StepResult::refused(d),
    };
    let request = RecordedRequest {
        method: "POST".into(),
        url,
        headers: built.headers,
        body: Some(built.body),
    };
    let (exchange, sent) = http::send(&request, timeout_ms(settings), in_flight).await;
    let outcome = match (sent, &exchange.response) {
        (Err(failure), _) => Err(send_failure(
            Step::Token,
            failure,
            &request.url,
            settings.via_proxy,
        )),
        (Ok(()), None) => Err(send_failure(
            Step::Token,
            SendFailure::BodyInterrupted {
                message: "no response".into(),
            },
            &request.url,
            settings.via_proxy,
        )),
        (Ok(()), Some(response)) => token::parse_token_response(response.status, &response.body)
            .map_err(|failure| {
                diagnosis::token_failure_with_scope(&failure, settings.client_auth, &settings.scope)
            }),
    };
    StepResult {
        exchange: Some(exchange),
        proxied_target,
        outcome,
    }
}

/// Calls the API with the bearer token; Ok when it answers 2xx.
pub async fn call_api(
    settings: &Settings,
    access_token: &str,
    in_flight: &InFlight,
) -> StepResult<()> {
    call_api_with(settings, Some(format!("Bearer {access_token}")), in_flight).await
}

/// Calls the API with exactly this Authorization header (None: no header at all),
/// for the negative checks that must be refused.
pub async fn call_api_with(
    settings: &Settings,
    authorization: Option<String>,
    in_flight: &InFlight,
) -> StepResult<()> {
    let extra = match parse_extra_headers(&settings.extra_headers) {
        Ok(headers) => headers,
        Err(e) => return StepResult::refused(form_problem(e)),
    };
    let (url, proxied_target) = match route(settings.api_url.trim(), Route::Api, settings.via_proxy)
    {
        Ok(pair) => pair,
        Err(d) => return StepResult::refused(d),
    };
    let mut headers: Vec<(String, String)> = authorization
        .map(|value| ("Authorization".to_string(), value))
        .into_iter()
        .collect();
    let body = (settings.method.takes_body() && !settings.api_body.is_empty())
        .then(|| settings.api_body.clone());
    let has_content_type = extra
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if body.is_some() && !has_content_type {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    headers.extend(extra);
    let request = RecordedRequest {
        method: settings.method.as_str().into(),
        url,
        headers,
        body,
    };
    let (exchange, sent) = http::send(&request, timeout_ms(settings), in_flight).await;
    let outcome = match (sent, &exchange.response) {
        (Err(failure), _) => Err(send_failure(
            Step::Api,
            failure,
            &request.url,
            settings.via_proxy,
        )),
        (Ok(()), Some(response)) => {
            match diagnosis::api_failure(response.status, &response.body, &response.headers) {
                Some(d) => Err(d),
                None => Ok(()),
            }
        }
        (Ok(()), None) => Ok(()),
    };
    StepResult {
        exchange: Some(exchange),
        proxied_target,
        outcome,
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

fn send_failure(step: Step, failure: SendFailure, url: &str, via_proxy: bool) -> Diagnosis {
    match failure {
        SendFailure::Network(network) => diagnosis::network_failure(step, network, url, via_proxy),
        SendFailure::BodyInterrupted { message } => diagnosis::body_interrupted(step, &message),
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
