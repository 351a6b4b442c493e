//! Cognito API Tester: get a token with client credentials from an Amazon Cognito
//! user pool, call the protected API with it, and show everything that happened.
//!
//! Arrows point one way: `ui → web → core`, `ui → core`. `core` is pure Rust and
//! tested natively; `web` is the thin browser shell; `ui` holds the Leptos views.
pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod ui;
// The wasm is built with Leptos's type-erased views (.cargo/config.toml); its size budget counts
// on them. A RUSTFLAGS variable replaces the config's list and would silently drop them.
#[cfg(all(target_arch = "wasm32", not(erase_components)))]
compile_error!("the wasm build needs `--cfg erase_components` (.cargo/config.toml); a RUSTFLAGS variable replaces the config's rustflags: add the flag to it");
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod whatwg_url;

/// The version shown in the page footer and written into exports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
