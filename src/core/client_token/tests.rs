use super::*;
use crate::core::aws::{cognito_idp_endpoint, parse_region};
use crate::core::client_metadata::parse_client_metadata;

const SECRET: &str = "s3cr+t/with=chars";

fn endpoint() -> String {
    cognito_idp_endpoint(&parse_region("eu-west-1").unwrap())
}

#[test]
fn request_shape() {
    let meta = parse_client_metadata(r#"{"tenant":"acme"}"#).unwrap();
    let req = build_client_token_request(
        &endpoint(),
        "abc123",
        SECRET,
        "demo/read, demo/write",
        &meta,
    );
    assert_eq!(req.url, "https://cognito-idp.eu-west-1.amazonaws.com/");
    assert_eq!(
        req.headers,
        vec![
            (
                "Content-Type".to_owned(),
                "application/x-amz-json-1.1".to_owned()
            ),
            (
                "X-Amz-Target".to_owned(),
                "AWSCognitoIdentityProviderService.GetClientToken".to_owned()
            ),
        ]
    );
    let body: Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(
        body,
        json!({"ClientId":"abc123","Secret":SECRET,"Scopes":["demo/read","demo/write"],
               "ClientMetadata":{"tenant":"acme"}})
    );
}

#[test]
fn request_without_scopes_or_metadata_leaves_them_out() {
    let req = build_client_token_request(
        " http://127.0.0.1:9090/ ",
        "id",
        "s",
        " ",
        &ClientMetadata::new(),
    );
    assert_eq!(req.url, "http://127.0.0.1:9090/");
    let body: Value = serde_json::from_str(&req.body).unwrap();
    assert_eq!(body, json!({"ClientId":"id","Secret":"s"}));
}

#[test]
fn token_source_labels() {
    assert_eq!(TokenSource::default(), TokenSource::TokenEndpoint);
    assert_eq!(
        TokenSource::all(),
        [TokenSource::TokenEndpoint, TokenSource::GetClientToken]
    );
    // The labels of the interface contract.
    assert_eq!(
        TokenSource::TokenEndpoint.label(),
        "Token endpoint (OAuth 2.0)"
    );
    assert_eq!(TokenSource::GetClientToken.label(), "GetClientToken API");
    for source in TokenSource::all() {
        assert_eq!(TokenSource::from_value(source.value()), Some(source));
    }
    assert_eq!(TokenSource::from_value("other"), None);
}

#[test]
fn success_reads_into_the_token_endpoints_type() {
    let body = r#"{"ClientAuthenticationResult":{"AccessToken":"eyJ.x.y","ExpiresIn":3600,"TokenType":"Bearer"}}"#;
    let token = parse_client_token_response(200, body, SECRET).unwrap();
    assert_eq!(
        token,
        AccessToken {
            access_token: "eyJ.x.y".into(),
            expires_in: Some(3600),
            token_type: Some("Bearer".into()),
            other_fields: vec![],
        }
    );
    let extra = r#"{"ClientAuthenticationResult":{"AccessToken":"t","IdToken":"x"}}"#;
    let token = parse_client_token_response(200, extra, SECRET).unwrap();
    assert_eq!(token.other_fields, vec!["IdToken"]);
    assert_eq!(token.expires_in, None);
}

#[test]
fn aws_errors_are_typed_with_or_without_prefix() {
    for (type_name, exception) in [
        ("NotAuthorizedException", AwsException::NotAuthorized),
        (
            "com.amazonaws.cognito.identity.idp.model#NotAuthorizedException",
            AwsException::NotAuthorized,
        ),
        ("InvalidParameterException", AwsException::InvalidParameter),
        ("ResourceNotFoundException", AwsException::ResourceNotFound),
        ("TooManyRequestsException", AwsException::TooManyRequests),
        ("InternalErrorException", AwsException::InternalError),
        ("ForbiddenException", AwsException::Forbidden),
        ("UnexpectedLambdaException", AwsException::UnexpectedLambda),
        (
            "InvalidLambdaResponseException",
            AwsException::InvalidLambdaResponse,
        ),
        (
            "UserLambdaValidationException",
            AwsException::UserLambdaValidation,
        ),
        (
            "NotAuthorizedException:http://internal.amazon.com/coral/",
            AwsException::NotAuthorized,
        ),
        (
            "UnknownOperationException",
            AwsException::Other("UnknownOperationException".into()),
        ),
    ] {
        let body = format!(r#"{{"__type":"{type_name}","message":"m"}}"#);
        assert_eq!(
            parse_client_token_response(400, &body, SECRET),
            Err(ClientTokenFailure::Aws {
                status: 400,
                exception: exception.clone(),
                message: Some("m".into())
            }),
            "{type_name}"
        );
        assert_eq!(AwsException::parse(exception.name()), exception);
    }
}

#[test]
fn the_secret_is_never_quoted_back() {
    let body = format!(
        r#"{{"__type":"NotAuthorizedException","Message":"Invalid secret {SECRET} for client"}}"#
    );
    let Err(ClientTokenFailure::Aws { message, .. }) =
        parse_client_token_response(400, &body, SECRET)
    else {
        panic!("expected an AWS error");
    };
    let message = message.unwrap();
    assert!(!message.contains(SECRET), "{message}");
    assert!(message.contains("Invalid secret"));
    let html = format!("<html>echo {SECRET}</html>");
    let Err(ClientTokenFailure::NotJson { snippet, .. }) =
        parse_client_token_response(502, &html, SECRET)
    else {
        panic!("expected NotJson");
    };
    assert!(!snippet.contains(SECRET));
    // An empty secret masks nothing.
    let Err(ClientTokenFailure::NotJson { snippet, .. }) =
        parse_client_token_response(502, "Bad Gateway", "")
    else {
        panic!("expected NotJson");
    };
    assert_eq!(snippet, "Bad Gateway");
}

#[test]
fn other_failures() {
    assert_eq!(
        parse_client_token_response(500, " ", SECRET),
        Err(ClientTokenFailure::EmptyBody { status: 500 })
    );
    let long = "an error page ".repeat(40);
    let Err(ClientTokenFailure::NotJson { snippet, .. }) =
        parse_client_token_response(200, &long, SECRET)
    else {
        panic!("expected NotJson");
    };
    assert!(snippet.chars().count() <= SNIPPET_CHARS + 1, "{snippet}");
    assert!(
        snippet.starts_with("an error page") && snippet.ends_with('…'),
        "{snippet}"
    );
    // One run of secret-alphabet characters longer than the snippet: none of it is shown (it
    // could be the front of a secret, which masking cannot find in part).
    let Err(ClientTokenFailure::NotJson { snippet, .. }) =
        parse_client_token_response(200, &"x".repeat(500), SECRET)
    else {
        panic!("expected NotJson");
    };
    assert_eq!(snippet, "…");
    for body in [
        "[]",
        "{}",
        r#"{"ClientAuthenticationResult":{}}"#,
        r#"{"ClientAuthenticationResult":{"AccessToken":" "}}"#,
        r#"{"message":"Forbidden"}"#,
    ] {
        assert_eq!(
            parse_client_token_response(200, body, SECRET),
            Err(ClientTokenFailure::MissingAccessToken { status: 200 }),
            "{body}"
        );
    }
    assert_eq!(
        parse_client_token_response(
            302,
            r#"{"ClientAuthenticationResult":{"AccessToken":"t"}}"#,
            SECRET
        ),
        Err(ClientTokenFailure::UnexpectedStatus { status: 302 })
    );
}

#[test]
fn failure_display_and_status() {
    let f = ClientTokenFailure::Aws {
        status: 400,
        exception: AwsException::NotAuthorized,
        message: Some("Invalid client secret.".into()),
    };
    assert_eq!(
        f.to_string(),
        "GetClientToken failed: HTTP 400, NotAuthorizedException (Invalid client secret.)."
    );
    assert_eq!(f.status(), 400);
    for f in [
        ClientTokenFailure::Aws {
            status: 1,
            exception: AwsException::Other("X".into()),
            message: None,
        },
        ClientTokenFailure::EmptyBody { status: 1 },
        ClientTokenFailure::NotJson {
            status: 1,
            snippet: "s".into(),
        },
        ClientTokenFailure::MissingAccessToken { status: 1 },
        ClientTokenFailure::UnexpectedStatus { status: 1 },
    ] {
        assert_eq!(f.status(), 1);
        assert!(f.to_string().starts_with("GetClientToken"));
    }
}
