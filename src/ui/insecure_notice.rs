//! Said once, at the top of the page, when it is served over plain http (not a secure context):
//! what does not work there and what to do. Nothing shows on https or localhost.

use leptos::prelude::*;

use crate::web::secure::{is_secure_context, INSECURE_NOTICE};

#[component]
pub fn InsecureNotice() -> impl IntoView {
    (!is_secure_context()).then(|| {
        view! { <p class="insecure-context" role="alert">{INSECURE_NOTICE}</p> }
    })
}
