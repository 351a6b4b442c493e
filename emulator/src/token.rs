//! `POST /oauth2/token`: Cognito's token endpoint. The client credentials grant lives here; the
//! authorization code and refresh token grants in [`crate::user_tokens`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;

use crate::config::AppClient;
use crate::cors::{oauth_answer, preflight_answer};
use crate::oauth_error::{OAuthError, JSON_UTF8};
use crate::respond::{empty, media_type, read_limited, response, BodyError};
use crate::state::AppState;

/// Largest token request body accepted.
pub const TOKEN_BODY_LIMIT: usize = 64 * 1024;
/// What the (emulated) pre token generation trigger's failure says, in Cognito's
/// "<trigger> failed with error <message>." form.
pub(crate) const PRE_TOKEN_FAILURE: &str =
    "PreTokenGeneration failed with error Emulated pre token generation Lambda failure.";

/// Longest delay a fault may impose.
pub const MAX_DELAY_MS: u64 = 120_000;

/// Ways the token endpoint can be told to misbehave (see [`crate::Running::set_token_fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    /// 500 with an HTML error page.
    Html500,
    /// 405 with an empty body.
    Empty405,
    /// 200 `text/plain` "OK".
    NotJson200,
    /// Answers normally after `ms` milliseconds (capped at 120 000).
    Slow { ms: u64 },
    /// 400 `invalid_client` whose `error_description` repeats the request's body and
    /// Authorization header, as careless servers do: the page must mask what it echoes.
    EchoCredentials,
}

impl TokenFault {
    /// Parses the control route's `mode` (`html500`, `empty405`, `notjson200`, `slow`, `none`) and `ms`.
    pub fn parse(mode: &str, ms: Option<u64>) -> Result<Option<TokenFault>, String> {
        match mode.trim().to_ascii_lowercase().as_str() {
            "none" | "" => Ok(None),
            "html500" => Ok(Some(TokenFault::Html500)),
            "empty405" => Ok(Some(TokenFault::Empty405)),
            "notjson200" => Ok(Some(TokenFault::NotJson200)),
            "echo" => Ok(Some(TokenFault::EchoCredentials)),
            "slow" => Ok(Some(TokenFault::Slow {
                ms: ms.unwrap_or(5_000).min(MAX_DELAY_MS),
            })),
            other => Err(format!(
                "unknown token fault \"{other}\": use html500, empty405, notjson200, echo, slow (with ms=N) or none"
            )),
        }
    }

    /// The mode name used by [`TokenFault::parse`].
    pub fn name(&self) -> &'static str {
        match self {
            TokenFault::Html500 => "html500",
            TokenFault::Empty405 => "empty405",
            TokenFault::NotJson200 => "notjson200",
            TokenFault::Slow { .. } => "slow",
            TokenFault::EchoCredentials => "echo",
        }
    }
}

/// The claims of a client-credentials access token, in Cognito's order. No `aud`.
#[derive(Debug, Serialize)]
pub(crate) struct AccessClaims<'a> {
    pub sub: &'a str,
    pub token_use: &'a str,
    pub scope: String,
    pub auth_time: u64,
    pub iss: &'a str,
    pub exp: u64,
    pub iat: u64,
    pub version: u32,
    pub jti: String,
    pub client_id: &'a str,
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `/oauth2/token`: POST issues tokens, OPTIONS answers preflights, anything else an empty 405 (as
/// observed). Every answer, errors and faults included, carries CORS `*` and a request id.
pub(crate) fn routes() -> MethodRouter<Arc<AppState>> {
    post(handle)
        .options(preflight)
        .fallback(not_allowed)
        .layer(axum::middleware::map_response(oauth_answer))
}

/// Preflight handling is undocumented on Cognito; answer what a browser needs for client_secret_basic.
async fn preflight() -> Response {
    preflight_answer("POST", "authorization, content-type")
}

/// The endpoint is POST only; the observed answer to requests it does not take is an empty 405.
async fn not_allowed() -> Response {
    empty(StatusCode::METHOD_NOT_ALLOWED)
}

async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    match state.token_fault() {
        Some(TokenFault::Html500) => {
            return response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>\
                 <body><h1>Internal Server Error</h1><p>The token endpoint failed (emulated fault).</p></body></html>",
            )
        }
        Some(TokenFault::Empty405) => return empty(StatusCode::METHOD_NOT_ALLOWED),
        Some(TokenFault::NotJson200) => {
            return response(StatusCode::OK, "text/plain; charset=utf-8", "OK")
        }
        Some(TokenFault::Slow { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms.min(MAX_DELAY_MS))).await;
        }
        Some(TokenFault::EchoCredentials) | None => {}
    }
    let (parts, body) = req.into_parts();
    if media_type(&parts.headers).as_deref() != Some("application/x-www-form-urlencoded") {
        // Observed on Cognito: without the form Content-Type the answer is 405 with an empty body.
        return empty(StatusCode::METHOD_NOT_ALLOWED);
    }
    let bytes = match read_limited(&parts.headers, body, TOKEN_BODY_LIMIT).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return OAuthError::TooLarge.into_response(),
        Err(BodyError::Broken) => return OAuthError::InvalidRequest.into_response(),
    };
    if state.token_fault() == Some(TokenFault::EchoCredentials) {
        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");
        let echo = serde_json::json!({
            "error": "invalid_client",
            "error_description": format!(
                "Client authentication failed. Received body {} and Authorization {authorization}",
                String::from_utf8_lossy(&bytes)
            ),
        });
        return response(
            StatusCode::BAD_REQUEST,
            "application/json;charset=UTF-8",
            echo.to_string(),
        );
    }
    token_request(&state, &parts.headers, &bytes).into_response()
}

/// The form, or `None` when a parameter appears twice (RFC 6749 §3.2: invalid_request).
fn parse_form(bytes: &[u8]) -> Option<HashMap<String, String>> {
    let mut form = HashMap::new();
    for (k, v) in form_urlencoded::parse(bytes) {
        if form.insert(k.into_owned(), v.into_owned()).is_some() {
            return None;
        }
    }
    Some(form)
}

/// `Authorization: Basic Base64Encode(client_id:client_secret)` → (id, secret), decoded as Cognito
/// documents it: base64 of the raw `id:secret`, split on the first colon, **no** percent-decoding (so a
/// secret holding `/` or `+` that the caller form-urlencoded first does not match). `Err` when malformed.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?;
    let Ok(text) = value.to_str() else {
        return Some(Err(()));
    };
    let (scheme, rest) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        // Another scheme (e.g. Bearer) is not client authentication; the body may still carry it.
        return None;
    }
    let decoded = STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let pair = decoded
        .as_deref()
        .and_then(|d| d.split_once(':'))
        .map(|(id, secret)| (id.to_string(), secret.to_string()));
    Some(pair.ok_or(()))
}

/// Who is asking: client_secret_basic and/or client_secret_post, which must agree.
pub(crate) fn client_authentication(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(String, Option<String>), OAuthError> {
    let post_id = form.get("client_id").filter(|s| !s.is_empty());
    let post_secret = form.get("client_secret");
    match basic_credentials(headers) {
        Some(Err(())) => Err(OAuthError::InvalidClient),
        Some(Ok((id, secret))) => {
            let disagree =
                post_id.is_some_and(|p| *p != id) || post_secret.is_some_and(|p| *p != secret);
            if disagree {
                return Err(OAuthError::InvalidClient);
            }
            Ok((id, Some(secret)))
        }
        // No client authentication at all: RFC 6749 §5.2 says invalid_client (Cognito's exact code unconfirmed).
        None => match post_id {
            Some(id) => Ok((id.clone(), post_secret.cloned())),
            None => Err(OAuthError::InvalidClient),
        },
    }
}

fn token_request(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let form = parse_form(body).ok_or(OAuthError::InvalidRequest)?;
    let grant_type = match form.get("grant_type").map(String::as_str) {
        None | Some("") => return Err(OAuthError::InvalidRequest),
        Some(g) => g,
    };
    if !matches!(
        grant_type,
        "client_credentials" | "authorization_code" | "refresh_token"
    ) {
        return Err(OAuthError::UnsupportedGrantType);
    }
    let (client_id, secret) = client_authentication(headers, &form)?;
    let client = state
        .config
        .clients
        .iter()
        .find(|c| c.id == client_id)
        .ok_or(OAuthError::InvalidClient)?;
    if grant_type != "client_credentials" {
        return crate::user_tokens::token_grant(
            state,
            client,
            secret.as_deref(),
            grant_type,
            &form,
        );
    }
    if client.secrets.is_empty() {
        // A public client cannot use client credentials.
        return Err(OAuthError::UnauthorizedClient);
    }
    if !secret.is_some_and(|s| client.accepts_secret(&s)) {
        return Err(OAuthError::InvalidClient);
    }
    if !client.client_credentials {
        return Err(OAuthError::UnauthorizedClient);
    }
    let scopes = select_scopes(client, form.get("scope").map(String::as_str))
        .map_err(|()| OAuthError::InvalidScope)?;
    // aws_client_metadata: JSON of string pairs for the version 3 pre token generation trigger (M2M).
    if let Some(meta) = form.get("aws_client_metadata") {
        serde_json::from_str::<HashMap<String, String>>(meta)
            .map_err(|_| OAuthError::InvalidRequest)?;
    }
    if state.pre_token_lambda_failing() {
        return Err(OAuthError::PreTokenLambdaFailed);
    }
    let (token, validity) = issue(state, client, &scopes)?;
    Ok(response(
        StatusCode::OK,
        JSON_UTF8,
        serde_json::json!({
            "access_token": token,
            "expires_in": validity,
            "token_type": "Bearer",
        })
        .to_string(),
    ))
}

/// The requested scopes (deduplicated, in order) if all are allowed; every allowed scope when none is asked.
pub(crate) fn select_scopes<'a>(
    client: &AppClient,
    requested: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, ()> {
    let requested: Vec<&str> = requested
        .into_iter()
        .flat_map(str::split_whitespace)
        .collect();
    if requested.is_empty() {
        return Ok(client.allowed_scopes.clone());
    }
    let mut out: Vec<String> = Vec::new();
    for s in requested {
        if !client.allowed_scopes.iter().any(|a| a == s) {
            return Err(());
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    Ok(out)
}

/// A signed access token for `client` with `scopes`, and its validity in seconds.
pub(crate) fn issue(
    state: &AppState,
    client: &AppClient,
    scopes: &[String],
) -> Result<(String, u64), OAuthError> {
    let validity = state
        .config
        .token_validity
        .unwrap_or(client.access_token_validity);
    let now = now_secs();
    let claims = AccessClaims {
        sub: &client.id,
        token_use: "access",
        scope: scopes.join(" "),
        auth_time: now,
        iss: &state.issuer,
        exp: now.saturating_add(validity),
        iat: now,
        version: 2,
        jti: uuid::Uuid::new_v4().to_string(),
        client_id: &client.id,
    };
    state
        .keys
        .sign(&claims)
        .map(|token| (token, validity))
        .map_err(|e| {
            eprintln!("cognito-emulator: {e}");
            OAuthError::ServerError
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn basic_credentials_are_raw_and_split_on_the_first_colon() {
        let mut h = HeaderMap::new();
        let raw = STANDARD.encode("a%3Ab+c:s/e+c:ret%2F");
        h.insert(
            "authorization",
            HeaderValue::from_str(&format!("Basic {raw}")).unwrap(),
        );
        assert_eq!(
            basic_credentials(&h),
            Some(Ok(("a%3Ab+c".into(), "s/e+c:ret%2F".into())))
        );
        h.insert("authorization", HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_credentials(&h), Some(Err(())));
        h.insert("authorization", HeaderValue::from_static("Bearer x"));
        assert_eq!(basic_credentials(&h), None);
    }

    #[test]
    fn fault_modes_parse() {
        assert_eq!(
            TokenFault::parse("slow", Some(999_999)),
            Ok(Some(TokenFault::Slow { ms: MAX_DELAY_MS }))
        );
        assert_eq!(TokenFault::parse("none", None), Ok(None));
        assert!(TokenFault::parse("boom", None).is_err());
    }

    #[test]
    fn repeated_parameters_are_refused() {
        assert!(parse_form(b"grant_type=a&grant_type=b").is_none());
        assert!(parse_form(b"grant_type=a&scope=b").is_some());
    }
}
