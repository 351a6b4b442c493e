//! What the exchange panel shows of one raw HTTP exchange, as the panel's toggles say: the
//! summary, the proxy's real target, the request, the curl command and the response, each masked
//! unless Reveal is on. Pure, so every text the panel can show is tested natively.

use std::sync::Arc;

use crate::core::exchange::{
    body_preview, curl_command, format_elapsed, format_size, redact_request, request_text,
    response_head_text, Exchange, Masker,
};
use crate::core::run::{masked_curl, SecretBook};

/// Characters of a body shown before "Show all": enough for any token response or
/// a normal API answer, small enough to render instantly.
pub const BODY_PREVIEW_CHARS: usize = 20_000;

/// What the panel shows of one exchange, masked as the toggles say: worked out once per change
/// of the exchange, the book or a toggle, and compared, so a redraw touches only what differs.
#[derive(Clone, PartialEq)]
pub struct Shown {
    pub summary: String,
    /// The real target when the request went through this page's proxy route.
    pub via: Option<String>,
    pub request: String,
    pub curl: String,
    pub curl_secrets: bool,
    pub response: Option<ShownResponse>,
}

#[derive(Clone, PartialEq)]
pub struct ShownResponse {
    pub head: String,
    /// Shared by the memo and the drawn parts: with Show all it can be megabytes.
    pub body: Arc<str>,
    pub not_utf8: bool,
    pub empty: bool,
    /// The body's size when only its start is shown.
    pub cut: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Toggles {
    pub reveal: bool,
    pub raw: bool,
    pub curl_secrets: bool,
    pub show_all: bool,
}

/// The panel's texts for one exchange; `proxied_target` is the real address when it went through
/// this page's proxy route (shown, and used by the curl command).
pub fn shown_of(
    ex: &Exchange,
    proxied_target: Option<String>,
    toggles: Toggles,
    book: &SecretBook,
) -> Shown {
    let nothing = Masker::default();
    let masker = if toggles.reveal {
        &nothing
    } else {
        book.masker()
    };
    let request = if toggles.reveal {
        ex.request.clone()
    } else {
        redact_request(&ex.request, masker)
    };
    let summary = match &ex.response {
        Some(r) => format!(
            "{} {} → {} {} · {} · {}",
            ex.request.method,
            request.url,
            r.status,
            r.status_text,
            format_elapsed(ex.elapsed_ms),
            format_size(r.size_bytes)
        ),
        None => format!(
            "{} {} → no response · {}",
            ex.request.method,
            request.url,
            format_elapsed(ex.elapsed_ms)
        ),
    };
    // curl repeats the request against the real target, not this page's proxy route.
    let curl = {
        let mut req = ex.request.clone();
        if let Some(target) = &proxied_target {
            req.url = target.clone();
        }
        if toggles.curl_secrets {
            curl_command(&req)
        } else {
            masked_curl(&req, book)
        }
    };
    let response = ex.response.as_ref().map(|r| {
        // Only the preview is indented and masked: a 5 MB body must not stall the page.
        let limit = (!toggles.show_all).then_some(BODY_PREVIEW_CHARS);
        let preview = body_preview(&r.body, toggles.raw, masker, limit);
        ShownResponse {
            head: masker.redact(&response_head_text(r)),
            body: preview.text.into(),
            not_utf8: !r.body_was_utf8,
            empty: r.body.is_empty(),
            cut: preview.cut.then(|| format_size(r.size_bytes)),
        }
    });
    Shown {
        summary,
        via: proxied_target.map(|t| masker.redact(&t)),
        request: request_text(&request),
        curl,
        curl_secrets: toggles.curl_secrets,
        response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::exchange::{RecordedRequest, RecordedResponse};

    const TOKEN: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz";

    fn proxied() -> Exchange {
        Exchange {
            request: RecordedRequest {
                method: "GET".into(),
                url: format!("/proxy/api/dev/pets?access_token={TOKEN}"),
                headers: vec![("Authorization".into(), format!("Bearer {TOKEN}"))],
                body: None,
            },
            response: Some(RecordedResponse {
                status: 200,
                status_text: "OK".into(),
                headers: vec![],
                body: format!("{{\"echo\":\"{TOKEN}\"}}"),
                size_bytes: 90,
                body_was_utf8: true,
            }),
            elapsed_ms: 12.0,
            started_at_unix_ms: 0.0,
        }
    }

    fn toggles(reveal: bool) -> Toggles {
        Toggles {
            reveal,
            raw: false,
            curl_secrets: false,
            show_all: false,
        }
    }

    /// The "forwards it to …" line printed the API URL as typed, a token in its query included,
    /// while every other text of the panel masked it.
    #[test]
    fn every_text_of_a_proxied_exchange_is_masked_the_proxy_target_too() {
        let mut book = SecretBook::new();
        book.add_token(TOKEN);
        let target = Some(format!(
            "https://abc.execute-api.us-east-1.amazonaws.com/dev/pets?access_token={TOKEN}"
        ));
        let shown = shown_of(&proxied(), target.clone(), toggles(false), &book);
        let response = shown.response.as_ref().unwrap();
        for (part, text) in [
            ("summary", shown.summary.as_str()),
            ("via", shown.via.as_deref().unwrap()),
            ("request", shown.request.as_str()),
            ("curl", shown.curl.as_str()),
            ("response head", response.head.as_str()),
            ("body", &response.body),
        ] {
            assert!(!text.contains("c2lnbmF0dXJl"), "{part}: {text}");
        }
        assert!(shown
            .via
            .as_deref()
            .unwrap()
            .starts_with("https://abc.execute-api"));
        assert!(
            shown.curl.contains("https://abc.execute-api"),
            "{}",
            shown.curl
        );

        // Reveal secrets shows them, the real target included.
        let revealed = shown_of(&proxied(), target, toggles(true), &book);
        assert!(revealed.via.unwrap().contains(TOKEN));
        assert!(revealed.request.contains(TOKEN));
    }
}
