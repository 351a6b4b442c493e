//! The static site listener: serves a folder (the built app) with the right content types.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;

use crate::respond::{response, set_header};

const TEXT: &str = "text/plain; charset=utf-8";

/// The content type for a file name (by extension); `.wasm` must be `application/wasm` for streaming
/// compilation.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" => TEXT,
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

struct Site {
    root: PathBuf,
}

pub(crate) fn router(root: PathBuf) -> Router {
    Router::new()
        .fallback(serve)
        .with_state(Arc::new(Site { root }))
}

fn text(status: StatusCode, body: &'static str) -> Response {
    response(status, TEXT, body)
}

/// The decoded relative path, or `None` if it tries to leave the folder (`..`, absolute parts,
/// backslashes, NUL) or is not UTF-8.
pub(crate) fn safe_relative(uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(uri_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut out = PathBuf::new();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        let mut comps = Path::new(seg).components();
        match (comps.next(), comps.next()) {
            (Some(Component::Normal(c)), None) => out.push(c),
            (Some(Component::CurDir), None) => {}
            _ => return None,
        }
    }
    Some(out)
}

async fn serve(State(site): State<Arc<Site>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut resp = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
        set_header(resp.headers_mut(), "allow", "GET, HEAD");
        return resp;
    }
    let Some(rel) = safe_relative(req.uri().path()) else {
        return text(StatusCode::FORBIDDEN, "path traversal refused\n");
    };
    let mut path = site.root.join(rel);
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    // Symlinks must not lead outside the folder either.
    let (Ok(root), Ok(real)) = (
        tokio::fs::canonicalize(&site.root).await,
        tokio::fs::canonicalize(&path).await,
    ) else {
        return text(StatusCode::NOT_FOUND, "not found\n");
    };
    if !real.starts_with(&root) {
        return text(StatusCode::FORBIDDEN, "path traversal refused\n");
    }
    match tokio::fs::read(&real).await {
        Ok(bytes) => {
            let mut resp = response(StatusCode::OK, content_type(&real), bytes);
            resp.headers_mut()
                .insert("cache-control", HeaderValue::from_static("no-cache"));
            resp
        }
        Err(_) => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(safe_relative("/a/b.js"), Some(PathBuf::from("a/b.js")));
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative("/./a"), Some(PathBuf::from("a")));
        assert!(safe_relative("/../etc/passwd").is_none());
        assert!(safe_relative("/%2e%2e/x").is_none());
        assert!(safe_relative("/a/%2e%2e%2f%2e%2e/x").is_none());
        assert!(safe_relative("/a\\..\\x").is_none());
        assert!(safe_relative("/%ff").is_none());
    }

    #[test]
    fn wasm_and_js_types() {
        assert_eq!(content_type(Path::new("app_bg.wasm")), "application/wasm");
        assert!(content_type(Path::new("app.js")).starts_with("text/javascript"));
        assert!(content_type(Path::new("INDEX.HTML")).starts_with("text/html"));
    }
}
