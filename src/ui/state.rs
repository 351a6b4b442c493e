//! The page's state and the one owner of a run's lifecycle: it freezes the form into a
//! [`RunSnapshot`], asks the core for the plan and the verdict, sends through `web::flow`, and
//! keeps busy, in-flight and the run epoch in step. Views read signals; only these methods
//! change them.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::assertions::{default_assertions, to_lines, AssertionResult};
use crate::core::canary::RunRecord;
use crate::core::checks::{Check, Signature, TokenContext};
use crate::core::clock_skew::{server_now, skew_from_exchange};
use crate::core::exchange::Exchange;
use crate::core::jwt;
use crate::core::negative::NegativeResult;
use crate::core::report::{build_evidence, AssertionLine, Evidence, EvidenceInput};
use crate::core::run::{
    plan, verdict, Job, Outcome, Plan, Refusal, RunFacts, RunSnapshot, Secret, SecretBinding,
    SecretBook, SecretKind, StepResult, TokenKey, Verdict,
};
use crate::core::session::HeldToken;
use crate::core::settings::Settings;
use crate::core::share;
use crate::core::token::AccessToken;
use crate::web::clock;
use crate::web::flow;
use crate::web::http::InFlight;
use crate::web::storage;
use crate::web::verify::{self, JwksSource};

mod matrix_form;
mod matrix_run;
mod unshown;
pub use matrix_form::MatrixForm;
pub use matrix_run::MatrixRun;
use unshown::{HeldBack, Start};

/// A run reuses the held token only if it has more than this many seconds left,
/// so it cannot expire between our check and the API's.
pub const EXPIRY_MARGIN_SECS: i64 = 5;

/// The key a token this run fetched is held under.
fn token_key(snapshot: &RunSnapshot) -> TokenKey {
    snapshot.token_key().unwrap_or(TokenKey::Pasted)
}

/// Bodies above this size are checked and shown in separate tasks (see `perform`).
const BIG_BODY_BYTES: usize = 256 * 1024;

/// A run that passed [`AppState::begin`]: its frozen inputs, its plan and its cancel handle.
pub struct Prepared {
    epoch: u64,
    snapshot: RunSnapshot,
    plan: Plan,
    in_flight: InFlight,
}

/// A run's signature check, shown only when landed (see [`AppState::check_signature`]).
#[derive(Clone)]
pub struct SignatureCheck {
    generation: u32,
    answer: Rc<Cell<Option<Signature>>>,
    /// Set by `land`: from then on the answer goes to the page when it comes.
    landed: Rc<Cell<bool>>,
}

impl SignatureCheck {
    /// Whether its answer came before its token was held (and waits for `land`).
    pub fn is_waiting(&self) -> bool {
        let answer = self.answer.take();
        let waiting = answer.is_some();
        self.answer.set(answer);
        waiting
    }
}

/// How a run's token step ended.
pub(crate) enum TokenStep {
    /// A new token is held.
    Held,
    /// The run was superseded (cancelled, or a newer run began) while the token was out.
    Stale,
    /// No token came back; the step's panel says why.
    Failed,
}

/// What [`AppState::perform`] did, for the canary's history line.
pub struct Performed {
    pub token_fetched: bool,
    /// Why the token was reused or re-fetched, when it was.
    pub token_note: Option<String>,
    /// The run's number: the page shows the newest run, so a record is only this run's while no
    /// other has begun.
    epoch: u64,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub settings: RwSignal<Settings>,
    /// The Client secret field: its own type, never part of `settings`.
    pub secret: RwSignal<Secret>,
    /// Where the secret in the field was entered (see [`SecretBinding`]).
    secret_binding: RwSignal<Option<SecretBinding>>,
    /// Every secret this tab has sent or received: what all masking uses.
    pub book: RwSignal<SecretBook>,
    /// Set once the user pressed a button: from then on, empty required fields are flagged.
    pub attempted: RwSignal<bool>,
    /// The last run's frozen inputs: what its panels and exports describe.
    pub snapshot: RwSignal<Option<RunSnapshot>>,
    /// Why the last run sent nothing, when it did not.
    pub refusal: RwSignal<Option<Refusal>>,
    pub token_step: RwSignal<Option<StepResult<AccessToken>>>,
    /// Whether the last run fetched the token shown (false: it reused the held one).
    pub token_fetched: RwSignal<bool>,
    pub api_step: RwSignal<Option<StepResult<()>>>,
    pub held: RwSignal<Option<HeldToken>>,
    /// What is running now, as a sentence for the busy indicator (drawn with the run: see `unshown`).
    pub busy: RwSignal<Option<&'static str>>,
    /// Whether a run is on, from the click, drawn or not: the results region's `aria-busy`.
    pub running: RwSignal<bool>,
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
    /// The negative checks' results for the held token (a finding reaches the verdict).
    pub negatives: RwSignal<Vec<NegativeResult>>,
    /// The last authorization matrix run (see `matrix_run`).
    pub matrix: RwSignal<Option<MatrixRun>>,
    /// The matrix panel's imported description and inputs (Run matrix, canary ticks, profiles).
    pub matrix_form: MatrixForm,
    in_flight: StoredValue<Option<InFlight>, LocalStorage>,
    /// Bumped by every run: a watchdog or a late answer of an older run changes nothing.
    epoch: StoredValue<u64>,
    /// Bumped for every verification, so a slow answer for an old token is dropped.
    verification: StoredValue<u32>,
    /// The token the last signature check was for, and the key-set fields (Key set, via proxy)
    /// it was judged with: a run sending that token with others judges it again.
    judged_with: StoredValue<Option<(String, String, bool)>>,
    /// The held token decoded, with the token it is of: the panels, the checks and the verdict
    /// read it several times a run, and the token changes at most once.
    decoded_last: StoredValue<Option<(String, Arc<jwt::DecodedJwt>)>>,
    /// A signed-in user's token that came while a run was on: held when the run ends (see
    /// [`AppState::hold_signed_in`]).
    signed_in_waiting: StoredValue<Option<(String, Option<u64>, crate::core::run::TokenKey)>>,
}

impl AppState {
    pub fn new() -> Self {
        Self {
            settings: RwSignal::new(Settings::default()),
            secret: RwSignal::new(Secret::default()),
            secret_binding: RwSignal::new(None),
            book: RwSignal::new(SecretBook::new()),
            attempted: RwSignal::new(false),
            snapshot: RwSignal::new(None),
            refusal: RwSignal::new(None),
            token_step: RwSignal::new(None),
            token_fetched: RwSignal::new(false),
            api_step: RwSignal::new(None),
            held: RwSignal::new(None),
            busy: RwSignal::new(None),
            running: RwSignal::new(false),
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
            negatives: RwSignal::new(Vec::new()),
            matrix: RwSignal::new(None),
            matrix_form: MatrixForm::new(),
            in_flight: StoredValue::new_local(None),
            epoch: StoredValue::new(0),
            verification: StoredValue::new(0),
            judged_with: StoredValue::new(None),
            decoded_last: StoredValue::new(None),
            signed_in_waiting: StoredValue::new(None),
        }
    }

    /// The values to hide in every view and export: every secret the tab has sent or received.
    pub fn secrets(&self) -> Vec<String> {
        self.book
            .with(|b| b.values().into_iter().map(str::to_owned).collect())
    }

    /// Masks text that leaves the code (a diagnosis, a verdict, a history line, a download): the
    /// book's secrets, then token-shaped text and URL passwords it never saw.
    pub fn mask(&self, text: &str) -> String {
        self.book.with_untracked(|b| b.mask_all(text))
    }

    /// The user typed in the Client secret field: the secret is bound to the form as it is now.
    pub fn type_secret(self, value: String) {
        self.secret.set(Secret::new(value));
        self.secret_binding
            .set(Some(self.settings.with_untracked(SecretBinding::of)));
        self.remember_secret_if_opted_in();
    }

    /// Runs a job from a button or the keyboard.
    pub fn start(self, job: Job) {
        match self.begin(job, EXPIRY_MARGIN_SECS) {
            Ok(prepared) => spawn_local(async move {
                self.perform(prepared).await;
            }),
            Err(refusal) => self.refuse(refusal),
        }
    }

    /// Shows why nothing was sent (a busy click is silently ignored: the busy line says it).
    pub fn refuse(self, refusal: Refusal) {
        if refusal != Refusal::Busy {
            self.notice.set(Some(refusal.message()));
        }
    }

    /// Freezes the form and decides the run. `margin_secs`: how close to expiry a held token
    /// may be reused. Err when nothing may be sent, with the reason.
    pub fn begin(self, job: Job, margin_secs: i64) -> Result<Prepared, Refusal> {
        // A run is on from here until `finish` (its request handle is stored at once): a second
        // click, key or scheduled tick cannot start a second run.
        if self.is_running() {
            return Err(Refusal::Busy);
        }
        if !self.attempted.get_untracked() {
            self.attempted.set(true);
        }
        let snapshot = RunSnapshot::new(
            job,
            self.settings.get_untracked(),
            self.secret.get_untracked(),
            &self.assertions_text.get_untracked(),
            clock::now_unix_ms(),
        );
        // A held token's exp is AWS's time: compared with the server's clock when it is known.
        let plan = plan(
            &snapshot,
            self.held.get_untracked().as_ref(),
            self.server_now(),
            margin_secs,
        )?;
        let in_flight = InFlight::new().ok_or_else(|| {
            Refusal::Blocked(
                "This browser cannot cancel requests (no AbortController); it is too old for this tool."
                    .into(),
            )
        })?;
        self.in_flight.set_value(Some(in_flight.clone()));
        self.running.set(true);
        let epoch = self.epoch.get_value().wrapping_add(1);
        self.epoch.set_value(epoch);
        // Secrets go into the book before anything is sent, so every view is masked from the start.
        self.remember_in_book(|b| snapshot.register_secrets(b));
        if plan.wants_token() {
            self.secret_binding
                .set(Some(SecretBinding::of(&snapshot.settings)));
        }
        self.watch(epoch, &snapshot);
        Ok(Prepared {
            epoch,
            snapshot,
            plan,
            in_flight,
        })
    }

    /// Sends what `begin` decided and updates the panels. Whatever happens, the run ends in
    /// `finish` (and a watchdog ends it if a dependency throws and this task never resumes).
    pub async fn perform(self, prepared: Prepared) -> Performed {
        let Prepared {
            epoch,
            snapshot,
            plan,
            in_flight,
        } = prepared;
        let wants_token = plan.wants_token();
        let token_note = plan.note();
        let recheck = self.judge_held_again(&snapshot, &plan);
        // Nothing is drawn before the answers come, or SHOW_AFTER_MS has passed (see `unshown`).
        let unshown = self.hold_back(
            epoch,
            Start {
                snapshot: snapshot.clone(),
                wants_token,
                note: token_note.clone(),
                recheck,
                // Run's line stays up while the API call is out and its token held back.
                busy: match (wants_token, snapshot.job) {
                    (true, Job::Token) => "Getting a token…",
                    (true, _) => "Getting a token, then calling the API…",
                    (false, _) => "Calling the API…",
                },
            },
        );
        let mut token = None;
        if wants_token {
            let step = flow::request_token(&snapshot, &in_flight).await;
            if !self.is_current(epoch) {
                self.remember_tokens_of(&step);
                return self.performed(epoch, wants_token, token_note);
            }
            match step.value().map(|t| t.access_token.clone()) {
                Some(access_token) if snapshot.job != Job::Token => {
                    // The signature is checked while the API call is out.
                    let early =
                        Some(self.check_signature(access_token.clone(), snapshot.settings.clone()));
                    let key = token_key(&snapshot);
                    self.hold_back_token(&unshown, HeldBack { step, key, early });
                    token = Some(access_token);
                }
                _ => {
                    self.draw(&unshown);
                    if let TokenStep::Failed = self.show_token(token_key(&snapshot), step, None) {
                        self.finish(epoch);
                        return self.performed(epoch, wants_token, token_note);
                    }
                }
            }
        }
        if snapshot.job != Job::Token {
            let token = token.or_else(|| {
                self.held
                    .with_untracked(|h| h.as_ref().map(|h| h.access_token.clone()))
            });
            if let Some(token) = token {
                let step = flow::call_api(&snapshot, &token, &in_flight).await;
                if !self.draw(&unshown) {
                    return self.performed(epoch, wants_token, token_note);
                }
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
                let results = self.book.with_untracked(|book| {
                    crate::core::steps::check_assertions(&snapshot, &step, book)
                });
                if big {
                    clock::next_task().await;
                }
                self.assertion_results.set(results);
                self.api_step.set(Some(step));
            }
        }
        self.draw(&unshown);
        self.finish(epoch);
        // The verdict is final once the signature has its answer: busy for assistive technology
        // (and tests) until then, unless a newer run has begun.
        if self
            .signature
            .with_untracked(|s| matches!(s, Signature::Pending))
        {
            self.running.set(true);
            self.signature_settled().await;
            if self.is_current(epoch) && !self.is_running() {
                self.running.set(false);
            }
        }
        self.performed(epoch, wants_token, token_note)
    }

    /// Waits until the held token's signature check has an answer (the key-set fetch has its own
    /// timeout; this gives up a little after it), so a run's recorded verdict (the canary's
    /// history) never says PASS while the signature is still being checked.
    async fn signature_settled(self) {
        const LIMIT_MS: f64 = 15_000.0;
        let start = clock::monotonic_ms();
        while self
            .signature
            .with_untracked(|s| matches!(s, Signature::Pending))
            && clock::monotonic_ms() - start < LIMIT_MS
        {
            gloo_timers::future::TimeoutFuture::new(25).await;
        }
    }

    /// What every run shows as it starts (Run, Get token, Call API, the matrix): busy with
    /// `busy`, the token note, its frozen snapshot, and no answer from the last run.
    pub(crate) fn show_start(
        self,
        snapshot: &RunSnapshot,
        wants_token: bool,
        note: Option<String>,
        busy: &'static str,
    ) {
        self.busy.set(Some(busy));
        // Most runs bring the note the last one did: the line is left as drawn.
        set_if_changed(self.notice, note);
        self.refusal.set(None);
        self.snapshot.set(Some(snapshot.clone()));
        self.token_fetched.set(wants_token);
        self.api_step.set(None);
        self.assertion_results.set(Vec::new());
        // The last run's negative checks judged that run: a later Run reusing the token must not
        // inherit their finding, nor their "proved nothing" (a canary tick would be CANNOT JUDGE
        // for as long as the token lasts).
        if self.negatives.with_untracked(|n| !n.is_empty()) {
            self.negatives.set(Vec::new());
        }
    }

    /// A run sending the held token judges its signature with the run's own key-set fields when
    /// it was judged with others (a pasted token: the form's when inspected; a reused one: an
    /// earlier run's, the Key set field edited since).
    /// The check is the run's: [`AppState::land`] it when the run is drawn. None when the run
    /// fetches its own token (checked when it comes) or the held one needs no new judgement.
    pub(crate) fn judge_held_again(
        self,
        snapshot: &RunSnapshot,
        plan: &Plan,
    ) -> Option<SignatureCheck> {
        if plan.wants_token() {
            return None;
        }
        let settings = &snapshot.settings;
        let token = self.held.with_untracked(|held| {
            let held = held.as_ref()?;
            let judged = self.judged_with.with_value(|j| {
                j.as_ref().is_some_and(|(token, jwks, via_proxy)| {
                    *token == held.access_token
                        && *jwks == settings.jwks
                        && *via_proxy == settings.via_proxy
                })
            });
            (!judged).then(|| held.access_token.clone())
        })?;
        Some(self.check_signature(token, settings.clone()))
    }

    /// A run's token step (Get token, the matrix): the request from the snapshot, then its answer
    /// shown and its token held (see [`AppState::show_token`]).
    pub(crate) async fn token_step(
        self,
        snapshot: &RunSnapshot,
        in_flight: &InFlight,
        epoch: u64,
    ) -> TokenStep {
        let step = flow::request_token(snapshot, in_flight).await;
        if !self.is_current(epoch) {
            self.remember_tokens_of(&step);
            return TokenStep::Stale;
        }
        self.show_token(token_key(snapshot), step, None)
    }

    /// Every token in a token step's answer into the secret book (the access token, and any ID
    /// or refresh token, or one echoed in an error), whether or not the step is shown.
    fn remember_tokens_of(self, step: &StepResult<AccessToken>) {
        if let Some(token) = step.value() {
            self.remember_token(&token.access_token);
        }
        self.remember_in_book(|b| b.add_tokens_in(step.exchange.as_ref()));
    }

    /// Shows a token step's answer, its tokens in the book first, and holds the new token under
    /// `key`. `early`: its signature check, if one started when the token came.
    fn show_token(
        self,
        key: TokenKey,
        step: StepResult<AccessToken>,
        early: Option<SignatureCheck>,
    ) -> TokenStep {
        self.note_clock(step.exchange.as_ref());
        self.remember_tokens_of(&step);
        let token = step.value().map(|t| (t.access_token.clone(), t.expires_in));
        self.token_step.set(Some(step));
        let Some((access_token, expires_in)) = token else {
            self.held.set(None);
            return TokenStep::Failed;
        };
        let held = HeldToken::new(access_token, expires_in, clock::now_unix()).with_key(key);
        match early {
            Some(check) => {
                self.take_token(held, false);
                self.land(check);
            }
            None => self.hold(held, false),
        }
        TokenStep::Held
    }

    fn performed(self, epoch: u64, token_fetched: bool, token_note: Option<String>) -> Performed {
        // No verdict here: Run ignores it, and working it out would delay the page's redraw;
        // `run_record` reads it when the canary records the run.
        Performed {
            token_fetched,
            token_note,
            epoch,
        }
    }

    fn is_current(self, epoch: u64) -> bool {
        self.epoch.get_value() == epoch
    }

    /// Ends the run `epoch` even if its task never comes back (a browser API that throws
    /// unwinds the task without running anything after it): after both requests' timeouts
    /// and a grace period, a run still on is closed with a message.
    fn watch(self, epoch: u64, snapshot: &RunSnapshot) {
        let limit_ms = snapshot
            .settings
            .timeout_secs
            .saturating_mul(2_000)
            .saturating_add(10_000);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(limit_ms).await;
            if self.is_current(epoch) && self.is_running() {
                self.cancel();
                self.finish(epoch);
                self.notice.set(Some(
                    "The run did not finish: the browser stopped it with an internal error. Nothing more will happen for it; press Run again, and reload the page if it happens twice.".into(),
                ));
            }
        });
    }

    /// Takes a token as the current one and starts checking its signature.
    fn hold(self, token: HeldToken, pasted: bool) {
        self.take_token(token, pasted);
        self.verify();
    }

    /// Takes a token as the current one (its signature: see `hold` and `land`).
    pub fn take_token(self, token: HeldToken, pasted: bool) {
        self.held.set(Some(token));
        self.negatives.set(Vec::new());
        if self.pasted.get_untracked() != pasted {
            self.pasted.set(pasted);
        }
    }

    /// A token received or pasted is a secret of this tab from now on.
    fn remember_token(self, token: &str) {
        self.remember_in_book(|b| b.add_token(token));
    }

    /// Holds a signed-in user's token (the one `Send token` picks) under the code grant's key:
    /// Call API sends it, Run reuses it while it is fresh (see `core::user_sign_in`).
    pub fn hold_signed_in(
        self,
        token: String,
        expires_in: Option<u64>,
        key: crate::core::run::TokenKey,
    ) {
        // A token that arrives while a run is on (a refresh or a code exchange answered after
        // Run was pressed) is held when the run ends: the run is judged with the token it sent.
        if self.is_running() {
            self.signed_in_waiting
                .set_value(Some((token, expires_in, key)));
            return;
        }
        let same = self
            .held
            .with_untracked(|h| h.as_ref().is_some_and(|h| h.access_token == token));
        if !same {
            // A refresh or another Send token choice replaces the token the last run sent: its
            // verdict, judged again with the new token's checks, blamed the clock for a PASS.
            self.forget_last_run();
            self.notice.set(Some(
                "Holding the signed-in user's token: Call API or Run uses it.".into(),
            ));
        }
        self.hold(
            HeldToken::new(token, expires_in, clock::now_unix()).with_key(key),
            false,
        );
    }

    /// Now by the token issuer's clock, as far as its Date headers told this page: what a token's
    /// expiry is judged against (the run plan, a refresh due, a reused token).
    pub fn server_now(self) -> i64 {
        server_now(clock::now_unix(), self.server_skew.get_untracked())
    }

    /// The last run's answers and verdict, which no longer describe the held token. The matrix's
    /// too: its verdict and rows went into the report beside the new token's claims.
    fn forget_last_run(self) {
        self.matrix.set(None);
        self.snapshot.set(None);
        self.token_step.set(None);
        self.api_step.set(None);
        self.assertion_results.set(Vec::new());
        self.refusal.set(None);
        self.token_fetched.set(false);
    }

    /// Changes the book in place with `add`, which returns whether it added anything: views
    /// redraw only then, and the book (every token of every run) is never copied.
    pub fn remember_in_book(self, add: impl FnOnce(&mut SecretBook) -> bool) {
        self.book.maybe_update(add);
    }

    /// Adds one secret to the book (a second client's secret, say).
    pub fn remember_secret_value(self, kind: SecretKind, secret: &Secret) {
        self.remember_in_book(|b| b.add(kind, secret));
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
        self.remember_token(text);
        // The run on is judged with the token it sent (as a signed-in token arriving waits).
        if self.is_running() {
            self.notice.set(Some(
                "A run is on: inspect the token when it has ended, or Cancel it first.".into(),
            ));
            return;
        }
        // The last run's answers do not describe this token: a verdict mixing them with the
        // pasted token's checks read PASS for a run that had failed.
        self.forget_last_run();
        self.notice.set(Some(
            "Inspecting the pasted token; Call API will use it until a new one is fetched.".into(),
        ));
        self.hold(
            HeldToken::new(text.to_string(), None, clock::now_unix()),
            true,
        );
    }

    /// (Re)checks the held token's signature against its JWKS, with the key-set fields of the
    /// run shown (a pasted token before any run: the form's). Not while a run is on: until it is
    /// drawn, the run shown is the one before (see `unshown`).
    pub fn verify(self) {
        let Some(held) = self.held.get_untracked() else {
            return;
        };
        let settings = match self.snapshot.get_untracked() {
            Some(snapshot) => snapshot.settings,
            None => self.settings.get_untracked(),
        };
        self.signature.set(Signature::Pending);
        self.start_check(held.access_token, settings, true);
    }

    /// Starts a run's check of `token`'s signature with `settings`' key-set fields (Key set, via
    /// proxy): the run's own, passed in, since a run's snapshot is shown only with its answers
    /// (see `unshown`). Its answer waits in the returned check until [`AppState::land`] lands it
    /// with the run, and shows only on `token` held (never another token's signature). A newer
    /// check drops it.
    pub fn check_signature(self, token: String, settings: Settings) -> SignatureCheck {
        self.start_check(token, settings, false)
    }

    /// `landed`: whether the answer may go to the page as soon as it comes (a check the page
    /// asked for itself), or only once [`AppState::land`] has landed it (a run's).
    fn start_check(self, token: String, settings: Settings, landed: bool) -> SignatureCheck {
        let generation = self.verification.get_value().wrapping_add(1);
        self.verification.set_value(generation);
        self.judged_with.set_value(Some((
            token.clone(),
            settings.jwks.clone(),
            settings.via_proxy,
        )));
        let check = SignatureCheck {
            generation,
            answer: Rc::new(Cell::new(None)),
            landed: Rc::new(Cell::new(landed)),
        };
        let waiting = check.answer.clone();
        let landed = check.landed.clone();
        spawn_local(async move {
            let decoded = jwt::decode(&token);
            let verdict = verify::verify(
                &decoded,
                &JwksSource::from_field(&settings.jwks),
                settings.via_proxy,
            )
            .await;
            if self.verification.get_value() != generation {
                return;
            }
            // Kept in the check too: `land` may come after (the same token string held again).
            waiting.set(Some(verdict.clone()));
            if landed.get()
                && self
                    .held
                    .with_untracked(|h| h.as_ref().is_some_and(|h| h.access_token == token))
            {
                self.signature.set(verdict);
            }
        });
        check
    }

    /// Shows the answer of a check started before its token was held, or Pending until it
    /// comes; if a newer check dropped it, checks the held token again.
    pub fn land(self, check: SignatureCheck) {
        check.landed.set(true);
        match check.answer.take() {
            Some(verdict) => self.signature.set(verdict),
            None if self.verification.get_value() == check.generation => {
                self.signature.set(Signature::Pending)
            }
            None => self.verify(),
        }
    }

    /// Restores what the page may start from: a share link's settings (the secret is never in
    /// it) and a secret the user chose to remember in this tab — only for the endpoint and
    /// client it was entered for.
    pub fn restore(self) {
        // What this tab had in the form before a reload (never the secret).
        if let Some((settings, assertions)) = storage::kept_form() {
            self.settings.set(settings);
            self.assertions_text.set(assertions);
        }
        if let Some((secret, binding)) = storage::remembered_secret() {
            self.secret.set(secret);
            self.secret_binding.set(Some(binding));
            self.remember.set(true);
        }
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if hash.is_empty() {
            return;
        }
        match share::from_fragment(&hash) {
            Ok(shared) => self.load_settings(shared.settings(), "a share link"),
            Err(e) => self
                .notice
                .set(Some(format!("The link's settings were not loaded: {e}"))),
        }
    }

    /// Keeps the form's non-secret values for this tab whenever they change, so a reload keeps
    /// them (sessionStorage; the secret follows "Remember secret in this tab" alone).
    pub fn keep_form_for_the_tab(self) {
        Effect::new(move |_| {
            self.settings.with(|settings| {
                self.assertions_text.with(|assertions| {
                    // A form holding a secret the tab knows (a token pasted into the URL, say) is
                    // kept with it masked. The effect runs again when the book learns a secret, so a
                    // form kept before the tab knew the secret is replaced too.
                    let kept = self.secret.with(|secret| {
                        self.book
                            .with(|b| b.kept_form(secret, settings, assertions))
                    });
                    match kept {
                        Some((settings, assertions)) => storage::keep_form(&settings, &assertions),
                        None => storage::forget_form(),
                    }
                })
            });
        });
    }

    /// Why the form may not be saved or shared: it holds a secret this tab has sent or received,
    /// or text shaped like a token.
    pub fn secret_in_settings(self) -> Option<String> {
        let found = self.settings.with_untracked(|settings| {
            self.assertions_text.with_untracked(|a| {
                self.secret.with_untracked(|secret| {
                    self.book
                        .with_untracked(|b| b.is_in_settings(secret, settings, a))
                })
            })
        });
        found.then(|| SecretBook::HOLDS_SECRET.to_string())
    }

    /// Why the imported API description may not be saved in a profile, if it holds a secret (a
    /// token in a body example, a URL password in a server URL).
    pub fn secret_in_api(
        self,
        api: Option<&crate::core::matrix::ApiDescription>,
    ) -> Option<String> {
        let text = serde_json::to_string(api?).ok()?;
        let found = self.settings.with_untracked(|settings| {
            self.secret.with_untracked(|secret| {
                self.book
                    .with_untracked(|b| b.is_in_text(secret, settings, &text))
            })
        });
        found.then(|| SecretBook::API_HOLDS_SECRET.to_string())
    }

    /// Puts settings from a share link or a profile into the form. The secret in memory stays
    /// only if they point at the endpoint, client and API host it was entered for; otherwise it
    /// is cleared (and forgotten) and the page names the new hosts and asks for it.
    pub fn load_settings(self, next: Settings, source: &str) {
        let binding = SecretBinding::of(&next);
        let differences = self
            .secret_binding
            .get_untracked()
            .map(|old| old.differences(&binding))
            .unwrap_or_default();
        let had_secret = !self.secret.with_untracked(Secret::is_empty);
        self.settings.set(next);
        let message = if had_secret && !differences.is_empty() {
            self.secret.set(Secret::default());
            self.secret_binding.set(None);
            storage::remember_secret(None);
            format!(
                "Settings loaded from {source}. They point elsewhere ({}), so the Client secret was cleared: enter the secret for this client before anything is sent.",
                differences.join("; ")
            )
        } else if !had_secret {
            format!("Settings loaded from {source}. Enter the Client secret: links and profiles never carry it.")
        } else {
            format!("Settings loaded from {source}; same endpoint and client, so the Client secret was kept.")
        };
        self.notice.set(Some(message));
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

    /// Mirrors the secret to sessionStorage with its binding, only when the user opted in.
    pub fn remember_secret_if_opted_in(self) {
        if self.remember.get_untracked() {
            let secret = self.secret.get_untracked();
            if secret.is_empty() {
                storage::remember_secret(None);
            } else {
                let binding = self
                    .secret_binding
                    .get_untracked()
                    .unwrap_or_else(|| self.settings.with_untracked(SecretBinding::of));
                storage::remember_secret(Some((&secret, &binding)));
            }
        }
    }

    /// After Import…: the secret and settings came together, so the binding is the new form's.
    /// Puts an import into the form. An import without a secret keeps the one in memory only
    /// where it fills in what was empty when the secret was entered; pointing the token endpoint,
    /// client or API host elsewhere clears it (as a link or profile does), and the returned
    /// sentence says so.
    pub fn imported(
        self,
        settings: Settings,
        secret: Secret,
        brought_secret: bool,
    ) -> Option<String> {
        let binding = SecretBinding::of(&settings);
        let moved = match self.secret_binding.get_untracked() {
            Some(old) if !brought_secret && !secret.is_empty() => old.moved_by_import(&binding),
            _ => Vec::new(),
        };
        self.settings.set(settings);
        if !moved.is_empty() {
            self.secret.set(Secret::default());
            self.secret_binding.set(None);
            storage::remember_secret(None);
            return Some(format!(
                "They point elsewhere ({}), so the Client secret was cleared: enter the secret for this client before anything is sent.",
                moved.join("; ")
            ));
        }
        self.secret_binding.set(Some(binding));
        self.secret.set(secret);
        self.remember_secret_if_opted_in();
        None
    }

    /// The history line for the run that just finished (or was refused).
    pub fn run_record(self, started_at_unix_ms: f64, performed: &Performed) -> RunRecord {
        // A run started by hand while this one waited for its signature check (the Run button
        // is free again by then) replaced what the page shows: reading it would record that
        // run's verdict as this tick's.
        if !self.is_current(performed.epoch) {
            return RunRecord {
                started_at_unix_ms,
                token_ms: None,
                token_fetched: performed.token_fetched,
                token_note: None,
                api_ms: None,
                status: None,
                passed: false,
                outcome: Outcome::Skipped.label().to_owned(),
                first_failure: Some("A run started by hand before this one's signature check ended replaced its result on the page; this tick is not counted as a pass or a fail.".to_owned()),
            };
        }
        let token = self.token_step.get_untracked();
        let api = self.api_step.get_untracked();
        let verdict = self.verdict_untracked();
        let outcome = verdict.as_ref().map_or(Outcome::CannotJudge, |v| v.outcome);
        let first_failure = verdict
            .as_ref()
            .filter(|v| !v.outcome.passed())
            .map(|v| self.mask(&v.first_reason()));
        RunRecord {
            started_at_unix_ms,
            token_ms: token
                .as_ref()
                .filter(|_| performed.token_fetched)
                .and_then(StepResult::elapsed_ms),
            token_fetched: performed.token_fetched
                && token.as_ref().is_some_and(|t| t.value().is_some()),
            token_note: performed.token_note.as_deref().map(|n| self.mask(n)),
            api_ms: api.as_ref().and_then(StepResult::elapsed_ms),
            status: api.as_ref().and_then(StepResult::status),
            passed: outcome == Outcome::Pass,
            outcome: outcome.label().to_owned(),
            first_failure,
        }
    }

    /// The history line for a tick that sent nothing.
    pub fn refused_record(self, started_at_unix_ms: f64, refusal: &Refusal) -> RunRecord {
        let outcome = if *refusal == Refusal::Busy {
            Outcome::Skipped
        } else {
            Outcome::CannotJudge
        };
        RunRecord {
            started_at_unix_ms,
            token_ms: None,
            token_fetched: false,
            token_note: None,
            api_ms: None,
            status: None,
            passed: false,
            outcome: outcome.label().to_owned(),
            first_failure: Some(self.mask(&refusal.message())),
        }
    }

    /// The token checks of the held token, against the last run's frozen settings (or the
    /// form's, for a pasted token before any run).
    pub fn checks(self) -> Option<Vec<Check>> {
        self.checks_at(self.now.get())
    }

    /// The checks as they stood when the last run started: what its verdict and its evidence
    /// judge, so a finished PASS does not turn into "expired" an hour later (the Checks panel
    /// stays live). A pasted token before any run has no snapshot: its checks are live; once Call
    /// API has used it, they are the call's, like a fetched token's.
    pub fn run_checks(self) -> Option<Vec<Check>> {
        let at = self
            .snapshot
            .with(|s| s.as_ref().map(|s| (s.started_at_unix_ms / 1000.0) as i64));
        match at {
            Some(at) => self.checks_at(at),
            None => self.checks(),
        }
    }

    fn checks_at(self, now: i64) -> Option<Vec<Check>> {
        let token = self.decoded()?;
        let ctx = self.token_context(now);
        use crate::core::run::TokenKey;
        use crate::core::user_sign_in::{sent_token_checks, SentFrom};
        let from = self.held.with(|h| match h.as_ref().map(|h| &h.key) {
            Some(TokenKey::SignedIn { .. }) => SentFrom::SignedIn,
            Some(TokenKey::Pasted) => SentFrom::Pasted,
            _ => SentFrom::Fetched,
        });
        Some(
            self.signature
                .with(|sig| sent_token_checks(&token, sig, &ctx, from)),
        )
    }

    fn token_context(self, now: i64) -> TokenContext {
        let from = |s: &Settings| TokenContext::for_settings(s, now, self.server_skew.get());
        self.snapshot.with(|snapshot| match snapshot {
            Some(snapshot) => from(&snapshot.settings),
            None => self.settings.with(from),
        })
    }

    /// The last run as evidence for a ticket: from its snapshot, redacted, signature removed.
    pub fn evidence(self) -> Evidence {
        let snapshot = self.snapshot.get_untracked();
        let settings = snapshot
            .as_ref()
            .map_or_else(|| self.settings.get_untracked(), |s| s.settings.clone());
        let checks = untrack(|| self.run_checks()).unwrap_or_default();
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
        // A run that reused the held token made no token request: the one still shown is an
        // earlier run's (the verdict leaves it out the same way).
        let token_step = self
            .token_step
            .get_untracked()
            .filter(|_| self.token_fetched.get_untracked());
        let api_step = self.api_step.get_untracked();
        let diagnoses = [
            token_step.as_ref().and_then(StepResult::diagnosis).cloned(),
            api_step.as_ref().and_then(StepResult::diagnosis).cloned(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let verdict = self.verdict_untracked();
        let mut verdict_text = verdict
            .as_ref()
            .map_or_else(|| "No run yet.".into(), |v| v.headline.clone());
        for reason in verdict.iter().flat_map(|v| v.reasons.iter()) {
            verdict_text.push_str(&format!("\n- {reason}"));
        }
        verdict_text.push_str(&self.matrix_evidence());
        build_evidence(EvidenceInput {
            tool_version: crate::VERSION.to_string(),
            generated_at_unix: clock::now_unix(),
            settings,
            token_exchange: token_step.and_then(|s| s.exchange),
            api_exchange: api_step.and_then(|s| s.exchange),
            access_token: self.held.get_untracked().map(|h| h.access_token),
            checks,
            assertions,
            diagnoses,
            verdict: verdict_text,
            client_secret_set: snapshot.as_ref().is_some_and(|s| !s.secret.is_empty()),
            secrets: self.secrets_untracked(),
        })
    }

    pub fn secrets_untracked(self) -> Vec<String> {
        untrack(|| self.secrets())
    }

    fn note_clock(self, exchange: Option<&Exchange>) {
        // Set only when it moves: every check reads it, and the same skew comes back on most runs.
        if let Some(skew) = exchange.and_then(skew_from_exchange) {
            set_if_changed(self.server_skew, Some(skew));
        }
    }

    /// Ends run `epoch`: busy off, the request handle released. A later run is not touched.
    fn finish(self, epoch: u64) {
        if self.is_current(epoch) {
            self.busy.set(None);
            self.in_flight.set_value(None);
            self.running.set(false);
            let waiting = self
                .signed_in_waiting
                .try_update_value(Option::take)
                .flatten();
            if let Some((token, expires_in, key)) = waiting {
                self.hold_signed_in(token, expires_in, key);
            }
        }
    }

    /// Whether a run is on, drawn or not yet (see `unshown`): what refuses a second one.
    pub fn is_running(self) -> bool {
        self.in_flight.with_value(Option::is_some)
    }

    pub fn cancel(self) {
        if let Some(in_flight) = self.in_flight.get_value() {
            in_flight.cancel();
        }
    }

    /// The decoded form of the held token, for the Decoded token panel.
    pub fn decoded(self) -> Option<Arc<jwt::DecodedJwt>> {
        self.held.with(|held| {
            let token = &held.as_ref()?.access_token;
            let last = self.decoded_last.with_value(|last| {
                last.as_ref()
                    .filter(|(of, _)| of == token)
                    .map(|(_, decoded)| decoded.clone())
            });
            Some(last.unwrap_or_else(|| {
                let decoded = Arc::new(jwt::decode(token));
                self.decoded_last
                    .set_value(Some((token.clone(), decoded.clone())));
                decoded
            }))
        })
    }

    /// The verdict on the last run (None while it is on, or before any run).
    pub fn verdict(self) -> Option<Verdict> {
        if self.busy.with(Option::is_some) {
            return None;
        }
        if let Some(matrix) = self.matrix_verdict() {
            return Some(matrix);
        }
        let checks = self.run_checks().unwrap_or_default();
        let refusal = self.refusal.get();
        let snapshot_job = self.snapshot.with(|s| s.as_ref().map(|s| s.job));
        let assertions = self
            .snapshot
            .with(|s| s.as_ref().map(|s| s.assertions.clone()));
        let token_fetched = self.token_fetched.get();
        self.token_step.with(|token| {
            self.api_step.with(|api| {
                self.assertion_results.with(|results| {
                    self.negatives.with(|negatives| {
                        verdict(&RunFacts {
                            job: snapshot_job.unwrap_or(Job::Run),
                            refusal: refusal.as_ref(),
                            token: token.as_ref().filter(|_| token_fetched),
                            api: api.as_ref(),
                            assertions: assertions.as_ref(),
                            assertion_results: results,
                            checks: &checks,
                            negatives,
                        })
                    })
                })
            })
        })
    }

    pub fn verdict_untracked(self) -> Option<Verdict> {
        untrack(|| self.verdict())
    }
}

/// Sets `signal` to `value` only when it differs, so its readers are not woken for the same value.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    signal.maybe_update(|current| {
        let changed = *current != value;
        if changed {
            *current = value;
        }
        changed
    });
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
