//! GetClientToken: an M2M access token from the user-pools API (`cognito-idp`) instead of the
//! domain's `/oauth2/token`. Builds the JSON 1.1 request, reads the answer into the same
//! [`AccessToken`] the token endpoint yields, and types AWS's `{"__type", "message"}` errors.
//! Facts and sources: docs/aws-behaviour.md, "GetClientToken".

use std::fmt;

use serde_json::{json, Map, Value};

use super::client_metadata::ClientMetadata;
use super::exchange::{redact_text, truncate_outside_secrets};
use super::short_sort::sort_short;
use super::token::{normalise_scopes, AccessToken, TokenRequest};

/// The operation, as the `X-Amz-Target` header names it.
pub const TARGET: &str = "AWSCognitoIdentityProviderService.GetClientToken";
/// The AWS JSON 1.1 protocol's content type.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Where a token comes from: the domain's token endpoint or the user-pools API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TokenSource {
    /// `POST <domain>/oauth2/token`, grant_type=client_credentials.
    #[default]
    TokenEndpoint,
    /// `POST https://cognito-idp.<region>.<suffix>/`, GetClientToken.
    GetClientToken,
}

impl TokenSource {
    pub fn label(self) -> &'static str {
        match self {
            TokenSource::TokenEndpoint => "Token endpoint (OAuth 2.0)",
            TokenSource::GetClientToken => "GetClientToken API",
        }
    }

    /// The value of the form's `<option>` (stable: tests and links do not depend on labels).
    pub fn value(self) -> &'static str {
        match self {
            TokenSource::TokenEndpoint => "token-endpoint",
            TokenSource::GetClientToken => "get-client-token",
        }
    }

    pub fn from_value(value: &str) -> Option<TokenSource> {
        Self::all().into_iter().find(|s| s.value() == value)
    }

    pub fn all() -> [TokenSource; 2] {
        [TokenSource::TokenEndpoint, TokenSource::GetClientToken]
    }
}

/// Builds the GetClientToken POST to `endpoint` (`aws::cognito_idp_endpoint(region)`, or an
/// emulator's URL). Scopes are split like the Scope field; none means every scope of the client.
pub fn build_client_token_request(
    endpoint: &str,
    client_id: &str,
    secret: &str,
    scope: &str,
    metadata: &ClientMetadata,
) -> TokenRequest {
    let mut body = Map::new();
    body.insert("ClientId".into(), json!(client_id));
    body.insert("Secret".into(), json!(secret));
    let scopes = normalise_scopes(scope);
    if !scopes.is_empty() {
        body.insert("Scopes".into(), json!(scopes));
    }
    if !metadata.is_empty() {
        body.insert("ClientMetadata".into(), json!(metadata));
    }
    TokenRequest {
        url: endpoint.trim().to_owned(),
        headers: vec![
            ("Content-Type".to_owned(), CONTENT_TYPE.to_owned()),
            ("X-Amz-Target".to_owned(), TARGET.to_owned()),
        ],
        body: Value::Object(body).to_string(),
    }
}

/// The exceptions a user-pools API operation answers with; anything else is kept verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsException {
    NotAuthorized,
    InvalidParameter,
    ResourceNotFound,
    TooManyRequests,
    InternalError,
    /// AWS WAF blocked the request.
    Forbidden,
    /// The pre-token-generation (or another) Lambda trigger failed.
    UnexpectedLambda,
    InvalidLambdaResponse,
    UserLambdaValidation,
    Other(String),
}

impl AwsException {
    /// Reads `NotAuthorizedException`, `com.amazonaws.cognito#NotAuthorizedException`, or an
    /// `x-amzn-ErrorType` value `NotAuthorizedException:http://…`.
    pub fn parse(type_name: &str) -> Self {
        let name = type_name.rsplit('#').next().unwrap_or(type_name);
        let name = name.split(':').next().unwrap_or(name).trim();
        match name {
            "NotAuthorizedException" => Self::NotAuthorized,
            "InvalidParameterException" => Self::InvalidParameter,
            "ResourceNotFoundException" => Self::ResourceNotFound,
            "TooManyRequestsException" => Self::TooManyRequests,
            "InternalErrorException" => Self::InternalError,
            "ForbiddenException" => Self::Forbidden,
            "UnexpectedLambdaException" => Self::UnexpectedLambda,
            "InvalidLambdaResponseException" => Self::InvalidLambdaResponse,
            "UserLambdaValidationException" => Self::UserLambdaValidation,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::NotAuthorized => "NotAuthorizedException",
            Self::InvalidParameter => "InvalidParameterException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::TooManyRequests => "TooManyRequestsException",
            Self::InternalError => "InternalErrorException",
            Self::Forbidden => "ForbiddenException",
            Self::UnexpectedLambda => "UnexpectedLambdaException",
            Self::InvalidLambdaResponse => "InvalidLambdaResponseException",
            Self::UserLambdaValidation => "UserLambdaValidationException",
            Self::Other(name) => name,
        }
    }
}

/// Why GetClientToken gave no access token. Messages and snippets never contain the secret.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientTokenFailure {
    /// `{"__type": "…Exception", "message": "…"}`.
    Aws {
        status: u16,
        exception: AwsException,
        message: Option<String>,
    },
    EmptyBody {
        status: u16,
    },
    NotJson {
        status: u16,
        snippet: String,
    },
    /// JSON without `__type` and without `ClientAuthenticationResult.AccessToken`.
    MissingAccessToken {
        status: u16,
    },
    /// An access token with a non-2xx status.
    UnexpectedStatus {
        status: u16,
    },
}

impl ClientTokenFailure {
    pub fn status(&self) -> u16 {
        match self {
            Self::Aws { status, .. }
            | Self::EmptyBody { status }
            | Self::NotJson { status, .. }
            | Self::MissingAccessToken { status }
            | Self::UnexpectedStatus { status } => *status,
        }
    }
}

impl fmt::Display for ClientTokenFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Aws {
                status,
                exception,
                message,
            } => {
                write!(f, "GetClientToken failed: HTTP {status}, {}", exception.name())?;
                match message {
                    Some(m) => write!(f, " ({m})."),
                    None => f.write_str("."),
                }
            }
            Self::EmptyBody { status } => {
                write!(f, "GetClientToken answered HTTP {status} with an empty body.")
            }
            Self::NotJson { status, snippet } => write!(
                f,
                "GetClientToken answered HTTP {status} with something that is not JSON: \"{snippet}\""
            ),
            Self::MissingAccessToken { status } => write!(
                f,
                "GetClientToken answered HTTP {status} with JSON that has no ClientAuthenticationResult.AccessToken."
            ),
            Self::UnexpectedStatus { status } => write!(
                f,
                "GetClientToken sent an access token, but with HTTP {status} instead of 200."
            ),
        }
    }
}

const SNIPPET_CHARS: usize = 200;

/// Reads GetClientToken's answer. `secret` is masked out of any message or snippet quoted back
/// (servers echo request values in error messages).
pub fn parse_client_token_response(
    status: u16,
    body: &str,
    secret: &str,
) -> Result<AccessToken, ClientTokenFailure> {
    let clean = |text: &str| redact_text(text, &[secret]);
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(ClientTokenFailure::EmptyBody { status });
    }
    let Ok(value) = serde_json::from_str::<Value>(trimmed) else {
        let (shown, hidden) = truncate_outside_secrets(trimmed, SNIPPET_CHARS);
        let ellipsis = if hidden > 0 { "…" } else { "" };
        return Err(ClientTokenFailure::NotJson {
            status,
            snippet: format!("{}{ellipsis}", clean(shown)),
        });
    };
    let Some(object) = value.as_object() else {
        return Err(ClientTokenFailure::MissingAccessToken { status });
    };
    if let Some(type_name) = object.get("__type").and_then(Value::as_str) {
        return Err(ClientTokenFailure::Aws {
            status,
            exception: AwsException::parse(type_name),
            message: ["message", "Message"]
                .iter()
                .find_map(|k| object.get(*k).and_then(Value::as_str))
                .filter(|m| !m.trim().is_empty())
                .map(clean),
        });
    }
    let result = object
        .get("ClientAuthenticationResult")
        .and_then(Value::as_object);
    let access_token = match result
        .and_then(|r| r.get("AccessToken"))
        .and_then(Value::as_str)
    {
        Some(t) if !t.trim().is_empty() => t.to_owned(),
        _ => return Err(ClientTokenFailure::MissingAccessToken { status }),
    };
    if !(200..300).contains(&status) {
        return Err(ClientTokenFailure::UnexpectedStatus { status });
    }
    let mut other_fields: Vec<String> = result
        .map(|r| {
            r.keys()
                .filter(|k| !matches!(k.as_str(), "AccessToken" | "ExpiresIn" | "TokenType"))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    sort_short(&mut other_fields);
    Ok(AccessToken {
        access_token,
        expires_in: result
            .and_then(|r| r.get("ExpiresIn"))
            .and_then(Value::as_u64),
        token_type: result
            .and_then(|r| r.get("TokenType"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        other_fields,
    })
}

#[cfg(test)]
mod tests;
