//! Same-origin proxy routes: when the target sends no CORS headers, the page calls its own origin
//! under `/proxy/<route>/…` and `trunk serve` (or CloudFront in production) forwards to the target.
//! Each route's backend is an origin; the target's whole path and query travel after the prefix.

use crate::whatwg_url::Url;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Token,
    Api,
    Jwks,
    /// The user-pools API (`https://cognito-idp.<region>.amazonaws.com/`): GetClientToken.
    Idp,
}

impl Route {
    pub fn prefix(self) -> &'static str {
        match self {
            Route::Token => "/proxy/token/",
            Route::Api => "/proxy/api/",
            Route::Jwks => "/proxy/jwks/",
            Route::Idp => "/proxy/idp/",
        }
    }

    /// What the route leads to, for messages ("the token endpoint route …").
    pub fn name(self) -> &'static str {
        match self {
            Route::Token => "token endpoint",
            Route::Api => "API",
            Route::Jwks => "JWKS",
            Route::Idp => "user pools API (GetClientToken)",
        }
    }

    pub fn all() -> [Route; 4] {
        [Route::Token, Route::Api, Route::Jwks, Route::Idp]
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProxyError {
    NotAUrl(String),
    UnsupportedScheme(String),
    NoHost,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::NotAUrl(text) => write!(
                f,
                "\"{text}\" is not a complete URL: it needs to start with https:// followed by a host name."
            ),
            ProxyError::UnsupportedScheme(scheme) => write!(
                f,
                "Only https:// (or http:// for a local server) can be proxied, not \"{scheme}:\"."
            ),
            ProxyError::NoHost => {
                f.write_str("The URL has no host name (expected e.g. https://example.com/…).")
            }
        }
    }
}

fn parse(target_url: &str) -> Result<Url, ProxyError> {
    let trimmed = target_url.trim();
    let url = Url::parse(trimmed).map_err(|_| ProxyError::NotAUrl(trimmed.to_owned()))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ProxyError::NoHost);
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ProxyError::UnsupportedScheme(url.scheme().to_owned()));
    }
    Ok(url)
}

/// The same-origin path for a target URL. The fragment is dropped: browsers never send it.
pub fn proxied_path(target_url: &str, route: Route) -> Result<String, ProxyError> {
    let url = parse(target_url)?;
    let mut path = route.prefix().to_owned();
    path.push_str(url.path().trim_start_matches('/'));
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        path.push('?');
        path.push_str(query);
    }
    Ok(path)
}

/// `scheme://host[:port]/`: what a route forwards to (default ports are left out).
pub fn backend_origin(target_url: &str) -> Result<String, ProxyError> {
    let url = parse(target_url)?;
    Ok(format!("{}/", url.origin()))
}

/// The `[[proxy]]` entries for Trunk.toml, one per route, for the values in the form: the JWKS
/// and user-pools API routes when their targets are known.
pub fn trunk_proxy_block(
    token_url: &str,
    api_url: &str,
    jwks_url: Option<&str>,
    idp_url: Option<&str>,
) -> Result<String, ProxyError> {
    let mut routes = vec![(Route::Token, token_url), (Route::Api, api_url)];
    if let Some(jwks) = jwks_url {
        routes.push((Route::Jwks, jwks));
    }
    if let Some(idp) = idp_url {
        routes.push((Route::Idp, idp));
    }
    let mut blocks = Vec::new();
    for (route, target) in routes {
        blocks.push(format!(
            "# {}\n[[proxy]]\nrewrite = {}\nbackend = {}\n",
            route.name(),
            toml_string(route.prefix()),
            toml_string(&backend_origin(target)?)
        ));
    }
    Ok(blocks.join("\n"))
}

/// A TOML basic string. URL serialisation already escapes quotes; this keeps the output valid anyway.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_names_and_prefixes() {
        assert_eq!(Route::Token.prefix(), "/proxy/token/");
        assert_eq!(Route::Api.prefix(), "/proxy/api/");
        assert_eq!(Route::Jwks.prefix(), "/proxy/jwks/");
        assert_eq!(Route::Token.name(), "token endpoint");
        assert_eq!(Route::Api.name(), "API");
        assert_eq!(Route::Jwks.name(), "JWKS");
        assert_eq!(Route::Idp.prefix(), "/proxy/idp/");
        assert_eq!(
            Route::all(),
            [Route::Token, Route::Api, Route::Jwks, Route::Idp]
        );
    }

    #[test]
    fn proxied_paths_from_design() {
        assert_eq!(
            proxied_path(
                "https://demo.auth.us-east-1.amazoncognito.com/oauth2/token",
                Route::Token
            ),
            Ok("/proxy/token/oauth2/token".into())
        );
        assert_eq!(
            proxied_path(
                "https://x.execute-api.us-east-1.amazonaws.com/dev/pets?x=1",
                Route::Api
            ),
            Ok("/proxy/api/dev/pets?x=1".into())
        );
        assert_eq!(
            proxied_path(
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo/.well-known/jwks.json",
                Route::Jwks
            ),
            Ok("/proxy/jwks/us-east-1_demo/.well-known/jwks.json".into())
        );
        assert_eq!(
            proxied_path("https://cognito-idp.us-east-1.amazonaws.com/", Route::Idp),
            Ok("/proxy/idp/".into())
        );
    }

    #[test]
    fn proxied_path_edges() {
        assert_eq!(
            proxied_path("https://x.example", Route::Api),
            Ok("/proxy/api/".into())
        );
        assert_eq!(
            proxied_path(" https://x.example/?", Route::Api),
            Ok("/proxy/api/".into())
        );
        assert_eq!(
            proxied_path("https://x.example/a//b/?q=a%20b&r=é#frag", Route::Api),
            Ok("/proxy/api/a//b/?q=a%20b&r=%C3%A9".into())
        );
        assert_eq!(
            proxied_path("http://127.0.0.1:9090/dev/pets", Route::Api),
            Ok("/proxy/api/dev/pets".into())
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            proxied_path("x.execute-api.us-east-1.amazonaws.com/dev", Route::Api),
            Err(ProxyError::NotAUrl(
                "x.execute-api.us-east-1.amazonaws.com/dev".into()
            ))
        );
        assert_eq!(
            proxied_path("  ", Route::Api),
            Err(ProxyError::NotAUrl(String::new()))
        );
        assert_eq!(
            proxied_path("https://", Route::Api),
            Err(ProxyError::NotAUrl("https://".into()))
        );
        assert_eq!(
            backend_origin("ftp://files.example/x"),
            Err(ProxyError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            backend_origin("wss://x.example/"),
            Err(ProxyError::UnsupportedScheme("wss".into()))
        );
        assert_eq!(backend_origin("file:///etc/hosts"), Err(ProxyError::NoHost));
        assert_eq!(
            backend_origin("mailto:qa@example.com"),
            Err(ProxyError::NoHost)
        );
    }

    #[test]
    fn error_display() {
        assert!(ProxyError::NotAUrl("abc".into())
            .to_string()
            .contains("\"abc\" is not a complete URL"));
        assert!(ProxyError::UnsupportedScheme("ftp".into())
            .to_string()
            .contains("not \"ftp:\""));
        assert!(ProxyError::NoHost.to_string().contains("no host name"));
    }

    #[test]
    fn backend_origins() {
        assert_eq!(
            backend_origin("https://demo.auth.us-east-1.amazoncognito.com/oauth2/token"),
            Ok("https://demo.auth.us-east-1.amazoncognito.com/".into())
        );
        assert_eq!(
            backend_origin("http://127.0.0.1:9090/dev?x=1"),
            Ok("http://127.0.0.1:9090/".into())
        );
        assert_eq!(
            backend_origin("https://API.Example:443/x"),
            Ok("https://api.example/".into())
        );
        assert_eq!(
            backend_origin("https://bücher.example/"),
            Ok("https://xn--bcher-kva.example/".into())
        );
    }

    /// A hand check of the TOML: only comments, blank lines, table headers and `key = "string"`.
    fn assert_toml_shape(text: &str) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for line in text.lines() {
            if line.is_empty() || line.starts_with('#') || line == "[[proxy]]" {
                continue;
            }
            let (key, value) = line.split_once(" = ").expect(line);
            assert!(
                key.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{line}"
            );
            assert!(value.starts_with('"') && value.ends_with('"'), "{line}");
            let inner = &value[1..value.len() - 1];
            assert!(!inner.replace("\\\"", "").contains('"'), "{line}");
            pairs.push((key.to_owned(), inner.to_owned()));
        }
        pairs
    }

    #[test]
    fn trunk_block_with_jwks() {
        let block = trunk_proxy_block(
            "https://demo.auth.us-east-1.amazoncognito.com/oauth2/token",
            "https://x.execute-api.us-east-1.amazonaws.com/dev/pets",
            Some(
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo/.well-known/jwks.json",
            ),
            Some("https://cognito-idp.us-east-1.amazonaws.com/"),
        )
        .unwrap();
        assert_eq!(
            block,
            "# token endpoint\n[[proxy]]\nrewrite = \"/proxy/token/\"\n\
             backend = \"https://demo.auth.us-east-1.amazoncognito.com/\"\n\n\
             # API\n[[proxy]]\nrewrite = \"/proxy/api/\"\n\
             backend = \"https://x.execute-api.us-east-1.amazonaws.com/\"\n\n\
             # JWKS\n[[proxy]]\nrewrite = \"/proxy/jwks/\"\n\
             backend = \"https://cognito-idp.us-east-1.amazonaws.com/\"\n\n\
             # user pools API (GetClientToken)\n[[proxy]]\nrewrite = \"/proxy/idp/\"\n\
             backend = \"https://cognito-idp.us-east-1.amazonaws.com/\"\n"
        );
        let pairs = assert_toml_shape(&block);
        assert_eq!(pairs.len(), 8);
        assert_eq!(block.matches("[[proxy]]").count(), 4);
    }

    #[test]
    fn trunk_block_without_jwks_and_errors() {
        let block = trunk_proxy_block(
            "http://127.0.0.1:9090/oauth2/token",
            "http://127.0.0.1:9090/dev",
            None,
            None,
        )
        .unwrap();
        assert_eq!(block.matches("[[proxy]]").count(), 2);
        assert!(!block.contains("jwks"));
        assert_eq!(assert_toml_shape(&block)[1].1, "http://127.0.0.1:9090/");
        assert_eq!(
            trunk_proxy_block("https://a.example/", "nope", None, None),
            Err(ProxyError::NotAUrl("nope".into()))
        );
        assert_eq!(
            trunk_proxy_block(
                "https://a.example/",
                "https://b.example/",
                Some("ftp://c/"),
                None
            ),
            Err(ProxyError::UnsupportedScheme("ftp".into()))
        );
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\u{7}"), "\"a\\\"b\\\\c\\u0007\"");
    }
}
