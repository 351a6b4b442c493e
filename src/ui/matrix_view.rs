//! The Authorization matrix panel: Import export… (an API Gateway export pasted as JSON), one row
//! per method with its fillable path parameters, the expected outcome for the held token, and —
//! after Run matrix — the actual status, latency and verdict per row. The run itself belongs to
//! the run owner (`AppState::start_matrix`).

use leptos::prelude::*;

use crate::core::jwt;
use crate::core::matrix::{
    expected, parse_export, to_csv, to_json, Actual, ApiDescription, HeldToken as MatrixToken,
    MatrixRow, Probe, RowVerdict,
};
use crate::ui::state::AppState;
use crate::web::files;

/// The held token as the rules read it (None: no token yet).
fn held_token(state: AppState) -> Option<MatrixToken> {
    state.held.with(|h| {
        h.as_ref().and_then(|h| {
            jwt::decode(&h.access_token)
                .claims()
                .map(MatrixToken::from_claims)
        })
    })
}

/// The API URL field without its trailing slash: the base URL when an export names no server.
pub fn api_url_base(state: AppState) -> String {
    state
        .settings
        .with_untracked(|s| s.api_url.trim().trim_end_matches('/').to_owned())
}

#[component]
pub fn MatrixView(state: AppState) -> impl IntoView {
    let import_open = RwSignal::new(false);
    let import_text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let form = state.matrix_form;
    let (api, base_url, params, include_changes, negative) = (
        form.api,
        form.base_url,
        form.params,
        form.include_changes,
        form.negative,
    );
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let busy = move || state.busy.get().is_some();

    let read_export = move |_| match parse_export(&import_text.get_untracked()) {
        Ok(description) => {
            let from = if description.base_url.is_some() {
                "the export"
            } else {
                "the API URL field (the export names no server)"
            };
            message.set(Some((
                true,
                format!(
                    "Read {} methods from {} ({}). Base URL from {from}.",
                    description.operations.len(),
                    description.title.as_deref().unwrap_or("the export"),
                    description.format.label()
                ),
            )));
            form.set(description, api_url_base(state));
            state.matrix.set(None);
            import_text.set(String::new());
            import_open.set(false);
        }
        Err(e) => message.set(Some((false, format!("Nothing was imported. {e}")))),
    };

    let run = move |_| match form.jobs() {
        Ok((base, jobs)) => {
            problem.set(None);
            state.start_matrix(base, jobs);
        }
        Err(why) => problem.set(Some(format!("Not run: {why}"))),
    };

    let download = move |csv: bool| {
        let Some(rows) = state
            .matrix
            .with_untracked(|m| m.as_ref().map(|m| m.finished_rows()))
        else {
            problem.set(Some("Run the matrix first.".into()));
            return;
        };
        let mask = |t: &str| state.mask(t);
        let (text, mime, name) = if csv {
            (to_csv(&rows, &mask), "text/csv", "authorization-matrix.csv")
        } else {
            (
                to_json(&rows, &mask),
                "application/json",
                "authorization-matrix.json",
            )
        };
        problem.set(files::download(name, mime, &text).err());
    };

    view! {
        <div class="actions">
            <button type="button" on:click=move |_| import_open.update(|o| *o = !*o)
                aria-expanded=move || import_open.get().to_string()>"Import export…"</button>
        </div>
        <Show when=move || import_open.get()>
            <div class="field">
                <label for="matrix-export">"API Gateway export (JSON)"</label>
                <textarea id="matrix-export" rows="5" spellcheck="false"
                    placeholder="aws apigateway get-export --rest-api-id <id> --stage-name <stage> --export-type oas30 --parameters extensions='authorizers' --accepts application/json export.json"
                    prop:value=move || import_text.get()
                    on:input:target=move |e| import_text.set(e.target().value())></textarea>
                <button type="button" on:click=read_export>"Read export"</button>
            </div>
        </Show>
        {move || message.get().map(|(ok, m)| view! {
            <p class="matrix-summary" class:issue=!ok role="status">{m}</p>
        })}
        {move || api.get().is_none().then(|| view! {
            <p class="empty">"No API description yet. Import the API's export to test every method's authorization in one run."</p>
        })}
        <Show when=move || api.with(Option::is_some)>
            <div class="field">
                <label for="matrix-base">"Base URL"</label>
                <input id="matrix-base" type="url" spellcheck="false"
                    prop:value=move || base_url.get()
                    on:input:target=move |e| base_url.set(e.target().value()) />
            </div>
            <div class="field check">
                <input id="matrix-changes" type="checkbox"
                    prop:checked=move || include_changes.get() || confirming.get()
                    on:change:target=move |e| {
                        if e.target().checked() {
                            confirming.set(true);
                        } else {
                            confirming.set(false);
                            include_changes.set(false);
                        }
                    } />
                <label for="matrix-changes">"Include methods that change data"</label>
                <p class="hint">"Off: only GET, HEAD and OPTIONS are sent (and ANY, sent as the first of them its path does not define itself)."</p>
            </div>
            <div class="field check">
                <input id="matrix-negative" type="checkbox"
                    prop:checked=move || negative.get()
                    on:change:target=move |e| negative.set(e.target().checked()) />
                <label for="matrix-negative">"Also send each protected method without a token and with an altered signature"</label>
                <p class="hint">"Negative checks: the method's authorizer must refuse both. Methods without an authorizer or with a Lambda authorizer get none."</p>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="group" aria-labelledby="matrix-changes-question">
                    <p id="matrix-changes-question">{move || format!(
                        "Send POST, PUT, PATCH and DELETE requests to {} with the held token? They can create, change or delete data (bodies come from the export's examples).",
                        base_url.get()
                    )}</p>
                    <div class="actions">
                        <button type="button" class="danger" on:click=move |_| {
                            include_changes.set(true);
                            confirming.set(false);
                        }>"Yes, include them"</button>
                        <button type="button" on:click=move |_| confirming.set(false)>"No, safe methods only"</button>
                    </div>
                </div>
            </Show>
            <div class="actions">
                <button type="button" class="primary" on:click=run disabled=busy>"Run matrix"</button>
                <button type="button" class="danger" on:click=move |_| state.cancel() disabled=move || !busy()>"Cancel matrix"</button>
                <button type="button" class="secondary" on:click=move |_| download(true)>"Download matrix (CSV)"</button>
                <button type="button" class="secondary" on:click=move |_| download(false)>"Download matrix (JSON)"</button>
            </div>
            {move || problem.get().map(|p| view! { <p class="issue error">{p}</p> })}
            {move || state.matrix.with(|m| m.as_ref().and_then(|m| m.verdict.clone())).map(|v| view! {
                <p class="matrix-verdict verdict-line" data-outcome=v.outcome.label()
                    class:pass=v.outcome.passed()
                    class:fail=!v.outcome.passed()>{state.mask(&v.headline)}</p>
            })}
            <div class="table-scroll">
            <table class="matrix">
                <thead><tr>
                    <th scope="col">"Path"</th><th scope="col">"Method"</th><th scope="col">"Authorizer"</th>
                    <th scope="col">"Scopes"</th><th scope="col">"Expected"</th><th scope="col">"Actual"</th>
                    <th scope="col">"Latency"</th><th scope="col">"Verdict"</th>
                    <th scope="col">"Negative checks"</th>
                </tr></thead>
                // One closure draws every row from plain strings (one view type for all rows keeps
                // the bundle small); the parameter values are read untracked so typing keeps focus.
                <tbody>{move || table_rows(state, api, params, negative.get())}</tbody>
            </table>
            </div>
        </Show>
    }
}

/// The table's rows: the export's operations with the last run's results.
fn table_rows(
    state: AppState,
    api: RwSignal<Option<ApiDescription>>,
    params: RwSignal<Vec<Vec<String>>>,
    negative: bool,
) -> impl IntoView {
    let token = held_token(state);
    let ops = api.with(|a| a.as_ref().map(|a| a.operations.clone()).unwrap_or_default());
    let results: Vec<Option<MatrixRow>> = state
        .matrix
        .with(|m| m.as_ref().map(|m| m.rows.clone()).unwrap_or_default());
    let values = params.get_untracked();
    ops.into_iter()
        .enumerate()
        .map(|(i, op)| {
            let result = results.get(i).cloned().flatten();
            let expected_text = match (&result, &token) {
                (Some(r), _) => r.expected.label(),
                (None, Some(t)) => expected(&op, Some(t)).label(),
                (None, None) => "(no token yet)".into(),
            };
            let (actual, latency, verdict, note, class) = match &result {
                Some(r) => {
                    // The row's worst outcome: a finding among its negative checks shows here too.
                    let overall = r.overall();
                    let note = if overall == r.verdict {
                        r.note.as_deref()
                    } else {
                        r.probes
                            .iter()
                            .find(|p| p.verdict == overall)
                            .and_then(|p| p.note.as_deref())
                    };
                    (
                        r.actual.label(),
                        match r.actual {
                            Actual::Answered { millis, .. } => format!("{millis} ms"),
                            _ => String::new(),
                        },
                        overall.label(),
                        note.map(|n| state.mask(n)).unwrap_or_default(),
                        match overall {
                            RowVerdict::SecurityFinding => "matrix-verdict-cell finding",
                            RowVerdict::UnexpectedDenial => "matrix-verdict-cell unexpected",
                            _ => "matrix-verdict-cell",
                        },
                    )
                }
                None => (
                    String::new(),
                    String::new(),
                    "",
                    String::new(),
                    "matrix-verdict-cell",
                ),
            };
            let inputs = op
                .path_params
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let label = format!("{} in {} {}", p.name, op.method, op.path);
                    let value = values
                        .get(i)
                        .and_then(|r| r.get(j))
                        .cloned()
                        .unwrap_or_default();
                    view! {
                        <input class="matrix-param" type="text" spellcheck="false" aria-label=label
                            placeholder=p.name.clone() value=value
                            on:input:target=move |e| {
                                let value = e.target().value();
                                params.update_untracked(|v| {
                                    if let Some(cell) = v.get_mut(i).and_then(|r| r.get_mut(j)) {
                                        *cell = value;
                                    }
                                });
                            } />
                    }
                })
                .collect::<Vec<_>>();
            let (negatives, negatives_class) = negative_cell(result.as_ref(), &op, negative);
            let scopes = if op.scopes.is_empty() {
                "—".to_owned()
            } else {
                op.scopes.join(" ")
            };
            view! {
                <tr class="matrix-row">
                    <td class="matrix-path"><code>{op.path.clone()}</code>{inputs}</td>
                    <td>{api.with_untracked(|a| a.as_ref().map(|a| a.method_label(&op)))}</td>
                    <td>{if op.api_key { format!("{} + API key", op.authorizer.label()) } else { op.authorizer.label() }}</td>
                    <td>{scopes}</td>
                    <td>{expected_text}</td>
                    <td>{actual}</td>
                    <td>{latency}</td>
                    <td class=class title=note>{verdict}</td>
                    <td class=negatives_class>{negatives.join("\n")}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>()
}

/// The Negative checks cell, a line per check: its outcome after a run, what it must get before
/// one; "not sent in this run" when they were ticked after it; "—" when none applies, they are
/// off or the row was not run.
fn negative_cell(
    result: Option<&MatrixRow>,
    op: &crate::core::matrix::Operation,
    negative: bool,
) -> (Vec<String>, &'static str) {
    if let Some(r) = result.filter(|r| !r.probes.is_empty()) {
        let finding = r
            .probes
            .iter()
            .any(|p| p.verdict == RowVerdict::SecurityFinding);
        let lines = r.probes.iter().map(|p| p.summary()).collect();
        let class = if finding {
            "matrix-negative finding"
        } else {
            "matrix-negative"
        };
        return (lines, class);
    }
    let planned: Vec<String> = Probe::ALL
        .into_iter()
        .filter_map(|p| {
            p.expected(op)
                .map(|e| format!("{}: {}", p.label(), e.label()))
        })
        .collect();
    let lines = match result {
        _ if !negative || planned.is_empty() => vec!["—".into()],
        None => planned,
        Some(r) if r.actual == Actual::NotRun => vec!["—".into()],
        Some(_) => vec!["not sent in this run".into()],
    };
    (lines, "matrix-negative")
}
