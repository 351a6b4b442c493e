//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "cognito-api-tester",
    version,
    about = "Prove that an API protected by an Amazon Cognito user pool works: a client-credentials token, the API call with it, the verdict.",
    after_help = "Exit codes: 0 every run passed; 1 a run failed (or a security finding); 2 a run could not be judged, or the input is unusable.\nThe client secret comes from $COGNITO_CLIENT_SECRET (see --secret-env), standard input (--secret-stdin) or the seed's Secrets Manager JSON (--secrets-json); it never appears in the output, reports or errors."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Get a token, call the API, judge the answer (once, or every --every).
    Run(RunArgs),
    /// Test every method of the API from its API Gateway export: one token, each method called with
    /// it, each answer judged against what its authorizer must do (the page's Authorization matrix).
    Matrix(MatrixArgs),
    /// Write a CloudWatch Synthetics canary (Node.js script and CloudFormation template) for these settings and assertions.
    ExportCanary(ExportArgs),
}

/// Where the settings, secret and assertions come from (shared by `run` and `export-canary`).
#[derive(Args, Debug, Default)]
pub struct Inputs {
    /// Settings exported by the page: a profile JSON, the profiles list (with --profile), a share
    /// link (or its #s=… fragment) or the shared settings JSON. "-" reads standard input.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// The profile to take from a profiles list.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The seed's Secrets Manager JSON (USER_POOL_CLIENT_ID, USER_POOL_CLIENT_SECRET, USER_POOL_DOMAIN,
    /// USER_POOL_SCOPE, APIGW_URL), or `aws secretsmanager get-secret-value` output. "-" reads standard input.
    #[arg(long, value_name = "FILE")]
    pub secrets_json: Option<PathBuf>,
    #[arg(long)]
    pub client_id: Option<String>,
    /// The Cognito domain: a prefix (with --region), a full host, or a token URL.
    #[arg(long)]
    pub domain: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    /// Space-separated scopes, e.g. demo/example.
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub api_url: Option<String>,
    /// GET, POST, PUT, PATCH or DELETE.
    #[arg(long)]
    pub method: Option<String>,
    /// The API request body (POST, PUT, PATCH).
    #[arg(long)]
    pub body: Option<String>,
    /// An extra API header, "Name: value"; repeat for more (replaces the settings' headers).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// An extra header whose value is secret (masked everywhere); repeat for more.
    #[arg(long = "secret-header", value_name = "NAME")]
    pub secret_headers: Vec<String>,
    /// How the client authenticates at the token endpoint.
    #[arg(long, value_enum)]
    pub client_auth: Option<AuthArg>,
    /// Seconds a request may take (1 to 300).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u32>,
    /// Where the signing keys come from: a JWKS URL or JSON (default: the token issuer's).
    #[arg(long)]
    pub jwks: Option<String>,
    /// The environment variable that holds the client secret.
    #[arg(long, value_name = "NAME", default_value = "COGNITO_CLIENT_SECRET")]
    pub secret_env: String,
    /// Read the client secret from standard input (its first line).
    #[arg(long)]
    pub secret_stdin: bool,
    /// An assertion line, as in the page: "status 200", "length 3", "pointer /0/type == \"dog\"",
    /// "contains fish", "latency < 500"; repeat for more. Default: the page's, status 2xx and json.
    #[arg(long = "assert", value_name = "LINE")]
    pub assertions: Vec<String>,
    /// A file of assertion lines (one per line), as the page's Assertions box holds them.
    #[arg(long, value_name = "FILE")]
    pub assertions_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Also send the negative checks (no token, altered signature, altered payload, Basic
    /// scheme): each must be refused with 401 or 403; a 2xx is a security finding.
    #[arg(long)]
    pub negative: bool,
    /// Write the evidence report of the last run, as the page's Download report does:
    /// `--report md FILE` or `--report json FILE`.
    #[arg(long, num_args = 2, value_names = ["md|json", "FILE"])]
    pub report: Vec<String>,
    /// Write JUnit XML (one test case per step, assertion and negative check; one suite per run).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Run again at this interval, as the Canary panel's schedule: 60s, 5m, 1h (1 s to 24 h).
    #[arg(long, value_name = "INTERVAL")]
    pub every: Option<String>,
    /// With --every: stop after this many runs (default: until interrupted).
    #[arg(long, value_name = "N", requires = "every")]
    pub count: Option<u32>,
}

#[derive(Args, Debug)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The API's export, as `aws apigateway get-export --export-type oas30 (or swagger)
    /// --parameters extensions='authorizers'` writes it. "-" reads standard input.
    #[arg(long, value_name = "FILE")]
    pub export: PathBuf,
    /// Where the methods are called (default: the export's server, else --api-url's).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// A path parameter's value, for every method that has it: --param id=1 (default: the
    /// export's example). Repeat for more.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Also call the methods that change data (POST, PUT, PATCH, DELETE): they can create, change
    /// or delete data. Without it they are listed as not run.
    #[arg(long)]
    pub include_changes: bool,
    /// Also call each protected method without a token and with an altered signature: each must
    /// be refused; a 2xx is a security finding.
    #[arg(long)]
    pub negative: bool,
    /// Write the table as CSV (the page's Download CSV).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write the table as JSON (the page's Download JSON).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write JUnit XML: one test case per method.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the evidence report (the token request, its checks, the matrix's verdict and rows), as
    /// the page's Download report does after Run matrix: `--report md FILE` or `--report json FILE`.
    #[arg(long, num_args = 2, value_names = ["md|json", "FILE"])]
    pub report: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The directory to write canary.js and canary.yaml into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "canary")]
    pub out: PathBuf,
    /// The Secrets Manager secret (name or ARN) the canary reads, in the seed's JSON shape.
    #[arg(long, value_name = "NAME", default_value = "cognito-api-tester/canary")]
    pub secret_id: String,
    /// The canary's name (lower case letters, digits, - and _; at most 255 characters).
    #[arg(long, value_name = "NAME", default_value = "cognito-api-check")]
    pub name: String,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AuthArg {
    /// client_id and client_secret in the form body (client_secret_post).
    Post,
    /// HTTP Basic header (client_secret_basic).
    Basic,
}
