//! Checks of an ID token from the code exchange, in the Checks panel's form: what OpenID Connect
//! asks a client to verify (signature, `iss`, `aud`, `exp`, `nonce`, `at_hash`) plus Cognito's
//! `token_use`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::core::checks::{self, Check, Signature, Status, TokenContext};
use crate::core::jwt::DecodedJwt;

/// What the ID token is compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdTokenContext {
    pub client_id: String,
    pub region: String,
    /// The nonce the page sent to `/oauth2/authorize` (None after a refresh: no nonce then).
    pub nonce: Option<String>,
    /// SHA-256 of the access token that came with it (WebCrypto), for `at_hash`.
    pub access_token_sha256: Option<Vec<u8>>,
    pub now: i64,
    pub server_skew_secs: Option<i64>,
    /// The token endpoint's origin (see `TokenContext::token_origin`): a non-Cognito issuer
    /// passes only from there.
    pub token_origin: Option<String>,
}

/// OpenID Connect's `at_hash` for an access token whose SHA-256 is `digest`: base64url of the
/// left half.
pub fn at_hash_of(digest: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(digest.get(..digest.len() / 2).unwrap_or_default())
}

fn claim<'a>(token: &'a DecodedJwt, name: &str) -> Option<&'a str> {
    token.claims()?.get(name)?.as_str()
}

/// Where the token Call API sends came from, for [`sent_token_checks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentFrom {
    /// Run fetched it (client credentials or GetClientToken): always an access token.
    Fetched,
    /// The signed-in user's token (Send token: access or ID token).
    SignedIn,
    /// Pasted under Decoded token: whatever the user had.
    Pasted,
}

/// The checks of the token Call API sends. An ID token a user holds (signed in here, or pasted) is
/// judged as an ID token — API Gateway takes it on methods without scopes — not failed for lacking
/// `client_id` and `scope` like an access token would be. Everything else: [`checks::token_checks`].
pub fn sent_token_checks(
    token: &DecodedJwt,
    signature: &Signature,
    ctx: &TokenContext,
    from: SentFrom,
) -> Vec<Check> {
    if from == SentFrom::Fetched || claim(token, "token_use") != Some("id") {
        return checks::token_checks(token, signature, ctx);
    }
    let id_ctx = IdTokenContext {
        client_id: ctx.client_id.clone(),
        region: ctx.region.clone(),
        nonce: None,
        access_token_sha256: None,
        now: ctx.now,
        server_skew_secs: ctx.server_skew_secs,
        token_origin: ctx.token_origin.clone(),
    };
    let mut checks = id_token_checks(token, signature, &id_ctx);
    // "Every check passes" must not read as "any method takes it".
    checks.push(Check::new(
        "Scopes",
        Status::Info,
        "An ID token carries no scopes: API Gateway's Cognito authorizer takes it only on methods without authorization scopes, and refuses it with 401 on a method with them (send the access token there).",
    ));
    if from == SentFrom::Pasted {
        if let Some(other) = pasted_for_another_client(token, &ctx.client_id) {
            for check in checks.iter_mut().filter(|c| c.name == AUDIENCE) {
                *check = other.clone();
            }
        }
    }
    checks
}

/// A pasted ID token was not issued through this form, so an `aud` other than the Client ID field
/// is only a hint, not a failure: which app clients an authorizer takes is its own configuration,
/// which this page cannot see. None when `aud` is missing or matches: [`audience`] says those.
fn pasted_for_another_client(token: &DecodedJwt, client_id: &str) -> Option<Check> {
    let expected = client_id.trim();
    let aud = claim(token, "aud").filter(|aud| *aud != expected)?;
    Some(match aud {
        aud if expected.is_empty() => Check::new(
            AUDIENCE,
            Status::Info,
            format!("aud is {aud}: the app client this ID token was issued to (no Client ID entered to compare)."),
        ),
        aud => Check::new(
            AUDIENCE,
            Status::Warn,
            format!("aud is {aud}, not the Client ID field's {expected}: this pasted ID token was issued to another app client. Whether the API takes it depends on which app clients its authorizer accepts, which this page cannot see."),
        )
        .fix("Call API with it to see whether the API takes another app client's ID token; to compare with the token's own client, enter it in Client ID."),
    })
}

/// Every check of an ID token, in the order a relying party would fail them.
pub fn id_token_checks(
    token: &DecodedJwt,
    signature: &Signature,
    ctx: &IdTokenContext,
) -> Vec<Check> {
    let shared = TokenContext {
        client_id: ctx.client_id.clone(),
        region: ctx.region.clone(),
        requested_scope: String::new(),
        now: ctx.now,
        server_skew_secs: ctx.server_skew_secs,
        token_origin: ctx.token_origin.clone(),
    };
    vec![
        checks::structure(token),
        checks::algorithm(token),
        checks::key_id(signature),
        checks::signature_check(signature),
        checks::expiry(token, &shared),
        checks::issuer(token, &shared),
        token_use(token),
        audience(token, ctx),
        nonce(token, ctx),
        at_hash(token, ctx),
    ]
}

fn token_use(token: &DecodedJwt) -> Check {
    const NAME: &str = "Token use";
    match claim(token, "token_use") {
        Some("id") => Check::new(NAME, Status::Pass, "An ID token (token_use id)."),
        Some(other) => Check::new(
            NAME,
            Status::Fail,
            format!("token_use is \"{other}\"; an ID token says \"id\"."),
        )
        .fix("Use the id_token of the token response."),
        None => Check::new(
            NAME,
            Status::Fail,
            "No token_use claim; Cognito always sets it.",
        )
        .fix("Get the token from the pool's token endpoint."),
    }
}

const AUDIENCE: &str = "Audience";

fn audience(token: &DecodedJwt, ctx: &IdTokenContext) -> Check {
    const NAME: &str = AUDIENCE;
    let expected = ctx.client_id.trim();
    match claim(token, "aud") {
        None => Check::new(
            NAME,
            Status::Fail,
            "No aud claim: an ID token names the app client it was issued to.",
        )
        .fix("Get the token from the pool's token endpoint."),
        Some(aud) if aud == expected => Check::new(
            NAME,
            Status::Pass,
            format!("aud is {aud}, the Client ID entered."),
        ),
        Some(aud) => Check::new(
            NAME,
            Status::Fail,
            format!("aud is {aud}, but the Client ID field says {expected}."),
        )
        .fix(
            "This ID token belongs to another app client: sign in again with the right Client ID.",
        ),
    }
}

fn nonce(token: &DecodedJwt, ctx: &IdTokenContext) -> Check {
    const NAME: &str = "Nonce";
    match (&ctx.nonce, claim(token, "nonce")) {
        (Some(sent), Some(got)) if sent == got => Check::new(NAME, Status::Pass, "nonce is the one this page sent to the authorize endpoint."),
        (Some(_), Some(_)) => Check::new(NAME, Status::Fail, "nonce differs from the one this page sent: the ID token was issued for another sign-in (a replay).")
            .fix("Sign in again; never accept an ID token whose nonce is not yours."),
        (Some(_), None) => Check::new(NAME, Status::Fail, "No nonce claim, though the page sent one.")
            .fix("Cognito puts the authorize request's nonce in the ID token; this token did not come from this sign-in."),
        (None, Some(_)) => Check::new(NAME, Status::Info, "Carries a nonce; not compared here (the User tokens panel compares it with the one this page sent)."),
        (None, None) => Check::new(NAME, Status::Info, "No nonce claim (an ID token from a refresh, or from a sign-in that sent none, carries none)."),
    }
}

fn at_hash(token: &DecodedJwt, ctx: &IdTokenContext) -> Check {
    const NAME: &str = "Access token hash";
    match (claim(token, "at_hash"), &ctx.access_token_sha256) {
        (None, _) => Check::new(NAME, Status::Info, "No at_hash claim (optional)."),
        (Some(_), None) => Check::new(NAME, Status::Info, "at_hash present; not compared (no access token hash yet)."),
        (Some(got), Some(digest)) if at_hash_of(digest) == got => Check::new(NAME, Status::Pass, "at_hash matches the access token that came with it."),
        (Some(_), Some(_)) => Check::new(NAME, Status::Fail, "at_hash does not match the access token that came with it: they are from different sign-ins.")
            .fix("Use the ID and access tokens of one token response together."),
    }
}
