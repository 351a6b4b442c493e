//! Before anything is sent: may this run go, and does it fetch a token or reuse the held one?

use super::snapshot::RunSnapshot;
use super::Job;
use crate::core::jwt::{format_relative, format_utc};
use crate::core::session::{token_need, HeldToken, TokenNeed};
use crate::core::user_sign_in::Grant;

/// What the run will do about the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenDecision {
    /// Fetch one (the reason, when a held token was set aside).
    Fetch { why: Option<String> },
    /// Use the held token (the sentence says why it is still good).
    Reuse { why: String },
    /// Call API: the held token as it is, whatever made it.
    UseHeld,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub token: TokenDecision,
}

impl Plan {
    pub fn wants_token(&self) -> bool {
        matches!(self.token, TokenDecision::Fetch { .. })
    }

    /// The line the page shows about the token while the run is on.
    pub fn note(&self) -> Option<String> {
        match &self.token {
            TokenDecision::Fetch { why } => why.clone(),
            TokenDecision::Reuse { why } => Some(why.clone()),
            TokenDecision::UseHeld => None,
        }
    }
}

/// Why nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Another run is on (a scheduled tick that meets it is recorded as skipped).
    Busy,
    /// A field stops the request; the message names it.
    Blocked(String),
    /// Call API without a token.
    NoToken,
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Self::Busy => "Skipped: another run was still in progress.".into(),
            Self::Blocked(why) => format!("Not sent: {why}"),
            Self::NoToken => {
                "There is no token yet: press Get token first, or Run to do both.".into()
            }
        }
    }
}

/// Decides the run. `margin_secs`: how close to expiry a held token may still be reused.
pub fn plan(
    snapshot: &RunSnapshot,
    held: Option<&HeldToken>,
    now: i64,
    margin_secs: i64,
) -> Result<Plan, Refusal> {
    let settings = &snapshot.settings;
    let key = snapshot.token_key();
    let token = match snapshot.job {
        Job::Token => TokenDecision::Fetch { why: None },
        Job::Api => TokenDecision::UseHeld,
        Job::Run => match (held, &key) {
            // No key: the form cannot make a token as it stands (the blockers below say why);
            // a held token made by other inputs is never reused for it.
            (None, _) | (_, None) => TokenDecision::Fetch { why: None },
            (Some(held), Some(key)) => {
                let changed = key.changes_from(&held.key);
                if !changed.is_empty() {
                    TokenDecision::Fetch {
                        why: Some(format!(
                            "{} changed since the held token was obtained; fetched a new one.",
                            list(&changed)
                        )),
                    }
                } else {
                    reuse_or_refetch(token_need(Some(held), now, margin_secs), now)
                }
            }
        },
    };
    let mut blockers = Vec::new();
    if matches!(token, TokenDecision::Fetch { .. }) {
        blockers.extend(settings.token_blockers(&snapshot.secret));
    }
    if snapshot.job != Job::Token {
        blockers.extend(settings.api_blockers());
    }
    if settings.sign_in.grant == Grant::AuthorizationCode && snapshot.job != Job::Api {
        if let TokenDecision::Fetch { why } = &token {
            return Err(Refusal::Blocked(signed_in_only(
                snapshot.job,
                why.as_deref(),
            )));
        }
    }
    if let Some(first) = blockers.first() {
        return Err(Refusal::Blocked(first.message.clone()));
    }
    if snapshot.job == Job::Api && held.is_none() {
        return Err(Refusal::NoToken);
    }
    Ok(Plan { token })
}

/// Why Get token, or a Run that needs a new token, sends nothing with the authorization code
/// grant: only the user can sign in (Sign in), and the refresh token renews (Refresh token).
fn signed_in_only(job: Job, why: Option<&str>) -> String {
    match job {
        Job::Token => "Get token uses client credentials; with Grant: Authorization code (PKCE), press Sign in to get the user's tokens.".into(),
        _ => format!(
            "{} With Grant: Authorization code (PKCE), Run cannot sign a user in: press Sign in (or Refresh token), then Run.",
            why.unwrap_or("There is no user token yet.")
        ),
    }
}

fn reuse_or_refetch(need: TokenNeed, now: i64) -> TokenDecision {
    match need {
        TokenNeed::Fetch => TokenDecision::Fetch { why: None },
        TokenNeed::Refetch { expires_at } if expires_at <= now => TokenDecision::Fetch {
            why: Some(format!(
                "The token expired at {} ({}); fetched a new one — client credentials has no refresh token.",
                format_utc(expires_at),
                format_relative(expires_at.saturating_sub(now))
            )),
        },
        TokenNeed::Refetch { expires_at } => TokenDecision::Fetch {
            why: Some(format!(
                "The token expires at {} ({}), too soon to reuse; fetched a new one.",
                format_utc(expires_at),
                format_relative(expires_at.saturating_sub(now))
            )),
        },
        TokenNeed::Reuse { seconds_left } => TokenDecision::Reuse {
            why: format!(
                "Reused the token from the last run (same token source, client, secret, scope and endpoint); it is valid for {}.",
                format_relative(seconds_left).trim_start_matches("in ")
            ),
        },
    }
}

/// "Client secret", "Client ID and Scope", "Domain, Client ID and Scope".
fn list(fields: &[&str]) -> String {
    match fields {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::run::{Secret, TokenKey};
    use crate::core::settings::Settings;

    const NOW: i64 = 1_800_000_000;

    fn demo() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "http://127.0.0.1:9090".into(),
            scope: "demo/example".into(),
            api_url: "http://127.0.0.1:9090/dev".into(),
            ..Settings::default()
        }
    }

    fn snapshot(job: Job, settings: Settings, secret: &str) -> RunSnapshot {
        RunSnapshot::new(job, settings, Secret::new(secret), "", 0.0)
    }

    fn held_for(snapshot: &RunSnapshot) -> HeldToken {
        HeldToken::new("opaque-token".into(), Some(3600), NOW)
            .with_key(snapshot.token_key().unwrap())
    }

    #[test]
    fn run_reuses_only_a_token_made_by_the_same_inputs() {
        let first = snapshot(Job::Run, demo(), "demo-client-secret");
        let held = held_for(&first);
        let same = plan(&first, Some(&held), NOW + 10, 5).unwrap();
        assert!(
            matches!(same.token, TokenDecision::Reuse { .. }),
            "{same:?}"
        );

        let changed = snapshot(Job::Run, demo(), "WRONG-secret");
        let plan = plan(&changed, Some(&held), NOW + 10, 5).unwrap();
        assert!(plan.wants_token());
        assert_eq!(
            plan.note().unwrap(),
            "Client secret changed since the held token was obtained; fetched a new one."
        );
    }

    #[test]
    fn a_pasted_token_is_never_reused_by_run_but_call_api_sends_it() {
        let run = snapshot(Job::Run, demo(), "demo-client-secret");
        let pasted = HeldToken::new("pasted".into(), None, NOW);
        assert_eq!(pasted.key, TokenKey::Pasted);
        assert!(plan(&run, Some(&pasted), NOW, 5).unwrap().wants_token());
        let api = snapshot(Job::Api, demo(), "");
        assert_eq!(
            plan(&api, Some(&pasted), NOW, 5).unwrap().token,
            TokenDecision::UseHeld
        );
        assert_eq!(plan(&api, None, NOW, 5), Err(Refusal::NoToken));
    }

    /// With the code grant, Run reuses the signed-in user's fresh token and never fetches one.
    #[test]
    fn the_code_grant_runs_on_the_users_token_and_never_fetches() {
        let mut user = demo();
        user.client_id = "user-client".into();
        user.scope = "openid demo/example".into();
        user.sign_in.grant = Grant::AuthorizationCode;
        let run = snapshot(Job::Run, user.clone(), "");
        let key = run.token_key().unwrap();
        assert!(matches!(key, TokenKey::SignedIn { .. }));
        let held = HeldToken::new("user-token".into(), Some(3600), NOW).with_key(key);
        assert!(matches!(
            plan(&run, Some(&held), NOW + 10, 5).unwrap().token,
            TokenDecision::Reuse { .. }
        ));
        let refused = |r: Result<Plan, Refusal>, needle: &str| {
            assert!(
                matches!(&r, Err(Refusal::Blocked(m)) if m.contains(needle)),
                "{r:?}"
            );
        };
        refused(plan(&run, Some(&held), NOW + 4000, 5), "Refresh token");
        refused(plan(&run, None, NOW, 5), "There is no user token yet");
        // A client-credentials token is not the user's.
        let machine = held_for(&snapshot(Job::Run, demo(), "demo-client-secret"));
        refused(plan(&run, Some(&machine), NOW + 10, 5), "Grant changed");
        refused(
            plan(&snapshot(Job::Token, user.clone(), ""), None, NOW, 5),
            "press Sign in",
        );
        assert_eq!(
            plan(&snapshot(Job::Api, user, ""), Some(&held), NOW, 5)
                .unwrap()
                .token,
            TokenDecision::UseHeld
        );
    }

    #[test]
    fn expired_tokens_are_fetched_again_with_the_reason() {
        let run = snapshot(Job::Run, demo(), "demo-client-secret");
        let held = held_for(&run);
        let late = plan(&run, Some(&held), NOW + 4000, 5).unwrap();
        assert!(late.note().unwrap().starts_with("The token expired at"));
    }

    #[test]
    fn blockers_name_the_field() {
        let run = snapshot(Job::Run, demo(), "");
        assert_eq!(
            plan(&run, None, NOW, 5),
            Err(Refusal::Blocked("Client secret is required.".into()))
        );
        let mut bad = demo();
        bad.extra_headers = "X-Note: naive €5".into();
        let run = snapshot(Job::Run, bad, "s3cret-value");
        assert!(matches!(plan(&run, None, NOW, 5), Err(Refusal::Blocked(m)) if m.contains('€')));
    }

    /// A form that cannot make a token never reuses the held one: it is refused with the reason.
    #[test]
    fn a_form_without_a_key_is_refused_not_reused() {
        let first = snapshot(Job::Run, demo(), "demo-client-secret");
        let held = held_for(&first);
        let mut bad = demo();
        bad.client_metadata = r#"{"tenant": 1}"#.into();
        let run = snapshot(Job::Run, bad, "demo-client-secret");
        assert!(
            matches!(plan(&run, Some(&held), NOW + 10, 5), Err(Refusal::Blocked(m)) if m.contains("tenant"))
        );
        let mut no_region = demo();
        no_region.domain.clear();
        no_region.token_source = crate::core::client_token::TokenSource::GetClientToken;
        let run = snapshot(Job::Run, no_region, "demo-client-secret");
        assert!(
            matches!(plan(&run, Some(&held), NOW + 10, 5), Err(Refusal::Blocked(m)) if m.contains("Region"))
        );
    }
}
