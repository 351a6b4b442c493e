//! The token sources end to end (issue 16, "AWS as of 2026"): GetClientToken against the
//! emulator's user-pools API, client metadata on both sources, the Basic encoding of a secret
//! with special characters, and a REST API JWT authorizer's 403 for a token without the scope.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::panel::{API, TOKEN, VERDICT};
use e2e::{emulator, Browser};

const GET_CLIENT_TOKEN: &str = "GetClientToken API";
const TOKEN_ENDPOINT: &str = "Token endpoint (OAuth 2.0)";

#[tokio::test]
async fn get_client_token_runs_the_whole_flow_and_explains_its_failures() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill("Client ID", "client-token-client").await;
        b.fill("Client secret", "client-token-secret").await;
        b.fill("Domain", &emu.base_url()).await;
        b.fill("Scope", "demo/example").await;
        b.fill("API URL", &format!("{}/dev/pets", emu.base_url()))
            .await;

        // This client may not use the client-credentials grant: the token endpoint refuses it.
        b.choose("Token source", TOKEN_ENDPOINT).await;
        b.click("Get token").await;
        b.wait_text(TOKEN, "unauthorized_client").await;
        b.wait_idle().await;

        // GetClientToken: the local Domain URL's origin stands in for cognito-idp.
        b.choose("Token source", GET_CLIENT_TOKEN).await;
        b.wait_text(
            "#token-url",
            &format!("GetClientToken endpoint: {}/", emu.base_url()),
        )
        .await;
        b.click("Run").await;
        let token = b.wait_text(TOKEN, "200 OK").await;
        for expected in [
            "X-Amz-Target: AWSCognitoIdentityProviderService.GetClientToken",
            "application/x-amz-json-1.1",
            "ClientAuthenticationResult",
            "\"Secret\":\"••••••\"",
        ] {
            assert!(token.contains(expected), "lacks {expected}:\n{token}");
        }
        assert!(!token.contains("client-token-secret"), "{token}");
        let api = b.wait_text(API, "200 OK").await;
        assert!(api.contains("fish"), "{api}");
        b.wait_text(VERDICT, "PASS").await;
        b.wait_idle().await;

        // Client metadata changes the token (a trigger may put it in the claims): a new one.
        b.fill("Client metadata (JSON)", r#"{"tenant": "acme"}"#)
            .await;
        b.click("Run").await;
        b.wait_text(
            "body",
            "Client metadata changed since the held token was obtained; fetched a new one.",
        )
        .await;
        let token = b.wait_text(TOKEN, "200 OK").await;
        assert!(
            token.contains(r#""ClientMetadata":{"tenant":"acme"}"#),
            "{token}"
        );
        b.wait_text(VERDICT, "PASS").await;
        b.wait_idle().await;

        // Metadata that is not a map of strings is refused before anything is sent.
        b.fill("Client metadata (JSON)", r#"{"tenant": 1}"#).await;
        b.click("Run").await;
        b.wait_text("body", "Cognito passes only string values").await;
        // `{}` is no metadata (WebDriver's clear alone fires no input event).
        b.fill("Client metadata (JSON)", "{}").await;

        // A failing pre token generation trigger.
        emu.set_pre_token_lambda_failing(true);
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "UserLambdaValidationException").await;
        assert!(token.contains("pre token generation"), "{token}");
        b.wait_idle().await;
        emu.set_pre_token_lambda_failing(false);

        // A wrong secret: NotAuthorizedException, with the auth-flow and rotation causes.
        b.fill("Client secret", "client-token-WRONG").await;
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "NotAuthorizedException").await;
        assert!(token.contains("ALLOW_CLIENT_TOKEN_AUTH"), "{token}");
        assert!(!token.contains("client-token-WRONG"), "{token}");
        b.wait_idle().await;

        // Back to the token endpoint with a client that may use it: a new token, and why.
        b.fill("Client secret", "client-token-secret").await;
        b.click("Run").await;
        b.wait_text(VERDICT, "PASS").await;
        b.wait_idle().await;
        b.choose("Token source", TOKEN_ENDPOINT).await;
        b.fill("Client ID", "demo-client-id").await;
        b.fill("Client secret", "demo-client-secret").await;
        b.click("Run").await;
        b.wait_text(
            "body",
            "Token source, Client ID and Client secret changed since the held token was obtained; fetched a new one.",
        )
        .await;
        let token = b.wait_text(TOKEN, "200 OK").await;
        assert!(token.contains("/oauth2/token"), "{token}");
        b.wait_text(VERDICT, "PASS").await;
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn client_metadata_on_the_token_endpoint() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        b.fill("Client metadata (JSON)", r#"{"tenant": "acme"}"#)
            .await;
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "200 OK").await;
        assert!(
            token.contains("aws_client_metadata=%7B%22tenant%22%3A%22acme%22%7D"),
            "{token}"
        );
        b.wait_idle().await;
        emu.set_pre_token_lambda_failing(true);
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "server_error").await;
        assert!(token.contains("pre token generation"), "{token}");
        assert!(token.contains("aws_client_metadata"), "{token}");
        emu.set_pre_token_lambda_failing(false);
    })
    .await;
    emu.shutdown().await;
}

/// AWS's Basic form is Base64(client_id:client_secret) without URL-encoding: a secret with
/// `/`, `+` and `=` now passes with the Basic header as with the body; a wrong one is explained
/// with the characters on which the encodings differ (never the secret).
#[tokio::test]
async fn a_secret_with_special_characters_passes_both_ways() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        b.fill("Client ID", "special-secret-client").await;
        b.fill("Client secret", "special/secret+with=chars").await;
        for method in ["Secret in body", "Basic header"] {
            b.choose("Client authentication", method).await;
            b.click("Run").await;
            let token = b.wait_text(TOKEN, "200 OK").await;
            assert!(!token.contains("special/secret"), "{token}");
            b.wait_text(VERDICT, "PASS").await;
            b.wait_idle().await;
        }
        b.fill("Client secret", "special/secret+with=WRONG").await;
        b.click("Get token").await;
        let token = b.wait_text(TOKEN, "invalid_client").await;
        assert!(token.contains("'/', '+', '='"), "{token}");
        assert!(token.contains("as AWS documents it"), "{token}");
        assert!(!token.contains("special/secret+with=WRONG"), "{token}");
    })
    .await;
    emu.shutdown().await;
}

/// A REST API JWT authorizer answers 403 (not the Cognito authorizer's 401) for a valid token
/// without the method's scope; the page says so.
#[tokio::test]
async fn a_jwt_authorizer_refuses_a_token_without_the_scope_with_403() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/jwt/pets").await;
        b.click("Run").await;
        b.wait_text(VERDICT, "PASS").await;
        b.wait_idle().await;
        b.fill("Client ID", "other-scope-client").await;
        b.fill("Client secret", "other-scope-secret").await;
        b.fill("Scope", "demo/other").await;
        b.click("Run").await;
        let api = b.wait_text(API, "403").await;
        assert!(api.contains("Forbidden"), "{api}");
        assert!(
            api.contains("none of the method's authorization scopes"),
            "{api}"
        );
        b.wait_text(VERDICT, "FAIL").await;
    })
    .await;
    emu.shutdown().await;
}
