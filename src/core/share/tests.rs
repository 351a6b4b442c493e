use super::*;

const SECRET: &str = "1k7sj2v0rq5ti0o8d2l9a4m6c3b8e1n5f0h7g2p9q4r6s1t3u8v";

/// Every field away from its default, so a field lost on the way shows up.
fn full() -> Settings {
    Settings {
        client_id: "3n4b5urk1ft4fl3mg5e62d9ado".into(),
        domain: "https://demo-pool.auth.eu-west-1.amazoncognito.com".into(),
        region: "eu-west-1".into(),
        scope: "demo/example demo/other".into(),
        api_url: "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/pets?x=1&y=é".into(),
        method: HttpMethod::Patch,
        api_body: "{\"name\": \"Rex\", \"tags\": [\"a\", \"#b\"]}\n".into(),
        extra_headers: "X-Trace: 1\nAccept: application/json".into(),
        client_auth: ClientAuth::BasicHeader,
        via_proxy: true,
        timeout_secs: 45,
        jwks: "https://keys.example.com/jwks.json".into(),
        secret_headers: vec!["X-Tenant".into()],
        token_source: crate::core::client_token::TokenSource::GetClientToken,
        client_metadata: "{\"tenant\": \"acme\"}".into(),
        sign_in: crate::core::user_sign_in::SignInSettings {
            grant: crate::core::user_sign_in::Grant::AuthorizationCode,
            send_token: crate::core::user_sign_in::SendToken::IdToken,
            identity_provider: "COGNITO".into(),
            lang: "fr".into(),
        },
    }
}

fn encode(json: &str) -> String {
    format!("#s={}", URL_SAFE_NO_PAD.encode(json))
}

fn decoded(fragment: &str) -> String {
    let encoded = fragment.strip_prefix("#s=").unwrap();
    String::from_utf8(DECODE.decode(encoded).unwrap()).unwrap()
}

#[test]
fn round_trip_of_every_field() {
    let fragment = to_fragment(&full()).unwrap();
    assert!(fragment.starts_with("#s="));
    let shared = from_fragment(&fragment).unwrap();
    assert_eq!(shared, SharedSettings::from_settings(&full()));
    assert_eq!(shared.settings(), full());
    // Without '#', and as a whole link.
    assert_eq!(from_fragment(&fragment[1..]).unwrap(), shared);
    let link = format!("https://tester.example.com/index.html{fragment}");
    assert_eq!(from_fragment(&link).unwrap(), shared);
    assert_eq!(from_fragment(&format!("  {fragment}\n")).unwrap(), shared);
}

#[test]
fn the_secret_never_enters_the_link() {
    let fragment = to_fragment(&full()).unwrap();
    let json = decoded(&fragment);
    for text in [&fragment, &json] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("client_secret"), "{text}");
    }
    assert!(json.starts_with("{\"v\":1,"), "{json}");
}

#[test]
fn credential_headers_are_withheld() {
    let settings = Settings {
        extra_headers: "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln\nX-Trace: 1\n x-api-key : k-123\nCookie: a=b\nAccept: */*\nX-Tenant: ticked-secret".into(),
        ..full()
    };
    let fragment = to_fragment(&settings).unwrap();
    let json = decoded(&fragment);
    for hidden in [
        "eyJhbGciOiJSUzI1NiJ9",
        "k-123",
        "a=b",
        "Authorization",
        "ticked-secret",
    ] {
        assert!(!json.contains(hidden), "{hidden} in {json}");
    }
    let shared = from_fragment(&fragment).unwrap();
    assert_eq!(shared.extra_headers, "X-Trace: 1\nAccept: */*");
    assert_eq!(
        crate::core::headers::withheld_headers(&settings.extra_headers, &[]),
        vec!["Authorization", "x-api-key", "Cookie"]
    );
    assert!(crate::core::headers::withheld_headers("X-Trace: 1", &[]).is_empty());
}

#[test]
fn unknown_fields_are_ignored_and_missing_fields_default() {
    let shared = from_fragment(&encode(
        r#"{"v":1,"client_id":"abc","future":{"x":1},"method":"Post"}"#,
    ))
    .unwrap();
    assert_eq!(
        shared,
        SharedSettings {
            client_id: "abc".into(),
            method: HttpMethod::Post,
            ..SharedSettings::default()
        }
    );
    // A link never carries a secret; one slipped in by hand is ignored (Settings has no
    // field for it).
    let sneaky = from_fragment(&encode(r#"{"v":1,"client_secret":"sneaky-x"}"#)).unwrap();
    assert!(!format!("{:?}", sneaky.settings()).contains("sneaky-x"));
    // Padding added back by some tool is accepted.
    let json = r#"{"v":1,"scope":"a/bc"}"#;
    let padded = format!(
        "#s={}",
        base64::engine::general_purpose::URL_SAFE.encode(json)
    );
    assert!(padded.ends_with('='));
    assert_eq!(from_fragment(&padded).unwrap().scope, "a/bc");
}

#[test]
fn other_versions_are_refused_clearly() {
    let err = from_fragment(&encode(r#"{"v":2,"client_id":"abc"}"#)).unwrap_err();
    assert_eq!(
        err,
        ShareError::UnsupportedVersion {
            version: "2".into()
        }
    );
    let text = err.to_string();
    assert!(text.contains("format 2; this version reads 1"), "{text}");
    assert!(matches!(
        from_fragment(&encode(r#"{"client_id":"abc"}"#)),
        Err(ShareError::Damaged { .. })
    ));
    assert!(matches!(
        from_fragment(&encode(r#"{"v":"1"}"#)),
        Err(ShareError::Damaged { .. })
    ));
}

#[test]
fn garbage_and_truncation() {
    assert_eq!(from_fragment(""), Err(ShareError::NoSettings));
    assert_eq!(from_fragment("#"), Err(ShareError::NoSettings));
    assert_eq!(from_fragment("#top"), Err(ShareError::NoSettings));
    assert_eq!(
        from_fragment("#s=***"),
        Err(ShareError::Damaged {
            detail: "not base64url".into()
        })
    );
    assert!(matches!(
        from_fragment(&encode("not json")),
        Err(ShareError::Damaged { .. })
    ));
    assert!(matches!(
        from_fragment(&encode("[1,2]")),
        Err(ShareError::Damaged { .. })
    ));
    let wrong_type = from_fragment(&encode(r#"{"v":1,"via_proxy":"yes"}"#)).unwrap_err();
    assert!(
        wrong_type.to_string().contains("cannot be read"),
        "{wrong_type}"
    );
    // Cut anywhere: never a panic, never a silent success.
    let fragment = to_fragment(&full()).unwrap();
    for cut in 4..fragment.len() - 1 {
        let result = from_fragment(&fragment[..cut]);
        assert!(
            matches!(
                result,
                Err(ShareError::Truncated | ShareError::Damaged { .. })
            ),
            "cut at {cut}: {result:?}"
        );
    }
    // A cut link is reported as cut, whatever the length of the rest.
    for len in [40, 41, 42, 43] {
        assert_eq!(
            from_fragment(&fragment[..3 + len]),
            Err(ShareError::Truncated),
            "{len}"
        );
    }
    assert!(ShareError::Truncated.to_string().contains("whole link"));
}

#[test]
fn oversize_links() {
    let huge = Settings {
        api_body: "x".repeat(MAX_FRAGMENT_BYTES),
        ..full()
    };
    let err = to_fragment(&huge).unwrap_err();
    assert!(matches!(err, ShareError::TooLarge { .. }));
    assert!(err.to_string().contains("request body"), "{err}");
    let long = format!("#s={}", "A".repeat(MAX_FRAGMENT_BYTES));
    assert!(matches!(
        from_fragment(&long),
        Err(ShareError::TooLarge { .. })
    ));
    // Just under the limit still works.
    let big = Settings {
        api_body: "x".repeat(4 * 1024),
        ..full()
    };
    let fragment = to_fragment(&big).unwrap();
    assert_eq!(from_fragment(&fragment).unwrap().api_body, big.api_body);
}

#[test]
fn other_fragment_parameters_are_tolerated() {
    let fragment = to_fragment(&full()).unwrap();
    let with_more = format!("#x=1&{}&y=2", &fragment[1..]);
    assert_eq!(
        from_fragment(&with_more).unwrap(),
        SharedSettings::from_settings(&full())
    );
}
