//! `POST /` as `https://cognito-idp.<region>.amazonaws.com/`: the user pools API's `GetClientToken`
//! (AWS JSON 1.1 protocol), an M2M access token without a domain. See docs/aws-behaviour.md, GetClientToken.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use serde::Deserialize;

use crate::cors::allow_any_origin;
use crate::respond::{
    empty, media_type, read_limited, request_id, response, set_header, BodyError,
};
use crate::state::AppState;
use crate::token::{issue, select_scopes, TOKEN_BODY_LIMIT};

const AMZ_JSON: &str = "application/x-amz-json-1.1";
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// The route for `/`: POST is the API, OPTIONS its preflight (browsers call cognito-idp cross-origin, as
/// the Amplify SDKs do), anything else goes to the API stage's handler (API Gateway's 403).
pub(crate) fn routes() -> MethodRouter<Arc<AppState>> {
    post(handle).options(preflight).fallback(crate::api::handle)
}

/// A user pools API error: `{"__type": "...Exception", "message": ...}` plus `x-amzn-ErrorType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdpError {
    /// An `X-Amz-Target` the emulator does not implement (or none).
    UnknownOperation,
    /// The body is not the operation's JSON.
    Serialization(String),
    InvalidParameter(String),
    ResourceNotFound(String),
    NotAuthorized(String),
    /// A Lambda trigger (pre token generation) failed.
    UserLambdaValidation(String),
    InternalError(String),
}

impl IdpError {
    fn parts(&self) -> (StatusCode, &'static str, Option<&str>) {
        match self {
            IdpError::UnknownOperation => {
                (StatusCode::BAD_REQUEST, "UnknownOperationException", None)
            }
            IdpError::Serialization(m) => {
                (StatusCode::BAD_REQUEST, "SerializationException", Some(m))
            }
            IdpError::InvalidParameter(m) => (
                StatusCode::BAD_REQUEST,
                "InvalidParameterException",
                Some(m),
            ),
            IdpError::ResourceNotFound(m) => (
                StatusCode::BAD_REQUEST,
                "ResourceNotFoundException",
                Some(m),
            ),
            IdpError::NotAuthorized(m) => {
                (StatusCode::BAD_REQUEST, "NotAuthorizedException", Some(m))
            }
            IdpError::UserLambdaValidation(m) => (
                StatusCode::BAD_REQUEST,
                "UserLambdaValidationException",
                Some(m),
            ),
            IdpError::InternalError(m) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalErrorException",
                Some(m),
            ),
        }
    }
}

impl IntoResponse for IdpError {
    fn into_response(self) -> Response {
        let (status, kind, message) = self.parts();
        let body = match message {
            Some(m) => serde_json::json!({ "__type": kind, "message": m }),
            None => serde_json::json!({ "__type": kind }),
        };
        let mut resp = response(status, AMZ_JSON, body.to_string());
        set_header(resp.headers_mut(), "x-amzn-errortype", &format!("{kind}:"));
        resp
    }
}

/// Every answer: a request id and CORS `*` (the user pools API is called from browsers).
fn finish(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    set_header(h, "x-amzn-requestid", &request_id());
    allow_any_origin(h);
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("x-amzn-requestid, x-amzn-errortype, date"),
    );
    resp
}

/// The preflight: POST with the headers AWS's own browser clients send (Amplify JS: `Content-Type`,
/// `X-Amz-Target`, `X-Amz-User-Agent`, `Cache-Control`).
async fn preflight() -> Response {
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("POST"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("content-type, x-amz-target, x-amz-user-agent, cache-control"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    finish(resp)
}

async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let result = match read_limited(&parts.headers, body, TOKEN_BODY_LIMIT).await {
        Ok(bytes) => operation(&state, &parts.headers, &bytes),
        Err(BodyError::TooLarge) => Err(IdpError::InvalidParameter(format!(
            "request body over {TOKEN_BODY_LIMIT} bytes"
        ))),
        Err(BodyError::Broken) => Err(IdpError::Serialization("unreadable body".into())),
    };
    finish(match result {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    })
}

fn operation(state: &AppState, headers: &HeaderMap, body: &Bytes) -> Result<Response, IdpError> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix(TARGET_PREFIX));
    if target != Some("GetClientToken") {
        return Err(IdpError::UnknownOperation);
    }
    if media_type(headers).as_deref() != Some(AMZ_JSON) {
        return Err(IdpError::Serialization(format!(
            "Content-Type must be {AMZ_JSON}"
        )));
    }
    let request: GetClientTokenRequest = serde_json::from_slice(body)
        .map_err(|e| IdpError::Serialization(format!("body is not GetClientToken's JSON: {e}")))?;
    get_client_token(state, request)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetClientTokenRequest {
    client_id: Option<String>,
    secret: Option<String>,
    scopes: Option<Vec<String>>,
    /// Passed to the pre token generation trigger; the emulator has none, so it is only type-checked.
    #[serde(default)]
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

fn get_client_token(state: &AppState, req: GetClientTokenRequest) -> Result<Response, IdpError> {
    let client_id = req
        .client_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| IdpError::InvalidParameter("1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null".into()))?;
    let secret = req
        .secret
        .ok_or_else(|| IdpError::InvalidParameter("1 validation error detected: Value null at 'secret' failed to satisfy constraint: Member must not be null".into()))?;
    let client = state
        .config
        .clients
        .iter()
        .find(|c| c.id == client_id)
        .ok_or_else(|| {
            IdpError::ResourceNotFound(format!("User pool client {client_id} does not exist."))
        })?;
    if !client.accepts_secret(&secret) {
        return Err(IdpError::NotAuthorized("Incorrect client secret.".into()));
    }
    if !client.client_token_auth {
        // GetClientToken needs ALLOW_CLIENT_TOKEN_AUTH as the client's only auth flow.
        return Err(IdpError::NotAuthorized(
            "Client is not enabled for GetClientToken: ALLOW_CLIENT_TOKEN_AUTH must be its only auth flow."
                .into(),
        ));
    }
    let requested = req.scopes.unwrap_or_default();
    let scopes = select_scopes(client, requested.iter().map(String::as_str)).map_err(|()| {
        IdpError::InvalidParameter(format!(
            "Invalid scope requested: {} (allowed for this client: {})",
            requested.join(" "),
            client.allowed_scopes.join(" ")
        ))
    })?;
    if state.pre_token_lambda_failing() {
        return Err(IdpError::UserLambdaValidation(
            crate::token::PRE_TOKEN_FAILURE.into(),
        ));
    }
    let (token, validity) = issue(state, client, &scopes)
        .map_err(|_| IdpError::InternalError("the access token could not be signed".into()))?;
    Ok(response(
        StatusCode::OK,
        AMZ_JSON,
        serde_json::json!({
            "ClientAuthenticationResult": {
                "AccessToken": token,
                "ExpiresIn": validity,
                "TokenType": "Bearer",
            }
        })
        .to_string(),
    ))
}
