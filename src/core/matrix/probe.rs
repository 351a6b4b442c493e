//! Per-row negative checks: the same method called once without a token and once with the held
//! token's signature altered. Whatever the token's scopes, every authorizer that reads a token
//! must refuse both (docs/aws-behaviour.md, "Authorization matrix": negative checks).

use serde::Serialize;

use super::expect::Expected;
use super::export::{AuthorizerKind, Operation};
use super::verdict::{row_verdict, Actual, RowVerdict};
use crate::core::negative::NegativeCase;

/// A negative check sent beside a row's call with the held token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Probe {
    /// No `Authorization` header.
    NoToken,
    /// The held token with one signature character changed (still valid base64url).
    AlteredSignature,
}

impl Probe {
    pub const ALL: [Probe; 2] = [Probe::NoToken, Probe::AlteredSignature];

    pub fn label(self) -> &'static str {
        match self {
            Probe::NoToken => "no token",
            Probe::AlteredSignature => "altered signature",
        }
    }

    /// The one-click negative check that builds this probe's `Authorization` header.
    pub fn case(self) -> NegativeCase {
        match self {
            Probe::NoToken => NegativeCase::NoAuthorization,
            Probe::AlteredSignature => NegativeCase::AlteredSignature,
        }
    }

    /// What the method's authorizer must answer; None when the probe says nothing about it (no
    /// authorizer: open to all; a Lambda authorizer's own code decides what it accepts).
    pub fn expected(self, op: &Operation) -> Option<Expected> {
        match (&op.authorizer, self) {
            (AuthorizerKind::CognitoUserPools, Probe::NoToken) => Some(Expected::Denied {
                status: 401,
                why: "The Cognito authorizer refuses a call without a token with 401.",
            }),
            (AuthorizerKind::CognitoUserPools, Probe::AlteredSignature) => Some(Expected::Denied {
                status: 401,
                why: "The Cognito authorizer verifies the signature against the user pool's keys: 401.",
            }),
            (AuthorizerKind::Jwt, Probe::NoToken) => Some(Expected::Denied {
                status: 401,
                why: "The JWT authorizer refuses a call without a token with 401.",
            }),
            (AuthorizerKind::Jwt, Probe::AlteredSignature) => Some(Expected::Denied {
                status: 401,
                why: "The JWT authorizer verifies the signature against the issuer's keys: 401.",
            }),
            (AuthorizerKind::Iam, _) => Some(Expected::Denied {
                status: 403,
                why: "IAM authorization refuses every request without a SigV4 signature with 403.",
            }),
            (AuthorizerKind::None | AuthorizerKind::Lambda | AuthorizerKind::Other(_), _) => None,
        }
    }

    /// The probes that apply to `op`, in table order.
    pub fn for_operation(op: &Operation) -> Vec<Probe> {
        Probe::ALL
            .into_iter()
            .filter(|p| p.expected(op).is_some())
            .collect()
    }
}

/// One negative check's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeResult {
    pub probe: Probe,
    pub expected: Expected,
    pub actual: Actual,
    pub verdict: RowVerdict,
    pub note: Option<String>,
}

impl ProbeResult {
    /// Judged as a row is; None when the probe does not apply to `op`.
    pub fn new(probe: Probe, op: &Operation, actual: Actual) -> Option<Self> {
        let expected = probe.expected(op)?;
        let (verdict, note) = row_verdict(&expected, &actual);
        let note = match (&actual, verdict) {
            (Actual::Answered { status, .. }, RowVerdict::SecurityFinding) => Some(format!(
                "Answered {status} to a call with {}: the method's authorizer must refuse it.",
                probe.label()
            )),
            _ => note,
        };
        Some(ProbeResult {
            probe,
            expected,
            actual,
            verdict,
            note,
        })
    }

    /// "no token: 401 refused", "altered signature: 200 SECURITY FINDING".
    pub fn summary(&self) -> String {
        let label = self.probe.label();
        match (&self.actual, self.verdict) {
            (Actual::Answered { status, .. }, RowVerdict::AsExpected) => {
                format!("{label}: {status} refused")
            }
            (Actual::Answered { status, .. }, verdict) => {
                format!("{label}: {status} {}", verdict.label())
            }
            (actual, _) => format!("{label}: {}", actual.label()),
        }
    }
}
