//! The authorization matrix end to end (issue 18): the emulator's own export imported, the
//! matrix run with the demo client's token and with other-scope-client's, the exact
//! expected/actual table compared, methods that change data only after a confirmation, the
//! per-row negative checks (no token, altered signature), and a method deployed without the
//! authorizer its export names reported as a SECURITY FINDING, by its call and by its checks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_emulator::{ApiMethod, Authorization, Running};
use e2e::{emulator, Browser};

const MATRIX: &str = "section[aria-labelledby='matrix-heading']";

/// The emulator's export, fetched by the page (the control routes answer CORS `*`).
async fn export(b: &Browser, emu: &Running, kind: &str) -> String {
    let url = format!("{}/_emulator/export?type={kind}", emu.base_url());
    let value = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e));",
            vec![serde_json::Value::from(url)],
        )
        .await
        .unwrap();
    value.as_str().unwrap().to_owned()
}

/// Pastes the export (as a paste would: one input event) and reads it.
async fn import(b: &Browser, text: &str) {
    b.click("Import export…").await;
    b.client
        .execute(
            "const t = document.getElementById('matrix-export'); t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::Value::from(text)],
        )
        .await
        .unwrap();
    b.click("Read export").await;
    b.wait_text(MATRIX, "Base URL from the export").await;
}

/// Every row as "METHOD path | " and the cells `columns` picks (`c`: the row's cell texts), sorted.
async fn rows_with(b: &Browser, columns: &str) -> Vec<String> {
    let script = format!(
        "return Array.from(document.querySelectorAll('tr.matrix-row')).map(tr => {{ const c = Array.from(tr.cells).map(td => td.innerText.trim()); return c[1] + ' ' + c[0] + ' | ' + {columns}; }});"
    );
    let value = b.client.execute(&script, vec![]).await.unwrap();
    let mut rows: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    rows.sort();
    rows
}

/// Every row as "METHOD path | authorizer | scopes | expected | actual | verdict" (latency left
/// out: it is timing), sorted.
async fn table(b: &Browser) -> Vec<String> {
    rows_with(b, "[c[2], c[3], c[4], c[5], c[7]].join(' | ')").await
}

/// Every row as "METHOD path | Negative checks cell", sorted.
async fn negative_cells(b: &Browser) -> Vec<String> {
    rows_with(b, "c[8]").await
}

async fn run_matrix(b: &Browser, verdict: &str) -> String {
    b.click("Run matrix").await;
    let line = b.wait_text(".matrix-verdict", verdict).await;
    b.wait_idle().await;
    line
}

fn rows(lines: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_matrix_of_the_demo_api_for_two_clients() {
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        let oas = export(b, &emu, "oas30").await;
        import(b, &oas).await;
        b.wait_text(MATRIX, "Read 10 methods").await;
        assert_eq!(
            b.control("Base URL")
                .await
                .prop("value")
                .await
                .unwrap()
                .as_deref(),
            Some(format!("{}/dev", emu.base_url()).as_str())
        );
        // Before any token: no expectation yet.
        assert!(table(b).await[0].contains("(no token yet)"));

        // A relative Base URL would send the token to this page's own host: refused, nothing sent.
        b.fill("Base URL", "/dev").await;
        b.click("Run matrix").await;
        let refused = b
            .wait_text(MATRIX, "Not run: Base URL needs a scheme")
            .await;
        assert!(table(b).await[0].contains("(no token yet)"), "{refused}");
        b.fill("Base URL", &format!("{}/dev", emu.base_url())).await;

        let line = run_matrix(b, "PASS").await;
        assert!(
            line.contains("6 methods answered as the authorizer rules predict"),
            "{line}"
        );
        const C: &str = "Cognito user pool";
        assert_eq!(
            table(b).await,
            rows(&[
                &format!("GET / | {C} | demo/example | allowed | 200 | as expected"),
                &format!("GET /id-token-only | {C} | — | denied (401) | 401 | as expected"),
                "GET /jwt/pets | JWT | demo/example | allowed | 200 | as expected",
                "GET /open | none | — | allowed | 200 | as expected",
                &format!("GET /pets | {C} | demo/example | allowed | 200 | as expected"),
                &format!("POST /pets | {C} | demo/example | allowed | not run | not run"),
                &format!("PUT /pets/{{id}} | {C} | demo/example | allowed | not run | not run"),
                &format!("PATCH /pets/{{id}} | {C} | demo/example | allowed | not run | not run"),
                &format!("DELETE /pets/{{id}} | {C} | demo/example | allowed | not run | not run"),
                &format!("GET /reports | {C} | demo/other | denied (401) | 401 | as expected"),
            ])
        );
        // The matrix is the page's verdict now.
        b.wait_text("#verdict-summary", "PASS — 6 methods").await;

        // Methods that change data: only after the confirmation.
        let tick = b.control("Include methods that change data").await;
        b.click_el(&tick).await;
        b.wait_text(MATRIX, "They can create, change or delete data")
            .await;
        b.click("Yes, include them").await;
        run_matrix(b, "PASS — 10 methods").await;
        let all = table(b).await;
        assert!(
            all.contains(&format!(
                "POST /pets | {C} | demo/example | allowed | 201 | as expected"
            )),
            "{all:#?}"
        );
        assert!(
            all.contains(&format!(
                "DELETE /pets/{{id}} | {C} | demo/example | allowed | 200 | as expected"
            )),
            "{all:#?}"
        );
        let tick = b.control("Include methods that change data").await;
        b.click_el(&tick).await;

        // other-scope-client: demo/other only. The JWT authorizer answers 403, Cognito 401.
        b.fill("Client ID", "other-scope-client").await;
        b.fill("Client secret", "other-scope-secret").await;
        b.fill("Scope", "demo/other").await;
        let swagger = export(b, &emu, "swagger").await;
        import(b, &swagger).await;
        run_matrix(b, "PASS").await;
        assert_eq!(
            table(b).await,
            rows(&[
                &format!("GET / | {C} | demo/example | denied (401) | 401 | as expected"),
                &format!("GET /id-token-only | {C} | — | denied (401) | 401 | as expected"),
                "GET /jwt/pets | JWT | demo/example | denied (403) | 403 | as expected",
                "GET /open | none | — | allowed | 200 | as expected",
                &format!("GET /pets | {C} | demo/example | denied (401) | 401 | as expected"),
                &format!("POST /pets | {C} | demo/example | denied (401) | not run | not run"),
                &format!(
                    "PUT /pets/{{id}} | {C} | demo/example | denied (401) | not run | not run"
                ),
                &format!(
                    "PATCH /pets/{{id}} | {C} | demo/example | denied (401) | not run | not run"
                ),
                &format!(
                    "DELETE /pets/{{id}} | {C} | demo/example | denied (401) | not run | not run"
                ),
                &format!("GET /reports | {C} | demo/other | allowed | 200 | as expected"),
            ])
        );
        // Negative checks: whatever the token's scopes, every protected method refuses a call
        // without a token and one with an altered signature; open methods get none.
        let tick = b
            .control(
                "Also send each protected method without a token and with an altered signature",
            )
            .await;
        b.click_el(&tick).await;
        b.wait_text(MATRIX, "not sent in this run").await;
        let line = run_matrix(b, "PASS").await;
        assert!(
            line.contains(
                "6 methods answered as the authorizer rules predict; 10 negative checks refused"
            ),
            "{line}"
        );
        const REFUSED: &str = "no token: 401 refused\naltered signature: 401 refused";
        assert_eq!(
            negative_cells(b).await,
            rows(&[
                &format!("GET / | {REFUSED}"),
                &format!("GET /id-token-only | {REFUSED}"),
                &format!("GET /jwt/pets | {REFUSED}"),
                "GET /open | —",
                &format!("GET /pets | {REFUSED}"),
                "POST /pets | —",
                "PUT /pets/{id} | —",
                "PATCH /pets/{id} | —",
                "DELETE /pets/{id} | —",
                &format!("GET /reports | {REFUSED}"),
            ])
        );
        // The token never shows in the panel.
        let panel = b.text(MATRIX).await;
        assert!(!panel.contains("eyJ"), "{panel}");
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn a_method_deployed_without_its_authorizer_is_a_security_finding() {
    let emu = emulator(|c| {
        c.methods.push(ApiMethod::open_but_exported_as_cognito(
            "/admin",
            r#"{"admin":true}"#,
        ));
    })
    .await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        let oas = export(b, &emu, "oas30").await;
        import(b, &oas).await;
        let tick = b
            .control("Also send each protected method without a token and with an altered signature")
            .await;
        b.click_el(&tick).await;
        // Before the run: what each check must get.
        b.wait_text(MATRIX, "no token: denied (401)\naltered signature: denied (401)")
            .await;
        let line = run_matrix(b, "SECURITY FINDING").await;
        assert!(line.contains("1 method let through"), "{line}");
        // Its negative checks get through too.
        assert!(
            negative_cells(b).await.contains(
                &"GET /admin | no token: 200 SECURITY FINDING\naltered signature: 200 SECURITY FINDING"
                    .to_string()
            ),
            "{:#?}",
            negative_cells(b).await
        );
        let all = table(b).await;
        assert!(
            all.contains(
                &"GET /admin | Cognito user pool | — | denied (401) | 200 | SECURITY FINDING"
                    .to_string()
            ),
            "{all:#?}"
        );
        b.wait_text("#verdict-summary", "SECURITY FINDING").await;
        b.wait_text(".verdict", "GET /admin: expected denied (401), got 200")
            .await;

        // The panel after a run passes axe-core.
        let found = b.axe_serious().await;
        assert!(found.is_empty(), "{found:#?}");

        // The downloads carry the finding and never the token.
        b.click("Download report (JSON)").await;
        let report = b.downloaded("Z.json").await;
        assert!(report.contains("Authorization matrix against"), "{report}");
        assert!(report.contains("GET /admin"), "{report}");
        b.click("Download matrix (CSV)").await;
        let csv = b.downloaded(".csv").await;
        assert!(
            csv.starts_with(
                "method,sent_as,path,sent,authorizer,scopes,expected,actual_status,latency_ms,verdict,note"
            ),
            "{csv}"
        );
        for sent in ["token", "no token", "altered signature"] {
            assert!(
                csv.contains(&format!(
                    "GET,GET,/admin,{sent},Cognito user pool,,denied (401),200,"
                )),
                "{sent}: {csv}"
            );
        }
        assert!(csv.contains("SECURITY FINDING"), "{csv}");
        b.click("Download matrix (JSON)").await;
        let json = b.downloaded("matrix.json").await;
        assert!(json.contains("\"verdict\": \"SECURITY FINDING\""), "{json}");
        assert!(json.contains("\"sent\": \"altered signature\""), "{json}");
        for text in [&csv, &json, &report] {
            assert!(!text.contains("eyJ"), "a token in a download: {text}");
        }
    })
    .await;
    emu.shutdown().await;
}

#[tokio::test]
async fn cancel_stops_every_request_of_the_matrix() {
    let emu = emulator(|c| {
        // A backend that answers after 20 s, behind no authorizer: only Cancel ends its row.
        c.methods.push(ApiMethod {
            method: "GET".into(),
            path: "/slow".into(),
            authorization: Authorization::None,
            authorizer: None,
            scopes: Vec::new(),
            status: 200,
            body: None,
            echo: false,
            export_authorization: None,
            delay_ms: 20_000,
        });
    })
    .await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        let oas = export(b, &emu, "oas30").await;
        import(b, &oas).await;
        b.click("Run matrix").await;
        // Every other row answers; the slow one keeps the run going.
        b.wait_text("#verdict-summary", "Running the authorization matrix")
            .await;
        let deadline = std::time::Instant::now() + e2e::WAIT;
        while !table(b)
            .await
            .iter()
            .any(|r| r.starts_with("GET /reports") && r.ends_with("as expected"))
        {
            assert!(
                std::time::Instant::now() < deadline,
                "{:#?}",
                table(b).await
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let started = std::time::Instant::now();
        b.click("Cancel matrix").await;
        let line = b.wait_text(".matrix-verdict", "CANCELLED").await;
        assert!(
            line.contains("stopped before every method answered"),
            "{line}"
        );
        b.wait_idle().await;
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "Cancel took {:?}",
            started.elapsed()
        );
        let all = table(b).await;
        assert!(
            all.contains(&"GET /slow | none | — | allowed | cancelled | cancelled".to_string()),
            "{all:#?}"
        );
        assert!(
            all.contains(
                &"GET /pets | Cognito user pool | demo/example | allowed | 200 | as expected"
                    .to_string()
            ),
            "{all:#?}"
        );
        b.wait_text("#verdict-summary", "CANCELLED").await;
    })
    .await;
    emu.shutdown().await;
}

/// The canary's ticks run the matrix (issue 18): a per-method history table under the run
/// history, in the CSV download, with no token; a profile keeps the imported description.
#[tokio::test]
async fn the_canary_schedules_the_matrix_and_a_profile_keeps_the_description() {
    use std::time::{Duration, Instant};
    let emu = emulator(|_| {}).await;
    let site = emu.static_url().unwrap();
    Browser::with(async |b| {
        b.open(&site).await;
        b.fill_demo(&emu, "/dev/pets").await;
        // Without a description, a tick can only run Run.
        let option = b
            .js_string("return String(document.querySelector('#tick-runs option[value=matrix]').disabled)")
            .await;
        assert_eq!(option, "true");
        let oas = export(b, &emu, "oas30").await;
        import(b, &oas).await;

        b.fill("Profile name", "dev").await;
        b.click("Save profile").await;
        b.wait_text(".tools", "with the imported API description").await;

        b.choose("Each tick runs", "Authorization matrix").await;
        b.fill("Run every", "1").await;
        b.click("Start schedule").await;
        let deadline = Instant::now() + e2e::WAIT;
        loop {
            let history = b.text("table.history").await;
            if history.matches("PASS").count() >= 2 {
                break;
            }
            assert!(Instant::now() < deadline, "fewer than 2 matrix ticks:\n{history}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        b.click("Stop schedule").await;
        b.wait_idle().await;
        let per_method = b.text("table.per-method").await;
        assert!(per_method.contains("Per-method history"), "{per_method}");
        // "METHOD path runs as-expected denial finding other last": each row judged at every tick.
        let rows = b
            .client
            .execute(
                "return Array.from(document.querySelectorAll('table.per-method tbody tr')).map(tr => Array.from(tr.cells).map(c => c.innerText.trim()).join(' | '));",
                vec![],
            )
            .await
            .unwrap();
        let rows: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(rows.len(), 10, "{rows:#?}");
        let get_pets = rows.iter().find(|r| r.starts_with("GET /pets |")).unwrap();
        let cells: Vec<&str> = get_pets.split(" | ").collect();
        let runs: usize = cells[1].parse().unwrap();
        assert!(runs >= 2, "{get_pets}");
        assert_eq!(cells[2], cells[1], "every run as expected: {get_pets}");
        assert_eq!(&cells[3..], ["0", "0", "0", "as expected"], "{get_pets}");
        let post = rows.iter().find(|r| r.starts_with("POST /pets |")).unwrap();
        assert!(post.ends_with("| not run"), "{post}");
        // The new select and table pass axe-core like the rest of the page.
        let found = b.axe_serious().await;
        assert!(found.is_empty(), "{found:#?}");

        b.click("Download CSV").await;
        let csv = b.downloaded(".csv").await;
        assert!(
            csv.contains("method_path,runs,as_expected,unexpected_denial,security_finding,other,last_outcome"),
            "{csv}"
        );
        assert!(csv.contains(&format!("GET /pets,{runs},{runs},0,0,0,as expected")), "{csv}");
        assert!(csv.contains("GET /reports,"), "{csv}");
        assert!(!csv.contains("eyJ"), "a token in the CSV:\n{csv}");
        assert!(!csv.contains("demo-client-secret"), "{csv}");
        b.click("Download JSON").await;
        let json: serde_json::Value =
            serde_json::from_str(&b.downloaded(".json").await).unwrap();
        let per_method = json["per_method"].as_array().unwrap();
        assert_eq!(per_method.len(), 10, "{json:#}");
        assert!(json["runs"].as_array().unwrap().len() >= 2, "{json:#}");
        let text = json.to_string();
        assert!(!text.contains("eyJ"), "a token in the JSON:\n{text}");

        // A new page: loading the profile brings the description back into the matrix panel.
        b.open(&site).await;
        b.choose("Profiles", "dev").await;
        b.click("Load").await;
        b.wait_text(".tools", "with its API description").await;
        b.wait_text(MATRIX, "/id-token-only").await;
        assert_eq!(table(b).await.len(), 10);
    })
    .await;
    emu.shutdown().await;
}
