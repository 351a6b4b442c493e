//! Start-up: navigation start → the form is interactive, over fresh loads in one session.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::browser::{Browser, WAIT};
use crate::report::{ms, Met, Row, Section};
use crate::stats::{median, p95};
use crate::Res;

const PROBE: &str = include_str!("js/startup_probe.js");
const READ: &str = include_str!("js/startup_read.js");
/// Loads before the measured ones (the browser's own first-use costs), not counted.
const WARM_UP: usize = 2;

fn field(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

async fn one_load(b: &Browser, url: &str) -> Res<Value> {
    b.goto(url).await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let marks = b.js(READ, vec![]).await?;
        if !marks.is_null() {
            return Ok(marks);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{url}: the form never became interactive, or a panel's part never loaded"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn startup(b: &Browser, site: &str, loads: usize) -> Res<Section> {
    // Every load downloads and compiles everything: the emulator's static listener sends
    // `Cache-Control: no-cache` without validators anyway; the cache is also switched off.
    b.cdp("Network.enable", json!({})).await?;
    b.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    let added = b
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PROBE }),
        )
        .await?;
    let identifier = added
        .get("identifier")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();

    let mut samples: Vec<Value> = Vec::new();
    let mut outcome = Ok(());
    for i in 0..WARM_UP + loads {
        match one_load(b, &format!("{site}?bench-load={i}")).await {
            Ok(marks) if i >= WARM_UP => samples.push(marks),
            Ok(_) => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    // Later measurements must not pay for the probe or run without the cache.
    b.cdp(
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": identifier }),
    )
    .await?;
    b.cdp(
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": false }),
    )
    .await?;
    b.cdp("Network.disable", json!({})).await?;
    outcome?;

    let col = |key: &str| -> Vec<f64> { samples.iter().map(|s| field(s, key)).collect() };
    let free = col("freeAt");
    let inputs_min = samples
        .iter()
        .map(|s| s.get("inputs").and_then(Value::as_u64).unwrap_or(0))
        .min()
        .unwrap_or(0);
    if inputs_min == 0 {
        return Err("the form had no enabled inputs when it appeared".into());
    }
    let mut details = String::from(
        "Medians (p95) over the measured loads, ms from navigation start:\n\n\
         | mark | median | p95 |\n|---|---:|---:|\n",
    );
    for (label, key) in [
        (
            "index.html received (navigation responseEnd)",
            "responseEnd",
        ),
        ("DOMContentLoaded done", "domContentLoaded"),
        ("wasm received (resource responseEnd)", "wasmResponseEnd"),
        ("form.settings in the document", "formAt"),
        ("TrunkApplicationStarted (wasm started)", "startedAt"),
        ("**first task after the form: interactive**", "freeAt"),
        (
            "every panel's wasm part loaded (src/ui/parts.rs)",
            "partsAt",
        ),
    ] {
        let values = col(key);
        details.push_str(&format!(
            "| {label} | {:.1} | {:.1} |\n",
            median(&values),
            p95(&values)
        ));
    }
    details.push_str(&format!(
        "\nEvery load: {} enabled form controls or more when the form became interactive.\n",
        inputs_min
    ));

    Ok(Section {
        title: "Start-up".into(),
        rows: vec![Row::new(
            &format!("Start-up: navigation start → form interactive, median / p95 of {} fresh loads", samples.len()),
            format!("{} / {}", ms(median(&free)), ms(p95(&free))),
            "— (none set)",
            Met::NoTarget,
        )],
        method: format!(
            "{} fresh navigations of the same tab to the app's static site on 127.0.0.1 (after {WARM_UP} \
             unmeasured warm-up loads), the HTTP cache off (DevTools `Network.setCacheDisabled`), so every \
             load downloads, compiles and instantiates the wasm. A probe script added with DevTools \
             `Page.addScriptToEvaluateOnNewDocument` runs before any of the page's scripts and installs a \
             `MutationObserver`; when `form.settings` first appears it posts a `MessageChannel` message, and \
             the time that message is handled — the first task after the one that mounted the form — is \
             \"interactive\": the main thread is free, and the form's inputs (listeners attached before \
             Leptos inserts the form) take input. Times are `performance.now()` (0 = navigation start), \
             with `performance.getEntriesByType('navigation')` and the wasm's resource entry for the \
             breakdown. The app sets no mark of its own; the last row of the breakdown is when every \
             panel's wasm part (src/ui/parts.rs) had set `data-state=\"loaded\"` on its place, which \
             each load also waits for.\n\n\
             Limitations: loopback has no network latency or bandwidth limit, so on a real connection add \
             the download of the first-load bytes; the form is interactive before the next paint (the \
             figure does not include the first paint of the form); no target was set.",
            samples.len()
        ),
        details,
    })
}
