//! The authorization matrix as a run of the one run owner: `begin` freezes the form and decides
//! the token (held, reused or fetched) exactly as for Run; then every row is sent, at most
//! [`CONCURRENCY`] at once, each with the run's timeout; Cancel (or Escape) stops them all; the
//! verdict is `core::matrix`'s and becomes the page's verdict until the next run.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{AppState, Prepared, TokenStep, EXPIRY_MARGIN_SECS};
use crate::core::canary::RunRecord;
use crate::core::matrix::{
    actual_of, evidence_text, expected, matrix_verdict, row_request, Actual,
    HeldToken as MatrixToken, MatrixJob, MatrixRow, Probe, ProbeResult, CONCURRENCY,
};
use crate::core::negative;
use crate::core::proxy::Route;
use crate::core::run::{Job, Refusal, RunSnapshot, Verdict};
use crate::web::flow;
use crate::web::http::{self, InFlight};

/// A matrix run: rows fill in as answers arrive (`None`: still out).
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRun {
    pub base_url: String,
    pub rows: Vec<Option<MatrixRow>>,
    /// Set when every row has its answer (or the run was cancelled).
    pub verdict: Option<Verdict>,
    epoch: u64,
}

impl MatrixRun {
    pub fn finished_rows(&self) -> Vec<MatrixRow> {
        self.rows.iter().flatten().cloned().collect()
    }
}

/// What the matrix sends with: the token and what the rules need of it.
struct Sender {
    snapshot: RunSnapshot,
    base_url: String,
    access_token: String,
    token: MatrixToken,
    timeout_ms: u32,
}

impl AppState {
    /// Starts a matrix run from the Run matrix button.
    pub fn start_matrix(self, base_url: String, jobs: Vec<MatrixJob>) {
        match self.begin(self.matrix_job(), EXPIRY_MARGIN_SECS) {
            Ok(prepared) => spawn_local(async move {
                self.perform_matrix(prepared, base_url, jobs).await;
            }),
            Err(refusal) => self.refuse(refusal),
        }
    }

    /// A pasted token (an ID token, say) is used as it is; otherwise the token is reused or
    /// fetched exactly as Run decides.
    fn matrix_job(self) -> Job {
        if self.pasted.get_untracked() && self.held.with_untracked(Option::is_some) {
            Job::Api
        } else {
            Job::Run
        }
    }

    /// One canary tick that runs the matrix as the panel stands, through the same owner as Run
    /// matrix: refused (SKIPPED) while another run is on, like a Run tick. Returns the history
    /// line (its outcome is the matrix verdict) and the rows judged (empty when none ran).
    pub async fn matrix_tick(
        self,
        started_at_unix_ms: f64,
        margin: i64,
    ) -> (RunRecord, Vec<MatrixRow>) {
        let (base, jobs) = match self.matrix_form.jobs() {
            Ok(jobs) => jobs,
            Err(why) => {
                let refusal = Refusal::Blocked(why);
                return (
                    self.refused_record(started_at_unix_ms, &refusal),
                    Vec::new(),
                );
            }
        };
        let prepared = match self.begin(self.matrix_job(), margin) {
            Ok(prepared) => prepared,
            Err(refusal) => {
                return (
                    self.refused_record(started_at_unix_ms, &refusal),
                    Vec::new(),
                )
            }
        };
        // perform_matrix moves the run to the next epoch once the token is held.
        let matrix_epoch = prepared.epoch.wrapping_add(1);
        let token_note = prepared.plan.note();
        let ended_under = self.perform_matrix(prepared, base, jobs).await;
        let performed = self.performed(ended_under, self.token_fetched.get_untracked(), token_note);
        let rows = self.matrix.with_untracked(|m| {
            m.as_ref()
                .filter(|m| m.epoch == matrix_epoch && m.verdict.is_some())
                .map(MatrixRun::finished_rows)
                .unwrap_or_default()
        });
        (self.run_record(started_at_unix_ms, &performed), rows)
    }

    /// Returns the epoch it ended under (the matrix's own once the token was held): the tick's
    /// record is of this run only while that epoch is current.
    async fn perform_matrix(
        self,
        prepared: Prepared,
        base_url: String,
        jobs: Vec<MatrixJob>,
    ) -> u64 {
        let Prepared {
            epoch,
            snapshot,
            plan,
            in_flight,
        } = prepared;
        let wants_token = plan.wants_token();
        let recheck = self.judge_held_again(&snapshot, &plan);
        self.show_start(
            &snapshot,
            wants_token,
            plan.note(),
            if wants_token {
                "Getting a token for the matrix…"
            } else {
                "Running the authorization matrix…"
            },
        );
        if let Some(check) = recheck {
            self.land(check);
        }
        self.matrix.set(Some(MatrixRun {
            base_url: base_url.clone(),
            rows: vec![None; jobs.len()],
            verdict: None,
            epoch,
        }));
        if wants_token {
            match self.token_step(&snapshot, &in_flight, epoch).await {
                TokenStep::Held => {}
                TokenStep::Stale => return epoch,
                TokenStep::Failed => {
                    self.matrix.set(None);
                    self.finish(epoch);
                    return epoch;
                }
            }
        }
        let Some(held) = self.held.get_untracked() else {
            self.matrix.set(None);
            self.finish(epoch);
            return epoch;
        };
        let token = MatrixToken::of_token(&held.access_token);
        self.busy.set(Some("Running the authorization matrix…"));
        // The matrix runs longer than one call: a new epoch retires begin's watchdog (sized for
        // one token and one call) and the matrix's own, sized for its rounds of requests, watches.
        let epoch = epoch.wrapping_add(1);
        self.epoch.set_value(epoch);
        self.matrix.update(|m| {
            if let Some(m) = m {
                m.epoch = epoch;
            }
        });
        // Each row's calls (its own and its negative checks) go one after the other.
        let calls_per_row = jobs.iter().map(|j| j.probes.len() + 1).max().unwrap_or(1);
        let rounds = u32::try_from(
            jobs.len()
                .div_ceil(CONCURRENCY)
                .saturating_mul(calls_per_row),
        )
        .unwrap_or(u32::MAX);
        let timeout_ms = snapshot.settings.timeout_secs.saturating_mul(1000);
        self.watch_matrix(epoch, timeout_ms.saturating_mul(rounds.saturating_add(1)));
        if jobs
            .iter()
            .any(|j| j.probes.contains(&Probe::AlteredSignature))
        {
            // The altered token differs from the real one by one bit: a secret once sent.
            let altered =
                negative::authorization_for(Probe::AlteredSignature.case(), &held.access_token);
            self.remember_in_book(|b| b.add_sent_authorization(altered.ok().flatten().as_deref()));
        }
        let sender = Rc::new(Sender {
            snapshot,
            base_url,
            access_token: held.access_token,
            token,
            timeout_ms,
        });
        let queue: Rc<RefCell<VecDeque<(usize, MatrixJob)>>> =
            Rc::new(RefCell::new(jobs.into_iter().enumerate().collect()));
        let active: Rc<RefCell<Vec<InFlight>>> = Rc::new(RefCell::new(Vec::new()));
        let running = Rc::new(std::cell::Cell::new(true));
        // Cancel (or the watchdog) aborts the run's own handle: pass it on to every row in flight.
        {
            let (active, running, main) = (active.clone(), running.clone(), in_flight.clone());
            spawn_local(async move {
                while running.get() {
                    gloo_timers::future::TimeoutFuture::new(100).await;
                    if main.is_aborted() {
                        active.borrow().iter().for_each(InFlight::cancel);
                        break;
                    }
                }
            });
        }
        let workers: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                self.matrix_worker(
                    epoch,
                    sender.clone(),
                    queue.clone(),
                    active.clone(),
                    in_flight.clone(),
                )
            })
            .collect();
        futures::future::join_all(workers).await;
        running.set(false);
        if !self.is_current(epoch) {
            return epoch;
        }
        self.matrix.update(|m| {
            if let Some(m) = m {
                let rows = m.finished_rows();
                m.verdict = Some(matrix_verdict(&rows));
            }
        });
        self.finish(epoch);
        epoch
    }

    async fn matrix_worker(
        self,
        epoch: u64,
        sender: Rc<Sender>,
        queue: Rc<RefCell<VecDeque<(usize, MatrixJob)>>>,
        active: Rc<RefCell<Vec<InFlight>>>,
        main: InFlight,
    ) {
        loop {
            let next = queue.borrow_mut().pop_front();
            let Some((index, job)) = next else {
                break;
            };
            let expect = expected(&job.operation, Some(&sender.token));
            let stopped = || main.is_aborted() || !self.is_current(epoch);
            let actual = if !job.send {
                Actual::NotRun
            } else if stopped() {
                Actual::Cancelled
            } else {
                send_row(&sender, &job, None, &active).await
            };
            let mut probes = Vec::new();
            for probe in &job.probes {
                let actual = if stopped() {
                    Actual::Cancelled
                } else {
                    send_row(&sender, &job, Some(*probe), &active).await
                };
                probes.extend(ProbeResult::new(*probe, &job.operation, actual));
            }
            if !self.is_current(epoch) {
                return;
            }
            let row = MatrixRow::new(job.operation, job.path, expect, actual)
                .with_probes(probes)
                .sent_as(Some(job.verb).filter(|v| !v.is_empty()));
            self.matrix.update(|m| {
                if let Some(slot) = m.as_mut().and_then(|m| m.rows.get_mut(index)) {
                    *slot = Some(row);
                }
            });
        }
    }

    /// Cancels matrix run `epoch` if it is still on after `limit_ms` and a grace period: every
    /// row then ends (cancelled) and the run finishes with its verdict.
    fn watch_matrix(self, epoch: u64, limit_ms: u32) {
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(limit_ms.saturating_add(10_000)).await;
            if self.is_current(epoch) && self.in_flight.with_value(Option::is_some) {
                self.cancel();
            }
        });
    }

    /// The matrix's verdict while it is the page's last run.
    pub(super) fn matrix_verdict(self) -> Option<Verdict> {
        let epoch = self.epoch.get_value();
        self.matrix.with(|m| {
            m.as_ref()
                .filter(|m| m.epoch == epoch)
                .and_then(|m| m.verdict.clone())
        })
    }

    /// The matrix's rows for the evidence report (empty when the last run was not a matrix).
    pub(super) fn matrix_evidence(self) -> String {
        let epoch = self.epoch.get_value();
        let rows = self.matrix.with_untracked(|m| {
            m.as_ref()
                .filter(|m| m.epoch == epoch)
                .map(|m| (m.base_url.clone(), m.finished_rows()))
        });
        let Some((base, rows)) = rows else {
            return String::new();
        };
        evidence_text(&base, &rows, &|t: &str| self.mask(t))
    }
}

/// Sends one row with the run's token (or, for a negative check, without it or altered) and
/// extra headers (`core::matrix::row_request`); its own handle, so one row's timeout does not
/// stop the others.
async fn send_row(
    sender: &Sender,
    job: &MatrixJob,
    probe: Option<Probe>,
    active: &RefCell<Vec<InFlight>>,
) -> Actual {
    let Some(flight) = InFlight::new() else {
        return Actual::Failed("this browser cannot cancel requests".into());
    };
    let extra = sender.snapshot.headers.as_deref().unwrap_or_default();
    let mut request = match row_request(&sender.base_url, job, probe, &sender.access_token, extra) {
        Ok(request) => request,
        Err(e) => return Actual::Failed(e),
    };
    if sender.snapshot.settings.via_proxy {
        match flow::same_origin_route(&request.url, Route::Api) {
            Ok(url) => request.url = url,
            Err(e) => return Actual::Failed(e.to_string()),
        }
    }
    active.borrow_mut().push(flight.clone());
    let (exchange, sent) = http::send(&request, sender.timeout_ms, &flight).await;
    actual_of(&exchange, sent)
}
