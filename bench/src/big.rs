//! Big response: a 5 MiB JSON body from the emulator's `/faults/big/5` as the API URL.

use std::time::Duration;

use cognito_emulator::Running;
use serde_json::{json, Value};

use crate::browser::{panel, Browser};
use crate::flow::TIMED_CLICK;
use crate::report::{ms, Met, Row, Section};
use crate::stats::{max, median};
use crate::{fill_form, Res};

const TARGET_MS: f64 = 1000.0;
const TARGET_TASK_MS: f64 = 200.0;
const SHOW_ALL: &str = include_str!("js/show_all.js");

pub async fn big(b: &Browser, emu: &Running, app_site: &str, reps: usize) -> Res<Section> {
    let base = emu.base_url();
    let token_panel = panel("token-response-heading");
    let api_panel = panel("api-response-heading");
    let (mut times, mut longest, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    let (mut all_dom, mut all_painted, mut all_longest) = (Vec::new(), Vec::new(), Vec::new());
    let mut all_chars = 0u64;
    let mut summary = String::new();
    let mut lines = String::new();
    let mut show_lines = String::new();
    for rep in 0..reps {
        // A fresh window and page each time: no earlier body in memory, no earlier render to replace.
        b.fresh_window().await?;
        b.open_app(&format!("{app_site}?bench-big={rep}")).await?;
        fill_form(b, &base, "/faults/big/5").await?;
        b.click("Get token").await?;
        b.wait_text(&token_panel, "200 OK").await?;
        // Let the token's signature check and the panels settle before the timed click.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let out = b
            .js_async(
                TIMED_CLICK,
                vec![
                    json!("Call API"),
                    json!(token_panel),
                    json!(api_panel),
                    json!(".verdict .busy"),
                    json!("Calling the API"),
                    json!(true),
                    json!(30_000),
                    json!("/faults/big/5"),
                ],
            )
            .await?;
        if let Some(e) = out.get("error") {
            return Err(format!("the big response never showed: {e} ({out})"));
        }
        let t = out.get("ms").and_then(Value::as_f64).unwrap_or(f64::NAN);
        let tasks: Vec<f64> = out
            .get("longTasks")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("duration").and_then(Value::as_f64))
                    .collect()
            })
            .unwrap_or_default();
        let worst = tasks.iter().copied().fold(0.0, f64::max);
        summary = out
            .get("apiSummary")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        lines.push_str(&format!(
            "| {} | {:.1} | {} | {} |\n",
            rep + 1,
            t,
            tasks.len(),
            if tasks.is_empty() {
                "none ≥ 50 ms".to_string()
            } else {
                tasks
                    .iter()
                    .map(|d| format!("{d:.0}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
        times.push(t);
        longest.push(worst);
        counts.push(tasks.len());

        // Then "Show all": the whole body drawn.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let all = b
            .js_async(SHOW_ALL, vec![json!(api_panel), json!(30_000)])
            .await?;
        if let Some(e) = all.get("error") {
            return Err(format!("Show all never drew the whole body: {e} ({all})"));
        }
        let f = |k: &str| all.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        let all_tasks: Vec<f64> = all
            .get("longTasks")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("duration").and_then(Value::as_f64))
                    .collect()
            })
            .unwrap_or_default();
        all_chars = all.get("chars").and_then(Value::as_u64).unwrap_or(0);
        show_lines.push_str(&format!(
            "| {} | {:.1} | {:.1} | {} |\n",
            rep + 1,
            f("inDomMs"),
            f("paintedMs"),
            if all_tasks.is_empty() {
                "none ≥ 50 ms".to_string()
            } else {
                all_tasks
                    .iter()
                    .map(|d| format!("{d:.0}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
        all_dom.push(f("inDomMs"));
        all_painted.push(f("paintedMs"));
        all_longest.push(all_tasks.iter().copied().fold(0.0, f64::max));
    }
    let worst_task = max(&longest);
    let task_value = if counts.iter().all(|c| *c == 0) {
        "none ≥ 50 ms (no long task reported)".to_string()
    } else {
        format!(
            "{} (median of the runs' longest: {})",
            ms(worst_task),
            ms(median(&longest))
        )
    };
    let details = format!(
        "The API panel's summary line after the call: `{}`\n\n\
         | run | click → shown, ms | long tasks | their durations, ms |\n|---:|---:|---:|---|\n{lines}\n\
         **Show all** after each call ({all_chars} characters drawn):\n\n\
         | run | click → whole body in the document, ms | → two frames later (laid out and painted), ms | long tasks, ms |\n|---:|---:|---:|---|\n{show_lines}",
        summary.trim()
    );
    Ok(Section {
        title: "Big response".into(),
        rows: vec![
            Row::new(
                &format!("Big response: 5 MiB JSON, **Call API** click → API panel shows it, median of {reps} (max)"),
                format!("{} (max {})", ms(median(&times)), ms(max(&times))),
                "≤ 1 s",
                Met::from(median(&times) <= TARGET_MS),
            ),
            Row::new(
                &format!("Big response: longest main-thread task, worst of {reps}"),
                task_value,
                "no task > 200 ms",
                Met::from(worst_task <= TARGET_TASK_MS || counts.iter().all(|c| *c == 0)),
            ),
            Row::new(
                &format!("Big response: **Show all** click → the whole 5 MiB body drawn (two frames later), median of {reps} (max)"),
                format!(
                    "{} (max {}; in the document after {}; longest task {})",
                    ms(median(&all_painted)),
                    ms(max(&all_painted)),
                    ms(median(&all_dom)),
                    ms(max(&all_longest))
                ),
                "≤ 1 s",
                Met::from(median(&all_painted) <= TARGET_MS),
            ),
        ],
        method: format!(
            "{reps} times: the app in a new window (a fresh load, no earlier page kept), the form filled with the API URL \
             `<emulator>/faults/big/5` (5,242,880 bytes of JSON, streamed; no authorizer on fault \
             routes), **Get token** (a WebDriver click, untimed), 0.5 s to settle, then the timed \
             **Call API** click in the page (as for the flow), until the API panel shows \"200 OK\". A \
             `PerformanceObserver` for `longtask` entries (tasks of 50 ms or more) is installed just \
             before the click; after the result shows, two animation frames and 300 ms more are \
             allowed (layout and paint of the new content) and every long task that started after the \
             click is reported. The time is the median; the task is the worst of all runs.\n\n\
             Limitations: the body comes over loopback in a few ms, so the figure is almost all \
             in-browser work (reading, decoding, pretty-printing, masking, rendering a 20,000-character \
             preview); a real network adds the transfer time; long tasks are only reported from 50 ms up.\n\n\
             **Show all**: 0.5 s after each call, the API panel's \"Show all\" is clicked in the page \
             (bench/src/js/show_all.js); a `MutationObserver` notes when the panel's body text ends \
             with the JSON's closing `]` and the button is gone (in the document), then two \
             animation frames are awaited: the second frame's callback runs after the first frame \
             with the whole body has had its style, layout and paint. Long tasks as above."
        ),
        details,
    })
}
