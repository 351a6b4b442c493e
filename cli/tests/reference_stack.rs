//! deploy/reference-stack.yaml: the secret it writes is the seed's JSON, and that JSON fills the
//! form (Import… and --secrets-json read it) with a token URL and an execute-api URL.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_api_tester::core::import::{parse_import, still_missing};
use cognito_api_tester::core::run::Secret;
use cognito_api_tester::core::settings::Settings;

/// The SecretString's !Sub text with the stack's values put in, as CloudFormation would.
fn secret_string_as_deployed() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/reference-stack.yaml"
    );
    let template = std::fs::read_to_string(path).unwrap();
    let line = template
        .lines()
        .find(|l| l.contains("\"USER_POOL_CLIENT_ID\""))
        .expect("the SecretString line");
    let text = line.trim().trim_start_matches("- ").trim_matches('\'');
    [
        ("${AppClient}", "1example23456789abcdefghij"),
        ("${Secret}", "generated-client-secret-value-1234567890"),
        ("${DomainPrefix}", "my-reference"),
        ("${AWS::Region}", "eu-west-1"),
        ("${Api}", "abc123defg"),
        ("${AWS::URLSuffix}", "amazonaws.com"),
        ("${ResourcePath}", "pets"),
    ]
    .iter()
    .fold(text.to_owned(), |acc, (from, to)| acc.replace(from, to))
}

#[test]
fn the_stacks_secret_fills_the_form() {
    let json = secret_string_as_deployed();
    assert!(!json.contains("${"), "an unsubstituted variable: {json}");
    let import = parse_import(&json).unwrap();
    let (settings, secret, summary) = import.apply(&Settings::default(), &Secret::default());
    assert!(still_missing(&settings, &secret).is_empty(), "{summary:?}");
    assert_eq!(
        settings.token_endpoint().unwrap().url,
        "https://my-reference.auth.eu-west-1.amazoncognito.com/oauth2/token"
    );
    assert_eq!(settings.scope, "demo/example");
    assert_eq!(
        settings.api_url,
        "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev/pets"
    );
    assert_eq!(secret.expose(), "generated-client-secret-value-1234567890");
}
