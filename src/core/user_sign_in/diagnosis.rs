//! Diagnoses of the user flow: what managed login sent back on the redirect, what the token
//! endpoint said to the code exchange or a refresh, and the API's answer to the wrong one of a
//! user's tokens. Causes follow docs/aws-behaviour.md, "User sign-in".

use super::SendToken;
use crate::core::diagnosis::{Diagnosis, Severity};
use crate::core::token::{OAuthErrorCode, TokenFailure};

fn error(what: String, cause: &str, fix: String) -> Diagnosis {
    Diagnosis {
        severity: Severity::Error,
        what,
        cause: cause.to_owned(),
        fix,
    }
}

/// The redirect came back with `state` other than the one this page sent (or none): the code is
/// not exchanged.
pub fn state_mismatch() -> Diagnosis {
    error(
        "The sign-in came back with a state that this tab did not send, so its code was not exchanged.".into(),
        "The redirect was started elsewhere (another tab, an old bookmark, a forged link), or this tab's session storage was cleared during the sign-in. Exchanging such a code is what OAuth's state protects against (cross-site request forgery).",
        "Press Sign in again in this tab and finish the sign-in in it.".into(),
    )
}

/// Managed login redirected back with `error` (and maybe `error_description`).
pub fn redirect_error(code: &str, description: Option<&str>) -> Diagnosis {
    let what = match description {
        Some(d) => format!("Managed login refused the sign-in: error \"{code}\" ({d})."),
        None => format!("Managed login refused the sign-in: error \"{code}\"."),
    };
    let (cause, fix) = match code {
        "redirect_mismatch" => (
            "The Redirect URI is not exactly one of the app client's allowed callback URLs (scheme, host, port, path and trailing slash all count).",
            "Add the Redirect URI shown here to the app client's callback URLs (the aws cognito-idp update-user-pool-client line does it), then sign in again.",
        ),
        "unauthorized_client" => (
            "The app client may not use the authorization code grant: the code flow is not among its allowed OAuth flows, or the OAuth settings are off.",
            "Enable \"Authorization code grant\" for the app client (AllowedOAuthFlows code, AllowedOAuthFlowsUserPoolClient true).",
        ),
        "invalid_scope" => (
            "A requested scope is not allowed for this app client (or not defined on a resource server).",
            "Request only scopes the app client allows; openid is needed for an ID token.",
        ),
        "unsupported_response_type" => (
            "The authorize request asked for a response type other than code.",
            "The page always sends response_type=code; a proxy or rewrite changed the request.",
        ),
        "access_denied" => (
            "The user (or a Lambda trigger, or an external identity provider) refused the sign-in.",
            "Sign in again; if a pre authentication or pre token generation trigger is set, read its logs.",
        ),
        "invalid_request" => (
            "A parameter is missing or wrong: usually the PKCE code_challenge, or the identity_provider named does not exist on the app client.",
            "Check identity_provider (or leave it empty for managed login), then sign in again.",
        ),
        _ => (
            "Managed login reported an error it names itself.",
            "Read error_description; the user pool's settings for this app client are the usual place to fix it.",
        ),
    };
    error(what, cause, fix.into())
}

/// The token endpoint refused a code exchange (`exchange`) or a refresh.
pub fn exchange_failure(failure: &TokenFailure, refreshing: bool, has_secret: bool) -> Diagnosis {
    let what = failure.to_string();
    let TokenFailure::OAuth { code, .. } = failure else {
        return error(
            what,
            "The answer was not the token endpoint's JSON: a proxy or a wrong Domain usually.",
            "Check the Domain, and the proxy's /oauth2/token route.".into(),
        );
    };
    let (cause, fix): (&str, String) = match (code, refreshing) {
        (OAuthErrorCode::InvalidGrant, false) => (
            "The code was already used, is older than five minutes, belongs to another app client, or the redirect_uri or code_verifier differs from the sign-in's (Cognito's codes work once).",
            "Press Sign in again and let the page exchange the new code once; do not reload a page that still shows ?code= in its address.".into(),
        ),
        (OAuthErrorCode::InvalidGrant, true) => (
            "The refresh token was revoked, has expired (30 days by default), or belongs to another app client.",
            "Sign in again to get a new refresh token.".into(),
        ),
        (OAuthErrorCode::InvalidClient, _) if has_secret => (
            "The client secret is wrong for this app client, or sent in a way the client does not accept.",
            "Type the app client's secret again (it is asked again after the redirect) or try the other Client authentication.".into(),
        ),
        (OAuthErrorCode::InvalidClient, _) => (
            "The app client has a secret, and this request sent none (or the Client ID is unknown).",
            "Enter the app client's secret in Client secret and sign in again.".into(),
        ),
        (OAuthErrorCode::UnauthorizedClient, _) => (
            "The app client may not use this grant, or a secret was sent for a client that has none.",
            "Enable the authorization code grant on the app client; leave Client secret empty for a public client.".into(),
        ),
        (OAuthErrorCode::Other(other), _) if other == "redirect_mismatch" => (
            "The redirect_uri of the exchange is not the one the sign-in used.",
            "Sign in again from this page without changing its address.".into(),
        ),
        (other, _) => (
            "The token endpoint refused the request with an OAuth error.",
            format!("Look up \"{other}\" in docs/aws-behaviour.md; error_description, when present, says more."),
        ),
    };
    error(what, cause, fix)
}

/// After the API answered `status` to a user's token: which token the method probably wanted.
/// API Gateway's Cognito authorizer takes the ID token on methods without authorization scopes
/// and the access token (with one of the scopes) on methods with them; both refusals are 401.
pub fn send_token_hint(sent: SendToken, status: u16) -> Option<Diagnosis> {
    if !matches!(status, 401 | 403) {
        return None;
    }
    let (what, cause, fix) = match sent {
        SendToken::AccessToken => (
            format!("The API answered {status} to the user's access token."),
            "If this method has no authorization scopes, API Gateway's Cognito authorizer expects the ID token and refuses an access token (401). With scopes, the access token must carry one of them.",
            "Choose Send token: ID token and call again; if the method has scopes, request one of them in Scopes and sign in again.",
        ),
        SendToken::IdToken => (
            format!("The API answered {status} to the user's ID token."),
            "If this method has authorization scopes, API Gateway expects the access token carrying one of them: an ID token has no scope claim (401, or 403 from a JWT authorizer).",
            "Choose Send token: Access token and call again.",
        ),
    };
    Some(Diagnosis {
        severity: Severity::Warning,
        what,
        cause: cause.to_owned(),
        fix: fix.to_owned(),
    })
}
