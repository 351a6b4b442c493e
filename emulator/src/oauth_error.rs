//! The token endpoint's error answers (RFC 6749 §5.2 as Cognito sends them), as one type handlers
//! return with `?`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::respond::response;

pub(crate) const JSON_UTF8: &str = "application/json;charset=UTF-8";

/// Why the token endpoint refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OAuthError {
    /// Missing `grant_type`, a repeated parameter, an unreadable body.
    InvalidRequest,
    /// Unknown client, wrong secret, no client authentication, malformed Basic credentials.
    InvalidClient,
    /// The client may not use the grant (no secret, flow not enabled).
    UnauthorizedClient,
    /// A requested scope the client may not have.
    InvalidScope,
    UnsupportedGrantType,
    /// A code that is unknown, used, expired or bound to another client, redirect URI or PKCE verifier; a
    /// refresh token that is unknown, revoked or another client's.
    InvalidGrant,
    /// `/oauth2/revoke` was given something other than a refresh token.
    UnsupportedTokenType,
    /// A body over the limit: 413 with `invalid_request` (Cognito's answer is undocumented).
    TooLarge,
    /// Signing failed: 500 `server_error`.
    ServerError,
    /// The pre token generation Lambda trigger failed: 500 `server_error` with a description (the shape
    /// is the emulator's; AWS documents only that the token endpoint answers 500).
    PreTokenLambdaFailed,
}

impl OAuthError {
    /// The `error` code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidRequest | OAuthError::TooLarge => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::UnauthorizedClient => "unauthorized_client",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::UnsupportedTokenType => "unsupported_token_type",
            OAuthError::ServerError | OAuthError::PreTokenLambdaFailed => "server_error",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            OAuthError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            OAuthError::ServerError | OAuthError::PreTokenLambdaFailed => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for OAuthError {
    /// Documented as 400 `{"error": ...}`; no `error_description`, as usually observed.
    fn into_response(self) -> Response {
        let body = match self {
            OAuthError::PreTokenLambdaFailed => serde_json::json!({
                "error": self.code(),
                "error_description": crate::token::PRE_TOKEN_FAILURE,
            }),
            _ => serde_json::json!({ "error": self.code() }),
        };
        response(self.status(), JSON_UTF8, body.to_string())
    }
}
