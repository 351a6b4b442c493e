//! URL parsing for the core, by the WHATWG URL Standard: the `url` crate natively (so
//! `cargo test` checks every rule), the browser's own `URL` in the wasm build.
//!
//! Why two: the `url` crate with its IDNA tables is about 70 KB of gzip in the bundle, while
//! the browser already ships a parser for the same standard. Both give the same
//! serialisation; `tests/browser.rs` checks the browser side against the same cases.
//! This is the one place the core reaches the platform; it only parses text.

use std::cell::RefCell;
use std::fmt;

/// A parsed absolute URL, reduced to the parts the core reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    href: String,
    scheme: String,
    host: String,
    port: Option<u16>,
    path: String,
    username: String,
    password: String,
}

/// Why a text is not an absolute URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    /// No `scheme:` in front (e.g. `example.com/path`).
    NoScheme,
    /// The parser refused it; the text says why when the parser told.
    Invalid(String),
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::NoScheme => f.write_str("relative URL without a base"),
            UrlError::Invalid(why) => f.write_str(why),
        }
    }
}

/// `scheme:` at the start, as the standard's scheme state reads it.
fn has_scheme(text: &str) -> bool {
    let text = text.trim_start_matches(|c: char| c <= ' ');
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars
            .take_while(|c| *c != ':')
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && text.contains(':')
}

/// The standard's forbidden domain code points.
fn is_forbidden_in_host(c: char) -> bool {
    c <= ' '
        || c == '\u{7f}'
        || matches!(
            c,
            '#' | '%' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|'
        )
}

/// How many recent parses are kept (see [`Url::parse`]), and the longest text kept.
const RECENT_PARSES: usize = 8;
const RECENT_MAX_LEN: usize = 2048;

thread_local! {
    /// The last few texts parsed and what they gave, newest first.
    static RECENT: RefCell<Vec<(String, Result<Url, UrlError>)>> = const { RefCell::new(Vec::new()) };
}

impl Url {
    /// Parses `text`. A Run parses the same few URLs (token endpoint, API URL, issuer) again and
    /// again, and in the browser each parse is a dozen calls across the wasm boundary, so the last
    /// few results are kept: parsing is a pure function of the text.
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let hit = RECENT.with(|recent| {
            let recent = recent.try_borrow().ok()?;
            recent
                .iter()
                .find(|(seen, _)| seen == text)
                .map(|(_, parsed)| parsed.clone())
        });
        if let Some(parsed) = hit {
            return parsed;
        }
        let parsed = Url::parse_uncached(text);
        if text.len() > RECENT_MAX_LEN {
            return parsed;
        }
        RECENT.with(|recent| {
            if let Ok(mut recent) = recent.try_borrow_mut() {
                recent.truncate(RECENT_PARSES.saturating_sub(1));
                recent.insert(0, (text.to_owned(), parsed.clone()));
            }
        });
        parsed
    }

    fn parse_uncached(text: &str) -> Result<Url, UrlError> {
        if !has_scheme(text) {
            return Err(UrlError::NoScheme);
        }
        let url = backend::parse(text)?;
        // Chromium's parser lets some of these through percent-encoded ("exa%20mple.com");
        // the standard and the `url` crate refuse them, and so do we.
        let bracketed = url.host.starts_with('[');
        if !bracketed && url.host.chars().any(is_forbidden_in_host) {
            return Err(UrlError::Invalid(
                "the host name contains a character not allowed in host names".into(),
            ));
        }
        Ok(url)
    }

    /// The serialisation (`href`).
    pub fn as_str(&self) -> &str {
        &self.href
    }

    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host as serialised (IPv6 in brackets, IDN as punycode); None when there is none.
    pub fn host_str(&self) -> Option<&str> {
        Some(self.host.as_str()).filter(|h| !h.is_empty())
    }

    /// The port, unless it is the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The path's segments after the leading `/`; None for URLs without a hierarchical path.
    pub fn path_segments(&self) -> Option<std::str::Split<'_, char>> {
        self.path.strip_prefix('/').map(|p| p.split('/'))
    }

    /// The query without `?`: Some("") for a bare `?`, None for none.
    pub fn query(&self) -> Option<&str> {
        let before_fragment = self.href.split('#').next().unwrap_or_default();
        before_fragment.split_once('?').map(|(_, q)| q)
    }

    /// The fragment without `#`: Some("") for a bare `#`, None for none.
    pub fn fragment(&self) -> Option<&str> {
        self.href.split_once('#').map(|(_, f)| f)
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn password(&self) -> Option<&str> {
        Some(self.password.as_str()).filter(|p| !p.is_empty())
    }

    /// `scheme://host[:port]` for http(s) and the other special schemes, else "null".
    pub fn origin(&self) -> String {
        match (self.scheme.as_str(), self.host_str()) {
            ("http" | "https" | "ws" | "wss" | "ftp", Some(host)) => match self.port {
                Some(port) => format!("{}://{host}:{port}", self.scheme),
                None => format!("{}://{host}", self.scheme),
            },
            _ => "null".to_owned(),
        }
    }

    /// This URL with another path (query and fragment kept), parsed again.
    pub fn with_path(&self, path: &str) -> Result<Url, UrlError> {
        let start = self
            .path_start()
            .ok_or_else(|| UrlError::Invalid("this URL has no path that can be replaced".into()))?;
        let prefix = self.href.get(..start).unwrap_or_default();
        let rest_start = self.href.get(start..).map_or(self.href.len(), |rest| {
            start + rest.find(['?', '#']).unwrap_or(rest.len())
        });
        let rest = self.href.get(rest_start..).unwrap_or_default();
        let slash = if path.starts_with('/') { "" } else { "/" };
        Url::parse(&format!("{prefix}{slash}{path}{rest}"))
    }

    /// Where the path starts in `href`: after `scheme://authority` (the authority has no `/`).
    fn path_start(&self) -> Option<usize> {
        let after_scheme = self.scheme.len() + "://".len();
        let tail = self.href.get(after_scheme..)?;
        if !self.href.get(self.scheme.len()..)?.starts_with("://") {
            return None;
        }
        Some(after_scheme + tail.find('/').unwrap_or(tail.len()))
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.href)
    }
}

/// Inputs and what both parsers must make of them: `tests/browser.rs` runs the same table
/// in the browser, so the two backends cannot drift apart unnoticed.
#[doc(hidden)]
pub mod parity {
    use super::Url;

    /// (input, `describe` of the result or "error").
    pub const CASES: &[(&str, &str)] = &[
        ("https://Example.COM/a/b?x=1#top", "https://example.com/a/b?x=1#top|example.com|-|/a/b|x=1|top|https://example.com"),
        ("https://example.com:443", "https://example.com/|example.com|-|/|-|-|https://example.com"),
        ("http://127.0.0.1:9090/dev/pets", "http://127.0.0.1:9090/dev/pets|127.0.0.1|9090|/dev/pets|-|-|http://127.0.0.1:9090"),
        ("http://[::1]:8080", "http://[::1]:8080/|[::1]|8080|/|-|-|http://[::1]:8080"),
        ("https://bücher.example/ä?q=ü", "https://xn--bcher-kva.example/%C3%A4?q=%C3%BC|xn--bcher-kva.example|-|/%C3%A4|q=%C3%BC|-|https://xn--bcher-kva.example"),
        ("  https://a.example/x y\\z  ", "https://a.example/x%20y/z|a.example|-|/x%20y/z|-|-|https://a.example"),
        ("https://a.example/?", "https://a.example/?|a.example|-|/||-|https://a.example"),
        ("https://a.example/p#a?b", "https://a.example/p#a?b|a.example|-|/p|-|a?b|https://a.example"),
        ("https://u:p@a.example/", "https://u:p@a.example/|a.example|-|/|-|-|https://a.example"),
        ("HTTPS://A.EXAMPLE/./x/../y", "https://a.example/y|a.example|-|/y|-|-|https://a.example"),
        ("mailto:a@b.c", "mailto:a@b.c|-|-|a@b.c|-|-|null"),
        ("https://", "error"),
        ("https://exa mple.com/", "error"),
        ("http://a.example:99999/", "error"),
        ("https://a..b%/", "error"),
    ];

    /// Every part of a parse, as one line to compare.
    pub fn describe(text: &str) -> String {
        let Ok(url) = Url::parse(text) else {
            return "error".to_owned();
        };
        let or_dash = |part: Option<&str>| part.unwrap_or("-").to_owned();
        [
            url.as_str().to_owned(),
            or_dash(url.host_str()),
            url.port().map_or("-".to_owned(), |p| p.to_string()),
            url.path().to_owned(),
            or_dash(url.query()),
            or_dash(url.fragment()),
            url.origin(),
        ]
        .join("|")
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    use super::{Url, UrlError};

    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let url = url::Url::parse(text).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => UrlError::NoScheme,
            other => UrlError::Invalid(other.to_string()),
        })?;
        Ok(Url {
            href: url.as_str().to_owned(),
            scheme: url.scheme().to_owned(),
            host: url.host_str().unwrap_or_default().to_owned(),
            port: url.port(),
            path: url.path().to_owned(),
            username: url.username().to_owned(),
            password: url.password().unwrap_or_default().to_owned(),
        })
    }
}

#[cfg(target_arch = "wasm32")]
mod backend {
    use super::{Url, UrlError};

    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let url = web_sys::Url::new(text)
            .map_err(|_| UrlError::Invalid("the browser's URL parser refused it".into()))?;
        let protocol = url.protocol();
        let port = url.port();
        Ok(Url {
            href: url.href(),
            scheme: protocol.strip_suffix(':').unwrap_or(&protocol).to_owned(),
            host: url.hostname(),
            // The standard leaves the default port out, so an empty port means "default".
            port: port.parse().ok(),
            path: url.pathname(),
            username: url.username(),
            password: url.password(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_cases() {
        for (input, expected) in parity::CASES {
            assert_eq!(parity::describe(input), *expected, "{input}");
        }
    }

    #[test]
    fn a_remembered_parse_is_the_same_as_a_fresh_one() {
        // Twice through every case, so the second pass meets both remembered and evicted texts.
        for _ in 0..2 {
            for (input, _) in parity::CASES {
                assert_eq!(Url::parse(input), Url::parse_uncached(input), "{input}");
            }
        }
        assert!(RECENT.with(|r| r.borrow().len()) <= RECENT_PARSES);
        let text = "https://recent.example.com/a";
        let first = Url::parse(text);
        assert_eq!(
            RECENT.with(|r| r.borrow().first().map(|(t, _)| t.clone())),
            Some(text.to_owned())
        );
        assert_eq!(Url::parse(text), first);
    }

    #[test]
    fn reads_the_parts() {
        let url = Url::parse("https://u:p@Example.COM:8443/a/b?x=1#top").unwrap();
        assert_eq!(url.as_str(), "https://u:p@example.com:8443/a/b?x=1#top");
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host_str(), Some("example.com"));
        assert_eq!(url.port(), Some(8443));
        assert_eq!(url.path(), "/a/b");
        assert_eq!(url.query(), Some("x=1"));
        assert_eq!(url.fragment(), Some("top"));
        assert_eq!(url.username(), "u");
        assert_eq!(url.password(), Some("p"));
        assert_eq!(url.origin(), "https://example.com:8443");
        let segments: Vec<&str> = url.path_segments().unwrap().collect();
        assert_eq!(segments, ["a", "b"]);
    }

    #[test]
    fn default_ports_and_empty_parts() {
        let url = Url::parse("https://example.com:443").unwrap();
        assert_eq!(url.port(), None);
        assert_eq!(url.path(), "/");
        assert_eq!(url.query(), None);
        assert_eq!(url.fragment(), None);
        assert_eq!(url.password(), None);
        assert_eq!(url.origin(), "https://example.com");
        let bare = Url::parse("https://example.com/?#").unwrap();
        assert_eq!((bare.query(), bare.fragment()), (Some(""), Some("")));
        // A `?` inside the fragment is not a query.
        assert_eq!(Url::parse("https://e.com/p#a?b").unwrap().query(), None);
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(
            Url::parse("https://bücher.example/").unwrap().host_str(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(
            Url::parse("http://[::1]:9090/x").unwrap().host_str(),
            Some("[::1]")
        );
        assert_eq!(Url::parse("mailto:a@b.c").unwrap().origin(), "null");
        assert!(Url::parse("mailto:a@b.c")
            .unwrap()
            .path_segments()
            .is_none());
    }

    #[test]
    fn errors_tell_a_missing_scheme_apart() {
        assert_eq!(Url::parse("example.com/x"), Err(UrlError::NoScheme));
        assert_eq!(Url::parse("/proxy/api/dev"), Err(UrlError::NoScheme));
        assert_eq!(Url::parse(""), Err(UrlError::NoScheme));
        assert!(matches!(
            Url::parse("https://exa mple.com/"),
            Err(UrlError::Invalid(_))
        ));
        assert!(matches!(Url::parse("https://"), Err(UrlError::Invalid(_))));
        assert_eq!(
            UrlError::NoScheme.to_string(),
            "relative URL without a base"
        );
    }

    #[test]
    fn with_path_keeps_the_rest() {
        let url = Url::parse("https://u@h.example:8443/old/path?q=1#f").unwrap();
        assert_eq!(
            url.with_path("/oauth2/token").unwrap().as_str(),
            "https://u@h.example:8443/oauth2/token?q=1#f"
        );
        assert_eq!(
            Url::parse("https://h.example")
                .unwrap()
                .with_path("x y")
                .unwrap()
                .as_str(),
            "https://h.example/x%20y"
        );
        assert!(Url::parse("mailto:a@b.c").unwrap().with_path("/x").is_err());
    }
}
