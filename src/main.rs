//! The browser entry point: install the panic hook, mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    // A panic would otherwise die silently in the console; the hook at least names it.
    console_error_panic_hook::set_once();
    cognito_api_tester::ui::mount();
}

/// Natively there is nothing to run: the app is built for the browser by Trunk.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Cognito API Tester runs in a browser: use `make demo` or `make dist` (see README.md)."
    );
    std::process::exit(2);
}
