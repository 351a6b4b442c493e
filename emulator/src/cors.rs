//! CORS headers: always open on the Cognito side, per [`CorsMode`] on the API side.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

use crate::config::CorsMode;
use crate::respond::{empty, set_header};

/// Headers the API lets the page read (non-safelisted response headers need this).
pub(crate) const EXPOSE_HEADERS: &str = "date, x-amzn-requestid, x-amzn-errortype, content-length";

/// Who produced an API response, which decides whether `success-only` adds CORS headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The method's integration (2xx, an integration's 500, fault routes).
    Integration,
    /// A Gateway Response: the authorizer's 401, 403 Missing Authentication Token, 413.
    Gateway,
}

/// `Access-Control-Allow-Origin: *`.
pub(crate) fn allow_any_origin(headers: &mut HeaderMap) {
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
}

/// Every answer of Cognito's OAuth endpoints (token, userInfo, revoke): the docs promise
/// `Access-Control-Allow-Origin: *`, and each carries a request id.
pub(crate) async fn oauth_answer(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    allow_any_origin(h);
    set_header(h, "x-amz-cognito-request-id", &crate::respond::request_id());
    resp
}

/// A preflight answer: 204 allowing these methods and request headers. Cognito's preflight
/// handling is undocumented; this is what a browser needs.
pub(crate) fn preflight_answer(methods: &'static str, headers: &'static str) -> Response {
    let mut resp = empty(StatusCode::NO_CONTENT);
    let h = resp.headers_mut();
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static(methods),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(headers),
    );
    resp
}

/// Whether an API response from `origin` carries CORS headers in `mode`.
pub(crate) fn api_applies(mode: CorsMode, origin: Origin) -> bool {
    match mode {
        CorsMode::Full => true,
        CorsMode::None => false,
        CorsMode::SuccessOnly => origin == Origin::Integration,
    }
}

/// Adds the API's CORS response headers when `mode` says so.
pub(crate) fn apply_api(
    mode: CorsMode,
    origin: Origin,
    headers: &mut HeaderMap,
    extra_expose: Option<&str>,
) {
    if !api_applies(mode, origin) {
        return;
    }
    allow_any_origin(headers);
    match extra_expose {
        Some(extra) => set_header(
            headers,
            "access-control-expose-headers",
            &format!("{EXPOSE_HEADERS}, {extra}"),
        ),
        None => {
            headers.insert(
                "access-control-expose-headers",
                HeaderValue::from_static(EXPOSE_HEADERS),
            );
        }
    }
}

/// The API's answer to a preflight (like API Gateway's mock OPTIONS method, no authorizer), or
/// `None` when the mode has no OPTIONS method (the caller then answers 403). Like the mock, it answers
/// the configured `allow_headers` whatever the preflight asks for.
pub(crate) fn api_preflight(
    mode: CorsMode,
    methods: &str,
    allow_headers: &[String],
) -> Option<Response> {
    if mode == CorsMode::None {
        return None;
    }
    let mut resp = empty(StatusCode::OK);
    let h = resp.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    allow_any_origin(h);
    set_header(h, "access-control-allow-methods", methods);
    set_header(h, "access-control-allow-headers", &allow_headers.join(","));
    h.insert(
        "access-control-expose-headers",
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    Some(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_only_skips_gateway_responses() {
        assert!(api_applies(CorsMode::SuccessOnly, Origin::Integration));
        assert!(!api_applies(CorsMode::SuccessOnly, Origin::Gateway));
        assert!(!api_applies(CorsMode::None, Origin::Integration));
        assert!(api_applies(CorsMode::Full, Origin::Gateway));
    }
}
