//! Flow overhead: the app's Run (token, then API) against a hand-written plain-JS page doing the
//! same two requests to the same emulator, interleaved in one browser session.

use std::time::Duration;

use cognito_emulator::{Running, TokenFault};
use fantoccini::wd::WindowHandle;
use serde_json::{json, Value};

use crate::browser::{panel, Browser};
use crate::report::{ms, Met, Row, Section};
use crate::stats::{max, median, min, p95};
use crate::{fill_form, Context, Res, CLIENT_ID, CLIENT_SECRET, SCOPE, TOKEN_VALIDITY_SECS};

pub const TIMED_CLICK: &str = include_str!("js/timed_click.js");
/// Pairs run first and not counted (JIT warm-up, the app's first JWKS fetch, connection set-up).
const WARM_UP: usize = 5;
/// Quiet time after each run, so a run does not overlap the previous one's leftovers.
const GAP: Duration = Duration::from_millis(150);
pub const TARGET_RATIO: f64 = 1.2;
/// Server time per request in the reference comparison (a real pool and API take tens of ms).
const SERVER_MS: u64 = 50;
/// Runs of the reference comparison (fewer: each takes over 100 ms).
const SERVED_RUNS: usize = 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    App,
    Plain,
}

/// Where one run's time went, ms: the page's own work before, between and after its two
/// requests, and each request's time on the wire (sent → whole answer in, Resource Timing).
#[derive(Clone, Copy, Default)]
struct Phases {
    to_token_sent: f64,
    token_wire: f64,
    to_api_sent: f64,
    api_wire: f64,
    to_shown: f64,
}

impl Phases {
    /// From timed_click.js's `requests` and the run's total; None when an entry is missing.
    fn of(requests: &Value, total: f64) -> Option<Self> {
        let at = |request: &str, key: &str| requests.get(request)?.get(key)?.as_f64();
        let (token_start, token_end) = (at("token", "start")?, at("token", "end")?);
        let (api_start, api_end) = (at("api", "start")?, at("api", "end")?);
        Some(Self {
            to_token_sent: token_start,
            token_wire: token_end - token_start,
            to_api_sent: api_start - token_end,
            api_wire: api_end - api_start,
            to_shown: total - api_end,
        })
    }

    const ROWS: [(&'static str, PhaseOf); 5] = [
        ("click → token request sent", |p| p.to_token_sent),
        ("token request on the wire (sent → answer in)", |p| {
            p.token_wire
        }),
        ("token answer in → API request sent", |p| p.to_api_sent),
        ("API request on the wire", |p| p.api_wire),
        ("API answer in → both results shown", |p| p.to_shown),
    ];
}

/// Reads one phase of a run.
type PhaseOf = fn(&Phases) -> f64;

/// The table of median phases, app against plain.
fn phases_table(app: &[Phases], plain: &[Phases]) -> String {
    let mut out = String::from(
        "| phase of a run (median, ms) | app | plain | app − plain |\n|---|---:|---:|---:|\n",
    );
    for (name, field) in Phases::ROWS {
        let a = median(&app.iter().map(field).collect::<Vec<_>>());
        let p = median(&plain.iter().map(field).collect::<Vec<_>>());
        out.push_str(&format!("| {name} | {a:.1} | {p:.1} | {:+.1} |\n", a - p));
    }
    out
}

/// One timed Run click in the current window; (click → both results, click → API request sent,
/// the notice, where the time went).
async fn timed_run(
    b: &Browser,
    page: Page,
    api_path: &str,
) -> Res<(f64, f64, String, Option<Phases>)> {
    let (token_sel, api_sel) = match page {
        Page::App => (
            panel("token-response-heading"),
            panel("api-response-heading"),
        ),
        Page::Plain => ("#token-result".to_string(), "#api-result".to_string()),
    };
    let out = b
        .js_async(
            TIMED_CLICK,
            vec![
                json!("Run"),
                json!(token_sel),
                json!(api_sel),
                json!(null),
                json!(null),
                json!(false),
                json!(15_000),
                json!(api_path),
            ],
        )
        .await?;
    if let Some(e) = out.get("error") {
        return Err(format!("a timed Run failed: {e} ({out})"));
    }
    let total = out.get("ms").and_then(Value::as_f64).unwrap_or(f64::NAN);
    let notice = out
        .get("notice")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let phases = out.get("requests").and_then(|r| Phases::of(r, total));
    // The token step is done when the API request goes out (the app may draw the token later).
    let api_sent = phases.map_or(f64::NAN, |p| p.to_token_sent + p.token_wire + p.to_api_sent);
    Ok((total, api_sent, notice, phases))
}

async fn switch(b: &Browser, handle: &WindowHandle) -> Res<()> {
    b.client
        .switch_to_window(handle.clone())
        .await
        .context("switching windows")
}

/// The measured runs of one interleaved comparison.
struct Timings {
    app: Vec<f64>,
    app_api_sent: Vec<f64>,
    plain: Vec<f64>,
    plain_api_sent: Vec<f64>,
    /// App runs that said they fetched a new token.
    refetched: usize,
    app_phases: Vec<Phases>,
    plain_phases: Vec<Phases>,
}

/// The plain page's address for this emulator and API path.
fn plain_url(plain_site: &str, base: &str, api_path: &str) -> Res<String> {
    url::Url::parse_with_params(
        plain_site,
        [
            ("domain", base),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("scope", SCOPE),
            ("api", &format!("{base}{api_path}")),
        ],
    )
    .map(String::from)
    .context("building the plain page's URL")
}

/// Warm-up, then `runs` timed Runs on each page, alternating which goes first.
async fn interleaved(
    b: &Browser,
    app: &WindowHandle,
    plain: &WindowHandle,
    runs: usize,
    api_path: &str,
) -> Res<Timings> {
    let mut t = Timings {
        app: Vec::new(),
        app_api_sent: Vec::new(),
        plain: Vec::new(),
        plain_api_sent: Vec::new(),
        refetched: 0,
        app_phases: Vec::new(),
        plain_phases: Vec::new(),
    };
    for i in 0..WARM_UP + runs {
        // Alternate which page goes first, so neither always follows the other.
        let order = if i % 2 == 0 {
            [Page::App, Page::Plain]
        } else {
            [Page::Plain, Page::App]
        };
        for page in order {
            switch(b, if page == Page::App { app } else { plain }).await?;
            let (total, api_sent, notice, phases) = timed_run(b, page, api_path).await?;
            if i >= WARM_UP {
                if page == Page::App {
                    t.app.push(total);
                    t.app_api_sent.push(api_sent);
                    t.app_phases.extend(phases);
                    if notice.contains("fetched a new one") {
                        t.refetched += 1;
                    }
                } else {
                    t.plain.push(total);
                    t.plain_api_sent.push(api_sent);
                    t.plain_phases.extend(phases);
                }
            }
            tokio::time::sleep(GAP).await;
        }
    }
    if t.refetched != t.app.len() {
        return Err(format!(
            "only {} of {} app runs fetched a new token; the comparison would not be like with like",
            t.refetched,
            t.app.len()
        ));
    }
    Ok(t)
}

pub async fn flow(
    b: &Browser,
    emu: &Running,
    app_site: &str,
    plain_site: &str,
    runs: usize,
) -> Res<Section> {
    let base = emu.base_url();
    b.fresh_window().await?;
    b.open_app(app_site).await?;
    fill_form(b, &base, "/dev").await?;
    let app = b.client.window().await.context("reading the window")?;
    let plain = b
        .client
        .new_window(false)
        .await
        .context("opening a second window")?
        .handle;
    switch(b, &plain).await?;
    b.goto(&plain_url(plain_site, &base, "/dev")?).await?;
    let visibility_plain = b.js("return document.visibilityState", vec![]).await?;
    switch(b, &app).await?;
    let visibility_app = b.js("return document.visibilityState", vec![]).await?;
    let loopback = interleaved(b, &app, &plain, runs, "/dev").await?;

    // For reference: the same comparison with server time like a real pool's and API's.
    emu.set_token_fault(Some(TokenFault::Slow { ms: SERVER_MS }));
    let delayed_api = format!("/faults/delay/{SERVER_MS}");
    switch(b, &app).await?;
    b.fill("API URL", &format!("{base}{delayed_api}")).await?;
    switch(b, &plain).await?;
    b.goto(&plain_url(plain_site, &base, &delayed_api)?).await?;
    let served = interleaved(b, &app, &plain, SERVED_RUNS.min(runs), &delayed_api).await;
    emu.set_token_fault(None);
    let served = served?;

    switch(b, &plain).await?;
    b.client
        .close_window()
        .await
        .context("closing the plain window")?;
    switch(b, &app).await?;
    let Timings {
        app: app_ms,
        app_api_sent,
        plain: plain_ms,
        plain_api_sent,
        refetched,
        app_phases,
        plain_phases,
    } = loopback;
    let (app_median, plain_median) = (median(&app_ms), median(&plain_ms));
    let ratio = app_median / plain_median;
    let mut details = format!(
        "| page | runs | median | p95 | min | max | click → API request sent (median) |\n\
         |---|---:|---:|---:|---:|---:|---:|\n\
         | app (Run) | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n\
         | plain JS | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n\n\
         Extra time of the app per run (difference of medians): {:.1} ms. Every measured app run said \
         it fetched a new token ({refetched} of {}). Page visibility: app {visibility_app}, plain \
         {visibility_plain}.\n",
        app_ms.len(),
        app_median,
        p95(&app_ms),
        min(&app_ms),
        max(&app_ms),
        median(&app_api_sent),
        plain_ms.len(),
        plain_median,
        p95(&plain_ms),
        min(&plain_ms),
        max(&plain_ms),
        median(&plain_api_sent),
        app_median - plain_median,
        app_ms.len(),
    );
    details.push_str(&format!(
        "\nWhere the time goes, from the runs with both requests in the page's Resource Timing \
         ({} app, {} plain): \"on the wire\" is from the page starting the request (`fetch`) to the \
         whole answer in, as the browser's network side records it (any CORS preflight and connection \
         set-up included); the rest is the page's own work, and waiting for the page's thread. Medians \
         of phases do not add up to the median run.\n\n{}",
        app_phases.len(),
        plain_phases.len(),
        phases_table(&app_phases, &plain_phases),
    ));
    details.push_str(&format!(
        "\nWith {SERVER_MS} ms of server time per request: app median {:.1} (p95 {:.1}), plain median {:.1} \
         (p95 {:.1}), {} runs each; extra time of the app {:.1} ms.\n",
        median(&served.app),
        p95(&served.app),
        median(&served.plain),
        p95(&served.plain),
        served.app.len(),
        median(&served.app) - median(&served.plain),
    ));
    details.push_str(
        "\n\"API request sent\": the API request's start in Resource Timing, when the token step is done \
         (the app draws nothing of a run before its answers come, or 100 ms have passed).\n",
    );
    Ok(Section {
        title: "Flow overhead".into(),
        rows: vec![
            Row::new(
                &format!("Flow: app **Run** click → token and API results shown, median of {}", app_ms.len()),
                format!("{} (p95 {})", ms(app_median), ms(p95(&app_ms))),
                "—",
                Met::NoTarget,
            ),
            Row::new(
                &format!("Flow: plain-JS page, same two requests, median of {}", plain_ms.len()),
                format!("{} (p95 {})", ms(plain_median), ms(p95(&plain_ms))),
                "—",
                Met::NoTarget,
            ),
            Row::new(
                "Flow overhead: ratio of medians app / plain",
                format!("{ratio:.2}"),
                "≤ 1.2",
                Met::from(ratio <= TARGET_RATIO),
            ),
            Row::new(
                &format!(
                    "Flow, for reference, with {SERVER_MS} ms of server time per request: medians app / plain, {} runs each",
                    served.app.len()
                ),
                format!(
                    "{} / {} = {:.2}",
                    ms(median(&served.app)),
                    ms(median(&served.plain)),
                    median(&served.app) / median(&served.plain)
                ),
                "— (the target is judged on loopback)",
                Met::NoTarget,
            ),
        ],
        method: format!(
            "Two windows of the same session: the app (release `dist/` from the emulator's static \
             listener) and `bench/plain/` (index.html + plain.js, ~40 lines, served by a second \
             emulator's static listener, so both pages are cross-origin to the API exactly alike). Both \
             call the same emulator: `POST /oauth2/token` with `client_secret_post`, then `GET /dev` with \
             the bearer token. Runs alternate app/plain (which goes first alternates too), {WARM_UP} \
             pairs of warm-up are not counted, {gap} ms of quiet follow each run. Each run is timed in \
             the page (bench/src/js/timed_click.js): `performance.now()`, then `button.click()`, then a \
             `MutationObserver` on the document notes the first moment the API panel's text has changed \
             since the click (the plain page empties it first; the app, which draws nothing of a fast run \
             before its answers, draws the new answer over the old, whose text differs: the emulator's \
             request id is new every time) and both panels show \"200 OK\" — WebDriver round trips are \
             not in the figure.\n\n\
             Like with like: the app reuses a held token on Run while it has more than 5 s left, so the \
             emulator issues tokens valid for {TOKEN_VALIDITY_SECS} s (`--token-validity`); every Run then \
             fetches a new token — the bench checks that every measured app run said \"fetched a new \
             one\" — and the plain page does both requests on every click.\n\n\
             Limitations: the plain page is a floor, not a competitor — it writes status and raw body only, \
             while the app also pretty-prints and masks both exchanges, decodes the token, verifies its \
             RS256 signature with WebCrypto (the JWKS is cached after the warm-up), checks claims and \
             assertions and renders all of that; the time stops at the DOM update, before paint; loopback \
             makes network time tiny, so the ratio is larger than it would be against a real Cognito pool \
             and API Gateway, where each request takes tens of milliseconds.\n\n\
             For reference (no target): the same comparison, {served_runs} runs each, with the emulator \
             answering the token request {SERVER_MS} ms late (its `slow` token fault) and the API at \
             `/faults/delay/{SERVER_MS}` (no authorizer on fault routes; both pages send the same \
             requests) — closer to a real pool and API, where each answer takes tens of milliseconds.",
            gap = GAP.as_millis(),
            served_runs = served.app.len(),
        ),
        details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_split_at_its_requests_and_a_missing_one_is_no_split() {
        let requests = json!({
            "token": { "start": 2.0, "end": 8.0 },
            "api": { "start": 11.0, "end": 14.5 },
        });
        let p = Phases::of(&requests, 20.0).unwrap();
        let row = |name: &str| {
            Phases::ROWS
                .iter()
                .find(|(n, _)| n.starts_with(name))
                .map(|(_, f)| f(&p))
                .unwrap()
        };
        assert_eq!(row("click → token request sent"), 2.0);
        assert_eq!(row("token request on the wire"), 6.0);
        assert_eq!(row("token answer in → API"), 3.0);
        assert_eq!(row("API request on the wire"), 3.5);
        assert_eq!(row("API answer in"), 5.5);
        assert!(Phases::of(
            &json!({ "token": { "start": 2.0, "end": 8.0 }, "api": null }),
            20.0
        )
        .is_none());
        let table = phases_table(&[p], &[p]);
        assert!(
            table.contains("| click → token request sent | 2.0 | 2.0 | +0.0 |"),
            "{table}"
        );
    }
}
