//! What AWS's rules predict for one method and the held token (docs/aws-behaviour.md,
//! "API Gateway REST API with a `COGNITO_USER_POOLS` authorizer", "REST API JWT authorizer" and
//! "Authorization matrix").

use serde_json::{Map, Value};

use super::export::{AuthorizerKind, Operation};
use crate::core::token::scope_claim;

/// The token's `token_use` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenUse {
    /// `access`: what client credentials (and GetClientToken) give.
    Access,
    /// `id`: an ID token (user sign-in).
    Id,
    /// No `token_use`, or another value: not a Cognito token.
    Other,
}

/// What the matrix needs to know of the token it sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldToken {
    pub token_use: TokenUse,
    /// From `scope` (space-separated): what the Cognito authorizer reads.
    pub scopes: Vec<String>,
    /// From `scp` (a string or a list): read by a JWT authorizer besides `scope`, never by the
    /// Cognito authorizer.
    pub scp: Vec<String>,
}

impl HeldToken {
    /// From the token's decoded claims.
    pub fn from_claims(claims: &Map<String, Value>) -> Self {
        let token_use = match claims.get("token_use").and_then(Value::as_str) {
            Some("access") => TokenUse::Access,
            Some("id") => TokenUse::Id,
            _ => TokenUse::Other,
        };
        let scopes: Vec<String> = claims
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| scope_claim(s).map(str::to_string).collect())
            .unwrap_or_default();
        let scp = match claims.get("scp") {
            Some(Value::String(s)) => scope_claim(s).map(str::to_string).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        HeldToken {
            token_use,
            scopes,
            scp,
        }
    }

    /// From the token the matrix sends: one that does not decode has no claims to read (its
    /// use unknown, no scopes), and the rules expect what they expect of such a token.
    pub fn of_token(token: &str) -> Self {
        crate::core::jwt::decode(token).claims().map_or_else(
            || HeldToken {
                token_use: TokenUse::Other,
                scopes: Vec::new(),
                scp: Vec::new(),
            },
            Self::from_claims,
        )
    }

    /// One of `wanted` in `scope` (the Cognito authorizer's claim).
    fn has_any(&self, wanted: &[String]) -> bool {
        self.scopes.iter().any(|s| wanted.contains(s))
    }

    /// One of `wanted` in `scope` or `scp` (a JWT authorizer reads both).
    fn has_any_in_scope_or_scp(&self, wanted: &[String]) -> bool {
        self.has_any(wanted) || self.scp.iter().any(|s| wanted.contains(s))
    }
}

/// The outcome the rules predict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The authorizer lets the call through (or there is none).
    Allowed { why: &'static str },
    /// The authorizer refuses with this status.
    Denied { status: u16, why: &'static str },
    /// The tool cannot predict it (Lambda or IAM authorizer, unknown scheme).
    CannotJudge { why: &'static str },
}

impl Expected {
    /// Short, for the table: "allowed", "401", "cannot judge".
    pub fn label(&self) -> String {
        match self {
            Self::Allowed { .. } => "allowed".into(),
            Self::Denied { status, .. } => format!("denied ({status})"),
            Self::CannotJudge { .. } => "cannot judge".into(),
        }
    }

    pub fn why(&self) -> &'static str {
        match self {
            Self::Allowed { why } | Self::Denied { why, .. } | Self::CannotJudge { why } => why,
        }
    }
}

/// The expected outcome of calling `op` with `token` (`None`: no token sent). Assumes the token is
/// valid (signature, issuer, expiry, a JWT authorizer's audience): those are the Checks panel's.
pub fn expected(op: &Operation, token: Option<&HeldToken>) -> Expected {
    match &op.authorizer {
        AuthorizerKind::None => Expected::Allowed {
            why: "No authorizer: API Gateway lets every caller through.",
        },
        AuthorizerKind::Lambda => Expected::CannotJudge {
            why: "A Lambda authorizer decides by its own code: the export does not say what it accepts.",
        },
        AuthorizerKind::Iam => Expected::CannotJudge {
            why: "IAM authorization needs a SigV4-signed request; this tool sends a bearer token, which IAM refuses.",
        },
        AuthorizerKind::Other(_) => Expected::CannotJudge {
            why: "The export names an authorizer type this tool does not know.",
        },
        AuthorizerKind::CognitoUserPools => cognito(op, token),
        AuthorizerKind::Jwt => jwt(op, token),
    }
}

fn cognito(op: &Operation, token: Option<&HeldToken>) -> Expected {
    let Some(token) = token else {
        return Expected::Denied {
            status: 401,
            why: "The Cognito authorizer refuses a call without a token with 401.",
        };
    };
    if op.scopes.is_empty() {
        return match token.token_use {
            TokenUse::Id => Expected::Allowed {
                why: "A Cognito authorizer without scopes accepts an ID token.",
            },
            _ => Expected::Denied {
                status: 401,
                why: "A Cognito authorizer without scopes accepts only an ID token; client credentials give an access token.",
            },
        };
    }
    match token.token_use {
        TokenUse::Access if token.has_any(&op.scopes) => Expected::Allowed {
            why: "The access token carries one of the method's scopes.",
        },
        TokenUse::Access => Expected::Denied {
            status: 401,
            why: "The access token carries none of the method's scopes: the Cognito authorizer answers 401.",
        },
        _ => Expected::Denied {
            status: 401,
            why: "A method with scopes needs an access token; the Cognito authorizer refuses this token with 401.",
        },
    }
}

fn jwt(op: &Operation, token: Option<&HeldToken>) -> Expected {
    let Some(token) = token else {
        return Expected::Denied {
            status: 401,
            why: "The JWT authorizer refuses a call without a token with 401.",
        };
    };
    if op.scopes.is_empty() {
        return Expected::Allowed {
            why: "A JWT authorizer without scopes accepts any valid token of a trusted issuer and audience.",
        };
    }
    if token.has_any_in_scope_or_scp(&op.scopes) {
        Expected::Allowed {
            why: "The token carries one of the method's scopes (scope or scp).",
        }
    } else {
        Expected::Denied {
            status: 403,
            why: "A valid token without the method's scopes: the JWT authorizer answers 403.",
        }
    }
}
