//! RS256 signature verification with the browser's WebCrypto: no RSA code in
//! the bundle, and the same primitive the browser trusts for TLS.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::web::secure;

use crate::core::jwks::Jwk;

/// Why a signature could not be checked at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// No WebCrypto here (`crypto.subtle` is undefined on a page over plain http): nothing was tried.
    Unavailable(String),
    /// WebCrypto refused the key or the call, with the browser's reason.
    Failed(String),
}

/// Verifies an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature over `data` with a JWK.
/// Ok(false) means the signature does not match; Err means the key or the browser
/// could not be used at all, with the browser's reason.
pub async fn verify_rs256(jwk: &Jwk, data: &[u8], signature: &[u8]) -> Result<bool, CryptoError> {
    let unavailable = || CryptoError::Unavailable(secure::NO_WEBCRYPTO.to_string());
    let crypto = web_sys::window()
        .and_then(|w| secure::property(&w, "crypto"))
        .ok_or_else(unavailable)?;
    let subtle: SubtleCrypto = secure::property(&crypto, "subtle")
        .ok_or_else(unavailable)?
        .unchecked_into();
    verify_with(&subtle, jwk, data, signature)
        .await
        .map_err(CryptoError::Failed)
}

async fn verify_with(
    subtle: &SubtleCrypto,
    jwk: &Jwk,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let algorithm = object(&[("name", "RSASSA-PKCS1-v1_5".into())])?;
    let hash = object(&[("name", "SHA-256".into())])?;
    set(&algorithm, "hash", &hash)?;
    let key_data = object(&[
        ("kty", "RSA".into()),
        ("n", jwk.n.as_str().into()),
        ("e", jwk.e.as_str().into()),
        ("alg", "RS256".into()),
        ("ext", JsValue::TRUE),
    ])?;
    let usages = Array::of1(&JsValue::from_str("verify"));
    let import = subtle
        .import_key_with_object("jwk", &key_data, &algorithm, false, &usages)
        .map_err(describe)?;
    let key: CryptoKey = JsFuture::from(import)
        .await
        .map_err(|e| format!("the key {} could not be imported: {}", jwk.kid, describe(e)))?
        .dyn_into()
        .map_err(|_| "WebCrypto returned something that is not a key".to_string())?;
    let verify = subtle
        .verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, data)
        .map_err(describe)?;
    let verdict = JsFuture::from(verify).await.map_err(describe)?;
    Ok(verdict.as_bool().unwrap_or(false))
}

fn object(pairs: &[(&str, JsValue)]) -> Result<Object, String> {
    let obj = Object::new();
    for (key, value) in pairs {
        set(&obj, key, value)?;
    }
    Ok(obj)
}

fn set(obj: &Object, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(describe)
}

/// A thrown JS value as text (DOMException and Error have a message).
fn describe(value: JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown WebCrypto error".to_string())
}
