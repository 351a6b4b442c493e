//! State shared by every request, and the one entry point that routes them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::Router;

use crate::config::Config;
use crate::keys::KeyStore;
use crate::respond::{response, set_header};
use crate::token::TokenFault;
use crate::{api, control, cors, faults, token};

pub(crate) struct AppState {
    pub(crate) config: Config,
    pub(crate) base_url: String,
    pub(crate) issuer: String,
    pub(crate) keys: KeyStore,
    api_failing: AtomicBool,
    token_fault: Mutex<Option<TokenFault>>,
}

impl AppState {
    pub(crate) fn new(config: Config, base_url: String, keys: KeyStore) -> Self {
        let issuer = format!("{}/{}", base_url, config.pool_id);
        AppState {
            config,
            base_url,
            issuer,
            keys,
            api_failing: AtomicBool::new(false),
            token_fault: Mutex::new(None),
        }
    }

    pub(crate) fn api_failing(&self) -> bool {
        self.api_failing.load(Ordering::SeqCst)
    }

    pub(crate) fn set_api_failing(&self, on: bool) {
        self.api_failing.store(on, Ordering::SeqCst);
    }

    pub(crate) fn token_fault(&self) -> Option<TokenFault> {
        *self.token_fault.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_token_fault(&self, fault: Option<TokenFault>) {
        *self.token_fault.lock().unwrap_or_else(|p| p.into_inner()) = fault;
    }

    pub(crate) fn jwks_path(&self) -> String {
        format!("/{}/.well-known/jwks.json", self.config.pool_id)
    }

    fn discovery_path(&self) -> String {
        format!("/{}/.well-known/openid-configuration", self.config.pool_id)
    }
}

/// The emulator's main router: one fallback that dispatches on the path, so that unknown paths get
/// API Gateway's 403 rather than a framework 404/405.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(dispatch).with_state(state)
}

async fn dispatch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/oauth2/token" {
        token::handle(&state, req).await
    } else if path == "/_emulator" || path.starts_with("/_emulator/") {
        control::handle(&state, req).await
    } else if path == state.jwks_path() {
        well_known(req.method(), state.keys.jwks())
    } else if path == state.discovery_path() {
        let doc = serde_json::json!({
            "issuer": state.issuer,
            "jwks_uri": format!("{}{}", state.base_url, state.jwks_path()),
            "token_endpoint": format!("{}/oauth2/token", state.base_url),
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": state.config.defined_scopes(),
            "subject_types_supported": ["public"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        });
        well_known(req.method(), doc)
    } else if path == "/faults" || path.starts_with("/faults/") {
        faults::handle(&state, req).await
    } else {
        api::handle(&state, req).await
    }
}

/// JWKS and discovery documents: public, `Access-Control-Allow-Origin: *`.
fn well_known(method: &Method, doc: serde_json::Value) -> Response {
    let mut resp = if method == Method::GET || method == Method::HEAD {
        response(
            StatusCode::OK,
            "application/json;charset=UTF-8",
            doc.to_string(),
        )
    } else if method == Method::OPTIONS {
        let mut r = crate::respond::empty(StatusCode::NO_CONTENT);
        set_header(r.headers_mut(), "access-control-allow-methods", "GET");
        r
    } else {
        let mut r = crate::respond::empty(StatusCode::METHOD_NOT_ALLOWED);
        set_header(r.headers_mut(), "allow", "GET");
        r
    };
    cors::allow_any_origin(resp.headers_mut());
    resp
}
