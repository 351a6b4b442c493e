//! The settings form: every field of the interface contract with a visible label,
//! live validation under each field, the resolved token URL under Domain, and the
//! action buttons.

use leptos::prelude::*;

use crate::core::client_token::TokenSource;
use crate::core::run::Job;
use crate::core::settings::{DomainForm, Field, FieldIssue, HttpMethod, Level, Settings};
use crate::core::token::ClientAuth;
use crate::ui::state::AppState;

#[component]
pub fn SettingsForm(state: AppState) -> impl IntoView {
    let issues = Memo::new(move |_| {
        state
            .secret
            .with(|secret| state.settings.with(|s| s.validate(secret)))
    });
    let show_secret = RwSignal::new(false);
    let settings = state.settings;

    view! {
        <form class="settings" id="settings-form" aria-label="Settings" novalidate on:submit=move |e| { e.prevent_default(); state.start(Job::Run); }>
            <fieldset>
                <legend>"App client"</legend>
                <TextField state issues field=Field::ClientId id="client-id"
                    get=|s| s.client_id.clone() set=|s, v| s.client_id = v
                    placeholder="e.g. 1example23456789" />
                <div class="field">
                    <label for="client-secret">"Client secret"</label>
                    <div class="with-button">
                        <input id="client-secret" name="client-secret" autocomplete="off" spellcheck="false"
                            type=move || if show_secret.get() { "text" } else { "password" }
                            prop:value=move || state.secret.with(|s| s.expose().to_owned())
                            on:input:target=move |e| state.type_secret(e.target().value())
                            aria-describedby="client-secret-issues" />
                        <button type="button" class="secondary"
                            aria-pressed=move || show_secret.get().to_string()
                            on:click=move |_| show_secret.update(|v| *v = !*v)>
                            {move || if show_secret.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <FieldIssues issues attempted=state.attempted field=Field::ClientSecret id="client-secret-issues" />
                    <p class="hint">"Kept in this tab's memory only: never stored, never put in a URL."</p>
                </div>
                <div class="field">
                    <label for="token-source">"Token source"</label>
                    <select id="token-source"
                        on:change:target=move |e| {
                            if let Some(source) = TokenSource::from_value(&e.target().value()) {
                                settings.update(|s| s.token_source = source);
                            }
                        }>
                        {TokenSource::all().into_iter().map(|source| view! {
                            <option value=source.value() selected=move || settings.with(|s| s.token_source == source)>{source.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint">{move || match settings.with(|s| s.token_source) {
                        TokenSource::TokenEndpoint => "POST <Domain>/oauth2/token with grant_type=client_credentials.",
                        TokenSource::GetClientToken => "POST https://cognito-idp.<Region>.amazonaws.com/ (the user pools API): no domain needed; the app client needs ALLOW_CLIENT_TOKEN_AUTH as its only auth flow.",
                    }}</p>
                </div>
                <crate::ui::sign_in_view::GrantField state=state />
                <div class="field">
                    <label for="client-auth">"Client authentication"</label>
                    <select id="client-auth"
                        disabled=move || settings.with(|s| s.token_source == TokenSource::GetClientToken)
                        on:change:target=move |e| {
                            let auth = if e.target().value() == "basic" { ClientAuth::BasicHeader } else { ClientAuth::SecretInBody };
                            settings.update(|s| s.client_auth = auth);
                        }>
                        <option value="body" selected=move || settings.with(|s| s.client_auth == ClientAuth::SecretInBody)>"Secret in body"</option>
                        <option value="basic" selected=move || settings.with(|s| s.client_auth == ClientAuth::BasicHeader)>"Basic header"</option>
                    </select>
                    <p class="hint">{move || match settings.with(|s| (s.token_source, s.client_auth)) {
                        (TokenSource::GetClientToken, _) => "Not used by GetClientToken: the secret travels in its JSON body.",
                        (_, ClientAuth::SecretInBody) => "client_id and client_secret in the form body (client_secret_post): no CORS preflight.",
                        (_, ClientAuth::BasicHeader) => "Authorization: Basic Base64(client_id:client_secret), as Cognito documents it (client_secret_basic): the browser sends a CORS preflight first.",
                    }}</p>
                </div>
            </fieldset>
            <fieldset>
                <legend>"User pool"</legend>
                <TextField state issues field=Field::Domain id="domain"
                    get=|s| s.domain.clone() set=|s, v| s.domain = v
                    placeholder="my-pool, auth.example.com or https://…" />
                <p class="resolved" id="token-url" aria-live="polite">{move || settings.with(resolved_token_url)}</p>
                <TextField state issues field=Field::Region id="region"
                    get=|s| s.region.clone() set=|s, v| s.region = v
                    placeholder="us-east-1" />
                <TextField state issues field=Field::Scope id="scope"
                    get=|s| s.scope.clone() set=|s, v| s.scope = v
                    placeholder="demo/example (empty: every scope the client allows)" />
                <div class="field">
                    <label for="client-metadata">{Field::ClientMetadata.label()}</label>
                    <textarea id="client-metadata" rows="2" spellcheck="false" placeholder=r#"optional, e.g. {"tenant": "acme"}"#
                        aria-describedby="client-metadata-issues"
                        prop:value=move || settings.with(|s| s.client_metadata.clone())
                        on:input:target=move |e| settings.update(|s| s.client_metadata = e.target().value())></textarea>
                    <FieldIssues issues attempted=state.attempted field=Field::ClientMetadata id="client-metadata-issues" />
                    <p class="hint">"Passed to the pre token generation Lambda trigger (aws_client_metadata on the token endpoint, ClientMetadata on GetClientToken): a JSON object of string values."</p>
                </div>
                <TextField state issues field=Field::Jwks id="jwks"
                    get=|s| s.jwks.clone() set=|s, v| s.jwks = v
                    placeholder="empty: the token's <iss>/.well-known/jwks.json" />
            </fieldset>
            <fieldset>
                <legend>"API"</legend>
                <TextField state issues field=Field::ApiUrl id="api-url"
                    get=|s| s.api_url.clone() set=|s, v| s.api_url = v
                    placeholder="https://abc123.execute-api.us-east-1.amazonaws.com/dev" />
                <div class="field">
                    <label for="method">"Method"</label>
                    <select id="method" on:change:target=move |e| {
                        if let Some(m) = HttpMethod::parse(&e.target().value()) { settings.update(|s| s.method = m); }
                    }>
                        {HttpMethod::all().into_iter().map(|m| view! {
                            <option value=m.as_str() selected=move || settings.with(|s| s.method == m)>{m.as_str()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || settings.with(|s| s.method.takes_body())>
                    <div class="field">
                        <label for="api-body">"Request body"</label>
                        <textarea id="api-body" rows="4" spellcheck="false"
                            prop:value=move || settings.with(|s| s.api_body.clone())
                            on:input:target=move |e| settings.update(|s| s.api_body = e.target().value())></textarea>
                        <FieldIssues issues attempted=state.attempted field=Field::ApiBody id="api-body-issues" />
                    </div>
                </Show>
                <div class="field">
                    <label for="extra-headers">"Extra headers"</label>
                    <textarea id="extra-headers" rows="2" spellcheck="false" placeholder="X-Request-Id: qa-123"
                        prop:value=move || settings.with(|s| s.extra_headers.clone())
                        on:input:target=move |e| settings.update(|s| s.extra_headers = e.target().value())></textarea>
                    <FieldIssues issues attempted=state.attempted field=Field::ExtraHeaders id="extra-headers-issues" />
                    <SecretHeaderTicks settings />
                </div>
            </fieldset>
            <fieldset>
                <legend>"Network"</legend>
                <div class="field check">
                    <input id="via-proxy" type="checkbox"
                        prop:checked=move || settings.with(|s| s.via_proxy)
                        on:change:target=move |e| settings.update(|s| s.via_proxy = e.target().checked()) />
                    <label for="via-proxy">"Route through proxy"</label>
                    <p class="hint">"Send requests to this page's /proxy/… routes (trunk serve or CloudFront) instead of straight to AWS; use it when CORS blocks a direct call."</p>
                </div>
                <div class="field">
                    <label for="timeout">"Timeout (seconds)"</label>
                    <input id="timeout" type="number" min="1" max="300" inputmode="numeric"
                        prop:value=move || settings.with(|s| s.timeout_secs.to_string())
                        on:input:target=move |e| {
                            let secs = e.target().value().trim().parse::<u32>().unwrap_or(0);
                            settings.update(|s| s.timeout_secs = secs);
                        } />
                    <FieldIssues issues attempted=state.attempted field=Field::Timeout id="timeout-issues" />
                </div>
            </fieldset>
            // The run buttons are in the page's run bar (ui::app), beside the verdict summary.
        </form>
    }
}

/// The line under Domain: where the chosen token source's request will go.
fn resolved_token_url(s: &Settings) -> String {
    use crate::core::settings::DomainError;
    match s.token_source {
        TokenSource::TokenEndpoint => match s.token_endpoint() {
            Ok(endpoint) => format!(
                "Token endpoint: {}{}",
                endpoint.url,
                match endpoint.form {
                    DomainForm::Prefix { .. } | DomainForm::CognitoHost { .. } => {
                        " (Amazon Cognito domain)"
                    }
                    DomainForm::CustomHost { .. } => " (custom domain)",
                    DomainForm::FullUrl => "",
                }
            ),
            Err(DomainError::Empty) => "Token endpoint: enter a domain to see it.".to_string(),
            Err(e) => format!("Token endpoint: not yet — {e}"),
        },
        TokenSource::GetClientToken => match s.client_token_endpoint() {
            Ok(endpoint) if endpoint.local => format!(
                "GetClientToken endpoint: {} (the local Domain URL stands in for cognito-idp)",
                endpoint.url
            ),
            Ok(endpoint) => format!("GetClientToken endpoint: {} (from Region)", endpoint.url),
            Err(e) => format!("GetClientToken endpoint: not yet — {e}"),
        },
    }
}

/// One tick per extra header: a ticked header's value is a secret (masked everywhere, never in a
/// profile, link or report). Credential names (Authorization, X-Api-Key, …) are always secret.
#[component]
fn SecretHeaderTicks(settings: RwSignal<Settings>) -> impl IntoView {
    let names = Memo::new(move |_| {
        settings.with(|s| {
            crate::core::headers::parse_extra_headers(&s.extra_headers)
                .map(|headers| {
                    headers
                        .into_iter()
                        .map(|(name, _)| name)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    move || {
        let names = names.get();
        (!names.is_empty()).then(|| view! {
            <ul class="secret-ticks" aria-label="Secret headers">
                {names.into_iter().enumerate().map(|(i, name)| {
                    let id = format!("secret-header-{i}");
                    let always = crate::core::headers::is_credential_name(&name);
                    let ticked_name = name.clone();
                    let ticked = move || always || settings.with(|s| s.secret_headers.iter().any(|t| t.eq_ignore_ascii_case(&ticked_name)));
                    let toggle_name = name.clone();
                    view! {
                        <li class="check">
                            <input id=id.clone() type="checkbox" prop:checked=ticked disabled=always
                                on:change:target=move |e| {
                                    let on = e.target().checked();
                                    let name = toggle_name.clone();
                                    settings.update(|s| {
                                        s.secret_headers.retain(|t| !t.eq_ignore_ascii_case(&name));
                                        if on { s.secret_headers.push(name); }
                                    });
                                } />
                            <label for=id>{format!("{name} is secret")}{always.then_some(" (always: a credential header)")}</label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    }
}

/// A labelled text input bound to one settings field, with its issues beneath.
#[component]
fn TextField(
    state: AppState,
    issues: Memo<Vec<FieldIssue>>,
    field: Field,
    id: &'static str,
    get: fn(&Settings) -> String,
    set: fn(&mut Settings, String),
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let settings = state.settings;
    let issues_id = format!("{id}-issues");
    view! {
        <div class="field">
            <label for=id>{field.label()}</label>
            <input id=id name=id type="text" autocomplete="off" spellcheck="false" placeholder=placeholder
                aria-describedby=issues_id.clone()
                aria-invalid=move || issues.with(|list| list.iter().any(|i| i.field == field && i.level != Level::Warning
                    && (i.level != Level::Missing || state.attempted.get()))).to_string()
                prop:value=move || settings.with(get)
                on:input:target=move |e| settings.update(|s| set(s, e.target().value())) />
            <FieldIssues issues attempted=state.attempted field id=issues_id />
        </div>
    }
}

/// The issues of one field. "Required" only shows once the user tried to send.
#[component]
fn FieldIssues(
    issues: Memo<Vec<FieldIssue>>,
    attempted: RwSignal<bool>,
    field: Field,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! {
        <ul class="issues" id=id>
            {move || issues.with(|list| list.iter()
                .filter(|i| i.field == field && (i.level != Level::Missing || attempted.get()))
                .map(|i| {
                    let class = if i.level == Level::Warning { "issue warning" } else { "issue error" };
                    view! { <li class=class>{i.message.clone()}</li> }
                })
                .collect_view())}
        </ul>
    }
}
