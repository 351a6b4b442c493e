//! `cognito-api-tester matrix` against the emulator: the emulator's own export read, the same
//! table as the page's Authorization matrix (tests/e2e/tests/matrix.rs), exit codes, files, and
//! inputs refused before anything is sent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use cognito_emulator::{ApiMethod, Config, Running};
use common::*;

/// The emulator's export (`oas30` or `swagger`), as `aws apigateway get-export` gives it.
async fn export(em: &Running, kind: &str) -> String {
    let url = format!("{}/_emulator/export?type={kind}", em.base_url());
    reqwest::get(&url).await.unwrap().text().await.unwrap()
}

/// The matrix's arguments for the demo client, the export read from standard input.
fn matrix_args(em: &Running, more: &[&str]) -> Vec<String> {
    let mut args = vec!["matrix".to_string(), "--export".into(), "-".into()];
    args.extend(demo_flags(em));
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

/// `matrix` with the demo client and `more`, the secret `secret`, the export on standard input.
async fn matrix(em: &Running, more: &[&str], secret: &str, export: &str) -> Ran {
    cli(
        &strs(&matrix_args(em, more)),
        &[("COGNITO_CLIENT_SECRET", secret)],
        export,
    )
    .await
}

/// The lines of the table, without their latencies ("200 (3 ms)" → "200").
fn table(stdout: &str) -> Vec<String> {
    let mut rows: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  - "))
        .map(|l| {
            let mut line = l.to_string();
            while let Some(at) = line.find(" ms)") {
                let open = line[..at].rfind(" (").unwrap();
                line.replace_range(open..at + 4, "");
            }
            line
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn the_demo_apis_matrix_passes_as_the_page_judges_it() {
    let em = start_default().await;
    let oas = export(&em, "oas30").await;
    let dir = scratch("matrix-demo");
    let (csv, json, junit) = (dir.join("m.csv"), dir.join("m.json"), dir.join("junit.xml"));
    let report = dir.join("evidence.md");
    let files = [
        "--csv",
        csv.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--report",
        "md",
        report.to_str().unwrap(),
    ];
    let ran = matrix(&em, &files, DEMO_SECRET, &oas).await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(
        ran.stdout
            .starts_with("PASS — 6 methods answered as the authorizer rules predict"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains(&format!("against {}/dev (10 methods):", em.base_url())),
        "{}",
        ran.stdout
    );
    const C: &str = "Cognito user pool";
    let mut expected = vec![
        format!("GET / — {C}, scopes [demo/example]: expected allowed, got 200: as expected"),
        format!("GET /id-token-only — {C}, scopes []: expected denied (401), got 401: as expected"),
        "GET /jwt/pets — JWT, scopes [demo/example]: expected allowed, got 200: as expected".into(),
        "GET /open — none, scopes []: expected allowed, got 200: as expected".into(),
        format!("GET /pets — {C}, scopes [demo/example]: expected allowed, got 200: as expected"),
        format!("POST /pets — {C}, scopes [demo/example]: expected allowed, got not run: not run"),
        format!("PUT /pets/1 — {C}, scopes [demo/example]: expected allowed, got not run: not run"),
        format!(
            "PATCH /pets/1 — {C}, scopes [demo/example]: expected allowed, got not run: not run"
        ),
        format!(
            "DELETE /pets/1 — {C}, scopes [demo/example]: expected allowed, got not run: not run"
        ),
        format!(
            "GET /reports — {C}, scopes [demo/other]: expected denied (401), got 401: as expected"
        ),
    ];
    expected.sort();
    assert_eq!(table(&ran.stdout), expected, "{}", ran.stdout);
    assert!(ran.stdout.contains("--include-changes"), "{}", ran.stdout);
    assert!(
        ran.stderr.contains(&format!(
            "Calling 6 methods at {}/dev with the token",
            em.base_url()
        )),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("warning:"), "loopback: {}", ran.stderr);
    assert!(
        ran.stdout.contains("\n  Token: new token in "),
        "{}",
        ran.stdout
    );
    // The token's checks, as the page's Checks panel: none failed (an info line may show).
    assert!(!ran.stdout.contains("[fail]"), "{}", ran.stdout);

    // The files: the page's CSV and JSON, and one JUnit case per method; never the secret or a token.
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("method,sent_as,path,sent,"), "{csv}");
    assert_eq!(csv.lines().count(), 11, "{csv}");
    let json = std::fs::read_to_string(&json).unwrap();
    assert!(json.contains("\"GET\""), "{json}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 10, "{xml}");
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    assert_eq!(skipped, 4, "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    // The evidence report: the matrix's verdict and its rows, as the page's Download report.
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(
        report.contains("PASS — 6 methods answered as the authorizer rules predict"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "Authorization matrix against {}/dev (10 methods):",
            em.base_url()
        )),
        "{report}"
    );
    assert!(
        report.contains("- GET /pets — Cognito user pool"),
        "{report}"
    );
    for text in [ran.all(), csv, json, xml, report] {
        assert!(!text.contains(DEMO_SECRET), "{text}");
        assert!(!text.contains("eyJ"), "a token in {text}");
    }
}

#[tokio::test]
async fn methods_that_change_data_and_the_negative_checks_run_when_asked() {
    let em = start_default().await;
    let swagger = export(&em, "swagger").await;
    // No --api-url: the matrix needs only the token and the export's server.
    let mut args = matrix_args(&em, &["--include-changes", "--negative", "--param", "id=7"]);
    let at = args.iter().position(|a| a == "--api-url").unwrap();
    args.drain(at..at + 2);
    let ran = cli(
        &strs(&args),
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        &swagger,
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.all());
    assert!(
        ran.stdout.starts_with("PASS — 10 methods"),
        "{}",
        ran.stdout
    );
    let rows = table(&ran.stdout);
    assert!(
        rows.iter().any(|r| r.starts_with(
            "DELETE /pets/7 — Cognito user pool, scopes [demo/example]: expected allowed, got 200: as expected; no token: 401 refused; altered signature: 401 refused"
        )),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("POST /pets — Cognito user pool, scopes [demo/example]: expected allowed, got 201: as expected")),
        "{rows:#?}"
    );
    // The altered token is a secret once sent: never printed either.
    assert!(!ran.all().contains("eyJ"), "{}", ran.all());
}

#[tokio::test]
async fn a_method_deployed_without_its_authorizer_exits_1_as_a_security_finding() {
    let mut config = Config::default();
    config.methods.push(ApiMethod::open_but_exported_as_cognito(
        "/admin",
        r#"{"admin":true}"#,
    ));
    let em = start_with(config).await;
    let oas = export(&em, "oas30").await;
    let ran = matrix(&em, &["--negative"], DEMO_SECRET, &oas).await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(
        ran.stdout.starts_with(
            "SECURITY FINDING — 1 method let through a call its authorizer must refuse."
        ),
        "{}",
        ran.stdout
    );
    let admin = table(&ran.stdout)
        .into_iter()
        .find(|r| r.starts_with("GET /admin"))
        .unwrap_or_default();
    assert!(
        admin.starts_with("GET /admin — Cognito user pool, scopes []: expected denied (401), got 200: SECURITY FINDING"),
        "{}",
        ran.stdout
    );
    for check in [
        "; no token: 200 SECURITY FINDING",
        "; altered signature: 200 SECURITY FINDING",
    ] {
        assert!(admin.contains(check), "{check}: {admin}");
    }
}

#[tokio::test]
async fn without_a_token_no_method_is_called() {
    let em = start_default().await;
    let oas = export(&em, "oas30").await;
    let wrong = "WRONG-secret-never-to-be-shown";
    let dir = scratch("matrix-no-token");
    let (report, junit) = (dir.join("evidence.json"), dir.join("junit.xml"));
    let files = [
        "--report",
        "json",
        report.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
    ];
    let ran = matrix(&em, &files, wrong, &oas).await;
    assert_eq!(ran.code, 1, "{}", ran.all());
    assert!(
        ran.stdout.starts_with("FAIL — token request:"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("The matrix was not run: it needs a token."),
        "{}",
        ran.stdout
    );
    assert!(table(&ran.stdout).is_empty(), "{}", ran.stdout);
    // The files still say what happened: a failed token request, never the secret.
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(report.contains("FAIL — token request:"), "{report}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<failure"), "{xml}");
    for text in [ran.all(), report, xml] {
        assert!(!text.contains(wrong), "{text}");
    }
}

#[tokio::test]
async fn unusable_inputs_exit_2_before_anything_is_sent() {
    let em = start_default().await;
    let oas = export(&em, "oas30").await;
    let env = [("COGNITO_CLIENT_SECRET", DEMO_SECRET)];
    for (more, says) in [
        (&["--base-url", "/dev"][..], "Base URL needs a scheme"),
        (
            &["--param", "pet=1"][..],
            "--param number 1: no method of the export has that path parameter (it has: id)",
        ),
        (&["--param", "id"][..], "--param takes NAME=VALUE"),
        (
            &["--param", "dGhpc2lzYXNlY3JldA=="][..],
            "--param number 1: no method of the export has that path parameter",
        ),
        (
            &["--secret-stdin"][..],
            "Only one input can come from standard input",
        ),
        (
            &["--assert", "status 200"][..],
            "--assert / --assertions-file applies to `run`",
        ),
        (
            &["--method", "POST"][..],
            "--method / --body applies to `run`",
        ),
        (
            &["--base-url", "https://api.example/dev#"][..],
            "query (?…) or a fragment (#…)",
        ),
        (&["--header", "X-Bad header: 1"][..], "is not a header name"),
    ] {
        let ran = cli(&strs(&matrix_args(&em, more)), &env, &oas).await;
        assert_eq!(ran.code, 2, "{more:?}: {}", ran.all());
        assert!(ran.stderr.contains(says), "{more:?}: {}", ran.stderr);
        assert!(ran.stdout.is_empty(), "{more:?}: {}", ran.stdout);
        // An argument that may hold a credential is never quoted back.
        assert!(!ran.all().contains("dGhpc2lz"), "{more:?}: {}", ran.all());
    }
    let ran = cli(
        &strs(&matrix_args(&em, &[])),
        &env,
        "{\"not\": \"an export\"}",
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("error: --export:"), "{}", ran.stderr);
    let ran = cli(&strs(&matrix_args(&em, &[])), &[], &oas).await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stderr.contains("no client secret"), "{}", ran.stderr);
}

#[tokio::test]
async fn an_api_answering_500_cannot_be_judged_and_junit_says_so() {
    let em = start_default().await;
    let oas = export(&em, "oas30").await;
    em.set_api_failing(true);
    let junit = scratch("matrix-500").join("junit.xml");
    let ran = matrix(
        &em,
        &["--junit", junit.to_str().unwrap()],
        DEMO_SECRET,
        &oas,
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(ran.stdout.starts_with("CANNOT JUDGE"), "{}", ran.stdout);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let errors = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .count();
    // Every protected method that was called answered 500: each an error, not a pass or a skip.
    assert!(errors >= 4, "{errors} errors: {xml}");
}

#[tokio::test]
async fn a_token_request_that_cannot_be_sent_is_an_error_case() {
    let em = start_default().await;
    let oas = export(&em, "oas30").await;
    let junit = scratch("matrix-refused").join("junit.xml");
    let mut args = matrix_args(&em, &["--junit", junit.to_str().unwrap()]);
    let at = args.iter().position(|a| a == "--domain").unwrap();
    args[at + 1] = "ftp://example.com".into();
    let ran = cli(
        &strs(&args),
        &[("COGNITO_CLIENT_SECRET", DEMO_SECRET)],
        &oas,
    )
    .await;
    assert_eq!(ran.code, 2, "{}", ran.all());
    assert!(
        ran.stdout
            .contains("The matrix was not run: it needs a token."),
        "{}",
        ran.stdout
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1, "{xml}");
    assert_eq!(cases[0].attribute("name"), Some("token request"), "{xml}");
    assert!(
        cases[0].children().any(|n| n.has_tag_name("error")),
        "{xml}"
    );
}
