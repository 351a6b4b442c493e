//! A response body's `<pre>` (`use:draw_text=text`). A long body — one shown whole — is drawn
//! as parts the browser lays out only when they are on screen (`.body-part` in the stylesheet:
//! `content-visibility: auto`, each part's height guessed at [`PART_LINES`] lines until drawn,
//! then remembered): a 5 MB JSON body as one text node (6.9 million characters once indented)
//! held the main thread 20 s in layout. The text in the document is the same, for
//! find-in-page, selection, screen readers and copying.
//!
//! Plain DOM calls: a Leptos list of parts put 0.4 KB more gzip in the first load.

use leptos::tachys::renderer::types::Element;

use crate::core::text_parts::{split_parts, PART_BYTES, PART_LINES};

/// `use:draw_text=text` on an element: `text` becomes its content, as text (never markup);
/// above [`PART_LINES`] lines, in `<span class="body-part">`s. Runs again on a redraw.
pub fn draw_text(element: Element, text: String) {
    let parts = split_parts(&text, PART_LINES, PART_BYTES);
    let document = element.owner_document();
    let (Some(document), true) = (document, parts.len() > 1) else {
        element.set_text_content(Some(&text));
        return;
    };
    element.set_text_content(None);
    for part in parts {
        let drawn = document.create_element("span").and_then(|span| {
            span.set_class_name("body-part");
            span.set_text_content(Some(part));
            element.append_child(&span)
        });
        if drawn.is_err() {
            // Never a body with a part missing: then the whole text as one (slow to lay out).
            element.set_text_content(Some(&text));
            return;
        }
    }
}
