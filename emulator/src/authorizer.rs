//! API Gateway's `COGNITO_USER_POOLS` authorizer.

use axum::http::HeaderMap;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;

use crate::config::ApiMethod;
use crate::keys::KeyStore;

/// Why the authorizer refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// 401 `{"message":"Unauthorized"}`: missing, malformed, unverifiable or out-of-scope token.
    Unauthorized,
    /// 401 `{"message":"The incoming token has expired"}` (observed wording).
    Expired,
}

#[derive(Deserialize)]
struct Claims {
    iss: Option<String>,
    token_use: Option<String>,
    scope: Option<String>,
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

/// AWS's verification steps in order: structure, known `kid`, RS256 signature, `exp`, `iss`,
/// `token_use`, then the method's scopes.
pub(crate) fn authorize(
    headers: &HeaderMap,
    keys: &KeyStore,
    issuer: &str,
    method: &ApiMethod,
) -> Result<(), Denied> {
    let token = bearer(headers).ok_or(Denied::Unauthorized)?;
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
    validation.set_required_spec_claims(&["exp"]);
    let data = jsonwebtoken::decode::<Claims>(token, key.decoding_key(), &validation).map_err(
        |e| match e.kind() {
            ErrorKind::ExpiredSignature => Denied::Expired,
            _ => Denied::Unauthorized,
        },
    )?;
    let claims = data.claims;
    if claims.iss.as_deref() != Some(issuer) {
        return Err(Denied::Unauthorized);
    }
    if method.scopes.is_empty() {
        // No authorization scopes: API Gateway treats the token as an ID token, so an access token fails.
        // The emulator never issues ID tokens; a signed token with token_use "id" would pass.
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
