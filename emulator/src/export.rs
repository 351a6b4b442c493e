//! `GET /_emulator/export?type=oas30|swagger`: the configured API as API Gateway's `get-export`
//! gives it with `--parameters extensions='authorizers'` (docs/aws-behaviour.md, "Authorization
//! matrix: API Gateway exports"), so the app's Import… of an export is tried on the real shape.
//!
//! Each method names its authorizer's security scheme with its scopes; the schemes carry
//! `x-amazon-apigateway-authtype` and `x-amazon-apigateway-authorizer`. A method's
//! `export_authorization` (a test scenario's deliberate misconfiguration) is what the export
//! shows instead of what the stage enforces.

use serde_json::{json, Map, Value};

use crate::config::{ApiMethod, Authorization, Config};

/// The name of the Cognito authorizer's security scheme (API Gateway uses the authorizer's name).
pub const COGNITO_AUTHORIZER: &str = "CognitoUserPoolAuthorizer";

/// An example value given to every path parameter. API Gateway keeps parameter examples only
/// when the API was imported with them; the emulator adds one so a matrix row can run as is.
pub const PATH_PARAM_EXAMPLE: &str = "1";

/// Which export: `oas30` or `swagger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportType {
    Oas30,
    Swagger,
}

impl ExportType {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "oas30" => Some(Self::Oas30),
            "swagger" => Some(Self::Swagger),
            _ => None,
        }
    }
}

fn exported(m: &ApiMethod) -> Authorization {
    m.export_authorization.unwrap_or(m.authorization)
}

fn scheme_name(config: &Config, m: &ApiMethod) -> Option<String> {
    match exported(m) {
        Authorization::CognitoUserPools => Some(COGNITO_AUTHORIZER.to_string()),
        Authorization::Jwt => config.jwt_authorizer(m).map(|a| a.name.clone()),
        Authorization::None => None,
    }
}

fn path_param_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|s| s.trim_end_matches('+').to_string())
        .collect()
}

fn operation(config: &Config, m: &ApiMethod, kind: ExportType) -> Value {
    let mut op = Map::new();
    let params: Vec<Value> = path_param_names(&m.path)
        .into_iter()
        .map(|name| match kind {
            ExportType::Oas30 => json!({
                "name": name, "in": "path", "required": true,
                "schema": {"type": "string"}, "example": PATH_PARAM_EXAMPLE
            }),
            ExportType::Swagger => json!({
                "name": name, "in": "path", "required": true,
                "type": "string", "x-example": PATH_PARAM_EXAMPLE
            }),
        })
        .collect();
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    let status = m.status.to_string();
    op.insert(
        "responses".into(),
        json!({ status.clone(): {"description": format!("{status} response")} }),
    );
    if let Some(name) = scheme_name(config, m) {
        op.insert("security".into(), json!([{ name: m.scopes }]));
    }
    Value::Object(op)
}

fn method_key(verb: &str) -> String {
    if verb == "ANY" {
        "x-amazon-apigateway-any-method".into()
    } else {
        verb.to_ascii_lowercase()
    }
}

fn schemes(config: &Config) -> Map<String, Value> {
    let mut out = Map::new();
    if config
        .methods
        .iter()
        .any(|m| exported(m) == Authorization::CognitoUserPools)
    {
        out.insert(
            COGNITO_AUTHORIZER.into(),
            json!({
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": [format!(
                        "arn:aws:cognito-idp:{}:123456789012:userpool/{}",
                        config.region, config.pool_id
                    )]
                }
            }),
        );
    }
    for a in &config.jwt_authorizers {
        let used = config.methods.iter().any(|m| {
            exported(m) == Authorization::Jwt
                && config.jwt_authorizer(m).is_some_and(|x| x.name == a.name)
        });
        if used {
            out.insert(
                a.name.clone(),
                json!({
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "jwt",
                    "x-amazon-apigateway-authorizer": {
                        "type": "jwt",
                        "identitySource": "method.request.header.Authorization",
                        "jwtConfiguration": { "audience": a.audiences }
                    }
                }),
            );
        }
    }
    out
}

/// The export document; `base_url` is the emulator's public origin.
pub(crate) fn export(config: &Config, base_url: &str, kind: ExportType) -> Value {
    let mut paths = Map::new();
    for m in &config.methods {
        let item = paths
            .entry(m.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method_key(&m.method), operation(config, m, kind));
        }
    }
    let info = json!({"title": format!("{} emulator API", config.pool_id), "version": "1"});
    match kind {
        ExportType::Oas30 => json!({
            "openapi": "3.0.1",
            "info": info,
            "servers": [{
                "url": format!("{base_url}/{{basePath}}"),
                "variables": {"basePath": {"default": config.stage}}
            }],
            "paths": paths,
            "components": {"securitySchemes": schemes(config)}
        }),
        ExportType::Swagger => {
            let (scheme, host) = base_url.split_once("://").unwrap_or(("http", base_url));
            json!({
                "swagger": "2.0",
                "info": info,
                "host": host,
                "basePath": format!("/{}", config.stage),
                "schemes": [scheme],
                "paths": paths,
                "securityDefinitions": schemes(config)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn oas30_names_the_authorizer_and_scopes_of_each_method() {
        let config = Config::default();
        let doc = export(&config, "http://127.0.0.1:9090", ExportType::Oas30);
        assert_eq!(doc["openapi"], "3.0.1");
        assert_eq!(doc["servers"][0]["url"], "http://127.0.0.1:9090/{basePath}");
        assert_eq!(doc["servers"][0]["variables"]["basePath"]["default"], "dev");
        assert_eq!(
            doc["paths"]["/pets"]["get"]["security"],
            json!([{COGNITO_AUTHORIZER: ["demo/example"]}])
        );
        assert_eq!(
            doc["paths"]["/reports"]["get"]["security"],
            json!([{COGNITO_AUTHORIZER: ["demo/other"]}])
        );
        assert_eq!(
            doc["paths"]["/id-token-only"]["get"]["security"],
            json!([{COGNITO_AUTHORIZER: []}])
        );
        assert!(doc["paths"]["/open"]["get"].get("security").is_none());
        assert_eq!(
            doc["paths"]["/jwt/pets"]["get"]["security"],
            json!([{"demo-jwt": ["demo/example"]}])
        );
        assert_eq!(
            doc["paths"]["/pets/{id}"]["delete"]["parameters"][0]["name"],
            "id"
        );
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(
            schemes[COGNITO_AUTHORIZER]["x-amazon-apigateway-authtype"],
            "cognito_user_pools"
        );
        assert_eq!(
            schemes[COGNITO_AUTHORIZER]["x-amazon-apigateway-authorizer"]["providerARNs"][0],
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_demo"
        );
        assert_eq!(schemes["demo-jwt"]["x-amazon-apigateway-authtype"], "jwt");
    }

    #[test]
    fn swagger_has_host_base_path_and_definitions() {
        let doc = export(
            &Config::default(),
            "http://127.0.0.1:9090",
            ExportType::Swagger,
        );
        assert_eq!(doc["swagger"], "2.0");
        assert_eq!(doc["host"], "127.0.0.1:9090");
        assert_eq!(doc["basePath"], "/dev");
        assert_eq!(doc["schemes"], json!(["http"]));
        assert_eq!(
            doc["securityDefinitions"][COGNITO_AUTHORIZER]["x-amazon-apigateway-authtype"],
            "cognito_user_pools"
        );
        assert_eq!(
            doc["paths"]["/pets/{id}"]["put"]["parameters"][0]["x-example"],
            PATH_PARAM_EXAMPLE
        );
    }

    #[test]
    fn export_authorization_is_what_the_export_shows() {
        let mut config = Config::default();
        let open = config
            .methods
            .iter_mut()
            .find(|m| m.path == "/open")
            .unwrap();
        open.export_authorization = Some(Authorization::CognitoUserPools);
        open.scopes = vec!["demo/example".into()];
        let doc = export(&config, "http://h", ExportType::Oas30);
        assert_eq!(
            doc["paths"]["/open"]["get"]["security"],
            json!([{COGNITO_AUTHORIZER: ["demo/example"]}])
        );
    }
}
