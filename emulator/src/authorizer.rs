//! API Gateway's authorizers: `COGNITO_USER_POOLS` and the REST API `JWT` authorizer.

use axum::http::HeaderMap;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use crate::config::{ApiMethod, JwtAuthorizer};
use crate::keys::KeyStore;
use crate::token::now_secs;

/// Why the authorizer refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// 401 `{"message":"Unauthorized"}`: missing, malformed, unverifiable or out-of-scope token.
    Unauthorized,
    /// 401 `{"message":"The incoming token has expired"}` (observed wording).
    Expired,
    /// 403 `{"message":"Forbidden"}`: a JWT authorizer's valid token without any of the method's scopes.
    Forbidden,
}

#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    token_use: Option<String>,
    scope: Option<String>,
}

/// A claim that may be one string or a list of strings (`aud`, `scp`).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn values(&self) -> Vec<&str> {
        match self {
            // A space-separated `scp` string is a list too.
            OneOrMany::One(s) => s.split_whitespace().collect(),
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Deserialize)]
struct JwtClaims {
    iss: Option<String>,
    aud: Option<OneOrMany>,
    client_id: Option<String>,
    iat: Option<u64>,
    scope: Option<String>,
    scp: Option<OneOrMany>,
}

/// The token from `Authorization`: `Bearer <jwt>` or the raw `<jwt>` (both work in practice).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        Some(_) => return None,
        None if value.eq_ignore_ascii_case("bearer") => return None,
        None => value,
    };
    (!token.is_empty()).then_some(token)
}

/// The token's header checks both authorizers share: RS256 and a `kid` in the pool's JWKS.
pub(crate) fn verified<T: serde::de::DeserializeOwned>(
    token: &str,
    keys: &KeyStore,
) -> Result<T, Denied> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Denied::Unauthorized)?;
    if header.alg != Algorithm::RS256 {
        return Err(Denied::Unauthorized);
    }
    let key = header
        .kid
        .as_deref()
        .and_then(|kid| keys.find(kid))
        .ok_or(Denied::Unauthorized)?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.validate_aud = false;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp"]);
    jsonwebtoken::decode::<T>(token, key.decoding_key(), &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => Denied::Expired,
            _ => Denied::Unauthorized,
        })
}

/// A REST API JWT authorizer, in the documented order: token from `Authorization`, RS256 signature by a
/// key of the issuer, `exp`/`nbf`/`iat`, `iss` is the trusted issuer, the audience (`aud`, or `client_id`
/// when there is no `aud`) is accepted, then `scope` or `scp` holds at least one of the method's scopes.
/// Every failure before the scopes is 401 `Unauthorized` (expiry included: the "has expired" wording is
/// the Cognito authorizer's); missing scopes are 403.
pub(crate) fn authorize_jwt(
    headers: &HeaderMap,
    keys: &KeyStore,
    pool_issuer: &str,
    authorizer: &JwtAuthorizer,
    method: &ApiMethod,
) -> Result<(), Denied> {
    let token = bearer(headers).ok_or(Denied::Unauthorized)?;
    let claims: JwtClaims = verified(token, keys).map_err(|_| Denied::Unauthorized)?;
    if claims.iat.is_some_and(|iat| iat > now_secs()) {
        return Err(Denied::Unauthorized);
    }
    let issuer = authorizer.issuer.as_deref().unwrap_or(pool_issuer);
    if claims.iss.as_deref() != Some(issuer) {
        return Err(Denied::Unauthorized);
    }
    let audience_ok = match &claims.aud {
        Some(aud) => aud
            .values()
            .iter()
            .any(|a| authorizer.audiences.iter().any(|x| x == a)),
        None => claims
            .client_id
            .as_deref()
            .is_some_and(|c| authorizer.audiences.iter().any(|x| x == c)),
    };
    if !audience_ok {
        return Err(Denied::Unauthorized);
    }
    if method.scopes.is_empty() {
        return Ok(());
    }
    let mut granted: Vec<&str> = claims
        .scope
        .as_deref()
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_default();
    if let Some(scp) = &claims.scp {
        granted.extend(scp.values());
    }
    if granted.iter().any(|s| method.scopes.iter().any(|m| m == s)) {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// AWS's verification steps in order: structure, known `kid`, RS256 signature, `exp`, `iss`,
/// `token_use`, then the method's scopes.
pub(crate) fn authorize(
    headers: &HeaderMap,
    keys: &KeyStore,
    issuer: &str,
    method: &ApiMethod,
) -> Result<(), Denied> {
    let token = bearer(headers).ok_or(Denied::Unauthorized)?;
    let claims: Claims = verified(token, keys)?;
    if claims.iss.as_deref() != Some(issuer) {
        return Err(Denied::Unauthorized);
    }
    if method.scopes.is_empty() {
        // No authorization scopes: API Gateway treats the token as an ID token, so an access token fails.
        // Managed login's ID tokens (and any signed token with token_use "id") pass.
        return match claims.token_use.as_deref() {
            Some("id") => Ok(()),
            _ => Err(Denied::Unauthorized),
        };
    }
    if claims.token_use.as_deref() != Some("access") {
        return Err(Denied::Unauthorized);
    }
    let granted = claims.scope.unwrap_or_default();
    if granted
        .split_whitespace()
        .any(|s| method.scopes.iter().any(|m| m == s))
    {
        Ok(())
    } else {
        Err(Denied::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_accepts_both_forms() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
