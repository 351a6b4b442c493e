//! Finding secrets in text: every form a secret takes there (as typed, form- and
//! percent-encoded, with lower-case escapes, JSON-escaped), compiled once and found in one pass.
//!
//! The tab's book only grows (every token of every run), and masking runs on every panel
//! redraw: scanning the text once per form made each Run slower than the last. Here each text
//! position costs one bit test (the form's first two bytes) unless a form may start there.

/// How a secret appeared in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Which secret (its index as pushed).
    pub index: usize,
    /// True when it appeared encoded (percent-, form- or JSON-escaped), not as typed.
    pub encoded: bool,
}

/// What a masked secret shows as.
pub const REDACTED: &str = "••••••";

/// Bits for every possible pair of first bytes.
const PAIR_WORDS: usize = 65_536 / 64;

/// Secrets compiled for finding.
#[derive(Clone, Default)]
pub struct Masker {
    /// Each distinct form with the secret it belongs to.
    forms: Vec<(String, Found)>,
    /// The forms' hashes (`knows`).
    hashes: Seen,
    /// (first four bytes, form index), sorted: the forms that may start at a position.
    by_head: Vec<(u32, usize)>,
    /// Forms shorter than four bytes, tried at every position (the book never has any).
    short: Vec<usize>,
    /// One bit per pair of first bytes of a form of four bytes or more.
    pairs: Vec<u64>,
}

/// The hashes of the texts seen, sorted: a text whose hash is not there is surely new, found
/// without comparing it with every text before it (a tab that has received a thousand tokens).
/// A sorted list and rustc-hash's Fx hash (already in the tree through Leptos): std's HashSet
/// and SipHash cost 1.3 KB more gzip in the first load.
#[derive(Clone, Default)]
pub struct Seen(Vec<u64>);

impl Seen {
    /// False: never inserted. True: maybe (compare to be sure).
    pub fn may_hold(&self, text: &str) -> bool {
        self.0.binary_search(&hash_of(text)).is_ok()
    }

    pub fn insert(&mut self, text: &str) {
        let hash = hash_of(text);
        if let Err(at) = self.0.binary_search(&hash) {
            self.0.insert(at, hash);
        }
    }
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    std::hash::Hasher::write(&mut hasher, text.as_bytes());
    std::hash::Hasher::finish(&hasher)
}

fn pair(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [a, b, ..] => Some(usize::from(*a) | usize::from(*b) << 8),
        _ => None,
    }
}

fn head(bytes: &[u8]) -> Option<u32> {
    match bytes {
        [a, b, c, d, ..] => Some(u32::from_le_bytes([*a, *b, *c, *d])),
        _ => None,
    }
}

impl Masker {
    pub fn new(secrets: &[&str]) -> Self {
        let mut masker = Self::default();
        for (index, secret) in secrets.iter().enumerate() {
            masker.push(index, secret);
        }
        masker
    }

    /// Adds a secret's forms (nothing for an empty one).
    pub fn push(&mut self, index: usize, secret: &str) {
        if secret.is_empty() {
            return;
        }
        // Tokens and their signatures (base64url and dots) read the same in every form below:
        // one form, without working out five copies of a kilobyte on every token a run receives.
        if secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            if !self.knows(secret) {
                let found = Found {
                    index,
                    encoded: false,
                };
                self.add(secret.to_owned(), found);
            }
            return;
        }
        let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = form.replace('+', "%20");
        let lower = lower_percent_escapes(&percent);
        // Inside a JSON string (an error echoing the request): `"`, `\` and control characters
        // escaped, and `/` as `\/` as some servers (PHP's json_encode) write it — a Basic
        // credential is base64 and can hold `/`.
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json
            .strip_prefix('"')
            .and_then(|j| j.strip_suffix('"'))
            .unwrap_or_default()
            .to_owned();
        let json_slash = json.replace('/', "\\/");
        // Servers' JSON writers escape more than serde does, each its own way: .NET's default
        // encoder `+<>&'"` and every non-ASCII character in upper-case hex, Go's `<>&` in lower
        // case, Python's ensure_ascii every non-ASCII character in lower case.
        let dotnet = json_escaped(secret, true, |c| {
            !c.is_ascii() || matches!(c, '"' | '+' | '<' | '>' | '&' | '\'' | '`')
        });
        let go = json_escaped(secret, false, |c| {
            matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}')
        });
        let python = json_escaped(secret, false, |c| !c.is_ascii());
        for (text, encoded) in [
            (secret.to_owned(), false),
            (form, true),
            (percent, true),
            (lower, true),
            (json, true),
            (json_slash, true),
            (dotnet, true),
            (go, true),
            (python, true),
        ] {
            if text.is_empty() {
                continue;
            }
            if !self.knows(&text) {
                self.add(text, Found { index, encoded });
            }
        }
    }

    /// Whether `text` is one of the forms already: a hash first, so that a tab which has
    /// received a thousand tokens does not compare each new one with all of them.
    fn knows(&self, text: &str) -> bool {
        self.hashes.may_hold(text) && self.forms.iter().rev().any(|(known, _)| known == text)
    }

    fn add(&mut self, text: String, found: Found) {
        self.hashes.insert(&text);
        let index = self.forms.len();
        let bytes = text.as_bytes();
        match (head(bytes), pair(bytes)) {
            (Some(key), Some(first)) => {
                if self.pairs.is_empty() {
                    self.pairs = vec![0; PAIR_WORDS];
                }
                if let Some(word) = self.pairs.get_mut(first / 64) {
                    *word |= 1 << (first % 64);
                }
                let at = self.by_head.partition_point(|(k, _)| *k < key);
                self.by_head.insert(at, (key, index));
            }
            _ => self.short.push(index),
        }
        self.forms.push((text, found));
    }

    /// The longest form starting at byte `at`: where it ends and whose it is.
    fn longest_at(&self, bytes: &[u8], at: usize) -> Option<(usize, Found)> {
        let rest = bytes.get(at..)?;
        let mut best: Option<(usize, Found)> = None;
        let mut consider = |index: usize| {
            if let Some((form, found)) = self.forms.get(index) {
                if rest.starts_with(form.as_bytes()) && best.is_none_or(|(len, _)| form.len() > len)
                {
                    best = Some((form.len(), *found));
                }
            }
        };
        self.short.iter().for_each(|i| consider(*i));
        let listed = pair(rest).is_some_and(|p| {
            self.pairs
                .get(p / 64)
                .is_some_and(|word| word & (1 << (p % 64)) != 0)
        });
        if let (true, Some(key)) = (listed, head(rest)) {
            let from = self.by_head.partition_point(|(k, _)| *k < key);
            self.by_head
                .iter()
                .skip(from)
                .take_while(|(k, _)| *k == key)
                .for_each(|(_, i)| consider(*i));
        }
        best.map(|(len, found)| (at + len, found))
    }

    /// The text with each secret replaced, the earliest and at one place the longest first;
    /// secrets that overlap are masked together, leaving no fragment of either.
    pub fn replace(&self, text: &str, replacement: &dyn Fn(Found) -> String) -> String {
        self.replace_before(text, text.len(), replacement)
    }

    /// The text with every secret shown as [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        self.replace(text, &|_| REDACTED.to_owned())
    }

    /// [`replace`](Self::replace) of the text before byte `stop` (moved back to a character
    /// boundary): a secret starting before it is masked whole; text from it on is left out. For a
    /// window cut from a longer text: with `stop` one longest form before the cut, no secret the
    /// cut split in two can show.
    pub fn replace_before(
        &self,
        text: &str,
        stop: usize,
        replacement: &dyn Fn(Found) -> String,
    ) -> String {
        let mut stop = stop.min(text.len());
        while !text.is_char_boundary(stop) {
            stop -= 1;
        }
        if self.forms.is_empty() {
            return text.get(..stop).unwrap_or_default().to_owned();
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(stop);
        let (mut copied_to, mut at) = (0, 0);
        while at < stop {
            let Some((mut end, found)) = self.longest_at(bytes, at) else {
                at += 1;
                continue;
            };
            // A form starting inside this one and ending after it widens the mask.
            let mut inner = at + 1;
            while inner < end {
                if let Some((other_end, _)) = self.longest_at(bytes, inner) {
                    end = end.max(other_end);
                }
                inner += 1;
            }
            // Forms are whole UTF-8 strings, so a match starts and ends on character boundaries.
            out.push_str(text.get(copied_to..at).unwrap_or_default());
            out.push_str(&replacement(found));
            copied_to = end;
            at = end;
        }
        if copied_to < stop {
            out.push_str(text.get(copied_to..stop).unwrap_or_default());
        }
        out
    }

    /// Bytes of the longest form (0 without any).
    pub fn longest_form(&self) -> usize {
        self.forms.iter().map(|(f, _)| f.len()).max().unwrap_or(0)
    }

    /// True when any secret appears in the text in any form.
    pub fn found_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        !self.forms.is_empty() && (0..bytes.len()).any(|at| self.longest_at(bytes, at).is_some())
    }
}

/// The secret as a JSON string's content (without its quotes) where `escaped` characters and
/// control characters are written `\uXXXX` (UTF-16 units, so a character beyond the BMP is a
/// surrogate pair), in upper- or lower-case hex; `"` and `\` otherwise as `\"` and `\\`.
fn json_escaped(secret: &str, upper: bool, escaped: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(secret.len() + 8);
    for c in secret.chars() {
        let short = match c {
            '\u{8}' => Some('b'),
            '\u{c}' => Some('f'),
            '\n' => Some('n'),
            '\r' => Some('r'),
            '\t' => Some('t'),
            _ => None,
        };
        if let Some(letter) = short {
            // Every writer uses JSON's short escapes for these five.
            out.push('\\');
            out.push(letter);
        } else if escaped(c) || c.is_control() {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str("\\u");
                // By hand: format!'s hex padding measured larger in the wasm.
                for shift in [12, 8, 4, 0] {
                    let digit =
                        char::from_digit(u32::from(*unit >> shift) & 0xF, 16).unwrap_or('0');
                    out.push(if upper {
                        digit.to_ascii_uppercase()
                    } else {
                        digit
                    });
                }
            }
        } else if matches!(c, '"' | '\\') {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

/// `%2B` → `%2b`: some clients write percent escapes in lower case.
fn lower_percent_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut in_escape = 0;
    for c in encoded.chars() {
        if c == '%' {
            in_escape = 2;
            out.push(c);
        } else if in_escape > 0 {
            in_escape -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Servers that echo a request write JSON their own way: .NET `+` as `\u002B`, Go `&<>` as
    /// `\u0026`…, Python non-ASCII as `\u00e4`. Each hid the secret from masking.
    #[test]
    fn secrets_escaped_by_other_json_writers_are_found() {
        for (secret, echoed) in [
            ("YWJj+ZGVm/Z2g=", r#"{"h":"Basic YWJj\u002BZGVm/Z2g="}"#),
            (
                "k&ey<12>x-secret",
                r#"{"k":"k\u0026ey\u003c12\u003ex-secret"}"#,
            ),
            ("pässwörd-1", r#"{"p":"p\u00e4ssw\u00f6rd-1"}"#),
            ("pässwörd-1", r#"{"p":"p\u00E4ssw\u00F6rd-1"}"#),
            ("say \"hi\"+1", r#"{"p":"say \u0022hi\u0022\u002B1"}"#),
            ("key🔑value", r#"{"p":"key\ud83d\udd11value"}"#),
            ("pä\tss-word", r#"{"p":"p\u00e4\tss-word"}"#),
        ] {
            let masker = Masker::new(&[secret]);
            assert!(masker.found_in(echoed), "{secret} in {echoed}");
            let masked = masker.redact(echoed);
            assert!(
                !masked.contains("ZGVm")
                    && !masked.contains("ey")
                    && !masked.contains("ssw")
                    && !masked.contains("hi")
                    && !masked.contains("value"),
                "{masked}"
            );
        }
    }

    fn masked(text: &str, secrets: &[&str]) -> String {
        Masker::new(secrets).replace(text, &|f: Found| format!("<{}>", f.index))
    }

    #[test]
    fn every_form_every_place_and_overlaps_masked_together() {
        assert_eq!(masked("a SECRET b SECRET", &["SECRET"]), "a <0> b <0>");
        // Encoded forms.
        assert_eq!(masked("x=a%2Bb+c&y=a%2bb%20c", &["a+b c"]), "x=<0>&y=<0>");
        // At one place the longest wins.
        assert_eq!(masked("ABCDEFGH", &["ABCD", "ABCDEFGH"]), "<1>");
        // Overlapping secrets leave no fragment.
        assert_eq!(masked("xxABCDEFyy", &["ABCDE", "DEFy"]), "xx<0>y");
        assert_eq!(masked("aaaaaa", &["aaaa"]), "<0>");
        // Short forms and multi-byte text.
        assert_eq!(masked("héllo ab héllo", &["ab", "héllo"]), "<1> <0> <1>");
        assert_eq!(masked("no secrets here", &[]), "no secrets here");
        assert_eq!(masked("", &["SECRET"]), "");
        assert_eq!(masked("SECRE", &["SECRET"]), "SECRE");
    }

    #[test]
    fn replace_before_masks_what_starts_before_the_stop_and_leaves_out_the_rest() {
        let m = Masker::new(&["SECRET"]);
        let mask = |text: &str, stop| m.replace_before(text, stop, &|_| "•".to_owned());
        // A secret across the stop is masked whole; plain text after it is left out.
        assert_eq!(mask("ab SECRET cd", 5), "ab •");
        // A secret cut by the end of the text never shows: the caller stops a form's length early.
        assert_eq!(mask("ab SECRE", 8 - 6), "ab");
        assert_eq!(mask("héllo", 2), "h");
        assert_eq!(
            Masker::default().replace_before("abc", 2, &|_| String::new()),
            "ab"
        );
    }

    #[test]
    fn json_escaped_forms_are_found() {
        // A Basic credential (base64, with `/` and `+`) echoed by a server that escapes `/`.
        assert_eq!(
            masked(r#"{"auth":"Basic YWJj\/ZGVm+Z2g="}"#, &["YWJj/ZGVm+Z2g="]),
            r#"{"auth":"Basic <0>"}"#
        );
        assert_eq!(
            masked(r#"{"echo":"pa\"ss\\word"}"#, &["pa\"ss\\word"]),
            r#"{"echo":"<0>"}"#
        );
    }

    #[test]
    fn found_in_says_whether_any_form_appears() {
        let m = Masker::new(&["p@ss word"]);
        assert!(m.found_in("secret=p%40ss+word"));
        assert!(m.found_in("p@ss word"));
        assert!(!m.found_in("p@ss"));
        assert!(!Masker::new(&[]).found_in("anything"));
    }

    #[test]
    fn pushing_later_secrets_finds_them_too() {
        let mut m = Masker::new(&["first-secret"]);
        m.push(1, "second-secret");
        assert_eq!(
            m.replace("first-secret second-secret", &|f: Found| f
                .index
                .to_string()),
            "0 1"
        );
    }
}
