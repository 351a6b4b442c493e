//! Turns a failure into three sentences for a QA engineer: what happened, the likely cause, and
//! what to do — naming the status, host and values involved. Causes follow AWS's documented
//! behaviour (see docs/aws-behaviour.md); where AWS does not promise a behaviour, the text says "usually".

use serde::Serialize;
use serde_json::Value;

mod client_token;
mod network;
pub use client_token::client_token_failure;
pub use network::network_failure;

use super::exchange::{header, reason_phrase};
use super::token::{
    normalise_scopes, url_encoding_sensitive_chars, ClientAuth, OAuthErrorCode, TokenFailure,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    pub severity: Severity,
    pub what: String,
    pub cause: String,
    pub fix: String,
}

fn error(what: String, cause: String, fix: String) -> Diagnosis {
    Diagnosis {
        severity: Severity::Error,
        what,
        cause,
        fix,
    }
}

/// Which request of a run failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Token,
    /// The token from GetClientToken (the user-pools API).
    ClientToken,
    Api,
    Jwks,
}

impl Step {
    fn target(self) -> &'static str {
        match self {
            Step::Token => "the token endpoint",
            Step::ClientToken => "the user pools API (GetClientToken)",
            Step::Api => "the API",
            Step::Jwks => "the JWKS endpoint",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            Step::Token => "The token endpoint",
            Step::ClientToken => "The user pools API (GetClientToken)",
            Step::Api => "The API",
            Step::Jwks => "The JWKS endpoint",
        }
    }
}

/// "HTTP 403 Forbidden", or "HTTP 499" when the code has no standard phrase.
fn http_status(status: u16) -> String {
    format!("HTTP {status} {}", reason_phrase(status))
        .trim_end()
        .to_owned()
}

/// A request that got no readable answer. The browser hides the reason, so the web layer
/// classifies it with a `no-cors` probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkFailure {
    TimedOut {
        after_ms: u32,
    },
    Cancelled,
    /// A no-cors probe got an opaque answer: the server is there but does not allow this origin.
    CorsBlocked,
    /// The probe failed too.
    Unreachable,
}

const POOL_DOMAIN: &str = super::aws::PREFIX_DOMAIN_SHAPE;

/// [`token_failure_with_scope`] without the requested scopes.
pub fn token_failure(failure: &TokenFailure, auth: ClientAuth) -> Diagnosis {
    token_failure_with_scope(failure, auth, "")
}

/// As [`token_failure`], naming the requested scopes (the Scope field) for `invalid_scope`.
pub fn token_failure_with_scope(
    failure: &TokenFailure,
    auth: ClientAuth,
    scope: &str,
) -> Diagnosis {
    token_failure_with_secret(failure, auth, scope, "")
}

/// As [`token_failure_with_scope`]; the client secret (never quoted) lets `invalid_client` name
/// the characters on which Basic encodings disagree.
pub fn token_failure_with_secret(
    failure: &TokenFailure,
    auth: ClientAuth,
    scope: &str,
    secret: &str,
) -> Diagnosis {
    let mut diagnosis = token_failure_inner(failure, auth, scope, secret);
    let status = failure.status();
    if (500..600).contains(&status) {
        // docs/aws-behaviour.md: a failing pre token generation trigger makes the endpoint fail.
        diagnosis.cause.push_str(" If the user pool has a pre token generation Lambda trigger (event version V3_0 runs for client credentials), a trigger that throws, times out or returns a response Cognito cannot use also makes the token endpoint fail with a 5xx.");
        diagnosis.fix.push_str(" Check the trigger function's CloudWatch logs for this request's time, and any aws_client_metadata sent to it.");
    }
    diagnosis
}

fn token_failure_inner(
    failure: &TokenFailure,
    auth: ClientAuth,
    scope: &str,
    secret: &str,
) -> Diagnosis {
    match failure {
        TokenFailure::OAuth {
            status,
            code,
            description,
        } => oauth_error(*status, code, description.as_deref(), auth, scope, secret),
        TokenFailure::EmptyBody { status } => empty_token_body(*status),
        TokenFailure::NotJson { status, snippet } => {
            let (shown, _) = super::exchange::truncate_outside_secrets(snippet, 80);
            let looks_html = snippet.trim_start().starts_with('<')
                || snippet.to_ascii_lowercase().contains("<html");
            let kind = if looks_html { "an HTML page" } else { "plain text" };
            error(
                format!("The token endpoint answered HTTP {status} with {kind} instead of JSON: \"{shown}\"."),
                "Cognito's token endpoint always answers JSON, so something else answered: usually a wrong URL (the Domain field pointing at a web site or the login page instead of the user pool domain), a proxy, or a corporate gateway or login page in between.".to_owned(),
                format!("Check the Domain field is the user pool domain ({POOL_DOMAIN}, or its custom domain) and open the raw response to see who answered. If a corporate proxy answered, try another network."),
            )
        }
        TokenFailure::MissingAccessToken { status } if is_success(*status) => error(
            format!("The token endpoint answered HTTP {status} with JSON that has no access_token."),
            "A Cognito token response always has access_token, so the URL probably reaches another service, or a proxy rewrote the answer.".to_owned(),
            format!("Check the Domain field is the user pool domain ({POOL_DOMAIN}) and the path is /oauth2/token; compare the raw response with what Cognito sends."),
        ),
        TokenFailure::MissingAccessToken { status } => error(
            format!("The token endpoint answered {} with JSON that is neither a token nor an OAuth error.", http_status(*status)),
            "Cognito reports problems as {\"error\": …}; a {\"message\": …} answer usually comes from something in front of it: an API Gateway, a WAF, a CloudFront distribution or a custom domain set up elsewhere.".to_owned(),
            format!("Read the message in the raw response, and check the Domain field is the user pool domain ({POOL_DOMAIN})."),
        ),
        TokenFailure::UnexpectedStatus { status } => Diagnosis {
            severity: Severity::Warning,
            what: format!("The token endpoint sent an access_token but with HTTP {status} instead of 200."),
            cause: "Cognito answers 200 with a token; a proxy or gateway between this page and Cognito probably changed the status.".to_owned(),
            fix: "The token may still work: decode it below. Check the proxy or gateway configuration and the raw response headers.".to_owned(),
        },
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn oauth_error(
    status: u16,
    code: &OAuthErrorCode,
    description: Option<&str>,
    auth: ClientAuth,
    scope: &str,
    secret: &str,
) -> Diagnosis {
    let said = description.map_or(String::new(), |d| format!(" Cognito says: \"{d}\"."));
    let what = |summary: &str| {
        format!(
            "Cognito refused the token request with \"{code}\" (HTTP {status}): {summary}.{said}"
        )
    };
    match code {
        OAuthErrorCode::InvalidClient => error(
            what("the client credentials were not accepted"),
            format!("The client ID or client secret is wrong (a copy error, an app client of another user pool than this domain, or a secret rotated away: an app client holds at most two active secrets, and the old one stops working once it is deleted), or Cognito expected the secret another way: it was sent as \"{}\".{}", auth.label(), basic_encoding_note(auth, secret)),
            format!("Copy the client ID and an active secret again from the app client (Amazon Cognito → User pools → App clients → the client's secrets). If they are right, switch \"Client authentication\" to \"{}\" and retry.", auth.other().label()),
        ),
        OAuthErrorCode::UnauthorizedClient => error(
            what("this app client may not use client credentials"),
            "The app client does not have the client credentials grant enabled, or it was created without a client secret (client credentials needs one).".to_owned(),
            "In the user pool, open the app client's login pages settings, enable the OAuth grant type \"Client credentials\" and select at least one custom scope. A client without a secret cannot get one later: create a new app client with a client secret.".to_owned(),
        ),
        OAuthErrorCode::InvalidScope => {
            let scopes = normalise_scopes(scope);
            let requested = if scopes.is_empty() {
                String::from("A requested scope")
            } else {
                format!("One of the requested scopes ({})", scopes.join(", "))
            };
            error(
                what("a requested scope is not allowed"),
                format!("{requested} is not defined on a resource server of this user pool, or is not enabled for this app client. Custom scopes have the form resourceServerId/scopeName, e.g. demo/read."),
                "Compare the Scope field with the user pool's resource servers (identifier + scope name) and the app client's allowed custom scopes; fix the spelling, enable the scope on the app client, or leave Scope empty to get every scope the client is allowed.".to_owned(),
            )
        }
        OAuthErrorCode::UnsupportedGrantType => error(
            what("the grant type was not accepted"),
            "Cognito accepts grant_type client_credentials, authorization_code and refresh_token. This tool sends client_credentials, so the body probably did not arrive as sent (a proxy changed it) or the endpoint is not Cognito.".to_owned(),
            "Check the raw request body contains grant_type=client_credentials with Content-Type application/x-www-form-urlencoded, and that any proxy forwards the body unchanged.".to_owned(),
        ),
        OAuthErrorCode::InvalidRequest => error(
            what("the request is malformed"),
            format!("A required parameter is missing or the body was not form-encoded: Cognito needs Content-Type application/x-www-form-urlencoded, grant_type, and the client ID (sent here as \"{}\").", auth.label()),
            format!("Check the raw request: header Content-Type: application/x-www-form-urlencoded, body grant_type=client_credentials. If a proxy is in between, make sure it forwards the body and the Authorization header. Switching \"Client authentication\" to \"{}\" can also help.", auth.other().label()),
        ),
        OAuthErrorCode::InvalidGrant => error(
            what("the grant is not valid"),
            "Cognito uses invalid_grant for authorization codes and refresh tokens; for client credentials it usually means the app client has OAuth turned off (AllowedOAuthFlowsUserPoolClient is false, e.g. a client set up only for GetClientToken or API sign-in), or the request was changed on the way, or the endpoint is not Cognito.".to_owned(),
            "In the app client's login pages settings, enable OAuth 2.0 with the \"Client credentials\" grant and a custom scope (AllowedOAuthFlowsUserPoolClient true); check the raw request body reads grant_type=client_credentials and the Domain field is the user pool domain, then retry.".to_owned(),
        ),
        OAuthErrorCode::Other(_) => error(
            what("an error code Cognito does not document"),
            "The endpoint may not be Cognito (a custom domain or gateway with its own OAuth server), or Cognito reported an internal problem.".to_owned(),
            format!("Read the raw response and its description, check the Domain field is the user pool domain ({POOL_DOMAIN}), and retry later if it looks temporary."),
        ),
    }
}

/// For `invalid_client` with the Basic header: which characters of the secret the two Basic
/// encodings treat differently (the characters only, never the secret).
fn basic_encoding_note(auth: ClientAuth, secret: &str) -> String {
    let special = url_encoding_sensitive_chars(secret);
    if auth != ClientAuth::BasicHeader || special.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = special.iter().map(|c| format!("'{c}'")).collect();
    format!(" The secret contains {}, which the Basic header's encoding can change: this tool sends Base64(client_id:client_secret) as AWS documents it, while RFC 6749 clients URL-encode both first; a server (or a proxy) expecting the other form refuses the secret. \"Secret in body\" avoids the question.", shown.join(", "))
}

fn empty_token_body(status: u16) -> Diagnosis {
    let what = format!(
        "The token endpoint answered {} with an empty body.",
        http_status(status)
    );
    match status {
        404 | 405 => error(
            what,
            "Nothing at that address takes the token request: the URL is not the user pool domain's /oauth2/token, or the request lacked Content-Type application/x-www-form-urlencoded (Cognito then answers 405 with no body).".to_owned(),
            format!("Set the Domain field to the user pool domain from Amazon Cognito → User pools → Domain ({POOL_DOMAIN}) so the URL ends in /oauth2/token, and keep the Content-Type header."),
        ),
        s if is_success(s) => error(
            what,
            "Cognito never answers success without a token: the URL reaches something else, or a proxy dropped the body.".to_owned(),
            "Check the Domain field and the path /oauth2/token, and that any proxy forwards response bodies.".to_owned(),
        ),
        s if s >= 500 => error(
            what,
            "The server failed without saying why: a temporary Cognito problem, or a proxy or gateway in front of it failing.".to_owned(),
            "Retry in a minute; if it persists, check the proxy or gateway and the AWS Health Dashboard for Cognito in this region.".to_owned(),
        ),
        _ => error(
            what,
            "An empty error answer usually means the request did not reach Cognito's token endpoint as expected: a wrong path or domain, a missing Content-Type header, or a gateway in between.".to_owned(),
            format!("Check the URL is {POOL_DOMAIN}/oauth2/token and the request has Content-Type application/x-www-form-urlencoded."),
        ),
    }
}

/// Status and headers arrived but the body broke off: the answer cannot be judged, only retried.
pub fn body_interrupted(step: Step, message: &str) -> Diagnosis {
    let detail = message.trim();
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" (the browser said: {detail})")
    };
    error(
        format!(
            "{} started to answer, but its body broke off before the end{detail}.",
            step.subject()
        ),
        "The connection closed early: a network interruption, a proxy or gateway cutting the response, the timeout or Cancel stopping it mid-body, or the server failing while sending.".to_owned(),
        "Run it again. If it keeps breaking off, try without \"Route through proxy\" (or with it), on another network, and check the server's logs.".to_owned(),
    )
}

/// A 3xx answer, which the tool does not follow (the browser does not even show where it points).
pub fn redirected(step: Step, url: &str) -> Diagnosis {
    error(
        format!("{} answered with a redirect (3xx) instead of an answer.", step.subject()),
        format!("Cognito's endpoints and API Gateway answer directly; a redirect means {url} is not the endpoint itself (an http:// URL redirected to https://, a custom domain or load balancer in front, or a login page). The tool does not follow redirects: following one can drop the Authorization header or turn a POST into a GET, so the answer would not be to what was sent."),
        "Use the final URL (check it with curl -I, or in the browser's network panel) as the address, with https://.".to_owned(),
    )
}

/// The `message` (or `Message`) field API Gateway puts in its JSON error bodies.
fn api_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let object = value.as_object()?;
    ["message", "Message"]
        .iter()
        .find_map(|k| object.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
}

/// Explains a non-2xx answer from the protected API; `None` when it succeeded.
pub fn api_failure(status: u16, body: &str, headers: &[(String, String)]) -> Option<Diagnosis> {
    if is_success(status) {
        return None;
    }
    let message = api_message(body);
    let message_lower = message.as_deref().unwrap_or_default().to_ascii_lowercase();
    // "AccessDeniedException:http://internal.amazon.com/…" → the part before the colon.
    let error_type = header(headers, "x-amzn-ErrorType")
        .and_then(|t| t.split(':').next())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let mut what = format!("The API answered {}", http_status(status));
    if let Some(m) = &message {
        what.push_str(&format!(": \"{m}\""));
    }
    if let Some(t) = error_type {
        what.push_str(&format!(" (x-amzn-ErrorType: {t})"));
    }
    what.push('.');

    let diagnosis = match status {
        401 if message_lower.contains("expired") => error(
            what,
            "The access token's exp time has passed: the token outlived its validity (expires_in), or this computer's clock and AWS's disagree.".to_owned(),
            "Get a new token (Get token, or Run) and call again. If a fresh token is refused as expired, compare the computer's clock with the response's Date header and the token's iat.".to_owned(),
        ),
        401 => {
            let mut cause = "The Cognito authorizer rejected the token. Usual reasons: no token or a malformed Authorization header; a token from another user pool than the authorizer's; none of the method's scopes is in the token's scope claim; or the method has no Authorization Scopes, in which case API Gateway expects an ID token and refuses access tokens from client credentials. With a JWT authorizer instead, 401 means the token itself was refused (issuer not trusted, audience not listed, expired, wrong algorithm or signature); a missing scope gets 403 there.".to_owned();
            if let Some(challenge) = header(headers, "www-authenticate") {
                cause.push_str(&format!(" The www-authenticate header says: {challenge}"));
            }
            error(
                what,
                cause,
                "In API Gateway, open the method's Method request, add the scope your token carries (resourceServerId/scopeName, see the scope claim) under Authorization Scopes, and deploy the API to the stage. Check the token's iss is the authorizer's user pool.".to_owned(),
            )
        }
        403 if message_lower.contains("missing authentication token") => error(
            what,
            "API Gateway answers this for a route that does not exist, before looking at any token: the stage name, resource path or method is wrong, or the API was not deployed after the method was added.".to_owned(),
            "Check the stage name in the URL (e.g. /dev/…), the resource path (it is case-sensitive) and the method; then deploy the API to that stage.".to_owned(),
        ),
        403 if message_lower.contains("key=value") || message_lower.contains("authorization header requires") => error(
            what,
            "The method uses IAM authorization (AWS Signature V4), not the Cognito authorizer, so a Bearer token cannot work.".to_owned(),
            "Set the method's Authorization to the Cognito user pool authorizer and deploy the API, or call it with SigV4-signed requests instead.".to_owned(),
        ),
        403 if message_lower.trim() == "forbidden" => error(
            what,
            "With a JWT authorizer (a REST API method with authorization type JWT, or an HTTP API route), 403 Forbidden means the token was valid but carries none of the method's authorization scopes (a Cognito authorizer answers 401 for that). Without a JWT authorizer, a resource policy, AWS WAF or a private API's endpoint policy refused the call.".to_owned(),
            "Compare the token's scope claim with the method's Authorization Scopes (Cognito scopes look like resourceServerId/scopeName), allow that scope on the app client and get a new token; otherwise check the resource policy and WAF rules.".to_owned(),
        ),
        403 => error(
            what,
            "The request was recognised but refused by a policy rather than by the token check: a resource policy or Lambda authorizer denying this caller (\"User is not authorized to access this resource\"), an API key required by the method, AWS WAF, a private API reached from outside its VPC, or (through CloudFront) a forwarded Host header, which API Gateway refuses.".to_owned(),
            "Check the API's resource policy, the method's \"API key required\" setting (send x-api-key), any WAF web ACL on the stage, and the endpoint type; a CloudFront proxy must use the AllViewerExceptHostHeader origin request policy.".to_owned(),
        ),
        404 => error(
            what,
            "The route exists in API Gateway but the backend says the resource is not there, or (HTTP APIs and custom domains) no route or base path mapping matches this URL.".to_owned(),
            "Check the path after the stage, the custom domain's base path mappings, and the backend's logs for this request.".to_owned(),
        ),
        429 => Diagnosis {
            severity: Severity::Warning,
            what,
            cause: "The API is throttling: too many requests for the stage or method limits, or the usage plan's quota for this API key is used up.".to_owned(),
            fix: "Wait a little and retry; if it keeps happening, raise the stage throttling or usage plan limits.".to_owned(),
        },
        500 => error(
            what,
            "The integration failed: the Lambda function threw an error or returned a malformed proxy response, or a mapping template failed.".to_owned(),
            "Look at the backend's CloudWatch logs (the Lambda function's log group, or enable execution logging on the stage) for this request's time.".to_owned(),
        ),
        502 => error(
            what,
            "API Gateway got an invalid answer from the integration: typically a Lambda proxy integration returning something other than {statusCode, headers, body as a string}, or a Lambda that crashed.".to_owned(),
            "Check the Lambda function's logs and make sure it returns statusCode, headers and a string body.".to_owned(),
        ),
        503 => error(
            what,
            "The backend is unavailable or overloaded (or the Lambda function is being throttled).".to_owned(),
            "Retry in a minute; check the backend's health and the Lambda function's concurrency.".to_owned(),
        ),
        504 => error(
            what,
            "The integration did not answer within its timeout (\"Endpoint request timed out\"): 29 seconds by default, which Regional and private REST APIs can raise since 2024 (edge-optimized REST APIs and HTTP APIs cannot). E.g. a slow Lambda, a cold start in a VPC, or an unreachable backend.".to_owned(),
            "Check the backend's duration in its logs, the Lambda timeout and VPC networking; make the call faster than the integration timeout, or raise the integration timeout (Regional or private REST API, through Service Quotas).".to_owned(),
        ),
        s if s >= 500 => error(
            what,
            "The API or its backend failed on its side.".to_owned(),
            "Retry; if it persists, check the backend's logs for this request.".to_owned(),
        ),
        s if s >= 400 => error(
            what,
            "The API did not accept the request as sent: e.g. the body, a parameter or the Content-Type does not match what the method expects.".to_owned(),
            "Read the response body for details and compare the request with the API's documentation.".to_owned(),
        ),
        _ => Diagnosis {
            severity: Severity::Warning,
            what,
            cause: "The answer is neither success nor an error: usually a redirect the browser did not follow, or a proxy in between.".to_owned(),
            fix: "Check the Location header in the raw response and use the final URL as the API URL.".to_owned(),
        },
    };
    Some(diagnosis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oauth(code: &str, description: Option<&str>) -> TokenFailure {
        TokenFailure::OAuth {
            status: 400,
            code: OAuthErrorCode::parse(code),
            description: description.map(str::to_owned),
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn api(status: u16, body: &str) -> Diagnosis {
        api_failure(status, body, &[]).unwrap()
    }

    /// Every message says what happened, the cause, and the fix: none may be empty.
    fn complete(d: &Diagnosis) {
        assert!(
            !d.what.is_empty() && !d.cause.is_empty() && !d.fix.is_empty(),
            "{d:?}"
        );
    }

    #[test]
    fn invalid_client_suggests_the_other_auth_method() {
        let d = token_failure(&oauth("invalid_client", None), ClientAuth::SecretInBody);
        complete(&d);
        assert_eq!(d.severity, Severity::Error);
        assert!(d.what.contains("\"invalid_client\" (HTTP 400)"));
        assert!(d.cause.contains("client ID or client secret is wrong"));
        assert!(d.cause.contains("sent as \"Secret in body\""));
        assert!(d
            .fix
            .contains("switch \"Client authentication\" to \"Basic header\""));
        let d = token_failure(&oauth("invalid_client", None), ClientAuth::BasicHeader);
        assert!(d.cause.contains("sent as \"Basic header\""));
        assert!(d.fix.contains("to \"Secret in body\""));
    }

    #[test]
    fn invalid_client_mentions_rotation() {
        let d = token_failure(&oauth("invalid_client", None), ClientAuth::default());
        assert!(d.cause.contains("two active secrets"));
        assert!(d.fix.contains("an active secret"));
    }

    #[test]
    fn invalid_client_names_the_basic_encoding_for_special_characters() {
        let secret = "abc+def/ghi=jkl%mno:pqr";
        let d = token_failure_with_secret(
            &oauth("invalid_client", None),
            ClientAuth::BasicHeader,
            "",
            secret,
        );
        assert!(d.cause.contains("'+', '/', '=', '%', ':'"), "{}", d.cause);
        assert!(d.cause.contains("Base64(client_id:client_secret)"));
        assert!(d.cause.contains("RFC 6749"));
        assert!(!d.cause.contains(secret) && !d.what.contains(secret) && !d.fix.contains(secret));
        // A plain secret, or the body form, says nothing about encodings.
        let plain = token_failure_with_secret(
            &oauth("invalid_client", None),
            ClientAuth::BasicHeader,
            "",
            "abcdef0123456789",
        );
        assert!(!plain.cause.contains("RFC 6749"));
        let body = token_failure_with_secret(
            &oauth("invalid_client", None),
            ClientAuth::SecretInBody,
            "",
            secret,
        );
        assert!(!body.cause.contains("RFC 6749"));
    }

    #[test]
    fn token_endpoint_5xx_names_the_pre_token_generation_trigger() {
        for failure in [
            TokenFailure::EmptyBody { status: 500 },
            TokenFailure::NotJson {
                status: 502,
                snippet: "x".into(),
            },
            TokenFailure::MissingAccessToken { status: 500 },
            TokenFailure::OAuth {
                status: 500,
                code: OAuthErrorCode::Other("server_error".into()),
                description: None,
            },
        ] {
            let d = token_failure(&failure, ClientAuth::default());
            complete(&d);
            assert!(
                d.cause.contains("pre token generation Lambda trigger"),
                "{d:?}"
            );
            assert!(d.cause.contains("V3_0"));
            assert!(d.fix.contains("CloudWatch logs"));
            assert!(d.fix.contains("aws_client_metadata"));
        }
        let d = token_failure(&oauth("invalid_client", None), ClientAuth::default());
        assert!(!d.cause.contains("pre token generation"));
    }

    #[test]
    fn description_is_quoted_when_present() {
        let d = token_failure(
            &oauth("invalid_client", Some("Client secret mismatch")),
            ClientAuth::default(),
        );
        assert!(d
            .what
            .ends_with("Cognito says: \"Client secret mismatch\"."));
        let d = token_failure(&oauth("invalid_client", None), ClientAuth::default());
        assert!(!d.what.contains("Cognito says"));
    }

    #[test]
    fn unauthorized_client() {
        let d = token_failure(&oauth("unauthorized_client", None), ClientAuth::default());
        complete(&d);
        assert!(d.cause.contains("client credentials grant enabled"));
        assert!(d.cause.contains("without a client secret"));
        assert!(d.fix.contains("\"Client credentials\""));
        assert!(d.fix.contains("custom scope"));
    }

    #[test]
    fn invalid_scope_names_format_and_requested_scopes() {
        let d = token_failure(&oauth("invalid_scope", None), ClientAuth::default());
        complete(&d);
        assert!(d.cause.starts_with("A requested scope"));
        assert!(d.cause.contains("resourceServerId/scopeName"));
        assert!(d.fix.contains("resource servers"));
        assert!(d.fix.contains("leave Scope empty"));
        let d = token_failure_with_scope(
            &oauth("invalid_scope", None),
            ClientAuth::default(),
            "demo/read,demo/wrte",
        );
        assert!(d.cause.contains("requested scopes (demo/read, demo/wrte)"));
    }

    #[test]
    fn other_oauth_codes() {
        let d = token_failure(
            &oauth("unsupported_grant_type", None),
            ClientAuth::default(),
        );
        complete(&d);
        assert!(d
            .cause
            .contains("client_credentials, authorization_code and refresh_token"));
        assert!(d.fix.contains("grant_type=client_credentials"));

        let d = token_failure(&oauth("invalid_request", None), ClientAuth::BasicHeader);
        complete(&d);
        assert!(d.cause.contains("application/x-www-form-urlencoded"));
        assert!(d.cause.contains("\"Basic header\""));
        assert!(d
            .fix
            .contains("Content-Type: application/x-www-form-urlencoded"));
        assert!(d.fix.contains("\"Secret in body\""));

        let d = token_failure(&oauth("invalid_grant", None), ClientAuth::default());
        complete(&d);
        assert!(d.cause.contains("AllowedOAuthFlowsUserPoolClient is false"));
        assert!(d.fix.contains("AllowedOAuthFlowsUserPoolClient true"));

        let d = token_failure(&oauth("server_error", None), ClientAuth::default());
        complete(&d);
        assert!(d.what.contains("\"server_error\""));
        assert!(d.what.contains("does not document"));
        assert!(d.fix.contains("amazoncognito.com"));
    }

    #[test]
    fn empty_body_by_status() {
        let d = token_failure(
            &TokenFailure::EmptyBody { status: 405 },
            ClientAuth::default(),
        );
        complete(&d);
        assert_eq!(
            d.what,
            "The token endpoint answered HTTP 405 Method Not Allowed with an empty body."
        );
        assert!(d.cause.contains("/oauth2/token"));
        assert!(d.cause.contains("Content-Type"));
        assert!(d.fix.contains("user pool domain"));
        let d = token_failure(
            &TokenFailure::EmptyBody { status: 404 },
            ClientAuth::default(),
        );
        assert!(d.cause.contains("/oauth2/token"));

        let d = token_failure(
            &TokenFailure::EmptyBody { status: 200 },
            ClientAuth::default(),
        );
        complete(&d);
        assert!(d.cause.contains("never answers success without a token"));

        let d = token_failure(
            &TokenFailure::EmptyBody { status: 503 },
            ClientAuth::default(),
        );
        complete(&d);
        assert!(d.fix.starts_with("Retry"));

        let d = token_failure(
            &TokenFailure::EmptyBody { status: 418 },
            ClientAuth::default(),
        );
        complete(&d);
        assert_eq!(
            d.what,
            "The token endpoint answered HTTP 418 with an empty body."
        );
        assert!(d.fix.contains("/oauth2/token"));
    }

    #[test]
    fn not_json_html_or_text() {
        let html = TokenFailure::NotJson {
            status: 200,
            snippet: format!("<!DOCTYPE html><html>{}", "x".repeat(300)),
        };
        let d = token_failure(&html, ClientAuth::default());
        complete(&d);
        assert!(d.what.contains("HTTP 200 with an HTML page"));
        assert!(d.what.len() < 200, "snippet is shortened");
        assert!(d.cause.contains("wrong URL"));
        assert!(d.cause.contains("corporate gateway"));
        assert!(d.fix.contains("Domain field"));
        let text = TokenFailure::NotJson {
            status: 502,
            snippet: "Bad Gateway".into(),
        };
        let d = token_failure(&text, ClientAuth::default());
        assert!(d
            .what
            .contains("HTTP 502 with plain text instead of JSON: \"Bad Gateway\""));
        let upper = TokenFailure::NotJson {
            status: 200,
            snippet: "Error page <HTML>".into(),
        };
        assert!(token_failure(&upper, ClientAuth::default())
            .what
            .contains("HTML page"));
    }

    #[test]
    fn missing_access_token_and_unexpected_status() {
        let d = token_failure(
            &TokenFailure::MissingAccessToken { status: 200 },
            ClientAuth::default(),
        );
        complete(&d);
        assert!(d
            .what
            .contains("HTTP 200 with JSON that has no access_token"));
        assert!(d.cause.contains("another service"));

        let d = token_failure(
            &TokenFailure::MissingAccessToken { status: 403 },
            ClientAuth::default(),
        );
        complete(&d);
        assert_eq!(
            d.what,
            "The token endpoint answered HTTP 403 Forbidden with JSON that is neither a token nor an OAuth error."
        );
        assert!(d.cause.contains("WAF"));
        let d = token_failure(
            &TokenFailure::MissingAccessToken { status: 499 },
            ClientAuth::default(),
        );
        assert!(d.what.contains("HTTP 499 with JSON"));

        let d = token_failure(
            &TokenFailure::UnexpectedStatus { status: 302 },
            ClientAuth::default(),
        );
        complete(&d);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.what.contains("HTTP 302 instead of 200"));
        assert!(d.cause.contains("proxy or gateway"));
    }

    #[test]
    fn api_success_is_not_a_failure() {
        for status in [200, 201, 204, 299] {
            assert_eq!(api_failure(status, "", &[]), None);
        }
    }

    #[test]
    fn api_401_unauthorized_explains_scopes_and_id_tokens() {
        let d = api_failure(
            401,
            r#"{"message":"Unauthorized"}"#,
            &headers(&[("x-amzn-ErrorType", "UnauthorizedException")]),
        )
        .unwrap();
        complete(&d);
        assert_eq!(
            d.what,
            "The API answered HTTP 401 Unauthorized: \"Unauthorized\" (x-amzn-ErrorType: UnauthorizedException)."
        );
        assert!(d.cause.contains("no Authorization Scopes"));
        assert!(d.cause.contains("expects an ID token"));
        assert!(d.cause.contains("another user pool"));
        assert!(d.fix.contains("Authorization Scopes"));
        assert!(d.fix.contains("deploy the API"));
        assert!(!d.cause.contains("www-authenticate"));
    }

    #[test]
    fn api_403_forbidden_from_a_jwt_authorizer_means_a_missing_scope() {
        let d = api(403, r#"{"message":"Forbidden"}"#);
        complete(&d);
        assert!(d.cause.contains("JWT authorizer"));
        assert!(d
            .cause
            .contains("none of the method's authorization scopes"));
        assert!(d.cause.contains("Cognito authorizer answers 401"));
        assert!(d.fix.contains("Authorization Scopes"));
        // Other 403 messages keep their own explanations.
        let d = api(
            403,
            r#"{"Message":"User is not authorized to access this resource"}"#,
        );
        assert!(!d.cause.contains("JWT authorizer"));
        // And a 401 explains both authorizers.
        let d = api(401, r#"{"message":"Unauthorized"}"#);
        assert!(d.cause.contains("With a JWT authorizer instead"));
        assert!(d.cause.contains("a missing scope gets 403 there"));
    }

    #[test]
    fn api_401_quotes_www_authenticate() {
        let d = api_failure(
            401,
            "",
            &headers(&[("WWW-Authenticate", "Bearer error=\"invalid_token\"")]),
        )
        .unwrap();
        assert_eq!(d.what, "The API answered HTTP 401 Unauthorized.");
        assert!(d
            .cause
            .ends_with("The www-authenticate header says: Bearer error=\"invalid_token\""));
    }

    #[test]
    fn api_401_expired() {
        let d = api(401, r#"{"message":"The incoming token has expired"}"#);
        complete(&d);
        assert!(d.what.contains("\"The incoming token has expired\""));
        assert!(d.cause.contains("exp"));
        assert!(d.fix.contains("Get a new token"));
        assert!(d.fix.contains("clock"));
        // The capitalised `Message` field is read too.
        let d = api(401, r#"{"Message":"Token has expired"}"#);
        assert!(d.fix.contains("Get a new token"));
    }

    #[test]
    fn api_403_variants() {
        let d = api_failure(
            403,
            r#"{"message":"Missing Authentication Token"}"#,
            &headers(&[("x-amzn-errortype", "MissingAuthenticationTokenException")]),
        )
        .unwrap();
        complete(&d);
        assert!(d
            .what
            .contains("(x-amzn-ErrorType: MissingAuthenticationTokenException)"));
        assert!(d.cause.contains("route that does not exist"));
        assert!(d.fix.contains("stage name"));

        let d = api(
            403,
            r#"{"message":"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'abc'."}"#,
        );
        complete(&d);
        assert!(d.cause.contains("IAM authorization"));

        let d = api(
            403,
            r#"{"message":"Authorization header requires 'Credential' parameter."}"#,
        );
        assert!(d.cause.contains("IAM authorization"));

        let d = api_failure(
            403,
            r#"{"Message":"User is not authorized to access this resource"}"#,
            &headers(&[(
                "x-amzn-ErrorType",
                "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/",
            )]),
        )
        .unwrap();
        complete(&d);
        assert!(d.what.contains("(x-amzn-ErrorType: AccessDeniedException)"));
        assert!(d.cause.contains("resource policy"));
        assert!(d.cause.contains("WAF"));
        assert!(d.fix.contains("x-api-key"));

        let d = api(403, "<html>Request blocked</html>");
        assert_eq!(d.what, "The API answered HTTP 403 Forbidden.");
    }

    #[test]
    fn api_other_statuses() {
        let d = api(404, r#"{"message":"Not Found"}"#);
        complete(&d);
        assert!(d.cause.contains("base path mapping"));

        let d = api(429, r#"{"message":"Too Many Requests"}"#);
        complete(&d);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.cause.contains("throttling"));
        assert!(d.fix.contains("Wait"));

        let d = api(500, r#"{"message":"Internal server error"}"#);
        complete(&d);
        assert!(d.cause.contains("Lambda"));
        assert!(d.fix.contains("CloudWatch"));

        let d = api(502, r#"{"message":"Internal server error"}"#);
        complete(&d);
        assert!(d.cause.contains("statusCode"));

        let d = api(503, "");
        complete(&d);
        assert!(d.cause.contains("unavailable"));

        let d = api(504, r#"{"message":"Endpoint request timed out"}"#);
        complete(&d);
        assert!(d.cause.contains("29 seconds by default"));
        assert!(d
            .cause
            .contains("Regional and private REST APIs can raise since 2024"));
        assert!(d.fix.contains("raise the integration timeout"));

        let d = api(507, "");
        complete(&d);
        assert_eq!(d.what, "The API answered HTTP 507.");
        assert!(d.cause.contains("failed on its side"));

        let d = api(415, r#"{"message":"Unsupported Media Type"}"#);
        complete(&d);
        assert_eq!(d.severity, Severity::Error);
        assert!(d.cause.contains("Content-Type"));

        let d = api(302, "");
        complete(&d);
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.fix.contains("Location"));
    }

    #[test]
    fn body_interrupted_names_step_and_browser_message() {
        let d = body_interrupted(Step::Api, " network error ");
        complete(&d);
        assert_eq!(
            d.what,
            "The API started to answer, but its body broke off before the end (the browser said: network error)."
        );
        assert!(d.cause.contains("connection closed early"));
        assert!(d.fix.starts_with("Run it again"));
        let d = body_interrupted(Step::Token, "");
        assert_eq!(
            d.what,
            "The token endpoint started to answer, but its body broke off before the end."
        );
        assert!(body_interrupted(Step::Jwks, "x")
            .what
            .starts_with("The JWKS endpoint"));
    }

    #[test]
    fn diagnosis_serialises_for_exports() {
        let d = api(429, "");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["severity"], "Warning");
        assert_eq!(json["what"], "The API answered HTTP 429 Too Many Requests.");
    }
}
