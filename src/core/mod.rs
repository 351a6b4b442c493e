//! The pure core: no web-sys, no gloo, no clock. Time comes in as an argument,
//! so every rule here is tested natively with `cargo test`.
pub mod assertions;
pub mod aws;
pub mod canary;
pub mod checks;
pub mod client_metadata;
pub mod client_token;
pub mod clock_skew;
pub mod diagnosis;
pub mod exchange;
pub mod headers;
pub mod hosting;
pub mod import;
pub mod junit;
pub mod jwks;
pub mod jwt;
pub mod negative;
pub mod numbers;
pub mod profiles;
pub mod proxy;
pub mod report;
pub mod run;
pub mod session;
pub mod settings;
pub mod share;
pub mod steps;
pub mod token;
