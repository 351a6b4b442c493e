//! The Canary panel's "Export as Synthetics canary": the template (script inline) and the script
//! download from the form's settings and assertions, hold no secret, refuse what cannot be
//! exported, and the downloaded script passes under node against the emulator (the stand-ins for
//! the Synthetics modules are the CLI test's, cli/tests/canary).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use e2e::panel::CANARY;
use e2e::{emulator, repo_root, Browser};

const SECRET: &str = "demo-client-secret";
const SECRET_ID: &str = "pets/canary";

#[tokio::test]
async fn the_canary_panel_exports_a_template_and_script_that_pass_against_the_emulator() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    let mut script_path = None;
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        b.fill("Assertions", "status 200\nlength 3\nlength x").await;
        b.fill("Secrets Manager secret", SECRET_ID).await;

        // An unreadable assertion line stops the export, and says which.
        b.click("Export as Synthetics canary").await;
        let refused = b
            .wait_text(CANARY, "cannot be exported until every line reads")
            .await;
        assert!(refused.contains("\"x\""), "{refused}");
        b.fill("Canary name", "Pets API").await;
        b.fill("Assertions", "status 200\nlength 3").await;
        b.click("Export as Synthetics canary").await;
        b.wait_text(CANARY, "is not allowed").await;

        b.fill("Canary name", "pets-api").await;
        b.click("Export as Synthetics canary").await;
        b.wait_text(CANARY, "Downloaded canary.yaml").await;
        let template = b.downloaded("canary.yaml").await;
        assert!(
            template.contains("Type: AWS::Synthetics::Canary"),
            "{template}"
        );
        assert!(template.contains("pets-api"), "{template}");
        assert!(template.contains(SECRET_ID), "{template}");
        assert!(template.contains("demo-client-id"), "{template}");
        assert!(!template.contains(SECRET), "the template holds the secret");

        b.click("Download the script only").await;
        b.wait_text(CANARY, "Downloaded canary.js").await;
        let script = b.downloaded("canary.js").await;
        assert!(!script.contains(SECRET), "the script holds the secret");
        // The template carries this very script inline.
        let first_line = script.lines().find(|l| !l.trim().is_empty()).unwrap();
        assert!(template.contains(first_line.trim()), "{first_line}");
        let path = std::env::temp_dir().join(format!("e2e-canary-{}.js", std::process::id()));
        std::fs::write(&path, script).unwrap();
        script_path = Some(path);
    })
    .await;

    // The downloaded script, under node with the Synthetics stand-ins, passes on the demo.
    let script = script_path.unwrap();
    let canary_dir = repo_root().join("cli/tests/canary");
    let secret_string = serde_json::json!({
        "USER_POOL_CLIENT_ID": "demo-client-id",
        "USER_POOL_CLIENT_SECRET": SECRET,
    })
    .to_string();
    let output = tokio::process::Command::new("node")
        .arg("--test")
        .arg(canary_dir.join("canary.test.js"))
        .env("NODE_PATH", canary_dir.join("stubs/node_modules"))
        .env("CANARY_SCRIPT", &script)
        .env("STUB_SECRET_STRING", secret_string)
        .env("SECRET", SECRET)
        .env("EXPECT", "pass")
        .env("EXPECT_MESSAGE", "")
        .env("EXPECT_SECRET_ID", SECRET_ID)
        .output()
        .await
        .expect("node (make setup installs it)");
    let _ = std::fs::remove_file(&script);
    emu.shutdown().await;
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
