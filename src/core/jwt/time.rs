//! Token times: expiry against a clock the caller passes in, and formatting of unix seconds
//! without a date library (civil-from-days, proleptic Gregorian, UTC).

use serde_json::{Map, Value};

/// Whether the token's `exp` is still ahead of the given clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    NoExpClaim,
    Valid {
        seconds_left: i64,
    },
    /// `exp` equal to now counts as expired (RFC 7519: "on or after").
    Expired {
        seconds_ago: i64,
    },
}

/// A time claim as unix seconds. Fractions are cut and out-of-range floats saturate, so a
/// hostile `exp` of 1e300 still yields an answer instead of an overflow.
pub(super) fn unix_seconds(value: &Value) -> Option<i64> {
    let Value::Number(n) = value else {
        return None;
    };
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    // `as` saturates for floats and u64 beyond i64 (NaN cannot come from JSON).
    n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)
}

/// A valid token never has more left than its lifetime (`exp` − `iat`): a clock a second behind
/// the issuer's (a Date header's precision) would otherwise count down from 1:00:01.
pub fn expiry(claims: &Map<String, Value>, now_unix: i64) -> Expiry {
    let lifetime = |exp: i64| {
        claims
            .get("iat")
            .and_then(unix_seconds)
            .filter(|iat| *iat <= exp)
            .map_or(i64::MAX, |iat| exp.saturating_sub(iat))
    };
    match claims.get("exp").and_then(unix_seconds) {
        None => Expiry::NoExpClaim,
        Some(exp) if exp > now_unix => Expiry::Valid {
            seconds_left: exp.saturating_sub(now_unix).min(lifetime(exp)),
        },
        Some(exp) => Expiry::Expired {
            seconds_ago: now_unix.saturating_sub(exp),
        },
    }
}

/// 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC: the years a four-digit date can show.
const FIRST_SECOND: i64 = -62_135_596_800;
const LAST_SECOND: i64 = 253_402_300_799;

/// "2026-11-27 06:05:41 UTC".
pub fn format_utc(unix: i64) -> String {
    if !(FIRST_SECOND..=LAST_SECOND).contains(&unix) {
        return format!("unix time {unix} (outside the years 1–9999)");
    }
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "in 59 min 12 s", "in 2 h 3 min", "in 3 d 4 h", "5 s ago", "now". Two units at most; the
/// smaller one is rounded to the nearest and dropped when zero.
pub fn format_relative(delta_secs: i64) -> String {
    if delta_secs == 0 {
        return "now".to_owned();
    }
    let span = format_span(delta_secs.unsigned_abs());
    if delta_secs > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

fn format_span(secs: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    if secs < MIN {
        return format!("{secs} s");
    }
    if secs < HOUR {
        return two_units(secs / MIN, "min", secs % MIN, "s");
    }
    if secs < DAY {
        let minutes = secs.saturating_add(MIN / 2) / MIN;
        if minutes < DAY / MIN {
            return two_units(minutes / 60, "h", minutes % 60, "min");
        }
    }
    let hours = secs.saturating_add(HOUR / 2) / HOUR;
    two_units(hours / 24, "d", hours % 24, "h")
}

fn two_units(big: u64, big_unit: &str, small: u64, small_unit: &str) -> String {
    if small == 0 {
        format!("{big} {big_unit}")
    } else {
        format!("{big} {big_unit} {small} {small_unit}")
    }
}

/// A ticking display: "59:12", "1:02:03"; "0:00" once the time is up.
pub fn format_countdown(secs: i64) -> String {
    if secs <= 0 {
        return "0:00".to_owned();
    }
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn utc_known_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(951_782_400 + 86_400), "2000-03-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_759_541), "2026-11-27 06:05:41 UTC");
        assert_eq!(format_utc(4_107_542_400), "2100-03-01 00:00:00 UTC");
        // 2100 is not a leap year.
        assert_eq!(format_utc(4_107_542_400 - 1), "2100-02-28 23:59:59 UTC");
    }

    #[test]
    fn utc_negative_and_limits() {
        assert_eq!(format_utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(format_utc(-86_400), "1969-12-31 00:00:00 UTC");
        assert_eq!(format_utc(-2_208_988_800), "1900-01-01 00:00:00 UTC");
        assert_eq!(format_utc(-11_670_955_200), "1600-02-29 12:00:00 UTC");
        assert_eq!(format_utc(FIRST_SECOND), "0001-01-01 00:00:00 UTC");
        assert_eq!(format_utc(LAST_SECOND), "9999-12-31 23:59:59 UTC");
        assert_eq!(
            format_utc(LAST_SECOND + 1),
            "unix time 253402300800 (outside the years 1–9999)"
        );
        assert!(format_utc(FIRST_SECOND - 1).contains("outside"));
        assert!(format_utc(i64::MAX).contains("outside"));
        assert!(format_utc(i64::MIN).contains("outside"));
    }

    #[test]
    fn utc_every_day_round_trips_month_lengths() {
        // Walk 1999-12-31 .. 2001-01-01 day by day: days increase by one, months stay in range.
        let mut previous = format_utc(946_598_400);
        assert_eq!(previous, "1999-12-31 00:00:00 UTC");
        for day in 1..=367 {
            let text = format_utc(946_598_400 + day * 86_400);
            assert!(text > previous, "{text} after {previous}");
            previous = text;
        }
        assert_eq!(previous, "2001-01-01 00:00:00 UTC");
    }

    #[test]
    fn expiry_states() {
        let c = claims(json!({"exp": 1000}));
        assert_eq!(expiry(&c, 400), Expiry::Valid { seconds_left: 600 });
        assert_eq!(expiry(&c, 1000), Expiry::Expired { seconds_ago: 0 });
        assert_eq!(expiry(&c, 1005), Expiry::Expired { seconds_ago: 5 });
        assert_eq!(expiry(&claims(json!({})), 0), Expiry::NoExpClaim);
        assert_eq!(
            expiry(&claims(json!({"exp": "1000"})), 0),
            Expiry::NoExpClaim
        );
        assert_eq!(expiry(&claims(json!({"exp": null})), 0), Expiry::NoExpClaim);
        assert_eq!(
            expiry(&claims(json!({"exp": 1000.9})), 0),
            Expiry::Valid { seconds_left: 1000 }
        );
    }

    #[test]
    fn a_countdown_never_exceeds_the_lifetime() {
        let c = claims(json!({"iat": 1000, "exp": 4600}));
        // This clock a second behind the issuer's: 3600 left, not 3601.
        assert_eq!(expiry(&c, 999), Expiry::Valid { seconds_left: 3600 });
        assert_eq!(expiry(&c, 1000), Expiry::Valid { seconds_left: 3600 });
        assert_eq!(expiry(&c, 1001), Expiry::Valid { seconds_left: 3599 });
        assert_eq!(expiry(&c, 4600), Expiry::Expired { seconds_ago: 0 });
        // An iat after exp, or not a number, sets no bound.
        let odd = claims(json!({"iat": 5000, "exp": 4600}));
        assert_eq!(expiry(&odd, 0), Expiry::Valid { seconds_left: 4600 });
        let text = claims(json!({"iat": "1000", "exp": 4600}));
        assert_eq!(expiry(&text, 0), Expiry::Valid { seconds_left: 4600 });
    }

    #[test]
    fn expiry_extremes_saturate() {
        assert_eq!(
            expiry(&claims(json!({"exp": 1e300})), -10),
            Expiry::Valid {
                seconds_left: i64::MAX
            }
        );
        assert_eq!(
            expiry(&claims(json!({"exp": u64::MAX})), 0),
            Expiry::Valid {
                seconds_left: i64::MAX
            }
        );
        assert_eq!(
            expiry(&claims(json!({"exp": i64::MIN})), i64::MAX),
            Expiry::Expired {
                seconds_ago: i64::MAX
            }
        );
    }

    #[test]
    fn unix_seconds_reads_numbers_only() {
        assert_eq!(unix_seconds(&json!(5)), Some(5));
        assert_eq!(unix_seconds(&json!(-5)), Some(-5));
        assert_eq!(unix_seconds(&json!(-1e300)), Some(i64::MIN));
        assert_eq!(unix_seconds(&json!("5")), None);
        assert_eq!(unix_seconds(&json!([5])), None);
    }

    #[test]
    fn relative_seconds_and_minutes() {
        assert_eq!(format_relative(0), "now");
        assert_eq!(format_relative(1), "in 1 s");
        assert_eq!(format_relative(-5), "5 s ago");
        assert_eq!(format_relative(59), "in 59 s");
        assert_eq!(format_relative(60), "in 1 min");
        assert_eq!(format_relative(3552), "in 59 min 12 s");
        assert_eq!(format_relative(-3599), "59 min 59 s ago");
    }

    #[test]
    fn relative_hours_round_to_minutes() {
        assert_eq!(format_relative(3600), "in 1 h");
        assert_eq!(format_relative(2 * 3600 + 3 * 60), "in 2 h 3 min");
        assert_eq!(format_relative(2 * 3600 + 3 * 60 + 29), "in 2 h 3 min");
        assert_eq!(format_relative(2 * 3600 + 3 * 60 + 30), "in 2 h 4 min");
        // Rounding carries into the next hour, and into days.
        assert_eq!(format_relative(3 * 3600 - 1), "in 3 h");
        assert_eq!(format_relative(86_399), "in 1 d");
        assert_eq!(format_relative(-(5 * 3600 + 30 * 60)), "5 h 30 min ago");
    }

    #[test]
    fn relative_days_round_to_hours() {
        assert_eq!(format_relative(86_400), "in 1 d");
        assert_eq!(format_relative(3 * 86_400 + 4 * 3600), "in 3 d 4 h");
        assert_eq!(format_relative(3 * 86_400 + 4 * 3600 + 1799), "in 3 d 4 h");
        assert_eq!(format_relative(3 * 86_400 + 4 * 3600 + 1800), "in 3 d 5 h");
        assert_eq!(format_relative(2 * 86_400 - 1), "in 2 d");
        assert_eq!(format_relative(-400 * 86_400), "400 d ago");
        // Extremes do not overflow.
        assert!(format_relative(i64::MAX).starts_with("in "));
        assert!(format_relative(i64::MIN).ends_with(" ago"));
    }

    #[test]
    fn countdown() {
        assert_eq!(format_countdown(0), "0:00");
        assert_eq!(format_countdown(-30), "0:00");
        assert_eq!(format_countdown(7), "0:07");
        assert_eq!(format_countdown(3552), "59:12");
        assert_eq!(format_countdown(3600), "1:00:00");
        assert_eq!(format_countdown(3723), "1:02:03");
        assert_eq!(format_countdown(90_000), "25:00:00");
        assert!(format_countdown(i64::MAX).contains(':'));
    }
}
