//! The two requests of a run, built from its frozen snapshot, and the judgement of what came
//! back — one implementation for every shell that sends them (the page's `web::flow`, the
//! command-line runner). A shell only moves bytes: it sends the [`RecordedRequest`] built here
//! and hands the answer (or its [`SendFailure`]) back to [`token_state`] / [`api_state`].

use crate::core::assertions::{evaluate, AssertionResult, ResponseFacts};
use crate::core::client_metadata::with_aws_client_metadata;
use crate::core::client_token::{self, TokenSource};
use crate::core::diagnosis::{self, Diagnosis, NetworkFailure, Severity, Step};
use crate::core::exchange::{RecordedRequest, RecordedResponse};
use crate::core::run::{RunSnapshot, SecretBook, StepResult, StepState};
use crate::core::token::{self, AccessToken};
use crate::core::user_sign_in::{send_token_hint, Grant};

/// Why no complete response arrived, whatever the transport.
#[derive(Clone, Debug, PartialEq)]
pub enum SendFailure {
    /// No response at all: a network error, a timeout or a cancel.
    Network(NetworkFailure),
    /// Status and headers arrived but the body broke off.
    BodyInterrupted { message: String },
    /// The request could not be built (nothing was sent).
    NotBuilt { message: String },
    /// The server answered with a redirect, which is never followed: a redirect can drop the
    /// Authorization header or turn a POST into a GET, so what arrived would not be what was sent.
    Redirected,
}

/// The token request of this run from its token source: the client-credentials grant at the
/// token endpoint, or GetClientToken (the proxy route, a browser matter, is applied by the page
/// afterwards).
pub fn token_request(snapshot: &RunSnapshot) -> Result<RecordedRequest, Diagnosis> {
    let settings = &snapshot.settings;
    let metadata = snapshot
        .client_metadata
        .as_ref()
        .map_err(|e| form_problem(e.clone()))?;
    let secret = snapshot.secret.expose();
    let built = match settings.token_source {
        TokenSource::TokenEndpoint => {
            let endpoint = settings
                .token_endpoint()
                .map_err(|e| form_problem(e.to_string()))?;
            let request = token::build_token_request(
                &endpoint.url,
                settings.client_id.trim(),
                secret,
                &settings.scope,
                settings.client_auth,
            );
            with_aws_client_metadata(request, metadata)
        }
        TokenSource::GetClientToken => {
            let endpoint = settings
                .client_token_endpoint()
                .map_err(|e| form_problem(e.to_string()))?;
            client_token::build_client_token_request(
                &endpoint.url,
                settings.client_id.trim(),
                secret,
                &settings.scope,
                metadata,
            )
        }
    };
    Ok(RecordedRequest {
        method: "POST".into(),
        url: built.url,
        headers: built.headers,
        body: Some(built.body),
    })
}

/// Which request of a run the token step is, for its diagnoses.
pub fn token_step(snapshot: &RunSnapshot) -> Step {
    match snapshot.settings.token_source {
        TokenSource::TokenEndpoint => Step::Token,
        TokenSource::GetClientToken => Step::ClientToken,
    }
}

/// The API call of this run with exactly this Authorization header (None: no header at all, for
/// the negative check that must be refused).
pub fn api_request(
    snapshot: &RunSnapshot,
    authorization: Option<String>,
) -> Result<RecordedRequest, Diagnosis> {
    let settings = &snapshot.settings;
    let extra = snapshot
        .headers
        .as_ref()
        .map_err(|e| form_problem(e.clone()))?;
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
    Ok(RecordedRequest {
        method: settings.method.as_str().into(),
        url: settings.api_url.trim().to_owned(),
        headers,
        body,
    })
}

/// How the token step ended, from what the transport reported. `url`: where it was sent.
pub fn token_state(
    snapshot: &RunSnapshot,
    sent: Result<(), SendFailure>,
    response: Option<&RecordedResponse>,
    url: &str,
) -> StepState<AccessToken> {
    let settings = &snapshot.settings;
    let step = token_step(snapshot);
    let secret = snapshot.secret.expose();
    match (sent, response) {
        (Err(failure), _) => failed(step, failure, url, settings.via_proxy),
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
    }
}

/// How the API step ended: Done when it answered 2xx.
pub fn api_state(
    snapshot: &RunSnapshot,
    sent: Result<(), SendFailure>,
    response: Option<&RecordedResponse>,
    url: &str,
) -> StepState<()> {
    match (sent, response) {
        (Err(failure), _) => failed(Step::Api, failure, url, snapshot.settings.via_proxy),
        (Ok(()), Some(response)) => {
            match diagnosis::api_failure(response.status, &response.body, &response.headers) {
                Some(d) => StepState::Failed(with_send_token_hint(snapshot, response.status, d)),
                None => StepState::Done(()),
            }
        }
        (Ok(()), None) => StepState::Failed(diagnosis::body_interrupted(Step::Api, "no response")),
    }
}

/// A user's token refused with 401/403: the likely cause is the method's scopes against the
/// token sent (API Gateway takes the ID token without scopes, the access token with them).
fn with_send_token_hint(snapshot: &RunSnapshot, status: u16, d: Diagnosis) -> Diagnosis {
    let sign_in = &snapshot.settings.sign_in;
    if sign_in.grant != Grant::AuthorizationCode {
        return d;
    }
    match send_token_hint(sign_in.send_token, status) {
        Some(hint) => Diagnosis {
            cause: hint.cause,
            fix: hint.fix,
            ..d
        },
        None => d,
    }
}

/// The run's frozen, readable assertions against the API's answer (bad lines are the verdict's
/// "cannot judge", unless a readable one fails).
pub fn check_assertions(
    snapshot: &RunSnapshot,
    step: &StepResult<()>,
    book: &SecretBook,
) -> Vec<AssertionResult> {
    let assertions = &snapshot.checkable;
    let response = step.exchange.as_ref().and_then(|e| e.response.as_ref());
    let facts = ResponseFacts {
        status: response.map(|r| r.status),
        body: response.map(|r| r.body.as_str()).unwrap_or_default(),
        elapsed_ms: step.elapsed_ms().unwrap_or_default(),
        content_type: response.and_then(|r| {
            r.headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                .map(|(_, value)| value.as_str())
        }),
    };
    evaluate(assertions, &facts, book.masker())
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
        SendFailure::Redirected => StepState::Failed(diagnosis::redirected(step, url)),
    }
}

/// A request that could not be built from the inputs: nothing reached a server.
pub fn form_problem(message: String) -> Diagnosis {
    Diagnosis {
        severity: Severity::Error,
        what: "The request was not sent.".into(),
        cause: message,
        fix: "Correct the highlighted field and try again.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::run::{Job, Secret};
    use crate::core::settings::{HttpMethod, Settings};

    fn snapshot(settings: Settings) -> RunSnapshot {
        RunSnapshot::new(
            Job::Run,
            settings,
            Secret::new("demo-client-secret"),
            "status 200",
            0.0,
        )
    }

    fn demo() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "http://127.0.0.1:9090".into(),
            scope: "demo/example".into(),
            api_url: " http://127.0.0.1:9090/dev ".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn the_token_request_carries_the_snapshot_secret_and_scope() {
        let request = token_request(&snapshot(demo())).unwrap();
        assert_eq!(request.url, "http://127.0.0.1:9090/oauth2/token");
        let body = request.body.unwrap();
        assert!(body.contains("client_secret=demo-client-secret"), "{body}");
        assert!(body.contains("scope=demo%2Fexample"), "{body}");
    }

    #[test]
    fn the_api_request_adds_a_json_content_type_only_with_a_body() {
        let mut settings = demo();
        settings.method = HttpMethod::Post;
        settings.api_body = "{}".into();
        let request = api_request(&snapshot(settings), Some("Bearer t".into())).unwrap();
        assert_eq!(request.url, "http://127.0.0.1:9090/dev");
        assert!(request
            .headers
            .contains(&("Content-Type".into(), "application/json".into())));
        let plain = api_request(&snapshot(demo()), None).unwrap();
        assert!(plain.headers.is_empty());
    }

    #[test]
    fn answers_become_step_states() {
        let snap = snapshot(demo());
        let ok = RecordedResponse {
            status: 200,
            status_text: "OK".into(),
            headers: Vec::new(),
            body: r#"{"access_token":"a.b.c","token_type":"Bearer","expires_in":3600}"#.into(),
            size_bytes: 0,
            body_was_utf8: true,
        };
        assert!(matches!(
            token_state(&snap, Ok(()), Some(&ok), "u"),
            StepState::Done(_)
        ));
        let refused = RecordedResponse {
            status: 400,
            body: r#"{"error":"invalid_client"}"#.into(),
            ..ok.clone()
        };
        assert!(matches!(
            token_state(&snap, Ok(()), Some(&refused), "u"),
            StepState::Failed(_)
        ));
        let timed_out = SendFailure::Network(NetworkFailure::TimedOut { after_ms: 1000 });
        assert!(matches!(
            api_state(&snap, Err(timed_out), None, "u"),
            StepState::Failed(_)
        ));
        let unbuilt = SendFailure::NotBuilt {
            message: "bad header".into(),
        };
        assert!(matches!(
            api_state(&snap, Err(unbuilt), None, "u"),
            StepState::NotSent(_)
        ));
    }

    /// A redirect is a failed step that says so, for the token and the API request alike.
    #[test]
    fn a_redirect_is_never_an_answer() {
        let snap = snapshot(demo());
        let url = "http://127.0.0.1:9090/dev";
        match api_state(&snap, Err(SendFailure::Redirected), None, url) {
            StepState::Failed(d) => {
                assert!(d.what.contains("redirect"), "{d:?}");
                assert!(d.cause.contains(url), "{d:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            token_state(&snap, Err(SendFailure::Redirected), None, url),
            StepState::Failed(_)
        ));
    }

    #[test]
    fn a_users_refused_token_names_the_send_token_choice() {
        let mut settings = demo();
        settings.sign_in.grant = Grant::AuthorizationCode;
        let response = RecordedResponse {
            status: 401,
            status_text: "Unauthorized".into(),
            headers: Vec::new(),
            body: r#"{"message":"Unauthorized"}"#.into(),
            size_bytes: 26,
            body_was_utf8: true,
        };
        let state = api_state(&snapshot(settings), Ok(()), Some(&response), "http://x/dev");
        match state {
            StepState::Failed(d) => assert!(d.fix.contains("Send token: ID token"), "{d:?}"),
            _ => panic!("expected a failure"),
        }
    }
}
