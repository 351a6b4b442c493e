//! The browser's storage, used only for what the user chose to keep: profiles
//! (never the secret) in localStorage, and the secret in sessionStorage when
//! "Remember secret in this tab" is ticked.

use web_sys::Storage;

use crate::core::profiles::{ProfileError, Profiles, PROFILES_KEY, SECRET_KEY};

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn load_profiles() -> Result<Profiles, ProfileError> {
    let text = local().and_then(|s| s.get_item(PROFILES_KEY).ok().flatten());
    Profiles::from_json(text.as_deref())
}

pub fn save_profiles(profiles: &Profiles) -> Result<(), String> {
    local()
        .ok_or("this browser blocks localStorage (private mode or a policy)")?
        .set_item(PROFILES_KEY, &profiles.to_json())
        .map_err(|_| "localStorage refused to store the profiles (full or blocked)".to_string())
}

/// The secret kept for this tab, if the user opted in earlier.
pub fn remembered_secret() -> Option<String> {
    session()?.get_item(SECRET_KEY).ok().flatten()
}

/// Keeps (or, with None, drops) the secret in this tab's sessionStorage.
pub fn remember_secret(secret: Option<&str>) {
    if let Some(storage) = session() {
        let _ = match secret {
            Some(secret) => storage.set_item(SECRET_KEY, secret),
            None => storage.remove_item(SECRET_KEY),
        };
    }
}

/// Clears everything this tool ever stored, in both storages.
pub fn forget_everything() {
    for storage in [local(), session()].into_iter().flatten() {
        let _ = storage.remove_item(PROFILES_KEY);
        let _ = storage.remove_item(SECRET_KEY);
    }
}
