//! Requests that got no readable answer at all: timeouts, cancels, CORS blocks, unreachable hosts.
//! The browser hides the reason, so the message leans on the host name and the route taken.

use crate::whatwg_url::Url;

use super::{error, Diagnosis, NetworkFailure, Severity, Step, POOL_DOMAIN};
use crate::core::aws::JWKS_URL_SHAPE;

/// Names the host of a URL, or says it is this page's own server for a relative proxy path.
fn host_of(url: &str) -> (String, Option<Url>) {
    match Url::parse(url.trim()) {
        Ok(parsed) => match parsed.host_str() {
            Some(host) => (
                match parsed.port() {
                    Some(port) => format!("{host}:{port}"),
                    None => host.to_owned(),
                },
                Some(parsed),
            ),
            None => (url.trim().to_owned(), Some(parsed)),
        },
        Err(_) => ("this page's own server".to_owned(), None),
    }
}

/// Explains a request that produced no readable answer.
pub fn network_failure(
    step: Step,
    failure: NetworkFailure,
    url: &str,
    via_proxy: bool,
) -> Diagnosis {
    let target = step.target();
    let (host, parsed) = host_of(url);
    let proxy_note = if via_proxy {
        " The request went through this page's proxy route, so the proxy's backend (Trunk.toml [[proxy]] under trunk serve, or the CloudFront behavior in production) may be down or misconfigured."
    } else {
        ""
    };
    match failure {
        NetworkFailure::TimedOut { after_ms } => {
            let secs = crate::core::numbers::trimmed(f64::from(after_ms) / 1000.0, 3);
            let api_note = if step == Step::Api {
                " API Gateway itself gives up on a slow integration after its integration timeout (29 s by default, more only where a Regional or private REST API raised it) and answers 504, so a longer silence points at the network."
            } else {
                ""
            };
            error(
                format!("No answer from {target} ({host}) within {secs} s, so the request was stopped."),
                format!("The host is slow or unreachable from this network: a firewall silently dropping traffic, a VPN needed for a private endpoint, or an overloaded server.{api_note}{proxy_note}"),
                format!("Retry; open the URL in a new tab to see whether {host} answers at all, connect the VPN if the endpoint is private, or raise the timeout."),
            )
        }
        NetworkFailure::Cancelled => Diagnosis {
            severity: Severity::Info,
            what: format!("The request to {target} ({host}) was cancelled."),
            cause: "Cancel was pressed, or a new run replaced this one.".to_owned(),
            fix: "Run it again when ready.".to_owned(),
        },
        NetworkFailure::CorsBlocked => cors_blocked(step, &host, via_proxy),
        NetworkFailure::Unreachable => {
            let is_http = parsed.as_ref().is_some_and(|u| u.scheme() == "http");
            let is_local = parsed
                .as_ref()
                .and_then(Url::host_str)
                .is_some_and(crate::core::aws::is_loopback_host);
            let mut cause = "The request failed before any answer: the host name does not resolve (a typo in the Domain, Region or API URL field, or a private endpoint only reachable through a VPN), this computer is offline, or the connection was refused.".to_owned();
            if is_http {
                cause.push_str(" The URL is http://: if this page is served over https, the browser blocks it as mixed content.");
            }
            if is_local {
                cause.push_str(
                    " It points at this computer: is the local server (e.g. the emulator) running?",
                );
            }
            cause.push_str(proxy_note);
            let fix = if via_proxy {
                "Check that trunk serve is running with the [[proxy]] block this app prints (or that the CloudFront origin is right), and that the target opens from the machine running the proxy.".to_owned()
            } else {
                format!("Check the spelling of {host}, open the URL in a new tab, check the network or VPN, and use https:// for pages served over https.")
            };
            error(format!("Could not reach {target} at {host}."), cause, fix)
        }
    }
}

fn cors_blocked(step: Step, host: &str, via_proxy: bool) -> Diagnosis {
    let what = format!(
        "{} ({host}) answered, but the browser did not let this page read the answer: the server does not allow this page's origin (CORS).",
        step.subject()
    );
    let proxy_note = if via_proxy {
        " This request already used the proxy route, which is same-origin: the proxy probably answered with a redirect to the target itself; configure it not to follow or pass on redirects."
    } else {
        ""
    };
    let (cause, fix) = match step {
        Step::Token => (
            format!("Cognito's own token endpoint sends CORS headers, so this usually means the URL is not that endpoint: a custom domain behind a CDN or proxy that drops the headers, a corporate proxy, or a wrong Domain. With \"Basic header\" the browser first sends an OPTIONS preflight, which such servers often refuse.{proxy_note}"),
            format!("Turn on \"Route through proxy\". Otherwise check the Domain field is the user pool domain ({POOL_DOMAIN}), and try \"Client authentication\" = \"Secret in body\", which needs no preflight."),
        ),
        Step::ClientToken => (
            format!("The user pools API (cognito-idp) normally answers browsers' CORS preflights (AWS's browser SDKs call it from pages), so this usually means the request did not reach it: a wrong Region, a corporate proxy, or an endpoint that refused the preflight GetClientToken always needs (X-Amz-Target and the JSON 1.1 content type are not simple headers).{proxy_note}"),
            "Turn on \"Route through proxy\" (its /proxy/idp/ route goes to https://cognito-idp.<region>.amazonaws.com/), or check the Region; the token endpoint (Token source: Token endpoint) is the other way to the same kind of token.".to_owned(),
        ),
        Step::Api => (
            format!("The API did not send an Access-Control-Allow-Origin header for this origin. API Gateway only adds CORS headers where configured; 401 and 403 answers come from Gateway Responses, which have none by default, so even a correctly configured method looks blocked when the token is refused. A stage, path or method that does not exist looks the same: API Gateway refuses the browser's preflight with 403 Missing Authentication Token.{proxy_note}"),
            "Check the stage and path in the API URL; then turn on \"Route through proxy\" (which also shows the real status), or enable CORS on API Gateway: an OPTIONS method without authorizer, Access-Control-Allow-Origin on the integration responses AND on the Gateway Responses DEFAULT_4XX and DEFAULT_5XX (otherwise 401/403 bodies stay unreadable even when successful calls work), then redeploy the stage.".to_owned(),
        ),
        Step::Jwks => (
            format!("The JWKS document (the pool's public keys) is served without a CORS header this page's origin can use, so the signature cannot be checked from the browser directly.{proxy_note}"),
            format!("Turn on \"Route through proxy\", and check the JWKS URL is {JWKS_URL_SHAPE}."),
        ),
    };
    error(what, cause, fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message says what happened, the cause, and the fix: none may be empty.
    fn complete(d: &Diagnosis) {
        assert!(
            !d.what.is_empty() && !d.cause.is_empty() && !d.fix.is_empty(),
            "{d:?}"
        );
    }

    #[test]
    fn host_names() {
        assert_eq!(host_of("https://a.example/x").0, "a.example");
        assert_eq!(host_of(" http://127.0.0.1:9090/ ").0, "127.0.0.1:9090");
        assert_eq!(host_of("https://a.example:443/").0, "a.example");
        assert_eq!(host_of("/proxy/api/x").0, "this page's own server");
        assert_eq!(host_of("mailto:x@y").0, "mailto:x@y");
    }

    #[test]
    fn network_timeout() {
        let d = network_failure(
            Step::Api,
            NetworkFailure::TimedOut { after_ms: 30_000 },
            "https://x.execute-api.us-east-1.amazonaws.com/dev/pets",
            false,
        );
        complete(&d);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.what,
            "No answer from the API (x.execute-api.us-east-1.amazonaws.com) within 30 s, so the request was stopped."
        );
        assert!(d.cause.contains("29 s by default"));
        assert!(d.cause.contains("Regional or private REST API raised it"));
        assert!(!d.cause.contains("proxy route"));
        assert!(d.fix.contains("raise the timeout"));

        let d = network_failure(
            Step::Token,
            NetworkFailure::TimedOut { after_ms: 2500 },
            "/proxy/token/oauth2/token",
            true,
        );
        assert!(d
            .what
            .contains("the token endpoint (this page's own server) within 2.5 s"));
        assert!(!d.cause.contains("29 s"));
        assert!(d.cause.contains("Trunk.toml"));
    }

    #[test]
    fn get_client_token_failures_name_the_user_pools_api() {
        let d = network_failure(
            Step::ClientToken,
            NetworkFailure::CorsBlocked,
            "https://cognito-idp.us-east-1.amazonaws.com/",
            false,
        );
        complete(&d);
        assert!(d.what.starts_with(
            "The user pools API (GetClientToken) (cognito-idp.us-east-1.amazonaws.com) answered"
        ));
        assert!(d.cause.contains("preflight"));
        assert!(d.fix.contains("/proxy/idp/"));
        let d = network_failure(
            Step::ClientToken,
            NetworkFailure::Unreachable,
            "https://cognito-idp.us-east-1.amazonaws.com/",
            false,
        );
        assert!(d.what.contains("the user pools API (GetClientToken)"));
    }

    #[test]
    fn network_cancelled_is_info() {
        let d = network_failure(
            Step::Jwks,
            NetworkFailure::Cancelled,
            "https://h.example/x",
            false,
        );
        complete(&d);
        assert_eq!(d.severity, Severity::Info);
        assert_eq!(
            d.what,
            "The request to the JWKS endpoint (h.example) was cancelled."
        );
    }

    #[test]
    fn cors_on_token_endpoint() {
        let d = network_failure(
            Step::Token,
            NetworkFailure::CorsBlocked,
            "https://auth.example.com/oauth2/token",
            false,
        );
        complete(&d);
        assert!(d
            .what
            .starts_with("The token endpoint (auth.example.com) answered"));
        assert!(d.what.contains("CORS"));
        assert!(d.cause.contains("custom domain"));
        assert!(d.cause.contains("preflight"));
        assert!(d.fix.contains("Route through proxy"));
        assert!(d.fix.contains("Secret in body"));
        assert!(!d.cause.contains("proxy route"));
    }

    #[test]
    fn cors_on_api_lists_gateway_responses() {
        let d = network_failure(
            Step::Api,
            NetworkFailure::CorsBlocked,
            "https://x.execute-api.us-east-1.amazonaws.com/dev",
            false,
        );
        complete(&d);
        assert!(d.what.starts_with("The API (x.execute-api"));
        assert!(d.what.contains("does not allow this page's origin (CORS)"));
        assert!(d.cause.contains("Access-Control-Allow-Origin"));
        assert!(d.fix.contains("Route through proxy"));
        assert!(d.fix.contains("OPTIONS method without authorizer"));
        assert!(d.fix.contains("DEFAULT_4XX and DEFAULT_5XX"));
        assert!(d.fix.contains("redeploy the stage"));
    }

    #[test]
    fn cors_on_jwks_and_via_proxy() {
        let d = network_failure(
            Step::Jwks,
            NetworkFailure::CorsBlocked,
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_demo/.well-known/jwks.json",
            true,
        );
        complete(&d);
        assert!(d
            .what
            .starts_with("The JWKS endpoint (cognito-idp.us-east-1.amazonaws.com)"));
        assert!(d.cause.contains("signature"));
        assert!(d.cause.contains("redirect"));
        assert!(d.fix.contains("jwks.json"));
    }

    #[test]
    fn unreachable_names_the_host() {
        let d = network_failure(
            Step::Token,
            NetworkFailure::Unreachable,
            "https://typo.auth.us-east-1.amazoncognito.com/oauth2/token",
            false,
        );
        complete(&d);
        assert_eq!(
            d.what,
            "Could not reach the token endpoint at typo.auth.us-east-1.amazoncognito.com."
        );
        assert!(d.cause.contains("does not resolve"));
        assert!(d.cause.contains("offline"));
        assert!(!d.cause.contains("mixed content"));
        assert!(!d.cause.contains("emulator"));
        assert!(d
            .fix
            .contains("spelling of typo.auth.us-east-1.amazoncognito.com"));
    }

    #[test]
    fn unreachable_http_local_and_proxy() {
        let d = network_failure(
            Step::Api,
            NetworkFailure::Unreachable,
            "http://127.0.0.1:9090/dev",
            false,
        );
        assert!(d.what.ends_with("at 127.0.0.1:9090."));
        assert!(d.cause.contains("mixed content"));
        assert!(d.cause.contains("emulator"));

        let d = network_failure(
            Step::Api,
            NetworkFailure::Unreachable,
            "http://localhost/dev",
            false,
        );
        assert!(d.cause.contains("emulator"));
        let d = network_failure(
            Step::Api,
            NetworkFailure::Unreachable,
            "https://[::1]:8443/dev",
            false,
        );
        assert!(d.cause.contains("emulator"));
        assert!(!d.cause.contains("mixed content"));

        let d = network_failure(
            Step::Api,
            NetworkFailure::Unreachable,
            "/proxy/api/dev",
            true,
        );
        complete(&d);
        assert!(d.what.contains("this page's own server"));
        assert!(d.cause.contains("Trunk.toml"));
        assert!(d.cause.contains("CloudFront"));
        assert!(d.fix.contains("trunk serve"));

        let d = network_failure(Step::Api, NetworkFailure::Unreachable, "mailto:x@y", false);
        assert!(d.what.contains("mailto:x@y"));
    }
}
