//! `/_emulator/...`: runtime switches over HTTP, for people and browser tests. CORS `*`.
//!
//! - `POST /_emulator/api-failing?on=true|false`
//! - `POST /_emulator/pre-token-lambda?fail=true|false`
//! - `POST /_emulator/token-fault?mode=html500|empty405|notjson200|echo|slow&ms=N|none`
//! - `POST /_emulator/rotate-key`
//! - `GET  /_emulator/status`
//! - `GET  /_emulator/export?type=oas30|swagger` (the API as API Gateway exports it, see [`crate::export`])

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::cors::{allow_any_origin, preflight_answer};
use crate::export::{export, ExportType};
use crate::keys::SigningKey;
use crate::respond::{response, set_header};
use crate::state::AppState;
use crate::token::TokenFault;

const JSON: &str = "application/json";

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    response(status, JSON, value.to_string())
}

fn bad_request(message: String) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({ "message": message }),
    )
}

/// The switches' current values.
fn status(state: &AppState) -> serde_json::Value {
    let fault = state.token_fault();
    serde_json::json!({
        "api_failing": state.api_failing(),
        "pre_token_lambda_failing": state.pre_token_lambda_failing(),
        "token_fault": fault.map(|f| f.name()).unwrap_or("none"),
        "token_fault_ms": match fault { Some(TokenFault::Slow { ms }) => Some(ms), _ => None },
        "current_kid": state.keys.current_kid(),
        "kids": state.keys.kids(),
    })
}

/// `true`/`1`/`on` or `false`/`0`/`off`.
fn switch(value: Option<&String>) -> Option<bool> {
    match value.map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("true") | Some("1") | Some("on") => Some(true),
        Some("false") | Some("0") | Some("off") => Some(false),
        _ => None,
    }
}

pub(crate) async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let mut resp = route(&state, req).await;
    allow_any_origin(resp.headers_mut());
    resp
}

async fn route(state: &AppState, req: Request) -> Response {
    if req.method() == Method::OPTIONS {
        return preflight_answer("GET, POST", "content-type");
    }
    let query: HashMap<String, String> =
        form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let path = req.uri().path().trim_end_matches('/');
    let is_post = req.method() == Method::POST;
    match (path, is_post) {
        ("/_emulator/status", _) if req.method() == Method::GET => {
            json(StatusCode::OK, status(state))
        }
        ("/_emulator/export", _) if req.method() == Method::GET => {
            let kind = query.get("type").map(String::as_str).unwrap_or("oas30");
            match ExportType::parse(kind) {
                Some(kind) => json(StatusCode::OK, export(&state.config, &state.base_url, kind)),
                None => bad_request(format!(
                    "export type \"{kind}\" is not offered: use ?type=oas30 or ?type=swagger"
                )),
            }
        }
        ("/_emulator/api-failing", true) => {
            let Some(on) = switch(query.get("on")) else {
                return bad_request("api-failing needs ?on=true or ?on=false".into());
            };
            state.set_api_failing(on);
            json(StatusCode::OK, status(state))
        }
        ("/_emulator/pre-token-lambda", true) => {
            let Some(fail) = switch(query.get("fail")) else {
                return bad_request("pre-token-lambda needs ?fail=true or ?fail=false".into());
            };
            state.set_pre_token_lambda_failing(fail);
            json(StatusCode::OK, status(state))
        }
        ("/_emulator/token-fault", true) => {
            let ms = match query.get("ms") {
                None => None,
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(ms) => Some(ms),
                    Err(_) => {
                        return bad_request(format!(
                            "ms=\"{v}\" is not a whole number of milliseconds"
                        ))
                    }
                },
            };
            let Some(mode) = query.get("mode") else {
                return bad_request(
                    "token-fault needs ?mode=html500|empty405|notjson200|slow&ms=N|none".into(),
                );
            };
            match TokenFault::parse(mode, ms) {
                Ok(fault) => {
                    state.set_token_fault(fault);
                    json(StatusCode::OK, status(state))
                }
                Err(e) => bad_request(e),
            }
        }
        ("/_emulator/rotate-key", true) => {
            match tokio::task::spawn_blocking(SigningKey::generate).await {
                Ok(Ok(key)) => {
                    state.keys.rotate(key);
                    json(StatusCode::OK, status(state))
                }
                Ok(Err(e)) => json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    serde_json::json!({ "message": e.to_string() }),
                ),
                Err(e) => json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    serde_json::json!({ "message": format!("key generation task failed: {e}") }),
                ),
            }
        }
        (
            "/_emulator/status"
            | "/_emulator/export"
            | "/_emulator/api-failing"
            | "/_emulator/pre-token-lambda"
            | "/_emulator/token-fault"
            | "/_emulator/rotate-key",
            _,
        ) => {
            let mut resp = json(
                StatusCode::METHOD_NOT_ALLOWED,
                serde_json::json!({ "message": "use POST (GET for /_emulator/status and /_emulator/export)" }),
            );
            set_header(
                resp.headers_mut(),
                "allow",
                if path.ends_with("status") || path.ends_with("export") {
                    "GET"
                } else {
                    "POST"
                },
            );
            resp
        }
        _ => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({
                "message": "unknown control route: use POST /_emulator/api-failing?on=true|false, POST /_emulator/pre-token-lambda?fail=true|false, POST /_emulator/token-fault?mode=..., POST /_emulator/rotate-key, GET /_emulator/status or GET /_emulator/export?type=oas30|swagger"
            }),
        ),
    }
}
