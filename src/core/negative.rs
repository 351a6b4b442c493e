//! One-click negative checks: requests the API must refuse. A good answer to a good token
//! proves little on its own; these prove the authorizer is there, verifies signatures, does not
//! trust edited claims, and enforces scopes. Each is judged by the status alone.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use serde_json::Value;

use crate::core::exchange::{reason_phrase, truncate_chars};
use crate::core::jwt::{self, SegmentProblem, ShapeProblem};
use crate::core::mask::Masker;

/// What a refusal looks like: API Gateway answers 401 to a missing or bad token; 403 comes from
/// resource policies, WAF, or Lambda authorizers that deny.
pub const EXPECTED: &str = "401 or 403";

/// Characters of the body shown in the result's `actual`.
const BODY_SHOWN_CHARS: usize = 160;

const BASE64URL_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NegativeCase {
    NoAuthorization,
    AlteredSignature,
    AlteredPayload,
    /// The good token as `Basic <token>`.
    WrongScheme,
    /// A second app client's token, lacking the method's scope.
    OtherClientToken,
}

impl NegativeCase {
    pub fn all() -> [NegativeCase; 5] {
        [
            NegativeCase::NoAuthorization,
            NegativeCase::AlteredSignature,
            NegativeCase::AlteredPayload,
            NegativeCase::WrongScheme,
            NegativeCase::OtherClientToken,
        ]
    }

    pub fn label(self) -> &'static str {
        match self {
            NegativeCase::NoAuthorization => "No Authorization header",
            NegativeCase::AlteredSignature => "Altered signature",
            NegativeCase::AlteredPayload => "Altered payload",
            NegativeCase::WrongScheme => "Basic instead of Bearer",
            NegativeCase::OtherClientToken => "Other client's token",
        }
    }

    pub fn what_it_proves(self) -> &'static str {
        match self {
            NegativeCase::NoAuthorization => {
                "The method is protected: a request without a token is refused."
            }
            NegativeCase::AlteredSignature => {
                "The signature is verified: the good token with one signature character changed is refused."
            }
            NegativeCase::AlteredPayload => {
                "Claims are trusted only when signed: the good token with an admin scope added to its payload is refused."
            }
            NegativeCase::WrongScheme => {
                "The header is read as OAuth requires: the good token sent as \"Basic <token>\" instead of \"Bearer <token>\" is refused."
            }
            NegativeCase::OtherClientToken => {
                "Scopes are enforced: a genuine token from another app client, without the method's scope, is refused."
            }
        }
    }
}

/// Why the request for a case cannot be built from the token given.
#[derive(Clone, Debug, PartialEq)]
pub enum NegativeError {
    EmptyToken,
    NotAJwt {
        parts: usize,
    },
    /// A part that does not decode, so altering it would not test what the case means to test.
    Unreadable {
        part: &'static str,
        problem: SegmentProblem,
    },
}

impl fmt::Display for NegativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NegativeError::EmptyToken => {
                f.write_str("There is no token to start from: get a token first.")
            }
            NegativeError::NotAJwt { parts } => write!(
                f,
                "The token is not a JWT: it has {parts} part{} where a JWT has three \
                 (header.payload.signature), so the check would prove nothing. Get a new token.",
                if *parts == 1 { "" } else { "s" }
            ),
            NegativeError::Unreadable { part, problem } => write!(
                f,
                "The token's {part} is {problem}, so the check would prove nothing. Get a new token."
            ),
        }
    }
}

/// The Authorization header to send for `case` (None: send none), built from a good token.
/// For [`NegativeCase::OtherClientToken`], `good_token` is the second client's token.
pub fn authorization_for(
    case: NegativeCase,
    good_token: &str,
) -> Result<Option<String>, NegativeError> {
    if case == NegativeCase::NoAuthorization {
        return Ok(None);
    }
    let parts = readable_parts(good_token)?;
    let header = match case {
        NegativeCase::NoAuthorization => return Ok(None),
        NegativeCase::WrongScheme => format!("Basic {}", parts.joined()),
        NegativeCase::OtherClientToken => format!("Bearer {}", parts.joined()),
        NegativeCase::AlteredSignature => format!(
            "Bearer {}.{}.{}",
            parts.header,
            parts.payload,
            altered_signature(&parts.signature)
        ),
        NegativeCase::AlteredPayload => format!(
            "Bearer {}.{}.{}",
            parts.header,
            altered_payload(parts.claims),
            parts.signature
        ),
    };
    Ok(Some(header))
}

/// A token whose three parts decode, as it would be sent (no `Bearer`, no whitespace).
struct TokenParts {
    header: String,
    payload: String,
    signature: String,
    claims: serde_json::Map<String, Value>,
}

impl TokenParts {
    fn joined(&self) -> String {
        format!("{}.{}.{}", self.header, self.payload, self.signature)
    }
}

fn readable_parts(token: &str) -> Result<TokenParts, NegativeError> {
    let decoded = jwt::decode(token);
    match decoded.shape {
        Err(ShapeProblem::Empty) => return Err(NegativeError::EmptyToken),
        Err(ShapeProblem::WrongPartCount { parts }) => {
            return Err(NegativeError::NotAJwt { parts })
        }
        // Line breaks from copying are harmless: the parts below have them removed.
        Err(ShapeProblem::Whitespace) | Ok(()) => {}
    }
    let unreadable = |part, problem| NegativeError::Unreadable { part, problem };
    decoded.header.json.map_err(|p| unreadable("header", p))?;
    let claims = decoded.payload.json.map_err(|p| unreadable("payload", p))?;
    decoded
        .signature
        .bytes
        .map_err(|p| unreadable("signature", p))?;
    Ok(TokenParts {
        header: decoded.header.encoded,
        payload: decoded.payload.encoded,
        signature: decoded.signature.encoded,
        claims,
    })
}

/// Flips the most significant bit of the middle character's 6 bits. That bit is significant in
/// every position (a final character's spare bits are its low ones), so the decoded signature
/// always differs, while the text stays valid base64url of the same length.
fn altered_signature(signature: &str) -> String {
    let data = signature.trim_end_matches('=');
    let padding = signature.get(data.len()..).unwrap_or_default();
    let middle = data.chars().count() / 2;
    let altered: String = data
        .chars()
        .enumerate()
        .map(|(i, c)| if i == middle { flip(c) } else { c })
        .collect();
    format!("{altered}{padding}")
}

fn flip(c: char) -> char {
    BASE64URL_ALPHABET
        .find(c)
        .and_then(|value| BASE64URL_ALPHABET.chars().nth(value ^ 0b10_0000))
        .unwrap_or(c)
}

/// The claims with an admin scope added, re-encoded: what an attacker who can edit a token but
/// not sign it would try. The scope follows the token's own resource server (`demo/example` →
/// `demo/admin`), so only the signature stands between it and acceptance.
fn altered_payload(mut claims: serde_json::Map<String, Value>) -> String {
    let existing = claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let admin = existing
        .split_whitespace()
        .find_map(|scope| scope.split_once('/'))
        .map_or_else(
            || "admin".to_owned(),
            |(server, _)| format!("{server}/admin"),
        );
    let scope = if existing.trim().is_empty() {
        admin
    } else {
        format!("{existing} {admin}")
    };
    claims.insert("scope".to_owned(), Value::String(scope));
    URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// 401 or 403: the check passes.
    Refused,
    /// 2xx: the API accepted what it must refuse.
    SecurityFinding,
    /// Any other status, or no response: the check proves nothing either way.
    Unexpected,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NegativeResult {
    pub case: NegativeCase,
    pub expected: String,
    /// "401 Unauthorized: {"message":"Unauthorized"}" (body shortened) or "no response".
    pub actual: String,
    pub verdict: Verdict,
    pub explanation: String,
}

/// Judges the API's answer to a negative case. `status` None: no response could be read
/// (`body` then may carry the reason).
/// The answer's body is masked with `masker` (the tab's secrets) before it is cut to a table
/// cell: a secret standing across the cut would otherwise show its first part.
pub fn judge(
    case: NegativeCase,
    status: Option<u16>,
    body: &str,
    masker: &Masker,
) -> NegativeResult {
    let body = &masker.redact(body);
    let (verdict, explanation) = match status {
        Some(401 | 403) => (Verdict::Refused, refused(case, body)),
        Some(s @ 200..=299) => (Verdict::SecurityFinding, finding(case, s)),
        Some(s) => (Verdict::Unexpected, unexpected(s)),
        None => (Verdict::Unexpected, NO_RESPONSE.to_owned()),
    };
    NegativeResult {
        case,
        expected: EXPECTED.to_owned(),
        actual: describe_answer(status, body),
        verdict,
        explanation,
    }
}

/// A negative check beside the control: the same call with the unaltered token, sent with the
/// checks. A refusal shows the check at work only if that call got through (a 2xx): a token
/// without the method's scope, an expired one or another API's URL refuses every case alike,
/// and "refused" then read as proof. `control`: its status (None: no answer).
pub fn against_control(result: NegativeResult, control: Option<u16>) -> NegativeResult {
    match control {
        Some(200..=299) => result,
        _ if result.verdict == Verdict::Refused => NegativeResult {
            verdict: Verdict::Unexpected,
            explanation: format!(
                "Refused, but the unaltered token was refused too ({}), so this refusal shows nothing of the check. Make Call API pass first (the token's scope, its expiry, the API URL), then run the checks again.",
                control.map_or_else(|| "no answer".to_owned(), |s| s.to_string())
            ),
            ..result
        },
        _ => result,
    }
}

fn describe_answer(status: Option<u16>, body: &str) -> String {
    let body = shorten(body);
    match status {
        None if body.is_empty() => "no response".to_owned(),
        None => format!("no response: {body}"),
        Some(s) => {
            let head = format!("{s} {}", reason_phrase(s)).trim_end().to_owned();
            if body.is_empty() {
                format!("{head} (empty body)")
            } else {
                format!("{head}: {body}")
            }
        }
    }
}

/// The body on one line (runs of whitespace collapsed), cut to a table cell's length.
fn shorten(body: &str) -> String {
    let one_line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match truncate_chars(&one_line, BODY_SHOWN_CHARS) {
        (shown, 0) => shown.to_owned(),
        (shown, _) => format!("{shown}…"),
    }
}

fn refused(case: NegativeCase, body: &str) -> String {
    let what = match case {
        NegativeCase::NoAuthorization => "Refused without a token: the method is protected.",
        NegativeCase::AlteredSignature => {
            "Refused with a changed signature: the API verifies the token's signature."
        }
        NegativeCase::AlteredPayload => {
            "Refused with edited claims: the API does not trust a payload its signature does not match."
        }
        NegativeCase::WrongScheme => "Refused under the Basic scheme: the token is accepted only as a Bearer token.",
        NegativeCase::OtherClientToken => {
            "Refused with the other client's token: the API checks scopes, not only that the token is genuine."
        }
    };
    if body.contains("Missing Authentication Token") {
        // API Gateway's answer for a path or method that does not exist, whatever the token.
        format!(
            "{what} But \"Missing Authentication Token\" is also what API Gateway answers for a path or \
             method that does not exist: make sure the same URL and method succeed with the good token."
        )
    } else {
        what.to_owned()
    }
}

fn finding(case: NegativeCase, status: u16) -> String {
    let what = match case {
        NegativeCase::NoAuthorization => {
            "without any Authorization header: the method is not protected. In API Gateway, set the \
             method's Authorization to the Cognito authorizer, then redeploy the stage."
        }
        NegativeCase::AlteredSignature => {
            "with a token whose signature was changed: nothing verifies signatures (typically a Lambda \
             authorizer or backend that only decodes the JWT). Verify RS256 signatures against the pool's JWKS."
        }
        NegativeCase::AlteredPayload => {
            "with a token whose claims were edited after signing: anyone could grant themselves scopes. \
             Verify the signature before reading any claim."
        }
        NegativeCase::WrongScheme => {
            "with the token sent as \"Basic <token>\": whatever reads the header ignores the scheme. The \
             token itself is genuine, so this is a weakness rather than a way in, but RFC 6750 expects \
             \"Bearer\"; check who parses the header."
        }
        NegativeCase::OtherClientToken => {
            "with another app client's token: scopes are not enforced, or that client holds one of the \
             method's scopes. Set the method's Authorization Scopes to what only the intended client \
             holds, or remove the scope from the other client, then redeploy the stage."
        }
    };
    format!("The API answered {status} {what}")
}

fn unexpected(status: u16) -> String {
    let why = match status {
        300..=399 => "a redirect, which neither refuses nor accepts the token".to_owned(),
        400 => "the request was rejected as malformed before the token was judged".to_owned(),
        404 => {
            "the URL was not found: check that the good token succeeds on the same URL".to_owned()
        }
        429 => "the API is throttling: run the check again later".to_owned(),
        500..=599 => "the API failed instead of refusing: an authorizer or backend error on a bad \
                      token (a Lambda authorizer should answer 401)"
            .to_owned(),
        _ => format!("{status} neither refuses nor accepts the token"),
    };
    format!("Expected {EXPECTED}, so this proves nothing either way: {why}.")
}

const NO_RESPONSE: &str =
    "No answer could be read (network error, timeout or CORS), so this proves \
    nothing. A refusal the page may not read looks exactly like this: API Gateway's 401 carries no \
    Access-Control-Allow-Origin unless the UNAUTHORIZED or DEFAULT_4XX gateway response adds it. \
    Add it and redeploy, or route the call through the proxy.";

#[cfg(test)]
mod tests;
