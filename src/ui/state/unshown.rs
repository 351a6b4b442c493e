//! What a run has not drawn yet. A run's screen changes once, when its answers are in, if they
//! come within SHOW_AFTER_MS of the click: on a fast network every redraw before that (the busy
//! line, the cleared answers, the new token) only delays the handling of the next answer, and
//! flashes the panels. A slower run is drawn at that time, then each step as it comes.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{AppState, SignatureCheck};
use crate::core::run::{RunSnapshot, StepResult, TokenKey};
use crate::core::token::AccessToken;

/// How long a run keeps what it would show back (see the module's comment).
const SHOW_AFTER_MS: u32 = 100;

/// What a run shows as it starts (see [`AppState::show_start`]).
pub(super) struct Start {
    pub snapshot: RunSnapshot,
    pub wants_token: bool,
    pub note: Option<String>,
    /// The held token's signature judged again with the run's key-set fields, if it must be.
    pub recheck: Option<SignatureCheck>,
    pub busy: &'static str,
}

/// Run's new token step, not drawn yet, with the key it is held under and the signature check
/// started when it came.
pub(super) struct HeldBack {
    pub step: StepResult<AccessToken>,
    pub key: TokenKey,
    pub early: Option<SignatureCheck>,
}

/// Run `epoch`'s undrawn start and token. Shared by the run's task and its timer task, so
/// whichever comes first draws them, once.
pub(super) struct Unshown {
    epoch: u64,
    start: Cell<Option<Start>>,
    token: Cell<Option<HeldBack>>,
    /// Set when the timer has drawn what was held: later steps are drawn as they come.
    late: Cell<bool>,
}

impl AppState {
    /// Holds run `epoch`'s start back, and draws it (with any token held back by then) after
    /// SHOW_AFTER_MS unless the run has drawn it first.
    pub(super) fn hold_back(self, epoch: u64, start: Start) -> Rc<Unshown> {
        let unshown = Rc::new(Unshown {
            epoch,
            start: Cell::new(Some(start)),
            token: Cell::new(None),
            late: Cell::new(false),
        });
        let timer = unshown.clone();
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(SHOW_AFTER_MS).await;
            timer.late.set(true);
            self.draw(&timer);
        });
        unshown
    }

    /// Keeps Run's new token back with the rest (drawn at once if the time is up).
    pub(super) fn hold_back_token(self, unshown: &Unshown, token: HeldBack) {
        unshown.token.set(Some(token));
        if unshown.late.get() {
            self.draw(unshown);
        }
    }

    /// Draws what `unshown` still holds. False (drawing nothing, but keeping any token's secrets
    /// in the book) when a newer run has begun.
    pub(super) fn draw(self, unshown: &Unshown) -> bool {
        let start = unshown.start.take();
        let token = unshown.token.take();
        if !self.is_current(unshown.epoch) {
            if let Some(held) = token {
                self.remember_tokens_of(&held.step);
            }
            return false;
        }
        if let Some(Start {
            snapshot,
            wants_token,
            note,
            recheck,
            busy,
        }) = start
        {
            self.show_start(&snapshot, wants_token, note, busy);
            if let Some(check) = recheck {
                self.land(check);
            }
        }
        if let Some(HeldBack { step, key, early }) = token {
            self.show_token(key, step, early);
            self.busy.set(Some("Calling the API…"));
        }
        true
    }
}
