//! `export-canary`: the CloudWatch Synthetics canary for these settings and assertions.

use crate::args::ExportArgs;
use crate::{Io, CANNOT_JUDGE};

pub fn export_canary(_args: &ExportArgs, io: &mut Io<'_>) -> u8 {
    io.err("error: export-canary is not built yet.");
    CANNOT_JUDGE
}
