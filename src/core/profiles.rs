//! Named environments (dev, staging, prod…) kept in the browser's localStorage.
//! Every field is saved except the client secret, which never reaches storage
//! unless the user opts in ("Remember secret in this tab" → sessionStorage).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::core::settings::Settings;

/// The localStorage key for the profiles.
pub const PROFILES_KEY: &str = "cognito-api-tester.profiles";
/// The sessionStorage key for the opted-in secret.
pub const SECRET_KEY: &str = "cognito-api-tester.secret";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub settings: Settings,
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
    /// Reads what localStorage holds; nothing stored is an empty list.
    pub fn from_json(text: Option<&str>) -> Result<Profiles, ProfileError> {
        match text {
            None => Ok(Profiles::default()),
            Some(text) => {
                serde_json::from_str(text).map_err(|e| ProfileError::Corrupt(e.to_string()))
            }
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"list\":[]}".to_string())
    }

    /// Saves (or replaces) a profile; the secret is always left out.
    pub fn save(&mut self, name: &str, settings: &Settings) -> Result<(), ProfileError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ProfileError::EmptyName);
        }
        let settings = Settings {
            client_secret: String::new(),
            ..settings.clone()
        };
        match self.list.iter_mut().find(|p| p.name == name) {
            Some(existing) => existing.settings = settings,
            None => self.list.push(Profile {
                name: name.to_string(),
                settings,
            }),
        }
        self.list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    pub fn remove(&mut self, name: &str) {
        self.list.retain(|p| p.name != name);
    }

    /// The settings of a profile, keeping the secret currently in memory.
    pub fn load(&self, name: &str, current: &Settings) -> Option<Settings> {
        let profile = self.list.iter().find(|p| p.name == name)?;
        Some(Settings {
            client_secret: current.client_secret.clone(),
            ..profile.settings.clone()
        })
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
            client_secret: "s3cr3t-value".into(),
            domain: "my-pool".into(),
            region: "us-east-1".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn the_secret_never_reaches_storage() {
        let mut profiles = Profiles::default();
        profiles.save("dev", &settings()).unwrap();
        let json = profiles.to_json();
        assert!(!json.contains("s3cr3t-value"), "{json}");
        assert!(json.contains("my-pool"));
    }

    #[test]
    fn save_replace_load_remove() {
        let mut profiles = Profiles::default();
        profiles.save(" staging ", &settings()).unwrap();
        profiles.save("dev", &settings()).unwrap();
        let mut changed = settings();
        changed.domain = "other".into();
        profiles.save("dev", &changed).unwrap();
        assert_eq!(profiles.names(), vec!["dev", "staging"]);
        let current = Settings {
            client_secret: "in-memory".into(),
            ..Settings::default()
        };
        let loaded = profiles.load("dev", &current).unwrap();
        assert_eq!(loaded.domain, "other");
        assert_eq!(loaded.client_secret, "in-memory");
        assert!(profiles.load("prod", &current).is_none());
        profiles.remove("dev");
        assert_eq!(profiles.names(), vec!["staging"]);
        assert_eq!(
            profiles.save("  ", &settings()),
            Err(ProfileError::EmptyName)
        );
    }

    #[test]
    fn reading_storage() {
        assert_eq!(Profiles::from_json(None).unwrap(), Profiles::default());
        let mut profiles = Profiles::default();
        profiles.save("dev", &settings()).unwrap();
        assert_eq!(
            Profiles::from_json(Some(&profiles.to_json())).unwrap(),
            profiles
        );
        let err = Profiles::from_json(Some("{broken")).unwrap_err();
        assert!(err.to_string().contains("could not be read"));
    }
}
