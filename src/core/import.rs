//! Import…: fills the form from what AWS already printed — the seed's Secrets Manager secret
//! string, `aws secretsmanager get-secret-value`, `aws cognito-idp describe-user-pool-client` /
//! `create-user-pool-client` and `describe-user-pool-domain` output.
//!
//! Parsing is all or nothing: any error means nothing is applied. No message ever repeats a
//! value from the paste, because the paste usually holds the client secret.

use std::fmt;

use serde_json::Value;

use crate::core::run::Secret;
use crate::core::settings::{DomainError, Field, Level, Settings};
use crate::core::short_sort::sort_short_by;

mod formats;
use formats::{classify, describe, secret_string};

/// AWS CLI output for one client or secret is a few KB; far more is the wrong clipboard.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024;

/// The keys of the seed's secret.
pub const SECRET_KEYS: [&str; 5] = [
    "USER_POOL_CLIENT_ID",
    "USER_POOL_CLIENT_SECRET",
    "USER_POOL_DOMAIN",
    "USER_POOL_SCOPE",
    "APIGW_URL",
];

#[derive(Clone, Debug, PartialEq)]
pub enum ImportFormat {
    /// The seed's secret string: `{"USER_POOL_CLIENT_ID": …, "APIGW_URL": …}`.
    SecretString,
    /// `aws secretsmanager get-secret-value`: the secret string is JSON inside `SecretString`.
    SecretsManagerOutput,
    /// `aws cognito-idp describe-user-pool-client` or `create-user-pool-client`.
    UserPoolClient,
    /// `aws cognito-idp describe-user-pool-domain`.
    UserPoolDomain,
}

impl ImportFormat {
    pub fn all() -> [ImportFormat; 4] {
        [
            Self::SecretString,
            Self::SecretsManagerOutput,
            Self::UserPoolClient,
            Self::UserPoolDomain,
        ]
    }

    /// How the summary names the source: "Filled … from a Secrets Manager secret."
    pub fn label(&self) -> &'static str {
        match self {
            Self::SecretString => "a Secrets Manager secret",
            Self::SecretsManagerOutput => "aws secretsmanager get-secret-value output",
            Self::UserPoolClient => "aws cognito-idp describe-user-pool-client output",
            Self::UserPoolDomain => "aws cognito-idp describe-user-pool-domain output",
        }
    }

    /// What to paste, for the message that lists the understood formats.
    pub fn what_to_paste(&self) -> &'static str {
        match self {
            Self::SecretString => "the secret string: {\"USER_POOL_CLIENT_ID\": …, \"USER_POOL_CLIENT_SECRET\": …, \"USER_POOL_DOMAIN\": …, \"USER_POOL_SCOPE\": …, \"APIGW_URL\": …}",
            Self::SecretsManagerOutput => "aws secretsmanager get-secret-value --secret-id <name> (the whole output, with SecretString)",
            Self::UserPoolClient => "aws cognito-idp describe-user-pool-client (or create-user-pool-client) output: {\"UserPoolClient\": {…}}",
            Self::UserPoolDomain => "aws cognito-idp describe-user-pool-domain output: {\"DomainDescription\": {…}}",
        }
    }
}

/// The values found; `None` where the paste has nothing (or only an empty string).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ImportedValues {
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub domain: Option<String>,
    pub region: Option<String>,
    pub scope: Option<String>,
    pub api_url: Option<String>,
}

impl ImportedValues {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub format: ImportFormat,
    pub values: ImportedValues,
    /// Things that will not stop the import but will probably stop the token request.
    pub warnings: Vec<String>,
}

/// What an import did, for the line under the Import… box. Never holds a value.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportSummary {
    pub format: String,
    pub filled: Vec<&'static str>,
    pub still_missing: Vec<&'static str>,
    pub warnings: Vec<String>,
}

impl ImportSummary {
    pub fn message(&self) -> String {
        let list = |labels: &[&str]| {
            if labels.is_empty() {
                "none".to_owned()
            } else {
                labels.join(", ")
            }
        };
        let mut text = format!(
            "Filled {} from {}. Still missing: {}.",
            list(&self.filled),
            self.format,
            list(&self.still_missing)
        );
        for warning in &self.warnings {
            text.push_str(" Warning: ");
            text.push_str(warning);
        }
        text
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    Empty,
    TooLarge {
        bytes: usize,
    },
    NotJson {
        line: usize,
        column: usize,
    },
    Truncated {
        line: usize,
        column: usize,
    },
    /// Valid JSON that is none of the formats; `found` describes its shape (keys, never values).
    UnknownShape {
        found: String,
    },
    /// A known format without any of the values the form needs.
    NothingToImport {
        format: ImportFormat,
        expected: String,
    },
    WrongType {
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    SecretStringNotJson {
        line: usize,
        column: usize,
        truncated: bool,
    },
    /// Secrets Manager output with `SecretBinary` only.
    BinarySecret,
    /// Secrets Manager metadata without the value (`describe-secret`, `list-secrets`).
    NoSecretString,
    /// `describe-user-pool-domain` printed `{"DomainDescription": {}}`.
    NoDomain,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "Nothing to import: the text is empty. Paste the secret's JSON or the AWS CLI output."),
            Self::TooLarge { bytes } => write!(f, "The pasted text is {} — far more than AWS CLI output for one client (the limit is {}). It is probably the wrong file or clipboard: paste only the command's output.", crate::core::exchange::format_size(*bytes), crate::core::exchange::format_size(MAX_IMPORT_BYTES)),
            Self::NotJson { line, column } => write!(f, "The text is not JSON (error at line {line}, column {column}). Import reads JSON only: run the AWS CLI with --output json (the default) and paste its output unchanged, or paste the secret string itself."),
            Self::Truncated { line, column } => write!(f, "The JSON ends early (at line {line}, column {column}): part of it is missing, so the paste was probably cut off. Copy the whole output, from the first {{ to the last }}."),
            Self::UnknownShape { found } => {
                write!(f, "This JSON ({found}) is none of the formats Import understands. Paste one of:")?;
                for format in ImportFormat::all() {
                    write!(f, "\n• {}", format.what_to_paste())?;
                }
                Ok(())
            }
            Self::NothingToImport { format, expected } => write!(f, "This looks like {}, but it has none of the values the form needs ({expected}). Check that you copied the right secret or app client.", format.label()),
            Self::WrongType { key, expected, found } => write!(f, "\"{key}\" should be {expected} but is {found}. The output was probably edited by hand: paste it exactly as the AWS CLI printed it."),
            Self::SecretStringNotJson { line, column, truncated: false } => write!(f, "The SecretString is not JSON (error at line {line}, column {column} of the secret): this secret holds plain text, not the seed's key/value pairs. Check that --secret-id names the right secret."),
            Self::SecretStringNotJson { line, column, truncated: true } => write!(f, "The JSON inside SecretString ends early (at line {line}, column {column} of the secret): the secret was stored cut off. Fix the secret's value in Secrets Manager, or paste the values by hand."),
            Self::BinarySecret => write!(f, "This secret has a SecretBinary and no SecretString, so it does not hold the seed's key/value JSON. Check that --secret-id names the right secret."),
            Self::NoSecretString => write!(f, "This Secrets Manager output has no SecretString: describe-secret and list-secrets never show the value. Run aws secretsmanager get-secret-value --secret-id <name> and paste its output."),
            Self::NoDomain => write!(f, "This user pool has no domain (DomainDescription is empty): add one in Cognito → App integration → Domain; the token endpoint exists only then. (The output is also empty when --domain names a domain that does not exist.)"),
        }?;
        write!(f, " The form was not changed.")
    }
}

impl std::error::Error for ImportError {}

/// Recognises the paste and reads the values out of it; see the module docs for the formats.
pub fn parse_import(text: &str) -> Result<Import, ImportError> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ImportError::Empty);
    }
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if e.is_eof() {
            ImportError::Truncated { line, column }
        } else {
            ImportError::NotJson { line, column }
        }
    })?;
    match value {
        // `get-secret-value --query SecretString` without `--output text` prints a JSON string.
        Value::String(inner) => match serde_json::from_str::<Value>(&inner) {
            Ok(Value::Object(map)) => secret_string(&map, "", ImportFormat::SecretString),
            _ => Err(ImportError::UnknownShape {
                found: "a JSON string".into(),
            }),
        },
        Value::Object(map) => classify(&map),
        other => Err(ImportError::UnknownShape {
            found: describe(&other).into(),
        }),
    }
}

impl Import {
    /// Whether the pasted output holds a client secret (Secrets Manager's JSON does).
    pub fn brings_secret(&self) -> bool {
        self.values.client_secret.is_some()
    }

    /// Applies to a copy of the settings and the secret: only the fields the import has;
    /// returns the new settings, the new secret and a summary.
    pub fn apply(&self, settings: &Settings, secret: &Secret) -> (Settings, Secret, ImportSummary) {
        let mut next = settings.clone();
        let v = &self.values;
        let mut filled = Vec::new();
        let next_secret = match &v.client_secret {
            Some(value) => {
                filled.push(Field::ClientSecret.label());
                Secret::new(value.as_str())
            }
            None => secret.clone(),
        };
        for (field, value, slot) in [
            (Field::ClientId, &v.client_id, &mut next.client_id),
            (Field::Domain, &v.domain, &mut next.domain),
            (Field::Region, &v.region, &mut next.region),
            (Field::Scope, &v.scope, &mut next.scope),
            (Field::ApiUrl, &v.api_url, &mut next.api_url),
        ] {
            if let Some(value) = value {
                value.clone_into(slot);
                filled.push(field.label());
            }
        }
        // Form order, as before the secret had its own type.
        let rank = |label: &&str| FORM_ORDER.iter().position(|f| f.label() == *label);
        sort_short_by(&mut filled, |a, b| rank(a) < rank(b));
        let summary = ImportSummary {
            format: self.format.label().to_owned(),
            filled,
            still_missing: still_missing(&next, &next_secret),
            warnings: self.warnings.clone(),
        };
        (next, next_secret, summary)
    }
}

const FORM_ORDER: [Field; 6] = [
    Field::ClientId,
    Field::ClientSecret,
    Field::Domain,
    Field::Region,
    Field::Scope,
    Field::ApiUrl,
];

/// Required fields still empty, in form order; Region counts when the domain is a bare prefix.
pub fn still_missing(settings: &Settings, secret: &Secret) -> Vec<&'static str> {
    let missing: Vec<Field> = settings
        .validate(secret)
        .into_iter()
        .filter(|i| i.level == Level::Missing)
        .map(|i| i.field)
        .collect();
    let region_needed = settings.token_endpoint() == Err(DomainError::PrefixNeedsRegion);
    [
        Field::ClientId,
        Field::ClientSecret,
        Field::Domain,
        Field::Region,
        Field::ApiUrl,
    ]
    .into_iter()
    .filter(|f| missing.contains(f) || (*f == Field::Region && region_needed))
    .map(Field::label)
    .collect()
}

#[cfg(test)]
mod tests;
