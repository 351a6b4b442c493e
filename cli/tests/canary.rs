//! `export-canary`: the generated Node.js script run under node against the emulator, with the
//! stand-ins for the Synthetics modules in tests/canary/stubs; cfn-lint on the generated
//! template when the deploy venv has it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

use common::*;

const SECRET_ID: &str = "demo/canary";

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Exports the canary for the demo settings with these assertions; returns the output dir.
async fn export(em: &cognito_emulator::Running, dir: &str, assertions: &[&str]) -> PathBuf {
    export_with(demo_flags(em), dir, assertions).await
}

/// Exports the canary for these settings' flags with these assertions; returns the output dir.
async fn export_with(flags: Vec<String>, dir: &str, assertions: &[&str]) -> PathBuf {
    let out = scratch(dir);
    let mut args = vec!["export-canary".to_string()];
    args.extend(flags);
    for a in assertions {
        args.extend(["--assert".to_string(), a.to_string()]);
    }
    args.extend([
        "--secret-id".into(),
        SECRET_ID.into(),
        "--out".into(),
        out.display().to_string(),
    ]);
    let ran = cli(&strs(&args), &[], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    out
}

/// Runs the node test against `script` with this client secret in the stand-in Secrets Manager.
async fn run_node(script: &Path, secret: &str, expect: &str, message: &str) -> (bool, String) {
    let canary_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/canary");
    let secret_string = serde_json::json!({
        "USER_POOL_CLIENT_ID": "demo-client-id",
        "USER_POOL_CLIENT_SECRET": secret,
        "USER_POOL_DOMAIN": "ignored-by-the-export",
        "USER_POOL_SCOPE": "demo/example",
        "APIGW_URL": "ignored-by-the-export",
    })
    .to_string();
    let output = tokio::process::Command::new("node")
        .arg("--test")
        .arg(canary_dir.join("canary.test.js"))
        .env("NODE_PATH", canary_dir.join("stubs/node_modules"))
        .env("CANARY_SCRIPT", script)
        .env("STUB_SECRET_STRING", secret_string)
        .env("SECRET", secret)
        .env("EXPECT", expect)
        .env("EXPECT_MESSAGE", message)
        .env("EXPECT_SECRET_ID", SECRET_ID)
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_exported_script_passes_on_the_demo_and_fails_on_a_wrong_secret_or_assertion() {
    if !node_available() {
        eprintln!("SKIPPED: node is not on PATH, so the exported canary script was not run (install Node.js 18+).");
        return;
    }
    let em = start_default().await;
    let out = export(
        &em,
        "canary-pass",
        &["status 200", "length 3", "pointer /0/type == \"dog\""],
    )
    .await;
    let script = out.join("canary.js");
    let (ok, text) = run_node(&script, DEMO_SECRET, "pass", "").await;
    assert!(ok, "{text}");
    assert!(text.contains("PASS /0/type is \"dog\""), "{text}");

    let wrong = "WRONG-canary-secret-value";
    let (ok, text) = run_node(
        &script,
        wrong,
        "fail",
        "The token endpoint answered 400: invalid_client",
    )
    .await;
    assert!(ok, "{text}");
    assert!(!text.contains(wrong), "{text}");

    let out = export(&em, "canary-fail", &["status 200", "length 4"]).await;
    let (ok, text) = run_node(
        &out.join("canary.js"),
        DEMO_SECRET,
        "fail",
        "FAIL — body has 4 items \\(actual: array of 3\\)",
    )
    .await;
    assert!(ok, "{text}");
    assert!(!text.contains(DEMO_SECRET), "{text}");
}

/// The exported script never follows a redirect, as the page and the CLI: Node's fetch follows
/// by default, so an API answering 302 to a page that answers 200 with three items passed, and a
/// 307 from the token endpoint would have posted the client secret to the redirect's host.
#[tokio::test(flavor = "multi_thread")]
async fn the_exported_script_fails_on_a_redirect_and_does_not_follow_it() {
    if !node_available() {
        eprintln!("SKIPPED: node is not on PATH, so the exported canary script was not run (install Node.js 18+).");
        return;
    }
    let em = start_default().await;
    let (port, followed) = redirecting_server().await;
    let mut flags = demo_flags(&em);
    let at = flags.iter().position(|a| a == "--api-url").unwrap();
    flags[at + 1] = format!("http://127.0.0.1:{port}/dev/pets");
    let out = export_with(flags, "canary-redirect", &["status 2xx", "length 3"]).await;
    let (ok, text) = run_node(
        &out.join("canary.js"),
        DEMO_SECRET,
        "fail",
        "answered 302 redirecting to /elsewhere, which is not followed",
    )
    .await;
    assert!(ok, "{text}");
    assert_eq!(followed.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// The exported script read a token response as the page does not: a 200 with an empty
/// access_token went out as "Bearer " and an API that checks nothing passed; and JSON.parse took
/// what the page's parser refuses (a lone surrogate escape, 128 levels of nesting).
#[tokio::test(flavor = "multi_thread")]
async fn the_exported_script_reads_answers_as_the_page_does() {
    if !node_available() {
        eprintln!("SKIPPED: node is not on PATH, so the exported canary script was not run (install Node.js 18+).");
        return;
    }
    // One server for the token endpoint and the API, answering 200 to both.
    let open = answering_server(
        "application/json",
        r#"{"access_token":"","token_type":"Bearer"}"#,
    )
    .await;
    let mut flags = demo_flags(&start_default().await);
    let domain = flags.iter().position(|a| a == "--domain").unwrap();
    flags[domain + 1] = format!("http://127.0.0.1:{open}");
    let api = flags.iter().position(|a| a == "--api-url").unwrap();
    flags[api + 1] = format!("http://127.0.0.1:{open}/dev/pets");
    let out = export_with(flags, "canary-empty-token", &["status 2xx"]).await;
    let (ok, text) = run_node(
        &out.join("canary.js"),
        DEMO_SECRET,
        "fail",
        "The token endpoint answered 200 without a usable access token",
    )
    .await;
    assert!(ok, "{text}");

    let em = start_default().await;
    for body in [r#"["\ud83d"]"#, LEVELS_128] {
        let api_port = answering_server("application/json", body).await;
        let mut flags = demo_flags(&em);
        let api = flags.iter().position(|a| a == "--api-url").unwrap();
        flags[api + 1] = format!("http://127.0.0.1:{api_port}/dev/pets");
        let out = export_with(flags, "canary-odd-json", &["status 2xx", "json"]).await;
        let (ok, text) = run_node(&out.join("canary.js"), DEMO_SECRET, "fail", "not JSON").await;
        assert!(ok, "{body}: {text}");
    }
}

/// 128 nested arrays: JSON.parse takes them, serde_json (the page) refuses.
const LEVELS_128: &str = concat!(
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
);

#[tokio::test]
async fn the_template_passes_cfn_lint_when_the_deploy_venv_has_it() {
    let em = start_default().await;
    let out = export(&em, "canary-lint", &["status 200"]).await;
    let template = std::fs::read_to_string(out.join("canary.yaml")).unwrap();
    assert!(template.contains("Type: AWS::Synthetics::Canary"));
    assert!(template.contains("Expression: rate(1 minute)"));
    assert!(!template.contains(DEMO_SECRET));
    let cfn_lint = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/cfn-lint");
    if !cfn_lint.exists() {
        eprintln!(
            "SKIPPED cfn-lint: {} is missing (make test-deploy creates it).",
            cfn_lint.display()
        );
        return;
    }
    let output = std::process::Command::new(&cfn_lint)
        .arg(out.join("canary.yaml"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn export_refuses_credential_headers_without_printing_them() {
    let em = start_default().await;
    let mut args = vec!["export-canary".to_string()];
    args.extend(demo_flags(&em));
    args.extend([
        "--header".into(),
        "X-Api-Key: key-never-shown".into(),
        "--out".into(),
        scratch("canary-refused").display().to_string(),
    ]);
    let ran = cli(&strs(&args), &[], "").await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("X-Api-Key"), "{}", ran.stderr);
    assert!(!ran.all().contains("key-never-shown"));
}
