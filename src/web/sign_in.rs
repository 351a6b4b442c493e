//! The browser's part of a user's sign-in: random bytes and SHA-256 from WebCrypto, the page's
//! own URL as the redirect URI, the short-lived record that survives the trip to managed login
//! (sessionStorage, deleted as soon as the page is back), and the address bar.

use js_sys::{ArrayBuffer, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::SubtleCrypto;

use crate::core::user_sign_in::PendingSignIn;
use crate::web::secure;

/// sessionStorage key of the record kept during the redirect.
pub const PENDING_KEY: &str = "cognito-api-tester.sign-in";

/// What the page keeps while the browser is at managed login: the PKCE verifier, `state`,
/// `nonce` and where the code must be exchanged. No token, no client secret.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingRecord {
    pub verifier: String,
    pub state: String,
    pub nonce: String,
    pub redirect_uri: String,
    pub token_url: String,
    pub client_id: String,
    /// Whether the client secret field was filled when Sign in was pressed: the page then asks
    /// for it again after the redirect (it is never stored unless the user opted in).
    pub has_secret: bool,
    /// When Sign in saved it (unix ms; 0 in a record from before this field).
    #[serde(default)]
    pub saved_at_ms: f64,
}

/// How long a record waits for the return from managed login before a load without one
/// (a sign-in given up) takes it out: Back and Forward again within it still signs in.
const PENDING_MAX_AGE_MS: f64 = 10.0 * 60.0 * 1000.0;

/// Takes out a record older than [`PENDING_MAX_AGE_MS`] (or unreadable): called on a load that
/// is no return from managed login, so an abandoned sign-in's verifier does not stay.
pub fn drop_stale_pending(now_ms: f64) {
    let Some(storage) = session() else {
        return;
    };
    let Some(text) = storage.get_item(PENDING_KEY).ok().flatten() else {
        return;
    };
    let fresh = serde_json::from_str::<PendingRecord>(&text)
        .is_ok_and(|r| r.saved_at_ms > 0.0 && now_ms - r.saved_at_ms < PENDING_MAX_AGE_MS);
    if !fresh {
        let _ = storage.remove_item(PENDING_KEY);
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// 32 bytes from `crypto.getRandomValues`.
pub fn random_32() -> Result<[u8; 32], String> {
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or("this browser has no crypto.getRandomValues")?;
    let mut bytes = [0u8; 32];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| "crypto.getRandomValues refused".to_string())?;
    Ok(bytes)
}

/// A new verifier, `state` and `nonce`.
pub fn new_pending() -> Result<PendingSignIn, String> {
    Ok(PendingSignIn::from_random(
        &random_32()?,
        &random_32()?,
        &random_32()?,
    ))
}

/// SHA-256 of `data` with WebCrypto (available on https and on localhost / 127.0.0.1).
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, String> {
    let crypto = web_sys::window()
        .and_then(|w| secure::property(&w, "crypto"))
        .ok_or(secure::NO_WEBCRYPTO)?;
    let subtle: SubtleCrypto = secure::property(&crypto, "subtle")
        .ok_or(secure::NO_WEBCRYPTO)?
        .unchecked_into();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(|_| "WebCrypto refused to hash".to_string())?;
    let buffer: ArrayBuffer = JsFuture::from(promise)
        .await
        .map_err(|_| "WebCrypto could not hash".to_string())?
        .unchecked_into();
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// This page's address without query or fragment: what managed login must send the browser
/// back to (and so the app client's callback URL).
pub fn redirect_uri() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    format!("{origin}{path}")
}

/// The address bar's query (`?code=..&state=..`), or empty.
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The full address.
pub fn href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Replaces the address (no new history entry, no reload): the code leaves the address bar.
pub fn replace_address(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Sends the browser to `url` (managed login, or its sign-out).
pub fn go(url: &str) -> Result<(), String> {
    web_sys::window()
        .ok_or("no window")?
        .location()
        .assign(url)
        .map_err(|_| format!("the browser refused to open {url}"))
}

pub fn save_pending(record: &PendingRecord) -> Result<(), String> {
    let text = serde_json::to_string(record).map_err(|e| e.to_string())?;
    session()
        .ok_or("this browser blocks sessionStorage, which the sign-in needs during the redirect")?
        .set_item(PENDING_KEY, &text)
        .map_err(|_| "sessionStorage refused to keep the sign-in during the redirect".to_string())
}

/// The record of the sign-in this tab started, removed from storage as it is read: it serves
/// one return only.
pub fn take_pending() -> Option<PendingRecord> {
    let storage = session()?;
    let text = storage.get_item(PENDING_KEY).ok().flatten();
    let _ = storage.remove_item(PENDING_KEY);
    serde_json::from_str(&text?).ok()
}
