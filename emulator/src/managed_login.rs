//! Cognito's managed login for the authorization code grant: `GET /oauth2/authorize` checks the request
//! and sends the browser to `/login`, a plain sign-in page (labels `Username`, `Password`, button
//! `Sign in`) that posts back to itself and redirects to the callback URL with a single-use code;
//! `GET /logout` sends the browser to an allowed sign-out URL. See docs/aws-behaviour.md, "User sign-in".

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, MethodRouter};

use crate::config::{AppClient, ConfigError, User};
use crate::respond::{empty, response};
use crate::state::AppState;
use crate::token::now_secs;
use crate::user_sessions::{CodeGrant, SignIn};

/// The rules for a client's managed-login settings (called from [`Config::validate`](crate::Config)).
pub(crate) fn validate_client(i: usize, c: &AppClient) -> Result<(), ConfigError> {
    let key = |f: &str| format!("clients[{i}].{f}");
    if c.authorization_code && c.client_credentials {
        return Err(ConfigError::at(
            key("authorization_code"),
            "Cognito does not allow client_credentials together with the authorization code grant on one client",
        ));
    }
    if c.authorization_code && c.callback_urls.is_empty() {
        return Err(ConfigError::at(
            key("callback_urls"),
            "the authorization code grant needs at least one callback URL",
        ));
    }
    for (field, urls) in [
        ("callback_urls", &c.callback_urls),
        ("logout_urls", &c.logout_urls),
    ] {
        if let Some(bad) = urls.iter().find(|u| {
            !(u.starts_with("https://") || u.starts_with("http://"))
                || u.contains('#')
                || u.contains(char::is_whitespace)
        }) {
            return Err(ConfigError::at(
                key(field),
                format!("\"{bad}\" must be an http(s) URL without a fragment"),
            ));
        }
    }
    Ok(())
}

/// The rules for the pool's users.
pub(crate) fn validate_users(users: &[User]) -> Result<(), ConfigError> {
    for (i, u) in users.iter().enumerate() {
        if u.username.is_empty() || u.username.chars().any(char::is_whitespace) {
            return Err(ConfigError::at(
                format!("users[{i}].username"),
                "username must be non-empty without spaces",
            ));
        }
        if users.iter().take(i).any(|o| o.username == u.username) {
            return Err(ConfigError::at(
                format!("users[{i}].username"),
                format!("user \"{}\" is defined twice", u.username),
            ));
        }
        if u.password.is_empty() {
            return Err(ConfigError::at(
                format!("users[{i}].password"),
                "password must not be empty",
            ));
        }
    }
    Ok(())
}

/// The banner's lines for managed login: the code-grant clients and the users (empty when none).
pub(crate) fn banner(c: &crate::Config, base: &str) -> String {
    let clients: Vec<&AppClient> = c.clients.iter().filter(|c| c.authorization_code).collect();
    if clients.is_empty() || c.users.is_empty() {
        return String::new();
    }
    let mut out =
        format!("User sign-in (authorization code with PKCE, {base}/oauth2/authorize):\n");
    for client in clients {
        let secret = match client.secrets.first() {
            Some(s) => format!("secret {s}"),
            None => "no secret".into(),
        };
        out.push_str(&format!(
            "  App client     : {} ({secret}), callback URLs {}\n",
            client.id,
            client.callback_urls.join(" ")
        ));
    }
    for u in &c.users {
        out.push_str(&format!(
            "  User           : {} / {}{}\n",
            u.username,
            u.password,
            u.email
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ));
    }
    out
}

/// `/oauth2/authorize`, `/login`, `/logout` and `/error`.
pub(crate) fn authorize_route() -> MethodRouter<Arc<AppState>> {
    get(authorize)
}

pub(crate) fn login_route() -> MethodRouter<Arc<AppState>> {
    get(login_page).post(login_submit)
}

pub(crate) fn logout_route() -> MethodRouter<Arc<AppState>> {
    get(logout)
}

pub(crate) fn error_route() -> MethodRouter<Arc<AppState>> {
    get(error_page)
}

/// A checked `/oauth2/authorize` request.
#[derive(Debug, Clone)]
struct AuthorizeRequest {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
    challenge: Option<String>,
    nonce: Option<String>,
}

/// Why an authorize request was refused.
#[derive(Debug)]
enum Refused {
    /// No trustworthy redirect URI (unknown client, callback URL not allowed): Cognito's error page.
    Page(&'static str),
    /// Back to the (allowed) redirect URI with `error`, `error_description` and `state`.
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: &'static str,
        state: Option<String>,
    },
}

fn query_map(raw: Option<&str>) -> HashMap<String, String> {
    // A repeated parameter keeps its first value.
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    map
}

/// Whether `s` is a PKCE S256 challenge: 43 base64url characters (a SHA-256 digest, unpadded).
fn is_s256_challenge(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks an authorize (or login) request's parameters against the pool, in Cognito's order: the
/// client and the callback URL first (no redirect without them), then the rest back to the callback.
fn check(state: &AppState, q: &HashMap<String, String>) -> Result<AuthorizeRequest, Refused> {
    let client = q
        .get("client_id")
        .and_then(|id| state.config.clients.iter().find(|c| &c.id == id))
        .ok_or(Refused::Page("invalid_request"))?;
    let redirect_uri = q
        .get("redirect_uri")
        .filter(|r| client.callback_urls.iter().any(|c| c == *r))
        .ok_or(Refused::Page("redirect_mismatch"))?
        .clone();
    let st = q.get("state").cloned();
    let back = |error, description| Refused::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description,
        state: st.clone(),
    };
    match q.get("response_type").map(String::as_str) {
        Some("code") => {}
        Some("token") => {
            return Err(back(
                "unauthorized_client",
                "the implicit grant is not enabled for this client",
            ))
        }
        _ => {
            return Err(back(
                "unsupported_response_type",
                "response_type must be code",
            ))
        }
    }
    if !client.authorization_code {
        return Err(back(
            "unauthorized_client",
            "the authorization code grant is not enabled for this client",
        ));
    }
    let scopes =
        crate::token::select_scopes(client, q.get("scope").map(String::as_str)).map_err(|()| {
            back(
                "invalid_scope",
                "a requested scope is not allowed for this client",
            )
        })?;
    let challenge = q.get("code_challenge").cloned();
    match (q.get("code_challenge_method").map(String::as_str), &challenge) {
        (None, None) => {}
        (Some("S256"), Some(c)) if is_s256_challenge(c) => {}
        (Some("S256"), _) | (None, Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge must be the base64url SHA-256 of the verifier, with code_challenge_method=S256",
            ))
        }
        (Some(_), _) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method must be S256 (plain is not supported)",
            ))
        }
    }
    Ok(AuthorizeRequest {
        client_id: client.id.clone(),
        redirect_uri,
        state: st.clone(),
        scopes,
        challenge,
        nonce: q.get("nonce").cloned(),
    })
}

fn redirect(location: &str) -> Response {
    let mut resp = empty(StatusCode::FOUND);
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `uri` with `pairs` appended to its query.
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        ser.append_pair(k, v);
    }
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{}", ser.finish())
}

fn refused(r: Refused) -> Response {
    match r {
        Refused::Page(error) => redirect(&with_query("/error", &[("error", error)])),
        Refused::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => {
            let mut pairs = vec![("error", error), ("error_description", description)];
            if let Some(s) = &state {
                pairs.push(("state", s));
            }
            redirect(&with_query(&redirect_uri, &pairs))
        }
    }
}

/// `GET /oauth2/authorize`: checks, then on to the login page with the same parameters.
async fn authorize(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    match check(&state, &query_map(raw.as_deref())) {
        Ok(_) => redirect(&format!("/login?{}", raw.unwrap_or_default())),
        Err(r) => refused(r),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let mut resp = response(
        status,
        "text/html; charset=utf-8",
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"
        ),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn login_form(raw: &str, client_id: &str, error: Option<&str>) -> Response {
    let alert = error
        .map(|e| format!("<p role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    page(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "Sign in",
        &format!(
            "<p>Cognito emulator managed login for app client <code>{client}</code>.</p>{alert}\
             <form method=\"post\" action=\"/login?{action}\">\
             <p><label for=\"username\">Username</label> \
             <input id=\"username\" name=\"username\" autocomplete=\"username\" required></p>\
             <p><label for=\"password\">Password</label> \
             <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
             <p><button type=\"submit\">Sign in</button></p></form>",
            client = escape(client_id),
            action = escape(raw),
        ),
    )
}

/// `GET /login`: the sign-in page (after the same checks as the authorize endpoint).
async fn login_page(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    match check(&state, &query_map(Some(&raw))) {
        Ok(req) => login_form(&raw, &req.client_id, None),
        Err(r) => refused(r),
    }
}

/// `POST /login`: right credentials → the callback URL with `code` and `state`.
async fn login_submit(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Response {
    let raw = raw.unwrap_or_default();
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let req = match check(&state, &query_map(Some(&raw))) {
        Ok(req) => req,
        Err(r) => return refused(r),
    };
    let user = state.config.users.iter().find(|u| {
        form.get("username").is_some_and(|n| *n == u.username)
            && form.get("password").is_some_and(|p| *p == u.password)
    });
    let Some(user) = user else {
        return login_form(
            &raw,
            &req.client_id,
            Some("Incorrect username or password."),
        );
    };
    let code = state.sessions.issue_code(CodeGrant {
        sign_in: SignIn {
            client_id: req.client_id.clone(),
            username: user.username.clone(),
            scopes: req.scopes.clone(),
            auth_time: now_secs(),
            origin_jti: uuid::Uuid::new_v4().to_string(),
        },
        redirect_uri: req.redirect_uri.clone(),
        challenge: req.challenge.clone(),
        nonce: req.nonce.clone(),
        issued: Instant::now(),
    });
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = &req.state {
        pairs.push(("state", s));
    }
    redirect(&with_query(&req.redirect_uri, &pairs))
}

/// `GET /logout?client_id=..&logout_uri=..`: to the sign-out URL when the client allows it.
async fn logout(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let q = query_map(raw.as_deref());
    let client = q
        .get("client_id")
        .and_then(|id| state.config.clients.iter().find(|c| &c.id == id));
    let Some(client) = client else {
        return refused(Refused::Page("invalid_request"));
    };
    match q
        .get("logout_uri")
        .filter(|u| client.logout_urls.iter().any(|l| l == *u))
    {
        Some(uri) => redirect(uri),
        None => refused(Refused::Page("redirect_mismatch")),
    }
}

/// `GET /error?error=..`: managed login's error page, for requests it cannot send back to the app.
async fn error_page(RawQuery(raw): RawQuery) -> Response {
    let q = query_map(raw.as_deref());
    let error = q.get("error").map(String::as_str).unwrap_or("error");
    let hint = match error {
        "redirect_mismatch" => {
            "The redirect_uri (or logout_uri) is not one of the app client's allowed URLs: add it exactly, \
             trailing slash included."
        }
        _ => "The request names no app client of this user pool, or is missing a parameter.",
    };
    page(
        StatusCode::BAD_REQUEST,
        "An error was encountered with the requested page.",
        &format!("<p>Error: <code>{}</code></p><p>{hint}</p>", escape(error)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenges_are_43_base64url_characters() {
        assert!(is_s256_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!is_s256_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM="
        ));
        assert!(!is_s256_challenge("short"));
    }

    #[test]
    fn query_is_appended() {
        assert_eq!(
            with_query("http://a/cb", &[("code", "c"), ("state", "a b")]),
            "http://a/cb?code=c&state=a+b"
        );
        assert_eq!(
            with_query("http://a/cb?x=1", &[("code", "c")]),
            "http://a/cb?x=1&code=c"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
