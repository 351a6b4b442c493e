//! A failure explained: what happened, the likely cause, what to do — in that order.

use leptos::prelude::*;

use crate::core::diagnosis::{Diagnosis, Severity};
use crate::core::exchange::redact_text;

#[component]
pub fn DiagnosisView(
    #[prop(into)] diagnosis: Signal<Option<Diagnosis>>,
    /// Servers echo credentials in `error_description` and `message`: masked like every view.
    #[prop(into)]
    secrets: Signal<Vec<String>>,
) -> impl IntoView {
    move || {
        diagnosis.get().map(|d| {
            let secrets = secrets.get();
            let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
            let mask = |text: &str| redact_text(text, &secrets);
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
