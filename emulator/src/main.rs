//! `cognito-emulator`: runs the emulator until Ctrl-C. See `emulator/README.md`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use cognito_emulator::{Config, CorsMode};

/// A local stand-in for an Amazon Cognito token endpoint, its JWKS and an API Gateway REST API with a
/// Cognito authorizer. Flags override the configuration file.
#[derive(Debug, Parser)]
#[command(name = "cognito-emulator", version, about)]
struct Cli {
    /// TOML configuration file (default: the built-in demo scenario, see emulator/demo.toml).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// IP address to listen on [default: 127.0.0.1].
    #[arg(long, value_name = "IP")]
    bind: Option<IpAddr>,
    /// Port to listen on; 0 picks a free one [default: 9090].
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// The origin clients use to reach the emulator (also the base of the token issuer).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// CORS of the API: full, none or success-only [default: full].
    #[arg(long, value_name = "MODE")]
    cors: Option<CorsMode>,
    /// Access-token validity in seconds for every client (e.g. 3 to watch tokens expire).
    #[arg(long, value_name = "SECS")]
    token_validity: Option<u64>,
    /// PKCS#8 PEM RSA private key to sign with (default: a new 2048-bit key per start).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// Serve this folder as a static site on a second listener.
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Port of the static site [default: 8080].
    #[arg(long, value_name = "N")]
    static_port: Option<u16>,
}

fn build_config(cli: Cli) -> Result<Config, String> {
    let mut config = match &cli.config {
        Some(path) => Config::load(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if let Some(bind) = cli.bind {
        config.bind = bind;
    }
    if let Some(port) = cli.port {
        config.port = port;
    }
    if let Some(url) = cli.public_url {
        config.public_url = Some(url.trim_end_matches('/').to_string());
    }
    if let Some(cors) = cli.cors {
        config.cors = cors;
    }
    if let Some(v) = cli.token_validity {
        config.token_validity = Some(v);
    }
    if let Some(path) = cli.key {
        let pem = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read key file {}: {e}", path.display()))?;
        config.key_pem = Some(pem);
    }
    if let Some(dir) = cli.static_dir {
        config.static_dir = Some(dir);
    }
    if let Some(port) = cli.static_port {
        if config.static_dir.is_none() {
            return Err("--static-port needs --static DIR".into());
        }
        config.static_port = port;
    }
    Ok(config)
}

async fn run(config: Config) -> Result<(), String> {
    let running = cognito_emulator::start(config)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(warning) = running.exposure_warning() {
        // Also on stderr, where it stands out from the banner and survives `> log`.
        eprintln!("cognito-emulator: {warning}");
    }
    println!("{}", running.banner());
    println!("Press Ctrl-C to stop.");
    let stopped = tokio::signal::ctrl_c().await;
    running.shutdown().await;
    stopped.map_err(|e| format!("cannot wait for Ctrl-C: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match build_config(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cognito-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
