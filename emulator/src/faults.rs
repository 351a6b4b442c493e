//! `/faults/...`: deliberately awkward responses for testing the tool's error handling. No token needed;
//! they count as integration responses for CORS.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use futures_util::stream;

use crate::cors;
use crate::gateway::{missing_token, ApiReply, JSON};
use crate::respond::{empty, response};
use crate::state::AppState;
use crate::token::MAX_DELAY_MS;

/// Largest `/faults/big/{mb}`.
pub const MAX_BIG_MB: u64 = 50;
/// Bytes `/faults/close-mid-body` declares in Content-Length.
pub const CLOSE_MID_BODY_DECLARED: usize = 4096;

/// The XSS probes `/faults/xss` carries.
pub const XSS_PROBES: [&str; 4] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "&lt;b&gt;",
];

fn message(status: StatusCode, text: &str) -> ApiReply {
    ApiReply::integration(response(
        status,
        JSON,
        serde_json::json!({ "message": text }).to_string(),
    ))
}

pub(crate) async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    route(&state, req).await.finish(state.config.cors)
}

async fn route(state: &AppState, req: Request) -> ApiReply {
    let path = req.uri().path().to_string();
    let rest = path.strip_prefix("/faults/").unwrap_or("");
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let known = matches!(
        segs.as_slice(),
        ["delay", _]
            | ["status", _]
            | ["big", _]
            | ["html"]
            | ["truncated-json"]
            | ["xss"]
            | ["invalid-utf8"]
            | ["close-mid-body"]
    );
    if !known {
        return missing_token();
    }
    let method = req.method();
    if method == Method::OPTIONS {
        return match cors::api_preflight(
            state.config.cors,
            "GET,OPTIONS",
            &state.config.cors_allow_headers,
        ) {
            Some(resp) => ApiReply::integration(resp),
            None => missing_token(),
        };
    }
    if method != Method::GET && method != Method::HEAD {
        return missing_token();
    }
    match segs.as_slice() {
        ["delay", ms] => delay(ms).await,
        ["status", code] => status(code),
        ["big", mb] => big(mb),
        ["html"] => ApiReply::integration(response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/html; charset=utf-8",
            "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n\
             <body><h1>Internal Server Error</h1><p>The upstream server returned an HTML error page.</p></body></html>\n",
        )),
        ["truncated-json"] => ApiReply::integration(response(
            StatusCode::OK,
            JSON,
            r#"{"pets":[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"ca"#,
        )),
        ["xss"] => xss(),
        ["invalid-utf8"] => {
            let mut body = br#"{"text":"bad bytes: "#.to_vec();
            body.extend_from_slice(&[0xFF, 0xFE]);
            body.extend_from_slice(br#""}"#);
            ApiReply::integration(response(StatusCode::OK, "application/json;charset=utf-8", body))
        }
        ["close-mid-body"] => close_mid_body(),
        _ => missing_token(),
    }
}

async fn delay(ms: &str) -> ApiReply {
    let Ok(ms) = ms.parse::<u64>() else {
        return message(
            StatusCode::BAD_REQUEST,
            "delay must be a whole number of milliseconds",
        );
    };
    let ms = ms.min(MAX_DELAY_MS);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    ApiReply::integration(response(
        StatusCode::OK,
        JSON,
        serde_json::json!({ "delayed_ms": ms }).to_string(),
    ))
}

fn status(code: &str) -> ApiReply {
    let Some(status) = code
        .parse::<u16>()
        .ok()
        .filter(|c| (200..=599).contains(c))
        .and_then(|c| StatusCode::from_u16(c).ok())
    else {
        return message(
            StatusCode::BAD_REQUEST,
            "status must be a number from 200 to 599",
        );
    };
    if matches!(status.as_u16(), 204 | 205 | 304) {
        // These statuses carry no body.
        return ApiReply::integration(empty(status));
    }
    let text = match status.canonical_reason() {
        Some(reason) => format!("Emulated {} {}", status.as_u16(), reason),
        None => format!("Emulated status {}", status.as_u16()),
    };
    message(status, &text)
}

/// One element of `/faults/big`, about 100 bytes.
fn big_item(i: u64) -> String {
    format!(
        r#"{{"id":{i},"type":"dog","price":249.99,"note":"padding padding padding padding padding padding"}}"#
    )
}

fn big(mb: &str) -> ApiReply {
    let Ok(mb) = mb.parse::<u64>() else {
        return message(
            StatusCode::BAD_REQUEST,
            "size must be a whole number of megabytes",
        );
    };
    let budget = mb.min(MAX_BIG_MB) * 1024 * 1024;
    const CHUNK: usize = 64 * 1024;
    // State: (next item id, bytes sent, finished). Lazily produced: the body never sits in memory.
    // Items are added while they fit in the budget (less the closing bracket).
    let chunks = stream::unfold(
        (0u64, 0u64, false),
        move |(mut next, mut sent, done)| async move {
            if done {
                return None;
            }
            let mut s = String::with_capacity(CHUNK + 128);
            if next == 0 && sent == 0 {
                s.push('[');
            }
            loop {
                let item = big_item(next);
                let comma = u64::from(next > 0);
                let need = comma + item.len() as u64;
                if sent + s.len() as u64 + need + 1 > budget {
                    s.push(']');
                    return Some((Ok::<Bytes, Infallible>(Bytes::from(s)), (next, sent, true)));
                }
                if next > 0 {
                    s.push(',');
                }
                s.push_str(&item);
                next += 1;
                if s.len() >= CHUNK {
                    sent += s.len() as u64;
                    return Some((Ok(Bytes::from(s)), (next, sent, false)));
                }
            }
        },
    );
    ApiReply::integration(response(StatusCode::OK, JSON, Body::from_stream(chunks)))
}

fn xss() -> ApiReply {
    let [script, img, js, entity] = XSS_PROBES;
    let body = serde_json::json!({
        "name": script,
        "description": img,
        "link": js,
        "escaped": entity,
        "items": [script, img, js, entity],
        "nested": { script: img },
    });
    let mut reply = ApiReply::integration(response(StatusCode::OK, JSON, body.to_string()));
    reply.resp.headers_mut().insert(
        "x-xss-probe",
        HeaderValue::from_static("<script>alert(1)</script>"),
    );
    reply.expose = Some("x-xss-probe");
    reply
}

fn close_mid_body() -> ApiReply {
    let part = Bytes::from_static(br#"{"pets":[{"id":1,"type":"dog","price":249.99},"#);
    // First a chunk, then (after it had time to leave) an error: the server drops the connection
    // before the declared length is reached.
    let chunks = stream::unfold(0u8, move |step| {
        let part = part.clone();
        async move {
            match step {
                0 => Some((Ok(part), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "emulated connection drop",
                        )),
                        2,
                    ))
                }
                _ => None,
            }
        }
    });
    let mut resp = response(StatusCode::OK, JSON, Body::from_stream(chunks));
    resp.headers_mut().insert(
        axum::http::header::CONTENT_LENGTH,
        HeaderValue::from(CLOSE_MID_BODY_DECLARED),
    );
    ApiReply::integration(resp)
}
