//! One HTTP exchange exactly as the page saw it, the redaction that makes it safe to share, and
//! the text forms the exchange panel and the evidence export show.

use serde::Serialize;

pub use crate::core::mask::{Found, Masker, REDACTED};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordedResponse {
    pub status: u16,
    pub status_text: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub size_bytes: usize,
    /// False when the body was decoded lossily, so the shown text is not byte-exact.
    pub body_was_utf8: bool,
}

impl RecordedResponse {
    /// An answer as both shells read it off the wire: the body as text, decoded lossily (and
    /// flagged) when it is not UTF-8, with its byte size.
    pub fn from_bytes(
        status: u16,
        status_text: String,
        headers: Vec<(String, String)>,
        bytes: Vec<u8>,
    ) -> Self {
        let size_bytes = bytes.len();
        let (body, body_was_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, true),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
        };
        Self {
            status,
            status_text,
            headers,
            body,
            size_bytes,
            body_was_utf8,
        }
    }
}

/// Every token an answer's JSON body carries (`access_token`, `id_token`, `refresh_token`, and
/// GetClientToken's `ClientAuthenticationResult.AccessToken`, named `access_token` here),
/// whatever its status: all are secrets to mask, an echoed or stray one included.
pub fn tokens_in_response(exchange: Option<&Exchange>) -> Vec<(&'static str, String)> {
    let body = exchange
        .and_then(|e| e.response.as_ref())
        .map(|r| r.body.as_str())
        .unwrap_or_default();
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let client_token = map
        .get("ClientAuthenticationResult")
        .and_then(|r| r.get("AccessToken"));
    [
        ("access_token", map.get("access_token")),
        ("access_token", client_token),
        ("id_token", map.get("id_token")),
        ("refresh_token", map.get("refresh_token")),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .and_then(serde_json::Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(|t| (key, t.to_owned()))
    })
    .collect()
}

/// `response` is `None` when the request failed before any answer (network, CORS, timeout, cancel).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Exchange {
    pub request: RecordedRequest,
    pub response: Option<RecordedResponse>,
    pub elapsed_ms: f64,
    pub started_at_unix_ms: f64,
}

impl Exchange {
    /// The exchange with every secret masked in the request and in the response body and headers
    /// (a misbehaving server may echo the request back).
    pub fn redacted(&self, secrets: &[&str]) -> Exchange {
        let masker = Masker::new(secrets);
        Exchange {
            request: redact_request(&self.request, &masker),
            response: self.response.as_ref().map(|r| RecordedResponse {
                headers: redact_headers(&r.headers, &masker),
                body: masker.redact(&r.body),
                ..r.clone()
            }),
            ..self.clone()
        }
    }
}

/// Masks the secrets everywhere in the request; the `Authorization` value keeps only its scheme
/// (and, for Bearer, the first characters so two tokens can still be told apart).
pub fn redact_request(req: &RecordedRequest, masker: &Masker) -> RecordedRequest {
    RecordedRequest {
        method: req.method.clone(),
        url: masker.redact(&req.url),
        headers: redact_headers(&req.headers, masker),
        body: req.body.as_deref().map(|b| masker.redact(b)),
    }
}

fn redact_headers(headers: &[(String, String)], masker: &Masker) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("authorization") {
                redact_authorization(value)
            } else {
                masker.redact(value)
            };
            (name.clone(), value)
        })
        .collect()
}

/// Characters of a bearer token kept visible: the start of the JWT header, which is not secret.
const BEARER_VISIBLE_CHARS: usize = 10;

fn redact_authorization(value: &str) -> String {
    let value = value.trim();
    let (scheme, credentials) = match value.split_once(char::is_whitespace) {
        Some((scheme, rest)) => (Some(scheme), rest.trim()),
        None => (None, value),
    };
    let is_bearer = scheme.is_none_or(|s| s.eq_ignore_ascii_case("bearer"));
    // Only a JWT starts with its (public) header; the start of an opaque key is the key.
    let is_jwt = credentials.starts_with("eyJ") && credentials.matches('.').count() == 2;
    let shown = if is_bearer && is_jwt && credentials.chars().count() > BEARER_VISIBLE_CHARS {
        let (start, _) = truncate_chars(credentials, BEARER_VISIBLE_CHARS);
        format!("{start}…(redacted)")
    } else {
        REDACTED.to_owned()
    };
    match scheme {
        Some(scheme) => format!("{scheme} {shown}"),
        None => shown,
    }
}

/// Replaces each secret, as typed and in its encoded forms (`+` or `%20` for spaces, `%2B`, …),
/// longest match first so overlapping secrets leave no fragment behind.
pub fn redact_text(text: &str, secrets: &[&str]) -> String {
    Masker::new(secrets).redact(text)
}

/// The request as an HTTP/1.1 message. fetch does not expose the real wire bytes; this is the
/// familiar shape of what was sent. A relative URL (a proxy route) is shown as is, without Host.
pub fn request_text(req: &RecordedRequest) -> String {
    let (target, host) = match crate::whatwg_url::Url::parse(&req.url) {
        Ok(url) => {
            let mut target = url.path().to_owned();
            if let Some(query) = url.query() {
                target.push('?');
                target.push_str(query);
            }
            let host = url.host_str().map(|h| match url.port() {
                Some(port) => format!("{h}:{port}"),
                None => h.to_owned(),
            });
            (target, host)
        }
        Err(_) => (req.url.clone(), None),
    };
    let mut lines = vec![format!("{} {target} HTTP/1.1", req.method)];
    if let (Some(host), None) = (host, header(&req.headers, "host")) {
        lines.push(format!("Host: {host}"));
    }
    lines.extend(req.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    let mut text = lines.join("\n");
    if let Some(body) = &req.body {
        text.push_str("\n\n");
        text.push_str(body);
    }
    text
}

/// Status line and headers; the body is shown separately (pretty or raw).
pub fn response_head_text(resp: &RecordedResponse) -> String {
    let reason = if resp.status_text.trim().is_empty() {
        reason_phrase(resp.status)
    } else {
        resp.status_text.trim()
    };
    let mut lines = vec![format!("HTTP/1.1 {} {reason}", resp.status)
        .trim_end()
        .to_owned()];
    lines.extend(resp.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    lines.join("\n")
}

/// The standard reason phrase (HTTP/2 and fetch often give an empty status text).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// First header with this name, ignoring case (HTTP header names are case-insensitive).
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[derive(Clone, Debug, PartialEq)]
pub enum BodyView {
    Empty,
    Json(String),
    Text(String),
}

/// Pretty JSON whenever the body parses, whatever the content type: gateways often mislabel it.
/// Indentation is added to the original text, so key order and number spelling stay exactly as
/// received (re-serialising would sort keys and round big numbers).
pub fn body_view(body: &str, _content_type: Option<&str>) -> BodyView {
    match body_view_kind(body) {
        Kind::Empty => BodyView::Empty,
        Kind::Json => BodyView::Json(reindent_json(body.trim())),
        Kind::Text => BodyView::Text(body.to_owned()),
    }
}

/// Re-indents already valid JSON by two spaces, leaving every token as written.
fn reindent_json(json: &str) -> String {
    reindent_json_until(json, usize::MAX).0
}

/// As [`reindent_json`], stopping once the output holds `limit` bytes; also whether it stopped
/// early. The indenter is a streaming one, so the output is a prefix of the whole result.
fn reindent_json_until(json: &str, limit: usize) -> (String, bool) {
    let mut out = String::with_capacity(json.len().saturating_mul(2).min(limit));
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if out.len() >= limit {
            return (out, true);
        }
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    continue; // `{}` and `[]` stay on one line
                }
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                if !matches!(out.chars().next_back(), Some('{' | '[')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    (out, false)
}

/// A response body as the API panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyPreview {
    /// Pretty (unless raw) and masked; at most the requested characters.
    pub text: String,
    /// True when the body goes on past `text`.
    pub cut: bool,
}

/// The body as shown: pretty JSON unless `raw`, every secret masked, cut after `max_chars`
/// characters (None: whole). Only a little more than the shown part is indented and masked, so
/// a 5 MB body costs about what its preview costs; the margin is the longest form of a secret,
/// so a secret that straddles the cut is still masked whole.
pub fn body_preview(
    body: &str,
    raw: bool,
    masker: &Masker,
    max_chars: Option<usize>,
) -> BodyPreview {
    let pretty = !raw && matches!(body_view_kind(body), Kind::Json);
    // A secret cut at the window's end would show its start: read on by the longest form.
    let margin = masker.longest_form();
    let limit = max_chars.map_or(usize::MAX, |max| {
        max.saturating_mul(4).saturating_add(margin)
    });
    let (window, more) = if pretty {
        reindent_json_until(body.trim(), limit)
    } else {
        let end = floor_char_boundary(body, limit);
        (
            body.get(..end).unwrap_or_default().to_owned(),
            end < body.len(),
        )
    };
    // Masking shortens the window (a secret becomes six dots), so the cut below may not reach
    // its end: stop one longest form before a cut window's end, where a secret split by the
    // cut could start.
    let stop = if more {
        window.len().saturating_sub(margin)
    } else {
        window.len()
    };
    let masked = masker.replace_before(&window, stop, &|_| REDACTED.to_owned());
    let (shown, hidden) = truncate_chars(&masked, max_chars.unwrap_or(usize::MAX));
    BodyPreview {
        text: shown.to_owned(),
        cut: more || hidden > 0,
    }
}

enum Kind {
    Empty,
    Json,
    Text,
}

/// What [`body_view`] would make of a body, without building it.
fn body_view_kind(body: &str) -> Kind {
    if body.trim().is_empty() {
        Kind::Empty
    } else if serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok() {
        Kind::Json
    } else {
        Kind::Text
    }
}

/// The largest index ≤ `at` that is a character boundary of `text`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0)
}

/// At most `max_chars` characters, cut on a character boundary; also how many were hidden.
pub fn truncate_chars(text: &str, max_chars: usize) -> (&str, usize) {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => {
            let shown = text.get(..cut).unwrap_or_default();
            let hidden = text.get(cut..).map_or(0, |rest| rest.chars().count());
            (shown, hidden)
        }
        None => (text, 0),
    }
}

/// [`truncate_chars`] for text cut before it is masked (an assertion's actual value, a negative
/// check's answer, a snippet of a token endpoint's answer): masking finds whole secrets only, so
/// a cut inside a run of the characters secrets are written with (base64 and base64url, hex,
/// dots, percent and JSON escapes) backs off to the run's start. The part of a secret standing
/// across the cut is never shown; one that ends before the cut is shown whole, and masked later.
pub fn truncate_outside_secrets(text: &str, max_chars: usize) -> (&str, usize) {
    let (shown, hidden) = truncate_chars(text, max_chars);
    let cut_inside_a_run = text
        .get(shown.len()..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(is_secret_char);
    if !cut_inside_a_run {
        return (shown, hidden);
    }
    let kept = shown.trim_end_matches(is_secret_char);
    let dropped = shown.get(kept.len()..).map_or(0, |d| d.chars().count());
    (kept, hidden + dropped)
}

fn is_secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '.' | '~' | '-' | '\\' | '%')
}

/// "512 B", "1.5 KB", "5.0 MB" (1024-based, one decimal above bytes).
pub fn format_size(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = "KB";
    for next in UNITS.iter().skip(1) {
        // Switch before rounding would print "1024.0 KB".
        if value < 1023.95 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{} {unit}", super::numbers::fixed(value, 1))
}

/// "183 ms" below a second, "1.24 s" from there on.
pub fn format_elapsed(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "unknown".to_owned();
    }
    if ms.round() < 1000.0 {
        format!("{} ms", super::numbers::fixed(ms, 0))
    } else {
        format!("{} s", super::numbers::fixed(ms / 1000.0, 2))
    }
}

/// A `curl` command that repeats the request, for bug reports. Pass a redacted request to
/// share it; single quotes keep every character literal in a POSIX shell.
pub fn curl_command(req: &RecordedRequest) -> String {
    curl_command_with(req, str::to_owned)
}

/// [`curl_command`] with `word` applied to each shell word's text before it is quoted (the
/// method, each `name: value`, the body, the URL): where a masked command puts its secrets'
/// variables, which are only right inside a quoted word.
pub fn curl_command_with(req: &RecordedRequest, word: impl Fn(&str) -> String) -> String {
    let quoted = |text: &str| shell_quote(&word(text));
    let mut parts = vec!["curl".to_owned(), "-i".to_owned()];
    if !req.method.eq_ignore_ascii_case("GET") || req.body.is_some() {
        parts.push(format!("-X {}", quoted(&req.method)));
    }
    for (name, value) in &req.headers {
        parts.push(format!("-H {}", quoted(&format!("{name}: {value}"))));
    }
    if let Some(body) = &req.body {
        parts.push(format!("--data-raw {}", quoted(body)));
    }
    parts.push(quoted(&req.url));
    parts.join(" \\\n  ")
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_off_the_wire_keeps_its_byte_size_and_says_when_it_is_not_utf8() {
        let text = RecordedResponse::from_bytes(200, "OK".into(), vec![], "é!".as_bytes().to_vec());
        assert_eq!(
            (text.body.as_str(), text.size_bytes, text.body_was_utf8),
            ("é!", 3, true)
        );
        let binary = RecordedResponse::from_bytes(200, "OK".into(), vec![], vec![b'a', 0xff, b'b']);
        assert_eq!(binary.body, "a\u{fffd}b");
        assert_eq!((binary.size_bytes, binary.body_was_utf8), (3, false));
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn token_request(body: &str) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            url: "https://example.auth.us-east-1.amazoncognito.com/oauth2/token".into(),
            headers: headers(&[("Content-Type", "application/x-www-form-urlencoded")]),
            body: Some(body.into()),
        }
    }

    #[test]
    fn redact_text_raw_and_form_encoded() {
        let secret = "a+b/c=d&e f";
        let body = format!(
            "grant_type=client_credentials&client_id=id&client_secret={}",
            form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
        );
        assert_eq!(
            body,
            "grant_type=client_credentials&client_id=id&client_secret=a%2Bb%2Fc%3Dd%26e+f"
        );
        assert_eq!(
            redact_text(&body, &[secret]),
            "grant_type=client_credentials&client_id=id&client_secret=••••••"
        );
        assert_eq!(
            redact_text(&format!("x {secret} y"), &[secret]),
            "x •••••• y"
        );
        assert_eq!(
            redact_text("q=a%2Bb%2Fc%3Dd%26e%20f", &[secret]),
            "q=••••••"
        );
        assert_eq!(
            redact_text("q=a%2bb%2fc%3dd%26e%20f", &[secret]),
            "q=••••••"
        );
    }

    #[test]
    fn redact_text_every_occurrence_and_overlaps() {
        assert_eq!(redact_text("s1 s1s1", &["s1"]), "•••••• ••••••••••••");
        // The longer secret wins where both match; no fragment of it is left.
        assert_eq!(
            redact_text("abcdef abc", &["abc", "abcdef"]),
            "•••••• ••••••"
        );
        assert_eq!(redact_text("xabcdefy", &["cde", "abcd"]), "x••••••fy");
        // Empty secrets are ignored; no secrets changes nothing.
        assert_eq!(redact_text("keep", &["", ""]), "keep");
        assert_eq!(redact_text("keep", &[]), "keep");
        assert_eq!(redact_text("", &["x"]), "");
        // Multi-byte secrets and text.
        assert_eq!(redact_text("é-秘密-é", &["秘密"]), "é-••••••-é");
        assert_eq!(redact_text("q=%E7%A7%98%E5%AF%86", &["秘密"]), "q=••••••");
    }

    #[test]
    fn redact_request_masks_url_headers_body() {
        let mut req = token_request("client_id=id&client_secret=top+secret");
        req.url.push_str("?client_secret=top%20secret");
        req.headers.push(("X-Echo".into(), "top secret".into()));
        let red = redact_request(&req, &Masker::new(&["top secret"]));
        assert_eq!(
            red.body.as_deref(),
            Some("client_id=id&client_secret=••••••")
        );
        assert!(red.url.ends_with("?client_secret=••••••"));
        assert_eq!(red.headers[1].1, "••••••");
        assert_eq!(red.headers[0], req.headers[0]);
        assert_eq!(red.method, "POST");
        let no_body = RecordedRequest { body: None, ..req };
        assert_eq!(redact_request(&no_body, &Masker::new(&["x"])).body, None);
    }

    #[test]
    fn authorization_header_keeps_only_the_scheme() {
        let mut req = token_request("grant_type=client_credentials");
        req.headers = headers(&[
            ("Authorization", "Basic aWQ6c2VjcmV0"),
            ("authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig"),
            ("AUTHORIZATION", "eyJhbGciOiJSUzI1NiJ9.raw.sig"),
            ("Authorization", "Bearer short"),
            ("Authorization", "Digest username=x"),
            ("Authorization", ""),
            // An opaque key: its first characters are the key, not a JWT's public header.
            ("Authorization", "Bearer sk_live_4f9a8b7c6d5e"),
        ]);
        let red = redact_request(&req, &Masker::new(&[]));
        let values: Vec<&str> = red.headers.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            values,
            [
                "Basic ••••••",
                "Bearer eyJhbGciOi…(redacted)",
                "eyJhbGciOi…(redacted)",
                "Bearer ••••••",
                "Digest ••••••",
                "••••••",
                "Bearer ••••••",
            ]
        );
    }

    #[test]
    fn exchange_redacted_covers_the_response_too() {
        let ex = Exchange {
            request: token_request("client_secret=s3cret"),
            response: Some(RecordedResponse {
                status: 400,
                status_text: String::new(),
                headers: headers(&[("x-echo", "s3cret")]),
                body: r#"{"got":"s3cret"}"#.into(),
                size_bytes: 16,
                body_was_utf8: true,
            }),
            elapsed_ms: 12.0,
            started_at_unix_ms: 1.0,
        };
        let red = ex.redacted(&["s3cret"]);
        let text = serde_json::to_string(&red).unwrap();
        assert!(!text.contains("s3cret"));
        let resp = red.response.unwrap();
        assert_eq!(resp.body, r#"{"got":"••••••"}"#);
        assert_eq!(resp.size_bytes, 16);
        assert_eq!(red.elapsed_ms, 12.0);
        let none = Exchange {
            response: None,
            ..ex
        };
        assert_eq!(none.redacted(&["s3cret"]).response, None);
    }

    #[test]
    fn request_text_shapes() {
        let req = token_request("grant_type=client_credentials");
        assert_eq!(
            request_text(&req),
            "POST /oauth2/token HTTP/1.1\n\
             Host: example.auth.us-east-1.amazoncognito.com\n\
             Content-Type: application/x-www-form-urlencoded\n\
             \n\
             grant_type=client_credentials"
        );
        let get = RecordedRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:9090/dev/pets?x=1&y=%20".into(),
            headers: vec![],
            body: None,
        };
        assert_eq!(
            request_text(&get),
            "GET /dev/pets?x=1&y=%20 HTTP/1.1\nHost: 127.0.0.1:9090"
        );
        let proxied = RecordedRequest {
            url: "/proxy/api/dev/pets".into(),
            headers: headers(&[("Accept", "*/*")]),
            ..get.clone()
        };
        assert_eq!(
            request_text(&proxied),
            "GET /proxy/api/dev/pets HTTP/1.1\nAccept: */*"
        );
        // An explicit Host header is not duplicated; an empty body still shows the blank line.
        let explicit = RecordedRequest {
            headers: headers(&[("host", "h")]),
            body: Some(String::new()),
            ..get
        };
        assert_eq!(
            request_text(&explicit),
            "GET /dev/pets?x=1&y=%20 HTTP/1.1\nhost: h\n\n"
        );
    }

    #[test]
    fn response_head() {
        let mut resp = RecordedResponse {
            status: 200,
            status_text: String::new(),
            headers: headers(&[
                ("content-type", "application/json"),
                ("x-amzn-RequestId", "r1"),
            ]),
            body: String::new(),
            size_bytes: 0,
            body_was_utf8: true,
        };
        assert_eq!(
            response_head_text(&resp),
            "HTTP/1.1 200 OK\ncontent-type: application/json\nx-amzn-RequestId: r1"
        );
        resp.status = 401;
        resp.headers.clear();
        assert_eq!(response_head_text(&resp), "HTTP/1.1 401 Unauthorized");
        resp.status_text = "Nope".into();
        assert_eq!(response_head_text(&resp), "HTTP/1.1 401 Nope");
        resp.status = 599;
        resp.status_text = " ".into();
        assert_eq!(response_head_text(&resp), "HTTP/1.1 599");
    }

    #[test]
    fn reason_phrases() {
        assert_eq!(reason_phrase(403), "Forbidden");
        assert_eq!(reason_phrase(429), "Too Many Requests");
        assert_eq!(reason_phrase(504), "Gateway Timeout");
        assert_eq!(reason_phrase(0), "");
    }

    #[test]
    fn header_lookup_ignores_case() {
        let h = headers(&[("Content-Type", "a"), ("content-type", "b"), ("X", "")]);
        assert_eq!(header(&h, "CONTENT-TYPE"), Some("a"));
        assert_eq!(header(&h, "x"), Some(""));
        assert_eq!(header(&h, "missing"), None);
        assert_eq!(header(&[], "x"), None);
    }

    #[test]
    fn body_views() {
        assert_eq!(body_view("", None), BodyView::Empty);
        assert_eq!(body_view(" \n", Some("application/json")), BodyView::Empty);
        assert_eq!(
            body_view(r#"{"message":"Unauthorized"}"#, Some("text/plain")),
            BodyView::Json("{\n  \"message\": \"Unauthorized\"\n}".into())
        );
        assert_eq!(
            body_view("<html>x</html>", Some("application/json")),
            BodyView::Text("<html>x</html>".into())
        );
        assert_eq!(body_view("42", None), BodyView::Json("42".into()));
    }

    #[test]
    fn pretty_json_keeps_order_numbers_and_strings() {
        let raw = r#" {"z":1,"a":[ ],"n":123456789012345678901234567890,"s":"a,b:{\"[c]\"}\\","o":{"k":[1,{"x":null}]},"e":{}} "#;
        let BodyView::Json(pretty) = body_view(raw, None) else {
            panic!("not json");
        };
        assert_eq!(
            pretty,
            "{\n  \"z\": 1,\n  \"a\": [],\n  \"n\": 123456789012345678901234567890,\n  \
             \"s\": \"a,b:{\\\"[c]\\\"}\\\\\",\n  \"o\": {\n    \"k\": [\n      1,\n      {\n        \
             \"x\": null\n      }\n    ]\n  },\n  \"e\": {}\n}"
        );
        // The pretty text is the same JSON.
        let a: serde_json::Value = serde_json::from_str(raw).unwrap();
        let b: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn preview_matches_the_whole_view_cut_short() {
        let body = format!(
            r#"{{"items":[{}]}}"#,
            vec![r#"{"id":1,"name":"ä"}"#; 500].join(",")
        );
        let BodyView::Json(pretty) = body_view(&body, None) else {
            panic!("json")
        };
        let preview = body_preview(&body, false, &Masker::default(), Some(100));
        assert_eq!(preview.text, truncate_chars(&pretty, 100).0);
        assert!(preview.cut);
        let whole = body_preview(&body, false, &Masker::default(), None);
        assert_eq!((whole.text, whole.cut), (pretty.clone(), false));
        let short = body_preview(
            &body,
            false,
            &Masker::default(),
            Some(pretty.chars().count()),
        );
        assert_eq!((short.text, short.cut), (pretty, false));
        let raw = body_preview(&body, true, &Masker::default(), Some(10));
        assert_eq!((raw.text.as_str(), raw.cut), (r#"{"items":["#, true));
        assert_eq!(
            body_preview("not json", false, &Masker::default(), Some(3)).text,
            "not"
        );
        assert_eq!(
            body_preview("", false, &Masker::default(), Some(3)),
            BodyPreview {
                text: String::new(),
                cut: false
            }
        );
    }

    /// Found in review: a body of many copies of a secret masks down to fewer characters than the
    /// preview shows, and the window's end cut one copy in two — its start was shown.
    #[test]
    fn a_preview_of_repeated_secrets_never_shows_one_cut_by_the_window() {
        let token = "t".repeat(1_000);
        let secret = "S3cr3t-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH";
        let body = format!("xxxxxxxxxxxxx{}", secret.repeat(2_000));
        let masker = Masker::new(&[token.as_str(), secret]);
        for raw in [false, true] {
            let preview = body_preview(&body, raw, &masker, Some(20_000));
            assert!(preview.cut);
            assert!(!preview.text.contains("S3cr3t"), "{}", preview.text);
            assert!(preview.text.ends_with(REDACTED), "{}", preview.text);
        }
    }

    #[test]
    fn preview_masks_a_secret_that_straddles_the_cut() {
        let secret = "s3cr3t-value-that-is-long";
        let body = format!("{}{secret}{}", "x".repeat(95), "y".repeat(10_000));
        for raw in [true, false] {
            let preview = body_preview(&body, raw, &Masker::new(&[secret]), Some(100));
            assert!(!preview.text.contains("s3cr3"), "{}", preview.text);
            assert!(preview
                .text
                .ends_with(&REDACTED[..REDACTED.char_indices().nth(5).unwrap().0]));
        }
        // Percent-encoded in a JSON string, across the cut too.
        let tricky = "a b+c";
        let body = format!(r#"{{"echo":"{}a%20b%2Bc"}}"#, "z".repeat(90));
        let preview = body_preview(&body, false, &Masker::new(&[tricky]), Some(110));
        assert!(!preview.text.contains("a%20b"), "{}", preview.text);
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_chars("hello", 10), ("hello", 0));
        assert_eq!(truncate_chars("hello", 5), ("hello", 0));
        assert_eq!(truncate_chars("hello", 2), ("he", 3));
        assert_eq!(truncate_chars("hello", 0), ("", 5));
        assert_eq!(truncate_chars("", 0), ("", 0));
        assert_eq!(truncate_chars("é😀日x", 2), ("é😀", 2));
        assert_eq!(truncate_chars("😀😀😀", 1), ("😀", 2));
    }

    /// Text cut before masking never ends in the front part of a secret standing across the cut.
    #[test]
    fn a_cut_before_masking_drops_the_run_it_falls_in() {
        let t = truncate_outside_secrets;
        // Inside a run: back to its start (the secret and what is glued to it go).
        assert_eq!(t("ab cdefgh", 5), ("ab ", 6));
        assert_eq!(t(r#"{"echo":"xxxx1q2w3e4r"}"#, 14), (r#"{"echo":""#, 14));
        assert_eq!(t("client_secret=1q2w3e4r5t", 20), ("", 24));
        assert_eq!(t("a eyJhb.eyJz.sig", 10), ("a ", 14));
        assert_eq!(t("a %2Fb%3D", 6), ("a ", 7));
        // At a run's end, or between runs: cut as truncate_chars does.
        assert_eq!(t("abc def", 3), ("abc", 4));
        assert_eq!(t("abc def", 4), ("abc ", 3));
        assert_eq!(t("short", 10), ("short", 0));
        assert_eq!(t("é😀日x", 2), ("é😀", 2));
    }

    #[test]
    fn sizes() {
        assert_eq!(format_size(0), "0 B");
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(1023), "1023 B");
        assert_eq!(format_size(1024), "1.0 KB");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(1024 * 1024 - 1), "1.0 MB");
        assert_eq!(format_size(5 * 1024 * 1024), "5.0 MB");
        assert_eq!(format_size(3 * 1024 * 1024 * 1024), "3.0 GB");
        assert!(format_size(usize::MAX).ends_with(" TB"));
    }

    #[test]
    fn elapsed() {
        assert_eq!(format_elapsed(0.0), "0 ms");
        assert_eq!(format_elapsed(183.4), "183 ms");
        assert_eq!(format_elapsed(999.4), "999 ms");
        assert_eq!(format_elapsed(999.6), "1.00 s");
        assert_eq!(format_elapsed(1240.0), "1.24 s");
        assert_eq!(format_elapsed(29_000.0), "29.00 s");
        assert_eq!(format_elapsed(-1.0), "unknown");
        assert_eq!(format_elapsed(f64::NAN), "unknown");
        assert_eq!(format_elapsed(f64::INFINITY), "unknown");
    }

    #[test]
    fn curl_commands() {
        let req = redact_request(
            &token_request("client_id=id&client_secret=it's"),
            &Masker::new(&["it's"]),
        );
        assert_eq!(
            curl_command(&req),
            "curl \\\n  -i \\\n  -X 'POST' \\\n  \
             -H 'Content-Type: application/x-www-form-urlencoded' \\\n  \
             --data-raw 'client_id=id&client_secret=••••••' \\\n  \
             'https://example.auth.us-east-1.amazoncognito.com/oauth2/token'"
        );
        let get = RecordedRequest {
            method: "GET".into(),
            url: "https://x/it's".into(),
            headers: vec![],
            body: None,
        };
        assert_eq!(
            curl_command(&get),
            "curl \\\n  -i \\\n  'https://x/it'\\''s'"
        );
    }
}
