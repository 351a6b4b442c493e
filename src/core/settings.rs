//! The form's values and the rules that make them usable: required fields, the token source,
//! the three ways to give a Cognito domain, regions, scopes, client metadata, the API URL,
//! extra headers. AWS name shapes (regions, Cognito hosts, loopback) come from [`crate::core::aws`].
//!
//! Validation is live (the UI calls [`Settings::validate`] on every keystroke), so it
//! is cheap and returns every problem at once, each tied to the field it belongs to.

use crate::core::user_sign_in::SignInSettings;
use crate::whatwg_url::{Url, UrlError};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::core::aws::{self, RegionError};
use crate::core::client_metadata::parse_client_metadata;
use crate::core::client_token::TokenSource;
use crate::core::headers::parse_extra_headers;
use crate::core::run::Secret;
use crate::core::token::ClientAuth;

/// Default time a request may take before the tool gives up on it.
pub const DEFAULT_TIMEOUT_SECS: u32 = 30;
/// Bounds for the timeout field: long enough for a slow Lambda, short enough to notice.
pub const TIMEOUT_RANGE_SECS: (u32, u32) = (1, 300);

/// HTTP methods offered for the API call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpMethod {
    #[default]
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn all() -> [HttpMethod; 5] {
        [Self::Get, Self::Post, Self::Put, Self::Patch, Self::Delete]
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Parses a method name, any case.
    pub fn parse(text: &str) -> Option<HttpMethod> {
        Self::all()
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// GET and DELETE normally carry no body; the UI hides the body field for them.
    pub fn takes_body(self) -> bool {
        matches!(self, Self::Post | Self::Put | Self::Patch)
    }
}

/// Everything the form holds except the client secret, which is a [`Secret`] of its own: this
/// type can be saved, shared and reported, so by construction it cannot carry the secret.
/// (Credential lines of `extra_headers` are left out wherever it is saved or shared: see
/// [`crate::core::headers`].)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub client_id: String,
    pub domain: String,
    pub region: String,
    pub scope: String,
    pub api_url: String,
    pub method: HttpMethod,
    pub api_body: String,
    pub extra_headers: String,
    pub client_auth: ClientAuth,
    pub via_proxy: bool,
    pub timeout_secs: u32,
    /// Where the signing keys come from: empty for `<iss>/.well-known/jwks.json`,
    /// else a JWKS URL or the JWKS JSON itself.
    #[serde(default)]
    pub jwks: String,
    /// Extra-header names the user ticked as secret, besides the credential names.
    #[serde(default)]
    pub secret_headers: Vec<String>,
    /// Where the token comes from: the domain's token endpoint or GetClientToken.
    #[serde(default)]
    pub token_source: TokenSource,
    /// Client metadata for the pre token generation trigger, as typed: a JSON object of strings
    /// (`aws_client_metadata` on the token endpoint, `ClientMetadata` on GetClientToken).
    #[serde(default)]
    pub client_metadata: String,
    /// The grant (client credentials or a user's sign-in) and the user flow's settings.
    #[serde(default)]
    pub sign_in: SignInSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            client_id: String::new(),
            domain: String::new(),
            region: String::new(),
            scope: String::new(),
            api_url: String::new(),
            method: HttpMethod::Get,
            api_body: String::new(),
            extra_headers: String::new(),
            client_auth: ClientAuth::SecretInBody,
            via_proxy: false,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            jwks: String::new(),
            secret_headers: Vec::new(),
            token_source: TokenSource::TokenEndpoint,
            client_metadata: String::new(),
            sign_in: SignInSettings::default(),
        }
    }
}

/// The form fields, named as their visible labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    ClientId,
    ClientSecret,
    Domain,
    Region,
    Scope,
    ApiUrl,
    Method,
    ApiBody,
    ExtraHeaders,
    Timeout,
    Jwks,
    TokenSource,
    ClientMetadata,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Self::ClientId => "Client ID",
            Self::ClientSecret => "Client secret",
            Self::Domain => "Domain",
            Self::Region => "Region",
            Self::Scope => "Scope",
            Self::ApiUrl => "API URL",
            Self::Method => "Method",
            Self::ApiBody => "Request body",
            Self::ExtraHeaders => "Extra headers",
            Self::Timeout => "Timeout (seconds)",
            Self::Jwks => "JWKS URL or JSON",
            Self::TokenSource => "Token source",
            Self::ClientMetadata => "Client metadata (JSON)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// A required field is empty. Blocks like an error, but the page only says so
    /// once the user tries to send, not while a fresh form is being filled.
    Missing,
    /// The request cannot be sent as the form stands.
    Error,
    /// The request can be sent, but it is probably not what the user meant.
    Warning,
}

/// One problem with one field, phrased for the person typing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: Field,
    pub level: Level,
    pub message: String,
}

/// How the Domain field was understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainForm {
    /// `my-pool` + Region → the Amazon Cognito hosted domain.
    Prefix { prefix: String, region: String },
    /// The full Amazon Cognito host, e.g. `my-pool.auth.us-east-1.amazoncognito.com`.
    CognitoHost { prefix: String, region: String },
    /// A custom domain such as `auth.example.com`.
    CustomHost { host: String },
    /// A URL with a scheme, e.g. `http://127.0.0.1:9090` for the local emulator.
    FullUrl,
}

/// The token endpoint the form points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenEndpoint {
    pub url: String,
    pub form: DomainForm,
}

/// Why the Domain field cannot be turned into a token endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainError {
    Empty,
    ContainsSpace,
    UnsupportedScheme(String),
    NotAUrl(String),
    InsecureRemote(String),
    HasQuery,
    /// `user:password@` before the host.
    HasUserInfo,
    PrefixNeedsRegion,
    /// A prefix Cognito does not allow, or a partition without known prefix domains.
    Prefix(aws::DomainError),
    BadRegion(RegionError),
    RegionMismatch {
        domain: String,
        field: String,
    },
    /// Ends in `.amazoncognito.com` but is not `<prefix>.auth.<region>.amazoncognito.com`.
    NotCognitoHost(String),
    /// GetClientToken goes to the region's user-pools API and the Region field is empty.
    RegionRequired,
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "Domain is required: a prefix (my-pool), a custom domain (auth.example.com) or a URL."),
            Self::ContainsSpace => write!(f, "Domain contains a space. Paste the domain alone, without spaces."),
            Self::UnsupportedScheme(s) => write!(f, "\"{s}://\" is not supported. The token endpoint is reached over https:// (http:// only for a local emulator)."),
            Self::NotAUrl(why) => write!(f, "Domain is not a valid URL or host name ({why})."),
            Self::InsecureRemote(host) => write!(f, "Cognito serves the token endpoint over HTTPS only. Use https://{host}, or http:// only for a server on this machine (localhost, 127.0.0.1)."),
            Self::HasQuery => write!(f, "Domain has a query (?…) or fragment (#…). Give just the domain; the tool adds /oauth2/token."),
            Self::HasUserInfo => write!(f, "Domain holds a user name or password (user:password@host): browsers refuse to fetch such a URL, and the token endpoint takes the app client's credentials from Client ID and Client secret. Give just the domain."),
            Self::PrefixNeedsRegion => write!(f, "A domain prefix needs the Region too (for example us-east-1), or give the full domain."),
            Self::Prefix(e) => write!(f, "{e}"),
            Self::BadRegion(e) => write!(f, "{e}"),
            Self::RegionMismatch { domain, field } => write!(f, "The domain is in {domain} but Region says {field}. Correct one of them."),
            Self::NotCognitoHost(host) => write!(f, "{host} ends in amazoncognito.com but is not a Cognito domain: they look like {}.", aws::PREFIX_DOMAIN_SHAPE),
            Self::RegionRequired => write!(f, "Region is required for GetClientToken: the token comes from https://cognito-idp.<region>.amazonaws.com/ (e.g. us-east-1, the start of the user pool ID)."),
        }
    }
}

const API_URL_MISSING: &str =
    "API URL is required to call the API, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/dev";
const TOKEN_PATH: &str = "/oauth2/token";
const COGNITO_SUFFIX: &str = ".amazoncognito.com";

/// Where GetClientToken is POSTed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientTokenEndpoint {
    pub url: String,
    /// True when a Domain URL on this computer (the local emulator) stands in for AWS.
    pub local: bool,
}

impl Settings {
    /// The token endpoint for the Domain and Region fields.
    pub fn token_endpoint(&self) -> Result<TokenEndpoint, DomainError> {
        resolve_token_endpoint(&self.domain, &self.region)
    }

    /// Where GetClientToken goes for the Region field (or a local Domain URL).
    pub fn client_token_endpoint(&self) -> Result<ClientTokenEndpoint, DomainError> {
        resolve_client_token_endpoint(&self.domain, &self.region)
    }

    /// The URL the chosen token source's request goes to.
    pub fn token_request_url(&self) -> Result<String, DomainError> {
        match self.token_source {
            TokenSource::TokenEndpoint => self.token_endpoint().map(|e| e.url),
            TokenSource::GetClientToken => self.client_token_endpoint().map(|e| e.url),
        }
    }

    /// Every problem in the form (with the secret typed beside it), in field order. An empty
    /// list means every button can work.
    pub fn validate(&self, secret: &Secret) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        let mut push = |field, level, message: String| {
            issues.push(FieldIssue {
                field,
                level,
                message,
            })
        };
        for (field, value) in [
            (Field::ClientId, self.client_id.as_str()),
            (Field::ClientSecret, secret.expose()),
        ] {
            // A public app client signs users in without a secret.
            let optional = field == Field::ClientSecret
                && value.trim().is_empty()
                && self.sign_in.grant == crate::core::user_sign_in::Grant::AuthorizationCode;
            if let Some((level, message)) = credential_issue(field, value).filter(|_| !optional) {
                push(field, level, message);
            }
        }
        match self.token_source {
            TokenSource::TokenEndpoint => match self.token_endpoint() {
                Err(
                    e @ (DomainError::BadRegion(_)
                    | DomainError::RegionMismatch { .. }
                    | DomainError::PrefixNeedsRegion),
                ) => push(Field::Region, Level::Error, e.to_string()),
                Err(e @ DomainError::Empty) => push(Field::Domain, Level::Missing, e.to_string()),
                Err(e) => push(Field::Domain, Level::Error, e.to_string()),
                Ok(_) => {
                    if let Err(e) = check_region_field(&self.region) {
                        push(Field::Region, Level::Error, e.to_string());
                    }
                }
            },
            TokenSource::GetClientToken => match self.client_token_endpoint() {
                Err(e @ DomainError::RegionRequired) => {
                    push(Field::Region, Level::Missing, e.to_string())
                }
                Err(e) => push(Field::Region, Level::Error, e.to_string()),
                Ok(endpoint) => {
                    if let Err(e) = check_region_field(&self.region) {
                        push(Field::Region, Level::Error, e.to_string());
                    }
                    if !endpoint.local && !self.domain.trim().is_empty() {
                        push(
                            Field::Domain,
                            Level::Warning,
                            format!("GetClientToken does not use the Domain: the token comes from {}. Only a URL on this computer (e.g. http://127.0.0.1:9090, the emulator) takes that endpoint's place.", endpoint.url),
                        );
                    }
                }
            },
        }
        if let Err(e) = parse_client_metadata(&self.client_metadata) {
            push(Field::ClientMetadata, Level::Error, e.to_string());
        }
        for scope in crate::core::token::normalise_scopes(&self.scope) {
            if !scope.contains('/') {
                push(
                    Field::Scope,
                    Level::Warning,
                    format!("\"{scope}\" has no resource server. Client credentials only grants custom scopes such as demo/example."),
                );
            }
        }
        if self.api_url.trim().is_empty() {
            push(Field::ApiUrl, Level::Missing, API_URL_MISSING.into());
        } else if let Some(message) = masked_issue(Field::ApiUrl, &self.api_url) {
            push(Field::ApiUrl, Level::Error, message);
        } else if let Err(message) = check_http_url("API URL", &self.api_url) {
            push(Field::ApiUrl, Level::Error, message);
        } else if let Some(warning) = api_url_warning(&self.api_url) {
            push(Field::ApiUrl, Level::Warning, warning);
        }
        if let Some(message) = masked_issue(Field::ApiBody, &self.api_body) {
            push(Field::ApiBody, Level::Error, message);
        } else if self.method.takes_body() && !self.api_body.trim().is_empty() {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&self.api_body) {
                push(
                    Field::ApiBody,
                    Level::Warning,
                    format!("The body is not JSON ({e}); it will be sent as typed."),
                );
            }
        }
        if let Some(message) = masked_issue(Field::ExtraHeaders, &self.extra_headers) {
            push(Field::ExtraHeaders, Level::Error, message);
        } else if let Err(message) = parse_extra_headers(&self.extra_headers) {
            push(Field::ExtraHeaders, Level::Error, message);
        }
        if let Err(message) = check_jwks_field(&self.jwks) {
            push(Field::Jwks, Level::Error, message);
        }
        let (low, high) = TIMEOUT_RANGE_SECS;
        if !(low..=high).contains(&self.timeout_secs) {
            push(
                Field::Timeout,
                Level::Error,
                format!("The timeout must be between {low} and {high} seconds."),
            );
        }
        issues
    }

    /// The problems that stop a token request.
    pub fn token_blockers(&self, secret: &Secret) -> Vec<FieldIssue> {
        self.validate(secret)
            .into_iter()
            .filter(|i| {
                i.level != Level::Warning
                    && matches!(
                        i.field,
                        Field::ClientId
                            | Field::ClientSecret
                            | Field::Domain
                            | Field::Region
                            | Field::ClientMetadata
                            | Field::Timeout
                    )
            })
            .collect()
    }

    /// The problems that stop an API call (the token is checked separately).
    pub fn api_blockers(&self) -> Vec<FieldIssue> {
        self.validate(&Secret::default())
            .into_iter()
            .filter(|i| {
                i.level != Level::Warning
                    && matches!(
                        i.field,
                        Field::ApiUrl | Field::ApiBody | Field::ExtraHeaders | Field::Timeout
                    )
            })
            .collect()
    }
}

/// A field holding the mark masking puts where a secret was: the tab keeps its form with any
/// secret it knows masked, so after a reload the field no longer holds the value. Sending it would
/// make the API's refusal look like a verdict on the API.
fn masked_issue(field: Field, value: &str) -> Option<String> {
    value.contains(crate::core::mask::REDACTED).then(|| {
        format!(
            "{} holds {} where a secret was: it was kept (in this tab's form or a saved profile) with the secret masked. Enter the real value again.",
            field.label(),
            crate::core::mask::REDACTED
        )
    })
}

/// Client ID and Client secret: required, one word, and free of invisible characters that a
/// paste brings along (a zero-width space makes Cognito answer `invalid_client`).
fn credential_issue(field: Field, value: &str) -> Option<(Level, String)> {
    let label = field.label();
    if value.trim().is_empty() {
        return Some((Level::Missing, format!("{label} is required.")));
    }
    if let Some(c) = value.chars().find(|c| is_invisible(*c)) {
        return Some((
            Level::Error,
            format!(
                "{label} contains an invisible character (U+{:04X}); it was probably pasted from a document. Type or paste it again.",
                u32::from(c)
            ),
        ));
    }
    if value.trim().chars().any(char::is_whitespace) {
        return Some((
            Level::Error,
            format!("{label} contains a space; it was probably pasted with other text."),
        ));
    }
    if value.trim() != value {
        return Some((
            Level::Warning,
            format!("{label} has spaces at the start or end; they will be ignored."),
        ));
    }
    None
}

/// Zero-width and other format characters that look like nothing on screen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}'
    )
}

/// Turns what the user typed as Domain (and Region) into the token endpoint URL.
///
/// Accepted: a prefix (`my-pool`, needs the region), the Cognito host
/// (`my-pool.auth.us-east-1.amazoncognito.com`), a custom domain (`auth.example.com`),
/// or a URL (`https://auth.example.com`, `http://127.0.0.1:9090` for local work).
pub fn resolve_token_endpoint(domain: &str, region: &str) -> Result<TokenEndpoint, DomainError> {
    let domain = domain.trim();
    let region = region.trim();
    if domain.is_empty() {
        return Err(DomainError::Empty);
    }
    if domain.chars().any(char::is_whitespace) {
        return Err(DomainError::ContainsSpace);
    }
    if let Some((scheme, _)) = domain.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(DomainError::UnsupportedScheme(scheme));
        }
        return endpoint_from_url(domain, region, true);
    }
    if !domain.contains('.') && !domain.contains(':') && !domain.contains('/') {
        if !aws::is_domain_prefix(domain) {
            return Err(DomainError::Prefix(aws::DomainError::BadPrefix(
                domain.to_owned(),
            )));
        }
        if region.is_empty() {
            return Err(DomainError::PrefixNeedsRegion);
        }
        let region = aws::parse_region(region).map_err(DomainError::BadRegion)?;
        let cognito = aws::CognitoDomain {
            prefix: domain.to_owned(),
            region,
            fips: false,
        };
        return Ok(TokenEndpoint {
            url: cognito.token_url().map_err(DomainError::Prefix)?,
            form: DomainForm::Prefix {
                prefix: cognito.prefix,
                region: cognito.region.to_string(),
            },
        });
    }
    // A host (maybe with a path) without a scheme: Cognito only speaks HTTPS.
    endpoint_from_url(&format!("https://{domain}"), region, false)
}

fn endpoint_from_url(
    text: &str,
    region: &str,
    explicit_scheme: bool,
) -> Result<TokenEndpoint, DomainError> {
    let url = Url::parse(text).map_err(|e| DomainError::NotAUrl(e.to_string()))?;
    let host = url.host_str().unwrap_or_default().to_string();
    if host.is_empty() {
        return Err(DomainError::NotAUrl("no host name".into()));
    }
    if url.scheme() == "http" && !aws::is_loopback_host(&host) {
        return Err(DomainError::InsecureRemote(host));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(DomainError::HasQuery);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(DomainError::HasUserInfo);
    }
    // Set in both cases: a pasted `…/oauth2/token/` loses its trailing slash too.
    let path = url.path().trim_end_matches('/').to_string();
    let url = if path.ends_with(TOKEN_PATH) {
        url.with_path(&path)
    } else {
        url.with_path(&format!("{path}{TOKEN_PATH}"))
    }
    .map_err(|e| DomainError::NotAUrl(e.to_string()))?;
    let form = match aws::parse_cognito_domain_host(&host) {
        Some(cognito) => {
            let domain_region = cognito.region.to_string();
            if !region.is_empty() && region != domain_region {
                return Err(DomainError::RegionMismatch {
                    domain: domain_region,
                    field: region.to_string(),
                });
            }
            DomainForm::CognitoHost {
                prefix: cognito.prefix,
                region: domain_region,
            }
        }
        None if host.ends_with(COGNITO_SUFFIX) => return Err(DomainError::NotCognitoHost(host)),
        None if explicit_scheme => DomainForm::FullUrl,
        None => DomainForm::CustomHost { host },
    };
    Ok(TokenEndpoint {
        url: url.to_string(),
        form,
    })
}

/// The Region field on its own: optional unless the domain is a prefix, but never wrong.
fn check_region_field(region: &str) -> Result<(), DomainError> {
    let region = region.trim();
    if region.is_empty() {
        Ok(())
    } else {
        aws::parse_region(region)
            .map(|_| ())
            .map_err(DomainError::BadRegion)
    }
}

/// GetClientToken's endpoint: the Region's user-pools API, or — for local work — the origin of a
/// Domain URL on this computer (the emulator answers GetClientToken on `POST /`, as AWS does).
pub fn resolve_client_token_endpoint(
    domain: &str,
    region: &str,
) -> Result<ClientTokenEndpoint, DomainError> {
    if let Some(url) = local_origin(domain) {
        return Ok(ClientTokenEndpoint { url, local: true });
    }
    let region = region.trim();
    if region.is_empty() {
        return Err(DomainError::RegionRequired);
    }
    let region = aws::parse_region(region).map_err(DomainError::BadRegion)?;
    Ok(ClientTokenEndpoint {
        url: aws::cognito_idp_endpoint(&region),
        local: false,
    })
}

/// `<scheme>://<host>[:port]/` when the Domain is an http(s) URL on this computer.
fn local_origin(domain: &str) -> Option<String> {
    let domain = domain.trim();
    let (scheme, _) = domain.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let url = Url::parse(domain).ok()?;
    let host = url.host_str().filter(|h| aws::is_loopback_host(h))?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}/", url.scheme()),
        None => format!("{}://{host}/", url.scheme()),
    })
}

/// An absolute http(s) URL with a host and no user info, or why not ("API URL needs a scheme…"):
/// what a request with the held token may be sent to (the API URL, the matrix's Base URL).
pub fn check_http_url(label: &str, text: &str) -> Result<Url, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{label} is required."));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(format!("{label} contains a space."));
    }
    let url = Url::parse(text).map_err(|e| match e {
        UrlError::NoScheme => format!("{label} needs a scheme: start it with https://"),
        other => format!("{label} is not a valid URL ({other})."),
    })?;
    match url.scheme() {
        "https" | "http" => {}
        other => {
            return Err(format!(
                "\"{other}:\" URLs cannot be called; use https:// (or http:// for a local server)."
            ))
        }
    }
    if url.host_str().unwrap_or_default().is_empty() {
        return Err(format!("{label} has no host name."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{label} holds a user name or password (user:password@host): browsers refuse to fetch such a URL. Send credentials in a header under Extra headers (tick it as secret)."));
    }
    Ok(url)
}

fn api_url_warning(text: &str) -> Option<String> {
    let url = Url::parse(text.trim()).ok()?;
    let host = url.host_str().unwrap_or_default();
    if url.scheme() == "http" && !aws::is_loopback_host(host) {
        return Some("API Gateway only serves HTTPS; http:// will probably fail.".into());
    }
    if host.ends_with(".execute-api.amazonaws.com") || host.contains(".execute-api.") {
        let has_stage = url
            .path_segments()
            .and_then(|mut s| s.next())
            .is_some_and(|s| !s.is_empty());
        if !has_stage {
            return Some("No stage in the path: REST API URLs look like https://…/dev/resource. Without the stage API Gateway answers 403 Missing Authentication Token.".into());
        }
    }
    None
}

/// The optional JWKS override: a URL to fetch, or the key set pasted as JSON.
fn check_jwks_field(text: &str) -> Result<(), String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    if text.starts_with('{') {
        return crate::core::jwks::Jwks::parse(text)
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    match Url::parse(text) {
        Ok(url) if url.scheme() == "https" || url.scheme() == "http" => Ok(()),
        _ => Err("Give the JWKS as an https:// URL, or paste its JSON ({\"keys\":[…]}). Leave it empty to use <iss>/.well-known/jwks.json.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tab keeps its form with any secret it knows masked; after a reload a field holding
    /// the mask must stop the call instead of sending the mark as if it were the value.
    #[test]
    fn a_field_masked_when_kept_stops_the_api_call() {
        let mark = crate::core::mask::REDACTED;
        for (field, s) in [
            (
                Field::ApiUrl,
                Settings {
                    api_url: format!("https://api.example.com/dev?access_token={mark}"),
                    ..filled()
                },
            ),
            (
                Field::ExtraHeaders,
                Settings {
                    extra_headers: format!("X-Jwt-Assertion: {mark}"),
                    ..filled()
                },
            ),
            (
                Field::ApiBody,
                Settings {
                    method: HttpMethod::Post,
                    api_body: format!("{{\"token\": \"{mark}\"}}"),
                    ..filled()
                },
            ),
        ] {
            let blockers = s.api_blockers();
            assert_eq!(blockers.len(), 1, "{field:?}: {blockers:?}");
            assert_eq!(blockers[0].field, field);
            assert!(
                blockers[0].message.contains(
                    "kept (in this tab's form or a saved profile) with the secret masked"
                ),
                "{}",
                blockers[0].message
            );
            // The token request does not use these fields.
            assert!(s.token_blockers(&secret()).is_empty());
        }
    }

    fn endpoint(domain: &str, region: &str) -> Result<TokenEndpoint, DomainError> {
        resolve_token_endpoint(domain, region)
    }

    fn filled() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "my-pool".into(),
            region: "us-east-1".into(),
            scope: "demo/example".into(),
            api_url: "https://abc123.execute-api.us-east-1.amazonaws.com/dev".into(),
            ..Settings::default()
        }
    }

    fn secret() -> Secret {
        Secret::new("demo-client-secret")
    }

    /// The matrix's Base URL gets the held token: a relative or empty one would send it to this
    /// page's own host, so it must be an absolute http(s) URL like the API URL.
    #[test]
    fn a_base_url_must_be_absolute() {
        for (text, why) in [
            ("", "Base URL is required."),
            ("/dev", "Base URL needs a scheme"),
            ("dev", "Base URL needs a scheme"),
            ("ftp://x/dev", "\"ftp:\" URLs cannot be called"),
            (
                "https://u:p@x/dev",
                "Base URL holds a user name or password",
            ),
        ] {
            let message = check_http_url("Base URL", text).unwrap_err();
            assert!(message.starts_with(why), "{text}: {message}");
        }
        assert!(check_http_url(
            "Base URL",
            "https://abc.execute-api.us-east-1.amazonaws.com/dev"
        )
        .is_ok());
    }

    #[test]
    fn an_api_url_with_credentials_is_refused_without_repeating_them() {
        let s = Settings {
            api_url: "https://me:hunter22@abc123.execute-api.us-east-1.amazonaws.com/dev/pets"
                .into(),
            ..Settings::default()
        };
        let issues = issues_for(&s, Field::ApiUrl);
        let issue = issues.first().unwrap();
        assert_eq!(issue.level, Level::Error);
        assert!(
            issue.message.contains("user name or password"),
            "{}",
            issue.message
        );
        assert!(!issue.message.contains("hunter22"), "{}", issue.message);
    }

    fn issues_for(s: &Settings, field: Field) -> Vec<FieldIssue> {
        issues_with(s, &secret(), field)
    }

    fn issues_with(s: &Settings, secret: &Secret, field: Field) -> Vec<FieldIssue> {
        s.validate(secret)
            .into_iter()
            .filter(|i| i.field == field)
            .collect()
    }

    #[test]
    fn prefix_and_region_make_the_hosted_domain() {
        let e = endpoint("my-pool", "us-east-1").unwrap();
        assert_eq!(
            e.url,
            "https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token"
        );
        assert_eq!(
            e.form,
            DomainForm::Prefix {
                prefix: "my-pool".into(),
                region: "us-east-1".into()
            }
        );
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        let e = endpoint("  my-pool \t", " eu-west-2 ").unwrap();
        assert_eq!(
            e.url,
            "https://my-pool.auth.eu-west-2.amazoncognito.com/oauth2/token"
        );
    }

    #[test]
    fn prefix_without_region_asks_for_it() {
        assert_eq!(endpoint("my-pool", ""), Err(DomainError::PrefixNeedsRegion));
        assert!(DomainError::PrefixNeedsRegion
            .to_string()
            .contains("Region"));
    }

    #[test]
    fn prefix_rules() {
        for bad in ["My-Pool", "-pool", "pool-", "my_pool", "pööl"] {
            assert!(
                matches!(endpoint(bad, "us-east-1"), Err(DomainError::Prefix(_))),
                "{bad} should be refused"
            );
        }
        let long = "a".repeat(64);
        assert!(matches!(
            endpoint(&long, "us-east-1"),
            Err(DomainError::Prefix(_))
        ));
        assert!(endpoint(&"a".repeat(63), "us-east-1").is_ok());
        assert!(endpoint("pool-2", "us-east-1").is_ok());
        let upper = endpoint("MyPool", "us-east-1").unwrap_err().to_string();
        assert!(upper.contains("lowercase"), "{upper}");
    }

    #[test]
    fn regions() {
        for good in [
            "us-east-1",
            "eu-central-1",
            "ap-southeast-2",
            "us-gov-west-1",
            "cn-north-1",
            "il-central-1",
            "eusc-de-east-1",
        ] {
            assert!(check_region_field(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "useast1",
            "us-east-1a",
            "u-east-1",
            "us--1",
            "us-east-123",
            "eu-ñorth-1",
            "us east 1",
            "us-iso-east-1",
        ] {
            assert!(
                bad.is_empty() || check_region_field(bad).is_err(),
                "{bad} should be refused"
            );
        }
        assert!(matches!(
            endpoint("my-pool", "moon-base-1"),
            Err(DomainError::BadRegion(_))
        ));
    }

    #[test]
    fn cognito_host_reads_region_from_the_domain() {
        let e = endpoint("my-pool.auth.eu-west-1.amazoncognito.com", "").unwrap();
        assert_eq!(
            e.url,
            "https://my-pool.auth.eu-west-1.amazoncognito.com/oauth2/token"
        );
        assert_eq!(
            e.form,
            DomainForm::CognitoHost {
                prefix: "my-pool".into(),
                region: "eu-west-1".into()
            }
        );
        let fips = endpoint("p.auth-fips.us-east-1.amazoncognito.com", "us-east-1").unwrap();
        assert!(matches!(fips.form, DomainForm::CognitoHost { .. }));
    }

    #[test]
    fn cognito_host_disagreeing_with_region_field() {
        assert_eq!(
            endpoint(
                "https://my-pool.auth.eu-west-1.amazoncognito.com",
                "us-east-1"
            ),
            Err(DomainError::RegionMismatch {
                domain: "eu-west-1".into(),
                field: "us-east-1".into()
            })
        );
    }

    #[test]
    fn custom_domain_gets_https_and_the_path() {
        let e = endpoint("auth.example.com", "").unwrap();
        assert_eq!(e.url, "https://auth.example.com/oauth2/token");
        assert_eq!(
            e.form,
            DomainForm::CustomHost {
                host: "auth.example.com".into()
            }
        );
    }

    #[test]
    fn full_urls_keep_an_existing_token_path_and_port() {
        assert_eq!(
            endpoint("https://auth.example.com/oauth2/token", "")
                .unwrap()
                .url,
            "https://auth.example.com/oauth2/token"
        );
        assert_eq!(
            endpoint("https://auth.example.com/", "").unwrap().url,
            "https://auth.example.com/oauth2/token"
        );
        let local = endpoint("http://127.0.0.1:9090", "").unwrap();
        assert_eq!(local.url, "http://127.0.0.1:9090/oauth2/token");
        assert_eq!(local.form, DomainForm::FullUrl);
        assert_eq!(
            endpoint("http://localhost:9090/", "").unwrap().url,
            "http://localhost:9090/oauth2/token"
        );
        assert_eq!(
            endpoint("HTTPS://Auth.Example.com", "").unwrap().url,
            "https://auth.example.com/oauth2/token"
        );
    }

    #[test]
    fn bad_domains_are_explained() {
        assert_eq!(endpoint("", "us-east-1"), Err(DomainError::Empty));
        assert_eq!(endpoint("   ", "us-east-1"), Err(DomainError::Empty));
        assert_eq!(
            endpoint("my pool", "us-east-1"),
            Err(DomainError::ContainsSpace)
        );
        assert_eq!(
            endpoint("ftp://auth.example.com", ""),
            Err(DomainError::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            endpoint("http://auth.example.com", ""),
            Err(DomainError::InsecureRemote("auth.example.com".into()))
        );
        assert_eq!(
            endpoint("https://auth.example.com/?a=1", ""),
            Err(DomainError::HasQuery)
        );
        // Credentials in the URL: the browser refuses to fetch it (and its error repeats it).
        assert_eq!(
            endpoint("https://me:hunter22@auth.example.com", ""),
            Err(DomainError::HasUserInfo)
        );
        assert_eq!(
            endpoint("me@auth.example.com", ""),
            Err(DomainError::HasUserInfo)
        );
        assert!(matches!(
            endpoint("https://", ""),
            Err(DomainError::NotAUrl(_))
        ));
        assert!(matches!(
            endpoint("auth..example.com:99999", ""),
            Err(DomainError::NotAUrl(_))
        ));
        for e in [
            DomainError::Empty,
            DomainError::HasQuery,
            DomainError::InsecureRemote("h".into()),
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn unicode_custom_domain_becomes_punycode() {
        let e = endpoint("äuth.example.com", "").unwrap();
        assert_eq!(e.url, "https://xn--uth-pla.example.com/oauth2/token");
    }

    #[test]
    fn a_filled_form_has_no_issues() {
        assert_eq!(filled().validate(&secret()), vec![]);
        assert!(filled().token_blockers(&secret()).is_empty());
        assert!(filled().api_blockers().is_empty());
    }

    #[test]
    fn the_empty_form_lists_every_required_field() {
        let fields: Vec<Field> = Settings::default()
            .validate(&Secret::default())
            .iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                Field::ClientId,
                Field::ClientSecret,
                Field::Domain,
                Field::ApiUrl
            ]
        );
        assert!(Settings::default()
            .validate(&Secret::default())
            .iter()
            .all(|i| i.level == Level::Missing));
    }

    #[test]
    fn ids_and_secrets_with_spaces() {
        let mut s = filled();
        s.client_id = "abc def".into();
        let id = issues_for(&s, Field::ClientId);
        assert_eq!(id.len(), 1);
        assert_eq!(id[0].level, Level::Error);
        let secret = issues_with(&s, &Secret::new(" secret "), Field::ClientSecret);
        assert_eq!(secret[0].level, Level::Warning);
        assert!(secret[0].message.contains("ignored"));
        // Trailing spaces in the Client ID are flagged as well.
        s.client_id = "abc ".into();
        assert_eq!(issues_for(&s, Field::ClientId)[0].level, Level::Warning);
    }

    /// A zero-width space pasted with an id or secret makes Cognito answer invalid_client.
    #[test]
    fn invisible_characters_are_flagged() {
        let mut s = filled();
        s.client_id = "demo\u{200B}client".into();
        let id = issues_for(&s, Field::ClientId);
        assert_eq!(id[0].level, Level::Error);
        assert!(id[0].message.contains("U+200B"), "{}", id[0].message);
        let secret = issues_with(
            &filled(),
            &Secret::new("\u{FEFF}secret"),
            Field::ClientSecret,
        );
        assert_eq!(secret[0].level, Level::Error);
    }

    #[test]
    fn region_errors_land_on_the_region_field() {
        let mut s = filled();
        s.region = "narnia".into();
        assert_eq!(issues_for(&s, Field::Region).len(), 1);
        assert!(issues_for(&s, Field::Domain).is_empty());
        s.region.clear();
        assert_eq!(
            issues_for(&s, Field::Region)[0].message,
            DomainError::PrefixNeedsRegion.to_string()
        );
        // With a custom domain the region is optional but must still be a region when given.
        s.domain = "auth.example.com".into();
        assert!(issues_for(&s, Field::Region).is_empty());
        s.region = "nowhere".into();
        assert_eq!(issues_for(&s, Field::Region).len(), 1);
    }

    #[test]
    fn scopes_without_a_resource_server_warn() {
        let mut s = filled();
        s.scope = "demo/example openid".into();
        let scope = issues_for(&s, Field::Scope);
        assert_eq!(scope.len(), 1);
        assert_eq!(scope[0].level, Level::Warning);
        assert!(scope[0].message.contains("openid"));
        s.scope = "demo/example, demo/other".into();
        assert!(issues_for(&s, Field::Scope).is_empty());
        s.scope = "démo/exämple".into();
        assert!(issues_for(&s, Field::Scope).is_empty());
    }

    #[test]
    fn api_url_rules() {
        let mut s = filled();
        for (bad, word) in [
            ("abc123.execute-api.us-east-1.amazonaws.com/dev", "https://"),
            ("ftp://example.com/x", "ftp"),
            ("https://exa mple.com", "space"),
            ("https://", "valid"),
        ] {
            s.api_url = bad.into();
            let issues = issues_for(&s, Field::ApiUrl);
            assert_eq!(issues.len(), 1, "{bad}");
            assert_eq!(issues[0].level, Level::Error, "{bad}");
            assert!(
                issues[0].message.contains(word),
                "{bad}: {}",
                issues[0].message
            );
        }
        s.api_url = " ".into();
        assert_eq!(issues_for(&s, Field::ApiUrl)[0].level, Level::Missing);
        assert!(issues_for(&s, Field::ApiUrl)[0]
            .message
            .contains("required"));
        s.api_url = "https://abc123.execute-api.us-east-1.amazonaws.com/".into();
        let warning = issues_for(&s, Field::ApiUrl);
        assert_eq!(warning[0].level, Level::Warning);
        assert!(warning[0].message.contains("stage"));
        s.api_url = "http://api.example.com/dev".into();
        assert_eq!(issues_for(&s, Field::ApiUrl)[0].level, Level::Warning);
        s.api_url = "http://127.0.0.1:9090/dev".into();
        assert!(issues_for(&s, Field::ApiUrl).is_empty());
    }

    #[test]
    fn body_that_is_not_json_warns_only_for_methods_with_a_body() {
        let mut s = filled();
        s.api_body = "{not json".into();
        assert!(issues_for(&s, Field::ApiBody).is_empty());
        s.method = HttpMethod::Post;
        assert_eq!(issues_for(&s, Field::ApiBody)[0].level, Level::Warning);
        s.api_body = r#"{"type":"dog"}"#.into();
        assert!(issues_for(&s, Field::ApiBody).is_empty());
    }

    #[test]
    fn extra_headers() {
        let mut s = filled();
        s.extra_headers = "oops".into();
        assert_eq!(s.api_blockers().len(), 1);
        assert!(s.token_blockers(&secret()).is_empty());
    }

    #[test]
    fn jwks_override() {
        let mut s = filled();
        for good in [
            "",
            "https://cognito-idp.us-east-1.amazonaws.com/p/.well-known/jwks.json",
            r#"{"keys":[{"kty":"RSA","kid":"k","n":"a","e":"AQAB"}]}"#,
        ] {
            s.jwks = good.into();
            assert!(issues_for(&s, Field::Jwks).is_empty(), "{good}");
        }
        for bad in ["jwks.json", "{\"keys\":[]}", "{oops", "ftp://x/jwks"] {
            s.jwks = bad.into();
            assert_eq!(issues_for(&s, Field::Jwks).len(), 1, "{bad}");
        }
        // A bad JWKS never blocks the token or the API call.
        assert!(s.token_blockers(&secret()).is_empty() && s.api_blockers().is_empty());
    }

    #[test]
    fn timeout_bounds() {
        let mut s = filled();
        s.timeout_secs = 0;
        assert_eq!(issues_for(&s, Field::Timeout).len(), 1);
        s.timeout_secs = 301;
        assert_eq!(issues_for(&s, Field::Timeout).len(), 1);
        s.timeout_secs = 300;
        assert!(issues_for(&s, Field::Timeout).is_empty());
    }

    #[test]
    fn blockers_split_by_button() {
        let s = filled();
        assert_eq!(s.token_blockers(&Secret::default()).len(), 1);
        assert!(s.api_blockers().is_empty());
        let mut s = filled();
        s.api_url.clear();
        assert!(s.token_blockers(&secret()).is_empty());
        assert_eq!(s.api_blockers().len(), 1);
    }

    #[test]
    fn methods() {
        assert_eq!(HttpMethod::parse("patch"), Some(HttpMethod::Patch));
        assert_eq!(HttpMethod::parse("TRACE"), None);
        assert!(HttpMethod::Post.takes_body());
        assert!(!HttpMethod::Get.takes_body());
        assert_eq!(
            HttpMethod::all().map(HttpMethod::as_str),
            ["GET", "POST", "PUT", "PATCH", "DELETE"]
        );
    }

    /// Regions of every partition validate, and a prefix domain is built only where its suffix is known.
    #[test]
    fn partitions() {
        for region in ["cn-north-1", "us-gov-west-1", "eusc-de-east-1"] {
            let mut s = filled();
            s.domain = "auth.example.com".into();
            s.region = region.into();
            assert!(issues_for(&s, Field::Region).is_empty(), "{region}");
            s.token_source = TokenSource::GetClientToken;
            assert!(issues_for(&s, Field::Region).is_empty(), "{region}");
        }
        assert_eq!(
            endpoint("my-pool", "us-gov-west-1").unwrap().url,
            "https://my-pool.auth.us-gov-west-1.amazoncognito.com/oauth2/token"
        );
        let china = endpoint("my-pool", "cn-north-1").unwrap_err();
        assert!(matches!(china, DomainError::Prefix(_)));
        assert!(china.to_string().contains("full domain"), "{china}");
        assert!(matches!(
            endpoint("my-pool", "us-iso-east-1"),
            Err(DomainError::BadRegion(RegionError::Isolated(_)))
        ));
        assert_eq!(
            endpoint("p.auth.narnia.amazoncognito.com", ""),
            Err(DomainError::NotCognitoHost(
                "p.auth.narnia.amazoncognito.com".into()
            ))
        );
    }

    fn client_token(domain: &str, region: &str) -> Settings {
        Settings {
            token_source: TokenSource::GetClientToken,
            domain: domain.into(),
            region: region.into(),
            ..filled()
        }
    }

    #[test]
    fn get_client_token_goes_to_the_regions_user_pools_api() {
        let s = client_token("", "eu-west-1");
        assert_eq!(
            s.client_token_endpoint(),
            Ok(ClientTokenEndpoint {
                url: "https://cognito-idp.eu-west-1.amazonaws.com/".into(),
                local: false
            })
        );
        assert_eq!(
            s.token_request_url().unwrap(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(s.validate(&secret()), vec![]);
        assert_eq!(
            client_token("", "cn-northwest-1")
                .token_request_url()
                .unwrap(),
            "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/"
        );
        // The token endpoint source keeps using the Domain.
        assert_eq!(
            filled().token_request_url().unwrap(),
            "https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token"
        );
    }

    #[test]
    fn get_client_token_needs_the_region_not_the_domain() {
        let s = client_token("", "");
        let region = issues_for(&s, Field::Region);
        assert_eq!(region.len(), 1);
        assert_eq!(region[0].level, Level::Missing);
        assert!(region[0].message.contains("cognito-idp"));
        assert!(issues_for(&s, Field::Domain).is_empty());
        assert_eq!(s.token_blockers(&secret()).len(), 1);
        let bad = client_token("", "moon-1");
        assert_eq!(issues_for(&bad, Field::Region)[0].level, Level::Error);
        // A Domain that is not used is a warning only, never a blocker.
        let ignored = client_token("my pool!", "us-east-1");
        let domain = issues_for(&ignored, Field::Domain);
        assert_eq!(domain.len(), 1);
        assert_eq!(domain[0].level, Level::Warning);
        assert!(domain[0].message.contains("does not use the Domain"));
        assert!(ignored.token_blockers(&secret()).is_empty());
    }

    /// For local work a Domain URL on this computer replaces the AWS endpoint: its origin, path `/`.
    #[test]
    fn get_client_token_on_a_local_domain_url() {
        for (domain, url) in [
            ("http://127.0.0.1:9090", "http://127.0.0.1:9090/"),
            (
                " http://localhost:9090/oauth2/token ",
                "http://localhost:9090/",
            ),
            ("https://[::1]:8443/x", "https://[::1]:8443/"),
        ] {
            let s = client_token(domain, "");
            assert_eq!(
                s.client_token_endpoint(),
                Ok(ClientTokenEndpoint {
                    url: url.into(),
                    local: true
                }),
                "{domain}"
            );
            assert!(s.validate(&secret()).is_empty(), "{domain}");
        }
        // Not on this computer: AWS's endpoint, whatever the Domain says.
        for domain in ["https://auth.example.com", "my-pool", "127.0.0.1:9090"] {
            assert_eq!(
                client_token(domain, "us-east-1")
                    .token_request_url()
                    .unwrap(),
                "https://cognito-idp.us-east-1.amazonaws.com/",
                "{domain}"
            );
        }
        // A Region given beside a local URL must still be a region.
        assert_eq!(
            issues_for(
                &client_token("http://127.0.0.1:9090", "nowhere"),
                Field::Region
            )
            .len(),
            1
        );
    }

    #[test]
    fn client_metadata_is_checked_for_both_sources() {
        for source in TokenSource::all() {
            let mut s = filled();
            s.region = "us-east-1".into();
            s.token_source = source;
            s.client_metadata = r#"{"tenant": "acme"}"#.into();
            assert!(issues_for(&s, Field::ClientMetadata).is_empty());
            s.client_metadata = r#"{"tenant": 1}"#.into();
            let issues = issues_for(&s, Field::ClientMetadata);
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].level, Level::Error);
            assert!(issues[0].message.contains("tenant"));
            // Bad metadata stops the token, not a call with a held token.
            assert_eq!(s.token_blockers(&secret()).len(), 1);
            assert!(s.api_blockers().is_empty());
        }
    }

    /// Links and profiles written before these settings existed still load.
    #[test]
    fn older_settings_json_reads_the_defaults() {
        let mut json = serde_json::to_value(filled()).unwrap();
        let object = json.as_object_mut().unwrap();
        object.remove("token_source");
        object.remove("client_metadata");
        let read: Settings = serde_json::from_value(json).unwrap();
        assert_eq!(read.token_source, TokenSource::TokenEndpoint);
        assert_eq!(read, filled());
    }

    #[test]
    fn labels_match_the_interface_contract() {
        assert_eq!(Field::TokenSource.label(), "Token source");
        assert_eq!(Field::ClientMetadata.label(), "Client metadata (JSON)");
        assert_eq!(Field::ClientId.label(), "Client ID");
        assert_eq!(Field::ClientSecret.label(), "Client secret");
        assert_eq!(Field::ApiUrl.label(), "API URL");
    }
}
