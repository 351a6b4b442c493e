//! Users' tokens: the token endpoint's `authorization_code` and `refresh_token` grants (ID, access and
//! refresh tokens with Cognito's claims), `/oauth2/userInfo` and `/oauth2/revoke`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{AppClient, User};
use crate::cors::{oauth_answer, preflight_answer};
use crate::oauth_error::{OAuthError, JSON_UTF8};
use crate::respond::{empty, media_type, response};
use crate::state::AppState;
use crate::token::now_secs;
use crate::user_sessions::SignIn;

/// base64url(SHA-256(`text`)) without padding: the PKCE S256 challenge of a verifier.
pub(crate) fn s256(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
}

/// OpenID Connect's `at_hash`: base64url of the left half of SHA-256 of the access token.
pub(crate) fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.get(..16).unwrap_or_default())
}

/// A user's `sub`: a UUID derived from the pool and the username, so it stays the same across restarts.
pub(crate) fn user_sub(pool_id: &str, username: &str) -> String {
    let digest = Sha256::digest(format!("{pool_id}/{username}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0u8; 16]));
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// A user's access token claims, in Cognito's order.
#[derive(Serialize)]
struct UserAccessClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    version: u32,
    client_id: &'a str,
    origin_jti: &'a str,
    token_use: &'static str,
    scope: String,
    auth_time: u64,
    exp: u64,
    iat: u64,
    jti: String,
    username: &'a str,
}

/// A user's ID token claims, in Cognito's order.
#[derive(Serialize)]
struct IdClaims<'a> {
    at_hash: String,
    sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_verified: Option<bool>,
    iss: &'a str,
    #[serde(rename = "cognito:username")]
    cognito_username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    origin_jti: &'a str,
    aud: &'a str,
    token_use: &'static str,
    auth_time: u64,
    exp: u64,
    iat: u64,
    jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

/// The ID and access token of `sign_in` (and their validity in seconds).
fn issue(
    state: &AppState,
    client: &AppClient,
    user: &User,
    sign_in: &SignIn,
    nonce: Option<&str>,
) -> Result<(String, String, u64), OAuthError> {
    let validity = state
        .config
        .token_validity
        .unwrap_or(client.access_token_validity);
    let now = now_secs();
    let sub = user_sub(&state.config.pool_id, &user.username);
    let access = UserAccessClaims {
        sub: &sub,
        iss: &state.issuer,
        version: 2,
        client_id: &client.id,
        origin_jti: &sign_in.origin_jti,
        token_use: "access",
        scope: sign_in.scopes.join(" "),
        auth_time: sign_in.auth_time,
        exp: now.saturating_add(validity),
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        username: &user.username,
    };
    let signing_failed = |e| {
        eprintln!("cognito-emulator: {e}");
        OAuthError::ServerError
    };
    let access_token = state.keys.sign(&access).map_err(signing_failed)?;
    // Email claims only when the openid scope came with email (Cognito's rule for ID token attributes
    // is the client's read attributes; the email scope is the emulator's simple stand-in).
    let email_scope = sign_in.scopes.iter().any(|s| s == "email");
    let id = IdClaims {
        at_hash: at_hash(&access_token),
        sub: &sub,
        email_verified: user.email.as_ref().map(|_| user.email_verified),
        iss: &state.issuer,
        cognito_username: &user.username,
        nonce,
        origin_jti: &sign_in.origin_jti,
        aud: &client.id,
        token_use: "id",
        auth_time: sign_in.auth_time,
        exp: now.saturating_add(validity),
        iat: now,
        jti: uuid::Uuid::new_v4().to_string(),
        email: user.email.as_deref().filter(|_| email_scope),
    };
    let id = IdClaims {
        email_verified: id.email_verified.filter(|_| email_scope),
        ..id
    };
    let id_token = state.keys.sign(&id).map_err(signing_failed)?;
    Ok((id_token, access_token, validity))
}

fn user<'a>(state: &'a AppState, username: &str) -> Result<&'a User, OAuthError> {
    // A user deleted from the configuration cannot happen at run time; answer like a revoked session.
    state
        .config
        .users
        .iter()
        .find(|u| u.username == username)
        .ok_or(OAuthError::InvalidGrant)
}

/// The client authentication an app client needs: its secret when it has one, none otherwise.
fn authenticate(client: &AppClient, secret: Option<&str>) -> Result<(), OAuthError> {
    match (client.secrets.is_empty(), secret) {
        (true, None) => Ok(()),
        (false, Some(s)) if client.accepts_secret(s) => Ok(()),
        _ => Err(OAuthError::InvalidClient),
    }
}

/// The token endpoint's `authorization_code` and `refresh_token` grants, after client identification.
pub(crate) fn token_grant(
    state: &AppState,
    client: &AppClient,
    secret: Option<&str>,
    grant_type: &str,
    form: &HashMap<String, String>,
) -> Result<Response, OAuthError> {
    authenticate(client, secret.filter(|s| !s.is_empty()))?;
    let param = |name: &str| form.get(name).filter(|v| !v.is_empty());
    if grant_type == "refresh_token" {
        let token = param("refresh_token").ok_or(OAuthError::InvalidRequest)?;
        let sign_in = state
            .sessions
            .refresh(token)
            .filter(|s| s.client_id == client.id)
            .ok_or(OAuthError::InvalidGrant)?;
        let user = user(state, &sign_in.username)?;
        let (id_token, access_token, validity) = issue(state, client, user, &sign_in, None)?;
        return Ok(tokens(id_token, access_token, None, validity));
    }
    let code = param("code").ok_or(OAuthError::InvalidRequest)?;
    let grant = state
        .sessions
        .take_code(code, Instant::now())
        .ok_or(OAuthError::InvalidGrant)?;
    if grant.sign_in.client_id != client.id || param("redirect_uri") != Some(&grant.redirect_uri) {
        return Err(OAuthError::InvalidGrant);
    }
    if let Some(challenge) = &grant.challenge {
        let verifier = param("code_verifier").ok_or(OAuthError::InvalidGrant)?;
        if s256(verifier) != *challenge {
            return Err(OAuthError::InvalidGrant);
        }
    }
    let user = user(state, &grant.sign_in.username)?;
    let (id_token, access_token, validity) =
        issue(state, client, user, &grant.sign_in, grant.nonce.as_deref())?;
    let refresh = state.sessions.issue_refresh_token(grant.sign_in);
    Ok(tokens(id_token, access_token, Some(refresh), validity))
}

fn tokens(id: String, access: String, refresh: Option<String>, validity: u64) -> Response {
    let mut body = serde_json::json!({
        "id_token": id,
        "access_token": access,
        "expires_in": validity,
        "token_type": "Bearer",
    });
    if let (Some(r), Some(map)) = (refresh, body.as_object_mut()) {
        map.insert("refresh_token".into(), r.into());
    }
    response(StatusCode::OK, JSON_UTF8, body.to_string())
}

/// `/oauth2/userInfo` (GET or POST with the access token) and `/oauth2/revoke` (POST): CORS `*` on
/// every answer, preflights answered.
pub(crate) fn userinfo_route() -> MethodRouter<Arc<AppState>> {
    get(userinfo)
        .post(userinfo)
        .options(preflight)
        .layer(axum::middleware::map_response(oauth_answer))
}

pub(crate) fn revoke_route() -> MethodRouter<Arc<AppState>> {
    post(revoke)
        .options(preflight)
        .layer(axum::middleware::map_response(oauth_answer))
}

async fn preflight() -> Response {
    preflight_answer("GET, POST", "authorization, content-type")
}

#[derive(Deserialize)]
struct AccessView {
    token_use: Option<String>,
    iss: Option<String>,
    username: Option<String>,
    origin_jti: Option<String>,
    scope: Option<String>,
}

/// 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750).
fn invalid_token(description: &'static str) -> Response {
    let mut resp = response(
        StatusCode::UNAUTHORIZED,
        JSON_UTF8,
        serde_json::json!({"error": "invalid_token", "error_description": description}).to_string(),
    );
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    resp
}

async fn userinfo(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return invalid_token("Access token is missing");
    };
    let Ok(claims) = crate::authorizer::verified::<AccessView>(token, &state.keys) else {
        return invalid_token("Invalid access token");
    };
    if claims.iss.as_deref() != Some(state.issuer.as_str())
        || claims.token_use.as_deref() != Some("access")
    {
        return invalid_token("Access token required (an ID token is not accepted)");
    }
    if claims
        .origin_jti
        .as_deref()
        .is_some_and(|o| state.sessions.is_revoked(o))
    {
        return invalid_token("Access token has been revoked");
    }
    let openid = claims
        .scope
        .as_deref()
        .is_some_and(|s| s.split_whitespace().any(|x| x == "openid"));
    let user = claims
        .username
        .as_deref()
        .and_then(|n| state.config.users.iter().find(|u| u.username == n));
    let (true, Some(user)) = (openid, user) else {
        return invalid_token("The access token needs the openid scope and a user");
    };
    let mut body = serde_json::json!({
        "sub": user_sub(&state.config.pool_id, &user.username),
        "username": user.username,
    });
    if let (Some(email), Some(map)) = (&user.email, body.as_object_mut()) {
        map.insert("email".into(), email.clone().into());
        map.insert(
            "email_verified".into(),
            if user.email_verified { "true" } else { "false" }.into(),
        );
    }
    response(StatusCode::OK, JSON_UTF8, body.to_string())
}

/// `POST /oauth2/revoke`: `token` (a refresh token) with the client's authentication. Answers 200 with
/// an empty body; access and ID tokens are refused with `unsupported_token_type`.
async fn revoke(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    if media_type(&headers).as_deref() != Some("application/x-www-form-urlencoded") {
        return OAuthError::InvalidRequest.into_response();
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    match revoke_request(&state, &headers, &form) {
        Ok(()) => empty(StatusCode::OK),
        Err(e) => e.into_response(),
    }
}

fn revoke_request(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    let (client_id, secret) = crate::token::client_authentication(headers, form)?;
    let client = state
        .config
        .clients
        .iter()
        .find(|c| c.id == client_id)
        .ok_or(OAuthError::InvalidClient)?;
    authenticate(client, secret.as_deref().filter(|s| !s.is_empty()))?;
    let token = form
        .get("token")
        .filter(|t| !t.is_empty())
        .ok_or(OAuthError::InvalidRequest)?;
    if token.split('.').count() == 3 {
        // A JWT: an access or ID token.
        return Err(OAuthError::UnsupportedTokenType);
    }
    state
        .sessions
        .revoke(token, &client.id)
        .map_err(|()| OAuthError::InvalidClient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn at_hash_is_the_left_half() {
        assert_eq!(at_hash("x").len(), 22);
        assert_ne!(at_hash("x"), at_hash("y"));
    }

    #[test]
    fn sub_is_stable_and_a_uuid() {
        let a = user_sub("us-east-1_demo", "demo-user");
        assert_eq!(a, user_sub("us-east-1_demo", "demo-user"));
        assert_ne!(a, user_sub("us-east-1_demo", "other"));
        assert_eq!(a.len(), 36);
    }
}
