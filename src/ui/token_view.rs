//! The access token taken apart: header, payload and signature, a table that
//! explains every claim, and a live countdown to expiry.

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::core::jwt::{
    self, claim_rows, expiry, format_countdown, format_relative, ClaimRow, Expiry,
};
use crate::ui::kept::fed;
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
        // The drawing's own one-second clock, for the countdown and the rows' times, stopped with
        // it: parts drawn again that read the page-wide `state.now` grew the wasm memory with
        // every token (README, Canary heap).
        let now = clock_signal(state);
        // By the server's clock when a Date header showed it (the Checks panel's Expiry too).
        let expiry_now = move || {
            let now =
                crate::core::clock_skew::server_now(now.get(), state.server_skew.get_untracked());
            drawn.with(|d| d.claims.as_ref().map(|claims| expiry(claims, now)))
        };
        // Drawn when the kind of line changes (valid, expired, no exp); each second and each
        // token of the same kind change its figure only.
        let kind = Memo::new(move |_| expiry_now().map(|e| std::mem::discriminant(&e)));
        let countdown = move || {
            // Read, not only tracked: a memo nobody has read has not run, so it follows nothing.
            kind.get()?;
            Some(match untrack(expiry_now)? {
                Expiry::NoExpClaim => view! { <p class="expiry warning-line">"The token has no exp claim: it never expires, which Cognito never issues."</p> }.into_any(),
                Expiry::Valid { .. } => view! {
                    <p class="expiry valid">"Expires in " <strong class="countdown">{move || match expiry_now() {
                        Some(Expiry::Valid { seconds_left }) => format_countdown(seconds_left),
                        _ => String::new(),
                    }}</strong></p>
                }.into_any(),
                // The alert says what happened once; how long ago ticks outside it, or a screen
                // reader would read the alert again every second.
                Expiry::Expired { .. } => view! {
                    <p class="expiry expired">
                        <span role="alert"><strong>"EXPIRED"</strong>" — Run fetches a new one."</span>
                        {move || match expiry_now() {
                            Some(Expiry::Expired { seconds_ago: 0 }) => " It has just expired.".to_owned(),
                            Some(Expiry::Expired { seconds_ago }) => format!(" It expired {}.", format_relative(-seconds_ago)),
                            _ => String::new(),
                        }}
                    </p>
                }.into_any(),
            })
        };
        // The table is drawn again only when its shape changes (the claims, their lines of
        // detail, which are times): another token of the same kind feeds each row, and only a
        // time claim's texts change.
        let shape = Memo::new(move |_| {
            drawn.with(|d| {
                d.rows
                    .iter()
                    .map(|r| (r.name.clone(), r.detail.len(), r.time.is_some()))
                    .collect::<Vec<_>>()
            })
        });
        let rows = move || {
            shape
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, (name, details, has_time))| {
                    let row = Memo::new(move |_| drawn.with(|d| d.rows.get(i).cloned()));
                    claim_row(name, details, has_time, row, now)
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

/// One row of the claims table, fed its row: its texts change when the row does (a time
/// claim's with every token), the row itself stays. A time shows its local time and how long
/// ago it was, which ticks with `now`.
fn claim_row(
    name: String,
    details: usize,
    has_time: bool,
    row: Memo<Option<ClaimRow>>,
    now: RwSignal<i64>,
) -> AnyView {
    let text = move |part: fn(&ClaimRow) -> String| {
        move || row.with(|r| r.as_ref().map(part).unwrap_or_default())
    };
    let time = move || row.with(|r| r.as_ref().and_then(|r| r.time));
    let claim = name.clone();
    view! {
        <tr data-claim=claim>
            <th scope="row"><code>{name}</code></th>
            <td><code class="value">{text(|r| r.value.clone())}</code>
                {(details > 0).then(|| view! {
                    <ul class="detail">{(0..details).map(|j| view! {
                        <li>{move || row.with(|r| r.as_ref().and_then(|r| r.detail.get(j).cloned()))}</li>
                    }).collect_view()}</ul>
                })}
                {has_time.then(|| view! {
                    <span class="time">
                        {move || time().map(clock::local_time)} " local" <br/>
                        {move || time().map(|t| format_relative(t.saturating_sub(now.get())))}
                    </span>
                })}
            </td>
            <td>{text(|r| r.meaning.clone())}</td>
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
