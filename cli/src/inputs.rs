//! The run's inputs: settings from the page's exports and flags, the secret from the
//! environment, standard input or the seed's Secrets Manager JSON, and the assertion lines.
//! Every error names what to fix and never repeats a value that may hold the secret.

use std::path::Path;

use cognito_api_tester::core::assertions::{default_assertions, to_lines};
use cognito_api_tester::core::import::parse_import;
use cognito_api_tester::core::profiles::{Profile, Profiles};
use cognito_api_tester::core::run::Secret;
use cognito_api_tester::core::settings::{HttpMethod, Settings};
use cognito_api_tester::core::share::{self, SharedSettings, SHARE_VERSION};
use cognito_api_tester::core::token::ClientAuth;
use serde_json::Value;

use crate::args::{AuthArg, Inputs};
use crate::Io;

/// What a run starts from.
pub struct Resolved {
    pub settings: Settings,
    pub secret: Secret,
    /// The assertion lines as the page's box would hold them (parsed by the run snapshot).
    pub assertions_text: String,
    /// Lines for the user about how the inputs were read (never a value).
    pub notes: Vec<String>,
}

/// Reads every input. Err: a message for standard error (exit code 2).
pub fn resolve(inputs: &Inputs, io: &mut Io) -> Result<Resolved, String> {
    let stdin_users = [
        inputs.settings.as_deref().is_some_and(is_stdin),
        inputs.secrets_json.as_deref().is_some_and(is_stdin),
        inputs.secret_stdin,
    ]
    .iter()
    .filter(|u| **u)
    .count();
    if stdin_users > 1 {
        return Err("Only one input can come from standard input: choose one of --settings -, --secrets-json - and --secret-stdin.".into());
    }
    let mut notes = Vec::new();
    let mut settings = match &inputs.settings {
        Some(path) => {
            let text = read(path, "--settings", io)?;
            settings_from_export(&text, inputs.profile.as_deref())?
        }
        None if inputs.profile.is_some() => {
            return Err("--profile needs --settings FILE (the profiles list to pick from).".into())
        }
        None => Settings::default(),
    };
    // The page's proxy routes exist only next to the page; from here, requests go direct.
    if settings.via_proxy {
        settings.via_proxy = false;
        notes.push("The settings use the page's proxy routes; the command line calls the token endpoint and the API directly.".into());
    }
    let mut secret = Secret::default();
    if let Some(path) = &inputs.secrets_json {
        let text = read(path, "--secrets-json", io)?;
        let import = parse_import(&text).map_err(|e| {
            // The import's messages end with a sentence about the page's form.
            let message = e.to_string().replace(" The form was not changed.", "");
            format!("--secrets-json: {message}")
        })?;
        let (next, next_secret, summary) = import.apply(&settings, &secret);
        settings = next;
        secret = next_secret;
        notes.push(format!(
            "Read {} from {}.",
            if summary.filled.is_empty() {
                "nothing".to_owned()
            } else {
                summary.filled.join(", ")
            },
            summary.format
        ));
        notes.extend(summary.warnings.iter().map(|w| format!("Warning: {w}")));
    }
    apply_flags(&mut settings, inputs)?;
    if inputs.secret_stdin {
        let text = io.read_stdin().map_err(|e| format!("Standard input could not be read ({e}): pipe the client secret into it, or set {}.", crate::variable(&inputs.secret_env)))?;
        let line = text.lines().next().unwrap_or_default();
        secret = Secret::new(line);
    } else if secret.is_empty() {
        if let Some(value) = (io.env)(&inputs.secret_env) {
            secret = Secret::new(value);
        }
    }
    let assertions_text = assertion_lines(inputs)?;
    Ok(Resolved {
        settings,
        secret,
        assertions_text,
        notes,
    })
}

pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub(crate) fn read(path: &Path, flag: &str, io: &mut Io) -> Result<String, String> {
    if is_stdin(path) {
        return io
            .read_stdin()
            .map_err(|e| format!("{flag} -: standard input could not be read ({e})."));
    }
    std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{flag} {}: the file could not be read ({e}). Check the path.",
            path.display()
        )
    })
}

/// The settings in one of the page's exports: a share link or fragment, the shared settings
/// JSON, one profile, or the profiles list (with `profile` naming the one to use).
pub fn settings_from_export(text: &str, profile: Option<&str>) -> Result<Settings, String> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if !text.starts_with('{') {
        return share::from_fragment(text)
            .map(|s| s.settings())
            .map_err(|e| format!("--settings: {e}"));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("--settings: the file is not JSON (line {}, column {}). Give a profile or shared settings exported by the page, or a share link.", e.line(), e.column())
    })?;
    if value.get("list").is_some() {
        let profiles: Profiles = serde_json::from_value(value)
            .map_err(|e| format!("--settings: the profiles list cannot be read ({e})."))?;
        let names = profiles.names();
        return match profile {
            Some(name) => profiles.load(name).ok_or_else(|| {
                format!(
                    "--profile {name}: no such profile; the file has: {}.",
                    names.join(", ")
                )
            }),
            None if names.len() == 1 => profiles
                .list
                .into_iter()
                .next()
                .map(|p| p.settings)
                .ok_or_else(|| "--settings: the profiles list is empty.".to_owned()),
            None => Err(format!(
                "--settings holds {} profiles: choose one with --profile ({}).",
                names.len(),
                names.join(", ")
            )),
        };
    }
    if value.get("settings").is_some() {
        let profile: Profile = serde_json::from_value(value)
            .map_err(|e| format!("--settings: the profile cannot be read ({e})."))?;
        return Ok(profile.settings);
    }
    if let Some(v) = value.get("v").filter(|v| v.as_u64() != Some(SHARE_VERSION)) {
        return Err(format!("--settings: settings format {v}; this version reads {SHARE_VERSION}. Export them again with this version."));
    }
    let shared: SharedSettings = serde_json::from_value(value)
        .map_err(|e| format!("--settings: the settings cannot be read ({e})."))?;
    Ok(shared.settings())
}

fn apply_flags(settings: &mut Settings, inputs: &Inputs) -> Result<(), String> {
    for (flag, slot) in [
        (&inputs.client_id, &mut settings.client_id),
        (&inputs.domain, &mut settings.domain),
        (&inputs.region, &mut settings.region),
        (&inputs.scope, &mut settings.scope),
        (&inputs.api_url, &mut settings.api_url),
        (&inputs.body, &mut settings.api_body),
        (&inputs.jwks, &mut settings.jwks),
    ] {
        if let Some(value) = flag {
            value.clone_into(slot);
        }
    }
    if let Some(method) = &inputs.method {
        settings.method = HttpMethod::parse(method)
            .ok_or_else(|| format!("--method {method}: use GET, POST, PUT, PATCH or DELETE."))?;
    }
    if !inputs.headers.is_empty() {
        settings.extra_headers = inputs.headers.join("\n");
    }
    settings.secret_headers.extend(
        inputs
            .secret_headers
            .iter()
            .map(|h| h.trim().to_ascii_lowercase()),
    );
    if let Some(auth) = inputs.client_auth {
        settings.client_auth = match auth {
            AuthArg::Post => ClientAuth::SecretInBody,
            AuthArg::Basic => ClientAuth::BasicHeader,
        };
    }
    if let Some(timeout) = inputs.timeout {
        settings.timeout_secs = timeout;
    }
    Ok(())
}

fn assertion_lines(inputs: &Inputs) -> Result<String, String> {
    let mut lines = Vec::new();
    if let Some(path) = &inputs.assertions_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "--assertions-file {}: the file could not be read ({e}).",
                path.display()
            )
        })?;
        lines.push(text);
    }
    lines.extend(inputs.assertions.iter().cloned());
    if lines.is_empty() {
        return Ok(to_lines(&default_assertions()));
    }
    Ok(lines.join("\n"))
}
