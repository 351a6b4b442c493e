//! The emulator's route table: which handler answers which path. Anything no route takes goes to the
//! API stage's handler, so unknown paths get API Gateway's 403 rather than a framework 404/405.

use std::sync::Arc;

use axum::routing::any;
use axum::Router;

use crate::state::AppState;
use crate::{api, control, faults, idp, managed_login, token, user_tokens, well_known};

/// The emulator as an axum app. Paths come from the validated configuration (the pool id and the stage
/// are distinct single segments, none of them `oauth2`, `faults`, `_emulator`, `login`, `logout` or `error`), so routes never clash.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let stage = format!("/{}", state.config.stage);
    Router::new()
        .route("/", idp::routes())
        .route("/oauth2/token", token::routes())
        .route("/oauth2/authorize", managed_login::authorize_route())
        .route("/oauth2/userInfo", user_tokens::userinfo_route())
        .route("/oauth2/revoke", user_tokens::revoke_route())
        .route("/login", managed_login::login_route())
        .route("/logout", managed_login::logout_route())
        .route("/error", managed_login::error_route())
        .route(&state.jwks_path(), well_known::jwks())
        .route(&state.discovery_path(), well_known::discovery())
        .route("/_emulator", any(control::handle))
        .route("/_emulator/{*rest}", any(control::handle))
        .route("/faults", any(faults::handle))
        .route("/faults/{*rest}", any(faults::handle))
        .route(&stage, any(api::handle))
        .route(&format!("{stage}/{{*rest}}"), any(api::handle))
        .fallback(api::handle)
        .with_state(state)
}
