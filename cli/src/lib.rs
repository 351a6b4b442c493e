//! The command-line runner: the page's checks headless, for CI and as a canary loop. It is a
//! thin native shell over the same core as the page (`cognito_api_tester::core`): the run
//! model, the verdict, the masking, the assertions, the diagnoses, the evidence report.
//!
//! [`run`] takes its arguments and standard streams as values, so the tests drive the very
//! code the binary runs, in process.

mod args;
mod clock;
mod export;
mod http;
mod inputs;
mod matrix;
mod output;
mod runner;
mod signature;

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use cognito_api_tester::core::canary::{
    interval_secs, schedule_reuse_margin, History, IntervalUnit, HISTORY_CAP,
};
use cognito_api_tester::core::junit;
use cognito_api_tester::core::report;
use cognito_api_tester::core::run::{Outcome, SecretBook};

pub use args::Cli;
use args::{Command, RunArgs};

/// Exit codes.
pub const PASS: u8 = 0;
pub const FAIL: u8 = 1;
/// Cannot judge, or the input is unusable.
pub const CANNOT_JUDGE: u8 = 2;

/// The process's streams and environment.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    /// Reads an environment variable.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Standard error is a terminal: show a progress line (never in CI logs).
    pub progress: bool,
}

impl Io<'_> {
    fn read_stdin(&mut self) -> std::io::Result<String> {
        let mut text = String::new();
        self.stdin.read_to_string(&mut text)?;
        Ok(text)
    }

    fn out(&mut self, text: &str) {
        // A closed pipe (`| head`) is not worth a panic or an error code of its own.
        let _ = writeln!(self.stdout, "{text}");
    }

    fn err(&mut self, text: &str) {
        let _ = writeln!(self.stderr, "{text}");
    }

    fn progress(&mut self, text: &str) {
        if self.progress {
            let _ = write!(self.stderr, "\r\x1b[2K{text}");
            let _ = self.stderr.flush();
        }
    }

    fn clear_progress(&mut self) {
        self.progress("");
    }
}

/// Runs the command line `args` (the first is the program name); returns the exit code.
pub async fn run(args: Vec<String>, io: &mut Io<'_>) -> u8 {
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { CANNOT_JUDGE } else { PASS };
            let text = e.render().to_string();
            let text = if e.use_stderr() {
                without_values(&text, &args)
            } else {
                text
            };
            if e.use_stderr() {
                io.err(text.trim_end());
            } else {
                io.out(text.trim_end());
            }
            return code;
        }
    };
    match cli.command {
        Command::Run(args) => run_checks(&args, io).await,
        Command::Matrix(args) => matrix::run_matrix(&args, io).await,
        Command::ExportCanary(args) => export::export_canary(&args, io),
    }
}

async fn run_checks(args: &RunArgs, io: &mut Io<'_>) -> u8 {
    let resolved = match inputs::resolve(&args.inputs, io) {
        Ok(resolved) => resolved,
        Err(message) => {
            io.err(&format!("error: {message}"));
            return CANNOT_JUDGE;
        }
    };
    let report = match report_target(&args.report) {
        Ok(report) => report,
        Err(message) => {
            io.err(&format!("error: {message}"));
            return CANNOT_JUDGE;
        }
    };
    let every = match args.every.as_deref().map(parse_interval).transpose() {
        Ok(every) => every,
        Err(message) => {
            io.err(&format!("error: --every: {message}"));
            return CANNOT_JUDGE;
        }
    };
    if args.count == Some(0) {
        io.err("error: --count 0 would run nothing: give 1 or more.");
        return CANNOT_JUDGE;
    }
    for note in &resolved.notes {
        io.err(note);
    }
    if resolved.secret.is_empty() {
        io.err(&format!(
            "error: {}",
            no_secret_message(&args.inputs.secret_env)
        ));
        return CANNOT_JUDGE;
    }
    let client = match http::client() {
        Ok(client) => client,
        Err(message) => {
            io.err(&format!("error: {message}"));
            return CANNOT_JUDGE;
        }
    };
    let mut session = runner::Session::new(client, args.negative);
    let mut history = History::default();
    let mut suites: VecDeque<junit::TestSuite> = VecDeque::new();
    let mut worst = PASS;
    let total = match every {
        None => Some(1),
        Some(_) => args.count,
    };
    let mut number = 0usize;
    loop {
        number = number.saturating_add(1);
        let begun = Instant::now();
        let margin = match every {
            // The Canary panel's rule: keep the token valid until the next run starts.
            Some(secs) => schedule_reuse_margin(session.held(), secs),
            // One run holds no token before it; the margin decides nothing.
            None => 0,
        };
        io.progress(&match total {
            Some(n) if n > 1 => format!("Run {number} of {n}…"),
            _ => format!("Run {number}…"),
        });
        let out = session
            .run(
                &resolved.settings,
                &resolved.secret,
                &resolved.assertions_text,
                margin,
            )
            .await;
        io.clear_progress();
        let shown = every.map(|_| number);
        let text = output::describe(&out, shown, &session.book);
        io.out(&text);
        worst = worse(worst, code_for(out.outcome()));
        history.push(runner::record(&out, &session.book));
        while suites.len() >= HISTORY_CAP {
            suites.pop_front();
        }
        suites.push_back(runner::junit_suite(&out, number, &session.book));
        // Files are rewritten after every run: an interrupted schedule still leaves them.
        if let Err(message) =
            write_files(&report, args.junit.as_ref(), &out, &suites, &session.book)
        {
            io.err(&format!("error: {}", session.book.mask_all(&message)));
            // A run that failed stays a failure (1), however the file went.
            return worse(worst, CANNOT_JUDGE);
        }
        let Some(secs) = every else { break };
        if total.is_some_and(|n| number >= n as usize) {
            break;
        }
        let due = begun + Duration::from_secs(u64::from(secs));
        loop {
            let now = Instant::now();
            if now >= due {
                break;
            }
            let left = due - now;
            io.progress(&format!(
                "{} runs, {} — next run in {} s (Ctrl-C stops)",
                history.len(),
                summary_rate(&history),
                left.as_secs().saturating_add(1)
            ));
            tokio::time::sleep(left.min(Duration::from_secs(1))).await;
        }
        io.clear_progress();
    }
    if every.is_some() {
        io.out(&format!(
            "{} runs, {}.",
            history.len(),
            summary_rate(&history)
        ));
    }
    worst
}

/// What to do when no client secret was given.
fn no_secret_message(secret_env: &str) -> String {
    format!(
        "no client secret. Set {} (or name another variable with --secret-env), pipe it with --secret-stdin, or give the seed's Secrets Manager JSON with --secrets-json.",
        variable(secret_env)
    )
}

/// `$NAME` for the variable --secret-env names, when it is spelled like one. `--secret-env
/// "$COGNITO_CLIENT_SECRET"` (the value where its name belongs) is an easy slip, and the
/// message would print the secret: a Cognito client secret is lower-case letters and digits,
/// which is also a valid variable name, so only a name without lower-case letters is repeated.
fn variable(secret_env: &str) -> String {
    let mut chars = secret_env.chars();
    let named = chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && secret_env.len() <= 64;
    if named {
        format!("${secret_env}")
    } else {
        "the variable --secret-env names (its text is not repeated: it is no variable's name, and could be the secret itself)".to_owned()
    }
}

/// Clap's message with every value given on the command line left out: no flag takes a secret,
/// so one there is a slip (`run "$SECRET"`, `--secret-stdin=$SECRET`), and clap quotes what it
/// could not place. Flags' names and clap's own words stay.
fn without_values(message: &str, args: &[String]) -> String {
    let mut values: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|arg| match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => value,
            _ if arg.starts_with('-') && !arg.contains(' ') => "",
            _ => arg.as_str(),
        })
        // Secrets are long (a Cognito client secret has 51 characters); short values are left,
        // so clap's own words (`json`, `GET`) and the subcommand's name read as they should.
        .filter(|value| value.len() >= 8 && *value != "export-canary")
        .collect();
    // The longest first, so a value inside another is not left half-replaced.
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values.iter().fold(message.to_owned(), |text, value| {
        text.replace(value, cognito_api_tester::core::exchange::REDACTED)
    })
}

fn summary_rate(history: &History) -> String {
    history
        .passed_summary()
        .unwrap_or_else(|| "none judged".to_owned())
}

/// The exit code of one outcome.
pub fn code_for(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Pass | Outcome::TokenObtained => PASS,
        Outcome::Fail | Outcome::SecurityFinding => FAIL,
        Outcome::CannotJudge | Outcome::Cancelled | Outcome::Skipped => CANNOT_JUDGE,
    }
}

/// Over several runs: a failure outweighs a run that could not be judged.
fn worse(a: u8, b: u8) -> u8 {
    match (a, b) {
        (FAIL, _) | (_, FAIL) => FAIL,
        (CANNOT_JUDGE, _) | (_, CANNOT_JUDGE) => CANNOT_JUDGE,
        _ => PASS,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReportFormat {
    Markdown,
    Json,
}

fn report_target(values: &[String]) -> Result<Option<(ReportFormat, PathBuf)>, String> {
    match values {
        [] => Ok(None),
        [format, file] => {
            let format = match format.to_ascii_lowercase().as_str() {
                "md" | "markdown" => ReportFormat::Markdown,
                "json" => ReportFormat::Json,
                other => {
                    return Err(format!(
                        "--report {other}: the format is md or json (--report md FILE)."
                    ))
                }
            };
            Ok(Some((format, PathBuf::from(file))))
        }
        _ => Err(
            "--report takes a format and a file: --report md FILE or --report json FILE.".into(),
        ),
    }
}

/// "60s", "5m", "1h" or a number of seconds; 1 s to 24 h, as the Canary panel allows.
pub fn parse_interval(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: u32 = number
        .parse()
        .map_err(|_| format!("{text:?} is not an interval: write 60s, 5m or 1h."))?;
    let (value, unit) = match unit.trim() {
        "" | "s" | "sec" | "secs" => (value, IntervalUnit::Seconds),
        "m" | "min" | "mins" => (value, IntervalUnit::Minutes),
        "h" => (value.saturating_mul(60), IntervalUnit::Minutes),
        other => {
            return Err(format!(
                "the unit {other:?} is not known: write 60s, 5m or 1h."
            ))
        }
    };
    interval_secs(value, unit).map_err(|e| e.to_string())
}

fn write_files(
    report: &Option<(ReportFormat, PathBuf)>,
    junit_path: Option<&PathBuf>,
    out: &runner::RunOutput,
    suites: &VecDeque<junit::TestSuite>,
    book: &SecretBook,
) -> Result<(), String> {
    if let Some(target) = report {
        write_report(target, &runner::evidence(out, book))?;
    }
    if let Some(path) = junit_path {
        let suites: Vec<junit::TestSuite> = suites.iter().cloned().collect();
        write(path, &junit::to_xml(&suites), "--junit")?;
    }
    Ok(())
}

/// Writes the evidence report in the format `--report` asked for.
fn write_report(
    (format, path): &(ReportFormat, PathBuf),
    evidence: &report::Evidence,
) -> Result<(), String> {
    let text = match format {
        ReportFormat::Markdown => report::to_markdown(evidence),
        ReportFormat::Json => report::to_json(evidence),
    };
    write(path, &text, "--report")
}

fn write(path: &PathBuf, text: &str, flag: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| {
        format!(
            "{flag} {}: the file could not be written ({e}).",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn intervals_read_as_the_canary_panel_allows() {
        assert_eq!(parse_interval("60s"), Ok(60));
        assert_eq!(parse_interval("90"), Ok(90));
        assert_eq!(parse_interval("5m"), Ok(300));
        assert_eq!(parse_interval("1h"), Ok(3600));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("25h").is_err());
        assert!(parse_interval("1d").unwrap_err().contains("60s, 5m or 1h"));
        assert!(parse_interval("soon").is_err());
    }

    #[test]
    fn a_failure_outweighs_a_run_that_could_not_be_judged() {
        assert_eq!(worse(PASS, CANNOT_JUDGE), CANNOT_JUDGE);
        assert_eq!(worse(CANNOT_JUDGE, FAIL), FAIL);
        assert_eq!(worse(FAIL, PASS), FAIL);
        assert_eq!(code_for(Outcome::SecurityFinding), FAIL);
        assert_eq!(code_for(Outcome::Pass), PASS);
    }
}
