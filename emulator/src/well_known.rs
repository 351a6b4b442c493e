//! The pool's public documents: the JWKS and the OpenID discovery document (GET, CORS `*`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, MethodRouter};

use crate::cors::allow_any_origin;
use crate::respond::{empty, response, set_header};
use crate::state::AppState;

/// GET (and HEAD) answer the document, OPTIONS a preflight, anything else 405 with `Allow: GET`.
fn document_route(handler: fn(&AppState) -> serde_json::Value) -> MethodRouter<Arc<AppState>> {
    get(move |State(state): State<Arc<AppState>>| async move {
        response(
            StatusCode::OK,
            "application/json;charset=UTF-8",
            handler(&state).to_string(),
        )
    })
    .options(|| async {
        let mut r = empty(StatusCode::NO_CONTENT);
        set_header(r.headers_mut(), "access-control-allow-methods", "GET");
        r
    })
    .fallback(|| async {
        let mut r = empty(StatusCode::METHOD_NOT_ALLOWED);
        r.headers_mut()
            .insert("allow", HeaderValue::from_static("GET"));
        r
    })
    .layer(axum::middleware::map_response(
        |mut r: Response| async move {
            allow_any_origin(r.headers_mut());
            r
        },
    ))
}

/// `/<pool>/.well-known/jwks.json`.
pub(crate) fn jwks() -> MethodRouter<Arc<AppState>> {
    document_route(|state| state.keys.jwks())
}

/// `/<pool>/.well-known/openid-configuration`.
pub(crate) fn discovery() -> MethodRouter<Arc<AppState>> {
    document_route(|state| {
        serde_json::json!({
            "issuer": state.issuer,
            "jwks_uri": format!("{}{}", state.base_url, state.jwks_path()),
            "token_endpoint": format!("{}/oauth2/token", state.base_url),
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": state.config.defined_scopes(),
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        })
    })
}
