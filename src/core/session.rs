//! The token the page holds between runs, and when it must be fetched again.
//! Client credentials has no refresh token: an expired token means a new grant.

use crate::core::jwt;
use crate::core::run::TokenKey;

/// A token obtained from the token endpoint, with what is needed to judge its age.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldToken {
    pub access_token: String,
    /// What made it: a run reuses it only with an equal key.
    pub key: TokenKey,
    /// `exp` from the token's payload, when it decodes.
    pub exp: Option<i64>,
    /// When the page received it (unix seconds), for `expires_in`.
    pub obtained_at: i64,
    pub expires_in: Option<u64>,
}

impl HeldToken {
    pub fn new(access_token: String, expires_in: Option<u64>, obtained_at: i64) -> Self {
        let decoded = jwt::decode(&access_token);
        let exp = decoded
            .claims()
            .and_then(|claims| claims.get("exp"))
            .and_then(serde_json::Value::as_i64);
        Self {
            access_token,
            key: TokenKey::Pasted,
            exp,
            obtained_at,
            expires_in,
        }
    }

    /// The same token, held under the key of the request that fetched it.
    pub fn with_key(mut self, key: TokenKey) -> Self {
        self.key = key;
        self
    }

    /// When the token stops working: its `exp`, else the `expires_in` the endpoint gave.
    pub fn expires_at(&self) -> Option<i64> {
        self.exp.or_else(|| {
            self.expires_in
                .and_then(|secs| i64::try_from(secs).ok())
                .map(|secs| self.obtained_at.saturating_add(secs))
        })
    }
}

/// What a run must do about the token before it calls the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenNeed {
    /// No token yet: get one.
    Fetch,
    /// The held token is still good for the given seconds.
    Reuse { seconds_left: i64 },
    /// The held token expired (or is about to, within the margin) at this time.
    Refetch { expires_at: i64 },
}

/// Decides whether the held token can be reused at `now`, leaving `margin_secs`
/// so a token does not expire between this check and the API's own.
pub fn token_need(held: Option<&HeldToken>, now: i64, margin_secs: i64) -> TokenNeed {
    let Some(held) = held else {
        return TokenNeed::Fetch;
    };
    match held.expires_at() {
        // Nothing says when it expires: reuse it, the API will say if it is refused.
        None => TokenNeed::Reuse {
            seconds_left: i64::MAX,
        },
        Some(at) if at.saturating_sub(margin_secs) <= now => TokenNeed::Refetch { expires_at: at },
        Some(at) => TokenNeed::Reuse {
            seconds_left: at.saturating_sub(now),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    fn token_with_exp(exp: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#);
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp},"token_use":"access"}}"#));
        format!("{header}.{payload}.c2ln")
    }

    #[test]
    fn no_token_means_fetch() {
        assert_eq!(token_need(None, 100, 0), TokenNeed::Fetch);
    }

    #[test]
    fn exp_claim_wins_over_expires_in() {
        let held = HeldToken::new(token_with_exp(1_000), Some(5), 0);
        assert_eq!(held.exp, Some(1_000));
        assert_eq!(held.expires_at(), Some(1_000));
        assert_eq!(
            token_need(Some(&held), 400, 0),
            TokenNeed::Reuse { seconds_left: 600 }
        );
        assert_eq!(
            token_need(Some(&held), 1_000, 0),
            TokenNeed::Refetch { expires_at: 1_000 }
        );
        assert_eq!(
            token_need(Some(&held), 995, 5),
            TokenNeed::Refetch { expires_at: 1_000 }
        );
        assert_eq!(
            token_need(Some(&held), 994, 5),
            TokenNeed::Reuse { seconds_left: 6 }
        );
    }

    #[test]
    fn opaque_token_falls_back_to_expires_in() {
        let held = HeldToken::new("not-a-jwt".into(), Some(3600), 50);
        assert_eq!(held.exp, None);
        assert_eq!(held.expires_at(), Some(3650));
        assert_eq!(
            token_need(Some(&held), 3650, 0),
            TokenNeed::Refetch { expires_at: 3650 }
        );
    }

    #[test]
    fn unknown_lifetime_is_reused() {
        let held = HeldToken::new("opaque".into(), None, 0);
        assert_eq!(
            token_need(Some(&held), i64::MAX, 10),
            TokenNeed::Reuse {
                seconds_left: i64::MAX
            }
        );
    }

    #[test]
    fn huge_expires_in_does_not_overflow() {
        let held = HeldToken::new("opaque".into(), Some(u64::MAX), i64::MAX - 1);
        assert_eq!(held.expires_at(), None);
        let held = HeldToken::new("opaque".into(), Some(10), i64::MAX - 1);
        assert_eq!(held.expires_at(), Some(i64::MAX));
    }
}
