//! "Export as Synthetics canary": the form's settings and assertions as a CloudWatch Synthetics
//! canary — a CloudFormation template with the script inline (deployable alone) and the script
//! on its own. Both come from `core::canary_export`, the CLI's `export-canary` too.

use leptos::prelude::*;

use crate::core::canary_export::{export_canary, CanaryOptions, SCRIPT_FILE, TEMPLATE_FILE};
use crate::ui::state::AppState;
use crate::web::files;

#[component]
pub fn CanaryExport(state: AppState) -> impl IntoView {
    let name = RwSignal::new("cognito-api-check".to_string());
    let secret_id = RwSignal::new("cognito-api-tester/canary".to_string());
    let message = RwSignal::new(None::<(bool, String)>);

    // The files are built from the form as it is at the click: the export is its own snapshot.
    let export = move |template: bool| {
        let options = CanaryOptions {
            name: name.get_untracked().trim().to_string(),
            secret_id: secret_id.get_untracked().trim().to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        let built = state.settings.with_untracked(|settings| {
            state.assertions_text.with_untracked(|lines| {
                state.secret.with_untracked(|secret| {
                    state.book.with_untracked(|book| {
                        export_canary(settings, lines, &options, secret, book)
                    })
                })
            })
        });
        let outcome = built.map_err(|e| e.to_string()).and_then(|exported| {
            let (file, mime, text) = if template {
                (TEMPLATE_FILE, "application/yaml", exported.template)
            } else {
                (SCRIPT_FILE, "text/javascript", exported.script)
            };
            files::download(file, mime, &text)
                .map(|()| file)
                .map_err(|e| format!("Not downloaded: {e}"))
        });
        message.set(Some(match outcome {
            Ok(file) if template => (true, format!(
                "Downloaded {file} (the script is inline). Deploy: aws cloudformation deploy --template-file {file} --stack-name {} --capabilities CAPABILITY_IAM. The canary reads USER_POOL_CLIENT_SECRET from the Secrets Manager secret {}.",
                options.name, options.secret_id
            )),
            Ok(file) => (true, format!("Downloaded {file}.")),
            Err(why) => (false, why),
        }));
    };

    view! {
        <h3>"Export as Synthetics canary"</h3>
        <p class="hint">"The same token request, API call and assertions as a CloudWatch Synthetics canary running every minute. The secret is not in the files: the canary reads it from Secrets Manager (the seed's JSON, USER_POOL_CLIENT_SECRET)."</p>
        <div class="profile-row">
            <div class="field">
                <label for="canary-name">"Canary name"</label>
                <input id="canary-name" type="text" spellcheck="false" autocomplete="off"
                    prop:value=move || name.get()
                    on:input:target=move |e| name.set(e.target().value()) />
            </div>
            <div class="field">
                <label for="canary-secret-id">"Secrets Manager secret"</label>
                <input id="canary-secret-id" type="text" spellcheck="false" autocomplete="off"
                    prop:value=move || secret_id.get()
                    on:input:target=move |e| secret_id.set(e.target().value()) />
            </div>
        </div>
        <div class="actions">
            <button type="button" class="secondary" on:click=move |_| export(true)>"Export as Synthetics canary"</button>
            <button type="button" class="secondary" on:click=move |_| export(false)>"Download the script only"</button>
        </div>
        {move || message.get().map(|(ok, m)| view! {
            <p class=if ok { "notice" } else { "issue error" } role="status">{m}</p>
        })}
    }
}
