//! The table, and bench/RESULTS.md: date, machine, browser, the table, how each figure was
//! measured, the details behind it and the limitations.

use std::process::Command;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Met {
    Yes,
    No,
    /// No target was set for this figure; it is reported for reference.
    NoTarget,
    /// The measurement itself failed.
    Failed,
}

impl Met {
    pub fn from(ok: bool) -> Met {
        if ok {
            Met::Yes
        } else {
            Met::No
        }
    }

    fn text(self) -> &'static str {
        match self {
            Met::Yes => "yes",
            Met::No => "**no**",
            Met::NoTarget => "—",
            Met::Failed => "**failed**",
        }
    }
}

pub struct Row {
    pub measure: String,
    pub value: String,
    pub target: String,
    pub met: Met,
}

impl Row {
    pub fn new(measure: &str, value: String, target: &str, met: Met) -> Row {
        Row {
            measure: measure.to_string(),
            value,
            target: target.to_string(),
            met,
        }
    }
}

/// One part of the bench: its table rows, and Markdown explaining them.
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
    /// How it was measured (Markdown).
    pub method: String,
    /// Raw figures behind the rows (Markdown).
    pub details: String,
}

impl Section {
    pub fn failed(title: &str, error: &str) -> Section {
        Section {
            title: title.to_string(),
            rows: vec![Row::new(
                title,
                format!("failed: {}", error.replace('|', "/").replace('\n', " ")),
                "",
                Met::Failed,
            )],
            method: String::new(),
            details: String::new(),
        }
    }

    pub fn has_failure(&self) -> bool {
        self.rows.iter().any(|r| r.met == Met::Failed)
    }
}

/// Where the figures were taken.
pub struct Machine {
    pub date: String,
    pub nproc: String,
    pub cpu: String,
    pub chromium: String,
    pub load_at_start: String,
}

fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".into())
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

impl Machine {
    pub fn read() -> Machine {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        Machine {
            date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            nproc: command_line("nproc", &[]),
            cpu,
            chromium: command_line("/usr/bin/chromium", &["--version"]),
            load_at_start: load_average(),
        }
    }
}

/// The one table: measure, value, target, met?
pub fn table(sections: &[Section]) -> String {
    let mut out = String::from("| measure | value | target | met? |\n|---|---|---|---|\n");
    for row in sections.iter().flat_map(|s| &s.rows) {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.measure,
            row.value,
            row.target,
            row.met.text()
        ));
    }
    out
}

pub fn results_markdown(machine: &Machine, sections: &[Section], elapsed: Duration) -> String {
    let mut out = format!(
        "# Benchmark results\n\n\
         Written by `make bench` (bench/src/main.rs) on {date}. Machine: {nproc} CPU cores ({cpu}), \
         load average {load_start} at the start and {load_end} at the end (other builds may share \
         the machine: the figures are what this machine did then, not a lab result). Browser: \
         {chromium}, headless, driven by chromedriver; the emulator runs in the bench process \
         (optimised build) on 127.0.0.1. Measuring took {secs:.0} s.\n\n",
        date = machine.date,
        nproc = machine.nproc,
        cpu = machine.cpu,
        load_start = machine.load_at_start,
        load_end = load_average(),
        chromium = machine.chromium,
        secs = elapsed.as_secs_f64(),
    );
    out.push_str(&table(sections));
    out.push_str(
        "\n\"—\": no target was set for this figure. KB = 1,024 bytes; ms are the page's own \
         `performance.now()` clock unless said otherwise.\n\n## How each figure is measured\n",
    );
    for section in sections.iter().filter(|s| !s.method.is_empty()) {
        out.push_str(&format!("\n### {}\n\n{}\n", section.title, section.method));
        if !section.details.is_empty() {
            out.push_str(&format!("\n{}\n", section.details));
        }
    }
    // The size breakdown is twiggy's (`make size-report`), written beside this file.
    let breakdown = concat!(env!("CARGO_MANIFEST_DIR"), "/size-breakdown.md");
    if let Ok(bytes) = std::fs::read(breakdown) {
        let text = String::from_utf8_lossy(&bytes);
        out.push_str(&format!(
            "\n## Where the bytes are\n\nbench/size-breakdown.md, as `make size-report` last wrote it:\n\n{text}"
        ));
    }
    // How small the first load can get with the form on screen (`make first-screen-floor`).
    let floor = concat!(env!("CARGO_MANIFEST_DIR"), "/first-screen-floor.md");
    if let Ok(bytes) = std::fs::read(floor) {
        let text = String::from_utf8_lossy(&bytes);
        out.push_str(&format!(
            "\n## The smallest first load with the form on screen\n\nbench/first-screen-floor.md, as `make first-screen-floor` last wrote it:\n\n{text}"
        ));
    }
    out.push_str(&format!(
        "\n## Browser flags\n\nThose of tests/e2e/src/lib.rs plus `--enable-precise-memory-info`: `{}`.\n",
        crate::browser::CHROMIUM_ARGS.join(" ")
    ));
    out
}

/// "123.4 ms"
pub fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

/// Bytes as KB (1,024) with one decimal.
pub fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / 1024.0)
}

/// Bytes as MB (1,048,576) with two decimals.
pub fn mb(bytes: f64) -> String {
    format!("{:.2} MB", bytes / 1_048_576.0)
}
