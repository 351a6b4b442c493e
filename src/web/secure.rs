//! Whether the page is a secure context (https, or http on localhost). Over plain http the browser
//! withholds WebCrypto and the clipboard (`crypto.subtle` and `navigator.clipboard` are undefined, and a
//! call on them throws), and everything typed into the page crosses the network readable. The shell asks
//! here first and fails with these messages instead of an exception.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// False only when the browser says so: an unknown answer counts as secure (the calls then say for themselves).
pub fn is_secure_context() -> bool {
    web_sys::window().is_none_or(|w| w.is_secure_context())
}

/// Shown once at the top of the page over plain http.
pub const INSECURE_NOTICE: &str = "This page is served over plain http://. Anyone on the network path can read the \
     client secret and tokens you use here, and change the page itself. The browser also withholds WebCrypto and the \
     clipboard from it: token signatures are not verified, and Copy and Share link cannot copy (select the text \
     instead). Open the app over HTTPS — CloudFront in front of the bucket (deploy/cloudfront.yaml) gives that.";

/// Why a copy failed on an insecure page.
pub const NO_CLIPBOARD: &str =
    "the browser gives no clipboard to a page served over plain http:// \
     (select the text and copy it by hand, or open the app over HTTPS)";

/// Why a signature was not checked on an insecure page.
pub const NO_WEBCRYPTO: &str = "the browser gives no WebCrypto to a page served over plain http://, so the \
     signature cannot be checked here; open the app over HTTPS (CloudFront, deploy/cloudfront.yaml) or from localhost";

/// `object[name]` when it is there: None for undefined or null, never a throw.
pub fn property(object: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}
