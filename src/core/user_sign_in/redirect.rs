//! The page's address after managed login sends the browser back: `?code=..&state=..`, or
//! `?error=..&error_description=..&state=..`.

use crate::core::run::Secret;

/// What the address bar's query says about a sign-in.
pub enum Redirect {
    /// No sign-in parameters: an ordinary page load.
    None,
    /// A code came back; `state` must equal the one the page sent.
    Code { code: Secret, state: Option<String> },
    /// Managed login refused (`error`, `error_description`).
    Error {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

/// Reads `code`, `state`, `error` and `error_description` from a query (with or without `?`).
pub fn parse_redirect(query: &str) -> Redirect {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match k.as_ref() {
            "code" => &mut code,
            "state" => &mut state,
            "error" => &mut error,
            "error_description" => &mut description,
            _ => continue,
        };
        // The first value counts; a repeated parameter does not overwrite it.
        if slot.is_none() {
            *slot = Some(v.into_owned());
        }
    }
    match (error, code) {
        (Some(error), _) => Redirect::Error {
            error,
            description: description.filter(|d| !d.trim().is_empty()),
            state,
        },
        (None, Some(code)) if !code.is_empty() => Redirect::Code {
            code: Secret::new(code),
            state,
        },
        _ => Redirect::None,
    }
}

/// The URL without the sign-in parameters (for `history.replaceState`): the code must not stay
/// in the address bar, the history or a copied link. Other parameters and the fragment stay.
pub fn strip_redirect_params(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, q),
        None => return url.to_owned(),
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !matches!(k.as_ref(), "code" | "state" | "error" | "error_description"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = path.to_owned();
    if !kept.is_empty() {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            ser.append_pair(k, v);
        }
        out.push('?');
        out.push_str(&ser.finish());
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}
