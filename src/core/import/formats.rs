//! Readers for each format Import understands. Each returns the values it found, or an
//! [`ImportError`] naming the key at fault (never its value).

use serde_json::{Map, Value};

use super::{Import, ImportError, ImportFormat, ImportedValues, SECRET_KEYS};
use crate::core::aws;
use crate::core::settings::{resolve_token_endpoint, DomainForm};

pub(super) fn classify(map: &Map<String, Value>) -> Result<Import, ImportError> {
    let has = |key: &str| map.contains_key(key);
    if has("SecretString") || has("SecretBinary") || (has("ARN") && has("Name")) {
        secrets_manager_output(map)
    } else if let Some(client) = map.get("UserPoolClient") {
        user_pool_client(object(client, "UserPoolClient")?, "UserPoolClient.")
    } else if let Some(domain) = map.get("DomainDescription") {
        user_pool_domain(object(domain, "DomainDescription")?, "DomainDescription.")
    } else if SECRET_KEYS.iter().any(|k| find_key(map, k).is_some()) {
        secret_string(map, "", ImportFormat::SecretString)
    } else if has("ClientId") {
        // `--query UserPoolClient`: the inner object on its own.
        user_pool_client(map, "")
    } else if has("Domain") && has("UserPoolId") {
        user_pool_domain(map, "")
    } else {
        Err(ImportError::UnknownShape {
            found: describe_keys(map),
        })
    }
}

fn secrets_manager_output(map: &Map<String, Value>) -> Result<Import, ImportError> {
    let inner = match map.get("SecretString") {
        None | Some(Value::Null) if map.contains_key("SecretBinary") => {
            return Err(ImportError::BinarySecret)
        }
        None | Some(Value::Null) => return Err(ImportError::NoSecretString),
        Some(Value::String(s)) => s,
        Some(other) => return Err(wrong_type("SecretString", "a string", other)),
    };
    let value: Value =
        serde_json::from_str(inner.trim()).map_err(|e| ImportError::SecretStringNotJson {
            line: e.line(),
            column: e.column(),
            truncated: e.is_eof(),
        })?;
    let Value::Object(inner) = value else {
        return Err(wrong_type(
            "SecretString",
            "a JSON object of key/value pairs",
            &value,
        ));
    };
    secret_string(
        &inner,
        "SecretString → ",
        ImportFormat::SecretsManagerOutput,
    )
}

pub(super) fn secret_string(
    map: &Map<String, Value>,
    path: &str,
    format: ImportFormat,
) -> Result<Import, ImportError> {
    let [id_key, secret_key, domain_key, scope_key, url_key] = SECRET_KEYS;
    let get = |key: &str| match find_key(map, key) {
        Some((actual, value)) => text(Some(value), &format!("{path}{actual}")),
        None => Ok(None),
    };
    let domain = get(domain_key)?;
    let scope = match find_key(map, scope_key) {
        Some((actual, value)) => scopes(Some(value), &format!("{path}{actual}"))?,
        None => None,
    };
    let values = ImportedValues {
        client_id: get(id_key)?,
        client_secret: get(secret_key)?,
        region: domain.as_deref().and_then(region_of_domain),
        domain,
        scope,
        api_url: get(url_key)?,
    };
    if values.is_empty() {
        return Err(ImportError::NothingToImport {
            format,
            expected: SECRET_KEYS.join(", "),
        });
    }
    Ok(Import {
        format,
        values,
        warnings: Vec::new(),
    })
}

fn user_pool_client(map: &Map<String, Value>, path: &str) -> Result<Import, ImportError> {
    let key = |k: &str| format!("{path}{k}");
    let client_secret = text(map.get("ClientSecret"), &key("ClientSecret"))?;
    let values = ImportedValues {
        client_id: text(map.get("ClientId"), &key("ClientId"))?,
        client_secret: client_secret.clone(),
        scope: scopes(map.get("AllowedOAuthScopes"), &key("AllowedOAuthScopes"))?,
        ..ImportedValues::default()
    };
    if values.is_empty() {
        return Err(ImportError::NothingToImport {
            format: ImportFormat::UserPoolClient,
            expected: "ClientId, ClientSecret, AllowedOAuthScopes".into(),
        });
    }
    let mut warnings = Vec::new();
    let region = pool_region(map, path, &mut warnings)?;
    let flows = strings(map.get("AllowedOAuthFlows"), &key("AllowedOAuthFlows"))?;
    let auth_flows = strings(map.get("ExplicitAuthFlows"), &key("ExplicitAuthFlows"))?;
    if auth_flows.iter().any(|f| f == "ALLOW_CLIENT_TOKEN_AUTH") {
        // docs/aws-behaviour.md, GetClientToken: its only auth flow, no OAuth grant needed.
        warnings.push("this app client has ALLOW_CLIENT_TOKEN_AUTH: it gets its token from GetClientToken, so choose Token source \"GetClientToken API\" and fill Region.".into());
    } else if !flows.iter().any(|f| f == "client_credentials") {
        warnings.push("this app client does not allow the client_credentials flow (AllowedOAuthFlows), so Cognito will answer unauthorized_client. Enable \"Client credentials\" in the app client's OAuth grant types.".into());
    } else if map.get("AllowedOAuthFlowsUserPoolClient") == Some(&Value::Bool(false)) {
        warnings.push("AllowedOAuthFlowsUserPoolClient is false, so Cognito ignores the allowed OAuth flows and refuses the token request. Turn OAuth on for this app client.".into());
    }
    if client_secret.is_none() {
        warnings.push("this app client has no secret; client credentials needs a confidential client (created with a secret: --generate-secret).".into());
    }
    Ok(Import {
        format: ImportFormat::UserPoolClient,
        values: ImportedValues { region, ..values },
        warnings,
    })
}

fn user_pool_domain(map: &Map<String, Value>, path: &str) -> Result<Import, ImportError> {
    if map.is_empty() {
        return Err(ImportError::NoDomain);
    }
    let Some(domain) = text(map.get("Domain"), &format!("{path}Domain"))? else {
        return Err(ImportError::NothingToImport {
            format: ImportFormat::UserPoolDomain,
            expected: "Domain".into(),
        });
    };
    let mut warnings = Vec::new();
    // A custom domain (CustomDomainConfig, or dots in the name) is used as is; a prefix needs the region.
    let region = pool_region(map, path, &mut warnings)?;
    let status = text(map.get("Status"), &format!("{path}Status"))?;
    if let Some(status) = status.filter(|s| s != "ACTIVE") {
        warnings.push(format!("the domain's status is {status}, not ACTIVE: its token endpoint answers only once it is ACTIVE (a new custom domain can take up to an hour)."));
    }
    Ok(Import {
        format: ImportFormat::UserPoolDomain,
        values: ImportedValues {
            domain: Some(domain),
            region,
            ..ImportedValues::default()
        },
        warnings,
    })
}

/// The region from `UserPoolId` (`us-east-1_AbC123`).
fn pool_region(
    map: &Map<String, Value>,
    path: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<String>, ImportError> {
    let Some(pool) = text(map.get("UserPoolId"), &format!("{path}UserPoolId"))? else {
        return Ok(None);
    };
    let region = pool.split_once('_').map(|(region, _)| region.to_owned());
    match region {
        Some(region) if aws::is_region(&region) => Ok(Some(region)),
        _ => {
            warnings.push("UserPoolId does not start with a region (pool IDs look like us-east-1_AbC123), so Region was not filled.".into());
            Ok(None)
        }
    }
}

/// The region of a full Cognito domain (`prefix.auth.<region>.amazoncognito.com`, with or without https://).
fn region_of_domain(domain: &str) -> Option<String> {
    match resolve_token_endpoint(domain, "") {
        Ok(endpoint) => match endpoint.form {
            DomainForm::CognitoHost { region, .. } => Some(region),
            _ => None,
        },
        Err(_) => None,
    }
}

/// The exact key, else the same key in another case (`user_pool_client_id`).
fn find_key<'a>(map: &'a Map<String, Value>, key: &str) -> Option<(&'a str, &'a Value)> {
    map.get_key_value(key)
        .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
        .map(|(k, v)| (k.as_str(), v))
}

fn object<'a>(value: &'a Value, key: &str) -> Result<&'a Map<String, Value>, ImportError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(wrong_type(key, "an object", other)),
    }
}

/// A trimmed string; absent, null and blank all mean "not in the import".
fn text(value: Option<&Value>, key: &str) -> Result<Option<String>, ImportError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        Some(other) => Err(wrong_type(key, "a string", other)),
    }
}

fn strings(value: Option<&Value>, key: &str) -> Result<Vec<String>, ImportError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| text(Some(item), &format!("{key}[{i}]")).transpose())
            .collect(),
        Some(other) => Err(wrong_type(key, "an array of strings", other)),
    }
}

/// Scopes as a space-separated string (the form's format), from a string or an array.
fn scopes(value: Option<&Value>, key: &str) -> Result<Option<String>, ImportError> {
    let list = match value {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
        other => strings(other, key)?,
    };
    Ok(Some(list.join(" ")).filter(|s| !s.is_empty()))
}

fn wrong_type(key: &str, expected: &'static str, found: &Value) -> ImportError {
    ImportError::WrongType {
        key: key.to_owned(),
        expected,
        found: describe(found),
    }
}

pub(super) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// "an object with the keys a, b, c" — key names only, at most eight, each cut short.
fn describe_keys(map: &Map<String, Value>) -> String {
    const SHOWN: usize = 8;
    if map.is_empty() {
        return "an empty object".into();
    }
    let names: Vec<String> = map
        .keys()
        .take(SHOWN)
        .map(|k| crate::core::exchange::truncate_chars(k, 40).0.to_owned())
        .collect();
    let more = map.len().saturating_sub(SHOWN);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("an object with the keys {}{tail}", names.join(", "))
}
