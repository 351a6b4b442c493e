//! A user's sign-in (Grant: Authorization code (PKCE)): the controls beside the form (Redirect
//! URI, Sign in, Send token, Refresh token, Revoke, userInfo, Sign out) and the results panel
//! (the last exchange of the user flow, its diagnosis, the three tokens and the ID token's
//! checks). The rules live in `core::user_sign_in`; the browser work in `web::sign_in`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::checks::{Check, Signature};
use crate::core::diagnosis::{self, Diagnosis, Step};
use crate::core::exchange::{Exchange, RecordedRequest};
use crate::core::jwt;
use crate::core::proxy::Route;
use crate::core::run::{Secret, SecretKind, TokenKey};
use crate::core::steps::{form_problem, SendFailure};
use crate::core::user_sign_in::{
    self as user, code_challenge, id_token_checks, parse_redirect, parse_user_tokens,
    strip_redirect_params, ClientIdentity, Grant, IdTokenContext, Redirect, SendToken, UserTokens,
};
use crate::ui::checks_view::CheckList;
use crate::ui::copy_button::CopyButton;
use crate::ui::diagnosis_view::DiagnosisView;
use crate::ui::exchange_view::ExchangeView;
use crate::ui::state::AppState;
use crate::web::clock;
use crate::web::flow::same_origin_route;
use crate::web::http::{self, InFlight};
use crate::web::sign_in::{self as browser, PendingRecord};
use crate::web::verify::{self, JwksSource};

/// The user flow's state: kept in memory only (tokens never touch storage).
#[derive(Clone, Copy)]
pub struct SignIn {
    tokens: RwSignal<Option<UserTokens>>,
    exchange: RwSignal<Option<Exchange>>,
    /// The real target when the exchange went through this page's proxy route.
    proxied_target: RwSignal<Option<String>>,
    diagnosis: RwSignal<Option<Diagnosis>>,
    note: RwSignal<Option<String>>,
    busy: RwSignal<Option<&'static str>>,
    id_checks: RwSignal<Vec<Check>>,
    /// A code back from managed login waiting for the client secret to be typed again.
    waiting: StoredValue<Option<(Secret, PendingRecord)>>,
    /// Where the held user tokens were issued: token URL and app client.
    issued_by: StoredValue<Option<(String, String)>>,
    awaiting_secret: RwSignal<bool>,
}

impl SignIn {
    pub fn new() -> Self {
        Self {
            tokens: RwSignal::new(None),
            exchange: RwSignal::new(None),
            proxied_target: RwSignal::new(None),
            diagnosis: RwSignal::new(None),
            note: RwSignal::new(None),
            busy: RwSignal::new(None),
            id_checks: RwSignal::new(Vec::new()),
            waiting: StoredValue::new(None),
            issued_by: StoredValue::new(None),
            awaiting_secret: RwSignal::new(false),
        }
    }

    fn fail(self, d: Diagnosis) {
        self.diagnosis.set(Some(d));
        self.busy.set(None);
    }
}

fn code_grant(state: AppState) -> bool {
    state
        .settings
        .with(|s| s.sign_in.grant == Grant::AuthorizationCode)
}

/// Sends one request of the user flow and records it for the panel. With Route through proxy
/// it goes to this page's token route, which forwards any path of the domain (`/oauth2/*`).
async fn send(
    state: AppState,
    sign: SignIn,
    mut request: RecordedRequest,
) -> Option<(u16, String)> {
    let mut proxied_target = None;
    if state.settings.with_untracked(|s| s.via_proxy) {
        match same_origin_route(&request.url, Route::Token) {
            Ok(url) => proxied_target = Some(std::mem::replace(&mut request.url, url)),
            Err(e) => {
                sign.fail(form_problem(e.to_string()));
                return None;
            }
        }
    }
    sign.proxied_target.set(proxied_target);
    let Some(in_flight) = InFlight::new() else {
        sign.fail(form_problem(
            "This browser cannot send requests with a cancel handle (no AbortController).".into(),
        ));
        return None;
    };
    let timeout = state
        .settings
        .with_untracked(|s| s.timeout_secs.saturating_mul(1000));
    let (exchange, sent) = http::send(&request, timeout, &in_flight).await;
    let response = exchange
        .response
        .as_ref()
        .map(|r| (r.status, r.body.clone()));
    // Every token the answer carries is a secret before it is shown, whatever its status or
    // shape: an answer the parser refuses (no access_token, an error beside the tokens) was
    // shown with them in clear.
    state.remember_in_book(|b| b.add_tokens_in(Some(&exchange)));
    sign.exchange.set(Some(exchange));
    match (sent, response) {
        (Ok(()), Some(answer)) => Some(answer),
        (Err(SendFailure::Network(failure)), _) => {
            let via_proxy = state.settings.with_untracked(|s| s.via_proxy);
            sign.fail(diagnosis::network_failure(
                Step::Token,
                failure,
                &request.url,
                via_proxy,
            ));
            None
        }
        (Err(SendFailure::BodyInterrupted { message }), _) => {
            sign.fail(diagnosis::body_interrupted(Step::Token, &message));
            None
        }
        (Err(SendFailure::Redirected), _) => {
            sign.fail(diagnosis::redirected(Step::Token, &request.url));
            None
        }
        (Err(SendFailure::NotBuilt { message }), _) => {
            sign.fail(form_problem(message));
            None
        }
        (Ok(()), None) => {
            sign.fail(diagnosis::body_interrupted(Step::Token, "no response"));
            None
        }
    }
}

/// The token endpoint of the form as it is now, or the reason it has none.
fn token_url(state: AppState) -> Result<String, Diagnosis> {
    state.settings.with_untracked(|s| {
        s.token_endpoint()
            .map(|e| e.url)
            .map_err(|e| form_problem(e.to_string()))
    })
}

/// The token endpoint to send the held user tokens to: the form's, when it is still where they
/// were issued (see `user::tokens_elsewhere`).
fn token_url_of_tokens(state: AppState, sign: SignIn) -> Result<String, Diagnosis> {
    let form = token_url(state)?;
    let client = state.settings.with_untracked(|s| s.client_id.clone());
    let moved = sign.issued_by.with_value(|issued| {
        issued
            .as_ref()
            .and_then(|(url, id)| user::tokens_elsewhere((url, id), (&form, &client)))
    });
    match moved {
        Some(why) => Err(form_problem(why)),
        None => Ok(form),
    }
}

/// Sign in: a new verifier, state and nonce; the S256 challenge from WebCrypto; the record kept
/// for the return; then off to managed login.
fn start_sign_in(state: AppState, sign: SignIn) {
    sign.diagnosis.set(None);
    sign.busy.set(Some("Opening managed login…"));
    spawn_local(async move {
        let outcome = async {
            let token_url = token_url(state)?;
            let pending = browser::new_pending().map_err(form_problem)?;
            let digest = browser::sha256(pending.verifier.expose().as_bytes())
                .await
                .map_err(form_problem)?;
            let challenge = code_challenge(&digest);
            let redirect_uri = browser::redirect_uri();
            let settings = state.settings.get_untracked();
            let url = user::authorize_url(&user::AuthorizeRequest {
                token_url: &token_url,
                client_id: &settings.client_id,
                redirect_uri: &redirect_uri,
                scope: &settings.scope,
                state: &pending.state,
                nonce: &pending.nonce,
                code_challenge: &challenge,
                identity_provider: &settings.sign_in.identity_provider,
                lang: &settings.sign_in.lang,
            });
            browser::save_pending(&PendingRecord {
                verifier: pending.verifier.expose().to_owned(),
                state: pending.state,
                nonce: pending.nonce,
                redirect_uri,
                token_url,
                client_id: settings.client_id.trim().to_owned(),
                has_secret: !state.secret.with_untracked(Secret::is_empty),
                saved_at_ms: clock::now_unix_ms(),
            })
            .map_err(form_problem)?;
            browser::go(&url).map_err(form_problem)
        }
        .await;
        // Also on success: a page restored by the Back button (bfcache) must not stay busy.
        sign.busy.set(None);
        if let Err(d) = outcome {
            sign.fail(d);
        }
    });
}

/// On page load: a return from managed login (`?code=` or `?error=`) is read, the address
/// cleaned, the record taken out of sessionStorage, and the code exchanged (or held until the
/// client secret is typed again).
pub fn resume(state: AppState, sign: SignIn) {
    let redirect = parse_redirect(&browser::query());
    if matches!(redirect, Redirect::None) {
        // Managed login always comes back with `code` or `error`: a load without them is a
        // sign-in given up (Back, a typed address), whose verifier must not stay for long.
        browser::drop_stale_pending(clock::now_unix_ms());
        return;
    }
    let pending = browser::take_pending();
    browser::replace_address(&strip_redirect_params(&browser::href()));
    match redirect {
        Redirect::None => {}
        Redirect::Error {
            error, description, ..
        } => sign.fail(user::redirect_error(&error, description.as_deref())),
        Redirect::Code { code, state: back } => {
            let Some(pending) = pending.filter(|p| back.as_deref() == Some(p.state.as_str()))
            else {
                state.remember_secret_value(SecretKind::AuthorizationCode, &code);
                sign.fail(user::state_mismatch());
                return;
            };
            let verifier = Secret::new(pending.verifier.as_str());
            state.remember_in_book(|b| user::register_exchange_secrets(b, &code, &verifier));
            if pending.has_secret && state.secret.with_untracked(Secret::is_empty) {
                sign.waiting.set_value(Some((code, pending)));
                sign.awaiting_secret.set(true);
                sign.note.set(Some(
                    "Signed in. This app client has a secret, which is never stored: type it again in Client secret, then press Exchange code (codes expire after five minutes)."
                        .into(),
                ));
                return;
            }
            spawn_local(exchange_code(state, sign, code, pending));
        }
    }
}

async fn exchange_code(state: AppState, sign: SignIn, code: Secret, pending: PendingRecord) {
    sign.busy.set(Some("Exchanging the code…"));
    sign.diagnosis.set(None);
    let secret = state.secret.get_untracked().trimmed();
    let auth = state.settings.with_untracked(|s| s.client_auth);
    let client = ClientIdentity {
        client_id: &pending.client_id,
        secret: &secret,
        auth,
    };
    state.remember_in_book(|b| client.register(b));
    let request = user::code_exchange(
        &pending.token_url,
        &client,
        &code,
        &pending.redirect_uri,
        &Secret::new(pending.verifier.as_str()),
    );
    let Some((status, body)) = send(state, sign, request).await else {
        return;
    };
    match parse_user_tokens(status, &body) {
        Ok(tokens) => {
            let key = state.settings.with_untracked(|s| {
                TokenKey::signed_in(&pending.token_url, &pending.client_id, &secret, &s.scope)
            });
            sign.issued_by
                .set_value(Some((pending.token_url.clone(), pending.client_id.clone())));
            accept(state, sign, tokens, Some(pending.nonce), key);
            sign.note.set(Some(
                "Signed in: the code was exchanged for ID, access and refresh tokens.".into(),
            ));
        }
        Err(failure) => sign.fail(user::exchange_failure(&failure, false, !secret.is_empty())),
    }
}

/// New tokens: into the book first, then held (the one Send token picks) and checked.
fn accept(
    state: AppState,
    sign: SignIn,
    mut tokens: UserTokens,
    nonce: Option<String>,
    key: TokenKey,
) {
    if tokens.refresh_token.is_none() {
        // A refresh answer has no refresh token: the one the page holds stays valid.
        tokens.refresh_token = sign
            .tokens
            .with_untracked(|t| t.as_ref().and_then(|t| t.refresh_token.clone()));
    }
    state.remember_in_book(|b| user::register_tokens(b, &tokens));
    sign.tokens.set(Some(tokens.clone()));
    sign.busy.set(None);
    hold_chosen(state, sign, key);
    check_id_token(state, sign, tokens, nonce);
}

/// Holds the token `Send token` picks, for Call API and Run.
fn hold_chosen(state: AppState, sign: SignIn, key: TokenKey) {
    let choice = state.settings.with_untracked(|s| s.sign_in.send_token);
    let Some((token, expires_in)) = sign.tokens.with_untracked(|t| {
        t.as_ref().and_then(|t| {
            choice
                .pick(t)
                .map(|token| (token.to_owned(), t.access.expires_in))
        })
    }) else {
        return;
    };
    state.hold_signed_in(token, expires_in, key);
}

fn check_id_token(state: AppState, sign: SignIn, tokens: UserTokens, nonce: Option<String>) {
    let Some(id_token) = tokens.id_token.clone() else {
        sign.id_checks.set(Vec::new());
        return;
    };
    let settings = state.settings.get_untracked();
    spawn_local(async move {
        let decoded = jwt::decode(&id_token);
        let signature = match crate::core::checks::signature_precondition(&decoded) {
            Ok(()) => {
                verify::verify(
                    &decoded,
                    &JwksSource::from_field(&settings.jwks),
                    settings.via_proxy,
                )
                .await
            }
            Err(reason) => Signature::NotChecked { reason },
        };
        let digest = browser::sha256(tokens.access.access_token.as_bytes())
            .await
            .ok();
        let ctx = IdTokenContext {
            client_id: settings.client_id.clone(),
            region: settings.region.clone(),
            nonce,
            access_token_sha256: digest,
            now: clock::now_unix(),
            server_skew_secs: state.server_skew.get_untracked(),
            token_origin: crate::core::checks::TokenContext::for_settings(&settings, 0, None)
                .token_origin,
        };
        sign.id_checks
            .set(id_token_checks(&decoded, &signature, &ctx));
    });
}

/// The client as the form gives it now (the secret may differ from the one signed in with), put
/// in the secret book first: what a refresh or revoke is about to send.
fn identity(state: AppState) -> (String, Secret, crate::core::token::ClientAuth) {
    let (client_id, secret, auth) = state.settings.with_untracked(|s| {
        (
            s.client_id.trim().to_owned(),
            state.secret.get_untracked().trimmed(),
            s.client_auth,
        )
    });
    state.remember_in_book(|b| {
        ClientIdentity {
            client_id: &client_id,
            secret: &secret,
            auth,
        }
        .register(b)
    });
    (client_id, secret, auth)
}

fn refresh_token_of(sign: SignIn) -> Option<Secret> {
    sign.tokens
        .with_untracked(|t| t.as_ref().and_then(|t| t.refresh_token.clone()))
        .map(Secret::new)
}

async fn refresh(state: AppState, sign: SignIn) -> bool {
    let Some(refresh_token) = refresh_token_of(sign) else {
        sign.fail(form_problem(
            "There is no refresh token: press Sign in first.".into(),
        ));
        return false;
    };
    let token_url = match token_url_of_tokens(state, sign) {
        Ok(url) => url,
        Err(d) => {
            sign.fail(d);
            return false;
        }
    };
    sign.busy.set(Some("Refreshing the tokens…"));
    sign.diagnosis.set(None);
    let (client_id, secret, auth) = identity(state);
    let request = user::refresh_request(
        &token_url,
        &ClientIdentity {
            client_id: &client_id,
            secret: &secret,
            auth,
        },
        &refresh_token,
    );
    let Some((status, body)) = send(state, sign, request).await else {
        return false;
    };
    match parse_user_tokens(status, &body) {
        Ok(tokens) => {
            let scope = state.settings.with_untracked(|s| s.scope.clone());
            let key = TokenKey::signed_in(&token_url, &client_id, &secret, &scope);
            accept(state, sign, tokens, None, key);
            sign.note.set(Some(
                "Refreshed: new ID and access tokens from the refresh token.".into(),
            ));
            true
        }
        Err(failure) => {
            sign.fail(user::exchange_failure(&failure, true, !secret.is_empty()));
            false
        }
    }
}

/// For the canary: with the code grant, a user's token within `margin_secs` of its expiry is
/// renewed with the refresh token before the scheduled Run (which then reuses it).
pub async fn refresh_if_due(state: AppState, sign: SignIn, margin_secs: i64) {
    if !state
        .settings
        .with_untracked(|s| s.sign_in.grant == Grant::AuthorizationCode)
        || refresh_token_of(sign).is_none()
    {
        return;
    }
    let due = state.held.with_untracked(|held| {
        held.as_ref()
            .and_then(|h| h.expires_at())
            .is_some_and(|at| at.saturating_sub(state.server_now()) <= margin_secs)
    });
    if due {
        refresh(state, sign).await;
    }
}

async fn revoke(state: AppState, sign: SignIn) {
    let Some(refresh_token) = refresh_token_of(sign) else {
        sign.fail(form_problem(
            "There is no refresh token to revoke: press Sign in first.".into(),
        ));
        return;
    };
    let token_url = match token_url_of_tokens(state, sign) {
        Ok(url) => url,
        Err(d) => return sign.fail(d),
    };
    sign.busy.set(Some("Revoking the refresh token…"));
    sign.diagnosis.set(None);
    let (client_id, secret, auth) = identity(state);
    let request = user::revoke_request(
        &token_url,
        &ClientIdentity {
            client_id: &client_id,
            secret: &secret,
            auth,
        },
        &refresh_token,
    );
    let Some((status, _)) = send(state, sign, request).await else {
        return;
    };
    if status != 200 {
        sign.fail(Diagnosis {
            severity: diagnosis::Severity::Error,
            what: format!("The revocation endpoint answered HTTP {status}."),
            cause: "Cognito revokes refresh tokens only, for the app client that received them; a client with a secret must authenticate.".into(),
            fix: "Check Client ID and Client secret, then press Revoke again.".into(),
        });
        return;
    }
    // Show that it worked: a refresh with the revoked token must now fail.
    if refresh(state, sign).await {
        sign.note.set(Some(
            "Revoke answered 200, yet the refresh token still works: the revocation did not take effect."
                .into(),
        ));
    } else {
        sign.note.set(Some(
            "Revoked (HTTP 200). The refresh below, with the revoked token, was refused as it should be."
                .into(),
        ));
    }
}

async fn userinfo(state: AppState, sign: SignIn) {
    let Some(access) = sign
        .tokens
        .with_untracked(|t| t.as_ref().map(|t| t.access.access_token.clone()))
    else {
        return sign.fail(form_problem(
            "There is no access token: press Sign in first.".into(),
        ));
    };
    let token_url = match token_url_of_tokens(state, sign) {
        Ok(url) => url,
        Err(d) => return sign.fail(d),
    };
    sign.busy.set(Some("Asking userInfo…"));
    sign.diagnosis.set(None);
    let Some((status, _)) = send(state, sign, user::userinfo_request(&token_url, &access)).await
    else {
        return;
    };
    sign.busy.set(None);
    sign.note.set(Some(match status {
        200 => "userInfo answered 200 with the user's attributes (below).".into(),
        401 => "userInfo refused the access token (401): it is expired, revoked or lacks the openid scope.".into(),
        other => format!("userInfo answered HTTP {other}."),
    }));
}

fn sign_out(state: AppState, sign: SignIn) {
    let token_url = match token_url(state) {
        Ok(url) => url,
        Err(d) => return sign.fail(d),
    };
    let client_id = state.settings.with_untracked(|s| s.client_id.clone());
    sign.tokens.set(None);
    sign.id_checks.set(Vec::new());
    state.held.set(None);
    let url = user::logout_url(&token_url, &client_id, &browser::redirect_uri());
    if let Err(e) = browser::go(&url) {
        sign.fail(form_problem(e));
    }
}

/// The Grant select, beside Token source in the form.
#[component]
pub fn GrantField(state: AppState) -> impl IntoView {
    let settings = state.settings;
    view! {
        <div class="field">
            <label for="grant">"Grant"</label>
            <select id="grant" on:change:target=move |e| {
                if let Some(grant) = Grant::from_label(&e.target().value()) {
                    settings.update(|s| s.sign_in.grant = grant);
                }
            }>
                {Grant::all().into_iter().map(|g| view! {
                    <option value=g.label() selected=move || settings.with(|s| s.sign_in.grant == g)>{g.label()}</option>
                }).collect_view()}
            </select>
            <p class="hint">{move || match settings.with(|s| s.sign_in.grant) {
                Grant::ClientCredentials => "Machine to machine: Get token and Run ask the token endpoint for client credentials.",
                Grant::AuthorizationCode => "A user signs in through Cognito's managed login (Sign in below); the page exchanges the code with PKCE.",
            }}</p>
        </div>
    }
}

/// The user flow's controls, shown with the code grant.
#[component]
pub fn SignInControls(state: AppState, sign: SignIn) -> impl IntoView {
    let settings = state.settings;
    let redirect_uri = browser::redirect_uri();
    let command = {
        let redirect_uri = redirect_uri.clone();
        move || {
            settings.with(|s| user::allow_redirect_command(&s.client_id, &redirect_uri, &s.scope))
        }
    };
    // Not while a run is on either: a token taken then would be judged with that run's answers.
    let busy = move || sign.busy.get().is_some() || state.running.get();
    let has_tokens = move || sign.tokens.with(Option::is_some);
    let redirect_uri = StoredValue::new(redirect_uri);
    let command = StoredValue::new(command);
    // A memo: typing in any field must not rebuild these controls (and lose the focus).
    let shown = Memo::new(move |_| code_grant(state));
    move || {
        if !shown.get() {
            return ().into_any();
        }
        let redirect_uri = redirect_uri.get_value();
        let command = command.get_value();
        view! {
            <section class="panel sign-in" aria-labelledby="sign-in-heading">
                <h2 id="sign-in-heading">"User sign-in"</h2>
                <div class="field">
                    <label for="redirect-uri">"Redirect URI"</label>
                    <div class="with-button">
                        <input id="redirect-uri" type="text" readonly prop:value=redirect_uri.clone() />
                        <CopyButton label="Copy" text=redirect_uri.clone() />
                    </div>
                    <p class="hint">"This page's address: the app client must list it exactly among its callback (and sign-out) URLs. This command allows it (it replaces the client's OAuth settings: check them first with describe-user-pool-client):"</p>
                    {
                        let command = command.clone();
                        move || {
                            let line = command();
                            view! {
                                <pre class="command"><code>{line.clone()}</code></pre>
                                <CopyButton label="Copy command" text=line />
                            }
                        }
                    }
                </div>
                <div class="field">
                    <label for="identity-provider">"Identity provider"</label>
                    <input id="identity-provider" type="text" autocomplete="off" spellcheck="false"
                        placeholder="empty: managed login's own page"
                        prop:value=move || settings.with(|s| s.sign_in.identity_provider.clone())
                        on:input:target=move |e| settings.update(|s| s.sign_in.identity_provider = e.target().value()) />
                </div>
                <div class="field">
                    <label for="lang">"Language (lang)"</label>
                    <input id="lang" type="text" autocomplete="off" spellcheck="false" placeholder="e.g. fr (empty: the browser's)"
                        prop:value=move || settings.with(|s| s.sign_in.lang.clone())
                        on:input:target=move |e| settings.update(|s| s.sign_in.lang = e.target().value()) />
                </div>
                <p class="hint">"Scopes come from the Scope field (openid email profile and custom ones; openid gives the ID token)."</p>
                <div class="field">
                    <label for="send-token">"Send token"</label>
                    <select id="send-token" disabled=move || state.running.get() on:change:target=move |e| {
                        if let Some(choice) = SendToken::from_label(&e.target().value()) {
                            settings.update(|s| s.sign_in.send_token = choice);
                            if let Ok(token_url) = token_url(state) {
                                let (client_id, secret, _) = identity(state);
                                let scope = settings.with_untracked(|s| s.scope.clone());
                                hold_chosen(state, sign, TokenKey::signed_in(&token_url, &client_id, &secret, &scope));
                            }
                        }
                    }>
                        {SendToken::all().into_iter().map(|c| view! {
                            <option value=c.label() selected=move || settings.with(|s| s.sign_in.send_token == c)>{c.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint">"What Call API and Run send: methods without authorization scopes take the ID token, methods with scopes the access token."</p>
                </div>
                <div class="actions">
                    <button type="button" class="primary" disabled=busy on:click=move |_| start_sign_in(state, sign)>"Sign in"</button>
                    {move || sign.awaiting_secret.get().then(|| view! {
                        <button type="button" disabled=busy on:click=move |_| {
                            if let Some((code, pending)) = sign.waiting.get_value() {
                                sign.waiting.set_value(None);
                                sign.awaiting_secret.set(false);
                                spawn_local(exchange_code(state, sign, code, pending));
                            }
                        }>"Exchange code"</button>
                    }.into_any())}
                    <button type="button" class="secondary" disabled=move || busy() || !has_tokens()
                        on:click=move |_| spawn_local(async move { refresh(state, sign).await; })>"Refresh token"</button>
                    <button type="button" class="secondary" disabled=move || busy() || !has_tokens()
                        on:click=move |_| spawn_local(revoke(state, sign))>"Revoke"</button>
                    <button type="button" class="secondary" disabled=move || busy() || !has_tokens()
                        on:click=move |_| spawn_local(userinfo(state, sign))>"userInfo"</button>
                    <button type="button" class="secondary" disabled=busy on:click=move |_| sign_out(state, sign)>"Sign out"</button>
                </div>
            </section>
        }
        .into_any()
    }
}

fn claims_text(token: &str) -> String {
    jwt::decode(token)
        .claims()
        .map(jwt::pretty_json)
        .unwrap_or_else(|| "(does not decode as a JWT)".into())
}

/// The results of the user flow.
#[component]
pub fn SignInPanel(state: AppState, sign: SignIn) -> impl IntoView {
    let exchange = Signal::derive(move || sign.exchange.get());
    let diagnosis = Signal::derive(move || sign.diagnosis.get());
    let shown = Memo::new(move |_| {
        code_grant(state)
            || sign.exchange.with(Option::is_some)
            || sign.diagnosis.with(Option::is_some)
    });
    move || {
        if !shown.get() {
            return ().into_any();
        }
        view! {
            <section class="panel" aria-labelledby="user-tokens-heading">
                <h2 id="user-tokens-heading">"User tokens"</h2>
                {move || sign.busy.get().map(|b| view! { <p class="busy">{b}</p> })}
                {move || sign.note.get().map(|n| view! { <p class="notice" id="sign-in-note">{state.mask(&n)}</p> })}
                <DiagnosisView diagnosis=diagnosis book=state.book />
                {move || sign.tokens.get().map(|t| {
                    let id = t.id_token.clone();
                    let access = t.access.access_token.clone();
                    view! {
                        <div class="user-tokens">
                            <h3>"ID token"</h3>
                            {match id {
                                Some(id) => view! {
                                    <p class="token-value">{state.mask(&id)}" (masked)"</p>
                                    <pre class="claims" id="id-token-claims">{claims_text(&id)}</pre>
                                }.into_any(),
                                None => view! { <p>"No ID token (request the openid scope)."</p> }.into_any(),
                            }}
                            <h3>"Access token"</h3>
                            <p class="token-value">{state.mask(&access)}" (masked)"</p>
                            <pre class="claims" id="access-token-claims">{claims_text(&access)}</pre>
                            <h3>"Refresh token"</h3>
                            <p id="refresh-token-note">{match &t.refresh_token {
                                Some(r) => format!("{} (masked). Opaque: Cognito encrypts it (a JWE), so there is nothing to decode; it only works at the token endpoint.", state.mask(r)),
                                None => "None in this answer.".to_owned(),
                            }}</p>
                        </div>
                    }
                })}
                {move || {
                    let checks = sign.id_checks.get();
                    (!checks.is_empty()).then(|| view! {
                        <h3>"ID token checks"</h3>
                        <CheckList checks id="id-token-checks" />
                    })
                }}
                <ExchangeView exchange=exchange proxied_target=Signal::derive(move || sign.proxied_target.get()) book=state.book
                    empty="No sign-in yet. Choose Grant: Authorization code (PKCE), then press Sign in." />
            </section>
        }
        .into_any()
    }
}
