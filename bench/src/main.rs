//! `make bench`: measures the release `dist/` in headless chromium against the in-process
//! emulator and prints one table, also written to `bench/RESULTS.md` with the method and its
//! limitations. Run counts can be changed with BENCH_LOADS, BENCH_FLOW_RUNS, BENCH_BIG_RUNS and
//! BENCH_CANARY_RUNS (0 skips that part).

mod big;
mod browser;
mod canary;
mod flow;
mod report;
mod size;
mod startup;
mod stats;

use std::fmt::Display;
use std::path::PathBuf;
use std::time::Instant;

use cognito_emulator::Config;

use browser::Browser;
use report::{Machine, Section};

/// Errors are sentences for the person running the bench.
pub type Res<T> = Result<T, String>;

pub trait Context<T> {
    fn context(self, what: &str) -> Res<T>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> Res<T> {
        self.map_err(|e| format!("{what}: {e}"))
    }
}

/// The demo client every measurement uses (the emulator's default scenario).
pub const CLIENT_ID: &str = "demo-client-id";
pub const CLIENT_SECRET: &str = "demo-client-secret";
pub const SCOPE: &str = "demo/example";

/// Token validity the emulator gives: equal to the app's 5-second reuse margin, so every Run
/// fetches a new token (see flow.rs), and short enough that the canary refetches every few runs.
pub const TOKEN_VALIDITY_SECS: u64 = 5;

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fills the app's form with the demo client against `base`, calling `api_path`.
pub async fn fill_form(b: &Browser, base: &str, api_path: &str) -> Res<()> {
    b.fill("Client ID", CLIENT_ID).await?;
    b.fill("Client secret", CLIENT_SECRET).await?;
    b.fill("Domain", base).await?;
    b.fill("Scope", SCOPE).await?;
    b.fill("API URL", &format!("{base}{api_path}")).await
}

/// A section's rows, or one failed row naming what broke.
fn or_failed(name: &str, outcome: Res<Section>) -> Section {
    outcome.unwrap_or_else(|e| {
        eprintln!("bench: {name} failed: {e}");
        Section::failed(name, &e)
    })
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let dist = bench_dir().join("../dist");
    if !dist.join("index.html").exists() {
        eprintln!(
            "bench: no release build at {}: run `make bench` (it builds dist/ first)",
            dist.display()
        );
        std::process::exit(1);
    }
    let machine = Machine::read();
    let loads = env_count("BENCH_LOADS", 25);
    let flow_runs = env_count("BENCH_FLOW_RUNS", 50);
    let big_runs = env_count("BENCH_BIG_RUNS", 5);
    let canary_runs = env_count("BENCH_CANARY_RUNS", 200);

    let mut sections = vec![or_failed("First load", size::first_load(&dist))];
    eprintln!("bench: first load measured");

    let app_emu = cognito_emulator::start(Config {
        port: 0,
        static_dir: Some(dist.clone()),
        static_port: 0,
        token_validity: Some(TOKEN_VALIDITY_SECS),
        ..Config::default()
    })
    .await;
    let plain_emu = cognito_emulator::start(Config {
        port: 0,
        static_dir: Some(bench_dir().join("plain")),
        static_port: 0,
        ..Config::default()
    })
    .await;
    let (app_emu, plain_emu) = match (app_emu, plain_emu) {
        (Ok(a), Ok(p)) => (a, p),
        (a, p) => {
            eprintln!(
                "bench: the emulator did not start: {}",
                a.err()
                    .or(p.err())
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            );
            std::process::exit(1);
        }
    };
    let (Some(app_site), Some(plain_site)) = (app_emu.static_url(), plain_emu.static_url()) else {
        eprintln!("bench: the emulator serves no static site");
        std::process::exit(1);
    };
    let browser = match Browser::start().await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(1);
        }
    };

    if loads > 0 {
        sections.push(or_failed(
            "Start-up",
            startup::startup(&browser, &app_site, loads).await,
        ));
        eprintln!("bench: start-up measured");
    }
    if flow_runs > 0 {
        sections.push(or_failed(
            "Flow overhead",
            flow::flow(&browser, &app_emu, &app_site, &plain_site, flow_runs).await,
        ));
        eprintln!("bench: flow measured");
    }
    if big_runs > 0 {
        sections.push(or_failed(
            "Big response",
            big::big(&browser, &app_emu, &app_site, big_runs).await,
        ));
        eprintln!("bench: big response measured");
    }
    if canary_runs > 0 {
        sections.push(or_failed(
            "Long canary",
            canary::canary(&browser, &app_emu, &app_site, canary_runs).await,
        ));
    }

    browser.close().await;
    app_emu.shutdown().await;
    plain_emu.shutdown().await;

    let elapsed = started.elapsed();
    let markdown = report::results_markdown(&machine, &sections, elapsed);
    println!("{}", report::table(&sections));
    let path = bench_dir().join("RESULTS.md");
    match std::fs::write(&path, markdown) {
        Ok(()) => eprintln!(
            "bench: wrote {} ({:.0} s of measuring)",
            path.display(),
            elapsed.as_secs_f64()
        ),
        Err(e) => {
            eprintln!("bench: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
    if sections.iter().any(Section::has_failure) {
        eprintln!("bench: some measurements failed (see the table)");
        std::process::exit(1);
    }
}
