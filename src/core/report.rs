//! The evidence report of the last run, to attach to a ticket as Markdown or JSON: the settings
//! without the secret, both exchanges redacted, the token's header and claims (never its
//! signature), checks, assertions, diagnoses, timings in UTC and the tool version.
//!
//! Redaction happens once, in [`build_evidence`]; [`Evidence`] only ever holds safe values, so
//! every rendering of it is safe too.

mod markdown;

use serde::Serialize;
use serde_json::{Map, Value};

pub use markdown::to_markdown;

use crate::core::checks::Check;
use crate::core::diagnosis::Diagnosis;
use crate::core::exchange::{redact_text, tokens_in_response, Exchange, REDACTED};
use crate::core::headers::{is_kept_line, is_secret_header};
use crate::core::jwt::{decode, format_utc};
use crate::core::secret_shape::mask_secret_shapes;
use crate::core::settings::Settings;
use crate::core::short_sort::sort_short;

/// One response assertion as the run judged it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AssertionLine {
    pub description: String,
    pub passed: bool,
    pub actual: String,
}

/// The settings as the report shows them: the client secret only as set or not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceSettings {
    pub client_id: String,
    /// [`REDACTED`] when a secret was set, empty when none was.
    pub client_secret: String,
    pub domain: String,
    pub region: String,
    /// `Token endpoint (OAuth 2.0)` or `GetClientToken API`.
    pub token_source: String,
    /// Where the token request goes (the token endpoint, or GetClientToken's), when it resolves.
    pub token_url: Option<String>,
    /// The client metadata as typed (a JSON object of strings), empty when none.
    pub client_metadata: String,
    pub scope: String,
    pub api_url: String,
    pub method: String,
    pub api_body: String,
    /// Credential headers (Authorization, X-Api-Key, Cookie, …) keep their name only.
    pub extra_headers: String,
    /// The OAuth name: `client_secret_post` or `client_secret_basic`.
    pub client_auth: String,
    pub via_proxy: bool,
    pub timeout_secs: u32,
    pub jwks: String,
}

/// When each request of the run started and how long it took.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timing {
    pub step: &'static str,
    pub started_at_utc: String,
    pub elapsed_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub tool_version: String,
    pub generated_at_unix: i64,
    pub generated_at_utc: String,
    pub verdict: String,
    pub settings: EvidenceSettings,
    pub timings: Vec<Timing>,
    pub token_exchange: Option<Exchange>,
    pub api_exchange: Option<Exchange>,
    /// The decoded JWT header and claims; the signature is never kept.
    pub token_header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    pub checks: Vec<Check>,
    pub assertions: Vec<AssertionLine>,
    pub diagnoses: Vec<Diagnosis>,
}

/// The raw pieces of a run, unredacted; [`build_evidence`] makes them safe to share.
#[derive(Clone, Debug, Default)]
pub struct EvidenceInput {
    pub tool_version: String,
    pub generated_at_unix: i64,
    pub settings: Settings,
    pub token_exchange: Option<Exchange>,
    pub api_exchange: Option<Exchange>,
    /// The run's access token. When `None`, it is read from the token response, if any.
    pub access_token: Option<String>,
    pub checks: Vec<Check>,
    pub assertions: Vec<AssertionLine>,
    pub diagnoses: Vec<Diagnosis>,
    pub verdict: String,
    /// Whether the run had a client secret (the report says "set", never the value).
    pub client_secret_set: bool,
    /// Values to mask everywhere: the tab's [`crate::core::run::SecretBook`]. The access token
    /// and any token in the token response are added automatically.
    pub secrets: Vec<String>,
}

/// Redacts everything and keeps only the token's header and claims.
pub fn build_evidence(input: EvidenceInput) -> Evidence {
    let token = input.access_token.clone().or_else(|| {
        tokens_in_response(input.token_exchange.as_ref())
            .into_iter()
            .next()
            .map(|(_, token)| token)
    });
    let secrets = all_secrets(&input, token.as_deref());
    let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let red = |text: &str| redact_text(text, &secret_refs);
    // The form's fields and the checks' lines quoting them, as share links and profiles treat
    // the form: also text shaped like a token or a URL password, which the tab may never have
    // seen (a token from elsewhere in the body, user:password@ in the key set's URL).
    let form = |text: &str| red(&mask_secret_shapes(text));
    let decoded = token.as_deref().map(decode);
    let s = &input.settings;
    let settings = EvidenceSettings {
        client_id: red(&s.client_id),
        client_secret: if input.client_secret_set {
            REDACTED.to_owned()
        } else {
            String::new()
        },
        domain: form(&s.domain),
        region: red(&s.region),
        token_source: s.token_source.label().to_owned(),
        token_url: s.token_request_url().ok().map(|url| form(&url)),
        client_metadata: form(&s.client_metadata),
        scope: red(&s.scope),
        api_url: form(&s.api_url),
        method: s.method.as_str().to_owned(),
        api_body: form(&s.api_body),
        extra_headers: form(&mask_credential_headers(
            &s.extra_headers,
            &s.secret_headers,
        )),
        client_auth: s.client_auth.oauth_name().to_owned(),
        via_proxy: s.via_proxy,
        timeout_secs: s.timeout_secs,
        jwks: form(&s.jwks),
    };
    let token_exchange = input
        .token_exchange
        .map(|e| masked_by_shape(e.redacted(&secret_refs)));
    let api_exchange = input
        .api_exchange
        .map(|e| masked_by_shape(e.redacted(&secret_refs)));
    let timings = [
        ("token request", &token_exchange),
        ("API call", &api_exchange),
    ]
    .into_iter()
    .filter_map(|(step, exchange)| {
        exchange.as_ref().map(|e| Timing {
            step,
            started_at_utc: iso_utc_ms(e.started_at_unix_ms),
            elapsed_ms: e.elapsed_ms,
        })
    })
    .collect();
    Evidence {
        tool_version: input.tool_version,
        generated_at_unix: input.generated_at_unix,
        generated_at_utc: iso_utc_ms(input.generated_at_unix as f64 * 1000.0),
        verdict: form(&input.verdict),
        settings,
        timings,
        token_exchange,
        api_exchange,
        token_header: decoded.as_ref().and_then(|d| d.header.json.clone().ok()),
        claims: decoded.as_ref().and_then(|d| d.payload.json.clone().ok()),
        checks: input
            .checks
            .into_iter()
            .map(|c| Check {
                detail: form(&c.detail),
                fix: c.fix.as_deref().map(form),
                ..c
            })
            .collect(),
        assertions: input
            .assertions
            .into_iter()
            .map(|a| AssertionLine {
                description: form(&a.description),
                passed: a.passed,
                actual: form(&a.actual),
            })
            .collect(),
        diagnoses: input
            .diagnoses
            .into_iter()
            .map(|d| Diagnosis {
                what: form(&d.what),
                cause: form(&d.cause),
                fix: form(&d.fix),
                ..d
            })
            .collect(),
    }
}

/// The exchange with token-shaped text and URL passwords masked too (a token from elsewhere
/// sent in the body or the URL, or echoed back), as the report's form is.
fn masked_by_shape(mut exchange: Exchange) -> Exchange {
    let request = &mut exchange.request;
    request.url = mask_secret_shapes(&request.url);
    request.body = request.body.as_deref().map(mask_secret_shapes);
    for (_, value) in &mut request.headers {
        *value = mask_secret_shapes(value);
    }
    if let Some(response) = &mut exchange.response {
        response.body = mask_secret_shapes(&response.body);
        for (name, value) in &mut response.headers {
            *value = masked_response_header(name, value);
        }
    }
    exchange
}

/// A response header's value as the report shows it. The command line reads `Set-Cookie` (the
/// page's fetch never can): the cookie's value is a session credential, its name and attributes
/// are not. A header named like a credential is masked whole, as its request twin would be.
fn masked_response_header(name: &str, value: &str) -> String {
    if name.trim().eq_ignore_ascii_case("set-cookie") {
        let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
        let cookie = pair.split_once('=').map_or("", |(cookie, _)| cookie);
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(";{}", mask_secret_shapes(attributes))
        };
        return format!("{}={REDACTED}{attributes}", cookie.trim());
    }
    // `WWW-Authenticate` (and API Gateway's remapped copy) says why a token was refused: the
    // diagnosis quotes it, and it holds no credential.
    let lower = name.trim().to_ascii_lowercase();
    let challenge = lower.ends_with("authenticate") || lower == "authentication-info";
    if crate::core::headers::is_credential_name(name) && !challenge {
        return REDACTED.to_owned();
    }
    mask_secret_shapes(value)
}

/// Everything to mask: the tab's secrets as given (every secret it sent or received), every
/// token of the run and each token's signature on its own (in case something echoes only that
/// part).
fn all_secrets(input: &EvidenceInput, token: Option<&str>) -> Vec<String> {
    let mut secrets = input.secrets.clone();
    let mut tokens: Vec<String> = token.map(str::to_owned).into_iter().collect();
    tokens.extend(
        tokens_in_response(input.token_exchange.as_ref())
            .into_iter()
            .map(|(_, token)| token),
    );
    for token in tokens {
        if let Some(signature) = token.rsplit('.').next().filter(|s| s.len() >= 16) {
            secrets.push(signature.to_owned());
        }
        secrets.push(token);
    }
    secrets.retain(|s| !s.trim().is_empty());
    sort_short(&mut secrets);
    secrets.dedup();
    secrets
}

/// `Authorization: Bearer x` → `Authorization: ••••••` for every credential header line, and a
/// line that is no `Name: value` (`X-Api-Key abc123`: never sent, and no name to judge it by,
/// as `without_secret_headers` says) → `••••••`.
fn mask_credential_headers(extra_headers: &str, ticked: &[String]) -> String {
    extra_headers
        .lines()
        .map(|line| match line.split_once(':') {
            _ if is_kept_line(line, ticked) => line.to_owned(),
            Some((name, _)) if is_secret_header(name, ticked) => format!("{name}: {REDACTED}"),
            _ => REDACTED.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The evidence as pretty JSON.
pub fn to_json(e: &Evidence) -> String {
    serde_json::to_string_pretty(e).unwrap_or_else(|err| {
        serde_json::json!({ "error": format!("the report could not be written as JSON: {err}") })
            .to_string()
    })
}

/// `cognito-api-test-2026-11-27T064125Z.md`: sortable, and valid on every file system.
pub fn file_name(generated_at_unix: i64, ext: &str) -> String {
    let ext = ext.trim_start_matches('.');
    let stamp = format_utc(generated_at_unix);
    match stamp.strip_suffix(" UTC") {
        Some(time) => format!(
            "cognito-api-test-{}Z.{ext}",
            time.replace(' ', "T").replace(':', "")
        ),
        None => format!("cognito-api-test-{generated_at_unix}.{ext}"),
    }
}

/// RFC 3339 in UTC with milliseconds: `2026-11-27T06:41:25.123Z`.
fn iso_utc_ms(unix_ms: f64) -> String {
    if !unix_ms.is_finite() {
        return "unknown".to_owned();
    }
    let ms = unix_ms.round() as i64;
    let (secs, millis) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let text = format_utc(secs);
    match text.strip_suffix(" UTC") {
        Some(time) => format!("{}.{millis:03}Z", time.replace(' ', "T")),
        None => text,
    }
}

#[cfg(test)]
mod tests;
