//! The seed's reference scenario: [`Config::default`] (and `emulator/demo.toml`, its written-out twin).

use std::net::{IpAddr, Ipv4Addr};

use crate::config::{
    ApiMethod, AppClient, Authorization, Config, CorsMode, JwtAuthorizer, ResourceServer, User,
    DEFAULT_CORS_ALLOW_HEADERS, DEFAULT_PORT, DEFAULT_STATIC_PORT, DEFAULT_VALIDITY_SECS,
    PETS_JSON,
};

fn method(
    verb: &str,
    path: &str,
    scopes: &[&str],
    status: u16,
    body: Option<&str>,
    echo: bool,
) -> ApiMethod {
    ApiMethod {
        method: verb.to_string(),
        path: path.to_string(),
        authorization: Authorization::CognitoUserPools,
        authorizer: None,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        status,
        body: body.map(str::to_string),
        echo,
        export_authorization: None,
        delay_ms: 0,
    }
}

fn client(id: &str, secret: Option<&str>, cc: bool, scopes: &[&str]) -> AppClient {
    AppClient {
        id: id.to_string(),
        secrets: secret.map(str::to_string).into_iter().collect(),
        client_credentials: cc,
        client_token_auth: false,
        allowed_scopes: scopes.iter().map(|s| s.to_string()).collect(),
        access_token_validity: DEFAULT_VALIDITY_SECS,
        authorization_code: false,
        callback_urls: Vec::new(),
        logout_urls: Vec::new(),
    }
}

/// An authorization-code client for managed login, with the demo's callback and sign-out URLs.
fn user_client(id: &str, secret: Option<&str>) -> AppClient {
    let app = ["http://127.0.0.1:8080/", "http://localhost:8080/"];
    AppClient {
        authorization_code: true,
        callback_urls: app.map(String::from).to_vec(),
        logout_urls: app.map(String::from).to_vec(),
        ..client(
            id,
            secret,
            false,
            &["openid", "email", "profile", "demo/example"],
        )
    }
}

/// The default scenario's authorization-code client with a secret: (id, secret).
pub const USER_CLIENT_SECRET: (&str, &str) = ("user-client-secret", "user-client-secret-value");

/// The default scenario's user: (username, password, email).
pub const DEMO_USER: (&str, &str, &str) = ("demo-user", "Demo-password-1", "demo-user@example.com");

/// The default scenario's JWT authorizer.
pub const DEMO_JWT_AUTHORIZER: &str = "demo-jwt";

/// The demo client whose secret holds `/` and `+`: (id, secret).
pub const SPECIAL_SECRET_CLIENT: (&str, &str) =
    ("special-secret-client", "special/secret+with=chars");

impl Default for Config {
    /// The seed's reference scenario (`emulator/demo.toml` written out).
    fn default() -> Self {
        let ex = ["demo/example"];
        let mut open = method(
            "GET",
            "/open",
            &[],
            200,
            Some(r#"{"message":"This method has no authorizer: anyone can call it."}"#),
            false,
        );
        open.authorization = Authorization::None;
        // Behind the JWT authorizer: a token without demo/example gets 403, not 401.
        let mut jwt_pets = method("GET", "/jwt/pets", &ex, 200, Some(PETS_JSON), false);
        jwt_pets.authorization = Authorization::Jwt;
        jwt_pets.authorizer = Some(DEMO_JWT_AUTHORIZER.into());
        Config {
            pool_id: "us-east-1_demo".into(),
            region: "us-east-1".into(),
            resource_servers: vec![ResourceServer {
                identifier: "demo".into(),
                scopes: vec!["example".into(), "other".into()],
            }],
            clients: vec![
                client(
                    "demo-client-id",
                    Some("demo-client-secret"),
                    true,
                    &["demo/example"],
                ),
                client(
                    "other-scope-client",
                    Some("other-scope-secret"),
                    true,
                    &["demo/other"],
                ),
                client(
                    "no-grant-client",
                    Some("no-grant-secret"),
                    false,
                    &["demo/example"],
                ),
                client("public-client", None, false, &[]),
                // Two active secrets, as during a rotation: either one works.
                AppClient {
                    secrets: vec!["rotating-secret-old".into(), "rotating-secret-new".into()],
                    ..client("rotating-client", None, true, &["demo/example"])
                },
                // A secret with '/' and '+': Cognito decodes Basic credentials without percent-decoding, so
                // this secret sent form-urlencoded inside Basic is refused, raw or in the body it works.
                // GetClientToken only: ALLOW_CLIENT_TOKEN_AUTH as its only auth flow, no OAuth grant.
                AppClient {
                    client_token_auth: true,
                    ..client(
                        "client-token-client",
                        Some("client-token-secret"),
                        false,
                        &["demo/example"],
                    )
                },
                client(
                    SPECIAL_SECRET_CLIENT.0,
                    Some(SPECIAL_SECRET_CLIENT.1),
                    true,
                    &["demo/example"],
                ),
                // Users' tokens through managed login: a public client and one with a secret.
                user_client("user-client", None),
                user_client(USER_CLIENT_SECRET.0, Some(USER_CLIENT_SECRET.1)),
            ],
            users: vec![User {
                username: DEMO_USER.0.into(),
                password: DEMO_USER.1.into(),
                email: Some(DEMO_USER.2.into()),
                email_verified: true,
            }],
            stage: "dev".into(),
            methods: vec![
                method("GET", "/", &ex, 200, Some(PETS_JSON), false),
                method("GET", "/pets", &ex, 200, Some(PETS_JSON), false),
                method("POST", "/pets", &ex, 201, None, true),
                method(
                    "PUT",
                    "/pets/{id}",
                    &ex,
                    200,
                    Some(r#"{"id":"{id}","updated":true}"#),
                    false,
                ),
                method(
                    "PATCH",
                    "/pets/{id}",
                    &ex,
                    200,
                    Some(r#"{"id":"{id}","patched":true}"#),
                    false,
                ),
                method(
                    "DELETE",
                    "/pets/{id}",
                    &ex,
                    200,
                    Some(r#"{"id":"{id}","deleted":true}"#),
                    false,
                ),
                method(
                    "GET",
                    "/id-token-only",
                    &[],
                    200,
                    Some(r#"{"message":"Only an ID token reaches this method."}"#),
                    false,
                ),
                open,
                jwt_pets,
                method(
                    "GET",
                    "/reports",
                    &["demo/other"],
                    200,
                    Some(r#"{"message":"Only a token with demo/other reaches this method."}"#),
                    false,
                ),
            ],
            jwt_authorizers: vec![JwtAuthorizer {
                name: DEMO_JWT_AUTHORIZER.into(),
                issuer: None,
                // other-scope-client is accepted too, so that its token (a valid audience without the
                // method's scope) shows the JWT authorizer's 403.
                audiences: vec!["demo-client-id".into(), "other-scope-client".into()],
            }],
            cors: CorsMode::Full,
            cors_allow_headers: DEFAULT_CORS_ALLOW_HEADERS.map(String::from).to_vec(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            public_url: None,
            static_dir: None,
            static_port: DEFAULT_STATIC_PORT,
            key_pem: None,
            token_validity: None,
        }
    }
}
