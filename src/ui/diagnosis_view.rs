//! A failure explained: what happened, the likely cause, what to do — in that order.

use leptos::prelude::*;

use crate::core::diagnosis::{Diagnosis, Severity};
use crate::core::run::SecretBook;

#[component]
pub fn DiagnosisView(
    #[prop(into)] diagnosis: Signal<Option<Diagnosis>>,
    /// Servers echo credentials in `error_description` and `message`: masked like every view.
    book: RwSignal<SecretBook>,
) -> impl IntoView {
    move || {
        diagnosis.get().map(|d| {
            let mask = |text: &str| book.with(|b| b.mask(text));
            let (what, cause, fix) = (mask(&d.what), mask(&d.cause), mask(&d.fix));
            let class = match d.severity {
                Severity::Error => "diagnosis error",
                Severity::Warning => "diagnosis warning",
                Severity::Info => "diagnosis info",
            };
            view! {
                <div class=class role="alert">
                    <p class="what"><strong>{what}</strong></p>
                    <p class="cause"><span class="tag">"Likely cause: "</span>{cause}</p>
                    <p class="fix"><span class="tag">"What to do: "</span>{fix}</p>
                </div>
            }
        })
    }
}
