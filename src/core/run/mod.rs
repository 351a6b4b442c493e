//! The run model: what one press of Get token / Call API / Run (or one scheduled tick) froze,
//! which token it may reuse, and the verdict on what came back.
//!
//! ```text
//! click / tick -> RunSnapshot (frozen inputs) -> plan (token reuse keyed on TokenKey)
//!              -> exchanges (StepResult, each with what was sent) -> verdict (pure)
//! ```
//! Views and exports read the snapshot and the answers, never the live form.

mod binding;
mod plan;
mod secret;
mod snapshot;
mod step;
mod verdict;

pub use binding::SecretBinding;
pub use plan::{plan, Plan, Refusal, TokenDecision};
pub use secret::{masked_curl, Secret, SecretBook, SecretKind, MIN_MASKED_CHARS};
pub use snapshot::{RunSnapshot, SentHeader, TokenKey};
pub use step::{StepResult, StepState};
pub use verdict::{checks_headline, verdict, ChecksHeadline, Outcome, RunFacts, Verdict};

/// What the user (or the schedule) asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Get token only.
    Token,
    /// Call API with the held token.
    Api,
    /// Token (reused when its key matches and it is fresh) then the API.
    Run,
}
