//! The canary's per-method history: for each row key (`METHOD path`, the path as in the export),
//! the newest outcomes of scheduled matrix runs and how many were as expected, unexpected
//! denials, security findings or something else. Capped like the run history.

use std::collections::VecDeque;

use serde_json::json;

use super::verdict::{MatrixRow, RowVerdict};
use crate::core::canary::HISTORY_CAP;

/// One method's track: its newest outcomes, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowTrack {
    /// `GET /pets/{id}`: the method and the path as the export names it (no filled values).
    pub key: String,
    outcomes: VecDeque<RowVerdict>,
}

/// How a method's kept outcomes split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub as_expected: usize,
    pub unexpected_denial: usize,
    pub security_finding: usize,
    /// Cannot judge, no answer, cancelled, not run.
    pub other: usize,
}

impl RowCounts {
    pub fn runs(&self) -> usize {
        self.as_expected + self.unexpected_denial + self.security_finding + self.other
    }
}

impl RowTrack {
    pub fn counts(&self) -> RowCounts {
        let mut counts = RowCounts::default();
        for outcome in &self.outcomes {
            match outcome {
                RowVerdict::AsExpected => counts.as_expected += 1,
                RowVerdict::UnexpectedDenial => counts.unexpected_denial += 1,
                RowVerdict::SecurityFinding => counts.security_finding += 1,
                _ => counts.other += 1,
            }
        }
        counts
    }

    /// The newest outcome, if any.
    pub fn last(&self) -> Option<RowVerdict> {
        self.outcomes.back().copied()
    }

    /// Outcomes kept, oldest first.
    pub fn outcomes(&self) -> impl Iterator<Item = RowVerdict> + '_ {
        self.outcomes.iter().copied()
    }
}

/// Every method seen by a scheduled matrix run, in the order first seen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowHistory {
    tracks: Vec<RowTrack>,
}

/// The row key: method and the export's path.
pub fn row_key(row: &MatrixRow) -> String {
    format!("{} {}", row.operation.method, row.operation.path)
}

impl RowHistory {
    /// Adds one matrix run's rows; each method keeps its newest [`HISTORY_CAP`] outcomes.
    pub fn push(&mut self, rows: &[MatrixRow]) {
        for row in rows {
            let key = row_key(row);
            let index = match self.tracks.iter().position(|t| t.key == key) {
                Some(i) => i,
                None => {
                    self.tracks.push(RowTrack {
                        key,
                        outcomes: VecDeque::new(),
                    });
                    self.tracks.len() - 1
                }
            };
            if let Some(track) = self.tracks.get_mut(index) {
                while track.outcomes.len() >= HISTORY_CAP {
                    track.outcomes.pop_front();
                }
                track.outcomes.push_back(row.overall());
            }
        }
    }

    pub fn tracks(&self) -> &[RowTrack] {
        &self.tracks
    }

    pub fn is_empty(&self) -> bool {
        self.tracks.is_empty()
    }

    pub fn clear(&mut self) {
        self.tracks.clear();
    }

    /// The per-method section of the canary CSV (a header line first); every key through `mask`.
    pub fn to_csv(&self, mask: &dyn Fn(&str) -> String) -> String {
        let mut out = String::from(
            "method_path,runs,as_expected,unexpected_denial,security_finding,other,last_outcome\r\n",
        );
        for track in &self.tracks {
            let c = track.counts();
            let key = mask(&track.key);
            let key = if key.contains([',', '"', '\r', '\n']) {
                format!("\"{}\"", key.replace('"', "\"\""))
            } else {
                key
            };
            out.push_str(&format!(
                "{key},{},{},{},{},{},{}\r\n",
                c.runs(),
                c.as_expected,
                c.unexpected_denial,
                c.security_finding,
                c.other,
                track.last().map(RowVerdict::label).unwrap_or_default()
            ));
        }
        out
    }

    /// The per-method section of the canary JSON: one object per method, outcomes oldest first.
    pub fn to_json_value(&self, mask: &dyn Fn(&str) -> String) -> serde_json::Value {
        let tracks: Vec<_> = self
            .tracks
            .iter()
            .map(|t| {
                let c = t.counts();
                json!({
                    "method_path": mask(&t.key),
                    "runs": c.runs(),
                    "as_expected": c.as_expected,
                    "unexpected_denial": c.unexpected_denial,
                    "security_finding": c.security_finding,
                    "other": c.other,
                    "outcomes": t.outcomes().map(RowVerdict::label).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::Value::Array(tracks)
    }
}

/// The canary's CSV: the runs, and — after a blank line — the per-method table when the
/// schedule ran the matrix.
pub fn canary_csv(runs_csv: String, rows: &RowHistory, mask: &dyn Fn(&str) -> String) -> String {
    if rows.is_empty() {
        return runs_csv;
    }
    format!("{runs_csv}\r\n{}", rows.to_csv(mask))
}

/// The canary's JSON: the runs array as before; with per-method history,
/// `{"runs": [...], "per_method": [...]}`.
pub fn canary_json(runs_json: &str, rows: &RowHistory, mask: &dyn Fn(&str) -> String) -> String {
    if rows.is_empty() {
        return runs_json.to_owned();
    }
    let runs: serde_json::Value =
        serde_json::from_str(runs_json).unwrap_or(serde_json::Value::Array(Vec::new()));
    serde_json::to_string_pretty(&json!({ "runs": runs, "per_method": rows.to_json_value(mask) }))
        .unwrap_or_default()
}
