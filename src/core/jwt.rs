//! Decodes a JWT for display. Decoding never fails as a whole: each part is decoded on its own and
//! every problem is kept with a precise, human-readable reason, so a damaged token still shows
//! whatever can be read from it. Nothing here verifies the signature (that needs the JWKS).

mod claims;
mod time;

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{Map, Value};

pub use claims::{claim_rows, parse_issuer, ClaimRow, Issuer};
pub(crate) use time::civil_from_days;
pub use time::{expiry, format_countdown, format_relative, format_utc, Expiry};

/// Why a text is not base64url. Positions count characters from 1, as a person reading the token
/// would count them.
#[derive(Clone, Debug, PartialEq)]
pub enum Base64Problem {
    InvalidCharacter {
        ch: char,
        position: usize,
    },
    /// `+` or `/`: the text is standard base64, which JWTs do not use.
    StandardAlphabet {
        ch: char,
        position: usize,
    },
    /// A length that leaves a single character over (or padding that does not fit): usually a cut-off copy.
    BadLength {
        len: usize,
    },
    Empty,
}

impl fmt::Display for Base64Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Problem::InvalidCharacter { ch: '=', position } => write!(
                f,
                "character '=' at position {position}: padding may only appear at the end"
            ),
            Base64Problem::InvalidCharacter { ch, position } => write!(
                f,
                "character '{}' at position {position} (base64url allows only A–Z, a–z, 0–9, '-' and '_')",
                ch.escape_debug()
            ),
            Base64Problem::StandardAlphabet { ch, position } => write!(
                f,
                "character '{ch}' at position {position} belongs to standard base64, not base64url \
                 (a JWT uses '-' and '_' where base64 uses '+' and '/')"
            ),
            Base64Problem::BadLength { len } => write!(
                f,
                "{len} characters is not a possible base64url length (the text was probably cut off while copying)"
            ),
            Base64Problem::Empty => f.write_str("it is empty"),
        }
    }
}

/// Lenient on purpose: padding optional and non-zero trailing bits accepted, like jwt.io, because
/// the goal is to show the content; the alphabet is strict because a wrong one means a wrong token.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Decodes base64url (RFC 4648 §5) with or without `=` padding, naming the first bad character.
pub fn base64url_decode(input: &str) -> Result<Vec<u8>, Base64Problem> {
    if input.is_empty() {
        return Err(Base64Problem::Empty);
    }
    let mut data_chars = 0usize;
    let mut padding = 0usize;
    for (index, ch) in input.chars().enumerate() {
        let position = index + 1;
        match ch {
            '=' => padding += 1,
            // Something after padding: point at where the padding started.
            _ if padding > 0 => {
                return Err(Base64Problem::InvalidCharacter {
                    ch: '=',
                    position: position - padding,
                })
            }
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => data_chars += 1,
            '+' | '/' => return Err(Base64Problem::StandardAlphabet { ch, position }),
            _ => return Err(Base64Problem::InvalidCharacter { ch, position }),
        }
    }
    // Padding alone ("====") encodes nothing: as empty as an empty string.
    if data_chars == 0 {
        return Err(Base64Problem::Empty);
    }
    let len = data_chars + padding;
    let padding_fits = padding == 0 || data_chars % 4 + padding == 4;
    if data_chars % 4 == 1 || !padding_fits {
        return Err(Base64Problem::BadLength { len });
    }
    // Only ASCII was accepted above, so slicing by the character count is slicing by bytes.
    let data = input.get(..data_chars).unwrap_or_default();
    BASE64URL
        .decode(data)
        .map_err(|_| Base64Problem::BadLength { len })
}

/// Why one part of the token could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum SegmentProblem {
    Missing,
    Base64(Base64Problem),
    Utf8 {
        valid_up_to: usize,
    },
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    NotAnObject,
}

/// Written to follow "part 2 (payload) is …".
impl fmt::Display for SegmentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentProblem::Missing => f.write_str("missing"),
            SegmentProblem::Base64(Base64Problem::Empty) => f.write_str("empty"),
            SegmentProblem::Base64(p) => write!(f, "not valid base64url: {p}"),
            SegmentProblem::Utf8 { valid_up_to } => write!(
                f,
                "not UTF-8 text once decoded (bytes are valid only up to byte {valid_up_to})"
            ),
            SegmentProblem::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON: {message} at line {line}, column {column}"
            ),
            SegmentProblem::NotAnObject => {
                f.write_str("valid JSON but not an object (a JWT header and payload must be {…})")
            }
        }
    }
}

/// The header or payload: the encoded text, its decoded text when that is UTF-8, and the object.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonSegment {
    pub encoded: String,
    pub text: Option<String>,
    pub json: Result<Map<String, Value>, SegmentProblem>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SignatureSegment {
    pub encoded: String,
    pub bytes: Result<Vec<u8>, SegmentProblem>,
}

/// What is wrong with the token as a whole (as opposed to one part of it).
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeProblem {
    Empty,
    WrongPartCount {
        parts: usize,
    },
    /// Spaces or line breaks inside the token, typically from copying out of a wrapped log line.
    Whitespace,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeProblem::Empty => f.write_str("The token is empty."),
            ShapeProblem::WrongPartCount { parts } => {
                write!(
                    f,
                    "A JWT has 3 parts separated by dots (header.payload.signature); this one has {parts}."
                )?;
                match parts {
                    1 => f.write_str(" Without dots it is not a JWT (perhaps an opaque token or only part of one)."),
                    2 => f.write_str(" The signature part is missing: the token was probably cut off."),
                    5 => f.write_str(" Five parts is an encrypted token (JWE), which cannot be read without its key."),
                    _ => Ok(()),
                }
            }
            ShapeProblem::Whitespace => f.write_str(
                "The token contains spaces or line breaks, probably from copying it; they were ignored for decoding, but remove them before using it.",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DecodedJwt {
    pub header: JsonSegment,
    pub payload: JsonSegment,
    pub signature: SignatureSegment,
    pub shape: Result<(), ShapeProblem>,
}

const PART_NAMES: [&str; 3] = ["header", "payload", "signature"];

impl DecodedJwt {
    /// Every part decoded and the shape is right (says nothing about the signature being valid).
    pub fn is_well_formed(&self) -> bool {
        self.shape.is_ok()
            && self.header.json.is_ok()
            && self.payload.json.is_ok()
            && self.signature.bytes.is_ok()
    }

    pub fn claims(&self) -> Option<&Map<String, Value>> {
        self.payload.json.as_ref().ok()
    }

    pub fn header_str(&self, key: &str) -> Option<&str> {
        self.header.json.as_ref().ok()?.get(key)?.as_str()
    }

    /// One sentence per problem: the shape first, then each part in order.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(shape) = &self.shape {
            out.push(shape.to_string());
        }
        let parts = [
            self.header.json.as_ref().err(),
            self.payload.json.as_ref().err(),
            self.signature.bytes.as_ref().err(),
        ];
        for (index, (problem, name)) in parts.iter().zip(PART_NAMES).enumerate() {
            // An empty token has nothing else worth saying.
            if let (Some(problem), false) = (problem, self.shape == Err(ShapeProblem::Empty)) {
                out.push(format!("Part {} ({name}) is {problem}.", index + 1));
            }
        }
        out
    }
}

/// Decodes what can be decoded. Accepts what people paste: surrounding whitespace, a
/// `Bearer ` prefix (any case), and line breaks inside (reported, then ignored).
pub fn decode(token: &str) -> DecodedJwt {
    let token = strip_bearer(token.trim());
    let compact: String = token.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = if compact.is_empty() {
        Vec::new()
    } else {
        compact.split('.').collect()
    };
    let shape = if compact.is_empty() {
        Err(ShapeProblem::Empty)
    } else if parts.len() != 3 {
        Err(ShapeProblem::WrongPartCount { parts: parts.len() })
    } else if compact.len() != token.len() {
        Err(ShapeProblem::Whitespace)
    } else {
        Ok(())
    };
    DecodedJwt {
        header: json_segment(parts.first().copied()),
        payload: json_segment(parts.get(1).copied()),
        signature: signature_segment(parts.get(2).copied()),
        shape,
    }
}

fn strip_bearer(token: &str) -> &str {
    // A pasted header value without its token.
    if token.eq_ignore_ascii_case("bearer") {
        return "";
    }
    let mut words = token.splitn(2, char::is_whitespace);
    match (words.next(), words.next()) {
        (Some(scheme), Some(rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim_start(),
        _ => token,
    }
}

fn json_segment(encoded: Option<&str>) -> JsonSegment {
    let Some(encoded) = encoded else {
        return JsonSegment {
            encoded: String::new(),
            text: None,
            json: Err(SegmentProblem::Missing),
        };
    };
    let decoded = base64url_decode(encoded)
        .map_err(SegmentProblem::Base64)
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| SegmentProblem::Utf8 {
                valid_up_to: e.utf8_error().valid_up_to(),
            })
        });
    let (text, json) = match decoded {
        Ok(text) => {
            let json = parse_object(&text);
            (Some(text), json)
        }
        Err(problem) => (None, Err(problem)),
    };
    JsonSegment {
        encoded: encoded.to_owned(),
        text,
        json,
    }
}

fn parse_object(text: &str) -> Result<Map<String, Value>, SegmentProblem> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(SegmentProblem::NotAnObject),
        Err(e) => {
            let (line, column) = (e.line(), e.column());
            let full = e.to_string();
            let message = full
                .strip_suffix(&format!(" at line {line} column {column}"))
                .unwrap_or(&full)
                .to_owned();
            Err(SegmentProblem::Json {
                line,
                column,
                message,
            })
        }
    }
}

fn signature_segment(encoded: Option<&str>) -> SignatureSegment {
    match encoded {
        None => SignatureSegment {
            encoded: String::new(),
            bytes: Err(SegmentProblem::Missing),
        },
        Some(encoded) => SignatureSegment {
            encoded: encoded.to_owned(),
            bytes: base64url_decode(encoded).map_err(SegmentProblem::Base64),
        },
    }
}

/// Indented JSON for the header and payload panels. Through `Value`'s alternate Display (the
/// same two-space layout as `to_string_pretty`), which cannot fail: no `Debug` fallback to link.
pub fn pretty_json(map: &Map<String, Value>) -> String {
    format!("{:#}", Value::Object(map.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    #[test]
    fn pretty_json_is_to_string_pretty() {
        let value = json!({"sub": "abc", "scope": "a b", "n": 3, "list": [1, {"x": null}], "empty": {}, "e": []});
        let Value::Object(map) = value else {
            panic!("an object")
        };
        assert_eq!(
            pretty_json(&map),
            serde_json::to_string_pretty(&map).unwrap()
        );
        assert!(pretty_json(&map).contains("\n  \"list\": [\n    1,"));
    }

    fn b64(text: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(text)
    }

    fn token(header: &str, payload: &str, sig: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            b64(header.as_bytes()),
            b64(payload.as_bytes()),
            b64(sig)
        )
    }

    const HEADER: &str = r#"{"kid":"k1","alg":"RS256"}"#;
    const PAYLOAD: &str = r#"{"sub":"abc","token_use":"access","exp":1700000000}"#;

    #[test]
    fn base64url_alphabet_and_padding() {
        // 0xfb 0xff → "-_8" in base64url ("+/8" in base64).
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("-_8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("YQ").unwrap(), b"a");
        assert_eq!(base64url_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64url_decode("YWI").unwrap(), b"ab");
        assert_eq!(base64url_decode("YWI=").unwrap(), b"ab");
        assert_eq!(base64url_decode("YWJj").unwrap(), b"abc");
        // Non-canonical trailing bits are tolerated ("YR" would be "YQ" canonically).
        assert_eq!(base64url_decode("YR").unwrap(), b"a");
    }

    #[test]
    fn base64url_rejections() {
        assert_eq!(base64url_decode(""), Err(Base64Problem::Empty));
        // Found by the property test on a fresh clone: padding alone decoded to no bytes.
        assert_eq!(base64url_decode("===="), Err(Base64Problem::Empty));
        assert_eq!(base64url_decode("=="), Err(Base64Problem::Empty));
        assert_eq!(
            base64url_decode("ab+c"),
            Err(Base64Problem::StandardAlphabet {
                ch: '+',
                position: 3
            })
        );
        assert_eq!(
            base64url_decode("abc/"),
            Err(Base64Problem::StandardAlphabet {
                ch: '/',
                position: 4
            })
        );
        // The first bad character wins.
        assert_eq!(
            base64url_decode("a*b+"),
            Err(Base64Problem::InvalidCharacter {
                ch: '*',
                position: 2
            })
        );
        // Positions count characters, not bytes.
        assert_eq!(
            base64url_decode("abé"),
            Err(Base64Problem::InvalidCharacter {
                ch: 'é',
                position: 3
            })
        );
        assert_eq!(
            base64url_decode("ab=c"),
            Err(Base64Problem::InvalidCharacter {
                ch: '=',
                position: 3
            })
        );
        assert_eq!(
            base64url_decode("ab==*"),
            Err(Base64Problem::InvalidCharacter {
                ch: '=',
                position: 3
            })
        );
        assert_eq!(
            base64url_decode("a==="),
            Err(Base64Problem::BadLength { len: 4 })
        );
        assert_eq!(
            base64url_decode("abcd==="),
            Err(Base64Problem::BadLength { len: 7 })
        );
        assert_eq!(
            base64url_decode("abcde"),
            Err(Base64Problem::BadLength { len: 5 })
        );
        assert_eq!(
            base64url_decode("YQ="),
            Err(Base64Problem::BadLength { len: 3 })
        );
        assert_eq!(
            base64url_decode("YWI=="),
            Err(Base64Problem::BadLength { len: 5 })
        );
        assert_eq!(
            base64url_decode("YWJj="),
            Err(Base64Problem::BadLength { len: 5 })
        );
        assert_eq!(base64url_decode("="), Err(Base64Problem::Empty));
    }

    #[test]
    fn base64_problem_display() {
        assert_eq!(
            Base64Problem::InvalidCharacter {
                ch: '*',
                position: 17
            }
            .to_string(),
            "character '*' at position 17 (base64url allows only A–Z, a–z, 0–9, '-' and '_')"
        );
        assert!(Base64Problem::InvalidCharacter {
            ch: '\n',
            position: 1
        }
        .to_string()
        .contains("'\\n'"));
        assert!(Base64Problem::InvalidCharacter {
            ch: '=',
            position: 2
        }
        .to_string()
        .contains("padding may only appear at the end"));
        let std = Base64Problem::StandardAlphabet {
            ch: '+',
            position: 9,
        }
        .to_string();
        assert!(std.contains("'+' at position 9"));
        assert!(std.contains("standard base64, not base64url"));
        assert!(std.contains("'/'"));
        assert!(Base64Problem::BadLength { len: 5 }
            .to_string()
            .contains("5 characters"));
        assert_eq!(Base64Problem::Empty.to_string(), "it is empty");
    }

    #[test]
    fn decodes_a_good_token() {
        let t = token(HEADER, PAYLOAD, &[1, 2, 3, 255]);
        let d = decode(&t);
        assert!(d.is_well_formed(), "{:?}", d.problems());
        assert!(d.problems().is_empty());
        assert_eq!(d.header_str("alg"), Some("RS256"));
        assert_eq!(d.header_str("kid"), Some("k1"));
        assert_eq!(d.header_str("missing"), None);
        assert_eq!(d.claims().unwrap()["sub"], json!("abc"));
        assert_eq!(d.header.text.as_deref(), Some(HEADER));
        assert_eq!(d.payload.encoded, b64(PAYLOAD.as_bytes()));
        assert_eq!(d.signature.bytes, Ok(vec![1, 2, 3, 255]));
    }

    #[test]
    fn accepts_bearer_prefix_and_surrounding_whitespace() {
        let t = token(HEADER, PAYLOAD, b"sig");
        for input in [
            format!("Bearer {t}"),
            format!("  bearer\t{t}\n"),
            format!("BEARER   {t}"),
        ] {
            let d = decode(&input);
            assert!(d.is_well_formed(), "{input}");
            assert_eq!(d.header.encoded, b64(HEADER.as_bytes()));
        }
        // "Bearer" alone is not a token; "Bearerx" is not a prefix.
        assert_eq!(decode("Bearer ").shape, Err(ShapeProblem::Empty));
        assert_eq!(
            decode("Bearerabc").shape,
            Err(ShapeProblem::WrongPartCount { parts: 1 })
        );
    }

    #[test]
    fn inner_whitespace_is_reported_but_decoded() {
        let t = token(HEADER, PAYLOAD, b"sig");
        let (a, b) = t.split_at(20);
        let d = decode(&format!("{a}\n  {b}"));
        assert_eq!(d.shape, Err(ShapeProblem::Whitespace));
        assert!(!d.is_well_formed());
        assert_eq!(d.claims().unwrap()["token_use"], json!("access"));
        let problems = d.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("spaces or line breaks"));
    }

    #[test]
    fn empty_token() {
        for input in ["", "   \n", "Bearer   "] {
            let d = decode(input);
            assert_eq!(d.shape, Err(ShapeProblem::Empty));
            assert_eq!(d.header.json, Err(SegmentProblem::Missing));
            assert_eq!(d.payload.json, Err(SegmentProblem::Missing));
            assert_eq!(d.signature.bytes, Err(SegmentProblem::Missing));
            assert_eq!(d.problems(), vec!["The token is empty."]);
            assert!(d.claims().is_none());
            assert!(d.header_str("alg").is_none());
        }
    }

    #[test]
    fn one_part() {
        let d = decode(&b64(HEADER.as_bytes()));
        assert_eq!(d.shape, Err(ShapeProblem::WrongPartCount { parts: 1 }));
        assert_eq!(d.header_str("alg"), Some("RS256"));
        assert_eq!(d.payload.json, Err(SegmentProblem::Missing));
        assert_eq!(d.signature.bytes, Err(SegmentProblem::Missing));
        let p = d.problems();
        assert_eq!(p.len(), 3);
        assert!(p[0].contains("this one has 1"));
        assert!(p[0].contains("opaque"));
        assert_eq!(p[1], "Part 2 (payload) is missing.");
        assert_eq!(p[2], "Part 3 (signature) is missing.");
    }

    #[test]
    fn two_parts() {
        let t = format!("{}.{}", b64(HEADER.as_bytes()), b64(PAYLOAD.as_bytes()));
        let d = decode(&t);
        assert_eq!(d.shape, Err(ShapeProblem::WrongPartCount { parts: 2 }));
        assert!(d.claims().is_some());
        assert_eq!(d.signature.bytes, Err(SegmentProblem::Missing));
        assert!(d.problems()[0].contains("cut off"));
    }

    #[test]
    fn four_and_five_parts() {
        let t = token(HEADER, PAYLOAD, b"sig");
        let d = decode(&format!("{t}.extra"));
        assert_eq!(d.shape, Err(ShapeProblem::WrongPartCount { parts: 4 }));
        assert!(d.claims().is_some());
        assert_eq!(d.signature.bytes, Ok(b"sig".to_vec()));
        assert_eq!(d.problems().len(), 1);
        let d = decode(&format!("{t}.a.b"));
        assert!(d.problems()[0].contains("JWE"));
    }

    #[test]
    fn empty_signature_part() {
        let t = format!("{}.{}.", b64(HEADER.as_bytes()), b64(PAYLOAD.as_bytes()));
        let d = decode(&t);
        assert_eq!(d.shape, Ok(()));
        assert_eq!(
            d.signature.bytes,
            Err(SegmentProblem::Base64(Base64Problem::Empty))
        );
        assert_eq!(d.problems(), vec!["Part 3 (signature) is empty."]);
        assert!(!d.is_well_formed());
    }

    #[test]
    fn bad_base64_in_payload_names_part_char_and_position() {
        let h = b64(HEADER.as_bytes());
        let d = decode(&format!("{h}.eyJzdWIiOiJhYmMi*Q.c2ln"));
        assert_eq!(
            d.payload.json,
            Err(SegmentProblem::Base64(Base64Problem::InvalidCharacter {
                ch: '*',
                position: 17
            }))
        );
        assert_eq!(d.payload.text, None);
        assert_eq!(
            d.problems(),
            vec![
                "Part 2 (payload) is not valid base64url: character '*' at position 17 \
                  (base64url allows only A–Z, a–z, 0–9, '-' and '_')."
            ]
        );
        // Standard base64 in the signature.
        let d = decode(&format!("{h}.{}.ab+/", b64(PAYLOAD.as_bytes())));
        assert!(d.problems()[0]
            .starts_with("Part 3 (signature) is not valid base64url: character '+' at position 3"));
    }

    #[test]
    fn padded_segments_are_accepted() {
        let d = decode(&format!(
            "{}=.{}.{}==",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#), // 15 bytes → 20 chars, no padding needed
            b64(PAYLOAD.as_bytes()),
            b64(b"s")
        ));
        // The header needs no padding, so the extra '=' is a length problem.
        assert_eq!(
            d.header.json,
            Err(SegmentProblem::Base64(Base64Problem::BadLength { len: 21 }))
        );
        assert_eq!(d.signature.bytes, Ok(b"s".to_vec()));
        let padded = base64::engine::general_purpose::URL_SAFE.encode(r#"{"a":1}"#);
        assert!(padded.ends_with('='));
        let d = decode(&format!("{padded}.{padded}.{padded}"));
        assert!(d.is_well_formed());
    }

    #[test]
    fn non_utf8_payload() {
        let h = b64(HEADER.as_bytes());
        let d = decode(&format!("{h}.{}.c2ln", b64(&[b'{', b'"', 0xff, 0xfe])));
        assert_eq!(d.payload.json, Err(SegmentProblem::Utf8 { valid_up_to: 2 }));
        assert_eq!(d.payload.text, None);
        assert_eq!(
            d.problems(),
            vec!["Part 2 (payload) is not UTF-8 text once decoded (bytes are valid only up to byte 2)."]
        );
    }

    #[test]
    fn json_array_payload() {
        let d = decode(&token(HEADER, "[1,2]", b"s"));
        assert_eq!(d.payload.json, Err(SegmentProblem::NotAnObject));
        assert_eq!(d.payload.text.as_deref(), Some("[1,2]"));
        assert!(d.claims().is_none());
        assert!(d.problems()[0].contains("not an object"));
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let d = decode(&token(HEADER, "{\n  \"sub\": \"a\",\n  oops\n}", b"s"));
        let Err(SegmentProblem::Json {
            line,
            column,
            message,
        }) = &d.payload.json
        else {
            panic!("expected a JSON problem: {:?}", d.payload.json);
        };
        assert_eq!((*line, *column), (3, 3));
        assert_eq!(message, "key must be a string");
        assert_eq!(
            d.problems(),
            vec!["Part 2 (payload) is not valid JSON: key must be a string at line 3, column 3."]
        );
        assert!(d.payload.text.as_deref().unwrap().contains("oops"));
    }

    #[test]
    fn huge_numbers_do_not_break_decoding() {
        let d = decode(&token(
            HEADER,
            r#"{"exp":99999999999999999999999,"iat":-1e300}"#,
            b"s",
        ));
        assert!(d.is_well_formed());
        assert!(d.claims().unwrap()["exp"].is_f64());
        // Out of f64 range is a JSON problem, not a panic.
        let d = decode(&token(HEADER, r#"{"exp":1e400}"#, b"s"));
        assert!(matches!(d.payload.json, Err(SegmentProblem::Json { .. })));
    }

    #[test]
    fn header_problems_are_listed_first() {
        let d = decode(&format!("%%.{}.sig", b64(b"not json")));
        let p = d.problems();
        assert_eq!(p.len(), 2);
        assert!(
            p[0].starts_with("Part 1 (header) is not valid base64url: character '%' at position 1")
        );
        assert!(p[1]
            .starts_with("Part 2 (payload) is not valid JSON: expected ident at line 1, column 2"));
    }

    #[test]
    fn segment_and_shape_display() {
        assert_eq!(SegmentProblem::Missing.to_string(), "missing");
        assert_eq!(
            SegmentProblem::Base64(Base64Problem::BadLength { len: 5 }).to_string(),
            "not valid base64url: 5 characters is not a possible base64url length (the text was probably cut off while copying)"
        );
        assert_eq!(ShapeProblem::Empty.to_string(), "The token is empty.");
        assert_eq!(
            ShapeProblem::WrongPartCount { parts: 7 }.to_string(),
            "A JWT has 3 parts separated by dots (header.payload.signature); this one has 7."
        );
    }

    #[test]
    fn header_str_ignores_non_strings() {
        let d = decode(&token(r#"{"alg":1,"typ":"JWT"}"#, "{}", b"s"));
        assert_eq!(d.header_str("alg"), None);
        assert_eq!(d.header_str("typ"), Some("JWT"));
    }

    #[test]
    fn pretty_json_indents() {
        let map = json!({"b": 1, "a": [true]}).as_object().unwrap().clone();
        assert_eq!(
            pretty_json(&map),
            "{\n  \"a\": [\n    true\n  ],\n  \"b\": 1\n}"
        );
        assert_eq!(pretty_json(&Map::new()), "{}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in [
            ".", "..", "...", "....", "é.é.é", "\u{0}", "a.b.c", "=.=.=", "Bearer", "bearer .",
        ] {
            let d = decode(input);
            let _ = d.problems();
            let _ = d.is_well_formed();
        }
    }
}
