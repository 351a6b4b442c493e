//! One raw HTTP exchange: the request as sent (secrets masked unless revealed),
//! the response status line and readable headers, the body (pretty or raw,
//! cut short with "Show all" so a big body cannot freeze the page).

use leptos::prelude::*;

use crate::ui::pre_text::draw_text;

use crate::core::run::{masked_curl, SecretBook};

use crate::core::exchange::{
    body_preview, curl_command, format_elapsed, format_size, redact_request, request_text,
    response_head_text, Exchange, Masker,
};
use crate::ui::copy_button::CopyButton;

/// Characters of a body shown before "Show all": enough for any token response or
/// a normal API answer, small enough to render instantly.
const BODY_PREVIEW_CHARS: usize = 20_000;

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

    let masked = move |text: &str| -> String {
        if reveal.get() {
            text.to_string()
        } else {
            book.with(|b| b.mask(text))
        }
    };

    move || {
        let Some(ex) = exchange.get() else {
            return view! { <p class="empty">{empty}</p> }.into_any();
        };
        // Read the toggles here, tracked by this closure, and put plain values in the view
        // below: a `move || signal.get()` in it would be a new effect on every exchange, and
        // reactive_graph never removes a dropped effect from the subscriber list of a signal
        // that does not change (wasm memory grew with every run).
        let reveal_on = reveal.get();
        let raw_on = raw.get();
        let curl_secrets_on = curl_secrets.get();
        let request = if reveal_on {
            ex.request.clone()
        } else {
            book.with(|b| redact_request(&ex.request, b.masker()))
        };
        let summary = match &ex.response {
            Some(r) => format!(
                "{} {} → {} {} · {} · {}",
                ex.request.method,
                request.url,
                r.status,
                r.status_text,
                format_elapsed(ex.elapsed_ms),
                format_size(r.size_bytes)
            ),
            None => format!(
                "{} {} → no response · {}",
                ex.request.method,
                request.url,
                format_elapsed(ex.elapsed_ms)
            ),
        };
        // curl repeats the request against the real target, not this page's proxy route.
        let curl = {
            let mut req = ex.request.clone();
            if let Some(target) = proxied_target.get() {
                req.url = target;
            }
            if curl_secrets_on {
                curl_command(&req)
            } else {
                book.with(|b| masked_curl(&req, b))
            }
        };
        let request_block = request_text(&request);
        let response = ex.response.clone().map(|r| {
            // Only the preview is indented and masked: a 5 MB body must not stall the page.
            let preview = {
                let limit = (!show_all.get()).then_some(BODY_PREVIEW_CHARS);
                if reveal_on {
                    body_preview(&r.body, raw_on, &Masker::default(), limit)
                } else {
                    book.with(|b| body_preview(&r.body, raw_on, b.masker(), limit))
                }
            };
            let size = format_size(r.size_bytes);
            let shown = preview.text;
            let not_utf8 = (!r.body_was_utf8)
                .then(|| view! { <p class="warning-line">"The body is not valid UTF-8; undecodable bytes are shown as �."</p> });
            let empty_body = r.body.is_empty().then(|| view! { <p class="empty">"(empty body)"</p> });
            let head = masked(&response_head_text(&r));
            let body_copy = shown.clone();
            view! {
                <h3>"Response" <CopyButton label="Copy headers" text=head.clone() /> <CopyButton label="Copy body" text=body_copy /></h3>
                <pre class="response-head">{head}</pre>
                {not_utf8}
                {empty_body}
                <pre class="body" use:draw_text=shown></pre>
                {preview.cut.then(|| view! {
                    <button type="button" class="linkish" on:click=move |_| show_all.set(true)>
                        {format!("Show all (the body is {size}; the first {BODY_PREVIEW_CHARS} characters are shown)")}
                    </button>
                })}
            }
        });
        view! {
            <div class="exchange">
                <p class="summary">{summary}</p>
                {proxied_target.get().map(|t| view! {
                    <p class="via">"Sent through this page's proxy route; the proxy forwards it to " <code>{t}</code></p>
                })}
                <div class="toolbar">
                    <label>
                        <input type="checkbox" prop:checked=reveal_on
                            on:change:target=move |e| reveal.set(e.target().checked()) />
                        " Reveal secrets"
                    </label>
                    <label>
                        <input type="checkbox" prop:checked=raw_on
                            on:change:target=move |e| raw.set(e.target().checked()) />
                        " Raw body"
                    </label>
                </div>
                <h3>"Request" <CopyButton label="Copy request" text=request_block.clone() /></h3>
                <pre class="request">{request_block}</pre>
                <div class="toolbar">
                    <CopyButton label="Copy as curl" text=curl />
                    <label>
                        <input type="checkbox" prop:checked=curl_secrets_on
                            on:change:target=move |e| curl_secrets.set(e.target().checked()) />
                        " include secrets in curl"
                    </label>
                    {curl_secrets_on.then(|| view! {
                        <span class="warning-line">"The copied command will contain the client secret and the token: do not paste it into a ticket or chat."</span>
                    })}
                </div>
                {response}
            </div>
        }
        .into_any()
    }
}
