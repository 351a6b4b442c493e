"""deploy/cloudfront.yaml read as data: what the proxy routes reach, what their answers may do, the site's CSP.

CloudFront itself cannot run here, so `route()` picks the behavior for a request the way CloudFront does (the first
cache behavior whose path pattern matches, in template order, else the default; `*` any characters, `?` one) and
says where the request goes: which origin, or refused for its method.
"""

import re
from pathlib import Path

import pytest

import cfn_yaml
from cfn_yaml import Tag

TEMPLATE = Path(__file__).resolve().parents[1] / "cloudfront.yaml"
PARAMS = {
    "CognitoDomain": "my-pool.auth.us-east-1.amazoncognito.com",
    "Region": "us-east-1",
    "ApiId": "a1b2c3d4e5",
    "Stage": "dev",
    "CognitoRegion": "",
}
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]


@pytest.fixture(scope="module")
def template():
    return cfn_yaml.load(TEMPLATE)


def resolve(value, template, params=PARAMS):
    """Enough of CloudFormation's functions for the values these tests read."""
    if not isinstance(value, Tag):
        return value
    if value.name == "Ref":
        return params.get(value.value, f"<{value.value}>")
    if value.name == "FindInMap":
        m, k1, k2 = value.value
        return template["Mappings"][m][k1][k2]
    if value.name == "If":
        cond, yes, no = value.value
        conditions = {"HasCognitoRegion": params["CognitoRegion"] != ""}
        return resolve(yes if conditions[cond] else no, template, params)
    if value.name == "Sub":
        text, names = (value.value, {}) if isinstance(value.value, str) else value.value
        local = {k: resolve(v, template, params) for k, v in names.items()}
        return re.sub(r"\$\{([^}]+)\}", lambda m: str(local.get(m[1], params.get(m[1], m[0]))), text)
    raise AssertionError(f"resolve: unsupported {value!r}")


def behaviors(template):
    config = template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    return config.get("CacheBehaviors", []), config["DefaultCacheBehavior"]


def proxy_behaviors(template):
    cache, _ = behaviors(template)
    return [b for b in cache if resolve(b["PathPattern"], template).startswith("/proxy/")]


def pattern_regex(pattern):
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z")


def route(template, method, path):
    """(origin id, None) for a request CloudFront relays, (None, reason) for one it refuses."""
    cache, default = behaviors(template)
    chosen = next(
        (b for b in cache if pattern_regex(resolve(b["PathPattern"], template)).match(path)), default
    )
    if method not in chosen["AllowedMethods"]:
        return None, f"{method} not allowed"
    return chosen["TargetOriginId"], None


def test_every_behavior_has_a_response_headers_policy(template):
    cache, default = behaviors(template)
    for behavior in [*cache, default]:
        assert "ResponseHeadersPolicyId" in behavior, behavior.get("PathPattern", "default")


def test_proxy_answers_are_inert(template):
    proxies = proxy_behaviors(template)
    assert len(proxies) == 5  # token, API stage (two patterns), JWKS, GetClientToken
    for behavior in proxies:
        assert behavior["ResponseHeadersPolicyId"] == Tag("Ref", "ProxyResponseHeadersPolicy")
        assert resolve(behavior["CachePolicyId"], template) == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
        assert behavior["OriginRequestPolicyId"] == Tag("Ref", "ProxyOriginRequestPolicy")
        assert behavior["ViewerProtocolPolicy"] == "https-only"
    config = template["Resources"]["ProxyResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"] == {
        "ContentSecurityPolicy": "sandbox; default-src 'none'",
        "Override": True,
    }
    assert security["ContentTypeOptions"] == {"Override": True}
    removed = {item["Header"].lower() for item in config["RemoveHeadersConfig"]["Items"]}
    assert removed == {"set-cookie", "service-worker-allowed"}


def test_proxy_origin_requests_carry_no_cookies_and_no_host(template):
    config = template["Resources"]["ProxyOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert config["HeadersConfig"] == {"HeaderBehavior": "allExcept", "Headers": ["Host"]}
    assert config["CookiesConfig"] == {"CookieBehavior": "none"}
    assert config["QueryStringsConfig"] == {"QueryStringBehavior": "all"}


@pytest.mark.parametrize(
    "method, path, origin",
    [
        ("POST", "/proxy/token/oauth2/token", "cognito-token"),
        ("GET", "/proxy/token/oauth2/userInfo", "cognito-token"),
        ("GET", "/proxy/api/dev/pets", "api"),
        ("DELETE", "/proxy/api/dev/pets/42", "api"),
        ("GET", "/proxy/api/dev/", "api"),
        ("GET", "/proxy/api/dev", "api"),
        ("GET", "/proxy/jwks/us-east-1_abc/.well-known/jwks.json", "cognito-jwks"),
        ("HEAD", "/proxy/jwks/us-east-1_abc/.well-known/jwks.json", "cognito-jwks"),
        # GetClientToken: POST to cognito-idp's root, and its preflight; nothing below the root.
        ("POST", "/proxy/idp/", "cognito-jwks"),
        ("OPTIONS", "/proxy/idp/", "cognito-jwks"),
        ("GET", "/proxy/idp/x", "site"),
        # Everything else under /proxy/ lands on the private site bucket (404), never on an upstream.
        ("GET", "/proxy/token/login", "site"),
        ("GET", "/proxy/token/logout", "site"),
        ("GET", "/proxy/api/prod/pets", "site"),
        ("GET", "/proxy/api/dev2/pets", "site"),
        ("GET", "/proxy/api/devx", "site"),
        ("GET", "/proxy/other/x", "site"),
        ("GET", "/index.html", "site"),
    ],
)
def test_what_each_route_reaches(template, method, path, origin):
    assert route(template, method, path) == (origin, None)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_jwks_route_is_read_only(template, method):
    # cognito-idp's own API is POST / with X-Amz-Target: never relayed from the site's origin.
    assert route(template, method, "/proxy/jwks/") == (None, f"{method} not allowed")
    assert route(template, method, "/proxy/jwks/us-east-1_abc/.well-known/jwks.json")[0] is None


def test_api_route_follows_the_stage_parameter(template):
    params = dict(PARAMS, Stage="prod_2")
    patterns = {resolve(b["PathPattern"], template, params) for b in proxy_behaviors(template)}
    assert {"/proxy/api/prod_2/*", "/proxy/api/prod_2"} <= patterns
    assert not any(p.startswith("/proxy/api/") and p.startswith("/proxy/api/dev") for p in patterns)


def site_csp(template, params=PARAMS):
    config = template["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    text = resolve(config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"], template, params)
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in text.split(";")) if d}


def test_site_csp_connects_only_to_this_stack(template):
    csp = site_csp(template)
    assert csp["connect-src"] == [
        "'self'",
        "https://my-pool.auth.us-east-1.amazoncognito.com",
        "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "https://cognito-idp.us-east-1.amazonaws.com",
    ]
    assert csp["worker-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    other_pool = site_csp(template, dict(PARAMS, CognitoRegion="eu-west-1"))
    assert other_pool["connect-src"][-1] == "https://cognito-idp.eu-west-1.amazonaws.com"


def test_parameters_cannot_widen_a_pattern_or_the_csp(template):
    # Values land in path patterns and in the CSP: no wildcard, space, quote or semicolon may pass the parameters.
    params = template["Parameters"]
    for name in ("CognitoDomain", "Region", "ApiId", "Stage", "CognitoRegion"):
        allowed = re.compile(params[name]["AllowedPattern"])
        for hostile in ["dev*", "dev?", "a b", "a;b", "a'b", "*", "dev/x", "x\ny"]:
            assert not allowed.fullmatch(hostile), (name, hostile)
