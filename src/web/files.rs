//! Getting text out of the page: the clipboard and file downloads.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::web::secure;

/// Copies text to the clipboard; Err says why the browser refused. Over plain http there is no
/// `navigator.clipboard` at all: that is an Err too, never a thrown TypeError.
pub async fn copy(text: &str) -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let clipboard: web_sys::Clipboard = secure::property(&navigator, "clipboard")
        .ok_or(secure::NO_CLIPBOARD)?
        .unchecked_into();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| {
            "the browser refused clipboard access (it needs a focused https or localhost page)"
                .to_string()
        })
}

/// Offers text as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not create the file")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "could not create a link")?
        .dyn_into()
        .map_err(|_| "could not create a link")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
