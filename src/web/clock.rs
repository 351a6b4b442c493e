//! The browser's clocks: wall time for timestamps, the monotonic one for durations.

/// Wall-clock time in unix milliseconds.
pub fn now_unix_ms() -> f64 {
    js_sys::Date::now()
}

/// Wall-clock time in whole unix seconds (what JWT times use).
pub fn now_unix() -> i64 {
    // f64 → i64 saturates in Rust, so no overflow is possible here.
    (now_unix_ms() / 1000.0).floor() as i64
}

/// A monotonic timestamp in ms for measuring how long a request took.
pub fn monotonic_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(now_unix_ms)
}

/// A unix time in the user's own time zone and locale, as the browser formats it.
pub fn local_time(unix: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// A unix time in ms as the user's local time of day to the millisecond ("09:41:03.512"): two
/// runs a moment apart read differently.
pub fn time_of_day_ms(unix_ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds(),
        date.get_milliseconds()
    )
}

/// Ends the current task and resumes in a new one, so the page can paint and take input
/// between two long pieces of work (a big body's assertions, then its rendering).
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
