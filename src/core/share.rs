//! Share link: the form's settings in the URL fragment (`#s=<base64url JSON>`), so a colleague
//! opens the same test. The fragment never reaches a server. The client secret is never in it,
//! nor any token, nor extra-header lines that carry credentials; the receiver types the secret.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::client_token::TokenSource;
use crate::core::exchange::format_size;
use crate::core::headers::without_secret_headers;
use crate::core::settings::{HttpMethod, Settings};
use crate::core::token::ClientAuth;

/// The settings format this version writes and reads.
pub const SHARE_VERSION: u64 = 1;
/// Longest fragment accepted (and written): more is not a link this tool made.
pub const MAX_FRAGMENT_BYTES: usize = 8 * 1024;
const PARAM: &str = "s=";

/// Decoding accepts the fragment with or without `=` padding (some tools add it back).
const DECODE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Every setting except the client secret. Missing fields read as the form's defaults;
/// unknown fields (from a newer tool of the same version) are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SharedSettings {
    pub v: u64,
    pub client_id: String,
    pub domain: String,
    pub region: String,
    pub scope: String,
    pub api_url: String,
    pub method: HttpMethod,
    pub api_body: String,
    pub extra_headers: String,
    pub client_auth: ClientAuth,
    pub via_proxy: bool,
    pub timeout_secs: u32,
    pub jwks: String,
    pub secret_headers: Vec<String>,
    pub token_source: TokenSource,
    pub client_metadata: String,
    #[serde(default)]
    pub sign_in: crate::core::user_sign_in::SignInSettings,
}

impl Default for SharedSettings {
    fn default() -> Self {
        Self::from_settings(&Settings::default())
    }
}

impl SharedSettings {
    /// The shareable part of the settings: no secret, no credential headers.
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            v: SHARE_VERSION,
            client_id: s.client_id.clone(),
            domain: s.domain.clone(),
            region: s.region.clone(),
            scope: s.scope.clone(),
            api_url: s.api_url.clone(),
            method: s.method,
            api_body: s.api_body.clone(),
            extra_headers: without_secret_headers(&s.extra_headers, &s.secret_headers),
            secret_headers: s.secret_headers.clone(),
            client_auth: s.client_auth,
            via_proxy: s.via_proxy,
            timeout_secs: s.timeout_secs,
            jwks: s.jwks.clone(),
            token_source: s.token_source,
            client_metadata: s.client_metadata.clone(),
            sign_in: s.sign_in.clone(),
        }
    }

    /// The settings the link describes: every shared field is set from the link (a field the
    /// link lacks takes its default). Whether the secret in memory still fits them is the
    /// page's decision (see [`crate::core::run::SecretBinding`]).
    pub fn settings(&self) -> Settings {
        Settings {
            client_id: self.client_id.clone(),
            domain: self.domain.clone(),
            region: self.region.clone(),
            scope: self.scope.clone(),
            api_url: self.api_url.clone(),
            method: self.method,
            api_body: self.api_body.clone(),
            extra_headers: self.extra_headers.clone(),
            client_auth: self.client_auth,
            via_proxy: self.via_proxy,
            timeout_secs: self.timeout_secs,
            jwks: self.jwks.clone(),
            secret_headers: self.secret_headers.clone(),
            token_source: self.token_source,
            client_metadata: self.client_metadata.clone(),
            sign_in: self.sign_in.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ShareError {
    TooLarge { bytes: usize },
    NoSettings,
    Truncated,
    Damaged { detail: String },
    UnsupportedVersion { version: String },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(f, "The settings take {} in a link, more than a share link may carry ({}). A long request body or pasted JWKS JSON is the usual cause: shorten it (or give the JWKS as a URL) and make the link again.", format_size(*bytes), format_size(MAX_FRAGMENT_BYTES)),
            Self::NoSettings => write!(f, "This link carries no settings (no #s=… at its end). Ask for a link made with Share link, and copy it whole."),
            Self::Truncated => write!(f, "The link's settings are cut off: the link was probably shortened or wrapped when it was copied. Copy the whole link, up to its last character, and open it again."),
            Self::Damaged { detail } => write!(f, "The link's settings cannot be read ({detail}): the link was probably changed when it was copied. Copy the whole link again, or fill the form by hand."),
            Self::UnsupportedVersion { version } => write!(f, "This link was made by another version of Cognito API Tester (settings format {version}; this version reads {SHARE_VERSION}). Open it with the version that made it, or fill the form by hand."),
        }
    }
}

impl std::error::Error for ShareError {}

/// `#s=<base64url of compact JSON>` for the settings, without the secret.
pub fn to_fragment(settings: &Settings) -> Result<String, ShareError> {
    let json = serde_json::to_string(&SharedSettings::from_settings(settings)).map_err(|e| {
        ShareError::Damaged {
            detail: e.to_string(),
        }
    })?;
    let fragment = format!("#{PARAM}{}", URL_SAFE_NO_PAD.encode(json));
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareError::TooLarge {
            bytes: fragment.len(),
        });
    }
    Ok(fragment)
}

/// Reads the settings from a fragment, with or without the leading `#`; a whole link works too.
pub fn from_fragment(fragment: &str) -> Result<SharedSettings, ShareError> {
    let fragment = fragment.trim();
    let fragment = match fragment.split_once('#') {
        Some((_, after)) => after,
        None => fragment,
    };
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareError::TooLarge {
            bytes: fragment.len(),
        });
    }
    let encoded = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(PARAM))
        .ok_or(ShareError::NoSettings)?;
    let encoded = encoded.trim();
    let bytes = DECODE.decode(encoded).map_err(|_| {
        // Only base64url characters: the text is fine but ends mid-character, i.e. it was cut.
        if encoded
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '='))
        {
            ShareError::Truncated
        } else {
            ShareError::Damaged {
                detail: "not base64url".into(),
            }
        }
    })?;
    // From a str, like every other JSON the page reads: serde_json's reader for bytes would be
    // a second copy of its parser in the wasm. Bytes cut inside a character are a cut link.
    let text = std::str::from_utf8(&bytes).map_err(|e| match e.error_len() {
        None => ShareError::Truncated,
        Some(_) => ShareError::Damaged {
            detail: "not settings JSON".into(),
        },
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            ShareError::Truncated
        } else {
            ShareError::Damaged {
                detail: "not settings JSON".into(),
            }
        }
    })?;
    match value.get("v") {
        Some(Value::Number(n)) if n.as_u64() == Some(SHARE_VERSION) => {}
        Some(Value::Number(n)) => {
            return Err(ShareError::UnsupportedVersion {
                version: n.to_string(),
            })
        }
        _ => {
            return Err(ShareError::Damaged {
                detail: "no settings format version".into(),
            })
        }
    }
    serde_json::from_value(value).map_err(|e| ShareError::Damaged {
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests;
