//! The token's signature against its JWKS, natively: the page does this with WebCrypto
//! (`web::verify`); the choice of key set and key is the core's (`core::jwks`, `core::checks`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_api_tester::core::checks::{signature_precondition, Signature};
use cognito_api_tester::core::exchange::RecordedRequest;
use cognito_api_tester::core::jwks::{jwks_url_for_issuer, signed_parts, Jwk, Jwks};
use cognito_api_tester::core::jwt::DecodedJwt;
use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use sha2::Sha256;

use crate::http;

const JWKS_TIMEOUT_SECS: u32 = 10;

/// Verifies the token with the keys from `jwks_field` (empty: the issuer's JWKS URL, a URL, or
/// the JWKS JSON itself).
pub async fn verify(client: &reqwest::Client, token: &DecodedJwt, jwks_field: &str) -> Signature {
    if let Err(reason) = signature_precondition(token) {
        return Signature::NotChecked { reason };
    }
    let Some(kid) = token.header_str("kid").map(str::to_owned) else {
        return Signature::NoKid;
    };
    let field = jwks_field.trim();
    let (label, jwks) = if field.starts_with('{') {
        match Jwks::parse(field) {
            Ok(jwks) => ("the given JWKS".to_owned(), jwks),
            Err(e) => {
                return Signature::JwksFailed {
                    url: "the given JWKS".into(),
                    reason: e.to_string(),
                }
            }
        }
    } else {
        let url = if field.is_empty() {
            let iss = token
                .claims()
                .and_then(|c| c.get("iss"))
                .and_then(|v| v.as_str());
            match jwks_url_for_issuer(iss) {
                Ok(url) => url,
                Err(e) => {
                    return Signature::JwksFailed {
                        url: "(none)".into(),
                        reason: e.to_string(),
                    }
                }
            }
        } else {
            field.to_owned()
        };
        match fetch(client, &url).await {
            Ok(jwks) => (url, jwks),
            Err(reason) => return Signature::JwksFailed { url, reason },
        }
    };
    let parts = match signed_parts(token, &kid, &jwks) {
        Ok(parts) => parts,
        Err(answer) => return answer,
    };
    match verify_rs256(parts.key, parts.data.as_bytes(), &parts.signature) {
        Ok(true) => Signature::Verified { kid },
        Ok(false) => Signature::Invalid { kid },
        Err(reason) => Signature::JwksFailed { url: label, reason },
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<Jwks, String> {
    let request = RecordedRequest {
        method: "GET".into(),
        url: url.to_owned(),
        headers: Vec::new(),
        body: None,
    };
    let (exchange, sent) = http::send(client, &request, JWKS_TIMEOUT_SECS).await;
    match (sent, exchange.response) {
        (Ok(()), Some(r)) if (200..300).contains(&r.status) => {
            Jwks::parse(&r.body).map_err(|e| e.to_string())
        }
        (Ok(()), Some(r)) => Err(format!("it answered HTTP {}", r.status)),
        (Ok(()), None) => Err("no response".into()),
        (Err(_), _) => Err(format!(
            "the host could not be reached, or did not answer within {JWKS_TIMEOUT_SECS} s"
        )),
    }
}

/// RSASSA-PKCS1-v1_5 with SHA-256, as RS256 is.
fn verify_rs256(key: &Jwk, data: &[u8], signature: &[u8]) -> Result<bool, String> {
    let n = URL_SAFE_NO_PAD
        .decode(key.n.trim_end_matches('='))
        .map_err(|e| format!("the key's n is not base64url ({e})"))?;
    let e = URL_SAFE_NO_PAD
        .decode(key.e.trim_end_matches('='))
        .map_err(|e| format!("the key's e is not base64url ({e})"))?;
    let public = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        .map_err(|e| format!("the key is not a usable RSA key ({e})"))?;
    let Ok(signature) = RsaSignature::try_from(signature) else {
        return Ok(false);
    };
    Ok(VerifyingKey::<Sha256>::new(public)
        .verify(data, &signature)
        .is_ok())
}
