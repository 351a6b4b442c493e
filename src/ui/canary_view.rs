//! Canary mode: the seed's CloudWatch canary in the page — assertions on every
//! API answer, a schedule with capped history, and one-click negative checks
//! that prove the API refuses what it must.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::assertions::{parse_lines, seed_assertions, to_lines, AssertionResult};
use crate::core::canary::{
    interval_secs, page_title, schedule_reuse_margin, with_finding, History, IntervalUnit,
    RunRecord,
};
use crate::core::exchange::format_elapsed;
use crate::core::jwt::format_utc;
use crate::core::matrix::{canary_csv, canary_json, RowHistory};
use crate::core::negative::{against_control, authorization_for, judge, NegativeCase, Verdict};
use crate::core::run::{Job, Outcome, RunSnapshot, Secret, SecretKind};
use crate::core::session::{token_need, HeldToken, TokenNeed};
use crate::ui::canary_export_view::CanaryExport;
use crate::ui::kept::kept;
use crate::ui::sign_in_view::{refresh_if_due, SignIn};
use crate::ui::state::{AppState, EXPIRY_MARGIN_SECS};
use crate::web::{clock, files, flow, http::InFlight};

/// History rows drawn on the page; the export has them all.
const ROWS_SHOWN: usize = 100;

#[component]
pub fn CanaryView(state: AppState, sign: SignIn) -> impl IntoView {
    let interval_value = RwSignal::new(60u32);
    let unit = RwSignal::new(IntervalUnit::Seconds);
    let running = RwSignal::new(false);
    let history = RwSignal::new(History::default());
    // What each tick runs: Run (false) or the authorization matrix (true), with its per-method
    // history.
    let tick_matrix = RwSignal::new(false);
    let row_history = RwSignal::new(RowHistory::default());
    let has_api = move || state.matrix_form.api.with(Option::is_some);
    let message = RwSignal::new(None::<String>);
    let assertion_issue = Memo::new(move |_| {
        state
            .assertions_text
            .with(|t| parse_lines(t).err().map(|e| e.to_string()))
    });

    let set_title = move || {
        let title = history.with_untracked(|h| page_title(h, running.get_untracked()));
        // A finding of the negative checks, or of the newest scheduled run that judged anything
        // (a matrix tick; a skipped tick after it does not hide it).
        let finding = state
            .negatives
            .with_untracked(|n| n.iter().any(|r| r.verdict == Verdict::SecurityFinding))
            || history.with_untracked(|h| {
                h.newest_judged()
                    .is_some_and(|r| r.outcome == Outcome::SecurityFinding.label())
            });
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&with_finding(&title, finding));
        }
    };
    // A security finding from the negative checks reaches the tab title at once (and leaves it
    // when the next run starts, which clears the results).
    Effect::new(move |_| {
        state.negatives.track();
        set_title();
    });

    // Each Start gets its own epoch; a loop whose epoch is no longer current stops, so a
    // Stop then Start within one interval never leaves two loops running.
    let epoch = StoredValue::new(0u64);
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        let secs = match interval_secs(interval_value.get_untracked(), unit.get_untracked()) {
            Ok(secs) => secs,
            Err(e) => {
                message.set(Some(e.to_string()));
                return;
            }
        };
        let mine = epoch.get_value().wrapping_add(1);
        epoch.set_value(mine);
        running.set(true);
        message.set(Some(format!("Running every {secs} s until stopped.")));
        let current = move || running.get_untracked() && epoch.get_value() == mine;
        spawn_local(async move {
            while current() {
                let begun = clock::monotonic_ms();
                let started_at_unix_ms = clock::now_unix_ms();
                let margin = schedule_reuse_margin(state.held.get_untracked().as_ref(), secs);
                // A user's token is renewed with its refresh token; Run never signs a user in.
                // Not under a run still on (this tick is skipped then): it would change the
                // token that run is judged with.
                if !state.is_running() {
                    refresh_if_due(state, sign, margin).await;
                }
                let (record, rows) = if tick_matrix.get_untracked() {
                    state.matrix_tick(started_at_unix_ms, margin).await
                } else {
                    let record = match state.begin(Job::Run, margin) {
                        // Met a manual run (or the form cannot send): recorded as what it is.
                        Err(refusal) => state.refused_record(started_at_unix_ms, &refusal),
                        Ok(prepared) => {
                            let performed = state.perform(prepared).await;
                            state.run_record(started_at_unix_ms, &performed)
                        }
                    };
                    (record, Vec::new())
                };
                if !current() {
                    break;
                }
                history.update(|h| h.push(record));
                if !rows.is_empty() {
                    row_history.update(|h| h.push(&rows));
                }
                set_title();
                // Wait out the rest of the interval, waking often enough to stop promptly.
                let due = begun + f64::from(secs) * 1000.0;
                while current() && clock::monotonic_ms() < due {
                    let left = (due - clock::monotonic_ms()).clamp(0.0, 250.0) as u32;
                    gloo_timers::future::TimeoutFuture::new(left.max(1)).await;
                }
            }
            set_title();
        });
    };
    let stop = move |_| {
        running.set(false);
        message.set(Some("Stopped.".into()));
        set_title();
    };
    let export = move |csv: bool| {
        let mask = |t: &str| state.mask(t);
        let (text, mime, ext) = history.with_untracked(|h| {
            row_history.with_untracked(|rows| {
                if csv {
                    (canary_csv(h.to_csv(), rows, &mask), "text/csv", "csv")
                } else {
                    (
                        canary_json(&h.to_json(), rows, &mask),
                        "application/json",
                        "json",
                    )
                }
            })
        });
        let name = format!(
            "canary-history-{}.{ext}",
            format_utc(clock::now_unix()).replace([' ', ':'], "-")
        );
        if let Err(e) = files::download(&name, mime, &text) {
            message.set(Some(format!("Not downloaded: {e}")));
        }
    };

    view! {
        <div class="field">
            <label for="assertions">"Assertions"</label>
            <textarea id="assertions" rows="3" spellcheck="false"
                prop:value=move || state.assertions_text.get()
                on:input:target=move |e| state.assertions_text.set(e.target().value())></textarea>
            <p class="hint">"One per line: status 2xx · status 200 · length 3 · pointer /0/type == \"dog\" · contains fish · latency < 500 · json (a body said to be JSON parses). Checked on every API answer. The default, status 2xx and json, is what any successful call satisfies."</p>
            <button type="button" class="secondary" on:click=move |_| state.assertions_text.set(to_lines(&seed_assertions()))
                title="status 200 and length 3: the seed canary's checks of GET /dev (three pets)">"Use the seed canary checks"</button>
            {move || assertion_issue.get().map(|e| view! { <p class="issue error">{e}</p> })}
        </div>
        <AssertionResults results=state.assertion_results />
        <div class="profile-row">
            <div class="field">
                <label for="tick-runs">"Each tick runs"</label>
                <select id="tick-runs" disabled=move || running.get()
                    on:change:target=move |e| tick_matrix.set(e.target().value() == "matrix")>
                    <option value="run" selected=move || !tick_matrix.get()>"Run"</option>
                    <option value="matrix" selected=move || tick_matrix.get() disabled=move || !has_api()>"Authorization matrix"</option>
                </select>
            </div>
            <div class="field">
                <label for="interval">"Run every"</label>
                <input id="interval" type="number" min="1" prop:value=move || interval_value.get().to_string()
                    on:input:target=move |e| interval_value.set(e.target().value().trim().parse().unwrap_or(0)) />
            </div>
            <div class="field">
                <label for="interval-unit">"Unit"</label>
                <select id="interval-unit" on:change:target=move |e| unit.set(if e.target().value() == "minutes" { IntervalUnit::Minutes } else { IntervalUnit::Seconds })>
                    <option value="seconds" selected=move || unit.get() == IntervalUnit::Seconds>"seconds"</option>
                    <option value="minutes" selected=move || unit.get() == IntervalUnit::Minutes>"minutes"</option>
                </select>
            </div>
            <button type="button" class="primary" on:click=start disabled=move || running.get()>"Start schedule"</button>
            <button type="button" on:click=stop disabled=move || !running.get()>"Stop schedule"</button>
        </div>
        <p class="hint">"Browsers slow down timers in background tabs (to about once a minute), so short intervals stretch while this tab is hidden. The tab title shows the state."</p>
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <HistoryView history />
        <RowHistoryView state rows=row_history />
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| export(true) disabled=move || history.with(History::is_empty)>"Download CSV"</button>
            <button type="button" class="secondary" on:click=move |_| export(false) disabled=move || history.with(History::is_empty)>"Download JSON"</button>
            <button type="button" class="secondary" on:click=move |_| { history.update(History::clear); row_history.update(RowHistory::clear); set_title(); }>"Clear history"</button>
        </div>
        <NegativeChecks state />
        <CanaryExport state />
    }
}

#[component]
fn AssertionResults(results: RwSignal<Vec<AssertionResult>>) -> impl IntoView {
    view! {
        <ul class="checks assertion-results">
            {move || results.get().into_iter().map(|r| kept(r, assertion_line)).collect_view()}
        </ul>
    }
}

/// One assertion's line, drawn again only when it reads differently (`kept`): the same
/// assertions usually give the same lines run after run.
fn assertion_line(r: AssertionResult) -> AnyView {
    view! {
        <li class="check" class:pass=r.passed class:fail=!r.passed>
            <span class="icon" aria-hidden="true">{if r.passed { "✓" } else { "✗" }}</span>
            <span class="sr-only">{if r.passed { "pass: " } else { "fail: " }}</span>
            <strong>{r.assertion}</strong>" — actual: "{r.actual}
        </li>
    }
    .into_any()
}

#[component]
fn HistoryView(history: RwSignal<History>) -> impl IntoView {
    move || {
        history.with(|h| {
            if h.is_empty() {
                return view! { <p class="empty">"No scheduled runs yet."</p> }.into_any();
            }
            let rate = h.passed_summary().unwrap_or_else(|| "none judged".to_owned());
            let points = h.sparkline_points(240.0, 40.0, 100);
            let rows: Vec<RunRecord> = h.iter_newest_first().take(ROWS_SHOWN).cloned().collect();
            view! {
                <p class="canary-summary">{format!("{} runs · {rate} · ", h.len())}
                    <svg class="sparkline" width="240" height="40" viewBox="0 0 240 40" role="img" aria-label="Latency of recent runs">
                        <polyline points=points fill="none" stroke="currentColor" stroke-width="1.5" />
                    </svg>
                </p>
                <table class="history">
                    <caption>{format!("Newest {} runs", rows.len())}</caption>
                    <thead><tr><th scope="col">"Time (UTC)"</th><th scope="col">"Token"</th><th scope="col">"API"</th><th scope="col">"Status"</th><th scope="col">"Result"</th><th scope="col">"First failure"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr class:fail=!r.passed>
                                <td>{format_utc((r.started_at_unix_ms / 1000.0) as i64)}</td>
                                <td>{match (r.token_fetched, r.token_ms) {
                                    (true, Some(ms)) => format!("new token, {}", format_elapsed(ms)),
                                    (true, None) => "new token".to_string(),
                                    (false, Some(ms)) => format!("token request failed, {}", format_elapsed(ms)),
                                    (false, None) => "reused".to_string(),
                                }}</td>
                                <td>{r.api_ms.map(format_elapsed).unwrap_or_default()}</td>
                                <td>{r.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
                                <td>{r.outcome.clone()}</td>
                                <td>{r.first_failure.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        })
    }
}

/// Per method of the scheduled matrix runs: how many times each row was as expected, refused
/// unexpectedly, a security finding or something else, and its newest outcome.
#[component]
fn RowHistoryView(state: AppState, rows: RwSignal<RowHistory>) -> impl IntoView {
    move || {
        rows.with(|h| {
            (!h.is_empty()).then(|| {
                let lines: Vec<_> = h
                    .tracks()
                    .iter()
                    .map(|t| {
                        let c = t.counts();
                        let last = t.last().map(|v| v.label()).unwrap_or_default();
                        let bad = c.unexpected_denial + c.security_finding > 0;
                        view! {
                            <tr class:fail=bad>
                                <th scope="row"><code>{state.mask(&t.key)}</code></th>
                                <td>{c.runs()}</td>
                                <td>{c.as_expected}</td>
                                <td>{c.unexpected_denial}</td>
                                <td>{c.security_finding}</td>
                                <td>{c.other}</td>
                                <td>{last}</td>
                            </tr>
                        }
                    })
                    .collect();
                view! {
                    <table class="history per-method">
                        <caption>"Per-method history"</caption>
                        <thead><tr><th scope="col">"Method"</th><th scope="col">"Runs"</th><th scope="col">"As expected"</th><th scope="col">"Unexpected denial"</th><th scope="col">"SECURITY FINDING"</th><th scope="col">"Other"</th><th scope="col">"Last"</th></tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                }
            })
        })
    }
}

/// The held token if it is still good, else a new one fetched the way Get token does (the run
/// owner's `begin`/`perform`, so its panels, history and secret book stay in step). None, with
/// the reason in `message`, when there is none to start from.
async fn good_token(state: AppState, message: RwSignal<Option<String>>) -> Option<HeldToken> {
    let held = state.held.get_untracked();
    if let TokenNeed::Reuse { .. } =
        token_need(held.as_ref(), state.server_now(), EXPIRY_MARGIN_SECS)
    {
        return held;
    }
    message.set(Some("No valid token held: getting one first…".into()));
    match state.begin(Job::Token, EXPIRY_MARGIN_SECS) {
        Err(refusal) => {
            message.set(Some(format!(
                "No negative check was sent: they start from a good token, and none could be requested. {}",
                refusal.message()
            )));
            None
        }
        Ok(prepared) => {
            state.perform(prepared).await;
            let held = state.held.get_untracked();
            if held.is_none() {
                message.set(Some(
                    "No negative check was sent: the token request failed (see Token response)."
                        .into(),
                ));
            } else {
                message.set(None);
            }
            held
        }
    }
}

/// One click per case, each expecting the API to refuse; a 2xx is a security finding.
#[component]
fn NegativeChecks(state: AppState) -> impl IntoView {
    let results = state.negatives;
    let busy = RwSignal::new(false);
    let other_id = RwSignal::new(String::new());
    let other_secret = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);

    // The checks judge the held token and the run it came from: not while a run is on.
    let run_on = move || state.busy.with(Option::is_some);
    // When the last run started: a run started since the checks began is not the one they judge.
    let run_started = move || {
        state
            .snapshot
            .with_untracked(|s| s.as_ref().map(|s| s.started_at_unix_ms))
    };
    let run = move |cases: Vec<NegativeCase>| {
        if busy.get_untracked() || state.is_running() {
            return;
        }
        // Frozen like any run: editing the form while the checks run changes nothing they send.
        // Sent as the run they judge sent its call (its URL, body and headers): the live form
        // could point at another API, and its answers were shown as findings about that run's.
        // After Get token (no call yet) or with a pasted token: the form's.
        let settings = state
            .snapshot
            .with_untracked(|s| {
                s.as_ref()
                    .filter(|s| s.job != Job::Token)
                    .map(|s| s.settings.clone())
            })
            .unwrap_or_else(|| state.settings.get_untracked());
        let snapshot = RunSnapshot::new(
            Job::Api,
            settings,
            state.secret.get_untracked(),
            "",
            clock::now_unix_ms(),
        );
        if let Some(first) = snapshot.settings.api_blockers().first() {
            message.set(Some(format!("Not sent: {}", first.message)));
            return;
        }
        state.remember_in_book(|b| snapshot.register_secrets(b));
        busy.set(true);
        message.set(None);
        spawn_local(async move {
            // Every check starts from a good token: without one (or with one about to expire),
            // get one through the run owner first, as Get token would.
            let Some(held) = good_token(state, message).await else {
                busy.set(false);
                return;
            };
            let judged_run = run_started();
            // The control: the same call with the unaltered token. Only if it gets through does
            // a refusal below show a check at work (see `negative::against_control`).
            let control = match InFlight::new() {
                Some(in_flight) => {
                    let bearer = Some(format!("Bearer {}", held.access_token));
                    flow::call_api_with(&snapshot, bearer, &in_flight)
                        .await
                        .status()
                }
                None => None,
            };
            let mut found = Vec::new();
            for case in cases {
                let Some(in_flight) = InFlight::new() else {
                    break;
                };
                let good = if case == NegativeCase::OtherClientToken {
                    let mut other = snapshot.settings.clone();
                    other.client_id = other_id.get_untracked();
                    other.scope = String::new();
                    let secret = Secret::new(other_secret.get_untracked());
                    let other =
                        RunSnapshot::new(Job::Token, other, secret, "", clock::now_unix_ms());
                    // As a run registers its own: under the Basic scheme base64(id:secret) too.
                    state.remember_in_book(|book| other.register_secrets(book));
                    let step = flow::request_token(&other, &in_flight).await;
                    match (step.value(), step.diagnosis()) {
                        (Some(token), _) => {
                            let token = token.access_token.clone();
                            state.remember_secret_value(
                                SecretKind::AccessToken,
                                &Secret::new(token.as_str()),
                            );
                            token
                        }
                        (None, d) => {
                            message.set(Some(state.mask(&format!(
                                "The second client's token could not be fetched: {}",
                                d.map(|d| d.what.as_str()).unwrap_or("no answer")
                            ))));
                            continue;
                        }
                    }
                } else {
                    held.access_token.clone()
                };
                let authorization = match authorization_for(case, &good) {
                    Ok(a) => a,
                    Err(e) => {
                        message.set(Some(e.to_string()));
                        continue;
                    }
                };
                state.remember_in_book(|b| b.add_sent_authorization(authorization.as_deref()));
                let step = flow::call_api_with(&snapshot, authorization, &in_flight).await;
                let (status, body) = step
                    .exchange
                    .and_then(|e| e.response)
                    .map(|r| (Some(r.status), r.body))
                    .unwrap_or((None, String::new()));
                found.push(against_control(
                    state
                        .book
                        .with_untracked(|book| judge(case, status, &body, book.masker())),
                    control,
                ));
            }
            // A run started meanwhile (Run and canary ticks do not wait for these checks), or a token
            // pasted, has its own verdict: findings about the token before must not be shown as its.
            let same_run = !state.is_running()
                && run_started() == judged_run
                && state.held.with_untracked(|h| {
                    h.as_ref().map(|h| &h.access_token) == Some(&held.access_token)
                });
            if same_run {
                results.set(found);
            } else {
                message.set(Some("A run started, or the held token changed, while the negative checks were out: their answers judged the token before, so they are not shown with the new one. Run them again (a canary schedule that ticks faster than the checks take: stop it first).".into()));
            }
            busy.set(false);
        });
    };

    view! {
        <h3>"Negative checks"</h3>
        <p class="hint">"Each sends the API a request it must refuse (401 or 403). A 2xx answer is a security finding."</p>
        <div class="actions">
            {NegativeCase::all().into_iter().filter(|c| *c != NegativeCase::OtherClientToken).map(|case| view! {
                <button type="button" class="secondary" disabled=move || busy.get() || run_on()
                    on:click=move |_| run(vec![case]) title=case.what_it_proves()>{case.label()}</button>
            }).collect_view()}
            <button type="button" disabled=move || busy.get() || run_on() on:click=move |_| run(
                NegativeCase::all().into_iter().filter(|c| *c != NegativeCase::OtherClientToken || !other_id.get_untracked().trim().is_empty()).collect()
            )>"Run all negative checks"</button>
        </div>
        <details class="other-client">
            <summary>"Second app client (a token without the method's scope)"</summary>
            <div class="profile-row">
                <div class="field">
                    <label for="other-client-id">"Second client ID"</label>
                    <input id="other-client-id" type="text" autocomplete="off" prop:value=move || other_id.get()
                        on:input:target=move |e| other_id.set(e.target().value()) />
                </div>
                <div class="field">
                    <label for="other-client-secret">"Second client secret"</label>
                    <input id="other-client-secret" type="password" autocomplete="off" prop:value=move || other_secret.get()
                        on:input:target=move |e| other_secret.set(e.target().value()) />
                </div>
                <button type="button" class="secondary" disabled=move || busy.get() || run_on()
                    on:click=move |_| run(vec![NegativeCase::OtherClientToken])>{NegativeCase::OtherClientToken.label()}</button>
            </div>
        </details>
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || (!results.get().is_empty()).then(|| view! {
            <table class="negative">
                <thead><tr><th scope="col">"Check"</th><th scope="col">"Expected"</th><th scope="col">"Actual"</th><th scope="col">"Verdict"</th></tr></thead>
                <tbody>
                    {results.get().into_iter().map(|r| {
                        let (class, verdict) = match r.verdict {
                            Verdict::Refused => ("pass", "refused ✓"),
                            Verdict::SecurityFinding => ("finding", "SECURITY FINDING"),
                            Verdict::Unexpected => ("fail", "unexpected"),
                        };
                        view! {
                            <tr class=class>
                                <td>{r.case.label()}</td>
                                <td>{r.expected}</td>
                                <td><code>{state.mask(&r.actual)}</code></td>
                                <td><strong>{verdict}</strong><br/>{state.mask(&r.explanation)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
