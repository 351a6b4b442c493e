//! `cognito-api-tester`: see the crate docs and `--help`.

use std::io::IsTerminal;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let stdin = std::io::stdin();
    let mut stdin = stdin.lock();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    let progress = stderr.is_terminal();
    let env = |name: &str| std::env::var(name).ok();
    let mut io = cognito_api_tester_cli::Io {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
        env: &env,
        progress,
    };
    let code = cognito_api_tester_cli::run(std::env::args().collect(), &mut io).await;
    ExitCode::from(code)
}
