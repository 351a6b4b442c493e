//! What managed login remembers between requests: authorization codes (single use, five minutes), refresh
//! tokens and the sign-ins whose tokens were revoked.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// Cognito's authorization codes are valid for five minutes.
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(300);

/// A signed-in user's session as tokens carry it: who, through which client, with which scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignIn {
    pub client_id: String,
    pub username: String,
    pub scopes: Vec<String>,
    /// When the user authenticated (seconds since the epoch): the tokens' `auth_time`.
    pub auth_time: u64,
    /// The sign-in's id: every token it produces carries it as `origin_jti`, so revoking the refresh token
    /// can revoke them all.
    pub origin_jti: String,
}

/// What an authorization code was issued for; the token request must match it.
#[derive(Debug, Clone)]
pub(crate) struct CodeGrant {
    pub sign_in: SignIn,
    pub redirect_uri: String,
    /// The S256 `code_challenge` given to `/oauth2/authorize`, if any.
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    pub issued: Instant,
}

#[derive(Default)]
pub(crate) struct UserSessions {
    codes: Mutex<HashMap<String, CodeGrant>>,
    refresh_tokens: Mutex<HashMap<String, SignIn>>,
    revoked: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked while holding it; the map is still whole.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A Cognito-shaped refresh token: five base64url parts like the JWE Cognito issues, opaque to clients.
fn new_refresh_token() -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#);
    let mut rng = rand::thread_rng();
    let mut part = |n: usize| {
        let mut bytes = vec![0u8; n];
        rng.fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    };
    format!(
        "{header}.{}.{}.{}.{}",
        part(256),
        part(12),
        part(384),
        part(16)
    )
}

impl UserSessions {
    /// Stores a new code for `grant` and returns it (a UUID, as Cognito's codes are).
    pub(crate) fn issue_code(&self, grant: CodeGrant) -> String {
        let code = uuid::Uuid::new_v4().to_string();
        lock(&self.codes).insert(code.clone(), grant);
        code
    }

    /// Takes the code out (a code works once, even when the exchange then fails); `None` when unknown,
    /// used already or older than [`CODE_LIFETIME`] at `now`.
    pub(crate) fn take_code(&self, code: &str, now: Instant) -> Option<CodeGrant> {
        let mut codes = lock(&self.codes);
        codes.retain(|_, g| now.saturating_duration_since(g.issued) < CODE_LIFETIME);
        codes.remove(code)
    }

    pub(crate) fn issue_refresh_token(&self, sign_in: SignIn) -> String {
        let token = new_refresh_token();
        lock(&self.refresh_tokens).insert(token.clone(), sign_in);
        token
    }

    /// The sign-in a refresh token belongs to, unless unknown or revoked.
    pub(crate) fn refresh(&self, token: &str) -> Option<SignIn> {
        let sign_in = lock(&self.refresh_tokens).get(token).cloned()?;
        (!self.is_revoked(&sign_in.origin_jti)).then_some(sign_in)
    }

    /// Revokes a refresh token of `client_id` and every token of its sign-in. `Err` when the token belongs
    /// to another client; unknown tokens are fine (RFC 7009: nothing to revoke).
    pub(crate) fn revoke(&self, token: &str, client_id: &str) -> Result<(), ()> {
        let Some(sign_in) = lock(&self.refresh_tokens).get(token).cloned() else {
            return Ok(());
        };
        if sign_in.client_id != client_id {
            return Err(());
        }
        lock(&self.revoked).insert(sign_in.origin_jti);
        Ok(())
    }

    /// Whether the sign-in `origin_jti` was revoked.
    pub(crate) fn is_revoked(&self, origin_jti: &str) -> bool {
        lock(&self.revoked).contains(origin_jti)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> CodeGrant {
        CodeGrant {
            sign_in: SignIn {
                client_id: "c".into(),
                username: "u".into(),
                scopes: vec!["openid".into()],
                auth_time: 1,
                origin_jti: "o".into(),
            },
            redirect_uri: "http://127.0.0.1:8080/".into(),
            challenge: None,
            nonce: None,
            issued: Instant::now(),
        }
    }

    #[test]
    fn a_code_works_once() {
        let s = UserSessions::default();
        let code = s.issue_code(grant());
        assert!(s.take_code(&code, Instant::now()).is_some());
        assert!(s.take_code(&code, Instant::now()).is_none());
    }

    #[test]
    fn a_code_expires_after_five_minutes() {
        let s = UserSessions::default();
        let code = s.issue_code(grant());
        let later = Instant::now() + CODE_LIFETIME;
        assert!(s.take_code(&code, later).is_none());
    }

    #[test]
    fn revoking_ends_the_refresh_token_and_only_for_its_client() {
        let s = UserSessions::default();
        let token = s.issue_refresh_token(grant().sign_in);
        assert_eq!(token.split('.').count(), 5);
        assert!(s.refresh(&token).is_some());
        assert_eq!(s.revoke(&token, "other"), Err(()));
        assert!(s.refresh(&token).is_some());
        assert_eq!(s.revoke(&token, "c"), Ok(()));
        assert!(s.refresh(&token).is_none());
        assert!(s.is_revoked("o"));
        assert_eq!(s.revoke("unknown", "c"), Ok(()));
    }
}
