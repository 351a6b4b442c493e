//! Text shaped like a secret, found without knowing the secret: a JSON Web Token in compact form
//! (a signed JWS or an encrypted JWE: base64url parts joined by dots, the first one a JSON object,
//! so it starts with `eyJ`), and the password of a URL's user info (`https://user:password@host`).
//! Profiles, share links, the canary export and the tab's kept form never hold one, whether the
//! tab has seen it or not: a token pasted into the API URL from elsewhere is as much a secret as
//! one this tab received.

use std::ops::Range;

use crate::core::mask::REDACTED;

/// The byte ranges of the token-shaped runs in `text`: `eyJ` at the start of a word, then
/// base64url characters and dots, with at least two dots inside (a JWS has two, a JWE four, one
/// of its parts possibly empty). A dot that ends the run (a sentence's full stop) is not part of it.
pub fn token_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("eyJ")) {
        let start = from + found;
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| is_base64url(*b) || *b == b'.')
        {
            end += 1;
        }
        while end > start && bytes.get(end - 1) == Some(&b'.') {
            end -= 1;
        }
        // A JSON escape (`\n`, `\t`) ends the word before it: a token at the start of a body's
        // line follows `\n` in the settings written out as JSON.
        let escaped = start
            .checked_sub(2)
            .and_then(|at| bytes.get(at))
            .is_some_and(|b| *b == b'\\');
        // So does a percent-escape (`Bearer%20eyJ…`, `%22eyJ…`): its hex digits are no part of
        // the token.
        let percent_escaped = start
            .checked_sub(3)
            .and_then(|at| bytes.get(at..start))
            .is_some_and(
                |e| matches!(e, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()),
            );
        // And a JSON `\uXXXX` escape (.NET writes `"` as `\u0022`).
        let unicode_escaped = start
            .checked_sub(6)
            .and_then(|at| bytes.get(at..start))
            .is_some_and(
                |e| matches!(e, [b'\\', b'u', hex @ ..] if hex.iter().all(u8::is_ascii_hexdigit)),
            );
        let inside_a_word = !escaped
            && !percent_escaped
            && !unicode_escaped
            && start
                .checked_sub(1)
                .and_then(|before| bytes.get(before))
                .is_some_and(|b| is_base64url(*b) || *b == b'.');
        let dots = bytes
            .get(start..end)
            .map_or(0, |run| run.iter().filter(|b| **b == b'.').count());
        if !inside_a_word && dots >= 2 {
            spans.push(start..end);
        }
        from = end.max(start + 3);
    }
    spans
}

/// The byte ranges of URL passwords in `text`: after `://`, or after a web scheme's colon with
/// any slashes or backslashes (`https:me:pw@host` and `https:\\me:pw@host` are the same URL to
/// a browser), what stands between the first `:` and the last `@` of the authority (which ends
/// at `/`, `?`, `#`, whitespace, a quote or a backslash, so a URL inside JSON text ends at its
/// string's end).
pub fn url_password_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut scanned = 0;
    for start in authority_starts(text) {
        // A start inside the authority just read is part of it (`-http:-http:…` read each to
        // the end again: quadratic on a crafted body).
        if start < scanned {
            continue;
        }
        let rest = text.get(start..).unwrap_or_default();
        let end = rest
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '\\') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = rest.get(..end).unwrap_or_default();
        if let Some(at) = authority.rfind('@') {
            if let Some(colon) = authority.get(..at).and_then(|info| info.find(':')) {
                // Empty, or masked already: nothing left to hide.
                let password = authority.get(colon + 1..at).unwrap_or_default();
                if !password.is_empty() && password != REDACTED {
                    spans.push(start + colon + 1..start + at);
                }
            }
        }
        scanned = start + end;
    }
    spans
}

/// Where a URL's authority may start in `text`, in order: after each `://`, and after each web
/// scheme's colon (a scheme standing at a word's start) and the slashes or backslashes after it.
fn authority_starts(text: &str) -> Vec<usize> {
    const WEB_SCHEMES: [&str; 5] = ["https:", "http:", "wss:", "ws:", "ftp:"];
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut starts = Vec::new();
    for (i, _) in lower.match_indices(':') {
        let after_slashes = |from: usize| {
            from + bytes.get(from..).map_or(0, |r| {
                r.iter().take_while(|b| matches!(b, b'/' | b'\\')).count()
            })
        };
        if lower.get(i..).is_some_and(|r| r.starts_with("://")) {
            starts.push(i + 3);
            continue;
        }
        let web = WEB_SCHEMES.iter().any(|scheme| {
            let len = scheme.len() - 1;
            i >= len
                && lower.get(i - len..=i) == Some(scheme)
                && (i == len
                    || bytes
                        .get(i - len - 1)
                        .is_some_and(|b| !b.is_ascii_alphanumeric()))
        });
        if web {
            starts.push(after_slashes(i + 1));
        }
    }
    starts
}

/// Every secret-shaped range of `text`, in order, overlapping ones merged (a token inside a URL
/// password masks the whole password): tokens and URL passwords.
fn secret_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = token_spans(text);
    spans.extend(url_password_spans(text));
    crate::core::short_sort::sort_short_by(&mut spans, |a, b| a.start < b.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// True when `text` holds a token-shaped run or a URL password.
pub fn has_secret_shape(text: &str) -> bool {
    !secret_spans(text).is_empty()
}

/// `text` with every token-shaped run and URL password replaced by the mask mark.
pub fn mask_secret_shapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for span in secret_spans(text) {
        out.push_str(text.get(last..span.start).unwrap_or_default());
        out.push_str(REDACTED);
        last = span.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWS: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    #[test]
    fn signed_and_encrypted_tokens_are_found_wherever_they_sit() {
        for (text, masked) in [
            (JWS.to_owned(), REDACTED.to_owned()),
            (
                format!("https://api.example.com/dev?access_token={JWS}&x=1"),
                format!("https://api.example.com/dev?access_token={REDACTED}&x=1"),
            ),
            (
                format!("Authorization: Bearer {JWS}."),
                format!("Authorization: Bearer {REDACTED}."),
            ),
            // A JWE (Cognito's refresh token) with its empty key part.
            (
                "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn".to_owned(),
                REDACTED.to_owned(),
            ),
            // At the start of a body's line, in the settings written out as JSON.
            (
                format!("{{\"api_body\":\"first line\\n{JWS}\"}}"),
                format!("{{\"api_body\":\"first line\\n{REDACTED}\"}}"),
            ),
            // After a JSON \u escape, as .NET writes a quote.
            (
                format!("{{\"m\":\"{{\\u0022t\\u0022:\\u0022{JWS}\\u0022}}\"}}"),
                format!("{{\"m\":\"{{\\u0022t\\u0022:\\u0022{REDACTED}\\u0022}}\"}}"),
            ),
            // After a percent-escape: its hex digits are not part of the token.
            (
                format!("https://x/dev?auth=Bearer%20{JWS}"),
                format!("https://x/dev?auth=Bearer%20{REDACTED}"),
            ),
            (
                format!("https://x/dev?q=%7B%22t%22%3A%22{JWS}%22%7D"),
                format!("https://x/dev?q=%7B%22t%22%3A%22{REDACTED}%22%7D"),
            ),
            (
                format!("{{\"api_body\":\"{{\\\"t\\\":\\\"{JWS}\\\"}}\"}}"),
                format!("{{\"api_body\":\"{{\\\"t\\\":\\\"{REDACTED}\\\"}}\"}}"),
            ),
        ] {
            assert!(has_secret_shape(&text), "{text}");
            assert_eq!(mask_secret_shapes(&text), masked);
        }
    }

    #[test]
    fn url_passwords_are_found_wherever_they_sit() {
        for (text, masked) in [
            (
                "https://me:hunter22@api.example.com/dev".to_owned(),
                format!("https://me:{REDACTED}@api.example.com/dev"),
            ),
            (
                r#"{"api_url":"http://u:p%40ss@127.0.0.1:9/x","domain":"https://a:b@c"}"#
                    .to_owned(),
                format!(
                    r#"{{"api_url":"http://u:{REDACTED}@127.0.0.1:9/x","domain":"https://a:{REDACTED}@c"}}"#
                ),
            ),
            (
                format!("https://me:{JWS}@host"),
                format!("https://me:{REDACTED}@host"),
            ),
            // A token inside a longer password: the whole password goes.
            (
                format!("https://me:{JWS}!tail-of-pw@host/x"),
                format!("https://me:{REDACTED}@host/x"),
            ),
            // Without slashes, or with backslashes: the same URL to a browser, passed by before.
            (
                "https:me:hunter22@api.example.com/dev".to_owned(),
                format!("https:me:{REDACTED}@api.example.com/dev"),
            ),
            (
                r"HTTPS:\\me:hunter22@api.example.com".to_owned(),
                format!(r"HTTPS:\\me:{REDACTED}@api.example.com"),
            ),
        ] {
            assert!(has_secret_shape(&text), "{text}");
            assert_eq!(mask_secret_shapes(&text), masked);
            assert!(
                !has_secret_shape(&masked),
                "masked once is masked: {masked}"
            );
        }
        for text in [
            "https://me@api.example.com/dev",
            "https://api.example.com/dev?email=a:b@c",
            "https://me:@host",
            "https://me:••••••@host",
            "://",
            "https://",
        ] {
            assert!(!has_secret_shape(text), "{text}");
            assert_eq!(mask_secret_shapes(text), text);
        }
    }

    #[test]
    fn text_that_only_looks_a_little_like_a_token_is_left_alone() {
        for text in [
            "",
            "eyJ",
            "eyJhbGciOiJSUzI1NiJ9",
            "eyJhbGciOiJSUzI1NiJ9.onlyonedot",
            "eyJhbGciOiJSUzI1NiJ9.two.",
            "abceyJhbGc.eyJ.c2ln",
            "https://api.example.com/dev/pets?type=bird",
            "status 200\njson $.items[0].id exists",
        ] {
            assert!(!has_secret_shape(text), "{text}");
            assert_eq!(mask_secret_shapes(text), text);
        }
    }
}
