//! One request, sent with reqwest (rustls) and recorded as the page records a fetch: status,
//! headers, body, timing. The core builds the request and judges the answer.

use std::time::{Duration, Instant};

use cognito_api_tester::core::diagnosis::NetworkFailure;
use cognito_api_tester::core::exchange::{Exchange, RecordedRequest, RecordedResponse};
use cognito_api_tester::core::steps::SendFailure;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::clock;

/// One client for the whole process: connections are reused between runs, as a browser does.
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(concat!("cognito-api-tester/", env!("CARGO_PKG_VERSION")))
        // A redirect is never followed (SendFailure::Redirected says why), as in the page.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("The HTTP client could not start: {e}"))
}

/// Sends the request; the exchange comes back even on failure (without a response).
pub async fn send(
    client: &reqwest::Client,
    request: &RecordedRequest,
    timeout_secs: u32,
) -> (Exchange, Result<(), SendFailure>) {
    let mut exchange = Exchange {
        request: request.clone(),
        response: None,
        elapsed_ms: 0.0,
        started_at_unix_ms: clock::now_unix_ms(),
    };
    let built = match build(client, request, timeout_secs) {
        Ok(built) => built,
        Err(message) => return (exchange, Err(SendFailure::NotBuilt { message })),
    };
    let start = Instant::now();
    let outcome = match client.execute(built).await {
        Err(e) => Err(SendFailure::Network(network_failure(&e, timeout_secs))),
        Ok(response) => {
            let status = response.status();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let (bytes, outcome) = match response.bytes().await {
                Ok(bytes) => (bytes.to_vec(), Ok(())),
                Err(e) if e.is_timeout() => (
                    Vec::new(),
                    Err(SendFailure::Network(NetworkFailure::TimedOut {
                        after_ms: timeout_secs.saturating_mul(1000),
                    })),
                ),
                Err(e) => (
                    Vec::new(),
                    Err(SendFailure::BodyInterrupted {
                        message: e.to_string(),
                    }),
                ),
            };
            exchange.response = Some(RecordedResponse::from_bytes(
                status.as_u16(),
                status.canonical_reason().unwrap_or_default().to_owned(),
                headers,
                bytes,
            ));
            // Not followed (the client's policy), as in the page: the 3xx is the result.
            if status.is_redirection() {
                Err(SendFailure::Redirected)
            } else {
                outcome
            }
        }
    };
    exchange.elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
    (exchange, outcome)
}

fn build(
    client: &reqwest::Client,
    request: &RecordedRequest,
    timeout_secs: u32,
) -> Result<reqwest::Request, String> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| format!("{} is not an HTTP method.", request.method))?;
    let url =
        reqwest::Url::parse(&request.url).map_err(|e| format!("The URL cannot be used ({e})."))?;
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        // The value is never quoted: it may be a credential.
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("The header name {name:?} is not valid HTTP."))?;
        // One byte per character, as the page's fetch sends a value up to U+00FF (ISO-8859-1, what
        // core::headers allows): `X-Name: café` goes out as the page sends it.
        let latin1: Option<Vec<u8>> = value
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect();
        let value = latin1
            .and_then(|bytes| HeaderValue::from_bytes(&bytes).ok())
            .ok_or_else(|| format!("The value of the header {name} is not valid HTTP."))?;
        headers.append(header, value);
    }
    let mut builder = client
        .request(method, url)
        .headers(headers)
        .timeout(Duration::from_secs(u64::from(timeout_secs.max(1))));
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    builder
        .build()
        .map_err(|e| format!("The request could not be built ({}).", without_url(&e)))
}

fn network_failure(e: &reqwest::Error, timeout_secs: u32) -> NetworkFailure {
    if e.is_timeout() {
        NetworkFailure::TimedOut {
            after_ms: timeout_secs.saturating_mul(1000),
        }
    } else {
        NetworkFailure::Unreachable
    }
}

/// reqwest's message without the URL (the core's diagnosis names the host itself).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "the URL");
    }
    text
}
