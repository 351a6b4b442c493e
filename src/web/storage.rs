//! The browser's storage, used only for what the user chose to keep: profiles
//! (never the secret) in localStorage, and the secret in sessionStorage when
//! "Remember secret in this tab" is ticked.

use std::cell::RefCell;

use web_sys::Storage;

use crate::core::headers::without_secret_headers;
use crate::core::profiles::{ProfileError, Profiles, FORM_KEY, PROFILES_KEY, SECRET_KEY};
use crate::core::run::{Secret, SecretBinding};
use crate::core::settings::Settings;

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The saved profiles. Profiles saved by an earlier version that hold a token are read with it
/// masked and stored again that way (best effort: a failed write leaves them as they were, and
/// they still load masked).
pub fn load_profiles() -> Result<Profiles, ProfileError> {
    let text = local().and_then(|s| s.get_item(PROFILES_KEY).ok().flatten());
    let profiles = Profiles::from_json(text.as_deref())?;
    if Profiles::holds_secret_shapes(text.as_deref()) {
        let _ = save_profiles(&profiles);
    }
    Ok(profiles)
}

pub fn save_profiles(profiles: &Profiles) -> Result<(), String> {
    local()
        .ok_or("this browser blocks localStorage (private mode or a policy)")?
        .set_item(PROFILES_KEY, &profiles.to_json())
        .map_err(|_| "localStorage refused to store the profiles (full or blocked)".to_string())
}

/// The secret kept for this tab, if the user opted in earlier, with where it was entered.
/// Anything unreadable (an older format, a hand edit) counts as nothing remembered.
pub fn remembered_secret() -> Option<(Secret, SecretBinding)> {
    let text = session()?.get_item(SECRET_KEY).ok().flatten()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let secret = value.get("secret")?.as_str()?;
    let binding = serde_json::from_value(value.get("binding")?.clone()).ok()?;
    Some((Secret::new(secret), binding))
}

/// Keeps (or, with None, drops) the secret in this tab's sessionStorage, bound to the
/// endpoint, client and API host it was entered for.
pub fn remember_secret(secret: Option<(&Secret, &SecretBinding)>) {
    if let Some(storage) = session() {
        let _ = match secret {
            Some((secret, binding)) => {
                let record = serde_json::json!({ "secret": secret.expose(), "binding": binding });
                storage.set_item(SECRET_KEY, &record.to_string())
            }
            None => storage.remove_item(SECRET_KEY),
        };
    }
}

/// Written and removed at once by Forget everything: the site's other tabs get a `storage`
/// event for it (never the tab that wrote it) and forget their own sessionStorage too.
pub const FORGOTTEN_KEY: &str = "cognito-api-tester.forgotten";

/// Clears everything this tool ever stored, in both storages, and tells the site's other tabs.
pub fn forget_everything() {
    forget_everything_here();
    if let Some(storage) = local() {
        let _ = storage.set_item(FORGOTTEN_KEY, "1");
        let _ = storage.remove_item(FORGOTTEN_KEY);
    }
}

/// What another tab's Forget everything cannot reach: this tab's sessionStorage. Not
/// localStorage: that tab cleared it, and profiles saved since must stay.
pub fn forget_this_tab() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(SECRET_KEY);
        let _ = storage.remove_item(FORM_KEY);
        let _ = storage.remove_item(crate::web::sign_in::PENDING_KEY);
    }
    forget_written_form();
}

/// Clears everything this tool stored that this tab can reach: localStorage and this tab's
/// sessionStorage (each tab has its own).
fn forget_everything_here() {
    for storage in [local(), session()].into_iter().flatten() {
        let _ = storage.remove_item(PROFILES_KEY);
        let _ = storage.remove_item(SECRET_KEY);
        let _ = storage.remove_item(FORM_KEY);
        let _ = storage.remove_item(crate::web::sign_in::PENDING_KEY);
    }
    forget_written_form();
}

/// Removes the tab's kept form (a form whose secret could not be masked out, or a failed write).
pub fn forget_form() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(FORM_KEY);
    }
    forget_written_form();
}

/// The form as this tab last had it (settings without the secret, and the assertions text), so
/// a reload keeps it. Anything unreadable counts as nothing kept.
pub fn kept_form() -> Option<(Settings, String)> {
    let text = session()?.get_item(FORM_KEY).ok().flatten()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let settings = serde_json::from_value(value.get("settings")?.clone()).ok()?;
    let assertions = value.get("assertions")?.as_str()?.to_owned();
    Some((settings, assertions))
}

thread_local! {
    /// The form record this tab last wrote to sessionStorage (None: nothing written, or forgotten
    /// since): kept beside the storage it mirrors, so a write that failed or a Forget everything
    /// is written again.
    static KEPT_FORM: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Nothing written since: the next form is written even if it equals the last.
fn forget_written_form() {
    KEPT_FORM.with(|kept| {
        if let Ok(mut kept) = kept.try_borrow_mut() {
            *kept = None;
        }
    });
}

/// Keeps the form for this tab (sessionStorage). `settings` has no secret by construction;
/// credential header lines are dropped here as in a profile. A record equal to the one last
/// written is not written again: every Run adds tokens to the secret book, which re-runs the
/// caller, and a storage write cost about 1 ms of each Run.
pub fn keep_form(settings: &Settings, assertions: &str) {
    let settings = Settings {
        extra_headers: without_secret_headers(&settings.extra_headers, &settings.secret_headers),
        ..settings.clone()
    };
    let record = serde_json::json!({
        "settings": settings,
        "assertions": assertions,
    })
    .to_string();
    let written = KEPT_FORM.with(|kept| {
        kept.try_borrow()
            .is_ok_and(|kept| kept.as_deref() == Some(record.as_str()))
    });
    if written {
        return;
    }
    if let Some(storage) = session() {
        if storage.set_item(FORM_KEY, &record).is_ok() {
            KEPT_FORM.with(|kept| {
                if let Ok(mut kept) = kept.try_borrow_mut() {
                    *kept = Some(record);
                }
            });
        } else {
            // Full storage, say: the record there is an older form, perhaps one holding a secret
            // the tab has learned since. No record is better than that one.
            forget_form();
        }
    }
}
