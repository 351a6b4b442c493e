//! Text shaped like a JSON Web Token — a signed (JWS) or encrypted (JWE) token in compact form:
//! base64url parts joined by dots, the first one a JSON object, so it starts with `eyJ`. Profiles,
//! share links and the tab's kept form never hold one, whether the tab has seen that token or not:
//! a token pasted into the API URL from elsewhere is as much a secret as one this tab received.

use std::ops::Range;

use crate::core::mask::REDACTED;

/// The byte ranges of the token-shaped runs in `text`: `eyJ` at the start of a word, then
/// base64url characters and dots, with at least two dots inside (a JWS has two, a JWE four, one
/// of its parts possibly empty). A dot that ends the run (a sentence's full stop) is not part of it.
pub fn token_spans(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("eyJ")) {
        let start = from + found;
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| is_base64url(*b) || *b == b'.')
        {
            end += 1;
        }
        while end > start && bytes.get(end - 1) == Some(&b'.') {
            end -= 1;
        }
        let inside_a_word = start
            .checked_sub(1)
            .and_then(|before| bytes.get(before))
            .is_some_and(|b| is_base64url(*b) || *b == b'.');
        let dots = bytes
            .get(start..end)
            .map_or(0, |run| run.iter().filter(|b| **b == b'.').count());
        if !inside_a_word && dots >= 2 {
            spans.push(start..end);
        }
        from = end.max(start + 3);
    }
    spans
}

/// True when `text` holds a token-shaped run.
pub fn has_token_shape(text: &str) -> bool {
    !token_spans(text).is_empty()
}

/// `text` with every token-shaped run replaced by the mask mark.
pub fn mask_token_shapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for span in token_spans(text) {
        out.push_str(text.get(last..span.start).unwrap_or_default());
        out.push_str(REDACTED);
        last = span.end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWS: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    #[test]
    fn signed_and_encrypted_tokens_are_found_wherever_they_sit() {
        for (text, masked) in [
            (JWS.to_owned(), REDACTED.to_owned()),
            (
                format!("https://api.example.com/dev?access_token={JWS}&x=1"),
                format!("https://api.example.com/dev?access_token={REDACTED}&x=1"),
            ),
            (
                format!("Authorization: Bearer {JWS}."),
                format!("Authorization: Bearer {REDACTED}."),
            ),
            // A JWE (Cognito's refresh token) with its empty key part.
            (
                "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn".to_owned(),
                REDACTED.to_owned(),
            ),
            (
                format!("{{\"api_body\":\"{{\\\"t\\\":\\\"{JWS}\\\"}}\"}}"),
                format!("{{\"api_body\":\"{{\\\"t\\\":\\\"{REDACTED}\\\"}}\"}}"),
            ),
        ] {
            assert!(has_token_shape(&text), "{text}");
            assert_eq!(mask_token_shapes(&text), masked);
        }
    }

    #[test]
    fn text_that_only_looks_a_little_like_a_token_is_left_alone() {
        for text in [
            "",
            "eyJ",
            "eyJhbGciOiJSUzI1NiJ9",
            "eyJhbGciOiJSUzI1NiJ9.onlyonedot",
            "eyJhbGciOiJSUzI1NiJ9.two.",
            "abceyJhbGc.eyJ.c2ln",
            "https://api.example.com/dev/pets?type=bird",
            "status 200\njson $.items[0].id exists",
        ] {
            assert!(!has_token_shape(text), "{text}");
            assert_eq!(mask_token_shapes(text), text);
        }
    }
}
