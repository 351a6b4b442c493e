//! The page's state and the user's actions on it: get a token, call the API, run
//! both, cancel. The views read signals; only these methods change them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::checks::Signature;
use crate::core::clock_skew::skew_from_exchange;
use crate::core::diagnosis::Diagnosis;
use crate::core::exchange::Exchange;
use crate::core::jwt::{self, format_relative, format_utc};
use crate::core::session::{token_need, HeldToken, TokenNeed};
use crate::core::settings::{FieldIssue, Settings};
use crate::core::token::AccessToken;
use crate::web::clock;
use crate::web::flow::{self, StepResult};
use crate::web::http::InFlight;
use crate::web::verify::{self, JwksSource};

/// A run reuses the held token only if it has more than this many seconds left,
/// so it cannot expire between our check and the API's.
const EXPIRY_MARGIN_SECS: i64 = 5;

/// What the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Token,
    Api,
    Run,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub settings: RwSignal<Settings>,
    /// Set once the user pressed a button: from then on, empty required fields are flagged.
    pub attempted: RwSignal<bool>,
    pub token_step: RwSignal<Option<StepResult<AccessToken>>>,
    pub api_step: RwSignal<Option<StepResult<()>>>,
    pub held: RwSignal<Option<HeldToken>>,
    /// What is running now, as a sentence for the busy indicator.
    pub busy: RwSignal<Option<&'static str>>,
    /// One line about what the last run decided (token reused, re-fetched, blocked…).
    pub notice: RwSignal<Option<String>>,
    /// Wall clock in unix seconds, ticking once a second for countdowns.
    pub now: RwSignal<i64>,
    /// The held token's signature, as the JWKS and WebCrypto judged it.
    pub signature: RwSignal<Signature>,
    /// Server clock minus this computer's, from the last readable `Date` header.
    pub server_skew: RwSignal<Option<i64>>,
    /// True when the held token was pasted rather than fetched.
    pub pasted: RwSignal<bool>,
    in_flight: StoredValue<Option<InFlight>, LocalStorage>,
    /// Bumped for every verification, so a slow answer for an old token is dropped.
    verification: StoredValue<u32>,
}

impl AppState {
    pub fn new() -> Self {
        Self {
            settings: RwSignal::new(Settings::default()),
            attempted: RwSignal::new(false),
            token_step: RwSignal::new(None),
            api_step: RwSignal::new(None),
            held: RwSignal::new(None),
            busy: RwSignal::new(None),
            notice: RwSignal::new(None),
            now: RwSignal::new(clock::now_unix()),
            signature: RwSignal::new(Signature::NotChecked {
                reason: "no token yet".into(),
            }),
            server_skew: RwSignal::new(None),
            pasted: RwSignal::new(false),
            in_flight: StoredValue::new_local(None),
            verification: StoredValue::new(0),
        }
    }

    /// The values to hide in every raw view: the secret and the tokens.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.settings.with(|s| s.client_secret.trim().to_string())];
        if let Some(held) = self.held.get() {
            secrets.push(held.access_token);
        }
        secrets.retain(|s| !s.is_empty());
        secrets
    }

    pub fn start(self, job: Job) {
        if self.busy.get_untracked().is_some() {
            return;
        }
        self.attempted.set(true);
        let settings = self.settings.get_untracked();
        let now = clock::now_unix();
        let need = token_need(self.held.get_untracked().as_ref(), now, EXPIRY_MARGIN_SECS);
        let wants_token = match job {
            Job::Token => true,
            Job::Api => false,
            Job::Run => !matches!(need, TokenNeed::Reuse { .. }),
        };
        let mut blockers: Vec<FieldIssue> = Vec::new();
        if wants_token {
            blockers.extend(settings.token_blockers());
        }
        if job != Job::Token {
            blockers.extend(settings.api_blockers());
        }
        if let Some(first) = blockers.first() {
            self.notice
                .set(Some(format!("Not sent: {}", first.message)));
            return;
        }
        if job == Job::Api && self.held.get_untracked().is_none() {
            self.notice.set(Some(
                "There is no token yet: press Get token first, or Run to do both.".into(),
            ));
            return;
        }
        let Some(in_flight) = InFlight::new() else {
            self.notice
                .set(Some("This browser cannot cancel requests (no AbortController); it is too old for this tool.".into()));
            return;
        };
        self.in_flight.set_value(Some(in_flight.clone()));
        self.notice.set(match (job, need) {
            (Job::Run, TokenNeed::Refetch { expires_at }) => Some(format!(
                "The token expired at {} ({}); fetched a new one — client credentials has no refresh token.",
                format_utc(expires_at),
                format_relative(expires_at - now)
            )),
            (Job::Run, TokenNeed::Reuse { seconds_left }) => Some(format!(
                "Reused the token from the last run; it is valid for {}.",
                format_relative(seconds_left).trim_start_matches("in ")
            )),
            _ => None,
        });
        spawn_local(async move {
            if wants_token {
                self.busy.set(Some("Getting a token…"));
                self.api_step.set(None);
                let step = flow::request_token(&settings, &in_flight).await;
                self.note_clock(step.exchange.as_ref());
                let token = step
                    .outcome
                    .as_ref()
                    .ok()
                    .map(|t| (t.access_token.clone(), t.expires_in));
                self.token_step.set(Some(step));
                let Some((access_token, expires_in)) = token else {
                    self.held.set(None);
                    self.finish();
                    return;
                };
                self.hold(
                    HeldToken::new(access_token, expires_in, clock::now_unix()),
                    false,
                );
            }
            if job != Job::Token {
                if let Some(held) = self.held.get_untracked() {
                    self.busy.set(Some("Calling the API…"));
                    let step = flow::call_api(&settings, &held.access_token, &in_flight).await;
                    self.note_clock(step.exchange.as_ref());
                    self.api_step.set(Some(step));
                }
            }
            self.finish();
        });
    }

    /// Takes a token as the current one and starts checking its signature.
    fn hold(self, token: HeldToken, pasted: bool) {
        self.held.set(Some(token));
        self.pasted.set(pasted);
        self.verify();
    }

    /// Inspects a pasted token: decoded, checked and usable for Call API.
    pub fn inspect(self, text: &str) {
        let text = text.trim();
        let text = text
            .strip_prefix("Bearer ")
            .or_else(|| text.strip_prefix("bearer "))
            .unwrap_or(text)
            .trim();
        if text.is_empty() {
            self.notice.set(Some("Paste a token first.".into()));
            return;
        }
        self.notice.set(Some(
            "Inspecting the pasted token; Call API will use it until a new one is fetched.".into(),
        ));
        self.hold(
            HeldToken::new(text.to_string(), None, clock::now_unix()),
            true,
        );
    }

    /// (Re)checks the held token's signature against its JWKS.
    pub fn verify(self) {
        let Some(held) = self.held.get_untracked() else {
            return;
        };
        let generation = self.verification.get_value().wrapping_add(1);
        self.verification.set_value(generation);
        self.signature.set(Signature::Pending);
        let settings = self.settings.get_untracked();
        spawn_local(async move {
            let decoded = jwt::decode(&held.access_token);
            let verdict = verify::verify(
                &decoded,
                &JwksSource::from_field(&settings.jwks),
                settings.via_proxy,
            )
            .await;
            if self.verification.get_value() == generation {
                self.signature.set(verdict);
            }
        });
    }

    fn note_clock(self, exchange: Option<&Exchange>) {
        if let Some(skew) = exchange.and_then(skew_from_exchange) {
            self.server_skew.set(Some(skew));
        }
    }

    fn finish(self) {
        self.busy.set(None);
        self.in_flight.set_value(None);
    }

    pub fn cancel(self) {
        if let Some(in_flight) = self.in_flight.get_value() {
            in_flight.cancel();
        }
    }

    /// The decoded form of the held token, for the Decoded token panel.
    pub fn decoded(self) -> Option<jwt::DecodedJwt> {
        self.held
            .with(|held| held.as_ref().map(|h| jwt::decode(&h.access_token)))
    }

    /// The verdict line for the whole run, for the results banner and screen readers.
    pub fn verdict(self) -> Option<(bool, String)> {
        let token: Option<Result<(), Diagnosis>> = self
            .token_step
            .with(|s| s.as_ref().map(|s| s.outcome.clone().map(|_| ())));
        let api: Option<Result<(), Diagnosis>> = self
            .api_step
            .with(|s| s.as_ref().map(|s| s.outcome.clone()));
        let api_status = self.api_step.with(|s| {
            s.as_ref()
                .and_then(|s| s.exchange.as_ref())
                .and_then(|e| e.response.as_ref())
                .map(|r| r.status)
        });
        match (token, api) {
            (_, Some(Ok(()))) => Some((
                true,
                format!(
                    "PASS — the API answered {} with the token.",
                    api_status.unwrap_or_default()
                ),
            )),
            (_, Some(Err(d))) => Some((false, format!("FAIL — API call: {}", d.what))),
            (Some(Err(d)), None) => Some((false, format!("FAIL — token request: {}", d.what))),
            (Some(Ok(())), None) => {
                Some((true, "Token obtained. Press Call API to use it.".into()))
            }
            (None, None) => None,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
