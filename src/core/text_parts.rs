//! A long text cut into consecutive parts the page can draw as separate elements, so the
//! browser lays out and paints only the parts on screen (CSS `content-visibility: auto`): a
//! 5 MB body shown whole is hundreds of thousands of lines.

/// Lines in a full part. The stylesheet's `.body-part` height estimate uses the same number.
pub const PART_LINES: usize = 500;

/// Bytes in a part at most (a body with few line breaks, like raw minified JSON, is still cut).
pub const PART_BYTES: usize = 32 * 1024;

/// `text` in consecutive parts: each ends after its `max_lines`-th line break or before it
/// would pass `max_bytes` (on a character boundary), whichever comes first. Joined, they are
/// `text`; none is empty.
pub fn split_parts(text: &str, max_lines: usize, max_bytes: usize) -> Vec<&str> {
    let max_lines = max_lines.max(1);
    let max_bytes = max_bytes.max(4); // room for any one character
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let window = floor_boundary(rest, max_bytes);
        let end = window
            .match_indices('\n')
            .nth(max_lines - 1)
            .map_or(window.len(), |(at, _)| at + 1);
        let (part, next) = rest.split_at(end);
        parts.push(part);
        rest = next;
    }
    parts
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn floor_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let end = (0..=max)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_join_to_the_text() {
        let text = "a\nbb\nccc\ndddd\n\ne";
        let parts = split_parts(text, 2, 1000);
        assert_eq!(parts, ["a\nbb\n", "ccc\ndddd\n", "\ne"]);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn a_text_without_line_breaks_is_cut_by_size_on_character_boundaries() {
        let text = "é".repeat(10); // 20 bytes
        let parts = split_parts(&text, 100, 5);
        assert_eq!(parts, ["éé", "éé", "éé", "éé", "éé"]);
        let mixed = "a😀b😀c";
        let parts = split_parts(mixed, 100, 4);
        assert_eq!(parts.concat(), mixed);
        assert!(parts.iter().all(|p| !p.is_empty() && p.len() <= 4));
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(split_parts("one line", 500, 1024), ["one line"]);
        assert_eq!(split_parts("a\n", 1, 1024), ["a\n"]);
        assert!(split_parts("", 500, 1024).is_empty());
        // Degenerate limits still make progress.
        assert_eq!(split_parts("ab\ncd", 0, 0).concat(), "ab\ncd");
    }
}
