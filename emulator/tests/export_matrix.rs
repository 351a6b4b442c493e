#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `GET /_emulator/export`: the app reads it, and every method answers what the app's
//! authorization rules (`core::matrix::expected`) predict for the demo and other-scope tokens.

mod common;

use cognito_api_tester::core::jwt::decode;
use cognito_api_tester::core::matrix::{
    expected, parse_export, Actual, ExportFormat, HeldToken, MatrixRow, RowVerdict,
};
use cognito_emulator::Running;
use common::*;

async fn export_text(em: &Running, kind: &str) -> (u16, String) {
    let resp = client()
        .get(format!("{}/_emulator/export?type={kind}", em.base_url()))
        .header("origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// (method, path, expected label, actual status, verdict) for every safe method of the export.
async fn matrix(
    em: &Running,
    kind: &str,
    token: &str,
) -> Vec<(String, String, String, u16, RowVerdict)> {
    let (status, text) = export_text(em, kind).await;
    assert_eq!(status, 200, "{text}");
    let api = parse_export(&text).unwrap();
    let base = api.base_url.clone().unwrap();
    assert_eq!(base, format!("{}/dev", em.base_url()));
    let held = HeldToken::from_claims(decode(token).claims().unwrap());
    let mut rows = Vec::new();
    for op in &api.operations {
        if api.verb_sent(op) != Some("GET") {
            continue;
        }
        let path = op.fill_path(&|_| "1".into());
        let resp = client()
            .get(format!("{base}{path}"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = resp.text().await.unwrap_or_default();
        let exp = expected(op, Some(&held));
        let row = MatrixRow::new(
            op.clone(),
            path.clone(),
            exp.clone(),
            Actual::answered(status, 0, &body),
        );
        rows.push((op.method.clone(), path, exp.label(), status, row.verdict));
    }
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows
}

fn row(
    path: &str,
    expected: &str,
    status: u16,
    verdict: RowVerdict,
) -> (String, String, String, u16, RowVerdict) {
    ("GET".into(), path.into(), expected.into(), status, verdict)
}

#[tokio::test]
async fn both_export_types_are_read_by_the_app() {
    let em = start_default().await;
    let (_, oas) = export_text(&em, "oas30").await;
    let (_, swagger) = export_text(&em, "swagger").await;
    let oas = parse_export(&oas).unwrap();
    let swagger = parse_export(&swagger).unwrap();
    assert_eq!(oas.format, ExportFormat::Oas30);
    assert_eq!(swagger.format, ExportFormat::Swagger20);
    assert_eq!(oas.operations, swagger.operations);
    assert_eq!(oas.base_url, swagger.base_url);
    let (status, text) = export_text(&em, "yaml").await;
    assert_eq!(status, 400);
    assert!(text.contains("oas30"), "{text}");
    em.shutdown().await;
}

#[tokio::test]
async fn the_emulator_answers_what_the_rules_predict() {
    use RowVerdict::AsExpected;
    let em = start_default().await;
    let demo = demo_token(&em).await;
    assert_eq!(
        matrix(&em, "oas30", &demo).await,
        vec![
            row("/", "allowed", 200, AsExpected),
            row("/id-token-only", "denied (401)", 401, AsExpected),
            row("/jwt/pets", "allowed", 200, AsExpected),
            row("/open", "allowed", 200, AsExpected),
            row("/pets", "allowed", 200, AsExpected),
            row("/reports", "denied (401)", 401, AsExpected),
        ]
    );
    let other = token_for(&em, "other-scope-client", "other-scope-secret", None).await;
    assert_eq!(
        matrix(&em, "swagger", &other).await,
        vec![
            row("/", "denied (401)", 401, AsExpected),
            row("/id-token-only", "denied (401)", 401, AsExpected),
            row("/jwt/pets", "denied (403)", 403, AsExpected),
            row("/open", "allowed", 200, AsExpected),
            row("/pets", "denied (401)", 401, AsExpected),
            row("/reports", "allowed", 200, AsExpected),
        ]
    );
    em.shutdown().await;
}

#[tokio::test]
async fn a_method_deployed_without_its_authorizer_is_a_security_finding() {
    let em = start_with(|c| {
        c.methods
            .push(cognito_emulator::ApiMethod::open_but_exported_as_cognito(
                "/admin",
                r#"{"secret":"admin data"}"#,
            ))
    })
    .await;
    let other = token_for(&em, "other-scope-client", "other-scope-secret", None).await;
    let rows = matrix(&em, "oas30", &other).await;
    assert!(
        rows.contains(&row(
            "/admin",
            "denied (401)",
            200,
            RowVerdict::SecurityFinding
        )),
        "{rows:?}"
    );
    em.shutdown().await;
}
