//! The access token taken apart: header, payload and signature, a table that
//! explains every claim, and a live countdown to expiry.

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::core::jwt::{
    self, claim_rows, expiry, format_countdown, format_relative, ClaimRow, Expiry,
};
use crate::ui::kept::{fed, kept};
use crate::ui::state::AppState;
use crate::web::clock;

/// What the panel shows of the held token (its signature masked): worked out once per token,
/// or when the book changes.
#[derive(Clone, PartialEq)]
struct Shown {
    problems: Vec<String>,
    rows: Vec<ClaimRow>,
    claims: Option<Map<String, Value>>,
    header: String,
    payload: String,
    signature: String,
}

#[component]
pub fn DecodedTokenView(state: AppState) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let token = state.decoded()?;
        // The signature is a secret: with the claims shown above, it alone rebuilds the token.
        // Tracked (`state.mask` is not): a secret the book learns later is masked here too.
        let masked = state.book.with(|b| b.mask(&token.signature.encoded));
        let signature = match &token.signature.bytes {
            Ok(bytes) => format!(
                "{masked} ({} bytes; masked: with these claims it is the whole token)",
                bytes.len()
            ),
            Err(e) => format!("{masked} — {e}"),
        };
        Some(Shown {
            problems: token.problems(),
            rows: token.claims().map(claim_rows).unwrap_or_default(),
            claims: token.claims().cloned(),
            header: segment_text(&token.header),
            payload: segment_text(&token.payload),
            signature,
        })
    });
    // Drawn with the first token and then fed: the next token changes its texts and the rows
    // that differ (see `kept::fed`).
    let draw = move |(), drawn: RwSignal<Shown>| {
        // One-second clocks for the countdowns. Each goes with the parts that read it:
        // reactive_graph never removes a dropped effect from the subscriber list of a signal it
        // read, so parts drawn again (the rows, with every token) must not read a signal that
        // outlives them — the page-wide `state.now` grew that list, and the wasm memory, with
        // every token.
        let now = clock_signal(state);
        let countdown = move || {
            // By the server's clock when a Date header showed it (the Checks panel's Expiry too).
            let now =
                crate::core::clock_skew::server_now(now.get(), state.server_skew.get_untracked());
            drawn.with(|d| {
                let claims = d.claims.as_ref()?;
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
            })
        };
        let rows = move || {
            let now = clock_signal(state);
            drawn
                .with(|d| d.rows.clone())
                .into_iter()
                .map(|row| match row.time {
                    // A time's "how long ago" ticks with these rows' clock: drawn with it.
                    Some(t) => claim_row(
                        row,
                        Some(
                            view! {
                                <span class="time">
                                    {clock::local_time(t)} " local" <br/>
                                    {move || format_relative(t.saturating_sub(now.get()))}
                                </span>
                            }
                            .into_any(),
                        ),
                    ),
                    // The rest usually reads the same for the next token: kept as drawn.
                    None => kept(row, |row| claim_row(row, None)).into_any(),
                })
                .collect_view()
        };
        view! {
            <div class="decoded">
                {countdown}
                {move || {
                    let problems = drawn.with(|d| d.problems.clone());
                    (!problems.is_empty()).then(|| view! {
                        <ul class="problems" role="alert">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    })
                }}
                <table class="claims">
                    <caption>"Claims"</caption>
                    <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th><th scope="col">"Meaning"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <h3>"Header"</h3>
                <pre class="jwt-header">{move || drawn.with(|d| d.header.clone())}</pre>
                <h3>"Payload"</h3>
                <pre class="jwt-payload">{move || drawn.with(|d| d.payload.clone())}</pre>
                <h3>"Signature"</h3>
                <pre class="jwt-signature">{move || drawn.with(|d| d.signature.clone())}</pre>
            </div>
        }
        .into_any()
    };
    fed(
        shown,
        |_| (),
        || view! { <p class="empty">"No token yet."</p> }.into_any(),
        draw,
    )
}

/// A signal of the time in unix seconds, ticking every second until its owner goes.
fn clock_signal(state: AppState) -> RwSignal<i64> {
    let now = RwSignal::new(state.now.get_untracked());
    if let Ok(tick) = set_interval_with_handle(
        move || now.set(clock::now_unix()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || tick.clear());
    }
    now
}

/// One row of the claims table; `time` is the local time and the "how long ago" of a time claim.
fn claim_row(row: ClaimRow, time: Option<AnyView>) -> AnyView {
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
    .into_any()
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
