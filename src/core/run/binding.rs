//! Where a secret was entered: the origin its token request goes to (the token endpoint, or
//! GetClientToken's `cognito-idp`), the client and the API host. A
//! secret typed (or remembered) for one of these is never sent to another by settings that
//! arrive from a share link or a profile — as a password manager binds a password to a site.

use serde::{Deserialize, Serialize};

use crate::core::settings::Settings;
use crate::whatwg_url::Url;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretBinding {
    pub token_origin: String,
    pub client_id: String,
    pub api_origin: String,
}

impl SecretBinding {
    /// The binding for these settings (empty parts where a field does not resolve yet).
    pub fn of(settings: &Settings) -> Self {
        Self {
            token_origin: settings
                .token_request_url()
                .ok()
                .and_then(|url| origin(&url))
                .unwrap_or_default(),
            client_id: settings.client_id.trim().to_owned(),
            api_origin: origin(settings.api_url.trim()).unwrap_or_default(),
        }
    }

    /// What differs, as sentences naming the old and new values (none: the secret fits).
    pub fn differences(&self, next: &SecretBinding) -> Vec<String> {
        let mut out = Vec::new();
        let shown = |v: &str| {
            if v.is_empty() {
                "(none)".to_owned()
            } else {
                v.to_owned()
            }
        };
        for (what, old, new) in [
            ("token endpoint", &self.token_origin, &next.token_origin),
            ("Client ID", &self.client_id, &next.client_id),
            ("API host", &self.api_origin, &next.api_origin),
        ] {
            if old != new {
                out.push(format!("{what} {} → {}", shown(old), shown(new)));
            }
        }
        out
    }

    /// [`Self::differences`] for an import that brings no secret: a part still empty when the
    /// secret was entered is being filled in (the client's output first, the domain's after it),
    /// not moved; a part that had a value and changes sends the secret somewhere else.
    pub fn moved_by_import(&self, next: &SecretBinding) -> Vec<String> {
        let filled_in = SecretBinding {
            token_origin: pick(&self.token_origin, &next.token_origin),
            client_id: pick(&self.client_id, &next.client_id),
            api_origin: pick(&self.api_origin, &next.api_origin),
        };
        filled_in.differences(next)
    }
}

/// The old part, or the new one where the old was empty.
fn pick(old: &str, new: &str) -> String {
    if old.is_empty() { new } else { old }.to_owned()
}

fn origin(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "http://127.0.0.1:9090".into(),
            api_url: "http://127.0.0.1:9090/dev".into(),
            ..Settings::default()
        }
    }

    /// Import… kept the secret when the pasted output named another Domain or API host, and
    /// Run sent it there; filling in what was still empty (a second output) keeps it.
    #[test]
    fn an_import_that_moves_the_secret_elsewhere_is_named() {
        let bound = SecretBinding::of(&demo());
        let elsewhere = Settings {
            domain: "https://auth.attacker.example".into(),
            ..demo()
        };
        let moved = bound.moved_by_import(&SecretBinding::of(&elsewhere));
        assert_eq!(moved.len(), 1, "{moved:?}");
        assert!(moved[0].contains("auth.attacker.example"), "{moved:?}");
        let other_api = Settings {
            api_url: "https://attacker.example/dev".into(),
            ..demo()
        };
        assert_eq!(
            bound.moved_by_import(&SecretBinding::of(&other_api)).len(),
            1
        );
        // The client's output first (no domain, no API yet), then the domain's: filled in.
        let client_only = SecretBinding::of(&Settings {
            client_id: "demo-client-id".into(),
            ..Settings::default()
        });
        assert!(client_only
            .moved_by_import(&SecretBinding::of(&demo()))
            .is_empty());
        assert!(bound.moved_by_import(&bound).is_empty());
    }

    /// A share link whose Domain is another host re-pointed the remembered secret.
    #[test]
    fn another_host_or_client_is_another_binding() {
        let bound = SecretBinding::of(&demo());
        assert_eq!(bound.token_origin, "http://127.0.0.1:9090");
        assert!(bound.differences(&SecretBinding::of(&demo())).is_empty());
        let mut moved = demo();
        moved.domain = "https://evil.example.com".into();
        assert_eq!(
            bound.differences(&SecretBinding::of(&moved)),
            vec!["token endpoint http://127.0.0.1:9090 → https://evil.example.com".to_string()]
        );
        let mut other = demo();
        other.client_id = "other".into();
        other.api_url = "https://api.example.com/dev".into();
        assert_eq!(bound.differences(&SecretBinding::of(&other)).len(), 2);
        // A different path or scope on the same hosts is the same binding.
        let mut same = demo();
        same.api_url = "http://127.0.0.1:9090/dev/pets?x=1".into();
        same.scope = "demo/other".into();
        assert!(bound.differences(&SecretBinding::of(&same)).is_empty());
    }

    /// GetClientToken sends the secret to cognito-idp, not to the Domain: another binding.
    #[test]
    fn the_token_source_decides_where_the_secret_goes() {
        let mut aws = demo();
        aws.domain = "my-pool.auth.us-east-1.amazoncognito.com".into();
        let bound = SecretBinding::of(&aws);
        aws.token_source = crate::core::client_token::TokenSource::GetClientToken;
        aws.region = "us-east-1".into();
        let moved = SecretBinding::of(&aws);
        assert_eq!(
            moved.token_origin,
            "https://cognito-idp.us-east-1.amazonaws.com"
        );
        assert_eq!(bound.differences(&moved).len(), 1);
        // Locally both go to the emulator.
        let mut local = demo();
        local.token_source = crate::core::client_token::TokenSource::GetClientToken;
        assert!(SecretBinding::of(&demo())
            .differences(&SecretBinding::of(&local))
            .is_empty());
    }
}
