//! One raw HTTP exchange: the request as sent (secrets masked unless revealed),
//! the response status line and readable headers, the body (pretty or raw,
//! cut short with "Show all" so a big body cannot freeze the page).

use leptos::prelude::*;

use crate::ui::pre_text::draw_text;

use crate::core::exchange::Exchange;
use crate::core::exchange_shown::{shown_of, Shown, ShownResponse, Toggles, BODY_PREVIEW_CHARS};
use crate::core::run::SecretBook;
use crate::ui::copy_button::CopyButton;
use crate::ui::kept::fed;

#[component]
pub fn ExchangeView(
    #[prop(into)] exchange: Signal<Option<Exchange>>,
    #[prop(into)] proxied_target: Signal<Option<String>>,
    /// The tab's secrets: masked everywhere in the exchange, and variables in a masked curl.
    book: RwSignal<SecretBook>,
    empty: &'static str,
) -> impl IntoView {
    let reveal = RwSignal::new(false);
    let raw = RwSignal::new(false);
    let show_all = RwSignal::new(false);
    let curl_secrets = RwSignal::new(false);
    let shown = Memo::new(move |_| {
        exchange.with(|ex| {
            let ex = ex.as_ref()?;
            let toggles = Toggles {
                reveal: reveal.get(),
                raw: raw.get(),
                curl_secrets: curl_secrets.get(),
                show_all: show_all.get(),
            };
            Some(book.with(|b| shown_of(ex, proxied_target.get(), toggles, b)))
        })
    });
    // Drawn when an exchange comes (or one with a response after one without) and then fed:
    // the next exchange changes a few texts instead of redrawing the panel.
    let draw = move |has_response: bool, drawn: RwSignal<Shown>| {
        let text = move |part: fn(&Shown) -> String| move || drawn.with(part);
        let response = move |part: fn(&ShownResponse) -> String| {
            move || drawn.with(|s| s.response.as_ref().map(part).unwrap_or_default())
        };
        // The drawing's own memo (it reads only `drawn`): the body is drawn again when it changes,
        // not with every other change of the exchange.
        let body = Memo::new(move |_| drawn.with(|s| s.response.as_ref().map(|r| r.body.clone())));
        view! {
            <div class="exchange">
                <p class="summary">{text(|s| s.summary.clone())}</p>
                {move || drawn.with(|s| s.via.clone()).map(|t| view! {
                    <p class="via">"Sent through this page's proxy route; the proxy forwards it to " <code>{t}</code></p>
                })}
                <div class="toolbar">
                    <label>
                        <input type="checkbox" prop:checked=reveal.get_untracked()
                            on:change:target=move |e| reveal.set(e.target().checked()) />
                        " Reveal secrets"
                    </label>
                    <label>
                        <input type="checkbox" prop:checked=raw.get_untracked()
                            on:change:target=move |e| raw.set(e.target().checked()) />
                        " Raw body"
                    </label>
                </div>
                <h3>"Request" <CopyButton label="Copy request" text=Signal::derive(text(|s| s.request.clone())) /></h3>
                <pre class="request">{text(|s| s.request.clone())}</pre>
                <div class="toolbar">
                    <CopyButton label="Copy as curl" text=Signal::derive(text(|s| s.curl.clone())) />
                    <label>
                        <input type="checkbox" prop:checked=curl_secrets.get_untracked()
                            on:change:target=move |e| curl_secrets.set(e.target().checked()) />
                        " include secrets in curl"
                    </label>
                    {move || drawn.with(|s| s.curl_secrets).then(|| view! {
                        <span class="warning-line">"The copied command will contain the client secret and the token: do not paste it into a ticket or chat."</span>
                    })}
                </div>
                {has_response.then(|| view! {
                    <h3>"Response"
                        <CopyButton label="Copy headers" text=Signal::derive(response(|r| r.head.clone())) />
                        <CopyButton label="Copy body" text=Signal::derive(response(|r| r.body.to_string())) />
                    </h3>
                    <pre class="response-head">{response(|r| r.head.clone())}</pre>
                    {move || drawn.with(|s| s.response.as_ref().is_some_and(|r| r.not_utf8)).then(|| view! {
                        <p class="warning-line">"The body is not valid UTF-8; undecodable bytes are shown as �."</p>
                    })}
                    {move || drawn.with(|s| s.response.as_ref().is_some_and(|r| r.empty)).then(|| view! {
                        <p class="empty">"(empty body)"</p>
                    })}
                    // Drawn again (one element) when the body changes, and only then: see pre_text.
                    {move || {
                        let body = body.get().map(|b| b.to_string()).unwrap_or_default();
                        view! { <pre class="body" use:draw_text=body></pre> }
                    }}
                    {move || drawn.with(|s| s.response.as_ref().and_then(|r| r.cut.clone())).map(|size| view! {
                        <button type="button" class="linkish" on:click=move |_| show_all.set(true)>
                            {format!("Show all (the body is {size}; the first {BODY_PREVIEW_CHARS} characters are shown)")}
                        </button>
                    })}
                })}
            </div>
        }
        .into_any()
    };
    fed(
        shown,
        |s| s.response.is_some(),
        move || view! { <p class="empty">{empty}</p> }.into_any(),
        draw,
    )
}
