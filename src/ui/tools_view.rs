//! The habits of a QA day: import values pasted from the AWS CLI, named profiles
//! (never with the secret), the opt-in to remember the secret in this tab, a share
//! link without secrets, and "Forget everything".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::import::parse_import;
use crate::core::share;
use crate::ui::state::AppState;
use crate::web::{files, storage, verify};

#[component]
pub fn ToolsView(state: AppState) -> impl IntoView {
    let import_open = RwSignal::new(false);
    let import_text = RwSignal::new(String::new());
    let import_message = RwSignal::new(None::<(bool, String)>);
    let profile_name = RwSignal::new(String::new());
    let profiles = RwSignal::new(storage::load_profiles().unwrap_or_default());
    let selected = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let share_link = RwSignal::new(None::<String>);

    let do_import = move |_| {
        let text = import_text.get_untracked();
        match parse_import(&text) {
            Ok(import) => {
                let (updated, secret, summary) = import.apply(
                    &state.settings.get_untracked(),
                    &state.secret.get_untracked(),
                );
                let cleared = state.imported(updated, secret, import.brings_secret());
                let text = match cleared {
                    Some(why) => format!("{} {why}", summary.message()),
                    None => summary.message(),
                };
                import_message.set(Some((true, text)));
                import_text.set(String::new());
                // The paste area stays open (a second output often follows: the domain after
                // the client); the summary under it is brought into view.
                request_animation_frame(reveal_import_summary);
            }
            Err(e) => {
                import_message.set(Some((false, format!("Nothing was changed. {e}"))));
                request_animation_frame(reveal_import_summary);
            }
        }
    };
    let save_profile = move |_| {
        // As stored now, not as this tab last read them: another tab may have changed them.
        let mut list = storage::load_profiles().unwrap_or_else(|_| profiles.get_untracked());
        let name = profile_name.get_untracked();
        let api = state.matrix_form.api.get_untracked();
        if let Some(why) = state
            .secret_in_settings()
            .or_else(|| state.secret_in_api(api.as_ref()))
        {
            message.set(Some(format!("Not saved: {why}")));
            return;
        }
        let outcome = list
            .save(&name, &state.settings.get_untracked(), api.as_ref())
            .map_err(|e| e.to_string())
            .and_then(|()| storage::save_profiles(&list));
        match outcome {
            Ok(()) => {
                profiles.set(list);
                selected.set(name.trim().to_string());
                message.set(Some(format!(
                    "Saved profile \"{}\" (without the client secret{}).",
                    name.trim(),
                    if api.is_some() {
                        "; with the imported API description"
                    } else {
                        ""
                    }
                )));
            }
            Err(e) => message.set(Some(e)),
        }
    };
    let load_profile = move |_| {
        let name = selected.get_untracked();
        match profiles.with_untracked(|p| p.load(&name).map(|s| (s, p.api(&name)))) {
            Some((settings, api)) => {
                state.load_settings(settings, &format!("profile \"{name}\""));
                let with_api = api.is_some();
                // The profile's API description goes back into the matrix panel.
                if let Some(api) = api {
                    state
                        .matrix_form
                        .set(api, crate::ui::matrix_view::api_url_base(state));
                    state.matrix.set(None);
                }
                message.set(Some(format!(
                    "Loaded profile \"{name}\"{}.",
                    if with_api {
                        " with its API description (see Authorization matrix)"
                    } else {
                        ""
                    }
                )));
            }
            None => message.set(Some("Choose a saved profile first.".into())),
        }
    };
    let delete_profile = move |_| {
        let name = selected.get_untracked();
        if name.trim().is_empty() {
            message.set(Some("Choose a saved profile to delete first.".into()));
            return;
        }
        let mut list = storage::load_profiles().unwrap_or_else(|_| profiles.get_untracked());
        list.remove(&name);
        match storage::save_profiles(&list) {
            Ok(()) => {
                profiles.set(list);
                selected.set(String::new());
                message.set(Some(format!("Deleted profile \"{name}\".")));
            }
            Err(e) => message.set(Some(e)),
        }
    };
    let make_share_link = move |_| {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let base = format!(
            "{}{}",
            location.origin().unwrap_or_default(),
            location.pathname().unwrap_or_default()
        );
        if let Some(why) = state.secret_in_settings() {
            share_link.set(None);
            message.set(Some(format!("No link made: {why}")));
            return;
        }
        let fragment = match share::to_fragment(&state.settings.get_untracked()) {
            Ok(fragment) => fragment,
            Err(e) => {
                message.set(Some(e.to_string()));
                return;
            }
        };
        let link = format!("{base}{fragment}");
        share_link.set(Some(link.clone()));
        spawn_local(async move {
            message.set(Some(match files::copy(&link).await {
                Ok(()) => {
                    "Share link copied. It holds the settings only: no secret, no token.".into()
                }
                Err(e) => format!("The link is below; {e}."),
            }));
        });
    };
    // Forget everything asks first: it deletes every saved profile.
    let confirm_forget = RwSignal::new(false);
    let forgotten = move |text: &str| {
        verify::clear_cache();
        profiles.set(Default::default());
        selected.set(String::new());
        state.remember.set(false);
        message.set(Some(text.to_owned()));
    };
    let forget = move |_| {
        confirm_forget.set(false);
        storage::forget_everything();
        forgotten("Forgot everything this tool stored in the browser: profiles, the remembered secret, the cached keys (this site's other tabs forget theirs too).");
    };
    // Forget everything pressed in another tab: this tab's own sessionStorage (the remembered
    // secret, the kept form) is out of that tab's reach, and its profile list would be written
    // back by the next Save or Delete here.
    let _ = window_event_listener(leptos::ev::storage, move |e| {
        if e.key().as_deref() == Some(storage::FORGOTTEN_KEY) && e.new_value().is_some() {
            storage::forget_this_tab();
            forgotten("Forget everything was pressed in another tab of this tool: this tab's remembered secret, kept form and profiles are gone too.");
        }
    });

    view! {
        <section class="tools" aria-label="Import, profiles and sharing">
            <div class="actions">
                <button type="button" on:click=move |_| import_open.update(|o| *o = !*o)
                    aria-expanded=move || import_open.get().to_string()>"Import…"</button>
                <button type="button" class="secondary" on:click=make_share_link>"Share link"</button>
                <button type="button" class="danger" on:click=move |_| confirm_forget.set(true)
                    aria-expanded=move || confirm_forget.get().to_string()>"Forget everything"</button>
            </div>
            <Show when=move || confirm_forget.get()>
                <div class="confirm" role="group" aria-labelledby="forget-question">
                    <p id="forget-question">{move || {
                        let n = profiles.with(|p| p.names().len());
                        format!("Delete {n} saved profile{} and the remembered secret from this browser? This cannot be undone.", if n == 1 { "" } else { "s" })
                    }}</p>
                    <div class="actions">
                        <button type="button" class="danger" on:click=forget>"Yes, forget everything"</button>
                        <button type="button" on:click=move |_| confirm_forget.set(false)>"Keep them"</button>
                    </div>
                </div>
            </Show>
            <Show when=move || import_open.get()>
                <div class="field">
                    <label for="import-text">"Paste AWS output"</label>
                    <textarea id="import-text" rows="5" spellcheck="false"
                        placeholder="The seed's secret string, aws secretsmanager get-secret-value, aws cognito-idp describe-user-pool-client or describe-user-pool-domain output"
                        prop:value=move || import_text.get()
                        on:input:target=move |e| import_text.set(e.target().value())></textarea>
                    <button type="button" on:click=do_import>"Fill the form"</button>
                </div>
            </Show>
            {move || import_message.get().map(|(ok, m)| view! {
                <p class="import-summary" class:issue=!ok role="status">{m}</p>
            })}
            <div class="profile-row">
                <div class="field">
                    <label for="profile-name">"Profile name"</label>
                    <input id="profile-name" type="text" placeholder="dev, staging, prod…"
                        prop:value=move || profile_name.get()
                        on:input:target=move |e| profile_name.set(e.target().value()) />
                </div>
                <button type="button" on:click=save_profile>"Save profile"</button>
            </div>
            <div class="profile-row">
                <div class="field">
                    <label for="profiles">"Profiles"</label>
                    <select id="profiles" on:change:target=move |e| selected.set(e.target().value())>
                        <option value="" selected=move || selected.get().is_empty()>"(choose)"</option>
                        {move || profiles.get().names().into_iter().map(|n| {
                            let value = n.clone();
                            let is_selected = n.clone();
                            view! { <option value=value selected=move || selected.get() == is_selected>{n}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="button" on:click=load_profile>"Load"</button>
                <button type="button" class="secondary" on:click=delete_profile>"Delete"</button>
            </div>
            <div class="field check">
                <input id="remember-secret" type="checkbox"
                    prop:checked=move || state.remember.get()
                    on:change:target=move |e| state.set_remember(e.target().checked()) />
                <label for="remember-secret">"Remember secret in this tab"</label>
                <p class="hint">"Off: the secret lives in memory only. On: kept in this tab's sessionStorage until the tab closes."</p>
            </div>
            {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {move || share_link.get().map(|l| view! {
                <input class="share-link" type="text" readonly aria-label="Share link" prop:value=l />
            })}
        </section>
    }
}

/// Brings the Import summary into view (it can land below the fold on a short screen).
fn reveal_import_summary() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".import-summary").ok().flatten())
    {
        el.scroll_into_view_with_bool(false);
    }
}
