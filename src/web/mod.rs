//! The browser shell: the few things the pure core cannot do — fetch, the clock,
//! timers. Kept thin; tested in a real browser (tests/browser.rs).
pub mod clock;
pub mod crypto;
pub mod files;
pub mod flow;
pub mod http;
pub mod secure;
pub mod sign_in;
pub mod storage;
pub mod verify;
