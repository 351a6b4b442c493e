//! A failure explained: what happened, the likely cause, what to do — in that order.

use leptos::prelude::*;

use crate::core::diagnosis::{Diagnosis, Severity};

#[component]
pub fn DiagnosisView(#[prop(into)] diagnosis: Signal<Option<Diagnosis>>) -> impl IntoView {
    move || {
        diagnosis.get().map(|d| {
            let class = match d.severity {
                Severity::Error => "diagnosis error",
                Severity::Warning => "diagnosis warning",
                Severity::Info => "diagnosis info",
            };
            view! {
                <div class=class role="alert">
                    <p class="what"><strong>{d.what}</strong></p>
                    <p class="cause"><span class="tag">"Likely cause: "</span>{d.cause}</p>
                    <p class="fix"><span class="tag">"What to do: "</span>{d.fix}</p>
                </div>
            }
        })
    }
}
