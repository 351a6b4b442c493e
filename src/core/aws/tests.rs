use super::*;

fn region(r: &str) -> Region {
    parse_region(r).unwrap()
}

#[test]
fn regions_of_every_partition() {
    for (r, p) in [
        ("us-east-1", Partition::Aws),
        ("ap-southeast-5", Partition::Aws),
        ("eu-central-2", Partition::Aws),
        ("cn-north-1", Partition::China),
        ("cn-northwest-1", Partition::China),
        ("us-gov-west-1", Partition::GovCloud),
        ("us-gov-east-1", Partition::GovCloud),
        ("eusc-de-east-1", Partition::EuSovereign),
    ] {
        let parsed = region(r);
        assert_eq!(parsed.as_str(), r);
        assert_eq!(parsed.partition(), p, "{r}");
        assert!(is_region(r));
    }
    assert_eq!(region(" us-east-1 ").as_str(), "us-east-1");
    assert_eq!(Region(String::from("x")).to_string(), "x");
}

#[test]
fn bad_regions_are_refused_with_a_reason() {
    assert_eq!(parse_region("  "), Err(RegionError::Empty));
    for bad in [
        "US-EAST-1",
        "useast1",
        "us-east",
        "us-east-123",
        "u-east-1",
        "usa-east-1",
        "us--1",
        "us-a-b-c-1",
        "us-east-1 ",
        "us-east-1\u{0}",
        "eus-de-east-1",
        "us-east-1_abc",
        "-east-1",
    ] {
        if bad.trim() == "us-east-1" {
            continue;
        }
        assert!(
            matches!(parse_region(bad), Err(RegionError::Malformed(_))),
            "{bad}"
        );
    }
    assert_eq!(
        parse_region("us-iso-east-1"),
        Err(RegionError::Isolated("us-iso-east-1".into()))
    );
    assert!(matches!(
        parse_region("us-isob-east-1"),
        Err(RegionError::Isolated(_))
    ));
    for e in [
        RegionError::Empty,
        RegionError::Malformed("x".into()),
        RegionError::Isolated("us-iso-east-1".into()),
    ] {
        assert!(e.to_string().ends_with('.'));
    }
    assert!(RegionError::Malformed("x".into())
        .to_string()
        .contains("eusc-de-east-1"));
}

#[test]
fn partition_names_and_suffixes() {
    assert_eq!(Partition::Aws.name(), "aws");
    assert_eq!(Partition::China.name(), "aws-cn");
    assert_eq!(Partition::GovCloud.name(), "aws-us-gov");
    assert_eq!(Partition::EuSovereign.name(), "aws-eusc");
    assert_eq!(Partition::Aws.dns_suffix(), "amazonaws.com");
    assert_eq!(Partition::GovCloud.dns_suffix(), "amazonaws.com");
    assert_eq!(Partition::China.dns_suffix(), "amazonaws.com.cn");
    assert_eq!(Partition::EuSovereign.dns_suffix(), "amazonaws.eu");
    assert_eq!(
        Partition::Aws.cognito_domain_suffix(),
        Some("amazoncognito.com")
    );
    assert_eq!(Partition::China.cognito_domain_suffix(), None);
    assert_eq!(Partition::EuSovereign.cognito_domain_suffix(), None);
}

#[test]
fn cognito_idp_hosts_per_partition() {
    assert_eq!(
        cognito_idp_endpoint(&region("us-east-1")),
        "https://cognito-idp.us-east-1.amazonaws.com/"
    );
    assert_eq!(
        cognito_idp_host(&region("cn-northwest-1")),
        "cognito-idp.cn-northwest-1.amazonaws.com.cn"
    );
    assert_eq!(
        cognito_idp_host(&region("eusc-de-east-1")),
        "cognito-idp.eusc-de-east-1.amazonaws.eu"
    );
    assert_eq!(
        parse_cognito_idp_host("cognito-idp.cn-north-1.amazonaws.com.cn"),
        Some(region("cn-north-1"))
    );
    assert_eq!(
        parse_cognito_idp_host("cognito-idp.us-gov-west-1.amazonaws.com"),
        Some(region("us-gov-west-1"))
    );
    // The suffix must be the region's partition's.
    assert_eq!(
        parse_cognito_idp_host("cognito-idp.cn-north-1.amazonaws.com"),
        None
    );
    assert_eq!(
        parse_cognito_idp_host("cognito-idp.us-east-1.amazonaws.com.cn"),
        None
    );
    assert_eq!(parse_cognito_idp_host("cognito-idp.us-east-1"), None);
    assert_eq!(parse_cognito_idp_host("example.com"), None);
}

#[test]
fn pool_ids_and_issuers() {
    let pool = parse_pool_id("eu-west-2_AbC123").unwrap();
    assert_eq!(pool.region, region("eu-west-2"));
    assert_eq!(pool.id, "AbC123");
    assert_eq!(pool.to_string(), "eu-west-2_AbC123");
    assert_eq!(
        issuer_url(&pool),
        "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123"
    );
    let cn = parse_pool_id("cn-northwest-1_x9").unwrap();
    assert_eq!(
        issuer_url(&cn),
        "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/cn-northwest-1_x9"
    );
    for bad in [
        "us-east-1_",
        "_abc",
        "us-east-1-abc",
        "us-east-1_a-b",
        "xx_abc",
    ] {
        assert_eq!(parse_pool_id(bad), None, "{bad}");
    }
}

#[test]
fn cognito_domains_build_and_parse() {
    let d = CognitoDomain {
        prefix: "my-pool".into(),
        region: region("us-east-1"),
        fips: false,
    };
    assert_eq!(
        d.host().unwrap(),
        "my-pool.auth.us-east-1.amazoncognito.com"
    );
    assert_eq!(
        d.token_url().unwrap(),
        "https://my-pool.auth.us-east-1.amazoncognito.com/oauth2/token"
    );
    assert_eq!(parse_cognito_domain_host(&d.host().unwrap()), Some(d));
    let gov = parse_cognito_domain_host("P.AUTH-FIPS.us-gov-west-1.amazoncognito.com").unwrap();
    assert!(gov.fips);
    assert_eq!(gov.prefix, "p");
    assert_eq!(
        gov.host().unwrap(),
        "p.auth-fips.us-gov-west-1.amazoncognito.com"
    );
    // China and the sovereign cloud: suffix not confirmed, so no prefix domains are built.
    let cn = CognitoDomain {
        prefix: "p".into(),
        region: region("cn-north-1"),
        fips: false,
    };
    assert_eq!(
        cn.host(),
        Err(DomainError::NoPrefixDomains(Partition::China))
    );
    assert!(cn.token_url().unwrap_err().to_string().contains("aws-cn"));
    let bad = CognitoDomain {
        prefix: "-x".into(),
        region: region("us-east-1"),
        fips: false,
    };
    assert!(matches!(bad.host(), Err(DomainError::BadPrefix(_))));
    for host in [
        "p.auth.us-east-1.amazoncognito.com.evil.example",
        "p.login.us-east-1.amazoncognito.com",
        "p.auth.useast1.amazoncognito.com",
        "a.b.auth.us-east-1.amazoncognito.com",
        "p.auth.cn-north-1.amazoncognito.com",
        "auth.example.com",
        "",
    ] {
        assert_eq!(parse_cognito_domain_host(host), None, "{host}");
    }
}

#[test]
fn domain_prefix_rule() {
    assert!(is_domain_prefix("my-pool-7f3a"));
    assert!(is_domain_prefix(&"a".repeat(63)));
    for bad in ["", "-a", "a-", "My", "a_b", "a.b", "é"] {
        assert!(!is_domain_prefix(bad), "{bad}");
    }
    assert!(!is_domain_prefix(&"a".repeat(64)));
}

#[test]
fn execute_api_hosts() {
    let h = parse_execute_api_host("abc123defg.execute-api.eu-west-1.amazonaws.com").unwrap();
    assert_eq!(h.api_id, "abc123defg");
    assert_eq!(h.region, region("eu-west-1"));
    assert_eq!(h.host(), "abc123defg.execute-api.eu-west-1.amazonaws.com");
    let cn = parse_execute_api_host("a1.execute-api.cn-north-1.amazonaws.com.cn").unwrap();
    assert_eq!(cn.host(), "a1.execute-api.cn-north-1.amazonaws.com.cn");
    for bad in [
        "a1.execute-api.cn-north-1.amazonaws.com",
        "a1.execute-api.us-east-1.amazonaws.com.evil.example",
        "a_1.execute-api.us-east-1.amazonaws.com",
        ".execute-api.us-east-1.amazonaws.com",
        "a1.lambda-url.us-east-1.on.aws",
        "api.example.com",
    ] {
        assert_eq!(parse_execute_api_host(bad), None, "{bad}");
    }
}

#[test]
fn loopback_hosts() {
    for host in [
        "localhost",
        "LOCALHOST",
        "app.localhost",
        "127.0.0.1",
        "127.1.2.3",
        "[::1]",
        "::1",
    ] {
        assert!(is_loopback_host(host), "{host}");
    }
    for host in [
        "127.0.0.1.evil.example",
        "127.0.0",
        "127.0.0.256",
        "localhost.example",
        "10.0.0.1",
        "",
    ] {
        assert!(!is_loopback_host(host), "{host}");
    }
}
