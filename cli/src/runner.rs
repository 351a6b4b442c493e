//! One run and the schedule, on the core's run model: snapshot → plan (token reuse on its key)
//! → token request → API call → assertions → token checks → negative checks → verdict. This
//! module only sends and keeps what the page's `AppState` keeps between runs.

use cognito_api_tester::core::assertions::AssertionResult;
use cognito_api_tester::core::canary::RunRecord;
use cognito_api_tester::core::checks::{token_checks, Check, Signature, TokenContext};
use cognito_api_tester::core::clock_skew::{server_now, skew_from_exchange};
use cognito_api_tester::core::diagnosis::Diagnosis;
use cognito_api_tester::core::junit::{suite_for_run, RunCases, TestSuite};
use cognito_api_tester::core::jwt;
use cognito_api_tester::core::negative::{
    against_control, authorization_for, judge, NegativeCase, NegativeResult,
};
use cognito_api_tester::core::report::{build_evidence, AssertionLine, Evidence, EvidenceInput};
use cognito_api_tester::core::run::{
    plan, verdict, Job, Outcome, Refusal, RunFacts, RunSnapshot, Secret, SecretBook, StepResult,
    TokenKey, Verdict,
};
use cognito_api_tester::core::session::HeldToken;
use cognito_api_tester::core::settings::Settings;
use cognito_api_tester::core::steps;
use cognito_api_tester::core::token::AccessToken;

use crate::{clock, http, signature};

/// What the process keeps between runs, as the page's state does between presses.
pub struct Session {
    client: reqwest::Client,
    /// Every secret sent or received: what all output is masked with.
    pub book: SecretBook,
    held: Option<HeldToken>,
    server_skew: Option<i64>,
    negative: bool,
}

/// Everything one run produced.
pub struct RunOutput {
    pub started_at_unix_ms: f64,
    pub snapshot: RunSnapshot,
    pub refusal: Option<Refusal>,
    /// This run's token request (None: the held token was reused, or nothing was sent).
    pub token: Option<StepResult<AccessToken>>,
    pub token_note: Option<String>,
    pub api: Option<StepResult<()>>,
    pub assertion_results: Vec<AssertionResult>,
    pub checks: Vec<Check>,
    pub negatives: Vec<NegativeResult>,
    /// Why a negative check could not be sent, when one could not.
    pub negative_notes: Vec<String>,
    pub verdict: Option<Verdict>,
    /// The token the API call used, for the report (masked there).
    pub access_token: Option<String>,
}

impl RunOutput {
    /// The verdict's outcome; no verdict at all cannot be judged.
    pub fn outcome(&self) -> Outcome {
        self.verdict
            .as_ref()
            .map_or(Outcome::CannotJudge, |v| v.outcome)
    }

    pub fn diagnoses(&self) -> Vec<Diagnosis> {
        [
            self.token.as_ref().and_then(StepResult::diagnosis).cloned(),
            self.api.as_ref().and_then(StepResult::diagnosis).cloned(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

impl Session {
    pub fn new(client: reqwest::Client, negative: bool) -> Self {
        Self {
            client,
            book: SecretBook::new(),
            held: None,
            server_skew: None,
            negative,
        }
    }

    pub fn held(&self) -> Option<&HeldToken> {
        self.held.as_ref()
    }

    /// One Run: token (reused when its key matches and it is fresh enough), then the API.
    /// `margin_secs`: how close to expiry a held token may still be reused.
    pub async fn run(
        &mut self,
        settings: &Settings,
        secret: &Secret,
        assertions_text: &str,
        margin_secs: i64,
    ) -> RunOutput {
        let mut out = self.begin(Job::Run, settings, secret, assertions_text);
        if !self.obtain_token(&mut out, margin_secs).await {
            return out;
        }
        if let Some(held) = self.held.clone() {
            let step = self
                .call_api(&out.snapshot, Some(format!("Bearer {}", held.access_token)))
                .await;
            out.assertion_results = steps::check_assertions(&out.snapshot, &step, &self.book);
            // The call with the unaltered token is the negative checks' control.
            let control = step.status();
            out.api = Some(step);
            out.checks = self.checks(&held, &out.snapshot.settings).await;
            if self.negative {
                self.negatives(&mut out, &held, control).await;
            }
            out.access_token = Some(held.access_token);
        }
        out.verdict = self.judge(&out);
        out
    }

    /// Get token, as the page's button: a new token (none is held before it in this process),
    /// its checks and the verdict TOKEN OBTAINED, or why not. The matrix runs with it.
    pub async fn get_token(&mut self, settings: &Settings, secret: &Secret) -> RunOutput {
        let mut out = self.begin(Job::Token, settings, secret, "");
        if self.obtain_token(&mut out, 0).await {
            if let Some(held) = self.held.clone() {
                out.checks = self.checks(&held, &out.snapshot.settings).await;
                out.access_token = Some(held.access_token);
            }
            out.verdict = self.judge(&out);
        }
        out
    }

    /// The run's frozen snapshot, its secrets in the book before anything is sent.
    fn begin(
        &mut self,
        job: Job,
        settings: &Settings,
        secret: &Secret,
        assertions_text: &str,
    ) -> RunOutput {
        let started_at_unix_ms = clock::now_unix_ms();
        let snapshot = RunSnapshot::new(
            job,
            settings.clone(),
            secret.clone(),
            assertions_text,
            started_at_unix_ms,
        );
        // Secrets go into the book before anything is sent: every line printed is masked.
        snapshot.register_secrets(&mut self.book);
        RunOutput {
            started_at_unix_ms,
            snapshot,
            refusal: None,
            token: None,
            token_note: None,
            api: None,
            assertion_results: Vec::new(),
            checks: Vec::new(),
            negatives: Vec::new(),
            negative_notes: Vec::new(),
            verdict: None,
            access_token: None,
        }
    }

    /// The token step of `out`'s run: the held token reused or a new one requested, as the core's
    /// plan decides. False when the run was refused (its verdict is then set).
    async fn obtain_token(&mut self, out: &mut RunOutput, margin_secs: i64) -> bool {
        // A held token's exp is AWS's time: compared with the server's clock when it is known.
        let decided = plan(
            &out.snapshot,
            self.held.as_ref(),
            server_now(clock::now_unix(), self.server_skew),
            margin_secs,
        );
        let decided = match decided {
            Ok(decided) => decided,
            Err(refusal) => {
                out.refusal = Some(refusal);
                out.verdict = self.judge(out);
                return false;
            }
        };
        out.token_note = decided.note();
        if decided.wants_token() {
            let step = self.request_token(&out.snapshot).await;
            self.book.add_tokens_in(step.exchange.as_ref());
            match step.value() {
                Some(token) => {
                    self.book.add_token(&token.access_token);
                    let key = out.snapshot.token_key().unwrap_or(TokenKey::Pasted);
                    self.held = Some(
                        HeldToken::new(
                            token.access_token.clone(),
                            token.expires_in,
                            clock::now_unix(),
                        )
                        .with_key(key),
                    );
                }
                None => self.held = None,
            }
            out.token = Some(step);
        }
        true
    }

    fn judge(&self, out: &RunOutput) -> Option<Verdict> {
        verdict(&RunFacts {
            job: out.snapshot.job,
            refusal: out.refusal.as_ref(),
            token: out.token.as_ref(),
            api: out.api.as_ref(),
            assertions: Some(&out.snapshot.assertions),
            assertion_results: &out.assertion_results,
            checks: &out.checks,
            negatives: &out.negatives,
        })
    }

    async fn request_token(&mut self, snapshot: &RunSnapshot) -> StepResult<AccessToken> {
        let request = match steps::token_request(snapshot) {
            Ok(request) => request,
            Err(d) => return StepResult::not_sent(d),
        };
        let (exchange, sent) =
            http::send(&self.client, &request, snapshot.settings.timeout_secs).await;
        self.note_clock(&exchange);
        let state = steps::token_state(snapshot, sent, exchange.response.as_ref(), &request.url);
        StepResult {
            exchange: Some(exchange),
            proxied_target: None,
            state,
        }
    }

    async fn call_api(
        &mut self,
        snapshot: &RunSnapshot,
        authorization: Option<String>,
    ) -> StepResult<()> {
        let request = match steps::api_request(snapshot, authorization) {
            Ok(request) => request,
            Err(d) => return StepResult::not_sent(d),
        };
        let (exchange, sent) =
            http::send(&self.client, &request, snapshot.settings.timeout_secs).await;
        self.note_clock(&exchange);
        let state = steps::api_state(snapshot, sent, exchange.response.as_ref(), &request.url);
        StepResult {
            exchange: Some(exchange),
            proxied_target: None,
            state,
        }
    }

    fn note_clock(&mut self, exchange: &cognito_api_tester::core::exchange::Exchange) {
        if let Some(skew) = skew_from_exchange(exchange) {
            self.server_skew = Some(skew);
        }
    }

    /// The Checks panel's lines for the token the run used.
    async fn checks(&self, held: &HeldToken, settings: &Settings) -> Vec<Check> {
        let decoded = jwt::decode(&held.access_token);
        let signature: Signature = signature::verify(&self.client, &decoded, &settings.jwks).await;
        let ctx = TokenContext::for_settings(settings, clock::now_unix(), self.server_skew);
        token_checks(&decoded, &signature, &ctx)
    }

    /// The one-click negative checks (all but the second client's token), from the good token.
    async fn negatives(&mut self, out: &mut RunOutput, held: &HeldToken, control: Option<u16>) {
        for case in NegativeCase::all()
            .into_iter()
            .filter(|c| *c != NegativeCase::OtherClientToken)
        {
            let authorization = match authorization_for(case, &held.access_token) {
                Ok(a) => a,
                Err(e) => {
                    out.negative_notes
                        .push(format!("{}: not sent: {e}", case.label()));
                    continue;
                }
            };
            self.book.add_sent_authorization(authorization.as_deref());
            let step = self.call_api(&out.snapshot, authorization).await;
            let (status, body) = step
                .exchange
                .and_then(|e| e.response)
                .map(|r| (Some(r.status), r.body))
                .unwrap_or((None, String::new()));
            out.negatives.push(against_control(
                judge(case, status, &body, self.book.masker()),
                control,
            ));
        }
    }
}

/// The evidence report of a run, as the page's Download report builds it.
pub fn evidence(out: &RunOutput, book: &SecretBook) -> Evidence {
    evidence_for(out, out.verdict.as_ref(), "", book)
}

/// The evidence report of `out`'s exchanges under `verdict` (the matrix's, for `matrix`), with
/// `appendix` after the verdict's reasons (the matrix's rows), as the page's Download report.
pub fn evidence_for(
    out: &RunOutput,
    verdict: Option<&Verdict>,
    appendix: &str,
    book: &SecretBook,
) -> Evidence {
    let mut verdict_text = verdict.map_or_else(|| "No verdict.".into(), |v| v.headline.clone());
    for reason in verdict.iter().flat_map(|v| v.reasons.iter()) {
        verdict_text.push_str(&format!("\n- {reason}"));
    }
    verdict_text.push_str(appendix);
    build_evidence(EvidenceInput {
        tool_version: cognito_api_tester::VERSION.to_string(),
        generated_at_unix: clock::now_unix(),
        settings: out.snapshot.settings.clone(),
        token_exchange: out.token.as_ref().and_then(|s| s.exchange.clone()),
        api_exchange: out.api.as_ref().and_then(|s| s.exchange.clone()),
        access_token: out.access_token.clone(),
        checks: out.checks.clone(),
        assertions: out
            .assertion_results
            .iter()
            .map(|a| AssertionLine {
                description: a.assertion.clone(),
                passed: a.passed,
                actual: a.actual.clone(),
            })
            .collect(),
        diagnoses: out.diagnoses(),
        verdict: verdict_text,
        client_secret_set: !out.snapshot.secret.is_empty(),
        secrets: book.values().into_iter().map(str::to_owned).collect(),
    })
}

/// The JUnit suite of a run.
pub fn junit_suite(out: &RunOutput, number: usize, book: &SecretBook) -> TestSuite {
    let errors = match &out.snapshot.assertions {
        Err(e) => e.messages(),
        Ok(_) => Vec::new(),
    };
    let refusal = out.refusal.as_ref().map(|r| (r, r.message()));
    // A tick skipped because the last run was still on is a skip; any other refusal (a field
    // that stops the request) is an error of the run.
    let (token_note, refused) = match &refusal {
        Some((Refusal::Busy, message)) => (Some(message.as_str()), None),
        Some((_, message)) => (None, Some(message.as_str())),
        None => (out.token_note.as_deref(), None),
    };
    suite_for_run(
        &RunCases {
            name: format!("cognito-api-tester run {number}"),
            started_at_unix_ms: out.started_at_unix_ms,
            token: out.token.as_ref(),
            token_note,
            refused,
            api: out.api.as_ref(),
            assertion_results: &out.assertion_results,
            assertion_errors: &errors,
            checks: &out.checks,
            negatives: &out.negatives,
            verdict: out.verdict.as_ref(),
        },
        book,
    )
}

/// The canary history line of a run (the page's `run_record`).
pub fn record(out: &RunOutput, book: &SecretBook) -> RunRecord {
    let outcome = out.outcome();
    let token_fetched = out.token.as_ref().is_some_and(|t| t.value().is_some());
    RunRecord {
        started_at_unix_ms: out.started_at_unix_ms,
        token_ms: out.token.as_ref().and_then(StepResult::elapsed_ms),
        token_fetched,
        token_note: out.token_note.as_deref().map(|n| book.mask_all(n)),
        api_ms: out.api.as_ref().and_then(StepResult::elapsed_ms),
        status: out.api.as_ref().and_then(StepResult::status),
        passed: outcome == Outcome::Pass,
        outcome: outcome.label().to_owned(),
        first_failure: out
            .verdict
            .as_ref()
            .filter(|v| !v.outcome.passed())
            .map(|v| book.mask_all(&v.first_reason())),
    }
}
