//! Cognito API Tester: get a token with client credentials from an Amazon Cognito
//! user pool, call the protected API with it, and show everything that happened.
//!
//! Arrows point one way: `ui → web → core`, `ui → core`. `core` is pure Rust and
//! tested natively; `web` is the thin browser shell; `ui` holds the Leptos views.
pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod whatwg_url;

/// The version shown in the page footer and written into exports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
