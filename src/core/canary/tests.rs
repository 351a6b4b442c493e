use super::*;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// 2026-11-27T06:05:41.123Z
const T0: f64 = 1_795_759_541_123.0;

fn run(i: usize, passed: bool) -> RunRecord {
    RunRecord {
        started_at_unix_ms: T0 + i as f64 * 60_000.0,
        token_ms: None,
        token_fetched: false,
        token_note: None,
        api_ms: Some(100.0 + i as f64),
        status: Some(if passed { 200 } else { 401 }),
        passed,
        outcome: if passed { "PASS" } else { "FAIL" }.to_owned(),
        first_failure: (!passed).then(|| "status is 200 (actual 401)".to_owned()),
    }
}

fn history(passes: &[bool]) -> History {
    let mut h = History::default();
    for (i, passed) in passes.iter().enumerate() {
        h.push(run(i, *passed));
    }
    h
}

#[test]
fn caps_at_one_thousand_dropping_the_oldest() {
    let mut h = History::default();
    assert!(h.is_empty());
    for i in 0..1005 {
        h.push(run(i, true));
    }
    assert_eq!(h.len(), HISTORY_CAP);
    assert_eq!(HISTORY_CAP, 1000);
    let records = h.records();
    assert_eq!(records.len(), 1000);
    assert_eq!(records[0], run(5, true), "the five oldest are gone");
    assert_eq!(records[999], run(1004, true));
    assert_eq!(h.iter_newest_first().next(), Some(&run(1004, true)));
    assert_eq!(h.iter_newest_first().last(), Some(&run(5, true)));
    h.clear();
    assert!(h.is_empty());
    assert_eq!(h.len(), 0);
}

#[test]
fn newest_first_and_records_oldest_first() {
    let h = history(&[true, false, true]);
    let newest: Vec<f64> = h
        .iter_newest_first()
        .map(|r| r.started_at_unix_ms)
        .collect();
    assert_eq!(newest, vec![T0 + 120_000.0, T0 + 60_000.0, T0]);
    let oldest: Vec<f64> = h.records().iter().map(|r| r.started_at_unix_ms).collect();
    assert_eq!(oldest, vec![T0, T0 + 60_000.0, T0 + 120_000.0]);
}

#[test]
fn passed_share_and_streaks() {
    assert_eq!(History::default().passed_summary(), None);
    assert_eq!(History::default().failing_streak(), 0);
    assert_eq!(History::default().passing_streak(), 0);
    let h = history(&[true, true, false, true]);
    assert_eq!(h.passed_summary().as_deref(), Some("3 of 4 passed (75%)"));
    assert_eq!(h.failing_streak(), 0);
    assert_eq!(h.passing_streak(), 1);
    let h = history(&[true, false, true, false, false]);
    assert_eq!(h.passed_summary().as_deref(), Some("2 of 5 passed (40%)"));
    assert_eq!(h.failing_streak(), 2);
    assert_eq!(h.passing_streak(), 0);
    let h = history(&[false, false]);
    assert_eq!(h.passed_summary().as_deref(), Some("0 of 2 passed (0%)"));
    assert_eq!(h.failing_streak(), 2);
    let h = history(&[true; 12]);
    assert_eq!(
        h.passed_summary().as_deref(),
        Some("12 of 12 passed (100%)")
    );
    assert_eq!(h.passing_streak(), 12);
}

/// Rounded to a whole percent, 199 passes and a failure read "100% passed" on the page and in the
/// command line's summary.
#[test]
fn the_passed_summary_never_rounds_a_failure_away() {
    assert_eq!(History::default().passed_summary(), None);
    let mut runs = vec![true; 199];
    runs.push(false);
    assert_eq!(
        history(&runs).passed_summary().as_deref(),
        Some("199 of 200 passed (99.5%)")
    );
    // The history keeps the newest 1000.
    let mut runs = vec![true; 999];
    runs.push(false);
    assert_eq!(
        history(&runs).passed_summary().as_deref(),
        Some("999 of 1000 passed (99.9%)")
    );
    let mut runs = vec![false; 999];
    runs.push(true);
    assert_eq!(
        history(&runs).passed_summary().as_deref(),
        Some("1 of 1000 passed (0.1%)")
    );
    assert_eq!(
        history(&[true, true, false, true])
            .passed_summary()
            .as_deref(),
        Some("3 of 4 passed (75%)")
    );
    assert_eq!(
        history(&[true; 3]).passed_summary().as_deref(),
        Some("3 of 3 passed (100%)")
    );
}

#[test]
fn titles() {
    assert_eq!(page_title(&History::default(), true), "Cognito API Tester");
    assert_eq!(page_title(&History::default(), false), "Cognito API Tester");
    let mut passing = vec![false];
    passing.extend([true; 12]);
    assert_eq!(
        page_title(&history(&passing), true),
        "✓ 12 passing — Cognito API Tester"
    );
    assert_eq!(
        page_title(&history(&[true, false, false]), true),
        "✗ 2 failing — Cognito API Tester"
    );
    assert_eq!(
        page_title(&history(&[true, false, false]), false),
        "✗ 2 failing, stopped — Cognito API Tester"
    );
    assert_eq!(
        page_title(&history(&[true]), false),
        "✓ 1 passing, stopped — Cognito API Tester"
    );

    // Only skipped or cancelled ticks judged nothing: no "✓ 0 passing".
    let outcome = |i: usize, outcome: &str| RunRecord {
        outcome: outcome.to_owned(),
        passed: false,
        ..run(i, false)
    };
    let mut skipped = History::default();
    skipped.push(outcome(0, "SKIPPED"));
    skipped.push(outcome(1, "CANCELLED"));
    assert_eq!(page_title(&skipped, true), "Cognito API Tester");
    assert!(skipped.newest_judged().is_none());
    // A skipped tick after a finding does not hide it (the page's title reads newest_judged).
    let mut finding = History::default();
    finding.push(outcome(0, "SECURITY FINDING"));
    finding.push(outcome(1, "SKIPPED"));
    assert_eq!(
        finding.newest_judged().map(|r| r.outcome.as_str()),
        Some("SECURITY FINDING")
    );
}

#[test]
fn iso_times() {
    assert_eq!(iso_utc_ms(T0), "2026-11-27T06:05:41.123Z");
    assert_eq!(iso_utc_ms(0.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_utc_ms(0.9), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_utc_ms(-1.0), "1969-12-31T23:59:59.999Z");
    assert_eq!(iso_utc_ms(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
    assert_eq!(
        iso_utc_ms(253_402_300_799_999.0),
        "9999-12-31T23:59:59.999Z"
    );
    assert_eq!(iso_utc_ms(253_402_300_800_000.0), "");
    assert_eq!(iso_utc_ms(f64::NAN), "");
    assert_eq!(iso_utc_ms(f64::INFINITY), "");
}

#[test]
fn csv_header_rows_and_quoting() {
    let mut h = History::default();
    h.push(RunRecord {
        started_at_unix_ms: T0,
        token_ms: Some(412.25),
        token_fetched: true,
        token_note: Some("new token: the last one expires in 4 s".into()),
        api_ms: Some(183.0),
        status: Some(200),
        passed: true,
        outcome: "PASS".to_owned(),
        first_failure: None,
    });
    h.push(RunRecord {
        started_at_unix_ms: T0 + 60_000.0,
        token_ms: None,
        token_fetched: false,
        token_note: None,
        api_ms: Some(f64::NAN),
        status: Some(200),
        passed: false,
        outcome: "FAIL".to_owned(),
        first_failure: Some("/0/type is \"dog\" (actual \"cat\"), line\nbreak".into()),
    });
    h.push(RunRecord {
        started_at_unix_ms: T0 + 120_000.0,
        token_ms: None,
        token_fetched: false,
        token_note: None,
        api_ms: None,
        status: None,
        passed: false,
        outcome: "FAIL".to_owned(),
        first_failure: Some("=HYPERLINK(\"x\")".into()),
    });
    assert_eq!(
        h.to_csv(),
        "started_at_utc,passed,outcome,status,token_fetched,token_ms,api_ms,token_note,first_failure\r\n\
         2026-11-27T06:05:41.123Z,true,PASS,200,true,412.3,183.0,new token: the last one expires in 4 s,\r\n\
         2026-11-27T06:06:41.123Z,false,FAIL,200,false,,,,\"/0/type is \"\"dog\"\" (actual \"\"cat\"\"), line\nbreak\"\r\n\
         2026-11-27T06:07:41.123Z,false,FAIL,,false,,,,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
    );
    assert_eq!(
        History::default().to_csv(),
        "started_at_utc,passed,outcome,status,token_fetched,token_ms,api_ms,token_note,first_failure\r\n"
    );
    assert_eq!(csv_field("plain"), "plain");
    assert_eq!(csv_field("a,b"), "\"a,b\"");
    assert_eq!(csv_field("cr\rlf"), "\"cr\rlf\"");
    assert_eq!(csv_field("Zoë 🐟"), "Zoë 🐟");
}

#[test]
fn json_shape() {
    let mut h = history(&[true, false]);
    h.push(RunRecord {
        token_ms: Some(f64::NAN),
        ..run(2, true)
    });
    let json: serde_json::Value = serde_json::from_str(&h.to_json()).unwrap();
    let runs = json.as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(
        runs[1],
        serde_json::json!({
            "started_at_utc": iso_utc_ms(T0 + 60_000.0),
            "started_at_unix_ms": (T0 + 60_000.0) as i64,
            "token_ms": null,
            "token_fetched": false,
            "token_note": null,
            "api_ms": 101.0,
            "status": 401,
            "passed": false,
            "outcome": "FAIL",
            "first_failure": "status is 200 (actual 401)"
        })
    );
    assert_eq!(runs[2]["token_ms"], serde_json::Value::Null);
    assert!(h.to_json().starts_with("[\n  {\n    \"started_at_utc\""));
    assert_eq!(History::default().to_json(), "[]");
}

#[test]
fn json_export_has_no_float_noise_and_an_iso_time() {
    let mut h = History::default();
    h.push(RunRecord {
        started_at_unix_ms: 1_700_000_000_123.4,
        token_ms: Some(49.39999999990687),
        api_ms: Some(120.05000000004657),
        ..run(0, true)
    });
    let json: serde_json::Value = serde_json::from_str(&h.to_json()).unwrap();
    assert_eq!(json[0]["started_at_utc"], "2023-11-14T22:13:20.123Z");
    assert_eq!(json[0]["started_at_unix_ms"], 1_700_000_000_123i64);
    assert_eq!(json[0]["token_ms"], 49.4);
    assert_eq!(json[0]["api_ms"], 120.1);
    assert!(!h.to_json().contains("9999"), "{}", h.to_json());
}

fn timed(token_ms: Option<f64>, api_ms: Option<f64>, passed: bool) -> RunRecord {
    RunRecord {
        token_ms,
        token_fetched: token_ms.is_some(),
        api_ms,
        ..run(0, passed)
    }
}

#[test]
fn sparkline_scales_to_the_slowest_run() {
    let mut h = History::default();
    assert_eq!(h.sparkline_points(100.0, 40.0, 10), "");
    h.push(timed(Some(300.0), Some(100.0), true)); // 400: the slowest
    h.push(timed(None, Some(100.0), true)); // 100
    h.push(timed(None, None, false)); // failed, no answer: 0
    h.push(timed(Some(100.0), Some(100.0), false)); // failed, still plotted: 200
    h.push(timed(None, Some(300.0), true)); // 300
    assert_eq!(
        h.sparkline_points(100.0, 40.0, 10),
        "0,0 25,30 50,40 75,20 100,10"
    );
    // The newest three only, oldest on the left, rescaled to their own maximum.
    assert_eq!(h.sparkline_points(90.0, 30.0, 3), "0,30 45,10 90,0");
    assert_eq!(h.sparkline_points(100.0, 40.0, 0), "");
    assert_eq!(h.sparkline_points(f64::NAN, 40.0, 5), "");
}

#[test]
fn sparkline_edge_cases() {
    let mut h = History::default();
    h.push(timed(None, Some(50.0), true));
    assert_eq!(h.sparkline_points(240.0, 40.0, 100), "0,0");
    let mut flat = History::default();
    flat.push(timed(None, None, false));
    flat.push(timed(None, Some(f64::NAN), false));
    flat.push(timed(Some(-3.0), Some(0.0), false));
    assert_eq!(flat.sparkline_points(10.0, 5.0, 100), "0,5 5,5 10,5");
    let mut thirds = History::default();
    for ms in [30.0, 10.0, 20.0, 0.0] {
        thirds.push(timed(None, Some(ms), true));
    }
    assert_eq!(
        thirds.sparkline_points(10.0, 10.0, 4),
        "0,0 3.3,6.7 6.7,3.3 10,10"
    );
}

#[test]
fn total_latency() {
    assert_eq!(timed(Some(10.5), Some(20.0), true).total_ms(), 30.5);
    assert_eq!(timed(None, None, true).total_ms(), 0.0);
    assert_eq!(timed(Some(f64::INFINITY), Some(5.0), true).total_ms(), 5.0);
}

#[test]
fn intervals() {
    assert_eq!(DEFAULT_INTERVAL_SECS, 60);
    assert_eq!(interval_secs(60, IntervalUnit::Seconds), Ok(60));
    assert_eq!(interval_secs(1, IntervalUnit::Seconds), Ok(1));
    assert_eq!(interval_secs(1, IntervalUnit::Minutes), Ok(60));
    assert_eq!(interval_secs(86_400, IntervalUnit::Seconds), Ok(86_400));
    assert_eq!(interval_secs(1440, IntervalUnit::Minutes), Ok(86_400));
    assert_eq!(
        interval_secs(0, IntervalUnit::Seconds),
        Err(IntervalError::Zero)
    );
    assert_eq!(
        interval_secs(0, IntervalUnit::Minutes),
        Err(IntervalError::Zero)
    );
    assert_eq!(
        interval_secs(86_401, IntervalUnit::Seconds),
        Err(IntervalError::TooLong {
            value: 86_401,
            unit: IntervalUnit::Seconds
        })
    );
    assert_eq!(
        interval_secs(1441, IntervalUnit::Minutes),
        Err(IntervalError::TooLong {
            value: 1441,
            unit: IntervalUnit::Minutes
        })
    );
    // Would overflow u32 when multiplied.
    assert!(interval_secs(u32::MAX, IntervalUnit::Minutes).is_err());
    assert!(IntervalError::Zero
        .to_string()
        .contains("at least 1 second"));
    assert_eq!(
        IntervalError::TooLong {
            value: 2000,
            unit: IntervalUnit::Minutes
        }
        .to_string(),
        "The interval can be at most 24 hours (86400 seconds or 1440 minutes); 2000 minutes is longer."
    );
    assert_eq!(IntervalUnit::default(), IntervalUnit::Seconds);
    assert_eq!(
        IntervalUnit::all().map(IntervalUnit::label),
        ["seconds", "minutes"]
    );
}

fn held(exp: i64) -> HeldToken {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp}}}"#));
    HeldToken::new(format!("{header}.{payload}.c2ln"), Some(3600), exp - 3600)
}

#[test]
fn schedule_margin() {
    assert_eq!(schedule_margin_secs(0), 5);
    assert_eq!(schedule_margin_secs(1), 5);
    assert_eq!(schedule_margin_secs(5), 5);
    assert_eq!(schedule_margin_secs(30), 30);
    assert_eq!(schedule_margin_secs(60), 60);
    assert_eq!(schedule_margin_secs(3600), 60);
    assert_eq!(schedule_margin_secs(u32::MAX), 60);
}

#[test]
fn short_lived_tokens_are_still_reused() {
    // A 3-second token (exp 103, obtained at 100) on a 1-second schedule: margin 1 s.
    let token = crate::core::session::HeldToken {
        access_token: "t".into(),
        key: crate::core::run::TokenKey::Pasted,
        exp: Some(103),
        obtained_at: 100,
        expires_in: Some(3),
    };
    assert_eq!(
        schedule_token_need(Some(&token), 101, 1),
        TokenNeed::Reuse { seconds_left: 2 }
    );
    assert_eq!(
        schedule_token_need(Some(&token), 102, 1),
        TokenNeed::Refetch { expires_at: 103 }
    );
}

#[test]
fn schedule_reuses_until_the_margin() {
    let token = held(10_000);
    assert_eq!(schedule_token_need(None, 0, 60), TokenNeed::Fetch);
    // Every minute: reused while it outlives the next run.
    assert_eq!(
        schedule_token_need(Some(&token), 9_939, 60),
        TokenNeed::Reuse { seconds_left: 61 }
    );
    assert_eq!(
        schedule_token_need(Some(&token), 9_940, 60),
        TokenNeed::Refetch { expires_at: 10_000 }
    );
    // Every second: the 5-second floor.
    assert_eq!(
        schedule_token_need(Some(&token), 9_994, 1),
        TokenNeed::Reuse { seconds_left: 6 }
    );
    assert_eq!(
        schedule_token_need(Some(&token), 9_995, 1),
        TokenNeed::Refetch { expires_at: 10_000 }
    );
    // Every hour: capped at a minute.
    assert_eq!(
        schedule_token_need(Some(&token), 9_939, 3600),
        TokenNeed::Reuse { seconds_left: 61 }
    );
    assert_eq!(
        schedule_token_need(Some(&token), 20_000, 3600),
        TokenNeed::Refetch { expires_at: 10_000 }
    );
}

#[test]
fn a_security_finding_leads_the_title() {
    assert_eq!(
        with_finding("Cognito API Tester", true),
        "⚠ SECURITY FINDING — Cognito API Tester"
    );
    assert_eq!(
        with_finding("✓ 3 passing — Cognito API Tester", false),
        "✓ 3 passing — Cognito API Tester"
    );
}
