//! `export-canary`: the CloudWatch Synthetics canary for these settings and assertions, from
//! the core's generator (`core::canary_export`) — the page's Canary panel calls the same one.

use cognito_api_tester::core::canary_export::{
    export_canary as generate, CanaryOptions, SCRIPT_FILE, TEMPLATE_FILE,
};

use cognito_api_tester::core::run::{SecretBook, SecretKind};

use crate::args::ExportArgs;
use crate::{inputs, Io, CANNOT_JUDGE, PASS};

pub fn export_canary(args: &ExportArgs, io: &mut Io<'_>) -> u8 {
    let resolved = match inputs::resolve(&args.inputs, io) {
        Ok(resolved) => resolved,
        Err(message) => {
            io.err(&format!("error: {message}"));
            return CANNOT_JUDGE;
        }
    };
    for note in &resolved.notes {
        io.err(note);
    }
    let options = CanaryOptions {
        name: args.name.clone(),
        secret_id: args.secret_id.clone(),
        tool_version: cognito_api_tester::VERSION.to_string(),
    };
    // The secret is not needed (the canary reads it from Secrets Manager) and never written: a
    // form holding it (or any token-shaped text) is refused.
    let mut book = SecretBook::new();
    book.add(SecretKind::ClientSecret, &resolved.secret);
    let export = match generate(
        &resolved.settings,
        &resolved.assertions_text,
        &options,
        &resolved.secret,
        &book,
    ) {
        Ok(export) => export,
        Err(e) => {
            io.err(&format!("error: {e}"));
            return CANNOT_JUDGE;
        }
    };
    let script = args.out.join(SCRIPT_FILE);
    let template = args.out.join(TEMPLATE_FILE);
    let written = std::fs::create_dir_all(&args.out)
        .and_then(|()| std::fs::write(&script, &export.script))
        .and_then(|()| std::fs::write(&template, &export.template));
    if let Err(e) = written {
        io.err(&format!(
            "error: {} could not be written ({e}).",
            args.out.display()
        ));
        return CANNOT_JUDGE;
    }
    io.out(&format!(
        "Wrote {} and {}.\nDeploy: aws cloudformation deploy --template-file {} --stack-name {} --capabilities CAPABILITY_IAM\nThe canary reads USER_POOL_CLIENT_SECRET from the Secrets Manager secret {} (the seed's JSON shape).",
        script.display(),
        template.display(),
        template.display(),
        args.name,
        args.secret_id
    ));
    PASS
}
