//! The wall clock: the only place the command line reads it (the core takes time as an argument).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_unix_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

pub fn now_unix() -> i64 {
    (now_unix_ms() / 1000.0) as i64
}
