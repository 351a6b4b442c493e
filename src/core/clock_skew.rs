//! The server's clock against this computer's: read from the `Date` response
//! header (when the page may read it), so a token "issued in the future" can be
//! told apart from a wrong local clock.

use crate::core::exchange::{header, Exchange};
use crate::core::jwt::format_relative;

/// Server clock minus this computer's, from an exchange whose `Date` header the page
/// could read. The server stamped its Date somewhere during the request, so compare
/// it with the request's midpoint; whole seconds are all a Date header has anyway.
/// A cached answer (a CDN in front of the API) keeps its origin's Date and says how long it
/// was kept in `Age` (RFC 9111 §5.1): the two added give the cache's clock. Without that, an
/// hour-old copy made an expired token read as valid by "the server's clock".
pub fn skew_from_exchange(exchange: &Exchange) -> Option<i64> {
    let response = exchange.response.as_ref()?;
    let date = parse_http_date(header(&response.headers, "date")?)?;
    let age = match header(&response.headers, "age") {
        None => 0,
        Some(age) => age.trim().parse::<u32>().ok()?,
    };
    let server = date.saturating_add(i64::from(age));
    let midpoint_ms = exchange.started_at_unix_ms + exchange.elapsed_ms / 2.0;
    if !midpoint_ms.is_finite() {
        return None;
    }
    // Saturating float → int conversion, then a saturating difference: no overflow possible.
    Some(server.saturating_sub((midpoint_ms / 1000.0).round() as i64))
}

/// The server's time now, for judging a token's `exp` as AWS does: this computer's clock moved
/// by the skew a Date header showed, when it is more than the header's precision (±2 s).
pub fn server_now(local_now: i64, server_minus_local_secs: Option<i64>) -> i64 {
    match server_minus_local_secs {
        Some(skew) if !(-2..=2).contains(&skew) => local_now.saturating_add(skew),
        _ => local_now,
    }
}

/// Parses an IMF-fixdate (`Fri, 27 Nov 2026 06:41:25 GMT`, RFC 9110 §5.6.7) to unix seconds.
/// The obsolete forms are not accepted: every server this tool meets sends this one.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || parts.next().is_some() || hms.next().is_some() {
        return None;
    }
    // IMF-fixdate years have four digits; larger ones would overflow the day count.
    if !(0..=9999).contains(&year)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..61).contains(&s)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// "the server's clock is 3 min ahead of this computer's" (or behind, or in step).
pub fn describe_skew(server_minus_local_secs: i64) -> String {
    match server_minus_local_secs {
        -2..=2 => "the server's clock and this computer's agree".to_string(),
        s if s > 0 => format!(
            "the server's clock is {} ahead of this computer's",
            format_relative(s).trim_start_matches("in ")
        ),
        s => format!(
            "the server's clock is {} behind this computer's",
            format_relative(s.saturating_neg()).trim_start_matches("in ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imf_fixdate() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Fri, 27 Nov 2026 06:41:25 GMT"),
            Some(1_795_761_685)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 12:00:00 GMT"),
            Some(951_825_600)
        );
    }

    #[test]
    fn other_forms_are_refused() {
        for bad in [
            "",
            "Friday, 27-Nov-26 06:41:25 GMT",
            "Fri Nov 27 06:41:25 2026",
            "Fri, 27 Nov 2026 06:41:25 UTC",
            "Fri, 27 Foo 2026 06:41:25 GMT",
            "Fri, 32 Nov 2026 06:41:25 GMT",
            "Fri, 27 Nov 2026 24:00:00 GMT",
            "Fri, 27 Nov 2026 06:41 GMT",
            "Fri, 27 Nov 2026 06:41:25:00 GMT",
            "Fri, 27 Nov 2026 06:41:25 GMT extra",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn skew_from_a_readable_date_header() {
        let exchange = |date: Option<&str>| exchange_with(date, None);
        // Midpoint 1_795_761_501; the server says 06:41:25 = 1_795_761_685: 184 s ahead.
        assert_eq!(
            skew_from_exchange(&exchange(Some("Fri, 27 Nov 2026 06:41:25 GMT"))),
            Some(184)
        );
        assert_eq!(skew_from_exchange(&exchange(None)), None);
        assert_eq!(skew_from_exchange(&exchange(Some("yesterday"))), None);
    }

    /// A CDN's cached copy keeps its origin's Date: an hour-old one read as the server's clock
    /// an hour behind, and a token expired 30 minutes ago passed Expiry. Its Age is added.
    #[test]
    fn a_cached_answer_s_age_is_added_to_its_date() {
        let date = Some("Fri, 27 Nov 2026 05:41:25 GMT"); // 1_795_758_085: 3,416 s behind
        assert_eq!(skew_from_exchange(&exchange_with(date, None)), Some(-3416));
        assert_eq!(
            skew_from_exchange(&exchange_with(date, Some("3600"))),
            Some(184)
        );
        // An Age that is no count of seconds leaves the clock unknown rather than wrong.
        assert_eq!(skew_from_exchange(&exchange_with(date, Some("-5"))), None);
        assert_eq!(skew_from_exchange(&exchange_with(date, Some("soon"))), None);
    }

    fn exchange_with(date: Option<&str>, age: Option<&str>) -> Exchange {
        use crate::core::exchange::{RecordedRequest, RecordedResponse};
        let mut headers: Vec<(String, String)> = Vec::new();
        headers.extend(date.map(|d| ("date".to_string(), d.to_string())));
        headers.extend(age.map(|a| ("age".to_string(), a.to_string())));
        Exchange {
            request: RecordedRequest {
                method: "GET".into(),
                url: "https://x/".into(),
                headers: vec![],
                body: None,
            },
            response: Some(RecordedResponse {
                status: 200,
                status_text: "OK".into(),
                headers,
                body: String::new(),
                size_bytes: 0,
                body_was_utf8: true,
            }),
            elapsed_ms: 2000.0,
            started_at_unix_ms: 1_795_761_500_000.0,
        }
    }

    /// A token's exp is AWS's time: Run's reuse, the countdown and the Expiry check compare it
    /// with the server's clock once a Date header showed this one more than 2 s off.
    #[test]
    fn the_servers_time_now() {
        assert_eq!(server_now(1_000, None), 1_000);
        assert_eq!(server_now(1_000, Some(2)), 1_000);
        assert_eq!(server_now(1_000, Some(-2)), 1_000);
        assert_eq!(server_now(1_000, Some(600)), 1_600);
        assert_eq!(server_now(1_000, Some(-600)), 400);
        assert_eq!(server_now(i64::MAX, Some(600)), i64::MAX);
    }

    #[test]
    fn skew_in_words() {
        assert!(describe_skew(0).contains("agree"));
        assert!(describe_skew(2).contains("agree"));
        assert_eq!(
            describe_skew(180),
            "the server's clock is 3 min ahead of this computer's"
        );
        assert_eq!(
            describe_skew(-45),
            "the server's clock is 45 s behind this computer's"
        );
    }
}
