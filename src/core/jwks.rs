//! The user pool's signing keys (JWKS): where to find them for a token, and
//! which key a token names. Verifying the signature itself is WebCrypto's job
//! (web/crypto.rs); this module only reads and chooses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One RSA public key as a JWKS lists it (only what RS256 verification needs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kid: String,
    pub kty: String,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default, rename = "use")]
    pub key_use: Option<String>,
    pub n: String,
    pub e: String,
}

/// A parsed key set.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwksError {
    NotJson(String),
    NoKeysArray,
    NoUsableKey,
    NoIssuer,
    IssuerNotUrl(String),
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson(why) => write!(f, "The JWKS is not JSON ({why})."),
            Self::NoKeysArray => write!(f, "The JWKS has no \"keys\" array."),
            Self::NoUsableKey => write!(f, "The JWKS lists no RSA key with kid, n and e."),
            Self::NoIssuer => write!(f, "The token has no iss claim, so its JWKS cannot be found; give a JWKS URL or paste the JWKS."),
            Self::IssuerNotUrl(iss) => write!(f, "The token's iss \"{iss}\" is not an https:// (or local http://) URL, so its JWKS cannot be found."),
        }
    }
}

impl Jwks {
    /// Parses a JWKS document, keeping the RSA keys that have what verification needs.
    /// Keys of other types are skipped, not errors: pools may publish more than RSA.
    pub fn parse(text: &str) -> Result<Jwks, JwksError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| JwksError::NotJson(e.to_string()))?;
        let keys = value
            .get("keys")
            .and_then(serde_json::Value::as_array)
            .ok_or(JwksError::NoKeysArray)?;
        let keys: Vec<Jwk> = keys
            .iter()
            .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
            .filter(|k| k.kty == "RSA" && !k.n.is_empty() && !k.e.is_empty())
            .collect();
        if keys.is_empty() {
            return Err(JwksError::NoUsableKey);
        }
        Ok(Jwks { keys })
    }

    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn kids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.kid.clone()).collect()
    }
}

/// Cognito publishes the pool's keys at `<iss>/.well-known/jwks.json`.
pub fn jwks_url_for_issuer(iss: Option<&str>) -> Result<String, JwksError> {
    let iss = iss
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(JwksError::NoIssuer)?;
    let url =
        crate::whatwg_url::Url::parse(iss).map_err(|_| JwksError::IssuerNotUrl(iss.to_string()))?;
    let local = url.host_str().is_some_and(super::aws::is_loopback_host);
    if !(url.scheme() == "https" || (url.scheme() == "http" && local)) {
        return Err(JwksError::IssuerNotUrl(iss.to_string()));
    }
    Ok(format!(
        "{}/.well-known/jwks.json",
        iss.trim_end_matches('/')
    ))
}

/// What an RS256 check needs once the key set is known: the key the token names, the signed
/// bytes (`header.payload`) and the signature. Err is the Checks panel's answer when there is
/// nothing to verify with. One home for every shell's verifier (WebCrypto in the page, `rsa` in
/// the command-line runner).
pub struct SignedParts<'a> {
    pub key: &'a Jwk,
    pub data: String,
    pub signature: Vec<u8>,
}

pub fn signed_parts<'a>(
    token: &crate::core::jwt::DecodedJwt,
    kid: &str,
    jwks: &'a Jwks,
) -> Result<SignedParts<'a>, crate::core::checks::Signature> {
    use crate::core::checks::Signature;
    let Some(key) = jwks.find(kid) else {
        return Err(Signature::UnknownKid {
            kid: kid.to_owned(),
            known: jwks.kids(),
        });
    };
    let signature = crate::core::jwt::base64url_decode(&token.signature.encoded).map_err(|e| {
        Signature::NotChecked {
            reason: format!("the signature is not base64url ({e})"),
        }
    })?;
    Ok(SignedParts {
        key,
        data: format!("{}.{}", token.header.encoded, token.payload.encoded),
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COGNITO_LIKE: &str = r#"{"keys":[
        {"alg":"RS256","e":"AQAB","kid":"abc=","kty":"RSA","n":"sXch","use":"sig"},
        {"alg":"RS256","e":"AQAB","kid":"def=","kty":"RSA","n":"tYdi","use":"sig"}]}"#;

    #[test]
    fn parses_a_cognito_jwks() {
        let jwks = Jwks::parse(COGNITO_LIKE).unwrap();
        assert_eq!(jwks.kids(), vec!["abc=", "def="]);
        let key = jwks.find("def=").unwrap();
        assert_eq!(key.n, "tYdi");
        assert_eq!(key.key_use.as_deref(), Some("sig"));
        assert!(jwks.find("nope").is_none());
    }

    #[test]
    fn skips_keys_it_cannot_use() {
        let text = r#"{"keys":[{"kty":"EC","kid":"ec","crv":"P-256","x":"a","y":"b"},
            {"kty":"RSA","kid":"no-n","e":"AQAB"},{"kty":"RSA","kid":"ok","n":"n1","e":"AQAB"}]}"#;
        assert_eq!(Jwks::parse(text).unwrap().kids(), vec!["ok"]);
    }

    #[test]
    fn bad_documents_are_explained() {
        assert!(matches!(Jwks::parse("<html>"), Err(JwksError::NotJson(_))));
        assert_eq!(Jwks::parse(r#"{"key":[]}"#), Err(JwksError::NoKeysArray));
        assert_eq!(Jwks::parse(r#"{"keys":[]}"#), Err(JwksError::NoUsableKey));
        assert_eq!(Jwks::parse(r#"{"keys":"x"}"#), Err(JwksError::NoKeysArray));
        for e in [
            JwksError::NoIssuer,
            JwksError::NoUsableKey,
            JwksError::IssuerNotUrl("x".into()),
        ] {
            assert!(e.to_string().ends_with('.'));
        }
    }

    #[test]
    fn jwks_url_from_the_issuer() {
        assert_eq!(
            jwks_url_for_issuer(Some(
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
            ))
            .unwrap(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json"
        );
        assert_eq!(
            jwks_url_for_issuer(Some("http://127.0.0.1:9090/us-east-1_demo/")).unwrap(),
            "http://127.0.0.1:9090/us-east-1_demo/.well-known/jwks.json"
        );
        assert_eq!(jwks_url_for_issuer(None), Err(JwksError::NoIssuer));
        assert_eq!(jwks_url_for_issuer(Some("  ")), Err(JwksError::NoIssuer));
        assert!(matches!(
            jwks_url_for_issuer(Some("pool")),
            Err(JwksError::IssuerNotUrl(_))
        ));
        assert!(matches!(
            jwks_url_for_issuer(Some("http://evil.example/x")),
            Err(JwksError::IssuerNotUrl(_))
        ));
    }
}
