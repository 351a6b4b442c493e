//! RFC 6901 JSON pointers: `/0/type`, with `~1` for `/` and `~0` for `~`; empty for the whole body.

use std::fmt;

use serde_json::Value;

use super::kind;

/// Why a text is not an RFC 6901 JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PointerProblem {
    NoLeadingSlash,
    /// `~` not followed by `0` or `1`; the position counts characters from 1.
    BadEscape {
        position: usize,
    },
}

impl fmt::Display for PointerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointerProblem::NoLeadingSlash => f.write_str(
                "a JSON pointer starts with \"/\" (e.g. /0/type), or is empty for the whole body",
            ),
            PointerProblem::BadEscape { position } => write!(
                f,
                "the \"~\" at character {position} must be followed by 0 (meaning ~) or 1 (meaning /)"
            ),
        }
    }
}

/// Splits a pointer into its reference tokens, unescaping `~1` to `/` and `~0` to `~`.
pub fn parse_pointer(pointer: &str) -> Result<Vec<String>, PointerProblem> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(PointerProblem::NoLeadingSlash);
    };
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = rest.chars().enumerate();
    while let Some((index, c)) = chars.next() {
        match c {
            '/' => tokens.push(std::mem::take(&mut current)),
            '~' => match chars.next() {
                Some((_, '0')) => current.push('~'),
                Some((_, '1')) => current.push('/'),
                // +2: one for the leading slash, one to count from 1.
                _ => {
                    return Err(PointerProblem::BadEscape {
                        position: index + 2,
                    })
                }
            },
            c => current.push(c),
        }
    }
    tokens.push(current);
    Ok(tokens)
}

/// A token written back as it appears in a pointer.
fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Follows the tokens; on failure says where it stopped, e.g. `/0 has no key "type"`.
pub(super) fn resolve<'v>(document: &'v Value, tokens: &[String]) -> Result<&'v Value, String> {
    let mut current = document;
    let mut location = String::new();
    for token in tokens {
        let here = if location.is_empty() {
            "the body".to_owned()
        } else {
            location.clone()
        };
        current = match current {
            Value::Object(map) => map
                .get(token)
                .ok_or_else(|| format!("{here} has no key \"{token}\""))?,
            Value::Array(items) => {
                let index = array_index(token).ok_or_else(|| {
                    format!("{here} is an array, and \"{token}\" is not an index")
                })?;
                items.get(index).ok_or_else(|| {
                    format!("{here} has no element {index} (array of {})", items.len())
                })?
            }
            scalar => {
                return Err(format!(
                    "{here} is {}, not an array or object",
                    kind(scalar)
                ))
            }
        };
        location.push('/');
        location.push_str(&escape_token(token));
    }
    Ok(current)
}

/// RFC 6901 array indexes: `0` or digits without a leading zero (`-`, past the end, never exists).
fn array_index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}
