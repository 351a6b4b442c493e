//! The page's state and the user's actions on it: get a token, call the API, run
//! both, cancel. The views read signals; only these methods change them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::assertions::{
    default_assertions, evaluate, parse_lines, to_lines, AssertionResult, ResponseFacts,
};
use crate::core::canary::RunRecord;
use crate::core::checks::{token_checks, Signature, TokenContext};
use crate::core::clock_skew::skew_from_exchange;
use crate::core::diagnosis::Diagnosis;
use crate::core::exchange::Exchange;
use crate::core::jwt::{self, format_relative, format_utc};
use crate::core::report::{build_evidence, AssertionLine, Evidence, EvidenceInput};
use crate::core::session::{token_need, HeldToken, TokenNeed};
use crate::core::settings::{FieldIssue, Settings};
use crate::core::share;
use crate::core::token::AccessToken;
use crate::web::clock;
use crate::web::flow::{self, StepResult};
use crate::web::http::InFlight;
use crate::web::storage;
use crate::web::verify::{self, JwksSource};

/// A run reuses the held token only if it has more than this many seconds left,
/// so it cannot expire between our check and the API's.
const EXPIRY_MARGIN_SECS: i64 = 5;

/// Bodies above this size are checked and shown in separate tasks (see `perform`).
const BIG_BODY_BYTES: usize = 256 * 1024;

/// What the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Token,
    Api,
    Run,
}

/// A job checked and ready to send (see [`AppState::prepare`]).
pub struct Prepared {
    job: Job,
    settings: Settings,
    wants_token: bool,
    token_note: Option<String>,
    in_flight: InFlight,
}

/// What [`AppState::perform`] did about the token.
pub struct Performed {
    pub token_fetched: bool,
    /// Why the token was reused or re-fetched, when it was.
    pub token_note: Option<String>,
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
    /// "Remember secret in this tab": the secret is mirrored to sessionStorage.
    pub remember: RwSignal<bool>,
    /// The assertions checked on every API answer, as the user typed them.
    pub assertions_text: RwSignal<String>,
    pub assertion_results: RwSignal<Vec<AssertionResult>>,
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
            remember: RwSignal::new(false),
            assertions_text: RwSignal::new(to_lines(&default_assertions())),
            assertion_results: RwSignal::new(Vec::new()),
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

    /// Runs a job from a button or the keyboard.
    pub fn start(self, job: Job) {
        if let Some(prepared) = self.prepare(job, EXPIRY_MARGIN_SECS) {
            spawn_local(async move {
                self.perform(prepared).await;
            });
        }
    }

    /// Checks the form and decides about the token. None (with a notice saying why)
    /// when nothing can be sent. `margin_secs`: how close to expiry a token may be reused.
    pub fn prepare(self, job: Job, margin_secs: i64) -> Option<Prepared> {
        let need = token_need(
            self.held.get_untracked().as_ref(),
            clock::now_unix(),
            margin_secs,
        );
        self.prepare_with(job, need)
    }

    /// As [`prepare`](Self::prepare), with the token decision made by the caller (the schedule).
    pub fn prepare_with(self, job: Job, need: TokenNeed) -> Option<Prepared> {
        // A run is on from `prepare` until `finish` (its request handle is stored here at once,
        // `busy` only once it starts): a second click or key cannot start a second run.
        if self.in_flight.with_value(Option::is_some) {
            return None;
        }
        if !self.attempted.get_untracked() {
            self.attempted.set(true);
        }
        let settings = self.settings.get_untracked();
        let now = clock::now_unix();
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
            return None;
        }
        if job == Job::Api && self.held.get_untracked().is_none() {
            self.notice.set(Some(
                "There is no token yet: press Get token first, or Run to do both.".into(),
            ));
            return None;
        }
        let Some(in_flight) = InFlight::new() else {
            self.notice.set(Some(
                "This browser cannot cancel requests (no AbortController); it is too old for this tool.".into(),
            ));
            return None;
        };
        self.in_flight.set_value(Some(in_flight.clone()));
        let token_note = match (job, need) {
            (Job::Run, TokenNeed::Refetch { expires_at }) if expires_at <= now => Some(format!(
                "The token expired at {} ({}); fetched a new one — client credentials has no refresh token.",
                format_utc(expires_at),
                format_relative(expires_at.saturating_sub(now))
            )),
            (Job::Run, TokenNeed::Refetch { expires_at }) => Some(format!(
                "The token expires at {} ({}), too soon to reuse; fetched a new one.",
                format_utc(expires_at),
                format_relative(expires_at.saturating_sub(now))
            )),
            (Job::Run, TokenNeed::Reuse { seconds_left }) => Some(format!(
                "Reused the token from the last run; it is valid for {}.",
                format_relative(seconds_left).trim_start_matches("in ")
            )),
            _ => None,
        };
        Some(Prepared {
            job,
            settings,
            wants_token,
            token_note,
            in_flight,
        })
    }

    /// Sends what `prepare` decided and updates the panels.
    pub async fn perform(self, prepared: Prepared) -> Performed {
        let Prepared {
            job,
            settings,
            wants_token,
            token_note,
            in_flight,
        } = prepared;
        // Everything set here is drawn once this task yields, that is after the request below
        // has gone out: the page's redraw does not delay the request.
        self.busy.set(Some(if wants_token {
            "Getting a token…"
        } else {
            "Calling the API…"
        }));
        self.notice.set(token_note.clone());
        let mut performed = Performed {
            token_fetched: false,
            token_note,
        };
        // A new run: the last API answer no longer describes what is on screen.
        self.api_step.set(None);
        self.assertion_results.set(Vec::new());
        if wants_token {
            let step = flow::request_token(&settings, &in_flight).await;
            self.note_clock(step.exchange.as_ref());
            let token = step
                .outcome
                .as_ref()
                .ok()
                .map(|t| (t.access_token.clone(), t.expires_in));
            self.token_step.set(Some(step));
            performed.token_fetched = true;
            let Some((access_token, expires_in)) = token else {
                self.held.set(None);
                self.finish();
                return performed;
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
                // A big body takes a while to check and to show: do each in its own task so
                // neither blocks the page long. Small bodies go straight through (no delay).
                let big = step
                    .exchange
                    .as_ref()
                    .and_then(|e| e.response.as_ref())
                    .is_some_and(|r| r.size_bytes > BIG_BODY_BYTES);
                if big {
                    clock::next_task().await;
                }
                let results = self.check_assertions(&step);
                if big {
                    clock::next_task().await;
                }
                self.assertion_results.set(results);
                self.api_step.set(Some(step));
            }
        }
        self.finish();
        performed
    }

    /// Takes a token as the current one and starts checking its signature.
    fn hold(self, token: HeldToken, pasted: bool) {
        self.held.set(Some(token));
        if self.pasted.get_untracked() != pasted {
            self.pasted.set(pasted);
        }
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

    /// Restores what the page may start from: a share link's settings (the secret
    /// is never in it) and a secret the user chose to remember in this tab.
    pub fn restore(self) {
        if let Some(secret) = storage::remembered_secret() {
            self.settings.update(|s| s.client_secret = secret);
            self.remember.set(true);
        }
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if hash.is_empty() {
            return;
        }
        match share::from_fragment(&hash) {
            Ok(shared) => {
                self.settings.update(|s| *s = shared.apply(s));
                let ask = if self.settings.with_untracked(|s| s.client_secret.is_empty()) {
                    " Enter the Client secret: links never carry it."
                } else {
                    ""
                };
                self.notice
                    .set(Some(format!("Settings loaded from a share link.{ask}")));
            }
            Err(e) => self
                .notice
                .set(Some(format!("The link's settings were not loaded: {e}"))),
        }
    }

    /// Turns "Remember secret in this tab" on or off.
    pub fn set_remember(self, on: bool) {
        self.remember.set(on);
        if on {
            self.remember_secret_if_opted_in();
        } else {
            storage::remember_secret(None);
        }
    }

    /// Mirrors the secret to sessionStorage, only when the user opted in.
    pub fn remember_secret_if_opted_in(self) {
        if self.remember.get_untracked() {
            let secret = self.settings.with_untracked(|s| s.client_secret.clone());
            storage::remember_secret(Some(&secret).filter(|s| !s.is_empty()).map(|s| s.as_str()));
        }
    }

    /// The assertions against an API answer (none when they do not parse: the field says why).
    fn check_assertions(self, step: &StepResult<()>) -> Vec<AssertionResult> {
        let Ok(assertions) = self.assertions_text.with_untracked(|t| parse_lines(t)) else {
            return Vec::new();
        };
        let response = step.exchange.as_ref().and_then(|e| e.response.as_ref());
        let facts = ResponseFacts {
            status: response.map(|r| r.status),
            body: response.map(|r| r.body.as_str()).unwrap_or_default(),
            elapsed_ms: step
                .exchange
                .as_ref()
                .map(|e| e.elapsed_ms)
                .unwrap_or_default(),
        };
        evaluate(&assertions, &facts)
    }

    /// The history line for the run that just finished.
    pub fn run_record(
        self,
        started_at_unix_ms: f64,
        token_fetched: bool,
        token_note: Option<String>,
    ) -> RunRecord {
        let token = self.token_step.get_untracked();
        let api = self.api_step.get_untracked();
        let token_failure = token
            .as_ref()
            .filter(|_| token_fetched)
            .and_then(|t| t.outcome.as_ref().err())
            .map(|d| format!("token: {}", d.what));
        let api_failure = api
            .as_ref()
            .and_then(|a| a.outcome.as_ref().err())
            .map(|d| format!("API: {}", d.what));
        let assertion_failure = self.assertion_results.with_untracked(|r| {
            r.iter()
                .find(|a| !a.passed)
                .map(|a| format!("{} (actual {})", a.assertion, a.actual))
        });
        let first_failure = token_failure.or(api_failure).or(assertion_failure);
        RunRecord {
            started_at_unix_ms,
            token_ms: token
                .as_ref()
                .filter(|_| token_fetched)
                .and_then(|t| t.exchange.as_ref())
                .map(|e| e.elapsed_ms),
            token_fetched,
            token_note,
            api_ms: api
                .as_ref()
                .and_then(|a| a.exchange.as_ref())
                .map(|e| e.elapsed_ms),
            status: api
                .as_ref()
                .and_then(|a| a.exchange.as_ref())
                .and_then(|e| e.response.as_ref())
                .map(|r| r.status),
            passed: first_failure.is_none() && api.is_some(),
            first_failure,
        }
    }

    /// The last run as evidence for a ticket: redacted, signature removed.
    pub fn evidence(self) -> Evidence {
        let token_step = self.token_step.get_untracked();
        let api_step = self.api_step.get_untracked();
        let settings = self.settings.get_untracked();
        let held = self.held.get_untracked();
        let checks = held
            .as_ref()
            .map(|h| {
                let ctx = TokenContext {
                    client_id: settings.client_id.clone(),
                    region: settings.region.clone(),
                    requested_scope: settings.scope.clone(),
                    now: clock::now_unix(),
                    server_skew_secs: self.server_skew.get_untracked(),
                };
                token_checks(
                    &jwt::decode(&h.access_token),
                    &self.signature.get_untracked(),
                    &ctx,
                )
            })
            .unwrap_or_default();
        let assertions = self
            .assertion_results
            .get_untracked()
            .into_iter()
            .map(|a| AssertionLine {
                description: a.assertion,
                passed: a.passed,
                actual: a.actual,
            })
            .collect();
        let diagnoses = [
            token_step
                .as_ref()
                .and_then(|s| s.outcome.as_ref().err().cloned()),
            api_step
                .as_ref()
                .and_then(|s| s.outcome.as_ref().err().cloned()),
        ]
        .into_iter()
        .flatten()
        .collect();
        build_evidence(EvidenceInput {
            tool_version: crate::VERSION.to_string(),
            generated_at_unix: clock::now_unix(),
            settings,
            token_exchange: token_step.and_then(|s| s.exchange),
            api_exchange: api_step.and_then(|s| s.exchange),
            access_token: held.map(|h| h.access_token),
            checks,
            assertions,
            diagnoses,
            verdict: self
                .verdict()
                .map(|(_, line)| line)
                .unwrap_or_else(|| "No run yet.".into()),
            secrets: Vec::new(),
        })
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
        let failed_assertion = self.assertion_results.with(|r| {
            r.iter()
                .find(|a| !a.passed)
                .map(|a| format!("{} (actual: {})", a.assertion, a.actual))
        });
        let status = api_status.unwrap_or_default();
        match (token, api) {
            (_, Some(Ok(()))) => Some(match failed_assertion {
                Some(assertion) => (
                    false,
                    format!(
                        "FAIL — the API answered {status}, but an assertion failed: {assertion}"
                    ),
                ),
                None => (
                    true,
                    format!("PASS — the API answered {status} with the token."),
                ),
            }),
            (_, Some(Err(d))) => Some((false, format!("FAIL — API call: {}", d.what))),
            (Some(Err(d)), None) => Some((false, format!("FAIL — token request: {}", d.what))),
            // During a Run the API call is already on its way: no "press Call API" in between.
            (Some(Ok(())), None) if self.busy.with(Option::is_some) => None,
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
