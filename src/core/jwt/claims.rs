//! The claim table: each claim with its value, what it means for a Cognito access token, and
//! details worth pointing at (scopes as a list, the region and pool inside `iss`, dates).

use serde_json::{Map, Value};

use super::time::{format_utc, unix_seconds};
use crate::core::short_sort::sort_short_by;

#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    pub name: String,
    pub value: String,
    pub meaning: String,
    pub detail: Vec<String>,
    pub time: Option<i64>,
}

/// Known claims in the order AWS documents the access token, so the table reads the same every time.
const KNOWN: [(&str, &str); 16] = [
    ("sub", "Subject: who the token is for. For client credentials this is the app client ID."),
    ("token_use", "Kind of token: \"access\" is expected here; \"id\" means an ID token, which API scopes do not accept."),
    ("scope", "Granted scopes, space-separated; custom scopes have the form resourceServerId/scopeName."),
    ("auth_time", "When the client authenticated (unix seconds)."),
    ("iss", "Issuer: the user pool that signed the token, https://cognito-idp.<region>.amazonaws.com/<poolId>."),
    ("exp", "Expiry: the token is refused from this moment on."),
    ("iat", "Issued at: when Cognito created the token."),
    ("version", "Version of the Cognito access-token format."),
    ("jti", "Unique identifier of this token."),
    ("client_id", "The app client the token was issued to."),
    ("aud", "Audience: the app client in ID tokens, or the resource an access token was issued for (resource indicators). Access tokens from client credentials usually have none; token_use tells access and ID tokens apart."),
    ("username", "The user's name in the pool; absent for client credentials, where no user is involved."),
    ("cognito:groups", "User-pool groups of the user; absent for client credentials."),
    ("origin_jti", "Identifier of the original authentication, shared by tokens refreshed from it."),
    ("event_id", "Identifier of the sign-in event (user tokens only)."),
    ("nbf", "Not before: the token is refused until this moment."),
];

const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "auth_time", "nbf"];

/// One row per claim: known Cognito claims first in [`KNOWN`] order, the rest alphabetically.
pub fn claim_rows(claims: &Map<String, Value>) -> Vec<ClaimRow> {
    let mut rows: Vec<ClaimRow> = KNOWN
        .iter()
        .filter_map(|(name, meaning)| claims.get(*name).map(|v| row(name, meaning, v)))
        .collect();
    let mut others: Vec<(&String, &Value)> = claims
        .iter()
        .filter(|(name, _)| !KNOWN.iter().any(|(known, _)| known == name))
        .collect();
    sort_short_by(&mut others, |a, b| a.0 < b.0);
    rows.extend(others.into_iter().map(|(name, value)| {
        row(
            name,
            "Not a standard Cognito access-token claim (custom, or added by a pre-token-generation Lambda).",
            value,
        )
    }));
    rows
}

fn row(name: &str, meaning: &str, value: &Value) -> ClaimRow {
    let time = if TIME_CLAIMS.contains(&name) {
        unix_seconds(value)
    } else {
        None
    };
    let mut detail = Vec::new();
    match (name, value) {
        (_, _) if time.is_some() => detail.extend(time.map(format_utc)),
        ("scope", Value::String(s)) => {
            detail.extend(crate::core::token::scope_claim(s).map(str::to_owned));
        }
        ("iss", Value::String(s)) => match parse_issuer(s) {
            Some(issuer) => {
                detail.push(format!("region {}", issuer.region));
                detail.push(format!("user pool {}", issuer.pool_id));
            }
            None => detail.push(
                "not a Cognito user pool URL (https://cognito-idp.<region>.amazonaws.com/<poolId>)"
                    .to_owned(),
            ),
        },
        ("token_use", Value::String(s)) => match s.as_str() {
            "access" => {}
            "id" => detail
                .push("an ID token: send the access token to APIs that check scopes".to_owned()),
            other => detail.push(format!(
                "unexpected value \"{other}\" (Cognito uses \"access\" or \"id\")"
            )),
        },
        ("cognito:groups", Value::Array(groups)) => {
            detail.extend(groups.iter().map(compact));
        }
        _ => {}
    }
    ClaimRow {
        name: name.to_owned(),
        value: compact(value),
        meaning: meaning.to_owned(),
        detail,
        time,
    }
}

/// Strings without quotes, everything else as compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The user pool behind an `iss` claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Issuer {
    pub region: String,
    pub pool_id: String,
    pub url: String,
    /// The origin of `url`: Cognito's own host, or a stand-in's.
    pub origin: String,
    /// True on Cognito's own `cognito-idp.<region>.amazonaws.com` host (checked strictly above);
    /// false for a stand-in (an emulator, a test double).
    pub on_cognito_host: bool,
}

/// Recognises `https://cognito-idp.<region>.amazonaws.com/<region>_<id>` strictly, and any other
/// `http(s)://host[:port]/<region>_<id>` (a local emulator, a test double).
pub fn parse_issuer(iss: &str) -> Option<Issuer> {
    let url = crate::whatwg_url::Url::parse(iss.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.query().is_some() {
        return None;
    }
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let host = url.host_str()?;
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    let pool_id = segments.next()?;
    if segments.next().is_some() {
        return None;
    }
    let pool = crate::core::aws::parse_pool_id(pool_id)?;
    // An AWS host must be the pool's own region's cognito-idp host, in its partition, over https.
    let on_cognito_host = host.starts_with("cognito-idp.") && host.contains(".amazonaws.");
    if on_cognito_host {
        let host_region = crate::core::aws::parse_cognito_idp_host(host)?;
        if url.scheme() != "https" || host_region != pool.region {
            return None;
        }
    }
    let origin = url.origin();
    Some(Issuer {
        region: pool.region.to_string(),
        pool_id: pool_id.to_owned(),
        url: format!("{origin}/{pool_id}"),
        origin,
        on_cognito_host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn find<'a>(rows: &'a [ClaimRow], name: &str) -> &'a ClaimRow {
        rows.iter().find(|r| r.name == name).unwrap()
    }

    #[test]
    fn cognito_access_token_rows() {
        let claims = map(json!({
            "zeta": 1,
            "client_id": "abc123",
            "version": 2,
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo",
            "exp": 1_795_759_541,
            "iat": 1_795_755_941,
            "auth_time": 1_795_755_941,
            "scope": "demo/read demo/write",
            "token_use": "access",
            "sub": "abc123",
            "jti": "j-1",
            "alpha": {"x": [1, "y"]}
        }));
        let rows = claim_rows(&claims);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "sub",
                "token_use",
                "scope",
                "auth_time",
                "iss",
                "exp",
                "iat",
                "version",
                "jti",
                "client_id",
                "alpha",
                "zeta"
            ]
        );
        let scope = find(&rows, "scope");
        assert_eq!(scope.value, "demo/read demo/write");
        assert_eq!(scope.detail, ["demo/read", "demo/write"]);
        assert!(scope.meaning.contains("resourceServerId/scopeName"));
        let iss = find(&rows, "iss");
        assert_eq!(iss.detail, ["region us-east-1", "user pool us-east-1_demo"]);
        let exp = find(&rows, "exp");
        assert_eq!(exp.time, Some(1_795_759_541));
        assert_eq!(exp.value, "1795759541");
        assert_eq!(exp.detail, ["2026-11-27 06:05:41 UTC"]);
        assert_eq!(find(&rows, "auth_time").time, Some(1_795_755_941));
        assert_eq!(find(&rows, "version").time, None);
        assert_eq!(find(&rows, "version").value, "2");
        assert!(find(&rows, "sub").meaning.contains("app client ID"));
        assert!(find(&rows, "token_use").detail.is_empty());
        let alpha = find(&rows, "alpha");
        assert_eq!(alpha.value, r#"{"x":[1,"y"]}"#);
        assert!(alpha.meaning.contains("Not a standard"));
    }

    #[test]
    fn id_token_hints() {
        let rows = claim_rows(&map(json!({
            "token_use": "id",
            "aud": "abc",
            "cognito:groups": ["admins", "qa"],
            "username": "alice",
            "nbf": 5,
            "origin_jti": "o",
            "event_id": "e"
        })));
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "token_use",
                "aud",
                "username",
                "cognito:groups",
                "origin_jti",
                "event_id",
                "nbf"
            ]
        );
        assert!(find(&rows, "token_use").detail[0].contains("ID token"));
        assert!(find(&rows, "aud")
            .meaning
            .contains("token_use tells access and ID tokens apart"));
        assert_eq!(find(&rows, "cognito:groups").detail, ["admins", "qa"]);
        assert_eq!(find(&rows, "cognito:groups").value, r#"["admins","qa"]"#);
        assert_eq!(find(&rows, "nbf").time, Some(5));
        assert_eq!(find(&rows, "nbf").detail, ["1970-01-01 00:00:05 UTC"]);
    }

    #[test]
    fn odd_values_are_shown_not_interpreted() {
        let rows = claim_rows(&map(json!({
            "token_use": "refresh",
            "iss": "https://example.com/not-a-pool",
            "exp": "tomorrow",
            "scope": 7,
            "sub": null
        })));
        assert!(find(&rows, "token_use").detail[0].contains("unexpected value \"refresh\""));
        assert!(find(&rows, "iss").detail[0].contains("not a Cognito user pool URL"));
        let exp = find(&rows, "exp");
        assert_eq!((exp.time, exp.value.as_str()), (None, "tomorrow"));
        assert!(exp.detail.is_empty());
        assert!(find(&rows, "scope").detail.is_empty());
        assert_eq!(find(&rows, "sub").value, "null");
        assert!(claim_rows(&Map::new()).is_empty());
    }

    #[test]
    fn huge_time_values() {
        let rows = claim_rows(&map(json!({"exp": 1e300, "iat": -99999999999999999999.0})));
        let exp = find(&rows, "exp");
        assert_eq!(exp.time, Some(i64::MAX));
        assert!(exp.detail[0].contains("outside the years"));
        assert_eq!(find(&rows, "iat").time, Some(i64::MIN));
    }

    #[test]
    fn issuer_cognito() {
        assert_eq!(
            parse_issuer("https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123"),
            Some(Issuer {
                region: "eu-west-2".into(),
                pool_id: "eu-west-2_AbC123".into(),
                url: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123".into(),
                origin: "https://cognito-idp.eu-west-2.amazonaws.com".into(),
                on_cognito_host: true,
            })
        );
        assert_eq!(
            parse_issuer("https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_x/")
                .unwrap()
                .region,
            "us-gov-west-1"
        );
    }

    #[test]
    fn issuer_in_other_partitions() {
        for (iss, region) in [
            (
                "https://cognito-idp.cn-northwest-1.amazonaws.com.cn/cn-northwest-1_Ab1",
                "cn-northwest-1",
            ),
            (
                "https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_Ab1",
                "eusc-de-east-1",
            ),
        ] {
            assert_eq!(parse_issuer(iss).unwrap().region, region, "{iss}");
        }
        // A China pool on the commercial suffix, or the other way round, is not a real issuer.
        assert!(
            parse_issuer("https://cognito-idp.cn-north-1.amazonaws.com/cn-north-1_a").is_none()
        );
        assert!(
            parse_issuer("https://cognito-idp.us-east-1.amazonaws.com.cn/us-east-1_a").is_none()
        );
    }

    #[test]
    fn issuer_emulator_and_other_hosts() {
        let local = parse_issuer("http://127.0.0.1:9090/us-east-1_demo").unwrap();
        assert_eq!(local.region, "us-east-1");
        assert_eq!(local.pool_id, "us-east-1_demo");
        assert_eq!(local.url, "http://127.0.0.1:9090/us-east-1_demo");
        assert!(parse_issuer("https://localhost/ap-southeast-2_Q").is_some());
        // Default port dropped from the normalised URL.
        assert_eq!(
            parse_issuer("https://idp.test:443/eu-central-1_a")
                .unwrap()
                .url,
            "https://idp.test/eu-central-1_a"
        );
    }

    #[test]
    fn issuer_rejections() {
        for iss in [
            "",
            "not a url",
            "https://cognito-idp.us-east-1.amazonaws.com/eu-west-1_abc", // pool in another region
            "http://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",  // AWS is https only
            "https://cognito-idp.us-east-1.amazonaws.com/",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a/b",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a?x=1",
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_a#f",
            "https://u:p@idp.test/us-east-1_a",
            "ftp://idp.test/us-east-1_a",
            "https://idp.test/useast1_a",
            "https://idp.test/US-EAST-1_a",
            "https://idp.test/u-east-1_a",
            "https://idp.test/us-1_a",
            "https://idp.test/us-east-x_a",
            "https://idp.test/us-east-1_a-b",
        ] {
            assert_eq!(parse_issuer(iss), None, "{iss}");
        }
    }
}
