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
    // By hand, not format!'s zero padding: that machinery costs more than this page needs.
    let mut out = String::with_capacity(12);
    for (value, digits, sep) in [
        (date.get_hours(), 2_usize, ""),
        (date.get_minutes(), 2, ":"),
        (date.get_seconds(), 2, ":"),
        (date.get_milliseconds(), 3, "."),
    ] {
        out.push_str(sep);
        let text = value.to_string();
        out.extend(std::iter::repeat_n('0', digits.saturating_sub(text.len())));
        out.push_str(&text);
    }
    out
}

/// Ends the current task and resumes in a new one, so the page can paint and take input
/// between two long pieces of work (a big body's assertions, then its rendering).
pub async fn next_task() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
