//! What one request of a run produced: the raw exchange as sent and received, and its outcome.

use crate::core::diagnosis::Diagnosis;
use crate::core::exchange::Exchange;

/// How a step ended, as the verdict needs to know it.
#[derive(Clone, Debug, PartialEq)]
pub enum StepState<T> {
    Done(T),
    Failed(Diagnosis),
    /// Cancel was pressed (or Escape): not a failure of the system under test.
    Cancelled(Diagnosis),
    /// The request could not be built or sent at all (a form problem): nothing reached a server.
    NotSent(Diagnosis),
}

/// One step: the raw exchange (when a request went out) and how it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct StepResult<T> {
    pub exchange: Option<Exchange>,
    /// The real target when the request went through a same-origin proxy route.
    pub proxied_target: Option<String>,
    pub state: StepState<T>,
}

impl<T> StepResult<T> {
    /// A step that sent nothing, with the reason.
    pub fn not_sent(diagnosis: Diagnosis) -> Self {
        Self {
            exchange: None,
            proxied_target: None,
            state: StepState::NotSent(diagnosis),
        }
    }

    pub fn value(&self) -> Option<&T> {
        match &self.state {
            StepState::Done(value) => Some(value),
            _ => None,
        }
    }

    /// The diagnosis of a step that did not succeed (cancelled and not-sent included).
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        match &self.state {
            StepState::Done(_) => None,
            StepState::Failed(d) | StepState::Cancelled(d) | StepState::NotSent(d) => Some(d),
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self.state, StepState::Cancelled(_))
    }

    /// The response status, when an answer arrived.
    pub fn status(&self) -> Option<u16> {
        self.exchange
            .as_ref()
            .and_then(|e| e.response.as_ref())
            .map(|r| r.status)
    }

    pub fn elapsed_ms(&self) -> Option<f64> {
        self.exchange.as_ref().map(|e| e.elapsed_ms)
    }
}
