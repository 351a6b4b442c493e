//! Canary mode: the seed's scheduled canary in the page. Runs are kept in a capped history that
//! can be summarised (success rate, failing streak, a latency sparkline, the tab title) and
//! exported as CSV or JSON. The schedule itself (timers) lives in the browser shell.

use std::collections::VecDeque;
use std::fmt;

use serde::Serialize;

use crate::core::jwt::civil_from_days;
use crate::core::session::{token_need, HeldToken, TokenNeed};

/// Runs kept: a day of one-minute runs is 1440, so this holds the last ~17 hours of the seed's
/// schedule while keeping the page's memory and exports small.
pub const HISTORY_CAP: usize = 1000;
/// The seed canary runs every minute.
pub const DEFAULT_INTERVAL_SECS: u32 = 60;
pub const MIN_INTERVAL_SECS: u32 = 1;
pub const MAX_INTERVAL_SECS: u32 = 24 * 60 * 60;

const APP_NAME: &str = "Cognito API Tester";

/// One scheduled run: the token step (when one was needed), the API call, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunRecord {
    pub started_at_unix_ms: f64,
    /// None when the token was reused.
    pub token_ms: Option<f64>,
    pub token_fetched: bool,
    /// Why a new token was fetched, e.g. "new token: the last one expires in 4 s".
    pub token_note: Option<String>,
    pub api_ms: Option<f64>,
    /// None: no response from the API (or it was never called).
    pub status: Option<u16>,
    /// True only for a PASS.
    pub passed: bool,
    /// The verdict's word: PASS, FAIL, SECURITY FINDING, CANNOT JUDGE, CANCELLED, SKIPPED.
    pub outcome: String,
    pub first_failure: Option<String>,
}

impl RunRecord {
    /// Skipped and cancelled runs judged nothing: they count neither as passed nor as failed.
    pub fn judged(&self) -> bool {
        !matches!(self.outcome.as_str(), "SKIPPED" | "CANCELLED")
    }
}

impl RunRecord {
    /// Token time (when fetched) plus API time; what the sparkline plots.
    pub fn total_ms(&self) -> f64 {
        let part = |ms: Option<f64>| ms.filter(|v| v.is_finite() && *v > 0.0).unwrap_or(0.0);
        part(self.token_ms) + part(self.api_ms)
    }
}

/// The newest [`HISTORY_CAP`] runs, oldest first; pushing past the cap drops the oldest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    runs: VecDeque<RunRecord>,
}

impl History {
    pub fn push(&mut self, record: RunRecord) {
        while self.runs.len() >= HISTORY_CAP {
            self.runs.pop_front();
        }
        self.runs.push_back(record);
    }

    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub fn iter_newest_first(&self) -> impl Iterator<Item = &RunRecord> {
        self.runs.iter().rev()
    }

    /// Every run, oldest first.
    pub fn records(&self) -> Vec<RunRecord> {
        self.runs.iter().cloned().collect()
    }

    /// "199 of 200 passed (99.5%)", or None before any run was judged. The share is cut, never
    /// rounded, to one decimal: rounded, 199 of 200 read "100% passed", which one failure must
    /// never read; and a share above 0 never reads 0.
    pub fn passed_summary(&self) -> Option<String> {
        let judged = self.runs.iter().filter(|r| r.judged()).count();
        if judged == 0 {
            return None;
        }
        let passed = self.runs.iter().filter(|r| r.passed).count();
        // Tenths of a percent, in whole numbers: no float can round 99.95 up.
        let tenths = passed.saturating_mul(1000) / judged;
        let share = if passed > 0 && tenths == 0 {
            "under 0.1%".to_owned()
        } else if tenths % 10 == 0 {
            format!("{}%", tenths / 10)
        } else {
            format!("{}.{}%", tenths / 10, tenths % 10)
        };
        Some(format!("{passed} of {judged} passed ({share})"))
    }

    /// Consecutive failed runs at the newest end (0 when the last run passed).
    pub fn failing_streak(&self) -> usize {
        self.iter_newest_first()
            .filter(|r| r.judged())
            .take_while(|r| !r.passed)
            .count()
    }

    /// The newest run that judged something (skipped and cancelled ticks did not).
    pub fn newest_judged(&self) -> Option<&RunRecord> {
        self.iter_newest_first().find(|r| r.judged())
    }

    /// Consecutive passed runs at the newest end (0 when the last run failed).
    pub fn passing_streak(&self) -> usize {
        self.iter_newest_first()
            .filter(|r| r.judged())
            .take_while(|r| r.passed)
            .count()
    }

    pub fn clear(&mut self) {
        self.runs.clear();
    }

    /// A spreadsheet of the runs, oldest first (RFC 4180: CRLF line ends, quoted fields).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "started_at_utc,passed,outcome,status,token_fetched,token_ms,api_ms,token_note,first_failure\r\n",
        );
        for run in &self.runs {
            let fields = [
                iso_utc_ms(run.started_at_unix_ms),
                run.passed.to_string(),
                run.outcome.clone(),
                run.status.map(|s| s.to_string()).unwrap_or_default(),
                run.token_fetched.to_string(),
                csv_ms(run.token_ms),
                csv_ms(run.api_ms),
                csv_text(run.token_note.as_deref()),
                csv_text(run.first_failure.as_deref()),
            ];
            let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&quoted.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The runs as a pretty JSON array, oldest first: the fields of [`RunRecord`] plus
    /// `started_at_utc` (ISO 8601), with the start time in whole milliseconds and the
    /// latencies to a tenth of a millisecond (the browser's clock gives `49.39999999990687`).
    pub fn to_json(&self) -> String {
        let runs: Vec<JsonRun> = self.runs.iter().map(JsonRun::from).collect();
        // Serialising plain structs cannot fail; non-finite numbers become null.
        serde_json::to_string_pretty(&runs).unwrap_or_else(|_| "[]".to_owned())
    }

    /// SVG polyline `points` of the total latency of the newest `max_points` runs, oldest on the
    /// left, spread over `width`; y is `height` at 0 ms and 0 at the slowest run. Failed runs
    /// are plotted too (a failure is often where latency jumps). "" when there is nothing to draw.
    pub fn sparkline_points(&self, width: f64, height: f64, max_points: usize) -> String {
        if max_points == 0 || !width.is_finite() || !height.is_finite() {
            return String::new();
        }
        let skip = self.runs.len().saturating_sub(max_points);
        let totals: Vec<f64> = self
            .runs
            .iter()
            .skip(skip)
            .map(RunRecord::total_ms)
            .collect();
        let slowest = totals.iter().copied().fold(0.0, f64::max);
        let step = width / totals.len().saturating_sub(1).max(1) as f64;
        let points: Vec<String> = totals
            .iter()
            .enumerate()
            .map(|(i, total)| {
                let y = if slowest > 0.0 {
                    height - total / slowest * height
                } else {
                    height
                };
                format!("{},{}", coordinate(i as f64 * step), coordinate(y))
            })
            .collect();
        points.join(" ")
    }
}

/// At most one decimal, no trailing ".0", never "-0": short and stable for tests and the DOM.
fn coordinate(value: f64) -> String {
    super::numbers::trimmed(value, 1)
}

fn csv_ms(ms: Option<f64>) -> String {
    ms.filter(|v| v.is_finite())
        .map(|v| super::numbers::fixed(v, 1))
        .unwrap_or_default()
}

/// Free text from the run (it can quote the API's body): a leading `=`, `+`, `-`, `@` would make a
/// spreadsheet evaluate it as a formula, so such text gets a leading apostrophe (OWASP's advice).
fn csv_text(text: Option<&str>) -> String {
    match text {
        Some(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Some(t) => t.to_owned(),
        None => String::new(),
    }
}

/// RFC 4180: a field with a comma, quote or line break is quoted, with quotes doubled.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// "2026-11-27T06:05:41.123Z"; "" for a time that is not a number or outside the years 1–9999.
pub fn iso_utc_ms(unix_ms: f64) -> String {
    const FIRST_MS: f64 = -62_135_596_800_000.0;
    const END_MS: f64 = 253_402_300_800_000.0;
    if !(FIRST_MS..END_MS).contains(&unix_ms) {
        return String::new();
    }
    // In range, so the cast is exact enough and cannot saturate.
    let ms = unix_ms.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let ms_of_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms_of_day / 3_600_000,
        ms_of_day % 3_600_000 / 60_000,
        ms_of_day % 60_000 / 1000,
        ms_of_day % 1000
    )
}

/// The tab title, readable from a background tab: "✓ 12 passing — Cognito API Tester" (12
/// passes in a row), "✗ 2 failing — Cognito API Tester" (the failing streak). A stopped
/// schedule says so, so a green tick is not mistaken for a live canary.
pub fn page_title(history: &History, running: bool) -> String {
    // Only skipped or cancelled ticks: nothing passed, so no green tick.
    if history.newest_judged().is_none() {
        return APP_NAME.to_owned();
    }
    let stopped = if running { "" } else { ", stopped" };
    match history.failing_streak() {
        0 => format!(
            "✓ {} passing{stopped} — {APP_NAME}",
            history.passing_streak()
        ),
        failing => format!("✗ {failing} failing{stopped} — {APP_NAME}"),
    }
}

/// The tab title with a security finding in front, so a background tab shows it first.
pub fn with_finding(title: &str, finding: bool) -> String {
    if finding {
        format!("⚠ SECURITY FINDING — {title}")
    } else {
        title.to_owned()
    }
}

/// Whether a scheduled run may reuse the held token.
///
/// The margin is `max(5, min(interval, 60))` seconds before `exp`:
/// - Up to a minute, it equals the interval, so a reused token is still valid when the next run
///   starts: the token never expires between two runs, and a manual "Call API" between runs
///   never meets an expired token. Each token is still used for all but its last interval.
/// - Never under 5 s (the manual buttons' margin): the API call itself takes time, and the
///   token must outlive API Gateway's own `exp` check, not just this decision.
/// - Never over 60 s: beyond a minute, keeping the token valid until the next run would throw
///   away up to an interval of each token's life (a 1-hour token on an hourly schedule would be
///   replaced on every run). A token that lapses between runs is simply replaced at the next.
/// - Never over a quarter of the token's own lifetime (but at least 1 s): a very short-lived
///   token (a 3-second test client) is still reused while it can be, instead of being fetched
///   on every run because its whole life is shorter than the margin.
pub fn schedule_token_need(
    held: Option<&HeldToken>,
    now_unix: i64,
    interval_secs: u32,
) -> TokenNeed {
    token_need(held, now_unix, schedule_reuse_margin(held, interval_secs))
}

/// The reuse margin of [`schedule_token_need`] for this held token.
pub fn schedule_reuse_margin(held: Option<&HeldToken>, interval_secs: u32) -> i64 {
    let margin = schedule_margin_secs(interval_secs);
    match held
        .and_then(|h| h.expires_at().map(|at| at.saturating_sub(h.obtained_at)))
        .filter(|l| *l > 0)
    {
        Some(lifetime) => margin.min((lifetime / 4).max(1)),
        None => margin,
    }
}

/// See [`schedule_token_need`].
pub fn schedule_margin_secs(interval_secs: u32) -> i64 {
    i64::from(interval_secs.clamp(5, 60))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IntervalUnit {
    #[default]
    Seconds,
    Minutes,
}

impl IntervalUnit {
    pub fn label(self) -> &'static str {
        match self {
            IntervalUnit::Seconds => "seconds",
            IntervalUnit::Minutes => "minutes",
        }
    }

    pub fn all() -> [IntervalUnit; 2] {
        [IntervalUnit::Seconds, IntervalUnit::Minutes]
    }

    fn secs(self) -> u32 {
        match self {
            IntervalUnit::Seconds => 1,
            IntervalUnit::Minutes => 60,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntervalError {
    Zero,
    TooLong { value: u32, unit: IntervalUnit },
}

impl fmt::Display for IntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalError::Zero => f.write_str(
                "The interval must be at least 1 second (the seed canary runs every 60 seconds).",
            ),
            IntervalError::TooLong { value, unit } => write!(
                f,
                "The interval can be at most 24 hours (86400 seconds or 1440 minutes); {value} {} is longer.",
                unit.label()
            ),
        }
    }
}

/// The interval in seconds, from 1 s to 24 h.
pub fn interval_secs(value: u32, unit: IntervalUnit) -> Result<u32, IntervalError> {
    let secs = value
        .checked_mul(unit.secs())
        .filter(|s| *s <= MAX_INTERVAL_SECS)
        .ok_or(IntervalError::TooLong { value, unit })?;
    if secs < MIN_INTERVAL_SECS {
        return Err(IntervalError::Zero);
    }
    Ok(secs)
}

#[cfg(test)]
mod tests;

/// One run as the JSON export writes it.
#[derive(Serialize)]
struct JsonRun<'a> {
    started_at_utc: String,
    started_at_unix_ms: Option<i64>,
    token_ms: Option<f64>,
    token_fetched: bool,
    token_note: Option<&'a str>,
    api_ms: Option<f64>,
    status: Option<u16>,
    passed: bool,
    outcome: &'a str,
    first_failure: Option<&'a str>,
}

impl<'a> From<&'a RunRecord> for JsonRun<'a> {
    fn from(run: &'a RunRecord) -> Self {
        let tenths = |ms: Option<f64>| {
            ms.filter(|v| v.is_finite())
                .map(|v| (v * 10.0).round() / 10.0)
        };
        JsonRun {
            started_at_utc: iso_utc_ms(run.started_at_unix_ms),
            started_at_unix_ms: Some(run.started_at_unix_ms)
                .filter(|v| v.is_finite() && v.abs() < 9.0e15)
                .map(|v| v.round() as i64),
            token_ms: tenths(run.token_ms),
            token_fetched: run.token_fetched,
            token_note: run.token_note.as_deref(),
            api_ms: tenths(run.api_ms),
            status: run.status,
            passed: run.passed,
            outcome: &run.outcome,
            first_failure: run.first_failure.as_deref(),
        }
    }
}
