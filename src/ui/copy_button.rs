//! A button that copies a text to the clipboard and says whether it worked.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::files;

/// `text` may change while the button stays (a panel fed a new exchange): the note is shown
/// only beside the text it is about.
#[component]
pub fn CopyButton(label: &'static str, #[prop(into)] text: Signal<String>) -> impl IntoView {
    // What was copied, and the note on it.
    let status = RwSignal::new(None::<(String, String)>);
    view! {
        <button type="button" class="copy" on:click=move |_| {
            let text = text.get_untracked();
            spawn_local(async move {
                let note = match files::copy(&text).await {
                    Ok(()) => "Copied".to_string(),
                    Err(e) => format!("Not copied: {e}"),
                };
                status.set(Some((text, note)));
            });
        }>{label}</button>
        {move || {
            status
                .with(|s| s.as_ref().filter(|(copied, _)| text.with(|t| t == copied)).map(|(_, note)| note.clone()))
                .map(|s| view! { <span class="copy-status" role="status">{s}</span> })
        }}
    }
}
