//! The client-credentials token request (RFC 6749 §4.4) as Cognito's `/oauth2/token` expects it,
//! and a reading of its answer that never panics, whatever a proxy or gateway sends back.

use std::fmt;

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::short_sort::sort_short;

/// How the client secret travels. Cognito documents both; the body form keeps the request a CORS
/// "simple request" (no preflight), the Basic header triggers an OPTIONS preflight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ClientAuth {
    /// `client_secret_post`: `client_id` and `client_secret` in the form body.
    #[default]
    SecretInBody,
    /// `client_secret_basic`: `Authorization: Basic base64(id:secret)`, as AWS documents it.
    BasicHeader,
}

impl ClientAuth {
    /// The label shown in the "Client authentication" control.
    pub fn label(self) -> &'static str {
        match self {
            ClientAuth::SecretInBody => "Secret in body",
            ClientAuth::BasicHeader => "Basic header",
        }
    }

    /// Every option, in the order the UI lists them.
    pub fn all() -> [ClientAuth; 2] {
        [ClientAuth::SecretInBody, ClientAuth::BasicHeader]
    }

    /// The OAuth name of the method (`token_endpoint_auth_method`), for messages and exports.
    pub fn oauth_name(self) -> &'static str {
        match self {
            ClientAuth::SecretInBody => "client_secret_post",
            ClientAuth::BasicHeader => "client_secret_basic",
        }
    }

    /// The other method: what to suggest when Cognito says `invalid_client`.
    pub fn other(self) -> ClientAuth {
        match self {
            ClientAuth::SecretInBody => ClientAuth::BasicHeader,
            ClientAuth::BasicHeader => ClientAuth::SecretInBody,
        }
    }
}

/// Everything `fetch` needs to send the token request; also what the exchange panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Splits the Scope field on whitespace and commas: people paste scopes from consoles, docs and
/// CLI output in all three forms, while OAuth wants them space-separated.
pub fn normalise_scopes(scope: &str) -> Vec<String> {
    scope
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Splits a token's `scope` claim as API Gateway's authorizers and OAuth (RFC 6749 §3.3) do: on
/// spaces only. `demo/a,demo/b` is one scope there (a scope name may hold a comma), so the Scope
/// field's friendlier split must never be used on what a token carries.
pub fn scope_claim(claim: &str) -> impl Iterator<Item = &str> {
    claim.split(' ').filter(|s| !s.is_empty())
}

/// Builds the `grant_type=client_credentials` POST. The id and secret are used exactly as given
/// (the settings module trims and validates them); only `Content-Type` (and, for Basic, the
/// `Authorization` header) is set so the body variant stays a CORS simple request.
pub fn build_token_request(
    token_url: &str,
    client_id: &str,
    client_secret: &str,
    scope: &str,
    auth: ClientAuth,
) -> TokenRequest {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", "client_credentials");
    let scopes = normalise_scopes(scope);
    if !scopes.is_empty() {
        form.append_pair("scope", &scopes.join(" "));
    }
    let mut headers = vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    match auth {
        ClientAuth::SecretInBody => {
            form.append_pair("client_id", client_id);
            form.append_pair("client_secret", client_secret);
        }
        ClientAuth::BasicHeader => {
            headers.push((
                "Authorization".to_owned(),
                basic_authorization(client_id, client_secret),
            ));
        }
    }
    TokenRequest {
        url: token_url.trim().to_owned(),
        headers,
        body: form.finish(),
    }
}

/// `Basic Base64Encode(client_id:client_secret)`, exactly as Cognito's token endpoint documents
/// it: no URL-encoding step (docs/aws-behaviour.md, "Client authentication and the Basic encoding").
pub fn basic_authorization(client_id: &str, client_secret: &str) -> String {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{client_secret}"));
    format!("Basic {encoded}")
}

/// RFC 6749 §2.3.1's form: id and secret form-urlencoded before they are joined and encoded. It
/// differs from [`basic_authorization`] only for values with characters URL-encoding changes.
pub fn basic_authorization_rfc6749(client_id: &str, client_secret: &str) -> String {
    let id: String = form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    let secret: String = form_urlencoded::byte_serialize(client_secret.as_bytes()).collect();
    basic_authorization(&id, &secret)
}

/// The characters of `text` that form-urlencoding changes (each once, in order of appearance):
/// where the AWS and RFC 6749 Basic encodings disagree. Never the text itself.
pub fn url_encoding_sensitive_chars(text: &str) -> Vec<char> {
    let mut found = Vec::new();
    for c in text.chars() {
        let unchanged = c.is_ascii_alphanumeric() || matches!(c, '*' | '-' | '.' | '_');
        if !unchanged && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// A successful token response. Other field names are kept (never their values) so the UI can
/// point out e.g. an unexpected `id_token` without ever displaying it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessToken {
    pub access_token: String,
    pub expires_in: Option<u64>,
    pub token_type: Option<String>,
    pub other_fields: Vec<String>,
}

/// The OAuth 2.0 error codes (RFC 6749 §5.2) Cognito returns, plus anything else verbatim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    Other(String),
}

impl OAuthErrorCode {
    pub fn parse(s: &str) -> Self {
        match s {
            "invalid_request" => OAuthErrorCode::InvalidRequest,
            "invalid_client" => OAuthErrorCode::InvalidClient,
            "invalid_grant" => OAuthErrorCode::InvalidGrant,
            "unauthorized_client" => OAuthErrorCode::UnauthorizedClient,
            "unsupported_grant_type" => OAuthErrorCode::UnsupportedGrantType,
            "invalid_scope" => OAuthErrorCode::InvalidScope,
            other => OAuthErrorCode::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OAuthErrorCode::InvalidRequest => "invalid_request",
            OAuthErrorCode::InvalidClient => "invalid_client",
            OAuthErrorCode::InvalidGrant => "invalid_grant",
            OAuthErrorCode::UnauthorizedClient => "unauthorized_client",
            OAuthErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            OAuthErrorCode::InvalidScope => "invalid_scope",
            OAuthErrorCode::Other(s) => s,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why no access token came back. Each variant keeps the HTTP status for the diagnosis.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenFailure {
    /// Cognito (or an OAuth server) answered with `{"error": ...}`.
    OAuth {
        status: u16,
        code: OAuthErrorCode,
        description: Option<String>,
    },
    EmptyBody {
        status: u16,
    },
    /// HTML or plain text: usually not the token endpoint that answered.
    NotJson {
        status: u16,
        snippet: String,
    },
    /// JSON, but neither `error` nor a string `access_token`.
    MissingAccessToken {
        status: u16,
    },
    /// An `access_token` came with a non-2xx status.
    UnexpectedStatus {
        status: u16,
    },
}

impl TokenFailure {
    pub fn status(&self) -> u16 {
        match self {
            TokenFailure::OAuth { status, .. }
            | TokenFailure::EmptyBody { status }
            | TokenFailure::NotJson { status, .. }
            | TokenFailure::MissingAccessToken { status }
            | TokenFailure::UnexpectedStatus { status } => *status,
        }
    }
}

impl fmt::Display for TokenFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenFailure::OAuth {
                status,
                code,
                description,
            } => {
                write!(
                    f,
                    "The token endpoint refused the request: HTTP {status}, error \"{code}\""
                )?;
                match description {
                    Some(d) => write!(f, " ({d})."),
                    None => f.write_str("."),
                }
            }
            TokenFailure::EmptyBody { status } => write!(
                f,
                "The token endpoint answered HTTP {status} with an empty body."
            ),
            TokenFailure::NotJson { status, snippet } => write!(
                f,
                "The token endpoint answered HTTP {status} with something that is not JSON: \"{snippet}\""
            ),
            TokenFailure::MissingAccessToken { status } => write!(
                f,
                "The token endpoint answered HTTP {status} with JSON that has no access_token."
            ),
            TokenFailure::UnexpectedStatus { status } => write!(
                f,
                "The token endpoint sent an access_token, but with HTTP {status} instead of a 2xx success status."
            ),
        }
    }
}

/// How much of a non-JSON body to quote in messages.
const SNIPPET_CHARS: usize = 200;

/// Reads the token endpoint's answer. An `error` field wins over everything (any status), because
/// that is the server telling us exactly what is wrong.
pub fn parse_token_response(status: u16, body: &str) -> Result<AccessToken, TokenFailure> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(TokenFailure::EmptyBody { status });
    }
    let value: Value = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(_) => {
            return Err(TokenFailure::NotJson {
                status,
                snippet: snippet(trimmed),
            })
        }
    };
    let Some(object) = value.as_object() else {
        return Err(TokenFailure::MissingAccessToken { status });
    };
    if let Some(error) = object.get("error") {
        return Err(TokenFailure::OAuth {
            status,
            code: match error {
                Value::String(s) => OAuthErrorCode::parse(s),
                other => OAuthErrorCode::Other(other.to_string()),
            },
            description: object
                .get("error_description")
                .and_then(Value::as_str)
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned),
        });
    }
    let access_token = match object.get("access_token").and_then(Value::as_str) {
        Some(t) if !t.trim().is_empty() => t.to_owned(),
        _ => return Err(TokenFailure::MissingAccessToken { status }),
    };
    if !(200..300).contains(&status) {
        return Err(TokenFailure::UnexpectedStatus { status });
    }
    Ok(AccessToken {
        access_token,
        expires_in: object.get("expires_in").and_then(seconds),
        token_type: object
            .get("token_type")
            .and_then(Value::as_str)
            .map(str::to_owned),
        other_fields: other_field_names(object),
    })
}

/// `expires_in` is a number per RFC 6749, but some servers send it as a string.
fn seconds(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn other_field_names(object: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = object
        .keys()
        .filter(|k| !matches!(k.as_str(), "access_token" | "expires_in" | "token_type"))
        .cloned()
        .collect();
    sort_short(&mut names);
    names
}

fn snippet(text: &str) -> String {
    match crate::core::exchange::truncate_outside_secrets(text, SNIPPET_CHARS) {
        (shown, 0) => shown.to_owned(),
        (shown, _) => format!("{shown}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://demo.auth.us-east-1.amazoncognito.com/oauth2/token";

    fn form(body: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn client_auth_labels_default_and_all() {
        assert_eq!(ClientAuth::default(), ClientAuth::SecretInBody);
        assert_eq!(ClientAuth::SecretInBody.label(), "Secret in body");
        assert_eq!(ClientAuth::BasicHeader.label(), "Basic header");
        assert_eq!(
            ClientAuth::all(),
            [ClientAuth::SecretInBody, ClientAuth::BasicHeader]
        );
        assert_eq!(ClientAuth::SecretInBody.oauth_name(), "client_secret_post");
        assert_eq!(ClientAuth::BasicHeader.oauth_name(), "client_secret_basic");
        assert_eq!(ClientAuth::SecretInBody.other(), ClientAuth::BasicHeader);
        assert_eq!(ClientAuth::BasicHeader.other(), ClientAuth::SecretInBody);
    }

    #[test]
    fn client_auth_serde_round_trip() {
        let json = serde_json::to_string(&ClientAuth::BasicHeader).unwrap();
        assert_eq!(json, "\"BasicHeader\"");
        let back: ClientAuth = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ClientAuth::BasicHeader);
    }

    #[test]
    fn scopes_split_on_whitespace_and_commas() {
        assert_eq!(
            normalise_scopes(" demo/read,demo/write\t\ndemo/admin ,, x "),
            vec!["demo/read", "demo/write", "demo/admin", "x"]
        );
        assert!(normalise_scopes("").is_empty());
        assert!(normalise_scopes(" , \n ").is_empty());
        // Unicode scopes survive, and a non-breaking space counts as whitespace.
        assert_eq!(
            normalise_scopes("api/lesen\u{a0}api/schreiben,日本/読む"),
            vec!["api/lesen", "api/schreiben", "日本/読む"]
        );
    }

    #[test]
    fn secret_in_body_request() {
        let req = build_token_request(
            URL,
            "abc123",
            "s3cr+t/=&x y",
            "demo/read, demo/write",
            ClientAuth::SecretInBody,
        );
        assert_eq!(req.url, URL);
        assert_eq!(
            req.headers,
            vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )]
        );
        assert_eq!(
            req.body,
            "grant_type=client_credentials&scope=demo%2Fread+demo%2Fwrite\
             &client_id=abc123&client_secret=s3cr%2Bt%2F%3D%26x+y"
        );
        let pairs = form(&req.body);
        assert_eq!(pairs[3], ("client_secret".into(), "s3cr+t/=&x y".into()));
    }

    #[test]
    fn empty_scope_is_omitted() {
        let req = build_token_request(URL, "id", "secret", "  ", ClientAuth::SecretInBody);
        assert_eq!(
            req.body,
            "grant_type=client_credentials&client_id=id&client_secret=secret"
        );
    }

    #[test]
    fn unicode_scope_is_percent_encoded() {
        let req = build_token_request(URL, "id", "s", "日本/読む", ClientAuth::BasicHeader);
        assert_eq!(
            req.body,
            "grant_type=client_credentials&scope=%E6%97%A5%E6%9C%AC%2F%E8%AA%AD%E3%82%80"
        );
        assert_eq!(form(&req.body)[1].1, "日本/読む");
    }

    #[test]
    fn basic_header_request() {
        let req = build_token_request(
            &format!("  {URL} "),
            "my id",
            "a:b+c",
            "demo/read",
            ClientAuth::BasicHeader,
        );
        assert_eq!(req.url, URL);
        assert_eq!(req.body, "grant_type=client_credentials&scope=demo%2Fread");
        assert!(!req.body.contains("client_id"));
        assert!(!req.body.contains("client_secret"));
        assert_eq!(req.headers.len(), 2);
        assert_eq!(req.headers[0].0, "Content-Type");
        assert_eq!(req.headers[1].0, "Authorization");
        let value = &req.headers[1].1;
        let encoded = value.strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        // As AWS documents it: Base64Encode(client_id:client_secret), no URL-encoding.
        assert_eq!(String::from_utf8(decoded).unwrap(), "my id:a:b+c");
    }

    #[test]
    fn basic_authorization_plain_values() {
        // "id:secret" in standard base64; both forms agree when nothing needs encoding.
        assert_eq!(basic_authorization("id", "secret"), "Basic aWQ6c2VjcmV0");
        assert_eq!(
            basic_authorization_rfc6749("id", "secret"),
            "Basic aWQ6c2VjcmV0"
        );
    }

    #[test]
    fn basic_authorization_aws_and_rfc_forms_differ_on_special_characters() {
        let decode = |header: String| {
            let encoded = header.strip_prefix("Basic ").unwrap().to_owned();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap(),
            )
            .unwrap()
        };
        assert_eq!(decode(basic_authorization("id", "a+b/c=")), "id:a+b/c=");
        assert_eq!(
            decode(basic_authorization_rfc6749("id", "a+b/c=")),
            "id:a%2Bb%2Fc%3D"
        );
    }

    #[test]
    fn sensitive_characters_are_named_once() {
        assert_eq!(
            url_encoding_sensitive_chars("abcXYZ019-._*"),
            Vec::<char>::new()
        );
        assert_eq!(
            url_encoding_sensitive_chars("a+b/c+%d:e f=é"),
            vec!['+', '/', '%', ':', ' ', '=', 'é']
        );
    }

    #[test]
    fn oauth_codes_parse_and_print() {
        let all = [
            ("invalid_request", OAuthErrorCode::InvalidRequest),
            ("invalid_client", OAuthErrorCode::InvalidClient),
            ("invalid_grant", OAuthErrorCode::InvalidGrant),
            ("unauthorized_client", OAuthErrorCode::UnauthorizedClient),
            (
                "unsupported_grant_type",
                OAuthErrorCode::UnsupportedGrantType,
            ),
            ("invalid_scope", OAuthErrorCode::InvalidScope),
            ("slow_down", OAuthErrorCode::Other("slow_down".into())),
        ];
        for (text, code) in all {
            assert_eq!(OAuthErrorCode::parse(text), code);
            assert_eq!(code.as_str(), text);
            assert_eq!(code.to_string(), text);
        }
        // Codes are case-sensitive in RFC 6749.
        assert_eq!(
            OAuthErrorCode::parse("INVALID_CLIENT"),
            OAuthErrorCode::Other("INVALID_CLIENT".into())
        );
    }

    #[test]
    fn success_response() {
        let body = r#"{"access_token":"eyJ.a.b","expires_in":3600,"token_type":"Bearer"}"#;
        assert_eq!(
            parse_token_response(200, body),
            Ok(AccessToken {
                access_token: "eyJ.a.b".into(),
                expires_in: Some(3600),
                token_type: Some("Bearer".into()),
                other_fields: vec![],
            })
        );
    }

    #[test]
    fn success_with_extra_fields_keeps_names_only() {
        let body =
            r#"{"access_token":"t","id_token":"SECRET-ID","refresh_token":"R","expires_in":"60"}"#;
        let token = parse_token_response(201, body).unwrap();
        assert_eq!(token.other_fields, vec!["id_token", "refresh_token"]);
        assert_eq!(token.expires_in, Some(60));
        assert_eq!(token.token_type, None);
        assert!(!format!("{token:?}").contains("SECRET-ID"));
    }

    #[test]
    fn odd_expires_in_values_are_ignored() {
        for e in ["-5", "1.5", "null", "\"soon\"", "true"] {
            let body = format!(r#"{{"access_token":"t","expires_in":{e}}}"#);
            assert_eq!(parse_token_response(200, &body).unwrap().expires_in, None);
        }
    }

    #[test]
    fn oauth_error_any_status() {
        assert_eq!(
            parse_token_response(400, r#"{"error":"invalid_client"}"#),
            Err(TokenFailure::OAuth {
                status: 400,
                code: OAuthErrorCode::InvalidClient,
                description: None
            })
        );
        assert_eq!(
            parse_token_response(
                200,
                r#"{"error":"invalid_scope","error_description":"bad scope","access_token":"t"}"#
            ),
            Err(TokenFailure::OAuth {
                status: 200,
                code: OAuthErrorCode::InvalidScope,
                description: Some("bad scope".into())
            })
        );
        // Blank description is dropped; non-string error is kept as JSON text.
        assert_eq!(
            parse_token_response(401, r#"{"error":42,"error_description":" "}"#),
            Err(TokenFailure::OAuth {
                status: 401,
                code: OAuthErrorCode::Other("42".into()),
                description: None
            })
        );
    }

    #[test]
    fn empty_body() {
        assert_eq!(
            parse_token_response(405, ""),
            Err(TokenFailure::EmptyBody { status: 405 })
        );
        assert_eq!(
            parse_token_response(200, " \r\n "),
            Err(TokenFailure::EmptyBody { status: 200 })
        );
    }

    #[test]
    fn not_json_snippet_is_char_safe_and_short() {
        let html = format!("<html>{}</html>", "é".repeat(500));
        let Err(TokenFailure::NotJson { status, snippet }) = parse_token_response(200, &html)
        else {
            panic!("expected NotJson");
        };
        assert_eq!(status, 200);
        assert_eq!(snippet.chars().count(), SNIPPET_CHARS + 1);
        assert!(snippet.starts_with("<html>éé"));
        assert!(snippet.ends_with('…'));

        assert_eq!(
            parse_token_response(502, "Bad Gateway"),
            Err(TokenFailure::NotJson {
                status: 502,
                snippet: "Bad Gateway".into()
            })
        );
    }

    #[test]
    fn json_without_access_token() {
        for (status, body) in [
            (200, r#"{"token":"x"}"#),
            (200, r#"{"access_token":123}"#),
            (200, r#"{"access_token":"  "}"#),
            (200, r#"["access_token"]"#),
            (200, "null"),
            (403, r#"{"message":"Forbidden"}"#),
        ] {
            assert_eq!(
                parse_token_response(status, body),
                Err(TokenFailure::MissingAccessToken { status }),
                "{body}"
            );
        }
    }

    #[test]
    fn access_token_with_error_status() {
        for status in [0, 199, 302, 400, 500] {
            assert_eq!(
                parse_token_response(status, r#"{"access_token":"t"}"#),
                Err(TokenFailure::UnexpectedStatus { status })
            );
        }
        assert!(parse_token_response(299, r#"{"access_token":"t"}"#).is_ok());
    }

    #[test]
    fn failure_display_and_status() {
        let cases = [
            (
                TokenFailure::OAuth {
                    status: 400,
                    code: OAuthErrorCode::InvalidClient,
                    description: None,
                },
                "The token endpoint refused the request: HTTP 400, error \"invalid_client\".",
            ),
            (
                TokenFailure::OAuth {
                    status: 400,
                    code: OAuthErrorCode::InvalidScope,
                    description: Some("x".into()),
                },
                "The token endpoint refused the request: HTTP 400, error \"invalid_scope\" (x).",
            ),
            (
                TokenFailure::EmptyBody { status: 405 },
                "The token endpoint answered HTTP 405 with an empty body.",
            ),
            (
                TokenFailure::NotJson {
                    status: 200,
                    snippet: "<html>".into(),
                },
                "The token endpoint answered HTTP 200 with something that is not JSON: \"<html>\"",
            ),
            (
                TokenFailure::MissingAccessToken { status: 200 },
                "The token endpoint answered HTTP 200 with JSON that has no access_token.",
            ),
            (
                TokenFailure::UnexpectedStatus { status: 302 },
                "The token endpoint sent an access_token, but with HTTP 302 instead of a 2xx success status.",
            ),
        ];
        for (failure, text) in cases {
            assert_eq!(failure.to_string(), text);
        }
        assert_eq!(TokenFailure::EmptyBody { status: 405 }.status(), 405);
        assert_eq!(
            TokenFailure::NotJson {
                status: 7,
                snippet: String::new()
            }
            .status(),
            7
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for body in [
            "{",
            "}",
            "\"",
            "\u{0}",
            "{\"error\":",
            "[1,2",
            "1e999999",
            "\u{feff}{}",
            "é",
        ] {
            for status in [0, 200, 400, u16::MAX] {
                assert!(parse_token_response(status, body).is_err());
            }
        }
    }
}
