//! Export as a CloudWatch Synthetics canary: the Node.js script and the CloudFormation template
//! (`AWS::Synthetics::Canary` with its role, artifact bucket and `rate(1 minute)` schedule) for the
//! current settings and assertions.
//!
//! The requests are built here, by the same functions a run uses
//! ([`steps::token_request`](crate::core::steps::token_request), [`steps::api_request`](crate::core::steps::api_request)), with a placeholder where the secret
//! goes; the script only puts the secret (read from Secrets Manager, as the seed's canary does)
//! in its place. The assertions travel pre-parsed (pointer tokens, expected JSON values, the
//! page's wording), so the script only compares. Nothing secret is in either file: the secret
//! stays in Secrets Manager, and credential headers cannot be exported.

use std::fmt;

use serde_json::{json, Value};

use crate::core::assertions::{expected_value, parse_pointer, Assertion};
use crate::core::client_token::TokenSource;
use crate::core::run::{Job, RunSnapshot, Secret, SecretBook};
use crate::core::settings::Settings;
use crate::core::steps;
use crate::core::token::ClientAuth;

/// Stands for the client secret in the exported token request; form-urlencoding leaves it as it is.
pub const SECRET_PLACEHOLDER: &str = "COGNITO_API_TESTER_CLIENT_SECRET";

/// The Synthetics runtime the template names by default (a template parameter: newer ones work too).
pub const DEFAULT_RUNTIME: &str = "syn-nodejs-puppeteer-10.0";

/// The file names the two exports are written under.
pub const SCRIPT_FILE: &str = "canary.js";
pub const TEMPLATE_FILE: &str = "canary.yaml";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanaryOptions {
    /// The canary's name: lower-case letters, digits, `-` and `_`, 1 to 255 characters.
    pub name: String,
    /// The Secrets Manager secret's name, in the seed's JSON shape (`USER_POOL_CLIENT_SECRET`…).
    pub secret_id: String,
    /// The tool version written into the files' first lines.
    pub tool_version: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanaryExport {
    pub script: String,
    pub template: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// A field stops the requests; the message names it.
    Blocked(String),
    BadName(String),
    BadSecretId(String),
    /// Assertion lines that cannot be read.
    Assertions(Vec<String>),
    /// Headers whose values are secret: they would be written into the script.
    SecretHeaders(Vec<String>),
    /// The settings or assertions hold a secret the tab knows, or text shaped like a token.
    HoldsSecret,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Blocked(why) => write!(f, "The canary cannot be exported: {why}"),
            Self::BadName(name) => write!(f, "The canary name {name:?} is not allowed: use 1 to 255 lower-case letters, digits, - and _ (CloudWatch Synthetics' rule)."),
            Self::BadSecretId(id) => write!(f, "The secret name {id:?} is not a Secrets Manager name: use letters, digits and /_+=.@- (at most 512 characters)."),
            Self::Assertions(lines) => write!(f, "The assertions cannot be exported until every line reads: {}", lines.join(" ")),
            // The script would carry it in clear (the canary gets its own token on every run).
            Self::HoldsSecret => write!(f, "The canary cannot be exported: {}", SecretBook::HOLDS_SECRET),
            Self::SecretHeaders(names) => write!(f, "The extra header{} {} hold{} a credential, which would be written into the canary script in clear. Remove {} before exporting (the canary reads only the client secret, from Secrets Manager).", if names.len() == 1 { "" } else { "s" }, names.join(", "), if names.len() == 1 { "s" } else { "" }, if names.len() == 1 { "it" } else { "them" }),
        }
    }
}

impl std::error::Error for ExportError {}

/// The script and template for these settings and assertion lines. Refused when they hold a
/// secret of `book` or text shaped like a token, as profiles and share links are: the script is
/// deployed, so what it holds ends up in S3 and the CloudFormation console.
pub fn export_canary(
    settings: &Settings,
    assertions_text: &str,
    options: &CanaryOptions,
    secret: &Secret,
    book: &SecretBook,
) -> Result<CanaryExport, ExportError> {
    check_name(&options.name)?;
    check_secret_id(&options.secret_id)?;
    if book.is_in_settings(secret, settings, assertions_text) {
        return Err(ExportError::HoldsSecret);
    }
    // The same snapshot a run freezes; the placeholder stands where the secret goes.
    let snapshot = RunSnapshot::new(
        Job::Run,
        settings.clone(),
        Secret::new(SECRET_PLACEHOLDER),
        assertions_text,
        0.0,
    );
    let mut blockers = settings.token_blockers(&snapshot.secret);
    blockers.extend(settings.api_blockers());
    if let Some(first) = blockers.first() {
        return Err(ExportError::Blocked(first.message.clone()));
    }
    let assertions = snapshot
        .assertions
        .as_ref()
        .map_err(|e| ExportError::Assertions(e.messages()))?;
    let secret_headers: Vec<String> = snapshot
        .headers
        .iter()
        .flatten()
        .filter(|h| h.secret)
        .map(|h| h.name.clone())
        .collect();
    if !secret_headers.is_empty() {
        return Err(ExportError::SecretHeaders(secret_headers));
    }
    let token = token_request(&snapshot)?;
    let api = steps::api_request(&snapshot, None).map_err(|d| ExportError::Blocked(d.cause))?;
    let config = json!({
        "secretId": options.secret_id,
        "clientId": settings.client_id.trim(),
        "placeholder": SECRET_PLACEHOLDER,
        "token": token,
        "api": {
            "method": api.method,
            "url": api.url,
            "headers": api.headers,
            "body": api.body,
        },
        "timeoutMs": u64::from(settings.timeout_secs).saturating_mul(1000),
        "assertions": assertions.iter().map(assertion_json).collect::<Vec<_>>(),
    });
    let config = yaml_safe(&serde_json::to_string_pretty(&config).unwrap_or_default());
    let script = SCRIPT
        .replace("{{VERSION}}", &options.tool_version)
        .replace("{{CONFIG}}", &config);
    let template = template(&script, options);
    Ok(CanaryExport { script, template })
}

/// The run's own token request (steps::token_request, client metadata included) with the
/// placeholder; for Basic, the header is left to the script (the secret is inside the base64),
/// flagged by `basic`. The script speaks the OAuth token endpoint only.
fn token_request(snapshot: &RunSnapshot) -> Result<Value, ExportError> {
    let settings = &snapshot.settings;
    if settings.token_source != TokenSource::TokenEndpoint {
        return Err(ExportError::Blocked(
            "the canary script gets its token from the OAuth token endpoint (client credentials); choose that token source to export (GetClientToken is not in the script yet).".into(),
        ));
    }
    let built = steps::token_request(snapshot).map_err(|d| ExportError::Blocked(d.cause))?;
    let basic = settings.client_auth == ClientAuth::BasicHeader;
    let headers: Vec<(String, String)> = built
        .headers
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("authorization"))
        .collect();
    Ok(json!({
        "url": built.url,
        "headers": headers,
        "body": built.body,
        "basic": basic,
    }))
}

/// One assertion as the script compares it, with the page's wording.
fn assertion_json(assertion: &Assertion) -> Value {
    let description = assertion.describe();
    match assertion {
        Assertion::Status { expected } => {
            json!({"kind": "status", "expected": expected, "description": description})
        }
        Assertion::StatusClass { class } => {
            json!({"kind": "statusClass", "class": class, "description": description})
        }
        Assertion::JsonIfDeclared => json!({"kind": "json", "description": description}),
        Assertion::JsonLength { expected } => {
            json!({"kind": "length", "expected": expected, "description": description})
        }
        Assertion::JsonPointerEquals { pointer, expected } => json!({
            "kind": "pointer",
            // The lines parsed, so the pointer does too; an empty list is the whole body.
            "tokens": parse_pointer(pointer).unwrap_or_default(),
            "pointer": pointer,
            "expected": expected_value(expected),
            "description": description,
        }),
        Assertion::BodyContains { text } => {
            json!({"kind": "contains", "text": text, "description": description})
        }
        Assertion::LatencyUnder { ms } => {
            json!({"kind": "latency", "ms": ms, "description": description})
        }
    }
}

fn check_name(name: &str) -> Result<(), ExportError> {
    let ok = !name.is_empty()
        && name.len() <= 255
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ExportError::BadName(name.to_owned()))
    }
}

fn check_secret_id(id: &str) -> Result<(), ExportError> {
    let ok = !id.is_empty()
        && id.len() <= 512
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ExportError::BadSecretId(id.to_owned()))
    }
}

/// The CloudFormation template with the script inline (a YAML literal block).
/// JSON text that also sits safely in the template's YAML block: serde_json leaves U+2028,
/// U+2029, U+0085 (line breaks to YAML 1.1, so a form value could end the block and add
/// resources), the other C1 controls, DEL and U+FFFE/U+FFFF (not allowed in YAML) unescaped in
/// strings, the only place JSON can hold them. `\uXXXX` reads the same in JavaScript.
fn yaml_safe(json: &str) -> String {
    let unsafe_in_yaml = |c: char| {
        matches!(
            c,
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
        )
    };
    if !json.chars().any(unsafe_in_yaml) {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_in_yaml(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn template(script: &str, options: &CanaryOptions) -> String {
    let mut inline = String::new();
    for line in script.lines() {
        if line.is_empty() {
            inline.push('\n');
        } else {
            inline.push_str("          ");
            inline.push_str(line);
            inline.push('\n');
        }
    }
    TEMPLATE
        .replace("{{VERSION}}", &options.tool_version)
        .replace("{{NAME}}", &options.name)
        .replace("{{SECRET_ID}}", &options.secret_id)
        .replace("{{RUNTIME}}", DEFAULT_RUNTIME)
        .replace("{{SCRIPT}}\n", &inline)
}

const SCRIPT: &str = include_str!("canary_export/canary.js");
const TEMPLATE: &str = include_str!("canary_export/canary.yaml");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::HttpMethod;

    fn demo() -> Settings {
        Settings {
            client_id: "demo-client-id".into(),
            domain: "my-pool.auth.eu-west-1.amazoncognito.com".into(),
            scope: "demo/example".into(),
            api_url: "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/pets".into(),
            ..Settings::default()
        }
    }

    /// The export with the default options and no secret in memory or in the book.
    fn exported(settings: &Settings, lines: &str) -> Result<CanaryExport, ExportError> {
        export_canary(
            settings,
            lines,
            &options(),
            &Secret::default(),
            &SecretBook::new(),
        )
    }

    fn options() -> CanaryOptions {
        CanaryOptions {
            name: "pets-api".into(),
            secret_id: "pets/canary".into(),
            tool_version: "0.1.0".into(),
        }
    }

    /// A body holding U+2028 (invisible in the textarea, carried by a share link) ended the
    /// template's YAML block: what followed became resources of its own (an IAM user, say).
    #[test]
    fn no_form_value_can_end_the_templates_script_block() {
        let settings = Settings {
            method: HttpMethod::Post,
            api_body: "{}\u{2028}  Backdoor:\u{2028}    Type: AWS::IAM::User\u{85}".into(),
            ..demo()
        };
        let export = exported(&settings, "contains a\u{85}b").unwrap();
        for c in ['\u{2028}', '\u{2029}', '\u{85}', '\u{7f}', '\u{ffff}'] {
            assert!(!export.template.contains(c), "{c:?} in the template");
        }
        assert!(
            export.script.contains("\\u2028  Backdoor:"),
            "{}",
            export.script
        );
        assert!(export.script.contains("a\\u0085b"), "{}", export.script);
        // The name is quoted: `0123` stays a name, not the number 83.
        let export = export_canary(
            &demo(),
            "status 200",
            &CanaryOptions {
                name: "0123".into(),
                ..options()
            },
            &Secret::default(),
            &SecretBook::new(),
        )
        .unwrap();
        assert!(export.template.contains("Name: \"0123\""));
    }

    #[test]
    fn the_script_carries_the_runs_requests_with_a_placeholder_for_the_secret() {
        let export = exported(&demo(), "status 200\nlength 3").unwrap();
        assert!(export.script.contains(
            "\"url\": \"https://my-pool.auth.eu-west-1.amazoncognito.com/oauth2/token\""
        ));
        assert!(export.script.contains(
            "grant_type=client_credentials&scope=demo%2Fexample&client_id=demo-client-id&client_secret=COGNITO_API_TESTER_CLIENT_SECRET"
        ), "{}", export.script);
        assert!(export
            .script
            .contains("\"description\": \"body has 3 items\""));
        assert!(!export.script.contains("{{"));
        assert!(export.template.contains("Expression: rate(1 minute)"));
        assert!(export.template.contains("Name: \"pets-api\""));
        assert!(!export.template.contains("{{"));
        // The script is indented into the literal block, line for line.
        let lines = export.script.lines().filter(|l| !l.is_empty()).count();
        let indented = export
            .template
            .lines()
            .filter(|l| l.starts_with("          "))
            .count();
        assert!(indented >= lines, "{indented} < {lines}");
    }

    #[test]
    fn basic_auth_leaves_the_header_to_the_script() {
        let mut settings = demo();
        settings.client_auth = ClientAuth::BasicHeader;
        settings.method = HttpMethod::Post;
        settings.api_body = "{\"a\":1}".into();
        let export = exported(&settings, "status 200").unwrap();
        assert!(export.script.contains("\"basic\": true"));
        assert!(!export.script.contains("Basic ZGVt"), "{}", export.script);
        assert!(export.script.contains("\"method\": \"POST\""));
    }

    #[test]
    fn what_cannot_be_exported_says_why() {
        let mut settings = demo();
        settings.extra_headers = "X-Api-Key: abcdef123".into();
        let e = exported(&settings, "status 200").unwrap_err();
        assert_eq!(e, ExportError::SecretHeaders(vec!["X-Api-Key".into()]));
        assert!(!e.to_string().contains("abcdef123"));
        assert!(matches!(
            exported(&demo(), "status two"),
            Err(ExportError::Assertions(_))
        ));
        let mut bad = options();
        bad.name = "Pets API".into();
        assert!(matches!(
            export_canary(
                &demo(),
                "status 200",
                &bad,
                &Secret::default(),
                &SecretBook::new()
            ),
            Err(ExportError::BadName(_))
        ));
        let mut settings = demo();
        settings.api_url = String::new();
        assert!(matches!(
            exported(&settings, "status 200"),
            Err(ExportError::Blocked(_))
        ));
    }

    /// The exported token request is the run's own: the client metadata rides along, and a
    /// token source the script does not speak is refused instead of silently swapped.
    #[test]
    fn the_exported_token_request_is_the_runs_own() {
        let mut settings = demo();
        settings.client_metadata = r#"{"tenant":"blue"}"#.into();
        let export = exported(&settings, "status 200").unwrap();
        assert!(
            export.script.contains("aws_client_metadata="),
            "{}",
            export.script
        );
        assert!(export.script.contains("tenant"), "{}", export.script);
        settings.token_source = TokenSource::GetClientToken;
        let refused = exported(&settings, "status 200").unwrap_err();
        assert!(refused.to_string().contains("GetClientToken"), "{refused}");
    }

    /// A token in the API URL or a header the name rules let through, a secret the tab has
    /// received in the body or an assertion: the script would carry it into S3 and the
    /// CloudFormation console. Refused like a profile or a share link.
    #[test]
    fn a_form_holding_a_secret_is_not_exported() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";
        let in_url = Settings {
            api_url: format!(
                "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/pets?access_token={token}"
            ),
            ..demo()
        };
        let in_header = Settings {
            extra_headers: format!("X-Jwt-Assertion: {token}"),
            ..demo()
        };
        for settings in [&in_url, &in_header] {
            let refused = exported(settings, "status 200").unwrap_err();
            assert_eq!(refused, ExportError::HoldsSecret);
            assert!(refused.to_string().contains("eyJ"), "{refused}");
        }
        let mut book = SecretBook::new();
        book.add(
            crate::core::run::SecretKind::RefreshToken,
            &Secret::new("an-opaque-secret-value"),
        );
        let in_body = Settings {
            api_body: "{\"key\":\"an-opaque-secret-value\"}".into(),
            ..demo()
        };
        assert_eq!(
            export_canary(
                &in_body,
                "status 200",
                &options(),
                &Secret::default(),
                &book
            )
            .unwrap_err(),
            ExportError::HoldsSecret
        );
        assert_eq!(
            export_canary(
                &demo(),
                "contains an-opaque-secret-value",
                &options(),
                &Secret::default(),
                &book
            )
            .unwrap_err(),
            ExportError::HoldsSecret
        );
        assert!(
            export_canary(&demo(), "status 200", &options(), &Secret::default(), &book).is_ok()
        );
    }
}
