//! Cognito-aware checks of an access token, the way API Gateway's Cognito
//! authorizer judges it: structure, algorithm, key, signature, times, issuer,
//! token use, client and scopes. Each check says what it saw and, when it
//! fails, what to do.

use serde::Serialize;

use crate::core::aws::ISSUER_SHAPE;
use crate::core::clock_skew::{describe_skew, server_now};
use crate::core::jwt::{format_relative, format_utc, parse_issuer, DecodedJwt};
use crate::core::settings::Settings;
use crate::core::token::{normalise_scopes, scope_claim};

/// How far in the future `iat` may be before the local clock is suspect. API Gateway and
/// the usual JWT libraries allow a few minutes at most; a minute keeps the warning useful.
pub const MAX_IAT_SKEW_SECS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Info,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warning",
            Self::Info => "info",
        }
    }
}

/// One line of the Checks panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    pub(crate) fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Self {
        Self {
            name,
            status,
            detail: detail.into(),
            fix: None,
        }
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// What the browser found out about the signature (JWKS fetch + WebCrypto).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    /// The JWKS is being fetched or WebCrypto is verifying.
    Pending,
    /// Not attempted, with the reason (an unsupported algorithm, a malformed token).
    NotChecked {
        reason: String,
    },
    Verified {
        kid: String,
    },
    Invalid {
        kid: String,
    },
    UnknownKid {
        kid: String,
        known: Vec<String>,
    },
    NoKid,
    JwksFailed {
        url: String,
        reason: String,
    },
}

/// The form values and clocks the checks compare the token with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenContext {
    pub client_id: String,
    pub region: String,
    pub requested_scope: String,
    pub now: i64,
    /// Server clock minus this computer's, from a readable `Date` header.
    pub server_skew_secs: Option<i64>,
    /// The origin of the token endpoint the Domain field names (before any proxy): an issuer
    /// that is not Cognito's own host is accepted only from there (a stand-in such as the
    /// emulator), never from wherever the token says.
    pub token_origin: Option<String>,
}

impl TokenContext {
    /// The context of a run (or the form) with these settings.
    pub fn for_settings(settings: &Settings, now: i64, server_skew_secs: Option<i64>) -> Self {
        Self {
            client_id: settings.client_id.clone(),
            region: settings.region.clone(),
            requested_scope: settings.scope.clone(),
            now,
            server_skew_secs,
            token_origin: settings
                .token_request_url()
                .ok()
                .and_then(|url| crate::whatwg_url::Url::parse(&url).ok())
                .map(|url| url.origin()),
        }
    }
}

/// Every check, in the order API Gateway would fail them.
pub fn token_checks(token: &DecodedJwt, signature: &Signature, ctx: &TokenContext) -> Vec<Check> {
    vec![
        structure(token),
        algorithm(token),
        key_id(signature),
        signature_check(signature),
        expiry(token, ctx),
        issued_at(token, ctx),
        issuer(token, ctx),
        token_use(token),
        client_id(token, ctx),
        scopes(token, ctx),
        audience(token),
    ]
}

/// True when no check failed (warnings and infos do not fail a token).
pub fn all_pass(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != Status::Fail)
}

/// Whether the browser should try to verify the signature at all, and if not, why.
pub fn signature_precondition(token: &DecodedJwt) -> Result<(), String> {
    if !token.is_well_formed() {
        return Err("the token is malformed".into());
    }
    match token.header_str("alg") {
        Some("RS256") => Ok(()),
        Some(other) => Err(format!(
            "alg is {other}, and only RS256 (what Cognito uses) is verified"
        )),
        None => Err("the header has no alg".into()),
    }
}

pub(crate) fn structure(token: &DecodedJwt) -> Check {
    if token.is_well_formed() {
        Check::new(
            "Structure",
            Status::Pass,
            "Three base64url parts: header, payload, signature.",
        )
    } else {
        Check::new("Structure", Status::Fail, token.problems().join(" "))
            .fix("Copy the whole token again: it must be three base64url parts separated by dots, without quotes or spaces.")
    }
}

pub(crate) fn algorithm(token: &DecodedJwt) -> Check {
    const NAME: &str = "Algorithm";
    match token.header_str("alg") {
        Some("RS256") => Check::new(NAME, Status::Pass, "alg is RS256, as Cognito signs its tokens."),
        Some(alg) if alg.eq_ignore_ascii_case("none") => Check::new(NAME, Status::Fail, "alg is \"none\": the token is unsigned, and anyone could have written it.")
            .fix("Never accept it. Get a real token from the pool's token endpoint; an API that accepts this one has a security hole."),
        Some(alg) if alg.starts_with("HS") => Check::new(NAME, Status::Fail, format!("alg is {alg}: a shared-secret signature, which Cognito never issues."))
            .fix("This token was not issued by a Cognito user pool; get one from the pool's token endpoint."),
        Some(alg) => Check::new(NAME, Status::Fail, format!("alg is {alg}; Cognito signs with RS256."))
            .fix("Get the token from the user pool's token endpoint."),
        None => Check::new(NAME, Status::Fail, "The header has no alg.").fix("The token is damaged or not a JWT; copy it again."),
    }
}

pub(crate) fn key_id(signature: &Signature) -> Check {
    const NAME: &str = "Key ID";
    match signature {
        Signature::Verified { kid } | Signature::Invalid { kid } => {
            Check::new(NAME, Status::Pass, format!("kid {kid} is in the pool's JWKS."))
        }
        Signature::UnknownKid { kid, known } => Check::new(
            NAME,
            Status::Fail,
            format!("kid {kid} is not in the JWKS (it lists {}), even after fetching it again.", list_or_none(known)),
        )
        .fix("The token comes from another user pool, or the key was removed. Check that the Domain and the API's authorizer use the same pool."),
        Signature::NoKid => Check::new(NAME, Status::Fail, "The header has no kid, so no key can verify it.")
            .fix("Cognito always sets kid; get the token from the pool's token endpoint."),
        Signature::JwksFailed { url, reason } => Check::new(NAME, Status::Warn, format!("The JWKS at {url} could not be read: {reason}"))
            .fix("Turn on Route through proxy (the /proxy/jwks/ route), or paste the JWKS JSON."),
        Signature::Pending => Check::new(NAME, Status::Info, "Fetching the pool's JWKS…"),
        Signature::NotChecked { reason } => Check::new(NAME, Status::Info, format!("Not looked up: {reason}.")),
    }
}

pub(crate) fn signature_check(signature: &Signature) -> Check {
    const NAME: &str = "Signature";
    match signature {
        Signature::Verified { kid } => Check::new(NAME, Status::Pass, format!("Valid RS256 signature by key {kid} (checked with the browser's WebCrypto).")),
        Signature::Invalid { kid } => Check::new(NAME, Status::Fail, format!("The signature does not match key {kid}: the header or payload was changed after signing, or the signature is not this key's."))
            .fix("Use the token exactly as the token endpoint returned it; API Gateway answers 401 to this one."),
        Signature::Pending => Check::new(NAME, Status::Info, "Verifying…"),
        Signature::NotChecked { reason } => Check::new(NAME, Status::Info, format!("Not verified: {reason}.")),
        Signature::UnknownKid { .. } | Signature::NoKid => Check::new(NAME, Status::Fail, "No key to verify it with (see Key ID)."),
        Signature::JwksFailed { .. } => Check::new(NAME, Status::Warn, "Not verified: the JWKS could not be read (see Key ID)."),
    }
}

fn claim_i64(token: &DecodedJwt, name: &str) -> Option<i64> {
    token.claims()?.get(name)?.as_i64()
}

fn claim_str<'a>(token: &'a DecodedJwt, name: &str) -> Option<&'a str> {
    token.claims()?.get(name)?.as_str()
}

pub(crate) fn expiry(token: &DecodedJwt, ctx: &TokenContext) -> Check {
    const NAME: &str = "Expiry";
    let Some(exp) = claim_i64(token, "exp") else {
        return Check::new(
            NAME,
            Status::Fail,
            "No exp claim: Cognito tokens always expire.",
        )
        .fix("Get the token from the pool's token endpoint.");
    };
    // API Gateway judges `exp` by AWS's clock: when a Date header showed this computer's clock
    // off by more than the header's precision, the server's clock decides.
    let server_now = server_now(ctx.now, ctx.server_skew_secs);
    let (now, by, local_note) = match ctx.server_skew_secs {
        Some(skew) if server_now != ctx.now => {
            let differs = (exp > server_now) != (exp > ctx.now);
            let note = if differs {
                format!(
                    " This computer's clock says {}: {}.",
                    if exp > ctx.now {
                        "it has not expired yet"
                    } else {
                        "it has expired"
                    },
                    describe_skew(skew)
                )
            } else {
                String::new()
            };
            (server_now, " by the server's clock", note)
        }
        _ => (ctx.now, "", String::new()),
    };
    let when = format!(
        "{}{by} ({}).{local_note}",
        format_relative(exp.saturating_sub(now)),
        format_utc(exp)
    );
    if exp > now {
        Check::new(NAME, Status::Pass, format!("Expires {when}"))
    } else {
        Check::new(NAME, Status::Fail, format!("Expired {when}"))
            .fix("Get a new token (Run does it for you). Client credentials has no refresh token.")
    }
}

fn issued_at(token: &DecodedJwt, ctx: &TokenContext) -> Check {
    const NAME: &str = "Issued at";
    let skew = ctx
        .server_skew_secs
        .map(|s| format!(" By the API's Date header, {}.", describe_skew(s)))
        .unwrap_or_default();
    // Judged by the server's clock when a Date header showed this computer's off (as Expiry): a
    // token AWS issued is never in AWS's future, and API Gateway accepts it whatever this clock says.
    // In the future by both clocks: a failure; by one of them only, a warning that says which
    // (a Date header can be slow too: a drifting backend, a cached answer).
    let server_now = server_now(ctx.now, ctx.server_skew_secs);
    let later = ctx.now.max(server_now);
    let future = |now: i64, iat: i64| iat > now.saturating_add(MAX_IAT_SKEW_SECS);
    let clock_fix = "This computer's clock is probably behind: set it automatically (NTP). Expiry is judged by the server's clock when its Date header is readable, by this computer's otherwise.";
    match claim_i64(token, "iat") {
        None => Check::new(NAME, Status::Warn, format!("No iat claim.{skew}")),
        Some(iat) if future(later, iat) => Check::new(
            NAME,
            Status::Fail,
            format!("Issued {} — in the future by {} clock ({}).{skew}", format_relative(iat.saturating_sub(later)), if server_now == ctx.now { "this computer's" } else { "both this computer's and the server's" }, format_utc(iat)),
        )
        .fix(clock_fix),
        Some(iat) if future(ctx.now, iat) => Check::new(
            NAME,
            Status::Warn,
            format!("Issued {} by the server's clock ({}), in the future by this computer's: API Gateway judges by AWS's clock.{skew}", format_relative(iat.saturating_sub(server_now)), format_utc(iat)),
        )
        .fix(clock_fix),
        Some(iat) if future(server_now, iat) => Check::new(
            NAME,
            Status::Warn,
            format!("Issued {} by this computer's clock ({}), in the future by the server's Date header: the server's clock, or its answer, is behind.{skew}", format_relative(iat.saturating_sub(ctx.now)), format_utc(iat)),
        ),
        Some(iat) => Check::new(NAME, Status::Pass, format!("Issued {} ({}).{skew}", format_relative(iat.saturating_sub(server_now)), format_utc(iat))),
    }
}

pub(crate) fn issuer(token: &DecodedJwt, ctx: &TokenContext) -> Check {
    const NAME: &str = "Issuer";
    let Some(iss) = claim_str(token, "iss") else {
        return Check::new(NAME, Status::Fail, "No iss claim.")
            .fix("Cognito always sets iss; get the token from the pool's token endpoint.");
    };
    let Some(parsed) = parse_issuer(iss) else {
        // A stand-in with its own pool ids (cognito-local) at the chosen token endpoint is the
        // user's to judge; anywhere else the signature was checked with keys from wherever the
        // token points, so it proves nothing and a Cognito authorizer would refuse the token.
        let origin = crate::whatwg_url::Url::parse(iss.trim())
            .ok()
            .map(|u| u.origin());
        let at_endpoint = origin.is_some() && origin.as_deref() == ctx.token_origin.as_deref();
        let check = if at_endpoint {
            Check::new(
                NAME,
                Status::Warn,
                format!("iss {iss} is not a Cognito user pool ({ISSUER_SHAPE}); it is the token endpoint the Domain field names."),
            )
        } else {
            Check::new(
                NAME,
                Status::Fail,
                format!("iss {iss} is not a Cognito user pool ({ISSUER_SHAPE}) nor the token endpoint named by the Domain field."),
            )
        };
        return check.fix("A Cognito authorizer only accepts tokens its own pool issued: get the token from the pool's token endpoint.");
    };
    // Cognito's own issuer host passed parse_issuer's strict rule; any other host is a stand-in,
    // trusted only when it is the token endpoint the user chose. Otherwise the key set would come
    // from wherever the token points, and a forged token would verify.
    if !parsed.on_cognito_host && ctx.token_origin.as_deref() != Some(parsed.origin.as_str()) {
        return Check::new(
            NAME,
            Status::Fail,
            format!(
                "iss {iss} is not a Cognito user pool URL (https://cognito-idp.<region>.amazonaws.com/<pool id>) nor the token endpoint named by the Domain field{}.",
                ctx.token_origin.as_deref().map(|o| format!(" ({o})")).unwrap_or_default()
            ),
        )
        .fix("A Cognito authorizer only accepts tokens its own pool issued: get the token from the pool's token endpoint. Its signing keys would also come from that foreign host, so the signature proves nothing.");
    }
    // Both authorizers compare iss with the pool's issuer as text: a trailing slash, an upper-case
    // host, `:443` or spaces that the URL parser reads as the same address are refused. Cognito
    // always writes the exact form; a stand-in's authorizer takes what the stand-in writes.
    if parsed.on_cognito_host && iss != parsed.url {
        return Check::new(
            NAME,
            Status::Fail,
            format!("iss {iss} is not exactly the pool's issuer {}: API Gateway compares it character for character and refuses the token.", parsed.url),
        )
        .fix("Cognito writes iss exactly as https://cognito-idp.<region>.amazonaws.com/<pool id>: get the token from the pool's token endpoint.");
    }
    let region = ctx.region.trim();
    if !region.is_empty() && region != parsed.region {
        return Check::new(
            NAME,
            Status::Fail,
            format!(
                "The token is from pool {} in {}, but Region says {region}.",
                parsed.pool_id, parsed.region
            ),
        )
        .fix("Correct the Region field, or check that the Domain belongs to the pool you meant.");
    }
    Check::new(
        NAME,
        Status::Pass,
        format!("User pool {} in {}.", parsed.pool_id, parsed.region),
    )
}

fn token_use(token: &DecodedJwt) -> Check {
    const NAME: &str = "Token use";
    match claim_str(token, "token_use") {
        Some("access") => Check::new(
            NAME,
            Status::Pass,
            "An access token, as client credentials issues.",
        ),
        Some("id") => Check::new(
            NAME,
            Status::Fail,
            "An ID token: API Gateway only accepts it on methods without authorization scopes.",
        )
        .fix("Use the access_token from the token response, not an id_token."),
        Some(other) => Check::new(
            NAME,
            Status::Fail,
            format!("token_use is \"{other}\"; expected \"access\"."),
        )
        .fix("Use the access_token from the token response."),
        None => Check::new(
            NAME,
            Status::Fail,
            "No token_use claim; Cognito always sets it.",
        )
        .fix("Get the token from the pool's token endpoint."),
    }
}

fn client_id(token: &DecodedJwt, ctx: &TokenContext) -> Check {
    const NAME: &str = "Client ID";
    let expected = ctx.client_id.trim();
    match claim_str(token, "client_id") {
        None => Check::new(NAME, Status::Fail, "No client_id claim; Cognito access tokens always carry it.").fix("Get the token from the pool's token endpoint."),
        Some(actual) if expected.is_empty() => Check::new(NAME, Status::Info, format!("Issued to app client {actual} (the Client ID field is empty, so nothing to compare).")),
        Some(actual) if actual == expected => Check::new(NAME, Status::Pass, format!("Issued to {actual}, the Client ID entered.")),
        Some(actual) => Check::new(NAME, Status::Fail, format!("Issued to app client {actual}, but the Client ID field says {expected}."))
            .fix("This token belongs to another app client: fetch a new one with Get token, or correct the Client ID."),
    }
}

fn scopes(token: &DecodedJwt, ctx: &TokenContext) -> Check {
    const NAME: &str = "Scopes";
    let granted: Vec<String> = claim_str(token, "scope")
        .map(|claim| scope_claim(claim).map(str::to_owned).collect())
        .unwrap_or_default();
    let requested = normalise_scopes(&ctx.requested_scope);
    if requested.is_empty() {
        return Check::new(
            NAME,
            Status::Info,
            format!("No scope requested; the token carries {}. The API method needs at least one of its authorization scopes.", list_or_none(&granted)),
        );
    }
    let missing: Vec<String> = requested
        .iter()
        .filter(|s| !granted.contains(s))
        .cloned()
        .collect();
    if missing.is_empty() {
        Check::new(
            NAME,
            Status::Pass,
            format!("Carries every requested scope: {}.", requested.join(", ")),
        )
    } else {
        Check::new(NAME, Status::Fail, format!("Missing {} (it carries {}).", missing.join(", "), list_or_none(&granted)))
            .fix("Allow the scope on the app client (and define it on the resource server), then get a new token.")
    }
}

fn audience(token: &DecodedJwt) -> Check {
    const NAME: &str = "Audience";
    let client = claim_str(token, "client_id").unwrap_or("<client id>");
    // aud alone does not make an ID token: access tokens for a named resource carry it too.
    match (token.claims().and_then(|c| c.get("aud")), claim_str(token, "token_use")) {
        (None, _) => Check::new(NAME, Status::Info, format!("No aud claim: a Cognito authorizer does not need one. A JWT authorizer (an HTTP API, or a REST API method of authorization type JWT) must list the app client ID {client} among the issuer's audiences; HTTP APIs match it against client_id when aud is absent.")),
        (Some(aud), Some("id")) => Check::new(NAME, Status::Info, format!("aud is {aud}, the app client an ID token was issued to.")),
        (Some(aud), _) => Check::new(NAME, Status::Info, format!("aud is {aud}: an access token issued for a resource (resource indicator). A JWT authorizer must list {aud} among this issuer's audiences; token_use, not aud, tells access and ID tokens apart.")),
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests;
