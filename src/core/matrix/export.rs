//! API Gateway exports (`aws apigateway get-export --export-type oas30|swagger --parameters
//! extensions='authorizers'`) read into one [`ApiDescription`]: every path and method, its
//! authorizer (from `x-amazon-apigateway-authtype` / `x-amazon-apigateway-authorizer` of the
//! security scheme it names) and its scopes (the list in the method's `security` entry).
//!
//! JSON only: see README ("Authorization matrix") for why YAML is not read.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An export of a large API is a few hundred KB; far more is the wrong file.
pub const MAX_EXPORT_BYTES: usize = 2 * 1024 * 1024;

/// The HTTP methods an export lists, in the order rows are shown for one path.
const METHOD_KEYS: [(&str, &str); 8] = [
    ("get", "GET"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("x-amazon-apigateway-any-method", "ANY"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// OpenAPI 3.0 (`--export-type oas30`).
    Oas30,
    /// Swagger 2.0 (`--export-type swagger`).
    Swagger20,
}

impl ExportFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::Oas30 => "OpenAPI 3.0",
            Self::Swagger20 => "Swagger 2.0",
        }
    }
}

/// Who guards a method, as the export says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthorizerKind {
    /// `x-amazon-apigateway-authtype: cognito_user_pools`.
    CognitoUserPools,
    /// A JWT authorizer (authorizer type `jwt`).
    Jwt,
    /// A Lambda authorizer (`custom`, authorizer type `token` or `request`).
    Lambda,
    /// IAM (`awsSigv4`): the tool does not sign requests.
    Iam,
    /// No security entry: anyone may call.
    None,
    /// A scheme the tool does not know (its authtype, or its name).
    Other(String),
}

impl AuthorizerKind {
    pub fn label(&self) -> String {
        match self {
            Self::CognitoUserPools => "Cognito user pool".into(),
            Self::Jwt => "JWT".into(),
            Self::Lambda => "Lambda".into(),
            Self::Iam => "IAM".into(),
            Self::None => "none".into(),
            Self::Other(name) => format!("unknown ({name})"),
        }
    }
}

/// A path parameter and the export's example for it (the row's default value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathParam {
    pub name: String,
    pub example: Option<String>,
}

/// One method of one path: one row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// As in the export, e.g. `/pets/{id}`.
    pub path: String,
    /// Upper case; `ANY` for `x-amazon-apigateway-any-method`.
    pub method: String,
    pub authorizer: AuthorizerKind,
    /// The security scheme's name in the export (the authorizer's name in API Gateway).
    pub authorizer_name: Option<String>,
    /// The method's authorization scopes (any one of them is enough).
    pub scopes: Vec<String>,
    /// The method also requires an API key (an `api_key` scheme beside or instead of an authorizer).
    #[serde(default)]
    pub api_key: bool,
    /// In the order they appear in the path.
    pub path_params: Vec<PathParam>,
    /// A JSON request body from the export's examples.
    pub body_example: Option<String>,
}

impl Operation {
    /// The path with `{name}` / `{name+}` replaced by `value(name)`, each value percent-encoded
    /// as one path segment (`{name+}` keeps its slashes).
    pub fn fill_path(&self, value: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        let mut rest = self.path.as_str();
        while let Some((before, after)) = rest.split_once('{') {
            let Some((name, tail)) = after.split_once('}') else {
                break;
            };
            out.push_str(before);
            let (name, greedy) = match name.strip_suffix('+') {
                Some(n) => (n, true),
                None => (name, false),
            };
            out.push_str(&encode_segment(&value(name), greedy));
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

fn encode_segment(value: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What an export says about an API: everything the matrix needs, and nothing secret (it can be
/// kept in a profile).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiDescription {
    pub format: ExportFormat,
    pub title: Option<String>,
    /// The stage's URL from `servers` (OAS 3.0) or `schemes`/`host`/`basePath` (Swagger 2.0),
    /// without a trailing slash; `None` when the export has none (then the API URL field is used).
    pub base_url: Option<String>,
    pub operations: Vec<Operation>,
}

impl ApiDescription {
    /// The verb `op` is sent with: its own method; for `ANY` the first verb its path does not
    /// define itself, safe ones first (GET, HEAD, OPTIONS, then POST, PUT, PATCH, DELETE). API
    /// Gateway gives a request to the method defined for its verb, so ANY sent as a verb its path
    /// also defines would judge that other method's answer. None: the path defines every verb,
    /// so no request reaches ANY.
    pub fn verb_sent<'a>(&self, op: &'a Operation) -> Option<&'a str> {
        if op.method != "ANY" {
            return Some(&op.method);
        }
        METHOD_KEYS
            .iter()
            .map(|(_, verb)| *verb)
            .filter(|verb| *verb != "ANY")
            .find(|verb| {
                !self
                    .operations
                    .iter()
                    .any(|o| o.path == op.path && o.method == *verb)
            })
    }

    /// The Method cell: see [`method_label`].
    pub fn method_label(&self, op: &Operation) -> String {
        method_label(&op.method, self.verb_sent(op))
    }
}

/// The export's method, and for ANY the verb it is sent as, which the export does not say
/// ("ANY (as HEAD)"); `verb` is None for an ANY no request can reach.
pub fn method_label(method: &str, verb: Option<&str>) -> String {
    match (method, verb) {
        ("ANY", Some(verb)) => format!("ANY (as {verb})"),
        ("ANY", None) => "ANY (never reached: the path defines every verb)".into(),
        _ => method.to_owned(),
    }
}

/// Why a file is not an export the matrix can use. Messages say what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    Empty,
    TooLarge {
        bytes: usize,
    },
    /// The text looks like YAML.
    Yaml,
    NotJson {
        line: usize,
        column: usize,
    },
    /// JSON, but neither `openapi` nor `swagger` at the top.
    NotAnExport,
    UnsupportedVersion(String),
    NoPaths,
    /// A method names a security scheme the export does not define.
    UnknownScheme {
        path: String,
        method: String,
        scheme: String,
    },
    /// Something is not the type OpenAPI/Swagger says it is.
    Shape {
        at: String,
        expected: &'static str,
    },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const EXPORT: &str = "aws apigateway get-export --rest-api-id <id> --stage-name <stage> --export-type oas30 --parameters extensions='authorizers' --accepts application/json export.json";
        match self {
            Self::Empty => write!(f, "The file is empty. Export the API with: {EXPORT}"),
            Self::TooLarge { bytes } => write!(
                f,
                "The file has {bytes} bytes; an API export is at most {MAX_EXPORT_BYTES}. Is it the right file?"
            ),
            Self::Yaml => write!(
                f,
                "This export is YAML; the tool reads JSON exports. Export again with --accepts application/json: {EXPORT}"
            ),
            Self::NotJson { line, column } => write!(
                f,
                "The file is not valid JSON (line {line}, column {column}). Export the API again with: {EXPORT}"
            ),
            Self::NotAnExport => write!(
                f,
                "This JSON is not an API export: it has neither \"openapi\" nor \"swagger\" at the top. Export the API with: {EXPORT}"
            ),
            Self::UnsupportedVersion(v) => write!(
                f,
                "Version \"{v}\" is not read: the tool reads OpenAPI 3.0 (--export-type oas30) and Swagger 2.0 (--export-type swagger) exports."
            ),
            Self::NoPaths => write!(
                f,
                "The export lists no paths: has the API any methods, and was the right stage exported?"
            ),
            Self::UnknownScheme { path, method, scheme } => write!(
                f,
                "{method} {path} names the security scheme \"{scheme}\", which the export does not define. Export with --parameters extensions='authorizers' so the authorizers are included."
            ),
            Self::Shape { at, expected } => write!(
                f,
                "The export's {at} should be {expected}. Is the file edited by hand? Export it again from API Gateway."
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// A security scheme, resolved to a kind once.
struct Scheme {
    name: String,
    kind: AuthorizerKind,
    /// Whether it is an authorizer at all (an `api_key` scheme is not).
    authorizer: bool,
}

fn shape(at: impl Into<String>, expected: &'static str) -> ExportError {
    ExportError::Shape {
        at: at.into(),
        expected,
    }
}

/// Reads an OAS 3.0 or Swagger 2.0 export (JSON).
pub fn parse_export(text: &str) -> Result<ApiDescription, ExportError> {
    if text.len() > MAX_EXPORT_BYTES {
        return Err(ExportError::TooLarge { bytes: text.len() });
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(ExportError::Empty);
    }
    let root: Value = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(e) => {
            let first = trimmed.lines().next().unwrap_or("").trim_start();
            if first.starts_with("openapi:")
                || first.starts_with("swagger:")
                || first.starts_with("---")
            {
                return Err(ExportError::Yaml);
            }
            return Err(ExportError::NotJson {
                line: e.line(),
                column: e.column(),
            });
        }
    };
    let Some(root) = root.as_object() else {
        return Err(ExportError::NotAnExport);
    };
    let format = if let Some(v) = root.get("openapi") {
        let v = version(v);
        if !v.starts_with("3.0") {
            return Err(ExportError::UnsupportedVersion(v));
        }
        ExportFormat::Oas30
    } else if let Some(v) = root.get("swagger") {
        let v = version(v);
        if v != "2.0" && v != "2" {
            return Err(ExportError::UnsupportedVersion(v));
        }
        ExportFormat::Swagger20
    } else {
        return Err(ExportError::NotAnExport);
    };
    let schemes_value = match format {
        ExportFormat::Oas30 => root
            .get("components")
            .and_then(|c| c.get("securitySchemes")),
        ExportFormat::Swagger20 => root.get("securityDefinitions"),
    };
    let schemes = read_schemes(schemes_value)?;
    let default_security = root.get("security");
    let paths = match root.get("paths") {
        None => return Err(ExportError::NoPaths),
        Some(Value::Object(p)) => p,
        Some(_) => return Err(shape("\"paths\"", "an object")),
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        // API Gateway's paths never hold one; in a report a line break would start a forged row.
        if path.chars().any(char::is_control) {
            return Err(shape(
                format!("path {:?}", path.chars().take(60).collect::<String>()),
                "a path without line breaks or other control characters",
            ));
        }
        let Some(item) = item.as_object() else {
            return Err(shape(format!("path \"{path}\""), "an object"));
        };
        let shared_params = item.get("parameters");
        for (key, verb) in METHOD_KEYS {
            let Some(op) = item.get(key) else { continue };
            let Some(op) = op.as_object() else {
                return Err(shape(format!("{verb} {path}"), "an object"));
            };
            let security = op.get("security").or(default_security);
            let (authorizer, authorizer_name, scopes, api_key) =
                read_security(security, &schemes, path, verb)?;
            operations.push(Operation {
                path: path.clone(),
                method: verb.to_string(),
                authorizer,
                authorizer_name,
                scopes,
                api_key,
                path_params: path_params(path, shared_params, op.get("parameters")),
                body_example: body_example(op),
            });
        }
    }
    if operations.is_empty() {
        return Err(ExportError::NoPaths);
    }
    let title = root
        .get("info")
        .and_then(|i| i.get("title"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let base_url = match format {
        ExportFormat::Oas30 => oas_base_url(root),
        ExportFormat::Swagger20 => swagger_base_url(root),
    };
    Ok(ApiDescription {
        format,
        title,
        base_url,
        operations,
    })
}

fn version(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

fn read_schemes(value: Option<&Value>) -> Result<Vec<Scheme>, ExportError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(map) = value.as_object() else {
        return Err(shape("security schemes", "an object"));
    };
    Ok(map
        .iter()
        .map(|(name, scheme)| {
            let authtype = scheme
                .get("x-amazon-apigateway-authtype")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            let authorizer_type = scheme
                .get("x-amazon-apigateway-authorizer")
                .and_then(|a| a.get("type"))
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            let kind = match (authtype.as_deref(), authorizer_type.as_deref()) {
                (Some("cognito_user_pools"), _) | (_, Some("cognito_user_pools")) => {
                    AuthorizerKind::CognitoUserPools
                }
                (Some("jwt"), _) | (_, Some("jwt")) => AuthorizerKind::Jwt,
                (Some("awssigv4"), _) => AuthorizerKind::Iam,
                (Some("custom"), _) | (_, Some("token" | "request")) => AuthorizerKind::Lambda,
                (Some(other), _) => AuthorizerKind::Other(other.to_string()),
                (None, Some(other)) => AuthorizerKind::Other(other.to_string()),
                (None, None) => AuthorizerKind::Other(name.clone()),
            };
            // A scheme without the extensions is API Gateway's API key (`api_key`), not an authorizer.
            let authorizer = authtype.is_some() || authorizer_type.is_some();
            Scheme {
                name: name.clone(),
                kind,
                authorizer,
            }
        })
        .collect())
}

/// Authorizer, its scheme's name, the scopes, and whether an API key is required too.
type Security = (AuthorizerKind, Option<String>, Vec<String>, bool);

/// The method's authorizer and scopes from its `security` list (`[{"Name": ["scope", …]}]`).
/// API Gateway puts one authorizer per method; an API key scheme beside it is not an authorizer.
fn read_security(
    security: Option<&Value>,
    schemes: &[Scheme],
    path: &str,
    verb: &str,
) -> Result<Security, ExportError> {
    let at = || format!("security of {verb} {path}");
    let list = match security {
        None => return Ok((AuthorizerKind::None, None, Vec::new(), false)),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(shape(at(), "a list")),
    };
    let mut api_key = false;
    let mut found: Option<(AuthorizerKind, Option<String>, Vec<String>)> = None;
    for requirement in list {
        let Some(requirement) = requirement.as_object() else {
            return Err(shape(at(), "a list of objects"));
        };
        for (name, scopes) in requirement {
            let Some(scheme) = schemes.iter().find(|s| &s.name == name) else {
                return Err(ExportError::UnknownScheme {
                    path: path.to_string(),
                    method: verb.to_string(),
                    scheme: name.clone(),
                });
            };
            if !scheme.authorizer {
                api_key = true;
                continue;
            }
            if found.is_some() {
                continue;
            }
            let scopes = match scopes {
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                _ => return Err(shape(at(), "scopes as a list of strings")),
            };
            found = Some((scheme.kind.clone(), Some(name.clone()), scopes));
        }
    }
    let (kind, name, scopes) = found.unwrap_or((AuthorizerKind::None, None, Vec::new()));
    Ok((kind, name, scopes, api_key))
}

/// The names in `{…}` of a path template, `+` removed.
fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        let name = name.trim_end_matches('+');
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
        rest = tail;
    }
    names
}

fn path_params(path: &str, shared: Option<&Value>, own: Option<&Value>) -> Vec<PathParam> {
    let declared: Vec<&Value> = [shared, own]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .collect();
    template_names(path)
        .into_iter()
        .map(|name| {
            // The operation's own declaration wins over the path's (it comes later).
            let example = declared
                .iter()
                .rev()
                .filter(|p| {
                    p.get("in").and_then(Value::as_str) == Some("path")
                        && p.get("name").and_then(Value::as_str) == Some(name.as_str())
                })
                .find_map(|p| param_example(p));
            PathParam { name, example }
        })
        .collect()
}

/// `example`, `x-example` (Swagger), the first of `examples`, `schema.example`, or `default`.
fn param_example(p: &Value) -> Option<String> {
    let candidates = [
        p.get("example"),
        p.get("x-example"),
        p.get("examples")
            .and_then(Value::as_object)
            .and_then(|m| m.values().next())
            .and_then(|e| e.get("value")),
        p.get("schema").and_then(|s| s.get("example")),
        p.get("default"),
        p.get("schema").and_then(|s| s.get("default")),
    ];
    candidates.into_iter().flatten().find_map(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// A JSON body from `requestBody.content["application/json"]` (OAS 3.0) or the `in: body`
/// parameter's schema (Swagger 2.0).
fn body_example(op: &Map<String, Value>) -> Option<String> {
    let oas = op
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(|c| c.get("application/json"))
        .and_then(|m| {
            m.get("example").or_else(|| {
                m.get("examples")
                    .and_then(Value::as_object)
                    .and_then(|e| e.values().next())
                    .and_then(|e| e.get("value"))
            })
        });
    let swagger = || {
        op.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("in").and_then(Value::as_str) == Some("body"))
            .and_then(|p| p.get("schema"))
            .and_then(|s| s.get("example"))
    };
    oas.or_else(swagger).map(Value::to_string)
}

/// `servers[0].url` with its `{variables}` replaced by their defaults.
fn oas_base_url(root: &Map<String, Value>) -> Option<String> {
    let server = root.get("servers")?.as_array()?.first()?;
    let mut url = server.get("url")?.as_str()?.to_string();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            if let Some(default) = var.get("default").and_then(Value::as_str) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    clean_base(&url)
}

/// `schemes[0]://host basePath` (https when no scheme is listed).
fn swagger_base_url(root: &Map<String, Value>) -> Option<String> {
    let host = root.get("host")?.as_str()?;
    let scheme = root
        .get("schemes")
        .and_then(Value::as_array)
        .and_then(|s| {
            // Prefer https when both are listed.
            let names: Vec<&str> = s.iter().filter_map(Value::as_str).collect();
            if names.contains(&"https") {
                Some("https")
            } else {
                names.first().copied()
            }
        })
        .unwrap_or("https");
    let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    clean_base(&format!("{scheme}://{host}/{base_path}"))
}

/// An absolute http(s) URL without doubled or trailing slashes in its path; `None` for a
/// relative URL or one with unresolved `{variables}`.
fn clean_base(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") || url.contains('{') {
        return None;
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return None;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = format!("{scheme}://{host}");
    for s in segments {
        out.push('/');
        out.push_str(s);
    }
    Some(out)
}
