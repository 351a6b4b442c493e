//! Named environments (dev, staging, prod…) kept in the browser's localStorage.
//! Every field is saved except the client secret, which never reaches storage
//! unless the user opts in ("Remember secret in this tab" → sessionStorage).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::core::headers::without_secret_headers;
use crate::core::matrix::{description_from_value, ApiDescription};
use crate::core::secret_shape::{has_secret_shape, mask_secret_shapes};
use crate::core::settings::Settings;
use crate::core::short_sort::sort_short_by;

/// The localStorage key for the profiles.
pub const PROFILES_KEY: &str = "cognito-api-tester.profiles";
/// The sessionStorage key for the opted-in secret.
pub const SECRET_KEY: &str = "cognito-api-tester.secret";
/// sessionStorage key of the form's non-secret values (settings and assertions), so a reload
/// of the tab keeps them. Never the secret: `Settings` cannot hold it, and credential header
/// lines are left out as in a profile.
pub const FORM_KEY: &str = "cognito-api-tester.form";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub settings: Settings,
    /// The imported API description (the API's shape, no secrets) for the matrix; absent in
    /// profiles saved without one, or before profiles kept it.
    /// Read back by [`description_from_value`] (see there why not by a derive).
    #[serde(skip_deserializing, default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiDescription>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Profiles {
    pub list: Vec<Profile>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileError {
    EmptyName,
    Corrupt(String),
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => write!(f, "Give the profile a name (for example dev or staging)."),
            Self::Corrupt(why) => write!(
                f,
                "The saved profiles could not be read ({why}); they were left as they are. Forget everything to start afresh."
            ),
        }
    }
}

impl Profiles {
    /// Reads what localStorage holds; nothing stored is an empty list. Text shaped like a secret
    /// (a token, a URL password: `core::secret_shape`) is read as the mask mark: saves refuse one now, but a profile saved by an earlier version
    /// may hold a token pasted into a field, and loading it must not put the token back in the
    /// form (the page then writes the profiles back without it: [`Profiles::holds_secret_shapes`]).
    pub fn from_json(text: Option<&str>) -> Result<Profiles, ProfileError> {
        match text {
            None => Ok(Profiles::default()),
            // Through a Value, like every other stored Settings: one copy of the Settings
            // deserializer in the wasm instead of one per kind of input.
            Some(text) => {
                let value = serde_json::from_str::<serde_json::Value>(&mask_secret_shapes(text))
                    .map_err(|e| ProfileError::Corrupt(e.to_string()))?;
                let mut profiles: Profiles = serde_json::from_value(value.clone())
                    .map_err(|e| ProfileError::Corrupt(e.to_string()))?;
                let stored = value.get("list").and_then(|l| l.as_array());
                for (profile, stored) in profiles.list.iter_mut().zip(stored.into_iter().flatten())
                {
                    profile.api = stored.get("api").and_then(description_from_value);
                }
                Ok(profiles)
            }
        }
    }

    /// True when the stored text holds secret-shaped text, which [`Profiles::from_json`] masks:
    /// the page then stores the profiles again, so the token leaves localStorage for good.
    pub fn holds_secret_shapes(text: Option<&str>) -> bool {
        text.is_some_and(has_secret_shape)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"list\":[]}".to_string())
    }

    /// Saves (or replaces) a profile, with the matrix's imported API description when there is
    /// one; the secret is always left out.
    pub fn save(
        &mut self,
        name: &str,
        settings: &Settings,
        api: Option<&ApiDescription>,
    ) -> Result<(), ProfileError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ProfileError::EmptyName);
        }
        // Settings cannot hold the client secret; credential headers are left out here.
        let settings = Settings {
            extra_headers: without_secret_headers(
                &settings.extra_headers,
                &settings.secret_headers,
            ),
            ..settings.clone()
        };
        match self.list.iter_mut().find(|p| p.name == name) {
            Some(existing) => {
                existing.settings = settings;
                existing.api = api.cloned();
            }
            None => self.list.push(Profile {
                name: name.to_string(),
                settings,
                api: api.cloned(),
            }),
        }
        sort_short_by(&mut self.list, |a, b| a.name < b.name);
        Ok(())
    }

    pub fn remove(&mut self, name: &str) {
        self.list.retain(|p| p.name != name);
    }

    /// The settings of a profile (the page decides whether the secret in memory still fits
    /// them: see [`crate::core::run::SecretBinding`]).
    pub fn load(&self, name: &str) -> Option<Settings> {
        self.list
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.settings.clone())
    }

    /// The API description a profile keeps for the matrix, if it keeps one.
    pub fn api(&self, name: &str) -> Option<ApiDescription> {
        self.list
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.api.clone())
    }

    pub fn names(&self) -> Vec<String> {
        self.list.iter().map(|p| p.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            client_id: "id".into(),
            extra_headers: "X-Trace: 1\nX-Api-Key: s3cr3t-value".into(),
            domain: "my-pool".into(),
            region: "us-east-1".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn the_secret_never_reaches_storage() {
        let mut profiles = Profiles::default();
        profiles.save("dev", &settings(), None).unwrap();
        let json = profiles.to_json();
        assert!(!json.contains("s3cr3t-value"), "{json}");
        assert!(json.contains("my-pool"));
    }

    /// A profile an earlier version saved with a token pasted into the API URL (saves refuse
    /// that now): it loads with the token masked, so the field is refused before anything is
    /// sent, and the page knows to store the profiles again without it.
    #[test]
    fn a_token_in_a_profile_saved_earlier_is_read_masked() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let mut profiles = Profiles::default();
        let with_token = Settings {
            api_url: format!("https://api.example.com/dev/pets?access_token={token}"),
            ..settings()
        };
        profiles.save("dev", &with_token, None).unwrap();
        let stored = profiles.to_json();
        assert!(Profiles::holds_secret_shapes(Some(&stored)));

        let read = Profiles::from_json(Some(&stored)).unwrap();
        let loaded = read.load("dev").unwrap();
        assert_eq!(
            loaded.api_url,
            "https://api.example.com/dev/pets?access_token=••••••"
        );
        assert!(!read.to_json().contains("c2lnbmF0dXJl"));
        assert!(!Profiles::holds_secret_shapes(Some(&read.to_json())));
        let issues = loaded.validate(&crate::core::run::Secret::new("s"));
        assert!(issues
            .iter()
            .any(|i| i.message.contains("with the secret masked")));
        assert!(!Profiles::holds_secret_shapes(None));
    }

    #[test]
    fn save_replace_load_remove() {
        let mut profiles = Profiles::default();
        profiles.save(" staging ", &settings(), None).unwrap();
        profiles.save("dev", &settings(), None).unwrap();
        let mut changed = settings();
        changed.domain = "other".into();
        profiles.save("dev", &changed, None).unwrap();
        assert_eq!(profiles.names(), vec!["dev", "staging"]);
        let loaded = profiles.load("dev").unwrap();
        assert_eq!(loaded.domain, "other");
        // Credential headers never reach storage; the rest of the field does.
        assert_eq!(loaded.extra_headers, "X-Trace: 1");
        assert!(profiles.load("prod").is_none());
        profiles.remove("dev");
        assert_eq!(profiles.names(), vec!["staging"]);
        assert_eq!(
            profiles.save("  ", &settings(), None),
            Err(ProfileError::EmptyName)
        );
    }

    #[test]
    fn reading_storage() {
        assert_eq!(Profiles::from_json(None).unwrap(), Profiles::default());
        let mut profiles = Profiles::default();
        profiles.save("dev", &settings(), None).unwrap();
        assert_eq!(
            Profiles::from_json(Some(&profiles.to_json())).unwrap(),
            profiles
        );
        let err = Profiles::from_json(Some("{broken")).unwrap_err();
        assert!(err.to_string().contains("could not be read"));
    }

    #[test]
    fn a_profile_keeps_the_imported_api_description() {
        let api =
            crate::core::matrix::parse_export(include_str!("matrix/fixtures/oas30.json")).unwrap();
        let mut other =
            crate::core::matrix::parse_export(include_str!("matrix/fixtures/swagger.json"))
                .unwrap();
        other.operations[0].authorizer = crate::core::matrix::AuthorizerKind::Other("x".into());
        let mut profiles = Profiles::default();
        profiles.save("dev", &settings(), Some(&api)).unwrap();
        profiles.save("prod", &settings(), None).unwrap();
        profiles.save("other", &settings(), Some(&other)).unwrap();
        let read = Profiles::from_json(Some(&profiles.to_json())).unwrap();
        assert_eq!(read.api("dev"), Some(api.clone()));
        assert_eq!(read.api("prod"), None);
        assert_eq!(read.api("other"), Some(other));
        // Every field of every operation comes back (the reader is hand-written).
        assert_eq!(read, profiles);
        // A profile without a description stores no field for it.
        assert!(!profiles.to_json().contains("\"api\":null"));
        // Saving again without one drops it.
        profiles.save("dev", &settings(), None).unwrap();
        assert_eq!(profiles.api("dev"), None);
    }

    #[test]
    fn a_profile_saved_before_descriptions_were_kept_still_loads() {
        // The stored shape before: a name and the settings, nothing else.
        let old = serde_json::json!({"list": [{"name": "dev", "settings": settings()}]});
        let profiles = Profiles::from_json(Some(&old.to_string())).unwrap();
        assert_eq!(profiles.load("dev").unwrap().domain, "my-pool");
        assert_eq!(profiles.api("dev"), None);
    }
}
