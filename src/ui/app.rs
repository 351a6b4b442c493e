//! The page: header, the form on one side, the results on the other, keyboard
//! shortcuts, and the one-second clock the countdowns read.

use leptos::ev;
use leptos::prelude::*;

use crate::core::report;
use crate::core::run::{Job, Outcome, Verdict};
use crate::ui::checks_view::{ChecksView, PasteToken};
use crate::ui::diagnosis_view::DiagnosisView;
use crate::ui::exchange_view::ExchangeView;
use crate::ui::form::SettingsForm;
use crate::ui::insecure_notice::InsecureNotice;
use crate::ui::parts::{CanaryPart, MatrixPart, ReportPart, SidePart};
use crate::ui::sign_in_view::{self, SignIn};
use crate::ui::state::AppState;
use crate::ui::token_view::DecodedTokenView;
use crate::web::{clock, files};

/// Downloads the last run as evidence for a ticket (redacted; no signature).
#[component]
pub(crate) fn ReportButtons(state: AppState) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let download = move |markdown: bool| {
        let evidence = state.evidence();
        let (text, mime, ext) = if markdown {
            (report::to_markdown(&evidence), "text/markdown", "md")
        } else {
            (report::to_json(&evidence), "application/json", "json")
        };
        let name = report::file_name(evidence.generated_at_unix, ext);
        problem.set(files::download(&name, mime, &text).err());
    };
    view! {
        <div class="actions report">
            <button type="button" class="secondary" on:click=move |_| download(true)>"Download report (Markdown)"</button>
            <button type="button" class="secondary" on:click=move |_| download(false)>"Download report (JSON)"</button>
            {move || problem.get().map(|p| view! { <span class="issue error">{p}</span> })}
        </div>
    }
}

/// The run buttons and a compact verdict, side by side and always in view (sticky at the top),
/// so what you pressed and what it gave are never a scroll apart. The summary links to the
/// details (a button, not a `#fragment` link: the page's fragment is a share link's); after a run
/// it takes the focus if the pressed button had lost it.
#[component]
fn RunBar(
    state: AppState,
    verdict: Memo<Option<Verdict>>,
    details: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let busy = move || state.busy.get().is_some();
    let summary = NodeRef::<leptos::html::Button>::new();
    let show_details = move |_| {
        if let Some(el) = details.get_untracked() {
            el.scroll_into_view();
            let _ = el.focus();
        }
    };
    Effect::new(move |was_busy: Option<bool>| {
        let now_busy = state.busy.with(Option::is_some);
        if was_busy == Some(true) && !now_busy && focus_was_lost() {
            if let Some(link) = summary.get_untracked() {
                let _ = link.focus();
            }
        }
        now_busy
    });
    view! {
        <div class="runbar" role="region" aria-label="Run">
            <div class="runbar-inner">
                <div class="actions run-actions">
                    <button type="button" on:click=move |_| state.start(Job::Token) disabled=busy>"Get token"</button>
                    <button type="button" on:click=move |_| state.start(Job::Api) disabled=busy>"Call API"</button>
                    // Still the form's submit button (Enter in a field runs), but the click is
                    // handled here: the browser's form submission, even a cancelled one, cost
                    // about 1 ms before the token request could go out.
                    <button type="submit" form="settings-form" class="primary" disabled=busy
                        on:click=move |e| { e.prevent_default(); state.start(Job::Run); }
                        aria-keyshortcuts="Control+Enter Meta+Enter" title="Ctrl/Cmd+Enter">"Run"</button>
                    <button type="button" class="danger" on:click=move |_| state.cancel() disabled=move || !busy()
                        aria-keyshortcuts="Escape" title="Escape">"Cancel"</button>
                </div>
                <button type="button" class="verdict-summary" id="verdict-summary" node_ref=summary on:click=show_details
                    data-outcome=move || verdict.with(|v| v.as_ref().map(|v| v.outcome.label()))
                    class:pass=move || verdict.with(|v| v.as_ref().is_some_and(|v| v.outcome.passed()))
                    class:fail=move || verdict.with(|v| v.as_ref().is_some_and(|v| matches!(v.outcome, Outcome::Fail | Outcome::SecurityFinding)))
                    class:finding=move || verdict.with(|v| v.as_ref().is_some_and(|v| v.outcome == Outcome::SecurityFinding))>
                    <span class="summary-line">{move || {
                        if let Some(b) = state.busy.get() {
                            return format!("⏳ {b}");
                        }
                        match verdict.get() {
                            Some(v) => state.mask(&v.headline),
                            None => "No run yet: fill in the form, then Run (Ctrl/Cmd+Enter).".to_owned(),
                        }
                    }}</span>
                    {move || state.notice.get().filter(|_| state.busy.with(Option::is_none)).map(|n| view! {
                        <span class="summary-notice">{state.mask(&n)}</span>
                    })}
                    <span class="summary-more">"Details ↓"</span>
                </button>
            </div>
        </div>
    }
}

/// True when the focus is nowhere (on the body) or on a disabled control: what a run button
/// leaves behind when it is disabled while the run is on.
fn focus_was_lost() -> bool {
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    match active {
        None => true,
        Some(el) => {
            el.tag_name().eq_ignore_ascii_case("body")
                || el.has_attribute("disabled")
                || el.closest(".run-actions").ok().flatten().is_some()
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    state.restore();
    state.keep_form_for_the_tab();
    // A return from managed login (?code= / ?error=) is handled once the form is back.
    let sign = SignIn::new();
    sign_in_view::resume(state, sign);

    // The countdown clock. It lives as long as the page, so it is never cleared.
    let tick = set_interval_with_handle(
        move || state.now.set(clock::now_unix()),
        std::time::Duration::from_secs(1),
    );
    if tick.is_err() {
        state.notice.set(Some(
            "The page clock could not start; countdowns will not move.".into(),
        ));
    }

    // Ctrl/Cmd+Enter runs from anywhere; Escape cancels what is running.
    let keys = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
            e.prevent_default();
            state.start(Job::Run);
        } else if e.key() == "Escape" && state.is_running() {
            state.cancel();
        }
    });
    on_cleanup(move || keys.remove());

    let token_exchange = Signal::derive(move || {
        state
            .token_step
            .with(|s| s.as_ref().and_then(|s| s.exchange.clone()))
    });
    let token_target = Signal::derive(move || {
        state
            .token_step
            .with(|s| s.as_ref().and_then(|s| s.proxied_target.clone()))
    });
    let token_problem = Signal::derive(move || {
        state
            .token_step
            .with(|s| s.as_ref().and_then(|s| s.diagnosis().cloned()))
    });
    let api_exchange = Signal::derive(move || {
        state
            .api_step
            .with(|s| s.as_ref().and_then(|s| s.exchange.clone()))
    });
    let api_target = Signal::derive(move || {
        state
            .api_step
            .with(|s| s.as_ref().and_then(|s| s.proxied_target.clone()))
    });
    let api_problem = Signal::derive(move || {
        state
            .api_step
            .with(|s| s.as_ref().and_then(|s| s.diagnosis().cloned()))
    });
    let details = NodeRef::<leptos::html::Div>::new();
    // Computed once per change, not once per place that shows it: it decodes the token and
    // judges its checks.
    let verdict = Memo::new(move |_| state.verdict());

    view! {
        <header class="top">
            <h1>"Cognito API Tester"</h1>
            <p class="tagline">
                "Get a token with client credentials, call the protected API with it, and see every byte of both."
            </p>
            <InsecureNotice />
        </header>
        <RunBar state=state verdict=verdict details=details />
        <main class="layout">
            <div class="side">
                <SettingsForm state=state />
                <SidePart state=state sign=sign />
            </div>
            <section class="results" aria-label="Results">
                // Atomic: a run that lands the same verdict as the last is announced again, with its time;
                // busy from the click (a fast run changes nothing else before its answers).
                <div class="verdict" id="verdict" role="status" aria-live="polite" aria-atomic="true"
                    aria-busy=move || state.running.get().to_string() tabindex="-1" node_ref=details>
                    {move || state.busy.get().map(|b| view! { <p class="busy">{b}</p> })}
                    {move || state.notice.get().map(|n| view! { <p class="notice">{n}</p> })}
                    {move || verdict.get().map(|v| {
                        let pass = v.outcome.passed();
                        let fail = matches!(v.outcome, Outcome::Fail | Outcome::SecurityFinding);
                        let headline = state.mask(&v.headline);
                        let reasons: Vec<String> = v.reasons.iter().map(|r| state.mask(r)).collect();
                        view! {
                            <p class="verdict-line" class:pass=pass class:fail=fail class:undecided=!pass && !fail
                                data-outcome=v.outcome.label()>{headline}</p>
                            {(!reasons.is_empty()).then(|| view! {
                                <ul class="verdict-reasons">{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                            })}
                        }
                    })}
                    // A fast run redraws once, with nothing in between (see state::unshown): its
                    // time tells it from the last run's when the verdict is the same. Its own
                    // part: a verdict that reads as the last one's is not drawn again.
                    {move || verdict.with(Option::is_some).then(|| {
                        let started = move || state.snapshot.with(|s| s.as_ref().map(|s| s.started_at_unix_ms));
                        view! {
                            <p class="verdict-when" hidden=move || started().is_none()>
                                "Run started at " {move || started().map(clock::time_of_day_ms)}
                            </p>
                        }
                    })}
                </div>
                <ReportPart state=state sign=sign />
                <section class="panel" aria-labelledby="token-response-heading">
                    <h2 id="token-response-heading">"Token response"</h2>
                    <DiagnosisView diagnosis=token_problem book=state.book />
                    <ExchangeView exchange=token_exchange proxied_target=token_target book=state.book
                        empty="No token request yet. Fill in the form and press Get token or Run." />
                </section>
                <section class="panel" aria-labelledby="decoded-token-heading">
                    <h2 id="decoded-token-heading">"Decoded token"</h2>
                    <PasteToken state=state />
                    {move || state.pasted.get().then(|| view! { <p class="notice">"Showing a pasted token."</p> })}
                    <DecodedTokenView state=state />
                </section>
                <section class="panel" aria-labelledby="checks-heading">
                    <h2 id="checks-heading">"Checks"</h2>
                    <ChecksView state=state />
                </section>
                <section class="panel" aria-labelledby="api-response-heading">
                    <h2 id="api-response-heading">"API response"</h2>
                    <DiagnosisView diagnosis=api_problem book=state.book />
                    <ExchangeView exchange=api_exchange proxied_target=api_target book=state.book
                        empty="No API call yet. Press Call API once you have a token, or Run." />
                </section>
                <section class="panel" aria-labelledby="matrix-heading">
                    <h2 id="matrix-heading">"Authorization matrix"</h2>
                    <MatrixPart state=state />
                </section>
                <section class="panel" aria-labelledby="canary-heading">
                    <h2 id="canary-heading">"Canary"</h2>
                    <CanaryPart state=state sign=sign />
                </section>
            </section>
        </main>
        <footer class="bottom">
            "Cognito API Tester " {crate::VERSION}
            " · The client secret and tokens stay in this tab's memory; nothing is sent anywhere but the endpoints you enter."
        </footer>
    }
}
