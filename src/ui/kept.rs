//! Drawing less on a redraw. With type-erased views (`--cfg erase_components`) redrawing an
//! element removes and sets again every one of its attributes, and builds its children again:
//! a Run redrew every panel whole although most of each read the same as before.
//!
//! - [`kept`]: a part left as it is when its value did not change (a check line, an assertion).
//!   Leptos's keyed `<For>` does that for 7.5 KB of wasm; this is the one comparison it needs.
//!   Only for parts without reactive children: what a `move ||` inside the part creates belongs
//!   to the redraw that created it and stops with the next one.
//! - [`fed`]: a panel's parts drawn once and then fed each new value, so that a new exchange or
//!   token changes a few texts.

use leptos::prelude::*;
use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::any_view::{AnyViewState, AnyViewWithAttrs};
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// `draw(value)`, drawn again only when `value` differs from the one drawn last in its place.
pub fn kept<T: PartialEq + Clone + Send + 'static>(value: T, draw: fn(T) -> AnyView) -> Kept<T> {
    Kept { value, draw }
}

/// A panel that shows `shown`: `empty` while it is None, else the parts `draw` makes for its
/// `shape`, drawn again only when the shape changes and otherwise fed each new value through the
/// signal `draw` is given, which its texts read.
///
/// Why the signal: it belongs to the parts and goes with them. An effect made with the parts
/// that read `shown` itself would stay on `shown`'s subscriber list after the parts went, one
/// more with every drawing (reactive_graph drops a subscriber only when it runs again); here the
/// one long-lived reader of `shown` is the feeding effect, made once with the panel.
pub fn fed<T, K>(
    shown: Memo<Option<T>>,
    shape: fn(&T) -> K,
    empty: impl Fn() -> AnyView + Send + Sync + 'static,
    draw: impl Fn(K, RwSignal<T>) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    K: PartialEq + Clone + Send + Sync + 'static,
{
    let current = StoredValue::new(None::<RwSignal<T>>);
    Effect::new(move |_| {
        let Some(drawn) = current.get_value() else {
            shown.track();
            return;
        };
        // Parts already gone refuse it (the new ones start from it); an equal value changes
        // nothing and is not copied.
        let changed = shown.with(|value| match value {
            Some(value) => drawn.try_with_untracked(|d| d != value) == Some(true),
            None => false,
        });
        if changed {
            if let Some(value) = shown.get_untracked() {
                let _ = drawn.try_set(value);
            }
        }
    });
    let shape = Memo::new(move |_| shown.with(|s| s.as_ref().map(shape)));
    move || {
        let (Some(shape), Some(first)) = (shape.get(), shown.get_untracked()) else {
            current.set_value(None);
            return empty();
        };
        let drawn = RwSignal::new(first);
        current.set_value(Some(drawn));
        draw(shape, drawn)
    }
}

pub struct Kept<T> {
    value: T,
    draw: fn(T) -> AnyView,
}

pub struct KeptState<T> {
    value: T,
    view: AnyViewState,
}

impl<T: PartialEq + Clone + Send + 'static> Render for Kept<T> {
    type State = KeptState<T>;

    fn build(self) -> Self::State {
        let view = (self.draw)(self.value.clone()).build();
        KeptState {
            value: self.value,
            view,
        }
    }

    fn rebuild(self, state: &mut Self::State) {
        if self.value != state.value {
            (self.draw)(self.value.clone()).rebuild(&mut state.view);
            state.value = self.value;
        }
    }
}

impl<T> Mountable for KeptState<T> {
    fn unmount(&mut self) {
        self.view.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.view.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.view.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        self.view.elements()
    }
}

impl<T: PartialEq + Clone + Send + 'static> AddAnyAttr for Kept<T> {
    type Output<SomeNewAttr: Attribute> = AnyViewWithAttrs;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        (self.draw)(self.value).add_any_attr(attr)
    }
}

// Only `build` and `rebuild` run in this client-rendered page; the rest hands over to the drawn view.
impl<T: PartialEq + Clone + Send + 'static> RenderHtml for Kept<T> {
    type AsyncOutput = AnyView;
    type Owned = Self;
    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self::AsyncOutput {
        (self.draw)(self.value)
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        (self.draw)(self.value).to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        let view = (self.draw)(self.value.clone()).hydrate::<FROM_SERVER>(cursor, position);
        KeptState {
            value: self.value,
            view,
        }
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}
