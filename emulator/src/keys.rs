//! RSA signing keys, the JWKS and token signing.

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Old keys the JWKS keeps serving after rotations (tokens signed with them stay verifiable).
const RETIRED_KEYS_KEPT: usize = 8;

/// A key could not be made, read or used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Generate(String),
    Parse(String),
    Sign(String),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Generate(e) => write!(f, "could not generate an RSA key: {e}"),
            KeyError::Parse(e) => write!(
                f,
                "not an RSA private key in PKCS#8 PEM (\"BEGIN PRIVATE KEY\") or PKCS#1 PEM: {e}"
            ),
            KeyError::Sign(e) => write!(f, "could not sign the token: {e}"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Generates a 2048-bit RSA key and returns it as PKCS#8 PEM (what `--key` reads).
pub fn generate_key_pem() -> Result<String, KeyError> {
    let key = new_rsa()?;
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| KeyError::Generate(e.to_string()))
}

fn new_rsa() -> Result<RsaPrivateKey, KeyError> {
    RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| KeyError::Generate(e.to_string()))
}

/// One signing key with its JWKS entry.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    n: String,
    e: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh 2048-bit key.
    pub fn generate() -> Result<Self, KeyError> {
        Self::from_private(&new_rsa()?)
    }

    /// Reads a PKCS#8 PEM private key (PKCS#1 `BEGIN RSA PRIVATE KEY` is accepted too).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|e8| RsaPrivateKey::from_pkcs1_pem(pem).map_err(|_| e8))
            .map_err(|e| KeyError::Parse(e.to_string()))?;
        Self::from_private(&key)
    }

    fn from_private(key: &RsaPrivateKey) -> Result<Self, KeyError> {
        let der = key
            .to_pkcs1_der()
            .map_err(|e| KeyError::Parse(e.to_string()))?;
        let spki = key
            .to_public_key()
            .to_public_key_der()
            .map_err(|e| KeyError::Parse(e.to_string()))?;
        // Cognito's kids look like base64 of a SHA-256; deriving it from the key keeps it stable with --key.
        let kid = STANDARD.encode(Sha256::digest(spki.as_bytes()));
        let n_bytes = key.n().to_bytes_be();
        let e_bytes = key.e().to_bytes_be();
        Ok(SigningKey {
            kid,
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            decoding: DecodingKey::from_rsa_raw_components(&n_bytes, &e_bytes),
            n: URL_SAFE_NO_PAD.encode(&n_bytes),
            e: URL_SAFE_NO_PAD.encode(&e_bytes),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub(crate) fn decoding_key(&self) -> &DecodingKey {
        &self.decoding
    }

    fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": self.e,
            "kid": self.kid,
            "kty": "RSA",
            "n": self.n,
            "use": "sig",
        })
    }

    fn sign<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        // Cognito's header is exactly {"kid":..,"alg":"RS256"}: no "typ".
        let mut header = Header::new(Algorithm::RS256);
        header.typ = None;
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| KeyError::Sign(e.to_string()))
    }
}

struct KeySet {
    current: Arc<SigningKey>,
    /// Newest first.
    retired: Vec<Arc<SigningKey>>,
}

/// The pool's keys: one current signing key and the retired ones still in the JWKS.
pub(crate) struct KeyStore {
    inner: RwLock<KeySet>,
}

impl KeyStore {
    pub(crate) fn new(key: SigningKey) -> Self {
        KeyStore {
            inner: RwLock::new(KeySet {
                current: Arc::new(key),
                retired: Vec::new(),
            }),
        }
    }

    fn read<R>(&self, f: impl FnOnce(&KeySet) -> R) -> R {
        // A poisoned lock only means another thread panicked mid-read; the data is still whole.
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        f(&guard)
    }

    pub(crate) fn sign<T: Serialize>(&self, claims: &T) -> Result<String, KeyError> {
        let key = self.read(|s| Arc::clone(&s.current));
        key.sign(claims)
    }

    pub(crate) fn find(&self, kid: &str) -> Option<Arc<SigningKey>> {
        self.read(|s| {
            std::iter::once(&s.current)
                .chain(s.retired.iter())
                .find(|k| k.kid == kid)
                .cloned()
        })
    }

    pub(crate) fn current_kid(&self) -> String {
        self.read(|s| s.current.kid.clone())
    }

    pub(crate) fn kids(&self) -> Vec<String> {
        self.read(|s| {
            std::iter::once(&s.current)
                .chain(s.retired.iter())
                .map(|k| k.kid.clone())
                .collect()
        })
    }

    pub(crate) fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self.read(|s| {
            std::iter::once(&s.current)
                .chain(s.retired.iter())
                .map(|k| k.jwk())
                .collect()
        });
        serde_json::json!({ "keys": keys })
    }

    /// Makes `key` the signing key; the previous one stays in the JWKS.
    pub(crate) fn rotate(&self, key: SigningKey) {
        let mut guard = self.inner.write().unwrap_or_else(|p| p.into_inner());
        let old = std::mem::replace(&mut guard.current, Arc::new(key));
        guard.retired.insert(0, old);
        guard.retired.truncate(RETIRED_KEYS_KEPT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trip_keeps_the_kid() {
        let pem = generate_key_pem().unwrap();
        let a = SigningKey::from_pem(&pem).unwrap();
        let b = SigningKey::from_pem(&pem).unwrap();
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.kid().len(), 44);
        assert!(matches!(
            SigningKey::from_pem("nope"),
            Err(KeyError::Parse(_))
        ));
    }
}
