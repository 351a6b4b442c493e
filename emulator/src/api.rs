//! The emulated API Gateway REST API stage: routing, the authorizer's answers and mock integrations.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::authorizer::{authorize, authorize_jwt, Denied};
use crate::config::{ApiMethod, Authorization};
use crate::cors;
use crate::gateway::{self, message_json, missing_token, ApiReply, JSON};
use crate::respond::{read_limited, response, BodyError};
use crate::state::AppState;
use crate::templates::{below_stage, match_template, normalize_template, substitute, Params};

/// Largest API request body accepted (API Gateway's own limit is 10 MB; 1 MiB is plenty here).
pub const API_BODY_LIMIT: usize = 1024 * 1024;

/// Every request the route table gives to the API (the stage, and anything no other route takes).
pub(crate) async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    route(&state, req).await.finish(state.config.cors)
}

fn verbs_for_preflight(methods: &[&ApiMethod]) -> String {
    let mut verbs: Vec<&str> = Vec::new();
    for m in methods {
        if m.method == "ANY" {
            verbs.extend(["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"]);
        } else {
            verbs.push(&m.method);
        }
    }
    verbs.push("OPTIONS");
    verbs.sort_unstable();
    verbs.dedup();
    verbs.join(",")
}

async fn route(state: &AppState, req: Request) -> ApiReply {
    let config = &state.config;
    let Some(rel) = below_stage(req.uri().path(), &config.stage) else {
        return missing_token();
    };
    let segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let best = config
        .methods
        .iter()
        .filter_map(|m| match_template(&m.path, &segs).map(|(score, p)| (score, m, p)))
        .max_by_key(|(score, _, _)| *score);
    let Some((_, best_method, _)) = best else {
        return missing_token();
    };
    let resource = normalize_template(&best_method.path);
    let siblings: Vec<&ApiMethod> = config
        .methods
        .iter()
        .filter(|m| normalize_template(&m.path) == resource)
        .collect();
    let verb = req.method().as_str();
    let chosen = siblings
        .iter()
        .find(|m| m.method == verb)
        .or_else(|| siblings.iter().find(|m| m.method == "ANY"))
        .copied();
    let Some(method) = chosen else {
        if req.method() == Method::OPTIONS {
            if let Some(resp) = cors::api_preflight(
                config.cors,
                &verbs_for_preflight(&siblings),
                &config.cors_allow_headers,
            ) {
                return ApiReply::integration(resp);
            }
        }
        return missing_token();
    };
    let params = match_template(&method.path, &segs)
        .map(|(_, p)| p)
        .unwrap_or_default();
    let (parts, body) = req.into_parts();
    let body = match read_limited(&parts.headers, body, API_BODY_LIMIT).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return gateway::too_large(),
        Err(BodyError::Broken) => return gateway::bad_request(),
    };
    let verdict = match method.authorization {
        Authorization::CognitoUserPools => {
            authorize(&parts.headers, &state.keys, &state.issuer, method)
        }
        Authorization::Jwt => match config.jwt_authorizer(method) {
            Some(authorizer) => authorize_jwt(
                &parts.headers,
                &state.keys,
                &state.issuer,
                authorizer,
                method,
            ),
            // Validation guarantees the authorizer exists; refuse rather than let the call through.
            None => Err(Denied::Unauthorized),
        },
        Authorization::None => Ok(()),
    };
    if let Err(denied) = verdict {
        return denied.into();
    }
    if method.delay_ms > 0 {
        // A slow integration: after the authorizer, before the answer, as on AWS.
        tokio::time::sleep(std::time::Duration::from_millis(method.delay_ms)).await;
    }
    if state.api_failing() {
        // The integration is down: what a failing backend answers through the API.
        return ApiReply::integration(response(
            StatusCode::INTERNAL_SERVER_ERROR,
            JSON,
            message_json("Internal server error"),
        ));
    }
    integration(method, &params, &body)
}

fn integration(method: &ApiMethod, params: &Params, body: &Bytes) -> ApiReply {
    let status = StatusCode::from_u16(method.status).unwrap_or(StatusCode::OK);
    let text = if method.echo {
        if body.iter().all(u8::is_ascii_whitespace) {
            "{}".to_string()
        } else {
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(_) => String::from_utf8_lossy(body).into_owned(),
                // Like API Gateway's request validator (BAD_REQUEST_BODY Gateway Response).
                Err(_) => return gateway::invalid_body(),
            }
        }
    } else {
        let lookup = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        method
            .body
            .as_deref()
            .map(|b| substitute(b, &lookup))
            .unwrap_or_else(|| "{}".to_string())
    };
    ApiReply::integration(response(status, JSON, text))
}
