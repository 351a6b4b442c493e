//! Finds the key a token names and verifies its signature: the JWKS comes from
//! the token's issuer (or a URL / JSON the user gave), is cached per URL, and is
//! fetched once more when a kid is unknown, since pools rotate keys.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::core::checks::{signature_precondition, Signature};
use crate::core::exchange::RecordedRequest;
use crate::core::jwks::{jwks_url_for_issuer, signed_parts, Jwks};
use crate::core::jwt::DecodedJwt;
use crate::core::proxy::Route;
use crate::web::crypto::{verify_rs256, CryptoError};
use crate::web::flow::same_origin_route;
use crate::web::http::{self, InFlight};

/// How long a JWKS fetch may take.
const JWKS_TIMEOUT_MS: u32 = 10_000;

thread_local! {
    static CACHE: RefCell<HashMap<String, Jwks>> = RefCell::new(HashMap::new());
    static FETCHES: Cell<u32> = const { Cell::new(0) };
}

/// Where the keys come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwksSource {
    /// `<iss>/.well-known/jwks.json`, as Cognito publishes it.
    Issuer,
    Url(String),
    /// JWKS JSON pasted by the user.
    Pasted(String),
}

impl JwksSource {
    /// The "JWKS URL or JSON" field: empty means the issuer's.
    pub fn from_field(text: &str) -> JwksSource {
        let text = text.trim();
        if text.is_empty() {
            JwksSource::Issuer
        } else if text.starts_with('{') {
            JwksSource::Pasted(text.to_string())
        } else {
            JwksSource::Url(text.to_string())
        }
    }
}

/// How many JWKS documents were fetched over the network (for tests of the cache).
pub fn jwks_fetches() -> u32 {
    FETCHES.with(Cell::get)
}

/// Forgets every cached JWKS.
pub fn clear_cache() {
    CACHE.with(|c| c.borrow_mut().clear());
}

pub async fn verify(token: &DecodedJwt, source: &JwksSource, via_proxy: bool) -> Signature {
    if let Err(reason) = signature_precondition(token) {
        return Signature::NotChecked { reason };
    }
    let Some(kid) = token.header_str("kid").map(str::to_string) else {
        return Signature::NoKid;
    };
    let (label, jwks) = match source {
        JwksSource::Pasted(json) => match Jwks::parse(json) {
            Ok(jwks) => ("the pasted JWKS".to_string(), jwks),
            Err(e) => {
                return Signature::JwksFailed {
                    url: "the pasted JWKS".into(),
                    reason: e.to_string(),
                }
            }
        },
        JwksSource::Url(url) => match keys_for(url, &kid, via_proxy).await {
            Ok(jwks) => (url.clone(), jwks),
            Err(reason) => {
                return Signature::JwksFailed {
                    url: url.clone(),
                    reason,
                }
            }
        },
        JwksSource::Issuer => {
            let iss = token
                .claims()
                .and_then(|c| c.get("iss"))
                .and_then(|v| v.as_str());
            let url = match jwks_url_for_issuer(iss) {
                Ok(url) => url,
                Err(e) => {
                    return Signature::JwksFailed {
                        url: "(none)".into(),
                        reason: e.to_string(),
                    }
                }
            };
            match keys_for(&url, &kid, via_proxy).await {
                Ok(jwks) => (url, jwks),
                Err(reason) => return Signature::JwksFailed { url, reason },
            }
        }
    };
    let parts = match signed_parts(token, &kid, &jwks) {
        Ok(parts) => parts,
        Err(answer) => return answer,
    };
    match verify_rs256(parts.key, parts.data.as_bytes(), &parts.signature).await {
        Ok(true) => Signature::Verified { kid },
        Ok(false) => Signature::Invalid { kid },
        // Not a JWKS problem: no proxy helps, only HTTPS (see web::secure).
        Err(CryptoError::Unavailable(reason)) => Signature::NotChecked { reason },
        Err(CryptoError::Failed(reason)) => Signature::JwksFailed { url: label, reason },
    }
}

/// The cached JWKS for `url` when it knows `kid`; otherwise a fresh one.
async fn keys_for(url: &str, kid: &str, via_proxy: bool) -> Result<Jwks, String> {
    let cached = CACHE.with(|c| c.borrow().get(url).cloned());
    if let Some(jwks) = cached.filter(|j| j.find(kid).is_some()) {
        return Ok(jwks);
    }
    let jwks = fetch_jwks(url, via_proxy).await?;
    CACHE.with(|c| c.borrow_mut().insert(url.to_string(), jwks.clone()));
    Ok(jwks)
}

async fn fetch_jwks(url: &str, via_proxy: bool) -> Result<Jwks, String> {
    let target = if via_proxy {
        same_origin_route(url, Route::Jwks).map_err(|e| e.to_string())?
    } else {
        url.to_string()
    };
    let request = RecordedRequest {
        method: "GET".into(),
        url: target,
        headers: Vec::new(),
        body: None,
    };
    let in_flight = InFlight::new().ok_or("this browser cannot make cancellable requests")?;
    FETCHES.with(|f| f.set(f.get().saturating_add(1)));
    let (exchange, sent) = http::send(&request, JWKS_TIMEOUT_MS, &in_flight).await;
    match (sent, exchange.response) {
        (Ok(()), Some(response)) if (200..300).contains(&response.status) => {
            Jwks::parse(&response.body).map_err(|e| e.to_string())
        }
        (Ok(()), Some(response)) => Err(format!("it answered HTTP {}", response.status)),
        (Ok(()), None) => Err("no response".into()),
        (Err(http::SendFailure::Network(failure)), _) => Err(match failure {
            crate::core::diagnosis::NetworkFailure::CorsBlocked => {
                "the browser blocked it (CORS)".to_string()
            }
            crate::core::diagnosis::NetworkFailure::Unreachable => {
                "the host could not be reached".to_string()
            }
            crate::core::diagnosis::NetworkFailure::TimedOut { .. } => {
                "no answer within 10 s".to_string()
            }
            crate::core::diagnosis::NetworkFailure::Cancelled => "cancelled".to_string(),
        }),
        (Err(http::SendFailure::BodyInterrupted { message }), _) => {
            Err(format!("the answer broke off: {message}"))
        }
        (Err(http::SendFailure::NotBuilt { message }), _) => Err(message),
        (Err(http::SendFailure::Redirected), _) => {
            Err("it answered with a redirect, which is not followed".into())
        }
    }
}
