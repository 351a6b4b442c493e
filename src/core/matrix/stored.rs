//! An [`ApiDescription`] read back from storage (a profile), from the JSON its derived `Serialize`
//! wrote. Read by hand from a `serde_json::Value` rather than by a derived `Deserialize`: the
//! derive costs ~4.6 KB gzip of wasm for five types, this ~1 KB (the round trip is unit-tested).

use serde_json::Value;

use super::export::{ApiDescription, AuthorizerKind, ExportFormat, Operation, PathParam};

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn texts(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key)?
        .as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn authorizer(v: &Value) -> Option<AuthorizerKind> {
    if let Some(other) = v.get("Other").and_then(Value::as_str) {
        return Some(AuthorizerKind::Other(other.to_owned()));
    }
    Some(match v.as_str()? {
        "CognitoUserPools" => AuthorizerKind::CognitoUserPools,
        "Jwt" => AuthorizerKind::Jwt,
        "Lambda" => AuthorizerKind::Lambda,
        "Iam" => AuthorizerKind::Iam,
        "None" => AuthorizerKind::None,
        _ => return None,
    })
}

fn operation(v: &Value) -> Option<Operation> {
    let path_params = v
        .get("path_params")?
        .as_array()?
        .iter()
        .map(|p| {
            Some(PathParam {
                name: text(p, "name")?,
                example: text(p, "example"),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Operation {
        path: text(v, "path")?,
        method: text(v, "method")?,
        authorizer: authorizer(v.get("authorizer")?)?,
        authorizer_name: text(v, "authorizer_name"),
        scopes: texts(v, "scopes")?,
        api_key: v.get("api_key").and_then(Value::as_bool).unwrap_or(false),
        path_params,
        body_example: text(v, "body_example"),
    })
}

/// The description stored as `Serialize` wrote it; None for anything else (an unreadable entry
/// counts as no description kept).
pub fn description_from_value(v: &Value) -> Option<ApiDescription> {
    let format = match v.get("format")?.as_str()? {
        "Oas30" => ExportFormat::Oas30,
        "Swagger20" => ExportFormat::Swagger20,
        _ => return None,
    };
    let operations = v
        .get("operations")?
        .as_array()?
        .iter()
        .map(operation)
        .collect::<Option<Vec<_>>>()?;
    Some(ApiDescription {
        format,
        title: text(v, "title"),
        base_url: text(v, "base_url"),
        operations,
    })
}
