//! GetClientToken failures explained: one diagnosis per exception the user-pools API answers
//! with, plus the non-AWS answers (a proxy, a wrong endpoint). The message from AWS is quoted with
//! the secret already masked (client_token::parse_client_token_response).

use super::{error, http_status, Diagnosis, Severity};
use crate::core::client_token::{AwsException, ClientTokenFailure};
use crate::core::token::normalise_scopes;

const ENDPOINT: &str = "https://cognito-idp.<region>.amazonaws.com/";

/// Explains why GetClientToken gave no token; `scope` is the Scope field as sent.
pub fn client_token_failure(failure: &ClientTokenFailure, scope: &str) -> Diagnosis {
    match failure {
        ClientTokenFailure::Aws {
            status,
            exception,
            message,
        } => aws_exception(*status, exception, message.as_deref(), scope),
        ClientTokenFailure::EmptyBody { status } => error(
            format!("GetClientToken answered {} with an empty body.", http_status(*status)),
            "The user-pools API always answers JSON, so something else answered: a wrong URL, or a proxy that dropped the body.".to_owned(),
            format!("Check the request goes to {ENDPOINT} (the pool's region) with POST, and that any proxy forwards bodies."),
        ),
        ClientTokenFailure::NotJson { status, snippet } => error(
            format!("GetClientToken answered {} with something that is not JSON: \"{snippet}\".", http_status(*status)),
            "Not the user-pools API answering: usually a proxy, a corporate gateway or a wrong URL.".to_owned(),
            format!("Check the request goes to {ENDPOINT} and open the raw response to see who answered."),
        ),
        ClientTokenFailure::MissingAccessToken { status } => error(
            format!("GetClientToken answered {} with JSON that has no ClientAuthenticationResult.AccessToken.", http_status(*status)),
            "The user-pools API answers either a ClientAuthenticationResult or an {\"__type\": …Exception}; anything else comes from another service or a proxy.".to_owned(),
            format!("Check the request goes to {ENDPOINT} with the header X-Amz-Target: AWSCognitoIdentityProviderService.GetClientToken."),
        ),
        ClientTokenFailure::UnexpectedStatus { status } => Diagnosis {
            severity: Severity::Warning,
            what: format!("GetClientToken sent an access token but with HTTP {status} instead of 200."),
            cause: "A proxy or gateway between this page and AWS probably changed the status.".to_owned(),
            fix: "The token may still work: decode it below. Check the proxy configuration.".to_owned(),
        },
    }
}

fn aws_exception(
    status: u16,
    exception: &AwsException,
    message: Option<&str>,
    scope: &str,
) -> Diagnosis {
    let said = message.map_or(String::new(), |m| format!(" AWS says: \"{m}\"."));
    let what = format!(
        "GetClientToken was refused with {} ({}).{said}",
        exception.name(),
        http_status(status)
    );
    let (cause, fix) = match exception {
        AwsException::NotAuthorized => (
            "The client ID and secret were not accepted together, or the app client may not use GetClientToken: it needs a client secret and the ALLOW_CLIENT_TOKEN_AUTH auth flow as its only auth flow. A secret that was rotated away (an app client holds at most two active secrets) fails the same way.".to_owned(),
            "Copy an active secret again from the app client (Amazon Cognito → User pools → App clients), and check its authentication flows: ALLOW_CLIENT_TOKEN_AUTH alone. Or switch the token source to the token endpoint (/oauth2/token) if the client is set up for the client credentials grant instead.".to_owned(),
        ),
        AwsException::InvalidParameter => {
            let scopes = normalise_scopes(scope);
            let requested = if scopes.is_empty() {
                String::new()
            } else {
                format!(" The request asked for {}.", scopes.join(", "))
            };
            (
                format!("A request value was refused: a scope that is not resourceServerId/scopeName of this pool or not allowed for the client, client metadata that is not a map of strings, or a malformed client ID.{requested}"),
                "Read AWS's message, compare the Scope field with the app client's allowed custom scopes, or leave Scope empty to get every scope the client may have.".to_owned(),
            )
        }
        AwsException::ResourceNotFound => (
            "AWS does not know this app client in this region: the client ID is wrong, was deleted, or belongs to a user pool in another region (the request went to the region's cognito-idp endpoint).".to_owned(),
            "Check the Client ID and that the Region is the user pool's (the pool ID starts with it, e.g. eu-west-1_AbC123).".to_owned(),
        ),
        AwsException::TooManyRequests => (
            "The user pool's request rate quota for this kind of operation is used up (other callers in the account count too).".to_owned(),
            "Wait a moment and retry; for a canary, run less often. Raise the quota in Service Quotas if it happens in normal use.".to_owned(),
        ),
        AwsException::InternalError => (
            "Amazon Cognito failed on its side.".to_owned(),
            "Retry in a minute; if it persists, check the AWS Health Dashboard for Cognito in this region.".to_owned(),
        ),
        AwsException::Forbidden => (
            "An AWS WAF web ACL associated with the user pool blocked the request.".to_owned(),
            "Check the user pool's WAF web ACL rules (and its logs) for this caller's IP address or headers.".to_owned(),
        ),
        AwsException::UnexpectedLambda
        | AwsException::InvalidLambdaResponse
        | AwsException::UserLambdaValidation => (
            "A Lambda trigger of the user pool failed: usually the pre token generation trigger (event version V3_0 runs for machine tokens) threw an error, timed out, or returned a response Cognito could not use. Client metadata is passed to it, so a value it does not expect can make it fail.".to_owned(),
            "Open the trigger function's CloudWatch logs for this request's time, fix the error or the response shape, and retry; check the client metadata you sent.".to_owned(),
        ),
        AwsException::Other(_) => (
            "An exception this tool does not know: the operation may not exist in this region or partition yet, or the request was not understood.".to_owned(),
            "Read AWS's message and the raw response; check the Region and that the request goes to the user-pools endpoint.".to_owned(),
        ),
    };
    let severity = if *exception == AwsException::TooManyRequests {
        Severity::Warning
    } else {
        Severity::Error
    };
    Diagnosis {
        severity,
        what,
        cause,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(exception: AwsException, message: Option<&str>) -> ClientTokenFailure {
        ClientTokenFailure::Aws {
            status: 400,
            exception,
            message: message.map(str::to_owned),
        }
    }

    fn complete(d: &Diagnosis) {
        assert!(
            !d.what.is_empty() && !d.cause.is_empty() && !d.fix.is_empty(),
            "{d:?}"
        );
    }

    #[test]
    fn every_exception_has_its_own_explanation() {
        let all = [
            AwsException::NotAuthorized,
            AwsException::InvalidParameter,
            AwsException::ResourceNotFound,
            AwsException::TooManyRequests,
            AwsException::InternalError,
            AwsException::Forbidden,
            AwsException::UnexpectedLambda,
            AwsException::InvalidLambdaResponse,
            AwsException::UserLambdaValidation,
            AwsException::Other("FooException".into()),
        ];
        for e in &all {
            let d = client_token_failure(&aws(e.clone(), None), "");
            complete(&d);
            assert!(d.what.contains(e.name()), "{d:?}");
            assert!(d.what.contains("HTTP 400 Bad Request"));
        }
    }

    #[test]
    fn not_authorized_names_the_auth_flow_and_rotation() {
        let d = client_token_failure(
            &aws(AwsException::NotAuthorized, Some("Invalid client secret.")),
            "",
        );
        assert_eq!(d.severity, Severity::Error);
        assert!(d.what.ends_with("AWS says: \"Invalid client secret.\"."));
        assert!(d.cause.contains("ALLOW_CLIENT_TOKEN_AUTH"));
        assert!(d.cause.contains("only auth flow"));
        assert!(d.cause.contains("two active secrets"));
        assert!(d.fix.contains("token endpoint"));
    }

    #[test]
    fn specific_causes() {
        let d = client_token_failure(&aws(AwsException::InvalidParameter, None), "a/b c/d");
        assert!(d.cause.contains("asked for a/b, c/d"));
        let d = client_token_failure(&aws(AwsException::InvalidParameter, None), "");
        assert!(!d.cause.contains("asked for"));
        let d = client_token_failure(&aws(AwsException::ResourceNotFound, None), "");
        assert!(d.cause.contains("another region"));
        let d = client_token_failure(&aws(AwsException::TooManyRequests, None), "");
        assert_eq!(d.severity, Severity::Warning);
        let d = client_token_failure(&aws(AwsException::Forbidden, None), "");
        assert!(d.cause.contains("WAF"));
        let d = client_token_failure(&aws(AwsException::UnexpectedLambda, None), "");
        assert!(d.cause.contains("pre token generation"));
        assert!(d.cause.contains("V3_0"));
        assert!(d.fix.contains("CloudWatch"));
    }

    #[test]
    fn non_aws_answers() {
        for f in [
            ClientTokenFailure::EmptyBody { status: 502 },
            ClientTokenFailure::NotJson {
                status: 200,
                snippet: "<html>".into(),
            },
            ClientTokenFailure::MissingAccessToken { status: 403 },
        ] {
            let d = client_token_failure(&f, "");
            complete(&d);
            assert!(d.fix.contains("cognito-idp"), "{d:?}");
        }
        let d = client_token_failure(&ClientTokenFailure::UnexpectedStatus { status: 302 }, "");
        assert_eq!(d.severity, Severity::Warning);
    }
}
