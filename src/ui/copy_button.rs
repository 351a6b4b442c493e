//! A button that copies a text to the clipboard and says whether it worked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::files;

#[component]
pub fn CopyButton(label: &'static str, #[prop(into)] text: Signal<String>) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    view! {
        <button type="button" class="copy" on:click=move |_| {
            let text = text.get_untracked();
            spawn_local(async move {
                status.set(Some(match files::copy(&text).await {
                    Ok(()) => "Copied".to_string(),
                    Err(e) => format!("Not copied: {e}"),
                }));
            });
        }>{label}</button>
        {move || status.get().map(|s| view! { <span class="copy-status" role="status">{s}</span> })}
    }
}
