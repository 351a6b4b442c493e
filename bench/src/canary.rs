//! Long canary: the canary panel's schedule at its shortest interval (1 s, the UI's minimum),
//! with the page's memory read at the start and every 100 runs.

use std::time::{Duration, Instant};

use cognito_emulator::Running;
use serde_json::Value;

use crate::browser::Browser;
use crate::report::{mb, Met, Row, Section};
use crate::{fill_form, Res};

const MEMORY: &str = include_str!("js/memory.js");
/// Checkpoints every this many runs.
const STEP: usize = 100;
/// Flat JS heap: after garbage collection, within this share of its value at the previous checkpoint.
const HEAP_TOLERANCE: f64 = 0.05;
/// Flat wasm memory: at most this growth between the last two checkpoints (4 wasm pages). The
/// history keeps up to 1,000 runs, so it legitimately grows until then; at this rate the whole
/// history would cost under 2.5 MB, after which the cap holds it.
const WASM_TOLERANCE_BYTES: f64 = 256.0 * 1024.0;
/// Flat DOM: the history table shows the newest 100 runs, so from 100 runs on it stays the same size.
const NODE_TOLERANCE: f64 = 20.0;

struct Checkpoint {
    runs: usize,
    seconds: f64,
    heap: f64,
    wasm: f64,
    nodes: f64,
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(f64::NAN)
}

async fn checkpoint(b: &Browser, started: Instant) -> Res<Checkpoint> {
    b.collect_garbage().await?;
    let m = b.js_by_value(MEMORY).await?;
    Ok(Checkpoint {
        runs: m.get("runs").and_then(Value::as_u64).unwrap_or(0) as usize,
        seconds: started.elapsed().as_secs_f64(),
        heap: num(&m, "heap"),
        wasm: num(&m, "wasm"),
        nodes: num(&m, "nodes"),
    })
}

/// "a → b → c" of one figure at the checkpoints.
fn series(points: &[Checkpoint], f: impl Fn(&Checkpoint) -> String) -> String {
    points.iter().map(f).collect::<Vec<_>>().join(" → ")
}

pub async fn canary(b: &Browser, emu: &Running, app_site: &str, runs: usize) -> Res<Section> {
    b.fresh_window().await?;
    b.open_app(&format!("{app_site}?bench-canary")).await?;
    fill_form(b, &emu.base_url(), "/dev").await?;
    b.fill("Run every", "1").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let mut points = vec![checkpoint(b, started).await?];
    if points.iter().any(|p| p.heap.is_nan() || p.wasm.is_nan()) {
        return Err(
            "performance.memory or the wasm memory (wasmBindings.initSync().memory) is not readable"
                .into(),
        );
    }
    b.click("Start schedule").await?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(runs as u64 * 3 / 2 + 60);
    let mut next = STEP.min(runs);
    let mut last_summary = String::new();
    let mut title = String::new();
    while next <= runs {
        let m = b.js_by_value(MEMORY).await?;
        let done = m.get("runs").and_then(Value::as_u64).unwrap_or(0) as usize;
        if done >= next {
            points.push(checkpoint(b, started).await?);
            eprintln!("bench: canary at {done} runs");
            if next == runs {
                last_summary = m
                    .get("summary")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                title = m
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                break;
            }
            next = (next + STEP).min(runs);
            continue;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the schedule reached only {done} of {runs} runs in {:.0} s",
                started.elapsed().as_secs_f64()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    b.click("Stop schedule").await?;

    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err("no checkpoints".into());
    };
    let before_last = points.len().checked_sub(2).and_then(|i| points.get(i));
    let prev = before_last.unwrap_or(first);
    let heap_flat = (last.heap - prev.heap).abs() <= prev.heap * HEAP_TOLERANCE;
    let wasm_flat = last.wasm - prev.wasm <= WASM_TOLERANCE_BYTES;
    let nodes_flat = prev.runs < STEP || (last.nodes - prev.nodes).abs() <= NODE_TOLERANCE;
    let labels = series(&points, |p| p.runs.to_string());
    let mut details = String::from(
        "| runs | s since Start schedule | JS heap after GC, bytes | wasm memory, bytes | DOM elements |\n\
         |---:|---:|---:|---:|---:|\n",
    );
    for p in &points {
        details.push_str(&format!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} |\n",
            p.runs, p.seconds, p.heap, p.wasm, p.nodes
        ));
    }
    details.push_str(&format!(
        "\nChange between checkpoints: JS heap {}; wasm memory {}. {} runs took {:.0} s (the first \
         run starts at once, then one a second). At the end the summary said `{}` and the tab title \
         was `{}`.\n",
        series_delta(&points, |p| p.heap),
        series_delta(&points, |p| p.wasm),
        last.runs,
        last.seconds,
        last_summary.trim(),
        title
    ));
    Ok(Section {
        title: "Long canary".into(),
        rows: vec![
            Row::new(
                &format!("Canary ({} runs, 1 s apart): JS heap after GC at {labels} runs", last.runs),
                format!(
                    "{} ({:+.0} KB in the last {} runs)",
                    series(&points, |p| mb(p.heap)),
                    (last.heap - prev.heap) / 1024.0,
                    last.runs - prev.runs
                ),
                "flat: ±5 % over the last 100 runs",
                Met::from(heap_flat),
            ),
            Row::new(
                &format!("Canary: wasm linear memory at {labels} runs"),
                format!(
                    "{} ({:+.0} KB in the last {} runs)",
                    series(&points, |p| mb(p.wasm)),
                    (last.wasm - prev.wasm) / 1024.0,
                    last.runs - prev.runs
                ),
                "flat: ≤ +256 KB over the last 100 runs",
                Met::from(wasm_flat),
            ),
            Row::new(
                &format!("Canary: DOM elements at {labels} runs"),
                series(&points, |p| format!("{:.0}", p.nodes)),
                "flat once 100 rows show: ±20",
                Met::from(nodes_flat),
            ),
        ],
        method: format!(
            "The canary panel as a QA engineer uses it: the app in a new window (nothing of earlier \
             pages in the back/forward cache), the form filled, **Run every** \
             = 1 (the UI's minimum: the field is whole seconds or minutes, at least 1 s, so 1,000 runs \
             would take about 17 minutes, too long for `make bench`), **Start schedule**, then {runs} \
             runs (change with BENCH_CANARY_RUNS) and **Stop schedule**. The emulator's tokens last \
             {validity} s, so the schedule fetches a new token every few runs (more work than reusing \
             one for an hour). At the start and every {STEP} runs (counted from the panel's \
             \"N runs\" summary): two full garbage collections 0.2 s apart (DevTools `HeapProfiler.collectGarbage`), \
             then `performance.memory.usedJSHeapSize` (exact with `--enable-precise-memory-info`), the \
             wasm memory and the number of DOM elements. The wasm memory is \
             `window.wasmBindings.initSync().memory.buffer.byteLength`: Trunk's loader puts the \
             wasm-bindgen module on `window.wasmBindings`, whose `initSync()` returns the running \
             instance's exports once started (it instantiates nothing again) and they include \
             `memory`; the generated `dist/*.js` reads the same `wasm.memory`. These readings, and the \
             polls of the run count every 0.5 s, go through DevTools `Runtime.evaluate` with \
             `returnByValue`, not WebDriver's execute script: chromedriver leaves every execute result \
             referenced by the page's DevTools session (\"DevTools console\" handles in a heap snapshot, \
             about 350 bytes per call, never released), which grew the measured heap by about 70 KB per \
             100 runs on its own.\n\n\
             What \"flat\" is judged on: the JS heap and the DOM over the last {STEP} runs (the history \
             table shows at most 100 rows, so from run 100 on the page should hold the same); the wasm \
             memory may grow while the history fills (it keeps 1,000 runs), so its target is growth \
             small enough to be that history. Limitations: {runs} runs do not reach the 1,000-run cap, \
             so flatness after the cap is inferred from the code (`HISTORY_CAP`), not observed; the \
             wasm memory is the size of the linear memory, which only ever grows (a high-water mark, \
             not the bytes in use — the allocator's use is not visible from outside); the page is \
             visible and focused (browsers slow timers in hidden tabs).",
            validity = crate::TOKEN_VALIDITY_SECS
        ),
        details,
    })
}

/// "+x MB, +y MB" between consecutive checkpoints.
fn series_delta(points: &[Checkpoint], f: impl Fn(&Checkpoint) -> f64) -> String {
    points
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some(format!("{:+.0} KB", (f(b) - f(a)) / 1024.0)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}
