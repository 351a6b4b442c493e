//! One home for the shapes of AWS names the tool meets: regions and their partitions, the
//! user-pools API host (`cognito-idp`), issuers and pool IDs, Cognito prefix domains, execute-api
//! hosts, and loopback hosts. Everything builds what it parses and parses what it builds; nothing
//! panics on any input. Facts and sources: docs/aws-behaviour.md, "Regions and partitions".

use std::fmt;

/// How the tool writes these shapes in messages, placeholders and all.
pub const PREFIX_DOMAIN_SHAPE: &str = "https://<prefix>.auth.<region>.amazoncognito.com";
pub const ISSUER_SHAPE: &str = "https://cognito-idp.<region>.amazonaws.com/<pool id>";
pub const JWKS_URL_SHAPE: &str =
    "https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json";
pub const EXECUTE_API_SHAPE: &str = "https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/";

/// The AWS partitions a user pool or an API can live in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Partition {
    /// The commercial regions (`us-east-1`, `eu-west-2`, …).
    Aws,
    /// China (`cn-north-1`, `cn-northwest-1`).
    China,
    /// AWS GovCloud (US) (`us-gov-west-1`, `us-gov-east-1`).
    GovCloud,
    /// The AWS European Sovereign Cloud (`eusc-de-east-1`).
    EuSovereign,
}

impl Partition {
    /// The partition's name as ARNs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::China => "aws-cn",
            Partition::GovCloud => "aws-us-gov",
            Partition::EuSovereign => "aws-eusc",
        }
    }

    /// The DNS suffix of the partition's service endpoints.
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::GovCloud => "amazonaws.com",
            Partition::China => "amazonaws.com.cn",
            Partition::EuSovereign => "amazonaws.eu",
        }
    }

    /// The suffix of Cognito prefix domains, where it is confirmed (commercial and GovCloud).
    /// `None` elsewhere: the user gives the full domain instead of a prefix.
    pub fn cognito_domain_suffix(self) -> Option<&'static str> {
        match self {
            Partition::Aws | Partition::GovCloud => Some("amazoncognito.com"),
            Partition::China | Partition::EuSovereign => None,
        }
    }
}

/// A region name that passed [`parse_region`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn partition(&self) -> Partition {
        partition_of(&self.0)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionError {
    Empty,
    /// Not shaped like a region (`us-east-1`).
    Malformed(String),
    /// An isolated (air-gapped) region: its endpoints are not on the internet.
    Isolated(String),
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionError::Empty => f.write_str("The region is empty; regions look like us-east-1."),
            RegionError::Malformed(r) => write!(f, "\"{r}\" is not an AWS region name. Regions look like us-east-1, eu-central-2, cn-north-1, us-gov-west-1 or eusc-de-east-1."),
            RegionError::Isolated(r) => write!(f, "{r} is an isolated region: its endpoints cannot be reached from a browser on the internet."),
        }
    }
}

fn partition_of(region: &str) -> Partition {
    if region.starts_with("cn-") {
        Partition::China
    } else if region.starts_with("us-gov-") {
        Partition::GovCloud
    } else if region.starts_with("eusc-") {
        Partition::EuSovereign
    } else {
        Partition::Aws
    }
}

/// Reads a region name: an area (two letters, or `eusc`), one or two lowercase words, a number of
/// one or two digits. `us-east-1`, `ap-southeast-5`, `cn-northwest-1`, `us-gov-west-1`,
/// `eusc-de-east-1`. Surrounding whitespace is ignored; case is not (AWS names are lowercase).
pub fn parse_region(text: &str) -> Result<Region, RegionError> {
    let region = text.trim();
    if region.is_empty() {
        return Err(RegionError::Empty);
    }
    let parts: Vec<&str> = region.split('-').collect();
    let lower = |w: &&str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase());
    let valid = match parts.as_slice() {
        [area, middle @ .., number] => {
            (area.len() == 2 || *area == "eusc")
                && lower(area)
                && (1..=2).contains(&middle.len())
                && middle.iter().all(lower)
                && (1..=2).contains(&number.len())
                && number.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if !valid {
        return Err(RegionError::Malformed(region.to_owned()));
    }
    if parts.iter().any(|w| w.starts_with("iso")) {
        return Err(RegionError::Isolated(region.to_owned()));
    }
    Ok(Region(region.to_owned()))
}

/// True when `text` is a region name [`parse_region`] accepts.
pub fn is_region(text: &str) -> bool {
    parse_region(text).is_ok()
}

/// `cognito-idp.<region>.<suffix>`: the user-pools API host (GetClientToken, issuers, JWKS).
pub fn cognito_idp_host(region: &Region) -> String {
    format!(
        "cognito-idp.{}.{}",
        region.as_str(),
        region.partition().dns_suffix()
    )
}

/// `https://cognito-idp.<region>.<suffix>/`: where user-pools API operations are POSTed.
pub fn cognito_idp_endpoint(region: &Region) -> String {
    format!("https://{}/", cognito_idp_host(region))
}

/// The region of a `cognito-idp` host, when the host's suffix is the region's partition's.
pub fn parse_cognito_idp_host(host: &str) -> Option<Region> {
    let rest = host.trim().strip_prefix("cognito-idp.")?;
    let (region, suffix) = rest.split_once('.')?;
    let region = parse_region(region).ok()?;
    (suffix == region.partition().dns_suffix()).then_some(region)
}

/// A user pool ID, `<region>_<id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolId {
    pub region: Region,
    pub id: String,
}

impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.region, self.id)
    }
}

/// Reads `us-east-1_AbC123`: a region, `_`, then letters and digits.
pub fn parse_pool_id(text: &str) -> Option<PoolId> {
    let (region, id) = text.trim().split_once('_')?;
    let region = parse_region(region).ok()?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(PoolId {
        region,
        id: id.to_owned(),
    })
}

/// The issuer (`iss`) of a pool's tokens: `https://cognito-idp.<region>.<suffix>/<pool id>`.
pub fn issuer_url(pool: &PoolId) -> String {
    format!("https://{}/{pool}", cognito_idp_host(&pool.region))
}

/// A Cognito prefix domain: `<prefix>.auth[-fips].<region>.amazoncognito.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoDomain {
    pub prefix: String,
    pub region: Region,
    pub fips: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainError {
    /// Cognito's prefix rule: lowercase letters, digits, hyphens, not at either end, 1–63.
    BadPrefix(String),
    /// The partition's prefix-domain suffix is not confirmed: give the full domain.
    NoPrefixDomains(Partition),
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DomainError::BadPrefix(p) => write!(f, "\"{p}\" is not a Cognito domain prefix: use 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen."),
            DomainError::NoPrefixDomains(p) => write!(f, "This tool does not know the Cognito domain suffix in the {} partition: enter the full domain from the user pool's Domain tab.", p.name()),
        }
    }
}

/// Cognito's rule for domain prefixes.
pub fn is_domain_prefix(prefix: &str) -> bool {
    (1..=63).contains(&prefix.len())
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !prefix.starts_with('-')
        && !prefix.ends_with('-')
}

impl CognitoDomain {
    /// The host name, where the partition's prefix-domain suffix is known.
    pub fn host(&self) -> Result<String, DomainError> {
        if !is_domain_prefix(&self.prefix) {
            return Err(DomainError::BadPrefix(self.prefix.clone()));
        }
        let partition = self.region.partition();
        let suffix = partition
            .cognito_domain_suffix()
            .ok_or(DomainError::NoPrefixDomains(partition))?;
        let auth = if self.fips { "auth-fips" } else { "auth" };
        Ok(format!("{}.{auth}.{}.{suffix}", self.prefix, self.region))
    }

    /// `https://<host>/oauth2/token`.
    pub fn token_url(&self) -> Result<String, DomainError> {
        Ok(format!("https://{}/oauth2/token", self.host()?))
    }
}

/// Reads `<prefix>.auth[-fips].<region>.amazoncognito.com` (case-insensitive, as DNS is).
pub fn parse_cognito_domain_host(host: &str) -> Option<CognitoDomain> {
    let host = host.trim().to_ascii_lowercase();
    let mut parts = host.split('.');
    let (prefix, auth, region) = (parts.next()?, parts.next()?, parts.next()?);
    let suffix: Vec<&str> = parts.collect();
    let region = parse_region(region).ok()?;
    let expected = region.partition().cognito_domain_suffix()?;
    if suffix.join(".") != expected || !is_domain_prefix(prefix) {
        return None;
    }
    let fips = match auth {
        "auth" => false,
        "auth-fips" => true,
        _ => return None,
    };
    Some(CognitoDomain {
        prefix: prefix.to_owned(),
        region,
        fips,
    })
}

/// An API Gateway default endpoint host: `<api-id>.execute-api.<region>.<suffix>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecuteApiHost {
    pub api_id: String,
    pub region: Region,
}

impl ExecuteApiHost {
    pub fn host(&self) -> String {
        format!(
            "{}.execute-api.{}.{}",
            self.api_id,
            self.region,
            self.region.partition().dns_suffix()
        )
    }
}

/// Reads an execute-api host. API ids are lowercase letters and digits (AWS makes them 10 long;
/// any length is accepted so a typo is reported by the server, not refused here).
pub fn parse_execute_api_host(host: &str) -> Option<ExecuteApiHost> {
    let host = host.trim().to_ascii_lowercase();
    let mut parts = host.splitn(4, '.');
    let (api_id, service, region, suffix) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let region = parse_region(region).ok()?;
    let id_ok = !api_id.is_empty()
        && api_id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (service == "execute-api" && id_ok && suffix == region.partition().dns_suffix()).then(|| {
        ExecuteApiHost {
            api_id: api_id.to_owned(),
            region,
        }
    })
}

/// This computer: `localhost`, `127.x.x.x`, `::1` (with or without brackets). Plain http is only
/// acceptable to these.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let host = host.as_str();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host == "::1"
        || host
            .strip_prefix("127.")
            .is_some_and(|rest| rest.split('.').count() == 3 && rest.split('.').all(is_octet))
}

fn is_octet(part: &str) -> bool {
    !part.is_empty() && part.len() <= 3 && part.parse::<u8>().is_ok()
}

#[cfg(test)]
mod tests;
