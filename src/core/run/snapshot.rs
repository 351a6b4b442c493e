//! The inputs of one run, frozen when it starts, and the key a token is reused on.

use std::fmt;

use super::secret::{Secret, SecretBook, SecretKind};
use super::Job;
use crate::core::assertions::{parse_each_line, parse_lines, Assertion, AssertionParseErrors};
use crate::core::client_metadata::{parse_client_metadata, ClientMetadata};
use crate::core::client_token::TokenSource;
use crate::core::headers::{is_secret_header, parse_extra_headers};
use crate::core::settings::Settings;
use crate::core::short_sort::sort_short;
use crate::core::token::{normalise_scopes, ClientAuth};
use crate::core::user_sign_in::Grant;

/// One extra header as it will be sent; a secret one holds its value as a [`Secret`].
#[derive(Clone)]
pub struct SentHeader {
    pub name: String,
    value: Secret,
    pub secret: bool,
}

impl SentHeader {
    pub fn new(name: String, value: String, secret: bool) -> Self {
        Self {
            name,
            value: Secret::new(value),
            secret,
        }
    }

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
    /// The client metadata, parsed (unreadable metadata is a blocker before a token is fetched).
    pub client_metadata: Result<ClientMetadata, String>,
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
        let client_metadata =
            parse_client_metadata(&settings.client_metadata).map_err(|e| e.to_string());
        Self {
            job,
            client_metadata,
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
        // GetClientToken carries the secret in its JSON body, never under the Basic scheme.
        let auth = self.client_auth().unwrap_or(ClientAuth::SecretInBody);
        let mut changed = book.add_client_secret(&self.settings.client_id, &self.secret, auth);
        for header in self.headers.iter().flatten().filter(|h| h.secret) {
            changed |= book.add(SecretKind::Header(header.name.clone()), &header.value);
        }
        changed
    }

    /// How the token endpoint request carries the secret; None for GetClientToken (the secret
    /// is in its JSON body, whatever the Client authentication control says).
    pub fn client_auth(&self) -> Option<ClientAuth> {
        (self.settings.token_source == TokenSource::TokenEndpoint)
            .then_some(self.settings.client_auth)
    }

    /// The key a token fetched by this run is held under. None when the token source's endpoint
    /// does not resolve or the client metadata does not parse (such a run is refused).
    pub fn token_key(&self) -> Option<TokenKey> {
        if self.settings.sign_in.grant == Grant::AuthorizationCode {
            let endpoint = self.settings.token_endpoint().ok()?;
            return Some(TokenKey::signed_in(
                &endpoint.url,
                &self.settings.client_id,
                &self.secret,
                &self.settings.scope,
            ));
        }
        let endpoint = self.settings.token_request_url().ok()?;
        let metadata = self.client_metadata.clone().ok()?;
        let mut scopes = normalise_scopes(&self.settings.scope);
        sort_short(&mut scopes);
        scopes.dedup();
        Some(TokenKey::Fetched {
            source: self.settings.token_source,
            endpoint,
            client_id: self.settings.client_id.trim().to_owned(),
            secret: self.secret.clone(),
            client_auth: self.client_auth(),
            scopes,
            metadata,
        })
    }
}

/// What made a token. A run reuses the held token only when its own key is equal: a changed
/// token source, secret, client, scope, domain (or region), client authentication or client
/// metadata (the pre token generation trigger may put it in the claims) means a new token.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenKey {
    Fetched {
        source: TokenSource,
        /// The token endpoint, or GetClientToken's endpoint.
        endpoint: String,
        client_id: String,
        secret: Secret,
        /// None for GetClientToken.
        client_auth: Option<ClientAuth>,
        scopes: Vec<String>,
        metadata: ClientMetadata,
    },
    /// A user's token from the authorization code grant (managed login, PKCE): it can only be
    /// renewed with its refresh token or a new sign-in, never fetched by Run.
    SignedIn {
        /// The token endpoint the code was exchanged at.
        endpoint: String,
        client_id: String,
        /// Empty for a public client.
        secret: Secret,
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
                    source: so1,
                    endpoint: e1,
                    client_id: c1,
                    secret: s1,
                    client_auth: a1,
                    scopes: sc1,
                    metadata: m1,
                },
                TokenKey::Fetched {
                    source: so2,
                    endpoint: e2,
                    client_id: c2,
                    secret: s2,
                    client_auth: a2,
                    scopes: sc2,
                    metadata: m2,
                },
            ) => [
                (so1 != so2, "Token source"),
                // Another source has another endpoint and no client authentication of its own:
                // "Token source" says it all.
                (so1 == so2 && e1 != e2, endpoint_field(*so2)),
                (c1 != c2, "Client ID"),
                (s1 != s2, "Client secret"),
                (so1 == so2 && a1 != a2, "Client authentication"),
                (sc1 != sc2, "Scope"),
                (m1 != m2, "Client metadata"),
            ]
            .into_iter()
            .filter_map(|(changed, field)| changed.then_some(field))
            .collect(),
            (
                TokenKey::SignedIn {
                    endpoint: e1,
                    client_id: c1,
                    secret: s1,
                    scopes: sc1,
                },
                TokenKey::SignedIn {
                    endpoint: e2,
                    client_id: c2,
                    secret: s2,
                    scopes: sc2,
                },
            ) => [
                (e1 != e2, "Domain"),
                (c1 != c2, "Client ID"),
                (s1 != s2, "Client secret"),
                (sc1 != sc2, "Scope"),
            ]
            .into_iter()
            .filter_map(|(changed, field)| changed.then_some(field))
            .collect(),
            (TokenKey::Pasted, TokenKey::Pasted) => Vec::new(),
            (TokenKey::SignedIn { .. }, TokenKey::Fetched { .. })
            | (TokenKey::Fetched { .. }, TokenKey::SignedIn { .. }) => vec!["Grant"],
            _ => vec!["token source (the held token was pasted)"],
        }
    }
}

impl TokenKey {
    /// The key of a user's tokens from a code exchange at `token_url`.
    pub fn signed_in(token_url: &str, client_id: &str, secret: &Secret, scope: &str) -> TokenKey {
        let mut scopes = normalise_scopes(scope);
        scopes.sort();
        scopes.dedup();
        TokenKey::SignedIn {
            endpoint: token_url.trim().to_owned(),
            client_id: client_id.trim().to_owned(),
            secret: secret.trimmed(),
            scopes,
        }
    }
}

/// The field that moves a source's endpoint.
fn endpoint_field(source: TokenSource) -> &'static str {
    match source {
        TokenSource::TokenEndpoint => "Domain",
        TokenSource::GetClientToken => "Region",
    }
}

impl fmt::Debug for TokenKey {
    /// Without the secret: a key can appear in a test failure, never its secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fetched {
                source,
                endpoint,
                client_id,
                client_auth,
                scopes,
                metadata,
                ..
            } => f
                .debug_struct("Fetched")
                .field("source", source)
                .field("endpoint", endpoint)
                .field("client_id", client_id)
                .field("client_auth", client_auth)
                .field("scopes", scopes)
                .field("metadata", metadata)
                .finish_non_exhaustive(),
            Self::SignedIn {
                endpoint,
                client_id,
                scopes,
                ..
            } => f
                .debug_struct("SignedIn")
                .field("endpoint", endpoint)
                .field("client_id", client_id)
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
    fn a_signed_in_key_holds_the_grant_and_its_inputs() {
        let url = "http://127.0.0.1:9090/oauth2/token";
        let none = Secret::default();
        let user = TokenKey::signed_in(url, "user-client", &none, "openid email");
        assert!(
            TokenKey::signed_in(url, " user-client ", &none, "email openid")
                .changes_from(&user)
                .is_empty()
        );
        assert_eq!(
            TokenKey::signed_in(url, "user-client", &Secret::new("s"), "openid")
                .changes_from(&user),
            vec!["Client secret", "Scope"]
        );
        assert!(!format!(
            "{:?}",
            TokenKey::signed_in(url, "c", &Secret::new("top-secret"), "")
        )
        .contains("top-secret"));
        let machine = key(demo(), "demo-client-secret");
        assert_eq!(user.changes_from(&machine), vec!["Grant"]);
        assert_eq!(machine.changes_from(&user), vec!["Grant"]);
    }

    #[test]
    fn token_source_and_client_metadata_are_in_the_key() {
        let base = key(demo(), "demo-client-secret");
        let mut other = demo();
        other.token_source = TokenSource::GetClientToken;
        other.client_auth = ClientAuth::BasicHeader;
        let client_token = key(other.clone(), "demo-client-secret");
        // The local Domain URL stands in for cognito-idp: its origin, path `/`.
        assert!(format!("{client_token:?}").contains("endpoint: \"http://127.0.0.1:9090/\""));
        assert_eq!(client_token.changes_from(&base), vec!["Token source"]);
        // GetClientToken ignores the Client authentication control.
        other.client_auth = ClientAuth::SecretInBody;
        assert!(key(other.clone(), "demo-client-secret")
            .changes_from(&client_token)
            .is_empty());
        // Its endpoint follows the Region.
        other.domain.clear();
        other.region = "eu-west-1".into();
        let aws = key(other.clone(), "demo-client-secret");
        other.region = "eu-west-2".into();
        assert_eq!(
            key(other, "demo-client-secret").changes_from(&aws),
            vec!["Region"]
        );
        // Client metadata, compared as parsed: spacing and key order do not matter.
        let mut tenant = demo();
        tenant.client_metadata = r#"{"tenant":"a","zone":"eu"}"#.into();
        assert_eq!(
            key(tenant.clone(), "demo-client-secret").changes_from(&base),
            vec!["Client metadata"]
        );
        let mut same = demo();
        same.client_metadata = r#"{ "zone": "eu", "tenant": "a" }"#.into();
        assert!(key(same, "demo-client-secret")
            .changes_from(&key(tenant, "demo-client-secret"))
            .is_empty());
        // Metadata that does not parse makes no key (the run is refused).
        let mut bad = demo();
        bad.client_metadata = "{".into();
        let snapshot = RunSnapshot::new(Job::Run, bad, Secret::new("x"), "", 0.0);
        assert!(snapshot.token_key().is_none());
        assert!(snapshot.client_metadata.is_err());
    }

    /// GetClientToken sends the secret in JSON: no Basic credentials to register.
    #[test]
    fn get_client_token_registers_no_basic_credentials() {
        let mut settings = demo();
        settings.token_source = TokenSource::GetClientToken;
        settings.client_auth = ClientAuth::BasicHeader;
        let snapshot = RunSnapshot::new(
            Job::Run,
            settings,
            Secret::new("demo-client-secret"),
            "",
            0.0,
        );
        assert_eq!(snapshot.client_auth(), None);
        let mut book = SecretBook::new();
        snapshot.register_secrets(&mut book);
        assert_eq!(book.len(), 1);
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
