//! Client metadata for the pre-token-generation trigger: the `ClientMetadata` map of
//! GetClientToken and the token endpoint's `aws_client_metadata` form parameter. Cognito hands it
//! to the trigger as a map of string to string, so only a JSON object of string values is
//! accepted (docs/aws-behaviour.md, "aws_client_metadata and the pre-token-generation trigger").

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::token::TokenRequest;

/// Keys to string values, sorted so requests are reproducible.
pub type ClientMetadata = BTreeMap<String, String>;

/// The form parameter the token endpoint reads.
pub const AWS_CLIENT_METADATA: &str = "aws_client_metadata";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientMetadataError {
    NotJson(String),
    /// JSON, but an array, string, number, … instead of `{…}`.
    NotAnObject(&'static str),
    /// A value that is not a string (Cognito's triggers receive strings only).
    NotAString {
        key: String,
        kind: &'static str,
    },
    EmptyKey,
}

impl fmt::Display for ClientMetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson(why) => write!(f, "Client metadata is not JSON ({why}). Write a JSON object, e.g. {{\"tenant\": \"acme\"}}."),
            Self::NotAnObject(kind) => write!(f, "Client metadata is {kind}, not a JSON object. Write key-value pairs, e.g. {{\"tenant\": \"acme\"}}."),
            Self::NotAString { key, kind } => write!(f, "Client metadata \"{key}\" is {kind}; Cognito passes only string values to the Lambda trigger. Put the value in quotes, e.g. \"{key}\": \"…\"."),
            Self::EmptyKey => f.write_str("Client metadata has an empty key; give every value a name."),
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the Client metadata field. Blank text means no metadata (an empty map).
pub fn parse_client_metadata(text: &str) -> Result<ClientMetadata, ClientMetadataError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(ClientMetadata::new());
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| ClientMetadataError::NotJson(e.to_string()))?;
    let Value::Object(object) = value else {
        return Err(ClientMetadataError::NotAnObject(kind(&value)));
    };
    let mut metadata = ClientMetadata::new();
    for (key, value) in object {
        if key.trim().is_empty() {
            return Err(ClientMetadataError::EmptyKey);
        }
        match value {
            Value::String(s) => {
                metadata.insert(key, s);
            }
            other => {
                return Err(ClientMetadataError::NotAString {
                    kind: kind(&other),
                    key,
                })
            }
        }
    }
    Ok(metadata)
}

/// The JSON text of the metadata (`{"k":"v"}`), `None` when there is none to send.
pub fn metadata_json(metadata: &ClientMetadata) -> Option<String> {
    if metadata.is_empty() {
        return None;
    }
    serde_json::to_string(metadata).ok()
}

/// Adds `aws_client_metadata=<url-encoded JSON>` to a token endpoint request's form body;
/// unchanged when there is no metadata.
pub fn with_aws_client_metadata(
    mut request: TokenRequest,
    metadata: &ClientMetadata,
) -> TokenRequest {
    if let Some(json) = metadata_json(metadata) {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair(AWS_CLIENT_METADATA, &json);
        let pair = form.finish();
        if !request.body.is_empty() {
            request.body.push('&');
        }
        request.body.push_str(&pair);
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::token::{build_token_request, ClientAuth};

    #[test]
    fn blank_is_no_metadata() {
        assert_eq!(parse_client_metadata(""), Ok(ClientMetadata::new()));
        assert_eq!(parse_client_metadata(" \n "), Ok(ClientMetadata::new()));
        assert_eq!(parse_client_metadata("{}"), Ok(ClientMetadata::new()));
        assert_eq!(metadata_json(&ClientMetadata::new()), None);
    }

    #[test]
    fn string_values_are_kept_sorted() {
        let m = parse_client_metadata(r#"{"zone":"eu","tenant":"acme é"}"#).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m["tenant"], "acme é");
        assert_eq!(
            metadata_json(&m).unwrap(),
            r#"{"tenant":"acme é","zone":"eu"}"#
        );
    }

    #[test]
    fn only_objects_of_strings() {
        assert!(matches!(
            parse_client_metadata("{"),
            Err(ClientMetadataError::NotJson(_))
        ));
        assert_eq!(
            parse_client_metadata("[1]"),
            Err(ClientMetadataError::NotAnObject("an array"))
        );
        assert_eq!(
            parse_client_metadata("\"x\""),
            Err(ClientMetadataError::NotAnObject("a string"))
        );
        assert_eq!(
            parse_client_metadata(r#"{"n":1}"#),
            Err(ClientMetadataError::NotAString {
                key: "n".into(),
                kind: "a number"
            })
        );
        assert_eq!(
            parse_client_metadata(r#"{"b":true,"a":"x"}"#),
            Err(ClientMetadataError::NotAString {
                key: "b".into(),
                kind: "a boolean"
            })
        );
        assert_eq!(
            parse_client_metadata(r#"{" ":"x"}"#),
            Err(ClientMetadataError::EmptyKey)
        );
        for e in [
            ClientMetadataError::NotJson("x".into()),
            ClientMetadataError::NotAnObject("null"),
            ClientMetadataError::NotAString {
                key: "n".into(),
                kind: "null",
            },
            ClientMetadataError::EmptyKey,
        ] {
            assert!(e.to_string().ends_with('.'), "{e}");
        }
        assert!(parse_client_metadata(r#"{"n":null}"#)
            .unwrap_err()
            .to_string()
            .contains("\"n\": \"…\""));
    }

    #[test]
    fn token_request_gets_the_form_parameter() {
        let req = build_token_request(
            "https://x/oauth2/token",
            "id",
            "s",
            "",
            ClientAuth::default(),
        );
        let plain = with_aws_client_metadata(req.clone(), &ClientMetadata::new());
        assert_eq!(plain, req);
        let m = parse_client_metadata(r#"{"tenant":"a&b"}"#).unwrap();
        let with = with_aws_client_metadata(req.clone(), &m);
        assert!(with.body.starts_with(&req.body));
        let pairs: Vec<(String, String)> = form_urlencoded::parse(with.body.as_bytes())
            .into_owned()
            .collect();
        assert_eq!(
            pairs.last().unwrap(),
            &(
                "aws_client_metadata".to_owned(),
                r#"{"tenant":"a&b"}"#.to_owned()
            )
        );
        let empty = TokenRequest {
            url: String::new(),
            headers: vec![],
            body: String::new(),
        };
        assert!(with_aws_client_metadata(empty, &m)
            .body
            .starts_with("aws_client_metadata="));
    }
}
