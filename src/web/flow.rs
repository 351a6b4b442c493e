//! The two steps of a run — get a token, call the API — as the browser performs them. The core
//! builds each request from the run's frozen snapshot and judges the answer (`core::steps`, the
//! same code the command-line runner uses); this module only picks the route and sends.

use crate::core::client_token::TokenSource;
use crate::core::diagnosis::Diagnosis;
use crate::core::exchange::RecordedRequest;
use crate::core::proxy::{self, Route};
use crate::core::run::{RunSnapshot, StepResult};
use crate::core::steps::{self, form_problem};
use crate::core::token::AccessToken;
use crate::web::http::{self, InFlight};

/// Gets a token from the snapshot's token source — the client-credentials grant at the token
/// endpoint, or GetClientToken — and reads the answer into the same [`AccessToken`].
pub async fn request_token(
    snapshot: &RunSnapshot,
    in_flight: &InFlight,
) -> StepResult<AccessToken> {
    let route_to = match snapshot.settings.token_source {
        TokenSource::TokenEndpoint => Route::Token,
        TokenSource::GetClientToken => Route::Idp,
    };
    let (request, proxied_target) = match steps::token_request(snapshot)
        .and_then(|request| routed(request, route_to, snapshot.settings.via_proxy))
    {
        Ok(pair) => pair,
        Err(d) => return StepResult::not_sent(d),
    };
    let (exchange, sent) = http::send(&request, timeout_ms(snapshot), in_flight).await;
    let state = steps::token_state(snapshot, sent, exchange.response.as_ref(), &request.url);
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
    let (request, proxied_target) = match steps::api_request(snapshot, authorization)
        .and_then(|request| routed(request, Route::Api, snapshot.settings.via_proxy))
    {
        Ok(pair) => pair,
        Err(d) => return StepResult::not_sent(d),
    };
    let (exchange, sent) = http::send(&request, timeout_ms(snapshot), in_flight).await;
    let state = steps::api_state(snapshot, sent, exchange.response.as_ref(), &request.url);
    StepResult {
        exchange: Some(exchange),
        proxied_target,
        state,
    }
}

fn timeout_ms(snapshot: &RunSnapshot) -> u32 {
    snapshot.settings.timeout_secs.saturating_mul(1000)
}

/// The request as fetched: to the target itself, or to this page's same-origin proxy route for
/// it (with the real target kept for the panel and for curl).
fn routed(
    mut request: RecordedRequest,
    route: Route,
    via_proxy: bool,
) -> Result<(RecordedRequest, Option<String>), Diagnosis> {
    if !via_proxy {
        return Ok((request, None));
    }
    let url = same_origin_route(&request.url, route).map_err(|e| form_problem(e.to_string()))?;
    let target = std::mem::replace(&mut request.url, url);
    Ok((request, Some(target)))
}

/// The absolute URL of this page's proxy route for `target` (`<origin>/proxy/<route>/…`).
pub fn same_origin_route(target: &str, route: Route) -> Result<String, proxy::ProxyError> {
    let path = proxy::proxied_path(target, route)?;
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    Ok(format!("{origin}{path}"))
}
