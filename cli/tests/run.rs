//! The command line against the emulator: verdicts, exit codes, masking, reports, JUnit, the
//! seed's Secrets Manager JSON, the page's exports and the canary loop.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::*;

#[tokio::test]
async fn the_demo_passes_with_exit_code_0() {
    let em = start_default().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(
        ran.stdout
            .starts_with("PASS — the API answered 200 with the token and 2 assertions passed."),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("✓ status is 2xx (actual: 200)"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("Token: new token in"), "{}", ran.stdout);
    assert!(!ran.all().contains(DEMO_SECRET), "{}", ran.all());
}

#[tokio::test]
async fn a_wrong_secret_fails_with_exit_code_1_and_is_never_printed() {
    let em = start_default().await;
    let wrong = "WRONG-secret-never-to-be-shown";
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let report = scratch("wrong-secret").join("report.json");
    let junit = report.with_file_name("junit.xml");
    args.extend([
        "--report".into(),
        "json".into(),
        report.display().to_string(),
        "--junit".into(),
        junit.display().to_string(),
    ]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", wrong)], "").await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(
        ran.stdout.starts_with("FAIL — token request:"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("Cause:"), "{}", ran.stdout);
    assert!(ran.stdout.contains("Fix:"), "{}", ran.stdout);
    for text in [
        ran.all(),
        std::fs::read_to_string(&report).unwrap(),
        std::fs::read_to_string(&junit).unwrap(),
    ] {
        assert!(!text.contains(wrong), "the secret leaked: {text}");
        assert!(
            !text.contains("WRONG-secret"),
            "part of the secret leaked: {text}"
        );
    }
}

/// A header value up to U+00FF goes out as the page's fetch sends it, one byte per character
/// (ISO-8859-1): the command line sent `café` as UTF-8 bytes, so an API saw another value from it
/// than from the page.
#[tokio::test]
async fn a_latin_1_header_value_is_sent_as_the_page_sends_it() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let em = start_default().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sent, seen) = tokio::sync::oneshot::channel::<Vec<u8>>();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let n = socket.read(&mut buf).await.unwrap_or(0);
        let _ = sent.send(buf[..n].to_vec());
        let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]";
        let _ = socket.write_all(answer.as_bytes()).await;
    });
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let at = args.iter().position(|a| a == "--api-url").unwrap();
    args[at + 1] = format!("http://127.0.0.1:{port}/dev/pets");
    args.extend(["--header".into(), "X-Name: café".into()]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    let request = seen.await.unwrap();
    let line = b"x-name: caf\xe9\r\n";
    assert!(
        request.windows(line.len()).any(|w| w == line),
        "{}",
        String::from_utf8_lossy(&request)
    );
}

/// A report that cannot be written is an error of its own (said on stderr), but a run that had
/// failed stays a failure: exit 1, not 2.
#[tokio::test]
async fn a_report_that_cannot_be_written_keeps_a_failure_a_failure() {
    let em = start_default().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let nowhere = scratch("no-report")
        .join("missing-folder")
        .join("report.md");
    args.extend([
        "--report".into(),
        "md".into(),
        nowhere.display().to_string(),
    ]);
    let ran = cli(
        &strs(&args),
        &[("COGNITO_CLIENT_SECRET", "WRONG-secret-value")],
        "",
    )
    .await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(ran.stderr.contains("error:"), "{}", ran.stderr);
}

#[tokio::test]
async fn an_unreadable_assertion_cannot_be_judged_exit_code_2() {
    let em = start_default().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    args.extend([
        "--assert".into(),
        "status 200".into(),
        "--assert".into(),
        "length is three".into(),
    ]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(
        ran.stdout.starts_with(
            "CANNOT JUDGE — the API answered 200, but 1 assertion line cannot be read."
        ),
        "{}",
        ran.stdout
    );
}

#[tokio::test]
async fn a_failed_assertion_fails_and_names_the_actual_value() {
    let em = start_default().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    args.extend(["--assert".into(), "length 4".into()]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(
        ran.stdout
            .contains("✗ body has 4 items (actual: array of 3)"),
        "{}",
        ran.stdout
    );
}

#[tokio::test]
async fn no_secret_is_bad_input_exit_code_2() {
    let em = start_default().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let ran = cli(&strs(&args), &[], "").await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(
        ran.stderr
            .contains("no client secret. Set $COGNITO_CLIENT_SECRET"),
        "{}",
        ran.stderr
    );
    let usage = cli(&["run", "--no-such-flag"], &[], "").await;
    assert_eq!(usage.code, 2);
}

#[tokio::test]
async fn the_secret_can_come_from_standard_input_or_another_variable() {
    let em = start_default().await;
    let mut args = vec!["run".to_string(), "--secret-stdin".to_string()];
    args.extend(demo_flags(&em));
    let ran = cli(&strs(&args), &[], "demo-client-secret\n").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    let mut args = vec!["run".to_string(), "--secret-env".into(), "MY_SECRET".into()];
    args.extend(demo_flags(&em));
    let ran = cli(&strs(&args), &[("MY_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
}

#[tokio::test]
async fn reports_are_the_pages_evidence_without_secrets() {
    let em = start_default().await;
    let dir = scratch("reports");
    for (format, name) in [("md", "report.md"), ("json", "report.json")] {
        let path = dir.join(name);
        let mut args = vec!["run".to_string()];
        args.extend(demo_flags(&em));
        args.extend(["--report".into(), format.into(), path.display().to_string()]);
        let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
        assert_eq!(ran.code, 0, "{}", ran.all());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(DEMO_SECRET), "{text}");
        assert!(text.contains("PASS — the API answered 200"), "{text}");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(json["settings"]["client_id"], "demo-client-id");
            assert_eq!(json["settings"]["client_secret"], "••••••");
            assert_eq!(json["assertions"].as_array().unwrap().len(), 2);
            // The signature part of the token is never kept.
            let token_body = json["token_exchange"]["response"]["body"].as_str().unwrap();
            assert!(token_body.contains("••••••"), "{token_body}");
        }
    }
    let bad = cli(&["run", "--report", "pdf", "x.pdf"], &[], "").await;
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("the format is md or json"),
        "{}",
        bad.stderr
    );
}

#[tokio::test]
async fn junit_has_a_case_per_step_and_assertion_and_is_well_formed() {
    let em = start_default().await;
    let path = scratch("junit").join("junit.xml");
    let mut args = vec!["run".to_string(), "--negative".to_string()];
    args.extend(demo_flags(&em));
    args.extend([
        "--assert".into(),
        "status 200".into(),
        "--assert".into(),
        "contains NOT-IN-THE-BODY".into(),
        "--junit".into(),
        path.display().to_string(),
    ]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "token request",
            "API call",
            "token checks",
            "status is 200",
            "body contains \"NOT-IN-THE-BODY\"",
            "No Authorization header",
            "Altered signature",
            "Altered payload",
            "Basic instead of Bearer",
        ]
    );
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed, vec!["body contains \"NOT-IN-THE-BODY\""]);
    assert_eq!(root.attribute("failures"), Some("1"));
    assert_eq!(root.attribute("tests"), Some("9"));
    assert!(!xml.contains(DEMO_SECRET));
}

/// A run a field stops (here an empty API URL) exits 2, CANNOT JUDGE; its JUnit file said
/// `failures="0" errors="0"` with both cases skipped, which CI reads as green. Now an error.
#[tokio::test]
async fn a_refused_run_is_a_junit_error() {
    let em = start_default().await;
    let path = scratch("junit-refused").join("junit.xml");
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let at = args.iter().position(|a| a == "--api-url").unwrap();
    args[at + 1] = String::new();
    args.extend(["--junit".into(), path.display().to_string()]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("errors"), Some("1"), "{xml}");
    let errored: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|c| c.children().any(|n| n.has_tag_name("error")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(errored, vec!["token request"], "{xml}");
    assert!(xml.contains("Not sent"), "{xml}");
    assert!(!xml.contains(DEMO_SECRET));
}

#[tokio::test]
async fn the_seeds_secrets_manager_json_is_enough() {
    let em = start_default().await;
    let secret = serde_json::json!({
        "USER_POOL_CLIENT_ID": "demo-client-id",
        "USER_POOL_CLIENT_SECRET": DEMO_SECRET,
        "USER_POOL_DOMAIN": em.base_url(),
        "USER_POOL_SCOPE": "demo/example",
        "APIGW_URL": format!("{}/pets", em.api_url()),
    })
    .to_string();
    let ran = cli(&["run", "--secrets-json", "-"], &[], &secret).await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(
        ran.stderr.contains(
            "Read Client ID, Client secret, Domain, Scope, API URL from a Secrets Manager secret."
        ),
        "{}",
        ran.stderr
    );
    assert!(!ran.all().contains(DEMO_SECRET));
    // As a file, and as `aws secretsmanager get-secret-value` prints it.
    let path = scratch("secrets-json").join("secret.json");
    let output = serde_json::json!({"Name": "demo", "SecretString": secret}).to_string();
    std::fs::write(&path, output).unwrap();
    let ran = cli(&["run", "--secrets-json", path.to_str().unwrap()], &[], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    // Unreadable JSON is bad input, and the message repeats nothing of it.
    let ran = cli(
        &["run", "--secrets-json", "-"],
        &[],
        "{\"USER_POOL_CLIENT_SECRET\": \"s3cr3t-xyz\"",
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(!ran.all().contains("s3cr3t-xyz"), "{}", ran.all());
}

#[tokio::test]
async fn the_pages_share_link_and_profiles_are_inputs() {
    use cognito_api_tester::core::profiles::Profiles;
    use cognito_api_tester::core::settings::Settings;
    let em = start_default().await;
    let settings = Settings {
        client_id: "demo-client-id".into(),
        domain: em.base_url(),
        scope: "demo/example".into(),
        api_url: format!("{}/pets", em.api_url()),
        ..Settings::default()
    };
    let dir = scratch("exports");
    let link = format!(
        "https://tester.example.com/{}",
        cognito_api_tester::core::share::to_fragment(&settings).unwrap()
    );
    let link_path = dir.join("link.txt");
    std::fs::write(&link_path, link).unwrap();
    let ran = cli(
        &["run", "--settings", link_path.to_str().unwrap()],
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        "",
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.all());

    let mut profiles = Profiles::default();
    profiles.save("dev", &settings, None).unwrap();
    let mut broken = settings.clone();
    broken.api_url = format!("{}/nope", em.api_url());
    profiles.save("staging", &broken, None).unwrap();
    let profiles_path = dir.join("profiles.json");
    std::fs::write(&profiles_path, profiles.to_json()).unwrap();
    let ran = cli(
        &[
            "run",
            "--settings",
            profiles_path.to_str().unwrap(),
            "--profile",
            "dev",
        ],
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        "",
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    let ran = cli(
        &["run", "--settings", profiles_path.to_str().unwrap()],
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        "",
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(
        ran.stderr
            .contains("choose one with --profile (dev, staging)"),
        "{}",
        ran.stderr
    );
    // A flag overrides the file.
    let ran = cli(
        &[
            "run",
            "--settings",
            profiles_path.to_str().unwrap(),
            "--profile",
            "staging",
            "--api-url",
            &format!("{}/pets", em.api_url()),
        ],
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        "",
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.all());
}

#[tokio::test]
async fn the_canary_loop_reuses_the_token_and_keeps_every_run() {
    let em = start_default().await;
    let path = scratch("loop").join("junit.xml");
    let mut args = vec![
        "run".to_string(),
        "--every".into(),
        "1s".into(),
        "--count".into(),
        "3".into(),
    ];
    args.extend(demo_flags(&em));
    args.extend(["--junit".into(), path.display().to_string()]);
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    let runs: Vec<&str> = ran.stdout.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(runs.len(), 3, "{}", ran.stdout);
    assert!(runs.iter().all(|l| l.contains("PASS")), "{}", ran.stdout);
    assert_eq!(
        ran.stdout.matches("Token: new token").count(),
        1,
        "{}",
        ran.stdout
    );
    assert_eq!(
        ran.stdout
            .matches("Token: Reused the token from the last run")
            .count(),
        2,
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.ends_with("3 runs, 3 of 3 passed (100%).\n"),
        "{}",
        ran.stdout
    );
    // No progress line when standard error is not a terminal.
    assert!(!ran.stderr.contains("next run in"), "{}", ran.stderr);
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        3
    );
    let bad = cli(&["run", "--every", "0s"], &[], "").await;
    assert_eq!(bad.code, 2, "{}", bad.all());
}

#[tokio::test]
async fn negative_checks_are_refused_by_the_emulator() {
    let em = start_default().await;
    let mut args = vec!["run".to_string(), "--negative".into()];
    args.extend(demo_flags(&em));
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert_eq!(ran.stdout.matches("✓ refused").count(), 4, "{}", ran.stdout);
}

#[tokio::test]
async fn a_terminal_gets_a_progress_line() {
    let em = start_default().await;
    let mut args = vec!["cognito-api-tester".to_string(), "run".to_string()];
    args.extend(demo_flags(&em));
    let env = |name: &str| (name == "COGNITO_CLIENT_SECRET").then(|| DEMO_SECRET.to_string());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut input: &[u8] = b"";
    let code = {
        let mut io = cognito_api_tester_cli::Io {
            stdin: &mut input,
            stdout: &mut stdout,
            stderr: &mut stderr,
            env: &env,
            progress: true,
        };
        cognito_api_tester_cli::run(args, &mut io).await
    };
    assert_eq!(code, 0);
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(stderr.contains("\r\x1b[2KRun 1…"), "{stderr:?}");
    // The progress line never lands in standard output.
    assert!(!String::from_utf8(stdout).unwrap().contains('\r'));
}

/// A redirect from the API is never followed (it could drop the Authorization header or turn a
/// POST into a GET): the run fails and says so, as the page does.
#[tokio::test]
async fn a_redirecting_api_fails_and_the_redirect_is_not_followed() {
    let em = start_default().await;
    let (port, followed) = redirecting_server().await;
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    let at = args.iter().position(|a| a == "--api-url").unwrap();
    args[at + 1] = format!("http://127.0.0.1:{port}/dev/pets");
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(ran.stdout.starts_with("FAIL"), "{}", ran.stdout);
    assert!(ran.stdout.contains("redirect"), "{}", ran.stdout);
    assert_eq!(followed.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A secret given where it does not belong is never printed back: clap quoted an argument it
/// could not place, the missing-secret message named `$<the value>` for `--secret-env "$SECRET"`,
/// and the run's lines printed a token from elsewhere typed into the API URL.
#[tokio::test]
async fn a_secret_in_the_wrong_place_is_not_printed_back() {
    let secret = "S3cretValue123-never-shown";
    for args in [
        vec!["run", secret],
        vec!["run", &format!("--secret-stdin={secret}")],
        vec!["run", "--secret-stdin", secret],
    ] {
        let ran = cli(&args, &[], "").await;
        assert_eq!(ran.code, 2, "{}", ran.all());
        assert!(!ran.all().contains("S3cret"), "{args:?}: {}", ran.all());
        assert!(ran.stderr.contains("error:"), "{}", ran.stderr);
    }
    // A typo in a flag's name is still named.
    let typo = cli(&["run", "--no-such-flag"], &[], "").await;
    assert!(typo.stderr.contains("--no-such-flag"), "{}", typo.stderr);

    let em = start_default().await;
    // Cognito's own shape too: lower-case letters and digits, a valid variable name.
    let cognito_like = "k4ffcmhokgcl4n6tpi5ut3t8ta3g0fd1o9as3q7n2q8e3k7j5m1";
    for value in [secret, cognito_like] {
        let mut args = vec!["run".to_string(), "--secret-env".into(), value.into()];
        args.extend(demo_flags(&em));
        let ran = cli(&strs(&args), &[], "").await;
        assert_eq!(ran.code, 2, "{}", ran.all());
        assert!(!ran.all().contains(&value[..12]), "{}", ran.all());
        assert!(ran.stderr.contains("--secret-env names"), "{}", ran.stderr);
    }

    let token = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWZyb20tZWxzZXdoZXJl";
    let mut args = vec!["run".to_string()];
    args.extend(demo_flags(&em));
    if let Some(url) = args.iter_mut().find(|a| a.ends_with("/pets")) {
        url.push_str(&format!("?access_token={token}"));
    }
    let ran = cli(&strs(&args), &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)], "").await;
    assert!(ran.stdout.contains("API: GET"), "{}", ran.all());
    assert!(!ran.all().contains("c2lnbmF0dXJl"), "{}", ran.all());
}
