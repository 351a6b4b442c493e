//! The inputs of one run, frozen when it starts, and the key a token is reused on.

use std::fmt;

use super::secret::{Secret, SecretBook, SecretKind};
use super::Job;
use crate::core::assertions::{parse_each_line, parse_lines, Assertion, AssertionParseErrors};
use crate::core::headers::{is_secret_header, parse_extra_headers};
use crate::core::settings::Settings;
use crate::core::token::{normalise_scopes, ClientAuth};

/// One extra header as it will be sent; a secret one holds its value as a [`Secret`].
#[derive(Clone)]
pub struct SentHeader {
    pub name: String,
    value: Secret,
    pub secret: bool,
}

impl SentHeader {
    pub fn value(&self) -> &str {
        self.value.expose()
    }
}

/// Everything a run uses, copied out of the form when it starts. Editing the form afterwards
/// changes nothing that this run sends, shows or exports.
#[derive(Clone)]
pub struct RunSnapshot {
    pub job: Job,
    /// The public settings (no secret in this type).
    pub settings: Settings,
    pub secret: Secret,
    /// The extra headers, parsed (an unreadable field is a blocker before any snapshot is used).
    pub headers: Result<Vec<SentHeader>, String>,
    /// The assertions as parsed at the start: bad lines are the run's own outcome.
    pub assertions: Result<Vec<Assertion>, AssertionParseErrors>,
    /// The readable lines, checked even when others are bad (a failing one is a FAIL).
    pub checkable: Vec<Assertion>,
    pub started_at_unix_ms: f64,
}

impl RunSnapshot {
    pub fn new(
        job: Job,
        settings: Settings,
        secret: Secret,
        assertions_text: &str,
        started_at_unix_ms: f64,
    ) -> Self {
        let headers = parse_extra_headers(&settings.extra_headers).map(|parsed| {
            parsed
                .into_iter()
                .map(|(name, value)| SentHeader {
                    secret: is_secret_header(&name, &settings.secret_headers),
                    name,
                    value: Secret::new(value),
                })
                .collect()
        });
        Self {
            job,
            secret: secret.trimmed(),
            assertions: parse_lines(assertions_text),
            checkable: parse_each_line(assertions_text).0,
            headers,
            settings,
            started_at_unix_ms,
        }
    }

    /// Puts this run's secrets in the tab's book before anything is sent, so every view of
    /// what it sends is masked even if the form changes a moment later.
    pub fn register_secrets(&self, book: &mut SecretBook) -> bool {
        let mut changed = book.add(SecretKind::ClientSecret, &self.secret);
        if self.settings.client_auth == ClientAuth::BasicHeader {
            let header = crate::core::token::basic_authorization(
                self.settings.client_id.trim(),
                self.secret.expose(),
            );
            let credentials = header.trim_start_matches("Basic ");
            changed |= book.add(SecretKind::BasicCredentials, &Secret::new(credentials));
        }
        for header in self.headers.iter().flatten().filter(|h| h.secret) {
            changed |= book.add(SecretKind::Header(header.name.clone()), &header.value);
        }
        changed
    }

    /// The key a token fetched by this run is held under. None when the Domain does not resolve.
    pub fn token_key(&self) -> Option<TokenKey> {
        let endpoint = self.settings.token_endpoint().ok()?;
        let mut scopes = normalise_scopes(&self.settings.scope);
        scopes.sort();
        scopes.dedup();
        Some(TokenKey::Fetched {
            endpoint: endpoint.url,
            client_id: self.settings.client_id.trim().to_owned(),
            secret: self.secret.clone(),
            client_auth: self.settings.client_auth,
            scopes,
        })
    }
}

/// What made a token. A run reuses the held token only when its own key is equal: a changed
/// secret, client, scope, domain or client authentication means a new token.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenKey {
    Fetched {
        endpoint: String,
        client_id: String,
        secret: Secret,
        client_auth: ClientAuth,
        scopes: Vec<String>,
    },
    /// Pasted under Decoded token: Call API uses it, Run never reuses it.
    Pasted,
}

impl TokenKey {
    /// The form fields that differ between the key a token was held under and this one.
    pub fn changes_from(&self, held: &TokenKey) -> Vec<&'static str> {
        match (held, self) {
            (
                TokenKey::Fetched {
                    endpoint: e1,
                    client_id: c1,
                    secret: s1,
                    client_auth: a1,
                    scopes: sc1,
                },
                TokenKey::Fetched {
                    endpoint: e2,
                    client_id: c2,
                    secret: s2,
                    client_auth: a2,
                    scopes: sc2,
                },
            ) => [
                (e1 != e2, "Domain"),
                (c1 != c2, "Client ID"),
                (s1 != s2, "Client secret"),
                (a1 != a2, "Client authentication"),
                (sc1 != sc2, "Scope"),
            ]
            .into_iter()
            .filter_map(|(changed, field)| changed.then_some(field))
            .collect(),
            (TokenKey::Pasted, TokenKey::Pasted) => Vec::new(),
            _ => vec!["token source (the held token was pasted)"],
        }
    }
}

impl fmt::Debug for TokenKey {
    /// Without the secret: a key can appear in a test failure, never its secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fetched {
                endpoint,
                client_id,
                client_auth,
                scopes,
                ..
            } => f
                .debug_struct("Fetched")
                .field("endpoint", endpoint)
                .field("client_id", client_id)
                .field("client_auth", client_auth)
                .field("scopes", scopes)
                .finish_non_exhaustive(),
            Self::Pasted => f.write_str("Pasted"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "http://127.0.0.1:9090".into(),
            scope: "demo/example".into(),
            api_url: "http://127.0.0.1:9090/dev".into(),
            ..Settings::default()
        }
    }

    fn key(settings: Settings, secret: &str) -> TokenKey {
        RunSnapshot::new(Job::Run, settings, Secret::new(secret), "", 0.0)
            .token_key()
            .unwrap()
    }

    /// A changed secret gave "Reused the token from the last run… PASS".
    #[test]
    fn every_input_of_the_token_is_in_its_key() {
        let base = key(demo(), "demo-client-secret");
        assert!(base
            .changes_from(&key(demo(), " demo-client-secret "))
            .is_empty());
        assert_eq!(
            key(demo(), "WRONG-secret").changes_from(&base),
            vec!["Client secret"]
        );
        let mut other = demo();
        other.client_id = "other".into();
        assert_eq!(
            key(other, "demo-client-secret").changes_from(&base),
            vec!["Client ID"]
        );
        let mut other = demo();
        other.scope = "demo/other".into();
        assert_eq!(
            key(other, "demo-client-secret").changes_from(&base),
            vec!["Scope"]
        );
        let mut other = demo();
        other.client_auth = ClientAuth::BasicHeader;
        assert_eq!(
            key(other, "demo-client-secret").changes_from(&base),
            vec!["Client authentication"]
        );
        let mut other = demo();
        other.domain = "http://127.0.0.1:9091".into();
        assert_eq!(
            key(other, "demo-client-secret").changes_from(&base),
            vec!["Domain"]
        );
        // Scope order and repeats do not change what the token grants.
        let mut a = demo();
        a.scope = "b/x a/y".into();
        let mut b = demo();
        b.scope = "a/y, b/x a/y".into();
        assert!(key(a, "s").changes_from(&key(b, "s")).is_empty());
        assert!(!TokenKey::Pasted.changes_from(&base).is_empty());
    }

    #[test]
    fn the_snapshot_registers_what_it_will_send() {
        let mut settings = demo();
        settings.extra_headers = "X-Api-Key: key-1234\nX-Trace: trace-1\nX-Tenant: tenant-9".into();
        settings.secret_headers = vec!["x-tenant".into()];
        settings.client_auth = ClientAuth::BasicHeader;
        let snapshot = RunSnapshot::new(
            Job::Run,
            settings,
            Secret::new("demo-client-secret"),
            "",
            0.0,
        );
        let mut book = SecretBook::new();
        assert!(snapshot.register_secrets(&mut book));
        let masked = book.mask(
            "demo-client-secret key-1234 trace-1 tenant-9 ZGVtby1jbGllbnQtaWQ6ZGVtby1jbGllbnQtc2VjcmV0",
        );
        assert_eq!(masked, "•••••• •••••• trace-1 •••••• ••••••");
    }

    #[test]
    fn bad_assertion_lines_are_frozen_with_the_run() {
        let snapshot = RunSnapshot::new(
            Job::Run,
            demo(),
            Secret::new("x"),
            "status 201\nlength 3\nstatus 2xz",
            0.0,
        );
        assert!(snapshot.assertions.is_err());
        // The readable lines are still checked: `status 201` can fail the run on its own.
        assert_eq!(
            snapshot.checkable,
            vec![
                Assertion::Status { expected: 201 },
                Assertion::JsonLength { expected: 3 }
            ]
        );
    }
}
