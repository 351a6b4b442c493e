//! The emulated API Gateway REST API stage: routing, the authorizer's answers and mock integrations.

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::authorizer::{authorize, Denied};
use crate::config::{normalize_template, substitute, ApiMethod, Authorization};
use crate::cors::{self, Origin};
use crate::respond::{read_limited, request_id, response, set_header, BodyError};
use crate::state::AppState;

/// Largest API request body accepted (API Gateway's own limit is 10 MB; 1 MiB is plenty here).
pub const API_BODY_LIMIT: usize = 1024 * 1024;

const JSON: &str = "application/json";

/// A response and who produced it (decides CORS in `success-only` mode).
pub(crate) struct ApiReply {
    pub(crate) resp: Response,
    pub(crate) origin: Origin,
    /// Extra header names for `Access-Control-Expose-Headers`.
    pub(crate) expose: Option<&'static str>,
}

impl ApiReply {
    pub(crate) fn integration(resp: Response) -> Self {
        ApiReply {
            resp,
            origin: Origin::Integration,
            expose: None,
        }
    }
}

fn message_json(message: &str) -> String {
    serde_json::json!({ "message": message }).to_string()
}

/// A Gateway Response (no integration ran): `{"message": ...}` plus `x-amzn-ErrorType`.
pub(crate) fn gateway(status: StatusCode, message: &str, error_type: Option<&str>) -> ApiReply {
    let mut resp = response(status, JSON, message_json(message));
    if let Some(t) = error_type {
        set_header(resp.headers_mut(), "x-amzn-errortype", t);
    }
    ApiReply {
        resp,
        origin: Origin::Gateway,
        expose: None,
    }
}

/// 403 `{"message":"Missing Authentication Token"}`: API Gateway's answer to an unknown path or method.
pub(crate) fn missing_token() -> ApiReply {
    gateway(
        StatusCode::FORBIDDEN,
        "Missing Authentication Token",
        Some("MissingAuthenticationTokenException"),
    )
}

/// Adds `x-amzn-RequestId` and the CORS headers the mode calls for.
pub(crate) fn finish(state: &AppState, reply: ApiReply) -> Response {
    let ApiReply {
        mut resp,
        origin,
        expose,
    } = reply;
    let h = resp.headers_mut();
    set_header(h, "x-amzn-requestid", &request_id());
    cors::apply_api(state.config.cors, origin, h, expose);
    resp
}

pub(crate) async fn handle(state: &AppState, req: Request) -> Response {
    let reply = route(state, req).await;
    finish(state, reply)
}

/// The path below the stage (`/` for the stage itself), or `None` when the path is not in the stage.
fn below_stage<'a>(path: &'a str, stage: &str) -> Option<&'a str> {
    let rest = path.strip_prefix('/')?.strip_prefix(stage)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

fn decode_segment(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

type Params = Vec<(String, String)>;

/// Matches a template against path segments: a score (literals weigh most) and the parameters.
fn match_template(template: &str, segs: &[&str]) -> Option<(usize, Params)> {
    let tsegs: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    let mut params = Vec::new();
    let mut score = 0usize;
    let mut i = 0usize;
    for t in &tsegs {
        if let Some(name) = t.strip_prefix('{').and_then(|s| s.strip_suffix("+}")) {
            let rest = segs.get(i..).filter(|r| !r.is_empty())?;
            let value: Vec<String> = rest.iter().map(|s| decode_segment(s)).collect();
            params.push((name.to_string(), value.join("/")));
            return Some((score, params));
        }
        let seg = segs.get(i)?;
        if let Some(name) = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            params.push((name.to_string(), decode_segment(seg)));
            score += 1;
        } else if t == seg {
            score += 3;
        } else {
            return None;
        }
        i += 1;
    }
    (i == segs.len()).then_some((score, params))
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
            if let Some(resp) =
                cors::api_preflight(config.cors, &verbs_for_preflight(&siblings), req.headers())
            {
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
        // API Gateway's REQUEST_TOO_LARGE Gateway Response.
        Err(BodyError::TooLarge) => {
            return gateway(StatusCode::PAYLOAD_TOO_LARGE, "Request Too Long", None)
        }
        Err(BodyError::Broken) => return gateway(StatusCode::BAD_REQUEST, "Bad Request", None),
    };
    if method.authorization == Authorization::CognitoUserPools {
        match authorize(&parts.headers, &state.keys, &state.issuer, method) {
            Ok(()) => {}
            Err(Denied::Unauthorized) => {
                return gateway(
                    StatusCode::UNAUTHORIZED,
                    "Unauthorized",
                    Some("UnauthorizedException"),
                )
            }
            Err(Denied::Expired) => {
                return gateway(
                    StatusCode::UNAUTHORIZED,
                    "The incoming token has expired",
                    Some("UnauthorizedException"),
                )
            }
        }
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
                Err(_) => return gateway(StatusCode::BAD_REQUEST, "Invalid request body", None),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_by_specificity() {
        assert_eq!(match_template("/", &[]).map(|m| m.0), Some(0));
        assert!(match_template("/", &["pets"]).is_none());
        let (score, params) = match_template("/pets/{id}", &["pets", "a%20b"]).unwrap();
        assert_eq!(score, 4);
        assert_eq!(params, vec![("id".to_string(), "a b".to_string())]);
        assert!(match_template("/pets/{id}", &["pets"]).is_none());
        let (_, p) = match_template("/files/{path+}", &["files", "a", "b"]).unwrap();
        assert_eq!(p[0].1, "a/b");
        assert!(match_template("/files/{path+}", &["files"]).is_none());
    }

    #[test]
    fn stage_prefix_must_be_a_whole_segment() {
        assert_eq!(below_stage("/dev", "dev"), Some("/"));
        assert_eq!(below_stage("/dev/pets", "dev"), Some("/pets"));
        assert_eq!(below_stage("/development", "dev"), None);
        assert_eq!(below_stage("/prod/pets", "dev"), None);
    }
}
