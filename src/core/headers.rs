//! The Extra headers field: `Name: value` lines, checked the way the browser's Fetch standard
//! will check them (so a bad value is a message here, not an exception in the middle of a run),
//! and which of them carry credentials.

/// Header names that are credentials whatever their value.
const CREDENTIAL_NAMES: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "x-amz-security-token",
];

/// Words that make a header name a credential (`X-Session-Id`, `X-Auth-Key`, `Api-Token`).
const CREDENTIAL_WORDS: [&str; 6] = ["token", "key", "secret", "auth", "password", "session"];

/// True for a header whose value is a credential: the names above, or one the user ticked as
/// secret (`ticked` holds names, any case).
pub fn is_secret_header(name: &str, ticked: &[String]) -> bool {
    is_credential_name(name)
        || ticked
            .iter()
            .any(|t| t.trim().eq_ignore_ascii_case(name.trim()))
}

/// A name that is a credential by itself (the user cannot untick these).
pub fn is_credential_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    CREDENTIAL_NAMES.contains(&lower.as_str()) || CREDENTIAL_WORDS.iter().any(|w| lower.contains(w))
}

/// Reads the field: one `Name: value` a line, blank lines skipped. The first bad line is the
/// error, with its number and what to do.
pub fn parse_extra_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line_no = number + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("Line {line_no}: write each header as Name: value."));
        };
        let name = name.trim();
        // The text before the colon is not quoted back: a line missing its colon may hold a
        // credential there (`X-Api-Key abc:def`).
        if name.is_empty() || !name.chars().all(is_token_char) {
            return Err(format!(
                "Line {line_no}: the text before the first colon is not a header name (letters, digits and - only, no spaces)."
            ));
        }
        if name.eq_ignore_ascii_case("authorization") {
            return Err(format!(
                "Line {line_no}: Authorization is the run's own header (Bearer and the token it got); another one would replace the token without saying so. Remove the line: to try another token, paste it under Paste a token."
            ));
        }
        if is_forbidden_name(name) {
            return Err(format!(
                "Line {line_no}: browsers do not let a page set {name} (a forbidden header name in the Fetch standard): it would be dropped silently, so the API would not get what the run shows. Remove the line."
            ));
        }
        if headers
            .iter()
            .any(|(seen, _): &(String, String)| seen.eq_ignore_ascii_case(name))
        {
            return Err(format!(
                "Line {line_no}: {name} is given twice; send one line per header (HTTP would join the values into one)."
            ));
        }
        let value = value.trim();
        check_value(value).map_err(|why| format!("Line {line_no}: the value of {name} {why}"))?;
        headers.push((name.to_string(), value.to_string()));
    }
    Ok(headers)
}

/// The Fetch standard's rule for a header value: bytes (characters up to U+00FF), without NUL,
/// CR or LF. The browser throws on anything else; we say so before sending.
fn check_value(value: &str) -> Result<(), String> {
    if let Some(c) = value.chars().find(|c| matches!(c, '\0' | '\r' | '\n')) {
        let shown = match c {
            '\0' => "a NUL character",
            '\r' => "a carriage return",
            _ => "a line break",
        };
        return Err(format!(
            "holds {shown}, which a header cannot carry. Remove it."
        ));
    }
    if let Some(c) = value.chars().find(|c| u32::from(*c) > 0xFF) {
        return Err(format!(
            "holds '{c}', which HTTP headers cannot carry (browsers send only Latin-1 characters). Percent-encode the value or remove that character."
        ));
    }
    Ok(())
}

/// The Fetch standard's forbidden request-header names: a page's fetch() drops them without an
/// error (https://fetch.spec.whatwg.org/#forbidden-request-header).
fn is_forbidden_name(name: &str) -> bool {
    const NAMES: [&str; 21] = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str()) || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

/// RFC 9110 token characters, the ones a header name may use.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The field without its secret lines: what profiles, share links and reports may keep. A line
/// that is no `Name: value` goes too: it is never sent (a run refuses it), and a credential typed
/// without its colon (`X-Api-Key abc123`, `X-Tenant-Secret=s3cr3t`) has no name to judge it by.
pub fn without_secret_headers(extra_headers: &str, ticked: &[String]) -> String {
    extra_headers
        .lines()
        .filter(|line| is_kept_line(line, ticked))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether [`without_secret_headers`] keeps this line: blank, or a `Name: value` whose name is
/// no credential's.
pub fn is_kept_line(line: &str, ticked: &[String]) -> bool {
    line.trim().is_empty()
        || line.split_once(':').is_some_and(|(name, _)| {
            let name = name.trim();
            !name.is_empty() && name.chars().all(is_token_char) && !is_secret_header(name, ticked)
        })
}

/// The values of the field's secret lines (as [`without_secret_headers`] leaves out).
pub fn secret_header_values(extra_headers: &str, ticked: &[String]) -> Vec<String> {
    extra_headers
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| is_secret_header(name, ticked))
        .map(|(_, value)| value.trim().to_owned())
        .collect()
}

/// Names of the secret lines [`without_secret_headers`] leaves out, so the page can say what
/// to re-enter.
pub fn withheld_headers(extra_headers: &str, ticked: &[String]) -> Vec<String> {
    extra_headers
        .lines()
        .filter_map(|line| line.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| is_secret_header(name, ticked))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_name_and_value() {
        assert_eq!(
            parse_extra_headers("X-Trace: 1\n\n  Accept : application/json  \nX-Empty:").unwrap(),
            vec![
                ("X-Trace".into(), "1".into()),
                ("Accept".into(), "application/json".into()),
                ("X-Empty".into(), String::new())
            ]
        );
        assert!(parse_extra_headers("no colon")
            .unwrap_err()
            .contains("Line 1"));
        assert!(parse_extra_headers("ok: 1\nbad name: 2")
            .unwrap_err()
            .contains("Line 2"));
        assert!(parse_extra_headers(": value").is_err());
    }

    /// `X-Note: naive €5` passed validation, then the browser threw inside the run and the page
    /// hung. The Fetch rule is checked here now.
    #[test]
    fn values_the_browser_would_refuse_are_errors() {
        let err = parse_extra_headers("X-Note: naive €5").unwrap_err();
        assert!(
            err.contains("Line 1") && err.contains('€') && err.contains("Latin-1"),
            "{err}"
        );
        assert!(parse_extra_headers("X-A: a\rb")
            .unwrap_err()
            .contains("carriage return"));
        assert!(parse_extra_headers("X-A: a\0b")
            .unwrap_err()
            .contains("NUL"));
        // Latin-1 is fine: the browser sends it as one byte each.
        assert!(parse_extra_headers("X-Name: café ÿ").is_ok());
    }

    #[test]
    fn credential_headers_by_name_word_or_tick() {
        for name in [
            "Authorization",
            "cookie",
            "X-Api-Key",
            "X-Session-Id",
            "X-Auth-User",
            "Api-Token",
            "X-Client-Secret",
            "X-Password",
            "x-amz-security-token",
        ] {
            assert!(is_credential_name(name), "{name}");
        }
        assert!(!is_credential_name("X-Trace"));
        assert!(is_secret_header("X-Trace", &["x-trace".into()]));
        let text = "X-Trace: 1\nX-Api-Key: k\nX-Tenant: t";
        assert_eq!(
            without_secret_headers(text, &["X-Tenant".into()]),
            "X-Trace: 1"
        );
        assert_eq!(withheld_headers(text, &[]), vec!["X-Api-Key".to_string()]);
        assert_eq!(secret_header_values(text, &[]), vec!["k".to_string()]);
        // A credential typed without its colon was kept in links, profiles and the kept form.
        assert_eq!(
            without_secret_headers(
                "X-Api-Key abc123def456\nX-Tenant-Secret=s3cr3t\nX-Trace: 1\nnot a name: x",
                &[]
            ),
            "X-Trace: 1"
        );
    }

    /// Headers the run would not really send as shown are refused before a run: a second
    /// Authorization (it replaced the token), names the browser drops, and a name given twice.
    #[test]
    fn headers_the_browser_would_not_send_as_shown_are_refused() {
        for (text, says) in [
            ("Authorization: Bearer other", "run's own header"),
            ("authorization: x", "run's own header"),
            ("Cookie: a=b", "forbidden header name"),
            ("Host: example.com", "forbidden header name"),
            ("Proxy-Authorization: Basic x", "forbidden header name"),
            ("Sec-Fetch-Mode: cors", "forbidden header name"),
            ("X-Trace: 1\nx-trace: 2", "given twice"),
        ] {
            let e = parse_extra_headers(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        assert!(parse_extra_headers("X-Api-Version: 2\nAccept: application/json").is_ok());
    }

    /// The parse error never quotes a line's text back: it may be a credential.
    #[test]
    fn a_malformed_line_is_not_quoted_back() {
        let e = parse_extra_headers("X-Api-Key abc123secret:rest").unwrap_err();
        assert!(!e.contains("abc123secret"), "{e}");
        assert!(e.starts_with("Line 1:"), "{e}");
    }
}
