//! The page side of the CLI parity test: every case of cli/tests/parity_cases.json, the file the
//! command line's own test (cli/tests/parity.rs) runs, goes through the form here and must reach
//! the same outcome. One file of cases, two shells, one core verdict.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::panel::VERDICT;
use e2e::{emulator, repo_root, Browser};
use serde_json::Value;

#[tokio::test]
async fn every_parity_case_reaches_the_cli_verdict_through_the_page() {
    let text = std::fs::read_to_string(repo_root().join("cli/tests/parity_cases.json")).unwrap();
    let cases: Value = serde_json::from_str(&text).unwrap();
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 8, "the parity file lost its cases");
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let mut wrong = Vec::new();
    Browser::with(async |b| {
        b.open(&site).await;
        for case in cases {
            let s = |k: &str| case[k].as_str().unwrap().to_string();
            let assertions: Vec<&str> = case["assertions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            b.fill("Client ID", &s("client_id")).await;
            b.fill("Client secret", &s("secret")).await;
            b.fill("Domain", &emu.base_url()).await;
            b.fill("Scope", &s("scope")).await;
            let auth = match s("client_auth").as_str() {
                "basic" => "Basic header",
                _ => "Secret in body",
            };
            b.choose("Client authentication", auth).await;
            b.fill("API URL", &format!("{}{}", emu.api_url(), s("api_path")))
                .await;
            b.fill("Assertions", &assertions.join("\n")).await;
            b.click("Run").await;
            b.wait_idle().await;
            let verdict = b.text(VERDICT).await;
            let outcome = s("outcome");
            // The verdict line itself; a note on the token (fetched, reused) may come first.
            let judged = verdict
                .lines()
                .any(|line| line.starts_with(&format!("{outcome} —")));
            if !judged {
                wrong.push(format!(
                    "{}: the CLI says {outcome}, the page says: {verdict}",
                    s("name")
                ));
            }
            assert!(
                !verdict.contains(&s("secret")),
                "{}: the verdict shows the secret",
                s("name")
            );
        }
    })
    .await;
    emu.shutdown().await;
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
