//! The panels the first screen does not need, each in its own wasm part (issue 19).
//!
//! `make dist` builds with `--cfg wasm_split` (tools/split-wasm.sh): each function below then
//! lives in a module of its own that the page fetches once the form is drawn, so the form and
//! Run start from a smaller first load. Other builds (`make serve`, the browser tests, native
//! tests) have no splitter: the same functions are plain ones, ready at once.
//!
//! A part that cannot load (the network dropped, a file missing from the bucket) shows what
//! happened and a Retry button in its place; the rest of the page works without it.

use std::future::Future;

use leptos::prelude::*;

use crate::ui::app::ReportButtons;
use crate::ui::canary_view::CanaryView;
use crate::ui::hosting_view::HostingView;
use crate::ui::matrix_view::MatrixView;
use crate::ui::sign_in_view::{SignIn, SignInControls, SignInPanel};
use crate::ui::state::AppState;
use crate::ui::tools_view::ToolsView;

/// A part's module did not load.
#[derive(Clone, Copy)]
pub struct PartNotLoaded;

#[cfg(wasm_split)]
impl From<leptos::wasm_split::SplitLoaderError> for PartNotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartNotLoaded
    }
}

/// Declares a part: with `--cfg wasm_split`, a split point whose call fetches its module
/// first; without, an async function that draws at once. One body for both.
macro_rules! part {
    ($module:ident, fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        #[cfg(wasm_split)]
        #[leptos::wasm_split::wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> Result<AnyView, PartNotLoaded> {
            Ok($body)
        }
        #[cfg(not(wasm_split))]
        async fn $name($($arg: $ty),*) -> Result<AnyView, PartNotLoaded> {
            Ok($body)
        }
    };
}

part!(
    side,
    fn side_part(state: AppState, sign: SignIn) {
        view! {
            <SignInControls state=state sign=sign />
            <ToolsView state=state />
            <HostingView state=state />
        }
        .into_any()
    }
);

part!(
    report,
    fn report_part(state: AppState, sign: SignIn) {
        view! {
            <ReportButtons state=state />
            <SignInPanel state=state sign=sign />
        }
        .into_any()
    }
);

part!(
    matrix,
    fn matrix_part(state: AppState) {
        view! { <MatrixView state=state /> }.into_any()
    }
);

part!(
    canary,
    fn canary_part(state: AppState, sign: SignIn) {
        view! { <CanaryView state=state sign=sign /> }.into_any()
    }
);

/// Where a part is drawn: "Loading …" until its module is in, then the part, or what went
/// wrong and Retry. `data-part` says which, `data-state` how far (the end-to-end tests wait
/// for `loaded`).
#[component]
fn Part<F, Fut>(name: &'static str, load: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, PartNotLoaded>> + 'static,
{
    let phase = RwSignal::new(Phase::Loading);
    // The part's view, handed from the load to the one draw that shows it.
    let drawn = StoredValue::new_local(None::<AnyView>);
    let fetch = move || {
        phase.set(Phase::Loading);
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(view) => {
                    drawn.set_value(Some(view));
                    phase.set(Phase::Loaded);
                }
                Err(PartNotLoaded) => phase.set(Phase::Failed),
            }
        });
    };
    fetch();
    view! {
        <div class="part" data-part=name data-state=move || phase.get().label()>
            {move || match phase.get() {
                Phase::Loading => view! {
                    <p class="empty part-loading" aria-live="polite">
                        "Loading the " {name} " panel…"
                        // A fetch that neither ends nor fails (a stalled connection, a captive portal):
                        // the stylesheet shows this after 20 s (.part-slow). The loader keeps the
                        // attempt in flight, so only a reload starts anew.
                        <span class="part-slow">
                            " It is taking long: the connection may be slow or stalled. Reload the page if it does not come."
                        </span>
                    </p>
                }.into_any(),
                Phase::Loaded => drawn.try_update_value(Option::take).flatten().into_any(),
                Phase::Failed => view! {
                    <div class="part-failed" role="alert">
                        <p>
                            "The " {name} " panel did not load: its file could not be fetched. "
                            "Check the connection, then retry. If it fails again, reload the page: the site may have been updated since it was opened."
                        </p>
                        <button type="button" class="secondary" on:click=move |_| fetch()>
                            "Retry loading the " {name} " panel"
                        </button>
                    </div>
                }.into_any(),
            }}
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Loaded,
    Failed,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Loading => "loading",
            Phase::Loaded => "loaded",
            Phase::Failed => "failed",
        }
    }
}

/// The side column below the form: sign-in, tools, proxy setup.
#[component]
pub fn SidePart(state: AppState, sign: SignIn) -> impl IntoView {
    view! { <Part name="sign-in and tools" load=move || side_part(state, sign) /> }
}

/// The report buttons and the signed-in user's panel.
#[component]
pub fn ReportPart(state: AppState, sign: SignIn) -> impl IntoView {
    view! { <Part name="report" load=move || report_part(state, sign) /> }
}

#[component]
pub fn MatrixPart(state: AppState) -> impl IntoView {
    view! { <Part name="authorization matrix" load=move || matrix_part(state) /> }
}

#[component]
pub fn CanaryPart(state: AppState, sign: SignIn) -> impl IntoView {
    view! { <Part name="canary" load=move || canary_part(state, sign) /> }
}
