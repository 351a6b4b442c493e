//! The Checks panel: the held token judged the way API Gateway's Cognito
//! authorizer would, one line per check, each failure with its fix.

use leptos::prelude::*;

use crate::core::checks::{Check, Status};
use crate::core::run::{checks_headline, ChecksHeadline};
use crate::ui::kept::kept;
use crate::ui::state::AppState;

#[component]
pub fn ChecksView(state: AppState) -> impl IntoView {
    let checks = Memo::new(move |_| state.checks());
    move || {
        let Some(checks) = checks.get() else {
            return view! { <p class="empty">"No token yet. Get one, or paste one under Decoded token."</p> }.into_any();
        };
        let headline = checks_headline(&checks);
        let pass = headline == ChecksHeadline::AllPass;
        let fail = matches!(headline, ChecksHeadline::Failed(_));
        let summary = headline.text();
        view! {
            <p class="checks-summary" class:pass=pass class:fail=fail class:undecided=!pass && !fail>{summary}</p>
            <CheckList checks />
            <button type="button" class="secondary" on:click=move |_| if !state.is_running() { state.verify() }>"Verify again"</button>
        }
        .into_any()
    }
}

/// Paste any JWT to decode and check it without running the flow.
#[component]
pub fn PasteToken(state: AppState) -> impl IntoView {
    let text = RwSignal::new(String::new());
    view! {
        <details class="paste">
            <summary>"Paste a token"</summary>
            <div class="field">
                <label for="paste-token">"Token to inspect"</label>
                <textarea id="paste-token" rows="3" spellcheck="false" placeholder="eyJraWQiOi…"
                    prop:value=move || text.get()
                    on:input:target=move |e| text.set(e.target().value())></textarea>
            </div>
            <button type="button" on:click=move |_| state.inspect(&text.get_untracked())>"Inspect token"</button>
        </details>
    }
}

/// The lines of a check list (the access token's in Checks, the ID token's under User tokens):
/// each with its icon, its status for screen readers, the reason and the fix.
#[component]
pub fn CheckList(checks: Vec<Check>, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    view! {
        <ul class="checks" id=id>
            {checks.into_iter().map(|c| kept(c, check_line)).collect_view()}
        </ul>
    }
}

/// One check line, drawn again only when the check reads differently (`kept`).
fn check_line(c: Check) -> AnyView {
    let icon = match c.status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Warn => "!",
        Status::Info => "i",
    };
    view! {
        <li class=format!("check {}", c.status.label()) data-check=c.name>
            <span class="icon" aria-hidden="true">{icon}</span>
            <span class="sr-only">{c.status.label()}": "</span>
            <strong>{c.name}</strong>" — "{c.detail}
            {c.fix.map(|f| view! { <span class="check-fix">"Fix: "{f}</span> })}
        </li>
    }
    .into_any()
}
