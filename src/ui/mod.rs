//! The Leptos views. State lives in one place ([`state::AppState`]) and flows down;
//! each panel is a component in its own file.
mod app;
mod canary_export_view;
mod canary_view;
mod checks_view;
mod copy_button;
mod diagnosis_view;
mod exchange_view;
mod form;
mod hosting_view;
mod insecure_notice;
pub mod kept;
mod matrix_view;
mod parts;
mod pre_text;
mod sign_in_view;
pub mod state;
mod token_view;
mod tools_view;

/// Mounts the app on the page body.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
