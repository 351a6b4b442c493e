//! First load: what the browser downloads before the app runs — every html, js, wasm and css
//! file of dist/ — raw and compressed with `gzip -9` (as tools/dist-report.sh counts it).

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
    for path in &all {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "js" | "wasm" | "css") {
            continue;
        }
        let bytes = std::fs::metadata(path)
            .context("reading a file size")?
            .len();
        let zipped = gzip9_len(path)?;
        raw += bytes;
        gz += zipped;
        let name = path
            .strip_prefix(dist)
            .unwrap_or(path)
            .display()
            .to_string();
        details.push_str(&format!("| {name} | {bytes} | {zipped} |\n"));
    }
    details.push_str(&format!("| **total** | **{raw}** | **{gz}** |\n"));
    Ok(Section {
        title: "First load".into(),
        rows: vec![Row::new(
            "First load: html + js + wasm + css of dist/, gzip -9",
            format!("{} gzip ({} raw)", kb(gz as f64), kb(raw as f64)),
            "≤ 150 KB gzip",
            Met::from(gz <= BUDGET_GZIP_BYTES),
        )],
        method:
            "Every `.html`, `.js`, `.wasm` and `.css` file of the release `dist/`, each compressed \
                 with `gzip -9` (what a server or CDN sends with `Content-Encoding: gzip`; Brotli \
                 would be smaller). Nothing else is fetched before the form is usable."
                .into(),
        details,
    })
}
