//! Secret values and the tab's book of them.
//!
//! [`Secret`] has no `Debug`, `Display` or `Serialize`: a secret cannot be logged, formatted into
//! a message or written into a profile, link or report by accident — only [`Secret::expose`]
//! reads it, and every such call is a place to review. The [`SecretBook`] holds every secret the
//! tab has sent or received (typed secrets, credential headers, tokens, token signatures), so
//! text that leaves the code is masked against all of them, not against the form's current value.

use crate::core::exchange::{curl_command_with, tokens_in_response, Exchange, RecordedRequest};
use crate::core::headers::{secret_header_values, without_secret_headers};
use crate::core::mask::{Found, Masker, Seen};
use crate::core::secret_shape;
use crate::core::settings::Settings;

/// A value that must never be shown, stored or logged as it is.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself: for building the request that sends it, and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// Without the spaces a paste may bring along (the form warns about them).
    pub fn trimmed(&self) -> Secret {
        Secret(self.0.trim().to_owned())
    }
}

/// What a secret is, for masked text that must still run: `"$CLIENT_SECRET"` in a curl command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretKind {
    ClientSecret,
    /// `base64(id:secret)` of a Basic header.
    BasicCredentials,
    AccessToken,
    /// The signature part of a token: with the claims on screen, it alone rebuilds the token.
    TokenSignature,
    /// The value of a credential header, by header name.
    Header(String),
    /// A user's ID token (see `core::user_sign_in`).
    IdToken,
    /// A user's refresh token: opaque, long-lived, the most valuable of the three.
    RefreshToken,
    /// The authorization code in the redirect back from managed login.
    AuthorizationCode,
    /// The PKCE code verifier: with the code it gets tokens.
    CodeVerifier,
}

impl SecretKind {
    /// The shell variable a runnable masked command uses in its place.
    pub fn variable(&self) -> String {
        match self {
            Self::ClientSecret => "CLIENT_SECRET".into(),
            Self::BasicCredentials => "BASIC_CREDENTIALS".into(),
            Self::AccessToken => "ACCESS_TOKEN".into(),
            Self::TokenSignature => "TOKEN_SIGNATURE".into(),
            Self::IdToken => "ID_TOKEN".into(),
            Self::RefreshToken => "REFRESH_TOKEN".into(),
            Self::AuthorizationCode => "AUTHORIZATION_CODE".into(),
            Self::CodeVerifier => "CODE_VERIFIER".into(),
            Self::Header(name) => {
                let upper: String = name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_uppercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                format!("HEADER_{upper}")
            }
        }
    }
}

/// Every secret the tab has sent or received, oldest first, each value once.
/// It only grows (until the tab closes or "Forget everything"): editing a field after a run
/// must not unmask what that run sent.
#[derive(Clone, Default)]
pub struct SecretBook {
    entries: Vec<(SecretKind, Secret)>,
    /// The entries' forms compiled for finding (index = entry).
    masker: Masker,
    /// The entries' hashes: a new token is told from the thousand before it without comparing.
    hashes: Seen,
}

/// Shorter values are not masked: masking every `a` in a page would hide everything and protect
/// nothing. Real secrets (Cognito's are 51 characters; tokens far longer) are well above this.
pub const MIN_MASKED_CHARS: usize = 4;

impl SecretBook {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret unless it is already known or too short to mask meaningfully.
    /// Returns true when the book changed.
    pub fn add(&mut self, kind: SecretKind, secret: &Secret) -> bool {
        let value = secret.expose().trim();
        if value.chars().count() < MIN_MASKED_CHARS
            || (self.hashes.may_hold(value)
                && self.entries.iter().rev().any(|(_, s)| s.expose() == value))
        {
            return false;
        }
        self.hashes.insert(value);
        self.masker.push(self.entries.len(), value);
        self.entries.push((kind, Secret::new(value)));
        true
    }

    /// Adds an app client's secret as a request carries it: under the Basic scheme also
    /// `base64(client_id:secret)`, which masking the secret alone does not hide.
    pub fn add_client_secret(
        &mut self,
        client_id: &str,
        secret: &Secret,
        auth: crate::core::token::ClientAuth,
    ) -> bool {
        let mut changed = self.add(SecretKind::ClientSecret, secret);
        if auth == crate::core::token::ClientAuth::BasicHeader && !secret.is_empty() {
            let header = crate::core::token::basic_authorization(client_id.trim(), secret.expose());
            let credentials = header.trim_start_matches("Basic ");
            changed |= self.add(SecretKind::BasicCredentials, &Secret::new(credentials));
        }
        changed
    }

    /// Adds the token of an Authorization header a request is about to send (`Bearer <token>`,
    /// `Basic <token>`): a negative check's altered token differs from the real one by one bit, so
    /// it is as secret, and the book would not know it otherwise.
    pub fn add_sent_authorization(&mut self, header: Option<&str>) -> bool {
        header
            .and_then(|h| h.split_once(' '))
            .is_some_and(|(_, token)| self.add_token(token))
    }

    /// Adds a token and, separately, its signature (the part after the second dot).
    pub fn add_token(&mut self, token: &str) -> bool {
        self.add_token_of(SecretKind::AccessToken, token)
    }

    /// [`add_token`](Self::add_token) for a token of another kind (a user's ID token).
    pub fn add_token_of(&mut self, kind: SecretKind, token: &str) -> bool {
        let token = token.trim();
        // A pasted token may be wrapped over lines; the decoder reads it without the whitespace,
        // so that form (and its signature) is what the page shows and must be masked too.
        let compact: String = match token.contains(char::is_whitespace) {
            true => token.chars().filter(|c| !c.is_whitespace()).collect(),
            false => String::new(),
        };
        let mut changed = false;
        for form in [token, compact.as_str()]
            .into_iter()
            .filter(|f| !f.is_empty())
        {
            changed |= self.add(kind.clone(), &Secret::new(form));
            if let Some(signature) = form.rsplit('.').next().filter(|_| form.contains('.')) {
                changed |= self.add(SecretKind::TokenSignature, &Secret::new(signature));
            }
        }
        changed
    }

    /// Every token in an answer's body (access, ID, refresh), with their signatures.
    pub fn add_tokens_in(&mut self, exchange: Option<&Exchange>) -> bool {
        tokens_in_response(exchange)
            .into_iter()
            .fold(false, |changed, (field, token)| {
                let kind = match field {
                    "id_token" => SecretKind::IdToken,
                    "refresh_token" => SecretKind::RefreshToken,
                    _ => SecretKind::AccessToken,
                };
                self.add_token_of(kind, &token) | changed
            })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.hashes = Seen::default();
        self.masker = Masker::default();
    }

    /// The values, for the masking functions that take plain slices.
    pub fn values(&self) -> Vec<&str> {
        self.entries.iter().map(|(_, s)| s.expose()).collect()
    }

    /// The secrets compiled for finding, for the redaction functions.
    pub fn masker(&self) -> &Masker {
        &self.masker
    }

    /// True when the text holds a known secret in any form: what must not be stored or shared.
    pub fn is_in(&self, text: &str) -> bool {
        self.masker.found_in(text)
    }

    /// Why a form [`is_in_settings`](Self::is_in_settings) finds a secret in may not be saved,
    /// shared or exported.
    pub const HOLDS_SECRET: &'static str = "the form holds a secret this tab has sent or received, a token (eyJ… with two dots) or a URL password (user:password@), in the API URL, the Domain, the request body, a header, the client metadata or an assertion. Remove it from the form first.";

    /// True when these settings (or assertion lines) hold a secret the tab has sent or received,
    /// or any text shaped like a token (`core::secret_shape`): a token in the API URL or body, a
    /// secret in a header the name rules let through. Profiles and share links refuse them,
    /// whatever the field; the tab's kept form masks them.
    ///
    /// `secret` is the client secret in memory, and the form's secret header values count too: a
    /// Run puts them in the book, but they can be typed into another field before any Run.
    /// Judged as profiles and links keep the form: without its secret header lines, which they
    /// leave out and name (the lines' values anywhere else count).
    pub fn is_in_settings(&self, secret: &Secret, settings: &Settings, assertions: &str) -> bool {
        let own = own_secrets(secret, settings);
        let holds = |text: &str| self.holds(text) || own.is_in(text);
        let kept = Settings {
            extra_headers: without_secret_headers(
                &settings.extra_headers,
                &settings.secret_headers,
            ),
            ..settings.clone()
        };
        typed_text(&kept).is_some_and(|value| any_text(&value, &holds)) || holds(assertions)
    }

    pub const API_HOLDS_SECRET: &'static str = "the imported API description holds a secret this tab has sent or received, a token (eyJ… with two dots) or a URL password (user:password@), in a server URL or a path or body example. Remove it from the export and import it again.";

    /// [`Self::is_in_settings`] for other text a profile stores beside the settings (the
    /// imported API description, written out).
    pub fn is_in_text(&self, secret: &Secret, settings: &Settings, text: &str) -> bool {
        self.holds(text) || own_secrets(secret, settings).is_in(text)
    }

    /// True when the text holds a secret of the book, or text shaped like a token.
    fn holds(&self, text: &str) -> bool {
        self.is_in(text) || secret_shape::has_secret_shape(text)
    }

    /// The form to keep for the tab (settings and assertion lines): as typed when it holds no
    /// secret; otherwise with every secret of the book, any token-shaped text and the client secret
    /// in memory masked (a Run puts that secret in the book, but it can be typed into a field before
    /// any Run). The form is checked on every change and every Run, so the settings are written out
    /// once and masked in one pass. None when the masked form does not read back or still holds a
    /// secret: then nothing is kept.
    pub fn kept_form(
        &self,
        secret: &Secret,
        settings: &Settings,
        assertions: &str,
    ) -> Option<(Settings, String)> {
        let own = own_secrets(secret, settings);
        let holds = |text: &str| self.holds(text) || own.is_in(text);
        let mut value = typed_text(settings)?;
        if !any_text(&value, &holds) && !holds(assertions) {
            return Some((settings.clone(), assertions.to_owned()));
        }
        let mask = |text: &str| own.mask(&secret_shape::mask_secret_shapes(&self.mask(text)));
        // Through a Value, as the kept form is read back: one Settings deserializer in the wasm
        // (straight from the text is a second one, 5 KB of the first load).
        mask_texts(&mut value, &mask);
        let mut chosen = serde_json::to_value(settings).ok()?;
        for field in CHOICES {
            if let (Some(slot), Some(was)) = (choice(&mut value, field), choice(&mut chosen, field))
            {
                *slot = was.take();
            }
        }
        let masked: Settings = serde_json::from_value(value).ok()?;
        let assertions = mask(assertions);
        let check = typed_text(&masked)?;
        (!any_text(&check, &holds) && !holds(&assertions)).then_some((masked, assertions))
    }

    /// The text with every known secret, in any encoded form, replaced by `••••••`.
    pub fn mask(&self, text: &str) -> String {
        self.masker.redact(text)
    }

    /// [`Self::mask`], then token-shaped text and URL passwords the book never saw (a token from
    /// elsewhere typed into the API URL): for text printed where logs keep it (the command line).
    pub fn mask_all(&self, text: &str) -> String {
        secret_shape::mask_secret_shapes(&self.mask(text))
    }

    /// Entry `index`'s shell variable in [`masked_curl`] (`CLIENT_SECRET`), written inside a
    /// quoted word as `'"$CLIENT_SECRET"'` so the command still runs once it is set. A secret
    /// that appears URL-encoded gets a `_URLENCODED` variable: the value to set is the encoded one.
    fn variable_name(&self, index: usize, encoded: bool) -> String {
        let variable = self
            .entries
            .get(index)
            .map_or_else(|| "SECRET".to_owned(), |(kind, _)| kind.variable());
        let suffix = if encoded { "_URLENCODED" } else { "" };
        format!("{variable}{suffix}")
    }
}

/// The form's fields that are a choice from a list, not typed text: never a secret, and a
/// masked choice (a secret header value `access` in `"send_token":"access"`) no longer reads back.
const CHOICES: [(&str, &str); 5] = [
    ("", "method"),
    ("", "client_auth"),
    ("", "token_source"),
    ("sign_in", "grant"),
    ("sign_in", "send_token"),
];

/// The field `(group, name)` of the form's JSON (`group` empty: a top-level field).
fn choice<'a>(
    value: &'a mut serde_json::Value,
    (group, name): (&str, &str),
) -> Option<&'a mut serde_json::Value> {
    let fields = if group.is_empty() {
        value
    } else {
        value.get_mut(group)?
    };
    fields.get_mut(name)
}

/// The form's JSON with its choices left out: what a secret may hide in.
fn typed_text(settings: &Settings) -> Option<serde_json::Value> {
    let mut value = serde_json::to_value(settings).ok()?;
    for field in CHOICES {
        if let Some(slot) = choice(&mut value, field) {
            *slot = serde_json::Value::Null;
        }
    }
    Some(value)
}

/// Whether any text field of the form (a string of its JSON) passes `test`. Field by field, not
/// the JSON text: a secret header value `true` was found in `"via_proxy":true`.
fn any_text(value: &serde_json::Value, test: &dyn Fn(&str) -> bool) -> bool {
    match value {
        serde_json::Value::String(text) => test(text),
        serde_json::Value::Array(items) => items.iter().any(|v| any_text(v, test)),
        serde_json::Value::Object(fields) => fields.values().any(|v| any_text(v, test)),
        _ => false,
    }
}

/// Every text field of the form's JSON changed by `change`.
fn mask_texts(value: &mut serde_json::Value, change: &dyn Fn(&str) -> String) {
    match value {
        serde_json::Value::String(text) => *text = change(text),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| mask_texts(v, change)),
        serde_json::Value::Object(fields) => {
            fields.values_mut().for_each(|v| mask_texts(v, change))
        }
        _ => {}
    }
}

/// The form's own secrets, which may not be in the tab's book yet: the client secret in memory
/// and the values of the secret header lines.
fn own_secrets(secret: &Secret, settings: &Settings) -> SecretBook {
    let mut own = SecretBook::new();
    own.add(SecretKind::ClientSecret, secret);
    for value in secret_header_values(&settings.extra_headers, &settings.secret_headers) {
        own.add(SecretKind::Header(String::new()), &Secret::new(value));
    }
    own
}

/// A `curl` command for the request with every known secret replaced by a shell variable
/// (`"$CLIENT_SECRET"`, `"$ACCESS_TOKEN"`): safe to paste into a ticket, and it still runs once
/// the variables named in its first lines are set.
pub fn masked_curl(request: &RecordedRequest, book: &SecretBook) -> String {
    // Each shell word's secrets are marked before it is quoted (a secret holding a quote is
    // `'\''` once quoted, which masking the command missed), then the marks become variables.
    // A word, not the command: `'"$X"'` only reads as a variable inside a quoted word, and a
    // secret spelled like `--data-raw` or a variable's name would otherwise be found there. A
    // mark is the secret's number between two private-use characters the request does not
    // hold, so nothing typed is taken for a mark and no secret is altered before it is looked for.
    let mut texts = vec![request.method.as_str(), request.url.as_str()];
    texts.extend(
        request
            .headers
            .iter()
            .flat_map(|(n, v)| [n.as_str(), v.as_str()]),
    );
    texts.extend(request.body.as_deref());
    let mut free = Vec::with_capacity(2);
    for c in (0xE000..=0xF8FF).filter_map(char::from_u32) {
        if free.len() == 2 {
            break;
        }
        if texts.iter().all(|t| !t.contains(c)) {
            free.push(c);
        }
    }
    let (command, variables) = match (free.first().copied(), free.get(1).copied()) {
        (Some(open), Some(close)) => {
            // A token the book never saw (typed into the URL or the body) is masked by its shape.
            let marked = curl_command_with(request, |word| {
                // Digits only between the marks: a `:` there read as a URL password's start.
                secret_shape::mask_secret_shapes(&book.masker.replace(word, &|found: Found| {
                    let number = found.index.saturating_mul(2) + usize::from(found.encoded);
                    format!("{open}{number}{close}")
                }))
            });
            unmark(&marked, (open, close), book)
        }
        // A request holding all 6,400 of them: its secrets are dots.
        _ => (
            curl_command_with(request, |word| book.mask_all(word)),
            Vec::new(),
        ),
    };
    if variables.is_empty() {
        return command;
    }
    let mut out = String::from("# Secrets are shell variables here; set them before running:\n");
    for name in variables {
        let how = if name.ends_with("_URLENCODED") {
            " (URL-encoded, as in the request body)"
        } else {
            ""
        };
        out.push_str(&format!("#   export {name}='…'{how}\n"));
    }
    out.push_str(&command);
    out
}

/// The command with each mark (`open` index `:` encoded `close`) made its entry's shell variable,
/// and the variables it wrote, each once in order: one pass over the command, however many
/// secrets the book holds.
fn unmark(command: &str, (open, close): (char, char), book: &SecretBook) -> (String, Vec<String>) {
    let mut out = String::with_capacity(command.len());
    let mut names: Vec<String> = Vec::new();
    let mut rest = command;
    while let Some((before, after)) = rest.split_once(open) {
        out.push_str(before);
        // A mark is the secret's index times two, plus one when it was found encoded.
        let parsed = after.split_once(close).and_then(|(mark, tail)| {
            let number: usize = mark
                .parse()
                .ok()
                .filter(|n: &usize| n.to_string() == mark)?;
            let (index, encoded) = (number / 2, number % 2 == 1);
            (index < book.len()).then(|| (book.variable_name(index, encoded), tail))
        });
        match parsed {
            Some((name, tail)) => {
                out.push_str(&format!("'\"${name}\"'"));
                if !names.contains(&name) {
                    names.push(name);
                }
                rest = tail;
            }
            None => {
                out.push(open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Masked curl showed dots, so the command could not run; and after an edit of the secret
    /// field the old secret was left in clear.
    #[test]
    fn masked_curl_runs_with_variables_and_hides_every_secret() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("old-secret-value"));
        book.add(SecretKind::ClientSecret, &Secret::new("new-secret-value"));
        book.add_token("aaaa.bbbb.cccc-signature");
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/oauth2/token".into(),
            headers: vec![(
                "Authorization".into(),
                "Bearer aaaa.bbbb.cccc-signature".into(),
            )],
            body: Some("client_secret=old-secret-value".into()),
        };
        let curl = masked_curl(&request, &book);
        assert!(
            !curl.contains("old-secret-value") && !curl.contains("cccc-signature"),
            "{curl}"
        );
        assert!(
            curl.contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN\"''"),
            "{curl}"
        );
        assert!(
            curl.contains("--data-raw 'client_secret='\"$CLIENT_SECRET\"''"),
            "{curl}"
        );
        assert!(curl.starts_with("# Secrets are shell variables"), "{curl}");
    }

    /// A known token as a URL's user part: the mark's `:` read as the start of a URL password,
    /// which cut the mark and left a private-use character in the command.
    #[test]
    fn masked_curl_of_a_token_as_a_url_user_is_a_variable() {
        let token = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWtub3du";
        let mut book = SecretBook::new();
        book.add_token(token);
        let request = RecordedRequest {
            method: "GET".into(),
            url: format!("https://{token}@api.example.com/dev"),
            headers: vec![],
            body: None,
        };
        let curl = masked_curl(&request, &book);
        assert!(!curl.contains(token), "{curl}");
        assert!(
            !curl.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)),
            "{curl}"
        );
        assert!(
            curl.contains("\"$ACCESS_TOKEN\"'@api.example.com"),
            "{curl}"
        );
    }

    /// A token from elsewhere typed into the API URL or body was never in the book: Copy as curl
    /// put it on the clipboard in clear while the report masked it by shape.
    #[test]
    fn masked_curl_hides_a_token_the_book_never_saw() {
        let foreign = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWVsc2V3aGVyZQ";
        let request = RecordedRequest {
            method: "POST".into(),
            url: format!("https://api.example.com/dev/pets?id_token={foreign}"),
            headers: vec![],
            body: Some(format!("{{\"token\":\"{foreign}\"}}")),
        };
        let curl = masked_curl(&request, &SecretBook::new());
        assert!(!curl.contains("c2lnbmF0dXJl"), "{curl}");
        assert!(curl.contains("id_token=••••••"), "{curl}");
    }

    /// A secret holding a quote was shell-escaped before masking, so the copy showed it in clear.
    #[test]
    fn masked_curl_hides_a_secret_with_a_quote() {
        let mut book = SecretBook::new();
        book.add(
            SecretKind::Header("X-Api-Key".into()),
            &Secret::new("it's-a-key-123"),
        );
        let request = RecordedRequest {
            method: "GET".into(),
            url: "https://x.example.com/dev".into(),
            headers: vec![("X-Api-Key".into(), "it's-a-key-123".into())],
            body: None,
        };
        let curl = masked_curl(&request, &book);
        assert!(!curl.contains("a-key-123"), "{curl}");
        assert!(
            curl.contains("-H 'X-Api-Key: '\"$HEADER_X_API_KEY\"''"),
            "{curl}"
        );
    }

    /// The marks became variables by a pass over the command per entry of the book, which holds
    /// every token of the tab: a Run's curl grew slower with every Run before it. Now one pass;
    /// the command must read the same, and text that only looks like a mark stays as typed.
    #[test]
    fn masked_curl_of_a_long_lived_tab_names_each_secret_once() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("the-client-secret"));
        let token = |n: usize| format!("eyJhbGciOiJSUzI1NiJ9.eyJuIjoi{n:06}.c2ln{n:06}");
        for n in 0..300 {
            book.add_token(&token(n));
        }
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev?note=\u{E000}1:0\u{E001}&x=\u{E000}01:0\u{E001}".into(),
            headers: vec![("Authorization".into(), format!("Bearer {}", token(299)))],
            body: Some(format!("secret=the-client-secret&old={}", token(7))),
        };
        let curl = masked_curl(&request, &book);
        assert_eq!(
            curl,
            "# Secrets are shell variables here; set them before running:\n\
             #   export ACCESS_TOKEN='…'\n\
             #   export CLIENT_SECRET='…'\n\
             curl \\\n  -i \\\n  -X 'POST' \\\n  \
             -H 'Authorization: Bearer '\"$ACCESS_TOKEN\"'' \\\n  \
             --data-raw 'secret='\"$CLIENT_SECRET\"'&old='\"$ACCESS_TOKEN\"'' \\\n  \
             'https://x.example.com/dev?note=\u{E000}1:0\u{E001}&x=\u{E000}01:0\u{E001}'"
        );
    }

    /// Private-use characters in the request were escaped before masking, so a secret holding
    /// one (and a quote, which the last pass over the quoted command cannot see through) was shown
    /// in clear.
    #[test]
    fn masked_curl_hides_a_secret_holding_a_private_use_character() {
        let mut book = SecretBook::new();
        let secret = "it's\u{E000}key-1\u{E001}";
        book.add(SecretKind::Header("X-Api-Key".into()), &Secret::new(secret));
        let request = RecordedRequest {
            method: "GET".into(),
            url: "https://x.example.com/dev?m=\u{E002}0:0\u{E003}".into(),
            headers: vec![("X-Api-Key".into(), secret.into())],
            body: None,
        };
        let curl = masked_curl(&request, &book);
        assert!(!curl.contains("key-1"), "{curl}");
        assert!(
            curl.contains("-H 'X-Api-Key: '\"$HEADER_X_API_KEY\"''"),
            "{curl}"
        );
        assert!(curl.contains("m=\u{E002}0:0\u{E003}"), "{curl}");
    }

    /// With no two private-use characters free for the marks, the secrets are masked before the
    /// quoting (dots): one holding a quote is not in clear either.
    #[test]
    fn masked_curl_of_a_request_holding_every_private_use_character_hides_its_secrets() {
        let mut book = SecretBook::new();
        book.add(
            SecretKind::Header("X-Api-Key".into()),
            &Secret::new("it's-a-key-123"),
        );
        let every: String = (0xE000..=0xF8FF).filter_map(char::from_u32).collect();
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev".into(),
            headers: vec![("X-Api-Key".into(), "it's-a-key-123".into())],
            body: Some(every),
        };
        let curl = masked_curl(&request, &book);
        assert!(!curl.contains("a-key-123"), "the secret is in clear");
        assert!(
            curl.contains("-H 'X-Api-Key: ••••••'"),
            "the secret is not masked"
        );
    }

    /// The last pass over the finished command ran after the marks had become variables, so a
    /// secret spelled like part of a variable's name (an API key `SECRET`, a client secret
    /// `TOKEN`) was replaced inside `"$CLIENT_SECRET"`: the command no longer ran.
    #[test]
    fn masked_curl_keeps_its_variables_whole_when_a_secret_is_spelled_like_one() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("TOKEN"));
        book.add(
            SecretKind::Header("X-Api-Key".into()),
            &Secret::new("SECRET"),
        );
        book.add_token("aaaa.bbbb.cccc-signature");
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev".into(),
            headers: vec![
                (
                    "Authorization".into(),
                    "Bearer aaaa.bbbb.cccc-signature".into(),
                ),
                ("X-Api-Key".into(), "SECRET".into()),
            ],
            body: Some("client_secret=TOKEN".into()),
        };
        assert_eq!(
            masked_curl(&request, &book),
            "# Secrets are shell variables here; set them before running:\n\
             #   export ACCESS_TOKEN='…'\n\
             #   export HEADER_X_API_KEY='…'\n\
             #   export CLIENT_SECRET='…'\n\
             curl \\\n  -i \\\n  -X 'POST' \\\n  \
             -H 'Authorization: Bearer '\"$ACCESS_TOKEN\"'' \\\n  \
             -H 'X-Api-Key: '\"$HEADER_X_API_KEY\"'' \\\n  \
             --data-raw 'client_secret='\"$CLIENT_SECRET\"'' \\\n  \
             'https://x.example.com/dev'"
        );
    }

    /// A secret spelled like what the command adds around its words (`data` of `--data-raw`,
    /// `curl`) was replaced there too, outside any quoted word, where `'"$X"'` is no variable:
    /// curl was given an unknown option, or the shell a program named `"$X"`.
    #[test]
    fn masked_curl_masks_inside_its_words_only() {
        let mut book = SecretBook::new();
        book.add(SecretKind::Header("X-Env".into()), &Secret::new("data"));
        book.add(SecretKind::Header("X-Tool".into()), &Secret::new("curl"));
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev".into(),
            headers: vec![
                ("X-Env".into(), "data".into()),
                ("X-Tool".into(), "curl".into()),
            ],
            body: Some("a=1".into()),
        };
        assert_eq!(
            masked_curl(&request, &book),
            "# Secrets are shell variables here; set them before running:\n\
             #   export HEADER_X_ENV='…'\n\
             #   export HEADER_X_TOOL='…'\n\
             curl \\\n  -i \\\n  -X 'POST' \\\n  \
             -H 'X-Env: '\"$HEADER_X_ENV\"'' \\\n  \
             -H 'X-Tool: '\"$HEADER_X_TOOL\"'' \\\n  \
             --data-raw 'a=1' \\\n  \
             'https://x.example.com/dev'"
        );
    }

    /// A pass over the command still holding its marks found a secret of digits inside a mark's
    /// number (entry 1234 of a long-lived tab's book): the command sent private-use characters
    /// and named no variable for the token.
    #[test]
    fn masked_curl_of_a_book_past_a_thousand_entries_keeps_its_marks_whole() {
        let mut book = SecretBook::new();
        for n in 0..1300 {
            book.add(
                SecretKind::Header("X-Other".into()),
                &Secret::new(format!("value-{n:05}")),
            );
        }
        book.add(SecretKind::Header("X-Pin".into()), &Secret::new("1234"));
        let request = RecordedRequest {
            method: "GET".into(),
            url: "https://x.example.com/dev".into(),
            headers: vec![
                ("X-Other".into(), "value-01234".into()),
                ("X-Pin".into(), "1234".into()),
            ],
            body: None,
        };
        let curl = masked_curl(&request, &book);
        assert!(
            curl.contains(
                "-H 'X-Other: '\"$HEADER_X_OTHER\"'' \\\n  -H 'X-Pin: '\"$HEADER_X_PIN\"''"
            ),
            "{curl}"
        );
        assert!(curl.contains("#   export HEADER_X_OTHER='…'\n"), "{curl}");
        assert!(
            !curl.contains(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)),
            "{curl}"
        );
    }

    /// The lines naming the variables to set were found by reading the command, so a body that
    /// holds the text `"$ACCESS_TOKEN"` (inside a quoted word, not a variable) asked for one.
    #[test]
    fn masked_curl_names_only_the_variables_it_wrote() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.cccc-signature");
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev".into(),
            headers: Vec::new(),
            body: Some(r#"{"t":"$ACCESS_TOKEN"}"#.into()),
        };
        let curl = masked_curl(&request, &book);
        assert!(curl.starts_with("curl "), "{curl}");
    }

    /// A pasted token wrapped over lines is decoded without the line breaks: that signature
    /// was shown in clear.
    #[test]
    fn a_token_wrapped_over_lines_is_masked_as_decoded() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.cccc-sig\nnature-part");
        assert_eq!(book.mask("sig: cccc-signature-part"), "sig: ••••••");
        assert_eq!(book.mask("aaaa.bbbb.cccc-signature-part"), "••••••");
    }

    /// An ID or refresh token in a token response was shown in clear: only access_token was kept.
    #[test]
    fn every_token_in_an_answer_is_a_secret() {
        let mut book = SecretBook::new();
        let exchange = Exchange {
            request: RecordedRequest {
                method: "POST".into(),
                url: "https://x/oauth2/token".into(),
                headers: vec![],
                body: None,
            },
            response: Some(crate::core::exchange::RecordedResponse::from_bytes(
                400,
                "Bad Request".into(),
                vec![],
                br#"{"id_token":"hhhh.pppp.idsig-123","refresh_token":"opaque-refresh-456"}"#
                    .to_vec(),
            )),
            elapsed_ms: 1.0,
            started_at_unix_ms: 0.0,
        };
        assert!(book.add_tokens_in(Some(&exchange)));
        assert_eq!(book.mask("idsig-123 opaque-refresh-456"), "•••••• ••••••");

        // GetClientToken's answer nests its token; a non-2xx one is never held, so only this
        // keeps it out of the exchange panel and a copied curl.
        let mut book = SecretBook::new();
        let nested = Exchange {
            response: Some(crate::core::exchange::RecordedResponse::from_bytes(
                418,
                "I'm a teapot".into(),
                vec![],
                br#"{"ClientAuthenticationResult":{"AccessToken":"aaaa.bbbb.gct-sig-789","ExpiresIn":3600}}"#
                    .to_vec(),
            )),
            ..exchange
        };
        assert!(book.add_tokens_in(Some(&nested)));
        assert_eq!(book.mask("aaaa.bbbb.gct-sig-789"), "••••••");
    }

    /// A profile stores the imported API description beside the settings; a token in one of its
    /// body examples, or a URL password in a server URL, reached localStorage unchecked.
    #[test]
    fn text_beside_the_settings_is_checked_too() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.known-signature");
        let secret = Secret::new("the-client-secret-value");
        let clean = Settings::default();
        let plain = r#"{"servers":["https://x/dev"],"examples":{"id":"7"}}"#;
        assert!(!book.is_in_text(&secret, &clean, plain));
        for text in [
            r#"{"examples":{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}}"#,
            r#"{"servers":["https://user:pa55word@x/dev"]}"#,
            r#"{"examples":{"s":"the-client-secret-value"}}"#,
            r#"{"examples":{"t":"aaaa.bbbb.known-signature"}}"#,
        ] {
            assert!(book.is_in_text(&secret, &clean, text), "{text}");
        }
    }

    /// A token pasted into the API URL or a plain-named header went into share links and
    /// storage: the name rules alone cannot see it.
    #[test]
    fn settings_holding_a_known_secret_are_found_whatever_the_field() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.cccc-signature");
        let clean = Settings::default();
        assert!(!book.is_in_settings(&Secret::default(), &clean, "status 2xx"));
        let in_url = Settings {
            api_url: "https://x/dev?token=aaaa.bbbb.cccc-signature".into(),
            ..Settings::default()
        };
        assert!(book.is_in_settings(&Secret::default(), &in_url, ""));
        let in_header = Settings {
            extra_headers: "X-Jwt-Assertion: aaaa.bbbb.cccc-signature".into(),
            ..Settings::default()
        };
        assert!(book.is_in_settings(&Secret::default(), &in_header, ""));
        assert!(book.is_in_settings(&Secret::default(), &clean, "contains cccc-signature"));
    }

    /// Share links, profiles and the canary export asked only the book, which learns the form's
    /// secrets at a Run: a client secret or a secret header's value typed into another field
    /// before any Run went out in clear. The secret header line itself is left out of them, so it
    /// does not count (after a Run it made Save profile refuse every form with an API key).
    #[test]
    fn the_forms_own_secrets_count_before_any_run() {
        let book = SecretBook::new();
        let secret = Secret::new("the-client-secret-value");
        let with_key = Settings {
            extra_headers: "X-Api-Key: the-api-key-value\nX-Trace: 1".into(),
            ..Settings::default()
        };
        assert!(!book.is_in_settings(&secret, &with_key, "status 2xx"));
        let secret_in_body = Settings {
            api_body: "{\"s\":\"the-client-secret-value\"}".into(),
            ..with_key.clone()
        };
        assert!(book.is_in_settings(&secret, &secret_in_body, ""));
        let key_in_url = Settings {
            api_url: "https://x/dev?api_key=the-api-key-value".into(),
            ..with_key.clone()
        };
        assert!(book.is_in_settings(&Secret::default(), &key_in_url, ""));
        // A short value spelled like JSON's own words is looked for in the fields, not the JSON.
        let debug_flag = Settings {
            extra_headers: "X-Auth-Debug: true".into(),
            via_proxy: true,
            ..Settings::default()
        };
        assert!(!book.is_in_settings(&secret, &debug_flag, ""));
        assert!(book
            .kept_form(&secret, &debug_flag, "")
            .is_some_and(|(kept, _)| kept.via_proxy));
        // Nor in the form's choices: `access` is the name of Send token's choice.
        let mode = Settings {
            extra_headers: "X-Auth-Mode: access".into(),
            ..Settings::default()
        };
        assert!(!book.is_in_settings(&secret, &mode, ""));
        assert!(book
            .kept_form(&secret, &mode, "")
            .is_some_and(|(kept, _)| kept.sign_in.send_token == mode.sign_in.send_token));
        let mut after_run = SecretBook::new();
        after_run.add(
            SecretKind::Header("X-Api-Key".into()),
            &Secret::new("the-api-key-value"),
        );
        assert!(!after_run.is_in_settings(&secret, &with_key, ""));
    }

    /// The tab keeps its form in sessionStorage. A token typed into the API URL before the tab
    /// knew it was kept as typed and stayed there after the tab learned it: the kept form is now
    /// the form with every known secret masked, and nothing when masking cannot take it out.
    #[test]
    fn the_kept_form_never_holds_a_known_secret() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.cccc-signature");
        let form = Settings {
            client_id: "kept-client".into(),
            api_url: "https://x/dev?token=aaaa.bbbb.cccc-signature".into(),
            extra_headers: "X-Jwt-Assertion: aaaa.bbbb.cccc-signature".into(),
            ..Settings::default()
        };
        let (kept, assertions) = book
            .kept_form(
                &Secret::default(),
                &form,
                "status 200\ncontains cccc-signature",
            )
            .expect("a masked form");
        assert!(!book.is_in_settings(&Secret::default(), &kept, &assertions));
        assert_eq!(kept.api_url, "https://x/dev?token=••••••");
        assert_eq!(kept.extra_headers, "X-Jwt-Assertion: ••••••");
        assert_eq!(kept.client_id, "kept-client");
        assert_eq!(assertions, "status 200\ncontains ••••••");
        // A secret JSON escapes (a quote, a backslash) is masked in its escaped form too.
        book.add(SecretKind::ClientSecret, &Secret::new(r#"se"cr\et-value"#));
        let quoted = Settings {
            api_url: r#"https://x/dev?k=se"cr\et-value"#.into(),
            ..Settings::default()
        };
        assert!(book.is_in_settings(&Secret::default(), &quoted, ""));
        let (kept, assertions) = book
            .kept_form(&Secret::default(), &quoted, "")
            .expect("a masked form");
        assert_eq!(kept.api_url, "https://x/dev?k=••••••");
        assert!(!book.is_in_settings(&Secret::default(), &kept, &assertions));
    }

    /// A token pasted in from elsewhere is a secret before the tab has seen it: found and masked
    /// by its shape, with an empty book.
    #[test]
    fn a_token_the_tab_never_saw_is_found_and_masked_by_its_shape() {
        let book = SecretBook::new();
        let token = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let form = Settings {
            api_url: format!("https://x/dev?access_token={token}"),
            ..Settings::default()
        };
        assert!(book.is_in_settings(&Secret::default(), &form, ""));
        assert!(book.is_in_settings(
            &Secret::default(),
            &Settings::default(),
            &format!("contains {token}")
        ));
        let (kept, _) = book
            .kept_form(&Secret::default(), &form, "status 200")
            .expect("a kept form");
        assert_eq!(kept.api_url, "https://x/dev?access_token=••••••");
        // A password in a URL's user info is as much a secret (Run refuses such a URL anyway).
        let form = Settings {
            api_url: "https://me:hunter22@x/dev".into(),
            domain: "https://me:hunter22@auth.example.com".into(),
            ..Settings::default()
        };
        assert!(book.is_in_settings(&Secret::default(), &form, ""));
        let (kept, _) = book
            .kept_form(&Secret::default(), &form, "status 200")
            .expect("a kept form");
        assert_eq!(kept.api_url, "https://me:••••••@x/dev");
        assert_eq!(kept.domain, "https://me:••••••@auth.example.com");
        assert!(
            !book.is_in_settings(&Secret::default(), &kept, ""),
            "a masked form may be kept"
        );
    }

    /// The client secret enters the book when a Run sends it; typed into a field before that, it
    /// must not be kept as typed either.
    #[test]
    fn the_kept_form_masks_the_client_secret_before_any_run() {
        let book = SecretBook::new();
        let secret = Secret::new("typed-client-secret");
        let form = Settings {
            api_url: "https://x/dev?secret=typed-client-secret".into(),
            ..Settings::default()
        };
        let (kept, assertions) = book
            .kept_form(&secret, &form, "contains typed-client-secret")
            .expect("a kept form");
        assert_eq!(kept.api_url, "https://x/dev?secret=••••••");
        assert_eq!(assertions, "contains ••••••");
        // A form without a secret is kept as typed.
        let clean = Settings {
            api_url: "https://x/dev".into(),
            ..Settings::default()
        };
        assert_eq!(
            book.kept_form(&secret, &clean, "status 200"),
            Some((clean.clone(), "status 200".to_owned()))
        );
    }

    #[test]
    fn the_book_keeps_every_value_once_and_masks_all_of_them() {
        let mut book = SecretBook::new();
        assert!(book.add(SecretKind::ClientSecret, &Secret::new("first-secret")));
        assert!(!book.add(SecretKind::ClientSecret, &Secret::new(" first-secret ")));
        assert!(book.add(SecretKind::ClientSecret, &Secret::new("second-secret")));
        // Too short to mask without hiding ordinary text.
        assert!(!book.add(SecretKind::Header("X-A".into()), &Secret::new("k")));
        assert_eq!(book.len(), 2);
        assert_eq!(
            book.mask("a=first-secret&b=second-secret"),
            "a=••••••&b=••••••"
        );
    }

    /// The book's index of what it holds (hashes) decides only "surely new": with many tokens
    /// sharing a long start, as one pool's do, each is still held once and every one masked,
    /// in the forms a page shows it (as sent, in a form body, in JSON).
    #[test]
    fn a_book_of_many_similar_tokens_holds_each_once_and_masks_all() {
        let mut book = SecretBook::new();
        let token =
            |n: usize| format!("eyJraWQiOiJrMSJ9.eyJzdWIiOiJjbGllbnQifQ{n:06}.c2lnbmF0dXJl{n:06}");
        for n in 0..300 {
            assert!(
                book.add_token(&token(n)),
                "token {n} was taken for one already held"
            );
        }
        let len = book.len();
        for n in [0, 150, 299] {
            assert!(!book.add_token(&token(n)), "token {n} was held twice");
            assert!(!book.add(SecretKind::AccessToken, &Secret::new(token(n))));
        }
        assert_eq!(book.len(), len);
        for n in [0, 299] {
            let sent = format!(
                "Bearer {} token={} {{\"access_token\":\"{}\"}}",
                token(n),
                token(n),
                token(n)
            );
            assert_eq!(
                book.mask(&sent),
                "Bearer •••••• token=•••••• {\"access_token\":\"••••••\"}"
            );
        }
    }

    #[test]
    fn a_token_and_its_signature_are_both_secrets() {
        let mut book = SecretBook::new();
        book.add_token("aaaa.bbbb.signature-part");
        assert_eq!(book.mask("aaaa.bbbb.signature-part"), "••••••");
        // An altered payload still carries the real signature: it stays hidden.
        assert_eq!(book.mask("aaaa.cccc.signature-part"), "aaaa.cccc.••••••");
    }

    #[test]
    fn shell_masking_names_variables_that_keep_the_command_runnable() {
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new("s3cr3t/+="));
        book.add(
            SecretKind::Header("X-Api-Key".into()),
            &Secret::new("key-value"),
        );
        let request = RecordedRequest {
            method: "POST".into(),
            url: "https://x.example.com/dev".into(),
            headers: Vec::new(),
            body: Some("client_secret=s3cr3t%2F%2B%3D&x=key-value".into()),
        };
        let curl = masked_curl(&request, &book);
        assert!(
            curl.contains(
                "--data-raw 'client_secret='\"$CLIENT_SECRET_URLENCODED\"'&x='\"$HEADER_X_API_KEY\"''"
            ),
            "{curl}"
        );
        assert!(
            curl.starts_with(
                "# Secrets are shell variables here; set them before running:\n\
                 #   export CLIENT_SECRET_URLENCODED='…' (URL-encoded, as in the request body)\n\
                 #   export HEADER_X_API_KEY='…'\ncurl"
            ),
            "{curl}"
        );
    }

    /// Cut to a table cell or a snippet before the book masks them, a secret standing across the
    /// cut showed its first part (20 of 51 characters here), which masking cannot find: the
    /// pointer assertion's actual value, a negative check's answer, a token endpoint's non-JSON
    /// answer and its diagnosis.
    #[test]
    fn no_text_cut_before_masking_shows_part_of_a_secret() {
        use crate::core::assertions::{evaluate, Assertion, ResponseFacts};
        use crate::core::negative::{judge, NegativeCase};
        use crate::core::token::parse_token_response;
        const SECRET: &str = "1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y7u8i9o0p-secret-51";
        let mut book = SecretBook::new();
        book.add(SecretKind::ClientSecret, &Secret::new(SECRET));
        let front = SECRET.get(..8).unwrap();
        let body = format!(r#"{{"echo":"{}{SECRET}"}}"#, "x".repeat(100));
        let results = evaluate(
            &[Assertion::JsonPointerEquals {
                pointer: "/echo".into(),
                expected: "y".into(),
            }],
            &ResponseFacts {
                status: Some(200),
                body: &body,
                elapsed_ms: 1.0,
                content_type: None,
            },
            book.masker(),
        );
        let negative = judge(
            NegativeCase::NoAuthorization,
            Some(401),
            &format!("{} {SECRET}", "x".repeat(140)),
            book.masker(),
        );
        let answer = format!("{} client_secret={SECRET}", "x".repeat(166));
        let token = parse_token_response(400, &answer).unwrap_err();
        let diagnosis = crate::core::diagnosis::token_failure(
            &token,
            crate::core::token::ClientAuth::SecretInBody,
        );
        for (place, text) in [
            (
                "the pointer's actual",
                results
                    .first()
                    .map(|r| r.actual.clone())
                    .unwrap_or_default(),
            ),
            ("the negative check's answer", negative.actual.clone()),
            ("the token snippet", token.to_string()),
            (
                "the token diagnosis",
                format!("{} {}", diagnosis.what, diagnosis.cause),
            ),
        ] {
            let shown = book.mask(&text);
            assert!(!shown.contains(front), "{place}: {shown}");
        }
    }
}
