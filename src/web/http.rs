//! One fetch, recorded as the page saw it: status, readable headers, body, timing.
//! Timeouts and the Cancel button both abort the same AbortController; the
//! abort reason tells them apart afterwards.

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, RequestMode};

use crate::core::diagnosis::NetworkFailure;
use crate::core::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::web::clock;

/// The abort reason a timeout leaves on the signal.
const TIMEOUT_REASON: &str = "cognito-api-tester:timeout";
/// How long the CORS probe may take before the host counts as unreachable.
const PROBE_TIMEOUT_MS: u32 = 5_000;

// Why no complete response arrived: one type for every shell that sends (the CLI too).
pub use crate::core::steps::SendFailure;

/// A request in flight that the user can cancel.
#[derive(Clone, Debug)]
pub struct InFlight {
    controller: AbortController,
}

impl InFlight {
    pub fn new() -> Option<Self> {
        AbortController::new()
            .ok()
            .map(|controller| Self { controller })
    }

    pub fn cancel(&self) {
        self.controller.abort();
    }

    /// Whether it was cancelled or timed out (the authorization matrix stops its other requests).
    pub fn is_aborted(&self) -> bool {
        self.controller.signal().aborted()
    }
}

/// Sends the request and records the exchange. The exchange is returned even on
/// failure (without a response, or with the part that arrived).
pub async fn send(
    request: &RecordedRequest,
    timeout_ms: u32,
    in_flight: &InFlight,
) -> (Exchange, Result<(), SendFailure>) {
    let started_at_unix_ms = clock::now_unix_ms();
    let start = clock::monotonic_ms();
    let controller = in_flight.controller.clone();
    // Dropping a gloo Timeout cancels it, so the timer lives exactly as long as the request.
    // The reason must be an Error object: gloo-net panics on a fetch rejected with
    // anything else (a plain string, say).
    let _timer = Timeout::new(timeout_ms, move || {
        controller.abort_with_reason(&js_sys::Error::new(TIMEOUT_REASON));
    });
    let signal = in_flight.controller.signal();
    let mut exchange = Exchange {
        request: request.clone(),
        response: None,
        elapsed_ms: 0.0,
        started_at_unix_ms,
    };
    let outcome = match build(request, Some(&signal), RequestMode::Cors) {
        Err(message) => Err(SendFailure::NotBuilt { message }),
        Ok(built) => match built.send().await {
            Err(_) => {
                exchange.elapsed_ms = clock::monotonic_ms() - start;
                let failure = if signal.aborted() {
                    aborted_as(&signal, timeout_ms)
                } else {
                    probe(&request.url).await
                };
                Err(SendFailure::Network(failure))
            }
            // redirect: manual gives an opaque answer for any 3xx: the redirect itself is the result.
            Ok(response) if response.type_() == web_sys::ResponseType::Opaqueredirect => {
                exchange.elapsed_ms = clock::monotonic_ms() - start;
                Err(SendFailure::Redirected)
            }
            Ok(response) => {
                let headers: Vec<(String, String)> = response.headers().entries().collect();
                let body = response.binary().await;
                exchange.elapsed_ms = clock::monotonic_ms() - start;
                let (bytes, outcome) = match body {
                    Ok(bytes) => (bytes, Ok(())),
                    Err(_) if signal.aborted() => (
                        Vec::new(),
                        Err(SendFailure::Network(aborted_as(&signal, timeout_ms))),
                    ),
                    Err(e) => (
                        Vec::new(),
                        Err(SendFailure::BodyInterrupted {
                            message: e.to_string(),
                        }),
                    ),
                };
                exchange.response = Some(RecordedResponse::from_bytes(
                    response.status(),
                    response.status_text(),
                    headers,
                    bytes,
                ));
                outcome
            }
        },
    };
    (exchange, outcome)
}

/// Builds the fetch Request straight from web-sys, so nothing can throw past us: gloo-net's
/// builder calls `Headers::set` with `unwrap_throw` (a bad header value left the run unfinished
/// and the page stuck) and appends a `&` to a URL that has a query, so the URL sent differed from
/// the one shown. Here every step returns a Result and the URL is used byte for byte.
fn build(
    request: &RecordedRequest,
    signal: Option<&web_sys::AbortSignal>,
    mode: RequestMode,
) -> Result<gloo_net::http::Request, String> {
    let refused = |e: JsValue| {
        let detail = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "no detail".into());
        format!("The browser refused to build this request: {detail}")
    };
    let headers = web_sys::Headers::new().map_err(refused)?;
    for (name, value) in &request.headers {
        // append, as the CLI does: a name given twice (the field refuses it) would be joined, not dropped.
        headers.append(name, value).map_err(|e| {
            format!(
                "The header {name} was refused by the browser ({}).",
                refused(e)
            )
        })?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(&request.method);
    init.set_mode(mode);
    // Never followed: see SendFailure::Redirected. Only for real requests: the no-cors probe
    // (which only asks "is anyone there?") fails outright with manual redirects.
    if mode == RequestMode::Cors {
        init.set_redirect(web_sys::RequestRedirect::Manual);
    }
    init.set_headers(&headers);
    if let Some(signal) = signal {
        init.set_signal(Some(signal));
    }
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let built = web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(refused)?;
    Ok(gloo_net::http::Request::from(built))
}

fn aborted_as(signal: &web_sys::AbortSignal, timeout_ms: u32) -> NetworkFailure {
    let reason = signal.reason();
    let message = reason
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()));
    if message.as_deref() == Some(TIMEOUT_REASON) {
        NetworkFailure::TimedOut {
            after_ms: timeout_ms,
        }
    } else {
        NetworkFailure::Cancelled
    }
}

/// fetch rejects with the same TypeError for "CORS refused" and "nobody there".
/// A `no-cors` request tells them apart: it resolves (opaquely) when a server answered.
async fn probe(url: &str) -> NetworkFailure {
    let Some(probe) = InFlight::new() else {
        return NetworkFailure::Unreachable;
    };
    let controller = probe.controller.clone();
    let _timer = Timeout::new(PROBE_TIMEOUT_MS, move || controller.abort());
    let request = RecordedRequest {
        method: "GET".into(),
        url: url.to_string(),
        headers: Vec::new(),
        body: None,
    };
    let signal = probe.controller.signal();
    match build(&request, Some(&signal), RequestMode::NoCors) {
        Ok(builder) => match builder.send().await {
            Ok(_) => NetworkFailure::CorsBlocked,
            Err(_) => NetworkFailure::Unreachable,
        },
        Err(_) => NetworkFailure::Unreachable,
    }
}
