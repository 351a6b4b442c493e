//! First load: what the browser downloads before the form is drawn — every html, js, wasm and css
//! file of dist/ but the panels' wasm parts — raw and compressed with `gzip -9` (as
//! tools/dist-report.sh counts it); the parts, fetched once the form is drawn, on a row of their own.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::{kb, Met, Row, Section};
use crate::{Context, Res};

pub const BUDGET_GZIP_BYTES: u64 = 150 * 1024;

fn files(dir: &Path, out: &mut Vec<PathBuf>) -> Res<()> {
    for entry in std::fs::read_dir(dir).context(&format!("reading {}", dir.display()))? {
        let path = entry.context("reading dist/")?.path();
        // Trunk stages a build in dist/.stage/; it is not part of what is served.
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn gzip9_len(path: &Path) -> Res<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("running gzip")?;
    if !out.status.success() {
        return Err(format!("gzip -9 failed on {}", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

pub fn first_load(dist: &Path) -> Res<Section> {
    let mut all = Vec::new();
    files(dist, &mut all)?;
    all.sort();
    let mut details = String::from("| file | bytes | gzip -9 |\n|---|---:|---:|\n");
    let (mut raw, mut gz) = (0u64, 0u64);
    let (mut parts_raw, mut parts_gz, mut parts) = (0u64, 0u64, 0usize);
    for path in &all {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "js" | "wasm" | "css") {
            continue;
        }
        let bytes = std::fs::metadata(path)
            .context("reading a file size")?
            .len();
        let zipped = gzip9_len(path)?;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        // src/ui/parts.rs: fetched by the split loader once the form is drawn.
        if name.starts_with("part-") && ext == "wasm" {
            parts_raw += bytes;
            parts_gz += zipped;
            parts += 1;
            continue;
        }
        raw += bytes;
        gz += zipped;
        details.push_str(&format!("| {name} | {bytes} | {zipped} |\n"));
    }
    details.push_str(&format!("| **first load** | **{raw}** | **{gz}** |\n"));
    details.push_str(&format!(
        "| the panels' parts ({parts} `part-*.wasm` files), after the form | {parts_raw} | {parts_gz} |\n"
    ));
    Ok(Section {
        title: "First load".into(),
        rows: vec![
            Row::new(
                "First load: html + js + wasm + css of dist/ before the form, gzip -9",
                format!("{} gzip ({} raw)", kb(gz as f64), kb(raw as f64)),
                "≤ 150 KB gzip",
                Met::from(gz <= BUDGET_GZIP_BYTES),
            ),
            Row::new(
                "The panels' wasm parts, fetched once the form is drawn, gzip -9",
                format!("{} gzip in {parts} files", kb(parts_gz as f64)),
                "—",
                Met::NoTarget,
            ),
        ],
        method:
            "Every `.html`, `.js`, `.wasm` and `.css` file of the release `dist/`, each compressed \
                 with `gzip -9` (what a server or CDN sends with `Content-Encoding: gzip`; Brotli \
                 would be smaller), but the panels' wasm parts (`part-*.wasm`): nothing else is \
                 fetched before the form is usable. The parts (the side column's sign-in, tools and \
                 proxy setup, the report buttons, the matrix, the canary) start loading once the \
                 form is drawn; their sum is the second row."
                .into(),
        details,
    })
}
