//! The verdict cases of parity_cases.json through the command line: each must reach its outcome
//! and exit code. tests/e2e/tests/parity.rs runs the same file through the page (same core verdict).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;
use serde_json::Value;

#[tokio::test]
async fn every_parity_case_reaches_its_verdict_through_the_cli() {
    let em = start_default().await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/parity_cases.json"
    ))
    .unwrap();
    let cases: Value = serde_json::from_str(&text).unwrap();
    let mut wrong = Vec::new();
    for case in cases["cases"].as_array().unwrap() {
        let s = |k: &str| case[k].as_str().unwrap().to_string();
        let mut args = vec![
            "run".to_string(),
            "--client-id".into(),
            s("client_id"),
            "--domain".into(),
            em.base_url(),
            "--scope".into(),
            s("scope"),
            "--client-auth".into(),
            s("client_auth"),
            "--api-url".into(),
            format!("{}{}", em.api_url(), s("api_path")),
        ];
        for a in case["assertions"].as_array().unwrap() {
            args.extend(["--assert".to_string(), a.as_str().unwrap().to_string()]);
        }
        let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", &s("secret"))], "").await;
        let outcome = s("outcome");
        let exit = case["exit"].as_u64().unwrap() as u8;
        let verdict_line = ran.stdout.lines().next().unwrap_or_default().to_string();
        if ran.code != exit || !verdict_line.starts_with(&format!("{outcome} —")) {
            wrong.push(format!(
                "{}: expected {outcome} (exit {exit}), got exit {}: {verdict_line}\n{}",
                s("name"),
                ran.code,
                ran.all()
            ));
        }
        assert!(
            !ran.all().contains(&s("secret")),
            "{}: the secret was printed",
            s("name")
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
