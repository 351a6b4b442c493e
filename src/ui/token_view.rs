//! The access token taken apart: header, payload and signature, a table that
//! explains every claim, and a live countdown to expiry.

use leptos::prelude::*;

use crate::core::jwt::{self, claim_rows, expiry, format_countdown, format_relative, Expiry};
use crate::ui::state::AppState;
use crate::web::clock;

#[component]
pub fn DecodedTokenView(state: AppState) -> impl IntoView {
    let decoded = Memo::new(move |_| state.decoded());
    move || {
        let Some(token) = decoded.get() else {
            return view! { <p class="empty">"No token yet."</p> }.into_any();
        };
        // This token's own one-second clock for the countdowns below. Their effects are dropped
        // with the next token, and reactive_graph never removes a dropped effect from the
        // subscriber list of a signal it read: reading the page-wide `state.now` grew that list
        // (and the wasm memory) with every token. This signal and its timer go with this view.
        let now = RwSignal::new(state.now.get_untracked());
        if let Ok(tick) = set_interval_with_handle(
            move || now.set(clock::now_unix()),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || tick.clear());
        }
        let problems = token.problems();
        let header = segment_text(&token.header);
        let payload = segment_text(&token.payload);
        // The signature is a secret: with the claims shown above, it alone rebuilds the token.
        let shown = state.mask(&token.signature.encoded);
        let signature = match &token.signature.bytes {
            Ok(bytes) => format!(
                "{shown} ({} bytes; masked: with these claims it is the whole token)",
                bytes.len()
            ),
            Err(e) => format!("{shown} — {e}"),
        };
        let rows = token.claims().map(claim_rows).unwrap_or_default();
        let claims = token.claims().cloned();
        let countdown = move || {
            let claims = claims.as_ref()?;
            // By the server's clock when a Date header showed it (the Checks panel's Expiry too).
            // Untracked: a redrawn view must not subscribe to a page-wide signal (see above); the
            // clock ticks every second anyway.
            let now =
                crate::core::clock_skew::server_now(now.get(), state.server_skew.get_untracked());
            Some(match expiry(claims, now) {
                Expiry::NoExpClaim => view! { <p class="expiry warning-line">"The token has no exp claim: it never expires, which Cognito never issues."</p> }.into_any(),
                Expiry::Valid { seconds_left } => view! {
                    <p class="expiry valid">"Expires in " <strong class="countdown">{format_countdown(seconds_left)}</strong></p>
                }.into_any(),
                Expiry::Expired { seconds_ago } => view! {
                    <p class="expiry expired" role="alert">
                        <strong>"EXPIRED"</strong> {format!(" {} — Run fetches a new one.", format_relative(-seconds_ago))}
                    </p>
                }.into_any(),
            })
        };
        view! {
            <div class="decoded">
                {countdown}
                {(!problems.is_empty()).then(|| view! {
                    <ul class="problems" role="alert">
                        {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })}
                <table class="claims">
                    <caption>"Claims"</caption>
                    <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th><th scope="col">"Meaning"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let time = row.time.map(|t| view! {
                                <span class="time">
                                    {clock::local_time(t)} " local" <br/>
                                    {move || format_relative(t.saturating_sub(now.get()))}
                                </span>
                            });
                            let name = row.name.clone();
                            view! {
                                <tr data-claim=name>
                                    <th scope="row"><code>{row.name}</code></th>
                                    <td><code class="value">{row.value}</code>
                                        {(!row.detail.is_empty()).then(|| view! {
                                            <ul class="detail">{row.detail.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                                        })}
                                        {time}
                                    </td>
                                    <td>{row.meaning}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <h3>"Header"</h3>
                <pre class="jwt-header">{header}</pre>
                <h3>"Payload"</h3>
                <pre class="jwt-payload">{payload}</pre>
                <h3>"Signature"</h3>
                <pre class="jwt-signature">{signature}</pre>
            </div>
        }
        .into_any()
    }
}

fn segment_text(segment: &jwt::JsonSegment) -> String {
    match &segment.json {
        Ok(map) => jwt::pretty_json(map),
        Err(problem) => match &segment.text {
            Some(text) => format!("{text}\n\n— {problem}"),
            None => format!("{}\n\n— {problem}", segment.encoded),
        },
    }
}
