use super::*;
use crate::core::run::Secret;

const SECRET_STRING: &str = include_str!("fixtures/secret-string.json");
const GET_SECRET_VALUE: &str = include_str!("fixtures/get-secret-value.json");
const CLIENT: &str = include_str!("fixtures/describe-user-pool-client.json");
const CLIENT_CODE_FLOW: &str = include_str!("fixtures/create-user-pool-client-code-flow.json");
const DOMAIN_PREFIX: &str = include_str!("fixtures/describe-user-pool-domain-prefix.json");
const DOMAIN_CUSTOM: &str = include_str!("fixtures/describe-user-pool-domain-custom.json");
const DOMAIN_NONE: &str = include_str!("fixtures/describe-user-pool-domain-none.json");

const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const SECRET: &str = "1k7sj2v0rq5ti0o8d2l9a4m6c3b8e1n5f0h7g2p9q4r6s1t3u8v";

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// A form someone has already partly filled, with values an import must not disturb.
fn old_secret() -> Secret {
    Secret::new("old-secret")
}

fn existing() -> Settings {
    Settings {
        client_id: "old-id".into(),
        domain: "old-pool".into(),
        region: "eu-north-1".into(),
        scope: "old/scope".into(),
        api_url: "https://old.example.com/dev".into(),
        method: crate::core::settings::HttpMethod::Post,
        api_body: "{\"a\":1}".into(),
        extra_headers: "X-Trace: 1".into(),
        client_auth: crate::core::token::ClientAuth::BasicHeader,
        via_proxy: true,
        timeout_secs: 12,
        jwks: "https://keys.example.com/jwks.json".into(),
        secret_headers: Vec::new(),
        token_source: crate::core::client_token::TokenSource::GetClientToken,
        client_metadata: "{\"tenant\": \"old\"}".into(),
        sign_in: Default::default(),
    }
}

#[test]
fn seed_secret_string() {
    let import = parse_import(SECRET_STRING).unwrap();
    assert_eq!(import.format, ImportFormat::SecretString);
    assert_eq!(
        import.values,
        ImportedValues {
            client_id: some(CLIENT_ID),
            client_secret: some(SECRET),
            domain: some("demo-pool-7f3a"),
            region: None,
            scope: some("demo/example"),
            api_url: some("https://abc123defg.execute-api.us-east-1.amazonaws.com/dev"),
        }
    );
    assert!(import.warnings.is_empty());
    let (settings, secret, summary) = import.apply(
        &Settings {
            region: "us-east-1".into(),
            ..Settings::default()
        },
        &Secret::default(),
    );
    assert_eq!(
        summary.message(),
        "Filled Client ID, Client secret, Domain, Scope, API URL from a Secrets Manager secret. Still missing: none."
    );
    assert_eq!(secret.expose(), SECRET);
    assert_eq!(settings.region, "us-east-1");
    // The prefix needs a region; on an empty form the summary says so.
    let (_, _, summary) = import.apply(&Settings::default(), &Secret::default());
    assert_eq!(summary.still_missing, vec!["Region"]);
}

#[test]
fn secrets_manager_output_decodes_the_inner_json() {
    let import = parse_import(GET_SECRET_VALUE).unwrap();
    assert_eq!(import.format, ImportFormat::SecretsManagerOutput);
    let v = &import.values;
    assert_eq!(v.client_id.as_deref(), Some(CLIENT_ID));
    assert_eq!(v.client_secret.as_deref(), Some(SECRET));
    assert_eq!(
        v.domain.as_deref(),
        Some("https://demo-pool-7f3a.auth.eu-west-1.amazoncognito.com")
    );
    // The full Cognito domain names its region.
    assert_eq!(v.region.as_deref(), Some("eu-west-1"));
    assert_eq!(v.scope.as_deref(), Some("demo/example demo/other"));
    let (settings, secret, summary) = import.apply(&Settings::default(), &Secret::default());
    assert_eq!(
        summary.filled,
        vec![
            "Client ID",
            "Client secret",
            "Domain",
            "Region",
            "Scope",
            "API URL"
        ]
    );
    assert!(summary.still_missing.is_empty());
    assert!(summary
        .message()
        .contains("from aws secretsmanager get-secret-value output"));
    assert!(settings.token_blockers(&secret).is_empty());
}

#[test]
fn query_secret_string_without_output_text() {
    // `--query SecretString` prints the secret string as a JSON string.
    let quoted = serde_json::to_string(SECRET_STRING).unwrap();
    let import = parse_import(&quoted).unwrap();
    assert_eq!(import.format, ImportFormat::SecretString);
    assert_eq!(import.values.client_secret.as_deref(), Some(SECRET));
    assert!(matches!(
        parse_import("\"just text\""),
        Err(ImportError::UnknownShape { .. })
    ));
}

#[test]
fn secret_string_with_some_keys_other_casing_and_domain_forms() {
    let import = parse_import(r#"{"user_pool_client_id":" id-1 ","Other":"x"}"#).unwrap();
    assert_eq!(
        import.values,
        ImportedValues {
            client_id: some("id-1"),
            ..ImportedValues::default()
        }
    );
    for (domain, region) in [
        ("my-pool", None),
        (
            "my-pool.auth.us-west-2.amazoncognito.com",
            Some("us-west-2"),
        ),
        (
            "https://my-pool.auth.us-west-2.amazoncognito.com/",
            Some("us-west-2"),
        ),
        ("auth.example.com", None),
        ("https://auth.example.com", None),
    ] {
        let text = serde_json::json!({ "USER_POOL_DOMAIN": domain }).to_string();
        let v = parse_import(&text).unwrap().values;
        assert_eq!(v.domain.as_deref(), Some(domain), "{domain}");
        assert_eq!(v.region.as_deref(), region, "{domain}");
    }
    // A scope list is joined like the form expects.
    let v = parse_import(r#"{"USER_POOL_SCOPE":["a/b","c/d"]}"#)
        .unwrap()
        .values;
    assert_eq!(v.scope.as_deref(), Some("a/b c/d"));
}

#[test]
fn user_pool_client() {
    let import = parse_import(CLIENT).unwrap();
    assert_eq!(import.format, ImportFormat::UserPoolClient);
    assert_eq!(
        import.values,
        ImportedValues {
            client_id: some(CLIENT_ID),
            client_secret: some(SECRET),
            region: some("us-east-1"),
            scope: some("demo/example demo/other"),
            ..ImportedValues::default()
        }
    );
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    let (settings, secret, summary) = import.apply(&existing(), &old_secret());
    assert_eq!(
        summary.filled,
        vec!["Client ID", "Client secret", "Region", "Scope"]
    );
    assert_eq!(secret.expose(), SECRET);
    // Fields the import lacks stay exactly as they were.
    assert_eq!(settings.domain, "old-pool");
    assert_eq!(settings.api_url, "https://old.example.com/dev");
    assert_eq!(
        Settings {
            client_id: "old-id".into(),
            region: "eu-north-1".into(),
            scope: "old/scope".into(),
            ..settings
        },
        existing()
    );
    // `--query UserPoolClient` gives the inner object alone.
    let value: serde_json::Value = serde_json::from_str(CLIENT).unwrap();
    let inner = parse_import(&value["UserPoolClient"].to_string()).unwrap();
    assert_eq!(inner.values, import.values);
}

#[test]
fn client_without_client_credentials_still_imports_with_warnings() {
    let import = parse_import(CLIENT_CODE_FLOW).unwrap();
    assert_eq!(
        import.values.client_id.as_deref(),
        Some("7d2fk0qv8l1m3n5p7r9t1v3x5z")
    );
    assert_eq!(import.values.client_secret, None);
    assert_eq!(import.values.region.as_deref(), Some("eu-central-1"));
    assert_eq!(import.values.scope.as_deref(), Some("openid email"));
    assert_eq!(import.warnings.len(), 2, "{:?}", import.warnings);
    assert!(import.warnings[0].contains("client_credentials"));
    assert!(import.warnings[1].contains("no secret"));
    let (_, _, summary) = import.apply(&Settings::default(), &Secret::default());
    let message = summary.message();
    assert!(message.contains("Warning: this app client does not allow the client_credentials flow"));
    assert_eq!(
        summary.still_missing,
        vec!["Client secret", "Domain", "API URL"]
    );

    let off = CLIENT.replace(
        "\"AllowedOAuthFlowsUserPoolClient\": true",
        "\"AllowedOAuthFlowsUserPoolClient\": false",
    );
    let import = parse_import(&off).unwrap();
    assert_eq!(import.warnings.len(), 1);
    assert!(import.warnings[0].contains("AllowedOAuthFlowsUserPoolClient"));
}

#[test]
fn user_pool_domains() {
    let import = parse_import(DOMAIN_PREFIX).unwrap();
    assert_eq!(import.format, ImportFormat::UserPoolDomain);
    assert_eq!(
        import.values,
        ImportedValues {
            domain: some("demo-pool-7f3a"),
            region: some("us-east-1"),
            ..ImportedValues::default()
        }
    );
    assert!(import.warnings.is_empty());
    let (settings, secret, summary) = import.apply(&existing(), &old_secret());
    assert_eq!(summary.filled, vec!["Domain", "Region"]);
    assert_eq!(
        settings.token_endpoint().unwrap().url,
        "https://demo-pool-7f3a.auth.us-east-1.amazoncognito.com/oauth2/token"
    );
    assert_eq!(secret.expose(), "old-secret");

    let custom = parse_import(DOMAIN_CUSTOM).unwrap();
    assert_eq!(custom.values.domain.as_deref(), Some("auth.example.com"));
    assert_eq!(custom.values.region.as_deref(), Some("ap-southeast-2"));
    assert_eq!(custom.warnings.len(), 1);
    assert!(custom.warnings[0].contains("CREATING"));
}

#[test]
fn a_pool_without_a_domain_is_explained() {
    let err = parse_import(DOMAIN_NONE).unwrap_err();
    assert_eq!(err, ImportError::NoDomain);
    let text = err.to_string();
    assert!(
        text.contains("Cognito → App integration → Domain"),
        "{text}"
    );
    assert!(text.contains("token endpoint exists only then"), "{text}");
}

#[test]
fn not_json_names_line_and_column() {
    let err = parse_import("USER_POOL_CLIENT_ID=abc").unwrap_err();
    assert_eq!(err, ImportError::NotJson { line: 1, column: 1 });
    let err = parse_import("{\n  \"a\": 1,\n  oops\n}").unwrap_err();
    assert_eq!(err, ImportError::NotJson { line: 3, column: 3 });
    let text = err.to_string();
    assert!(text.contains("line 3, column 3"), "{text}");
    assert!(text.ends_with("The form was not changed."), "{text}");
}

#[test]
fn truncated_json() {
    for fixture in [SECRET_STRING, GET_SECRET_VALUE, CLIENT, DOMAIN_PREFIX] {
        let cut = &fixture[..fixture.len() / 2];
        let err = parse_import(cut).unwrap_err();
        assert!(
            matches!(err, ImportError::Truncated { .. }),
            "{err:?} for {cut}"
        );
        assert!(err.to_string().contains("cut off"));
    }
}

#[test]
fn unknown_shapes_list_the_formats() {
    let err = parse_import(r#"{"keys":[{"kid":"abc"}],"other":1}"#).unwrap_err();
    assert_eq!(
        err,
        ImportError::UnknownShape {
            found: "an object with the keys keys, other".into()
        }
    );
    let text = err.to_string();
    for needle in [
        "USER_POOL_CLIENT_ID",
        "get-secret-value",
        "describe-user-pool-client",
        "describe-user-pool-domain",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    for (input, found) in [
        ("[1,2]", "an array"),
        ("42", "a number"),
        ("{}", "an empty object"),
        ("null", "null"),
    ] {
        assert_eq!(
            parse_import(input),
            Err(ImportError::UnknownShape {
                found: found.into()
            })
        );
    }
    let many: serde_json::Map<String, serde_json::Value> = (0..12)
        .map(|i| (format!("k{i:02}"), serde_json::Value::Null))
        .collect();
    let err = parse_import(&serde_json::Value::Object(many).to_string()).unwrap_err();
    assert!(err.to_string().contains("k07 and 4 more"), "{err}");
}

#[test]
fn known_shapes_without_useful_values() {
    let err = parse_import(r#"{"USER_POOL_CLIENT_ID":"  ","APIGW_URL":""}"#).unwrap_err();
    assert!(matches!(
        err,
        ImportError::NothingToImport {
            format: ImportFormat::SecretString,
            ..
        }
    ));
    let err = parse_import(r#"{"UserPoolClient":{"UserPoolId":"us-east-1_x","ClientName":"n"}}"#)
        .unwrap_err();
    assert!(err.to_string().contains("ClientId, ClientSecret"), "{err}");
    let err = parse_import(
        r#"{"ARN":"arn:x","Name":"n","SecretString":"{\"DB_PASSWORD\":\"hunter2\"}"}"#,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ImportError::NothingToImport {
            format: ImportFormat::SecretsManagerOutput,
            ..
        }
    ));
    assert!(!err.to_string().contains("hunter2"));
    let err =
        parse_import(r#"{"DomainDescription":{"UserPoolId":"us-east-1_x","Status":"ACTIVE"}}"#)
            .unwrap_err();
    assert!(err.to_string().contains("(Domain)"), "{err}");
}

#[test]
fn secrets_manager_special_cases() {
    assert_eq!(
        parse_import(r#"{"ARN":"a","Name":"n","VersionId":"v","SecretBinary":"AAEC"}"#),
        Err(ImportError::BinarySecret)
    );
    assert_eq!(
        parse_import(r#"{"ARN":"a","Name":"n","Description":"d"}"#),
        Err(ImportError::NoSecretString)
    );
    let plain = parse_import(r#"{"ARN":"a","Name":"n","SecretString":"hunter2"}"#).unwrap_err();
    assert!(matches!(
        plain,
        ImportError::SecretStringNotJson {
            truncated: false,
            ..
        }
    ));
    assert!(!plain.to_string().contains("hunter2"));
    let cut = parse_import(r#"{"SecretString":"{\"USER_POOL_CLIENT_ID\":\"ab"}"#).unwrap_err();
    assert!(matches!(
        cut,
        ImportError::SecretStringNotJson {
            truncated: true,
            ..
        }
    ));
    assert_eq!(
        parse_import(r#"{"SecretString":"[1]"}"#),
        Err(ImportError::WrongType {
            key: "SecretString".into(),
            expected: "a JSON object of key/value pairs",
            found: "an array"
        })
    );
}

#[test]
fn wrong_types_name_the_key() {
    let cases = [
        (
            CLIENT.replace(
                "\"AllowedOAuthScopes\": [\n            \"demo/example\",\n            \"demo/other\"\n        ]",
                "\"AllowedOAuthScopes\": 7",
            ),
            "UserPoolClient.AllowedOAuthScopes",
        ),
        (
            CLIENT.replace("\"demo/other\"", "{}"),
            "UserPoolClient.AllowedOAuthScopes[1]",
        ),
        (
            CLIENT.replace(
                "\"ClientId\": \"3n4b5urk1ft4fl3mg5e62d9ado\"",
                "\"ClientId\": 12",
            ),
            "UserPoolClient.ClientId",
        ),
        (r#"{"UserPoolClient":"x"}"#.to_owned(), "UserPoolClient"),
        (
            r#"{"USER_POOL_CLIENT_SECRET":true}"#.to_owned(),
            "USER_POOL_CLIENT_SECRET",
        ),
        (
            r#"{"SecretString":"{\"APIGW_URL\":[\"x\"]}"}"#.to_owned(),
            "SecretString → APIGW_URL",
        ),
        (
            r#"{"DomainDescription":{"UserPoolId":"us-east-1_x","Domain":false}}"#.to_owned(),
            "DomainDescription.Domain",
        ),
        (r#"{"SecretString":5}"#.to_owned(), "SecretString"),
    ];
    for (input, key) in cases {
        match parse_import(&input) {
            Err(ImportError::WrongType { key: got, .. }) => assert_eq!(got, key),
            other => panic!("{key}: {other:?}"),
        }
    }
    let text = parse_import(r#"{"UserPoolClient":{"ClientId":"a","AllowedOAuthScopes":"x y"}}"#)
        .map(|i| i.values.scope);
    // A string of scopes is tolerated; only wrong kinds of value are refused.
    assert_eq!(text, Ok(some("x y")));
    let err = parse_import(r#"{"USER_POOL_SCOPE":3}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"USER_POOL_SCOPE\" should be an array of strings but is a number. The output was probably edited by hand: paste it exactly as the AWS CLI printed it. The form was not changed."
    );
}

#[test]
fn extra_keys_whitespace_and_bom_are_ignored() {
    let text = format!(
        "\u{feff}\n  {}  \n",
        CLIENT.replace(
            "\"AuthSessionValidity\": 3",
            "\"AuthSessionValidity\": 3, \"SomethingNew\": {\"x\": [1, 2]}"
        )
    );
    assert_eq!(
        parse_import(&text).unwrap().values,
        parse_import(CLIENT).unwrap().values
    );
    assert_eq!(parse_import(" \n\t"), Err(ImportError::Empty));
}

#[test]
fn oversize_is_refused_before_parsing() {
    let big = format!(
        "{{\"USER_POOL_CLIENT_ID\":\"{}\"}}",
        "a".repeat(MAX_IMPORT_BYTES)
    );
    assert!(matches!(
        parse_import(&big),
        Err(ImportError::TooLarge { .. })
    ));
}

#[test]
fn bad_pool_ids_leave_region_alone_with_a_warning() {
    let import =
        parse_import(r#"{"UserPoolClient":{"UserPoolId":"nonsense","ClientId":"a"}}"#).unwrap();
    assert_eq!(import.values.region, None);
    assert!(import.warnings.iter().any(|w| w.contains("UserPoolId")));
}

#[test]
fn apply_touches_only_imported_fields() {
    let import = Import {
        format: ImportFormat::SecretString,
        values: ImportedValues {
            scope: some("new/scope"),
            ..ImportedValues::default()
        },
        warnings: vec![],
    };
    let (settings, _secret, summary) = import.apply(&existing(), &old_secret());
    assert_eq!(
        settings,
        Settings {
            scope: "new/scope".into(),
            ..existing()
        }
    );
    assert_eq!(summary.filled, vec!["Scope"]);
    assert!(summary.still_missing.is_empty());
}

#[test]
fn summaries_and_errors_never_contain_values() {
    let fixtures = [
        SECRET_STRING,
        GET_SECRET_VALUE,
        CLIENT,
        CLIENT_CODE_FLOW,
        DOMAIN_PREFIX,
        DOMAIN_CUSTOM,
    ];
    for fixture in fixtures {
        let import = parse_import(fixture).unwrap();
        let (_, _, summary) = import.apply(&Settings::default(), &Secret::default());
        let text = format!("{} {summary:?}", summary.message());
        for value in [
            SECRET,
            CLIENT_ID,
            "demo-pool-7f3a",
            "abc123defg",
            "demo/example",
        ] {
            assert!(!text.contains(value), "{value} in {text}");
        }
    }
    // Nor do errors about a paste that holds the secret.
    let broken = GET_SECRET_VALUE.replace("\"Name\"", "\"Name\" \"");
    let err = parse_import(&broken).unwrap_err();
    assert!(!err.to_string().contains(SECRET));
    let wrong = format!(r#"{{"USER_POOL_CLIENT_SECRET":"{SECRET}","USER_POOL_SCOPE":1}}"#);
    let err = parse_import(&wrong).unwrap_err();
    assert!(!err.to_string().contains(SECRET), "{err}");
}

#[test]
fn still_missing_in_form_order() {
    assert_eq!(
        still_missing(&Settings::default(), &Secret::default()),
        vec!["Client ID", "Client secret", "Domain", "API URL"]
    );
    let prefix = Settings {
        domain: "my-pool".into(),
        ..Settings::default()
    };
    assert_eq!(
        still_missing(&prefix, &Secret::default()),
        vec!["Client ID", "Client secret", "Region", "API URL"]
    );
}

/// A GetClientToken client is pointed at its token source, not told to enable client credentials.
#[test]
fn a_client_token_client_is_pointed_at_get_client_token() {
    let json = r#"{"UserPoolClient": {"UserPoolId": "us-east-1_demo", "ClientId": "client-token-client",
        "ClientSecret": "client-token-secret", "ExplicitAuthFlows": ["ALLOW_CLIENT_TOKEN_AUTH"]}}"#;
    let import = parse_import(json).unwrap();
    assert_eq!(import.warnings.len(), 1, "{:?}", import.warnings);
    assert!(import.warnings[0].contains("GetClientToken API"));
    assert!(!import.warnings[0].contains("client_credentials"));
}
