//! Users' tokens: the authorization code grant with PKCE through Cognito's managed login, and
//! what follows it (refresh, revoke, userInfo, sign-out). Pure: the browser shell supplies the
//! random bytes (`crypto.getRandomValues`) and the SHA-256 digests (WebCrypto), so every rule
//! here is tested natively. AWS's rules are in docs/aws-behaviour.md, "User sign-in".

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::exchange::RecordedRequest;
use crate::core::run::{Secret, SecretBook, SecretKind};
use crate::core::token::{
    basic_authorization, normalise_scopes, parse_token_response, AccessToken, ClientAuth,
    TokenFailure,
};

mod diagnosis;
mod id_token;
mod redirect;

pub use diagnosis::{exchange_failure, redirect_error, send_token_hint, state_mismatch};
pub use id_token::{at_hash_of, id_token_checks, sent_token_checks, IdTokenContext, SentFrom};
pub use redirect::{parse_redirect, strip_redirect_params, Redirect};

/// The form's user sign-in settings (none secret): they ride in [`Settings`](crate::core::settings::Settings),
/// so they are kept across the redirect, saved in profiles and shared in links like the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInSettings {
    pub grant: Grant,
    pub send_token: SendToken,
    /// `identity_provider` for the authorize request (empty: managed login's own page).
    pub identity_provider: String,
    /// `lang` for managed login's pages (empty: the browser's).
    pub lang: String,
}

/// How the page gets its token (the `Grant` control).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Grant {
    /// Machine to machine: `grant_type=client_credentials`.
    #[default]
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    /// A user signs in through managed login; the page exchanges the code with PKCE.
    #[serde(rename = "code")]
    AuthorizationCode,
}

impl Grant {
    pub fn label(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "Client credentials",
            Grant::AuthorizationCode => "Authorization code (PKCE)",
        }
    }

    pub fn all() -> [Grant; 2] {
        [Grant::ClientCredentials, Grant::AuthorizationCode]
    }

    pub fn from_label(label: &str) -> Option<Grant> {
        Grant::all().into_iter().find(|g| g.label() == label)
    }
}

/// Which of a user's tokens Call API (and the canary) sends (the `Send token` control). API
/// Gateway's Cognito authorizer takes the ID token on methods without authorization scopes and
/// the access token on methods with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendToken {
    #[default]
    #[serde(rename = "access")]
    AccessToken,
    #[serde(rename = "id")]
    IdToken,
}

impl SendToken {
    pub fn label(self) -> &'static str {
        match self {
            SendToken::AccessToken => "Access token",
            SendToken::IdToken => "ID token",
        }
    }

    pub fn all() -> [SendToken; 2] {
        [SendToken::AccessToken, SendToken::IdToken]
    }

    pub fn from_label(label: &str) -> Option<SendToken> {
        SendToken::all().into_iter().find(|s| s.label() == label)
    }

    /// The token of `tokens` this choice sends; None when the ID token is asked for and absent.
    pub fn pick(self, tokens: &UserTokens) -> Option<&str> {
        match self {
            SendToken::AccessToken => Some(tokens.access.access_token.as_str()),
            SendToken::IdToken => tokens.id_token.as_deref(),
        }
    }
}

/// What must survive the trip to managed login and back, and nothing more: the PKCE verifier,
/// `state` and `nonce` (in sessionStorage, deleted once the code is exchanged).
pub struct PendingSignIn {
    pub verifier: Secret,
    pub state: String,
    pub nonce: String,
}

impl PendingSignIn {
    /// From 32 random bytes each (`crypto.getRandomValues`): a 43-character verifier (RFC 7636
    /// allows 43 to 128), and unguessable `state` and `nonce`.
    pub fn from_random(verifier: &[u8; 32], state: &[u8; 32], nonce: &[u8; 32]) -> Self {
        Self {
            verifier: Secret::new(URL_SAFE_NO_PAD.encode(verifier)),
            state: URL_SAFE_NO_PAD.encode(state),
            nonce: URL_SAFE_NO_PAD.encode(nonce),
        }
    }
}

/// The S256 `code_challenge`: base64url (unpadded) of SHA-256 of the verifier's ASCII. The shell
/// computes the digest with WebCrypto and passes its bytes here.
pub fn code_challenge(verifier_sha256: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(verifier_sha256)
}

/// `<domain>/<path>` from the token endpoint URL (`<domain>/oauth2/token`).
pub fn endpoint(token_url: &str, path: &str) -> String {
    let base = token_url
        .trim()
        .strip_suffix("/oauth2/token")
        .unwrap_or(token_url.trim())
        .trim_end_matches('/');
    format!("{base}{path}")
}

/// What `/oauth2/authorize` is asked.
pub struct AuthorizeRequest<'a> {
    pub token_url: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    /// As typed (spaces or commas); empty asks for every scope the client allows.
    pub scope: &'a str,
    pub state: &'a str,
    pub nonce: &'a str,
    pub code_challenge: &'a str,
    pub identity_provider: &'a str,
    pub lang: &'a str,
}

/// The managed-login URL the Sign in button opens. It holds no secret: the challenge is a hash
/// and `state`/`nonce` are public by design.
pub fn authorize_url(r: &AuthorizeRequest) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("response_type", "code");
    q.append_pair("client_id", r.client_id.trim());
    q.append_pair("redirect_uri", r.redirect_uri);
    let scopes = normalise_scopes(r.scope);
    if !scopes.is_empty() {
        q.append_pair("scope", &scopes.join(" "));
    }
    q.append_pair("state", r.state);
    q.append_pair("nonce", r.nonce);
    q.append_pair("code_challenge", r.code_challenge);
    q.append_pair("code_challenge_method", "S256");
    for (name, value) in [("identity_provider", r.identity_provider), ("lang", r.lang)] {
        if !value.trim().is_empty() {
            q.append_pair(name, value.trim());
        }
    }
    format!(
        "{}?{}",
        endpoint(r.token_url, "/oauth2/authorize"),
        q.finish()
    )
}

/// The app client's identity at the token and revoke endpoints: its secret (body or Basic
/// header) when it has one, its id alone when it is public.
pub struct ClientIdentity<'a> {
    pub client_id: &'a str,
    pub secret: &'a Secret,
    pub auth: ClientAuth,
}

impl ClientIdentity<'_> {
    /// Puts what a request from this client carries in the book before it is sent: the secret
    /// and, under the Basic scheme, `base64(client_id:secret)`, which masking the secret alone
    /// does not hide (a copied curl would show it).
    pub fn register(&self, book: &mut SecretBook) -> bool {
        book.add_client_secret(self.client_id, self.secret, self.auth)
    }
}

fn form_post(url: &str, client: &ClientIdentity, pairs: &[(&str, &str)]) -> RecordedRequest {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        form.append_pair(k, v);
    }
    let mut headers = vec![(
        "Content-Type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    )];
    let id = client.client_id.trim();
    match (client.secret.is_empty(), client.auth) {
        (true, _) => {
            form.append_pair("client_id", id);
        }
        (false, ClientAuth::SecretInBody) => {
            form.append_pair("client_id", id);
            form.append_pair("client_secret", client.secret.expose());
        }
        (false, ClientAuth::BasicHeader) => headers.push((
            "Authorization".to_owned(),
            basic_authorization(id, client.secret.expose()),
        )),
    }
    RecordedRequest {
        method: "POST".into(),
        url: url.trim().to_owned(),
        headers,
        body: Some(form.finish()),
    }
}

/// `grant_type=authorization_code` with the verifier and the same `redirect_uri`.
pub fn code_exchange(
    token_url: &str,
    client: &ClientIdentity,
    code: &Secret,
    redirect_uri: &str,
    verifier: &Secret,
) -> RecordedRequest {
    form_post(
        token_url,
        client,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ],
    )
}

/// `grant_type=refresh_token`.
pub fn refresh_request(
    token_url: &str,
    client: &ClientIdentity,
    refresh_token: &Secret,
) -> RecordedRequest {
    form_post(
        token_url,
        client,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ],
    )
}

/// `POST /oauth2/revoke` with the refresh token (Cognito revokes refresh tokens only).
pub fn revoke_request(
    token_url: &str,
    client: &ClientIdentity,
    refresh_token: &Secret,
) -> RecordedRequest {
    form_post(
        &endpoint(token_url, "/oauth2/revoke"),
        client,
        &[("token", refresh_token.expose())],
    )
}

/// `GET /oauth2/userInfo` with the access token.
pub fn userinfo_request(token_url: &str, access_token: &str) -> RecordedRequest {
    RecordedRequest {
        method: "GET".into(),
        url: endpoint(token_url, "/oauth2/userInfo"),
        headers: vec![("Authorization".into(), format!("Bearer {access_token}"))],
        body: None,
    }
}

/// `/logout?client_id=..&logout_uri=..`: where Sign out sends the browser.
pub fn logout_url(token_url: &str, client_id: &str, logout_uri: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("client_id", client_id.trim());
    q.append_pair("logout_uri", logout_uri);
    format!("{}?{}", endpoint(token_url, "/logout"), q.finish())
}

/// The `aws cognito-idp update-user-pool-client` line that allows `redirect_uri` for the code
/// grant. Careful: the command replaces every setting it does not name, so the line names the
/// ones this flow needs and says so.
pub fn allow_redirect_command(client_id: &str, redirect_uri: &str, scope: &str) -> String {
    let scopes = normalise_scopes(scope);
    let scopes = if scopes.is_empty() {
        "openid".to_owned()
    } else {
        scopes.join(" ")
    };
    format!(
        "aws cognito-idp update-user-pool-client --user-pool-id <pool id> --client-id {} \
         --allowed-o-auth-flows code --allowed-o-auth-flows-user-pool-client \
         --allowed-o-auth-scopes {scopes} --callback-urls {redirect_uri} --logout-urls {redirect_uri} \
         --supported-identity-providers COGNITO",
        client_id.trim()
    )
}

/// What the token endpoint gave for a user: the access token (and `expires_in`), the ID token and,
/// after a code exchange, the refresh token (an opaque, encrypted string: nothing to decode).
#[derive(Clone, Debug, PartialEq)]
pub struct UserTokens {
    pub access: AccessToken,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

/// Why a user's tokens must not go to the form's token endpoint now: they were issued at
/// `issued` (token URL, app client) and the form has since been pointed elsewhere (a profile, a
/// link, an import, typing). Refresh, revoke and userInfo would send a refresh or access token
/// to another pool, or with another client's secret. None when both still agree.
pub fn tokens_elsewhere(issued: (&str, &str), form: (&str, &str)) -> Option<String> {
    let (issued_url, issued_client) = issued;
    let (form_url, form_client) = form;
    (issued_url != form_url || issued_client.trim() != form_client.trim()).then(|| {
        format!(
            "These user tokens came from {issued_url} for app client {issued_client}; the form now names {form_url} and {form_client}. Nothing was sent: put the Domain and Client ID back, or press Sign in for the new ones."
        )
    })
}

/// Reads the token endpoint's answer to a code exchange or a refresh.
pub fn parse_user_tokens(status: u16, body: &str) -> Result<UserTokens, TokenFailure> {
    let access = parse_token_response(status, body)?;
    let json: Value = serde_json::from_str(body.trim()).unwrap_or(Value::Null);
    let text = |name: &str| {
        json.get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    };
    Ok(UserTokens {
        id_token: text("id_token"),
        refresh_token: text("refresh_token"),
        access,
    })
}

/// Puts every token (and its signature) in the book, so each view and export masks them.
pub fn register_tokens(book: &mut SecretBook, tokens: &UserTokens) -> bool {
    let mut changed = book.add_token(&tokens.access.access_token);
    if let Some(id) = &tokens.id_token {
        changed |= book.add_token_of(SecretKind::IdToken, id);
    }
    if let Some(refresh) = &tokens.refresh_token {
        changed |= book.add(SecretKind::RefreshToken, &Secret::new(refresh.as_str()));
    }
    changed
}

/// Puts what the redirect carried (the code) and what the page kept (the verifier) in the book
/// before the exchange is shown.
pub fn register_exchange_secrets(book: &mut SecretBook, code: &Secret, verifier: &Secret) -> bool {
    book.add(SecretKind::AuthorizationCode, code) | book.add(SecretKind::CodeVerifier, verifier)
}

#[cfg(test)]
mod tests;
