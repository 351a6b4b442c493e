//! `cognito-api-tester matrix`: the page's Authorization matrix headless. The export is read,
//! the rows planned and each request built by the core (`core::matrix`), as the page does; this
//! module gets the token, sends the rows (at most `CONCURRENCY` at once) and prints the table.

use std::path::PathBuf;

use cognito_api_tester::core::aws::is_loopback_host;
use cognito_api_tester::core::junit::{self, CaseResult, TestCase, TestSuite};
use cognito_api_tester::core::matrix::{
    actual_of, base_url, evidence_text, example_params, expected, matrix_verdict, parse_export,
    plan_jobs, report_lines, row_request, to_csv, to_json, Actual, ApiDescription,
    HeldToken as MatrixToken, MatrixJob, MatrixRow, Probe, ProbeResult, RowVerdict, CONCURRENCY,
};
use cognito_api_tester::core::negative;
use cognito_api_tester::core::run::{SecretBook, SentHeader, Verdict};
use cognito_api_tester::core::settings::{check_http_url, Field};

use crate::args::MatrixArgs;
use crate::{clock, code_for, http, inputs, output, runner, write, write_report, Io, CANNOT_JUDGE};

/// Runs the matrix once; returns the exit code of its verdict.
pub async fn run_matrix(args: &MatrixArgs, io: &mut Io<'_>) -> u8 {
    match prepare(args, io) {
        Ok(prepared) => send_and_judge(args, prepared, io).await,
        Err(message) => {
            io.err(&format!("error: {message}"));
            CANNOT_JUDGE
        }
    }
}

/// What the inputs and the export give before anything is sent.
struct Prepared {
    resolved: inputs::Resolved,
    report: Option<(crate::ReportFormat, PathBuf)>,
    description: ApiDescription,
    base_url: String,
    jobs: Vec<MatrixJob>,
}

fn prepare(args: &MatrixArgs, io: &mut Io<'_>) -> Result<Prepared, String> {
    let inputs = &args.inputs;
    if inputs::is_stdin(&args.export)
        && (inputs.settings.as_deref().is_some_and(inputs::is_stdin)
            || inputs.secrets_json.as_deref().is_some_and(inputs::is_stdin)
            || inputs.secret_stdin)
    {
        return Err("Only one input can come from standard input: --export - and one of --settings -, --secrets-json - or --secret-stdin.".into());
    }
    // Flags of `run` that the matrix would ignore: refused, not silently dropped.
    for (given, flag, why) in [
        (
            !inputs.assertions.is_empty() || inputs.assertions_file.is_some(),
            "--assert / --assertions-file",
            "each method is judged by what its authorizer must do, not by assertions",
        ),
        (
            inputs.method.is_some() || inputs.body.is_some(),
            "--method / --body",
            "each method is called as the export defines it (with its example body when it changes data)",
        ),
    ] {
        if given {
            return Err(format!(
                "{flag} applies to `run`, not to `matrix`: {why}."
            ));
        }
    }
    let resolved = inputs::resolve(inputs, io)?;
    for note in &resolved.notes {
        io.err(note);
    }
    if resolved.secret.is_empty() {
        return Err(crate::no_secret_message(&inputs.secret_env));
    }
    let text = inputs::read(&args.export, "--export", io)?;
    let description = parse_export(&text).map_err(|e| format!("--export: {e}"))?;
    let given = args
        .base_url
        .clone()
        .or_else(|| description.base_url.clone());
    let from_api_url = given.is_none();
    let given = given.unwrap_or_else(|| resolved.settings.api_url.clone());
    let base_url = base_url(&given).map_err(|e| {
        format!("{e} Give --base-url, or --api-url when the export names no server.")
    })?;
    // What Run would refuse in the page before anything is sent: an unreadable Extra headers
    // line (the rows carry those headers) or timeout, and the API URL when it is the Base URL
    // (a masked mark left in it, say).
    let stops_the_matrix = |field: Field| {
        matches!(field, Field::ExtraHeaders | Field::Timeout)
            || (field == Field::ApiUrl && from_api_url)
    };
    if let Some(issue) = resolved
        .settings
        .api_blockers()
        .into_iter()
        .find(|i| stops_the_matrix(i.field))
    {
        return Err(issue.message);
    }
    let report = crate::report_target(&args.report)?;
    let values = param_values(&description, &args.params)?;
    let jobs = plan_jobs(&description, &values, args.include_changes, args.negative);
    Ok(Prepared {
        resolved,
        report,
        description,
        base_url,
        jobs,
    })
}

/// The export's examples, with each `--param NAME=VALUE` put into every method that has NAME.
fn param_values(
    description: &ApiDescription,
    params: &[String],
) -> Result<Vec<Vec<String>>, String> {
    let mut values = example_params(description);
    for (number, param) in params.iter().enumerate() {
        let Some((name, value)) = param.split_once('=') else {
            // Not quoted back: a value given without its name may be a credential.
            return Err("--param takes NAME=VALUE, e.g. --param id=1.".into());
        };
        let name = name.trim();
        let mut used = false;
        for (op, row) in description.operations.iter().zip(values.iter_mut()) {
            for (p, slot) in op.path_params.iter().zip(row.iter_mut()) {
                if p.name == name {
                    *slot = value.to_owned();
                    used = true;
                }
            }
        }
        if !used {
            let mut known: Vec<&str> = description
                .operations
                .iter()
                .flat_map(|op| op.path_params.iter().map(|p| p.name.as_str()))
                .collect();
            known.sort_unstable();
            known.dedup();
            let known = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            // The name is not quoted back either: a base64 value's padding can pose as NAME=.
            return Err(format!(
                "--param number {}: no method of the export has that path parameter (it has: {known}).",
                number + 1
            ));
        }
    }
    Ok(values)
}

async fn send_and_judge(args: &MatrixArgs, prepared: Prepared, io: &mut Io<'_>) -> u8 {
    let Prepared {
        resolved,
        report,
        description,
        base_url,
        jobs,
    } = prepared;
    let client = match http::client() {
        Ok(client) => client,
        Err(message) => {
            io.err(&format!("error: {message}"));
            return CANNOT_JUDGE;
        }
    };
    let mut session = runner::Session::new(client.clone(), false);
    io.progress("Getting a token for the matrix…");
    let token_run = session
        .get_token(&resolved.settings, &resolved.secret)
        .await;
    io.clear_progress();
    let Some(access_token) = token_run.access_token.clone() else {
        // No token: the run's own report says why (diagnosis, fix), and nothing else is sent.
        let book = &session.book;
        io.out(&output::describe(&token_run, None, book));
        io.out("The matrix was not run: it needs a token.");
        // The files say so too: CI keeps the evidence and sees a failed case, not a missing file.
        let written = report
            .as_ref()
            .map(|target| write_report(target, &runner::evidence(&token_run, book)))
            .unwrap_or(Ok(()))
            .and_then(|()| match &args.junit {
                Some(path) => write(
                    path,
                    &junit::to_xml(&[no_token_suite(&token_run, book)]),
                    "--junit",
                ),
                None => Ok(()),
            });
        if let Err(message) = written {
            io.err(&format!("error: {}", book.mask_all(&message)));
            return CANNOT_JUDGE;
        }
        return code_for(token_run.outcome());
    };
    let token = MatrixToken::of_token(&access_token);
    if jobs
        .iter()
        .any(|j| j.probes.contains(&Probe::AlteredSignature))
    {
        // The altered token differs from the real one by one bit: a secret once sent.
        let altered = negative::authorization_for(Probe::AlteredSignature.case(), &access_token);
        session
            .book
            .add_sent_authorization(altered.ok().flatten().as_deref());
    }
    let extra: Vec<SentHeader> = token_run
        .snapshot
        .headers
        .as_deref()
        .unwrap_or_default()
        .to_vec();
    // Where the token is about to go, before it goes (the page shows the Base URL before Run).
    let sent = jobs.iter().filter(|j| j.send).count();
    if sent > 0 {
        io.err(&session.book.mask_all(&format!(
            "Calling {sent} methods at {base_url} with the token…"
        )));
        let plain_http = check_http_url("Base URL", &base_url)
            .ok()
            .filter(|url| url.scheme() == "http")
            .map(|url| url.host_str().unwrap_or_default().to_owned())
            .filter(|host| !is_loopback_host(host));
        if let Some(host) = plain_http {
            io.err(&format!(
                "warning: the Base URL is plain http:// to {host}: the token crosses the network unencrypted, and API Gateway serves HTTPS only."
            ));
        }
    }
    let started_at_unix_ms = clock::now_unix_ms();
    let sender = RowSender {
        client,
        base_url: base_url.clone(),
        access_token,
        extra,
        token,
        timeout_secs: resolved.settings.timeout_secs,
    };
    let rows = match send_rows(&sender, &jobs, io).await {
        Ok(rows) => rows,
        Err(e) => {
            io.clear_progress();
            io.err(&format!(
                "error: a method's call stopped unexpectedly ({}).",
                session.book.mask_all(&e)
            ));
            return CANNOT_JUDGE;
        }
    };
    let verdict = matrix_verdict(&rows);
    let book = &session.book;
    io.out(&describe(
        &description,
        &base_url,
        &token_run,
        &rows,
        &verdict,
        book,
    ));
    if let Some(target) = &report {
        let appendix = evidence_text(&base_url, &rows, &|t: &str| book.mask_all(t));
        let evidence = runner::evidence_for(&token_run, Some(&verdict), &appendix, book);
        if let Err(message) = write_report(target, &evidence) {
            io.err(&format!("error: {}", book.mask_all(&message)));
            return CANNOT_JUDGE;
        }
    }
    if let Err(message) = write_files(args, &rows, &verdict, started_at_unix_ms, book) {
        io.err(&format!("error: {}", book.mask_all(&message)));
        return CANNOT_JUDGE;
    }
    code_for(verdict.outcome)
}

/// What every row is sent with.
#[derive(Clone)]
struct RowSender {
    client: reqwest::Client,
    base_url: String,
    access_token: String,
    extra: Vec<SentHeader>,
    token: MatrixToken,
    timeout_secs: u32,
}

/// Every row, at most `CONCURRENCY` at once, in the export's order. Err: a row's task stopped
/// (its message).
async fn send_rows(
    sender: &RowSender,
    jobs: &[MatrixJob],
    io: &mut Io<'_>,
) -> Result<Vec<MatrixRow>, String> {
    let mut rows = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(CONCURRENCY) {
        io.progress(&format!(
            "Running the authorization matrix… {} of {} methods",
            rows.len(),
            jobs.len()
        ));
        let mut tasks = tokio::task::JoinSet::new();
        for (offset, job) in chunk.iter().enumerate() {
            let (sender, job, index) = (sender.clone(), job.clone(), rows.len() + offset);
            tasks.spawn(async move { (index, run_row(&sender, &job).await) });
        }
        let mut done: Vec<(usize, MatrixRow)> = Vec::with_capacity(chunk.len());
        while let Some(joined) = tasks.join_next().await {
            done.push(joined.map_err(|e| e.to_string())?);
        }
        done.sort_by_key(|(index, _)| *index);
        rows.extend(done.into_iter().map(|(_, row)| row));
    }
    io.clear_progress();
    Ok(rows)
}

/// One row: the call with the token (when it is sent), then its negative checks, one after the
/// other, as the page's workers do.
async fn run_row(sender: &RowSender, job: &MatrixJob) -> MatrixRow {
    let send = |probe: Option<Probe>| async move {
        match row_request(
            &sender.base_url,
            job,
            probe,
            &sender.access_token,
            &sender.extra,
        ) {
            Ok(request) => {
                let (exchange, sent) =
                    http::send(&sender.client, &request, sender.timeout_secs).await;
                actual_of(&exchange, sent)
            }
            Err(e) => Actual::Failed(e),
        }
    };
    let actual = if job.send {
        send(None).await
    } else {
        Actual::NotRun
    };
    let mut probes = Vec::new();
    for probe in &job.probes {
        let actual = send(Some(*probe)).await;
        probes.extend(ProbeResult::new(*probe, &job.operation, actual));
    }
    MatrixRow::new(
        job.operation.clone(),
        job.path.clone(),
        expected(&job.operation, Some(&sender.token)),
        actual,
    )
    .with_probes(probes)
    .sent_as(Some(job.verb.clone()).filter(|v| !v.is_empty()))
}

/// The verdict first, the token step and any of its checks that did not pass (the page's Checks
/// panel), then one line per method and the verdict's reasons; masked.
fn describe(
    description: &ApiDescription,
    base_url: &str,
    token_run: &runner::RunOutput,
    rows: &[MatrixRow],
    verdict: &Verdict,
    book: &SecretBook,
) -> String {
    let mask = |t: &str| book.mask_all(t);
    let mut lines = vec![verdict.headline.clone()];
    lines.extend(output::token_line(token_run));
    lines.extend(output::check_lines(token_run));
    lines.push(format!(
        "  Authorization matrix of {} against {} ({} methods):",
        description.title.as_deref().unwrap_or("the export"),
        base_url,
        rows.len()
    ));
    lines.extend(
        report_lines(rows, &mask)
            .into_iter()
            .map(|l| format!("  - {l}")),
    );
    if rows.iter().any(|r| r.actual == Actual::NotRun) {
        lines.push(
            "  Methods that change data are not run without --include-changes (nor those whose path parameters have no value: give them with --param NAME=VALUE)."
                .into(),
        );
    }
    lines.extend(verdict.reasons.iter().map(|r| format!("  {r}")));
    book.mask_all(&lines.join("\n"))
}

fn write_files(
    args: &MatrixArgs,
    rows: &[MatrixRow],
    verdict: &Verdict,
    started_at_unix_ms: f64,
    book: &SecretBook,
) -> Result<(), String> {
    let mask = |t: &str| book.mask_all(t);
    if let Some(path) = &args.csv {
        write(path, &to_csv(rows, &mask), "--csv")?;
    }
    if let Some(path) = &args.json {
        write(path, &to_json(rows, &mask), "--json")?;
    }
    if let Some(path) = &args.junit {
        let suite = junit_suite(rows, verdict, started_at_unix_ms, book);
        write(path, &junit::to_xml(&[suite]), "--junit")?;
    }
    Ok(())
}

/// The JUnit suite of a matrix that got no token: one case, the token request — a failure when
/// it was sent and refused, an error when it could not be sent (a field stops it) — so CI shows
/// what stopped the matrix instead of an empty or all-skipped suite.
fn no_token_suite(token_run: &runner::RunOutput, book: &SecretBook) -> TestSuite {
    let headline = token_run.verdict.as_ref().map_or_else(
        || "CANNOT JUDGE — nothing was judged.".to_owned(),
        |v| v.headline.clone(),
    );
    let message = book.mask_all(&headline);
    let detail = output::describe(token_run, None, book);
    let result = if code_for(token_run.outcome()) == crate::FAIL {
        CaseResult::Failed { message, detail }
    } else {
        CaseResult::Error { message, detail }
    };
    TestSuite {
        name: "Authorization matrix".into(),
        timestamp_unix_ms: token_run.started_at_unix_ms,
        cases: vec![TestCase {
            name: "token request".into(),
            classname: "authorization matrix".into(),
            time_secs: token_run
                .token
                .as_ref()
                .and_then(|s| s.elapsed_ms())
                .map_or(0.0, |ms| ms / 1000.0),
            result,
        }],
        verdict: book.mask_all(&headline),
    }
}

/// One test case per method: passed as expected, skipped when not run or when its authorizer's
/// rule is unknown (as the verdict lists them), failed on an unexpected denial or a security
/// finding, an error when it got no answer, was cancelled, or answered what says nothing of a
/// known rule.
fn junit_suite(
    rows: &[MatrixRow],
    verdict: &Verdict,
    started_at_unix_ms: f64,
    book: &SecretBook,
) -> TestSuite {
    let mask = |t: &str| book.mask_all(t);
    let lines = report_lines(rows, &mask);
    let cases = rows
        .iter()
        .zip(lines)
        .map(|(row, line)| {
            let time_secs = match row.actual {
                Actual::Answered { millis, .. } => millis as f64 / 1000.0,
                _ => 0.0,
            };
            // A rule the tool cannot predict (Lambda, IAM) is listed under a PASS, as the verdict
            // lists it; a known rule the answer says nothing of (429, 5xx, a refusal from before
            // the authorizer), for the call or a negative check, is what makes the verdict CANNOT
            // JUDGE: an error, never a pass.
            let said_nothing = row.answered_nothing();
            let error = || CaseResult::Error {
                message: row.overall().label().to_owned(),
                detail: line.clone(),
            };
            let result = match row.overall() {
                RowVerdict::UnexpectedDenial | RowVerdict::SecurityFinding => CaseResult::Failed {
                    message: row.overall().label().to_owned(),
                    detail: line.clone(),
                },
                _ if said_nothing => CaseResult::Error {
                    message: "cannot judge".into(),
                    detail: line.clone(),
                },
                RowVerdict::AsExpected => CaseResult::Passed,
                RowVerdict::NotRun | RowVerdict::CannotJudge => CaseResult::Skipped {
                    message: line.clone(),
                },
                RowVerdict::NoAnswer | RowVerdict::Cancelled => error(),
            };
            TestCase {
                name: format!("{} {}", row.method_label(), mask(&row.path)),
                classname: "authorization matrix".into(),
                time_secs,
                result,
            }
        })
        .collect();
    TestSuite {
        name: "Authorization matrix".into(),
        timestamp_unix_ms: started_at_unix_ms,
        cases,
        verdict: mask(&verdict.headline),
    }
}
