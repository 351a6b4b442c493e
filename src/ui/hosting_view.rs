//! The Proxy setup panel: for the values in the form, the configs that make the
//! browser's CORS rules a non-issue — a Trunk.toml block for local use, the
//! CloudFront stack for the hosted site, or the CLI commands that enable CORS on
//! the REST API itself.

use leptos::prelude::*;

use crate::core::hosting::{setup_blocks, HostingValues};
use crate::ui::copy_button::CopyButton;
use crate::ui::state::AppState;

/// The CloudFormation stack name the generated commands use.
const STACK_NAME: &str = "cognito-api-tester";

#[component]
pub fn HostingView(state: AppState) -> impl IntoView {
    // Masked like every panel, and token-shaped text and URL passwords too: an error or a block
    // can quote the API URL, which may hold a token or a key (`?access_token=…`), and Copy puts
    // the text on the clipboard. Worked out again when the form changes.
    let mask = move |text: &str| state.mask(text);
    let outputs = Memo::new(move |_| {
        let blocks = state.settings.with(|s| {
            let token_url = s.token_endpoint().map(|e| e.url).map_err(|e| e.to_string());
            let token_url = match token_url {
                Ok(url) => url,
                Err(e) => return Err(format!("Fill in the Domain first: {e}")),
            };
            if s.api_url.trim().is_empty() {
                return Err("Fill in the API URL first.".to_string());
            }
            let client_token_url = s.client_token_endpoint().ok().map(|e| e.url);
            let extra: Vec<String> = crate::core::headers::parse_extra_headers(&s.extra_headers)
                .map(|headers| headers.into_iter().map(|(name, _)| name).collect())
                .unwrap_or_default();
            let values = HostingValues {
                token_url: &token_url,
                api_url: s.api_url.trim(),
                region: s.region.trim(),
                client_token_url: client_token_url.as_deref(),
                extra_headers: &extra,
            };
            Ok(setup_blocks(&values, STACK_NAME))
        });
        match blocks {
            Ok(blocks) => Ok(blocks
                .into_iter()
                .map(|(title, text)| (title, mask(&text)))
                .collect::<Vec<_>>()),
            Err(e) => Err(mask(&e)),
        }
    });
    view! {
        <details class="hosting">
            <summary>"Proxy setup"</summary>
            <p class="hint">"Browsers refuse to read answers that lack CORS headers. Route through a same-origin proxy (locally with trunk serve, hosted with CloudFront), or enable CORS on API Gateway — these are written for the values in the form."</p>
            {move || match outputs.get() {
                Err(e) => view! { <p class="empty">{e}</p> }.into_any(),
                Ok(blocks) => blocks.into_iter().map(|(title, text)| view! {
                    <h3>{title} <CopyButton label="Copy" text=text.clone() /></h3>
                    <pre class="config">{text}</pre>
                }).collect_view().into_any(),
            }}
        </details>
    }
}
