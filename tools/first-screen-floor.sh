#!/usr/bin/env bash
# How small can the first load get while the form is on the first screen? (issue 19)
#
# Builds the app at a pinned commit several times, each time with less of the page left in it, and
# prints the first load of each build (gzip -9 of every file of its dist/, as `make dist` counts
# the first load). Nothing is split: a build without a panel holds none of its code at all, which is
# less than any split could leave in the main module (a split keeps every part's data — the messages
# — and every function two modules share in the main one). So each figure is a lower bound for a
# first load that shows that much of the page.
#
#   whole page          the app as it is, one module (the reference: before the split)
#   form, run bar, Run  the header, the run bar (buttons, compact verdict) and the form
#   form and Run        the header and the form; its submit still runs (so the Run's code is in)
#   form alone          the header and the form, its submit doing nothing: no Run at all
#   Leptos alone        a header and ten text inputs with a live character count: the framework
#
# The edits are made to the pinned commit's source (they fail loudly if it has moved on); the
# builds run in a scratch worktree with their own target directory. Takes about 6 minutes (the
# first build compiles the dependencies). `make first-screen-floor` writes the result to
# bench/first-screen-floor.md, which `make bench` copies into RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:-b5c30e6}"
say() { echo "first-screen-floor: $*" >&2; }
[ -x "$root/.tools/node_modules/.bin/terser" ] || { say "terser is missing from .tools: run make setup"; exit 1; }
command -v trunk >/dev/null || { say "trunk is missing: run make setup"; exit 1; }

work="$(mktemp -d)"
tree="$work/tree"
cleanup() { git -C "$root" worktree remove --force "$tree" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
git -C "$root" worktree add --quiet --detach "$tree" "$commit"
ln -s "$root/.tools" "$tree/.tools"
export CARGO_TARGET_DIR="$root/target/first-screen-floor"
# Unsplit builds: the split's hook runs only when WASM_SPLIT=1, which `make dist` sets.
unset WASM_SPLIT
export PATH="$root/.tools/node_modules/.bin:$PATH"

# Replaces `old` by `new` in a file of the worktree exactly `count` times, or fails.
edit() {
  python3 - "$tree/$1" "$2" "$3" "${4:-1}" <<'EOF'
import sys
path, old, new, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = open(path).read()
found = text.count(old)
if found != count:
    sys.exit(f"first-screen-floor: {path}: expected {count} of {old!r}, found {found}")
open(path, "w").write(text.replace(old, new))
EOF
}

# Keeps what lies between two markers of app.rs' view out of it (markers included or not).
cut_between() {
  python3 - "$tree/src/ui/app.rs" "$1" "$2" "$3" <<'EOF'
import sys
path, start, end, keep = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
text = open(path).read()
a, b = text.find(start), text.find(end)
if a < 0 or b < a:
    sys.exit(f"first-screen-floor: {path}: markers not found in order")
open(path, "w").write(text[:a] + keep + text[b:])
EOF
}

# A failed build stops the script (each figure is assigned before its row is printed: `set -e`
# does not see a failure inside an argument).
first_load() {
  (cd "$tree" && RUSTFLAGS="--cfg erase_components" trunk build --release --offline >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log" >&2; say "the build failed"; exit 1; }
  local total=0 size
  for f in "$tree"/dist/*; do
    size=$(gzip -9 -n -c "$f" | wc -c)
    total=$((total + size))
  done
  echo "$total"
}

row() { printf '| %s | %s | %s |\n' "$1" "$2" "$(awk -v b="$2" 'BEGIN { printf "%.1f KB", b / 1024 }')"; }

echo "Written by \`make first-screen-floor\` (tools/first-screen-floor.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short "$commit"), unsplit release builds (\`--cfg erase_components\`, wasm-opt -Oz, the glue minified)."
echo
echo "| what the page holds | first load, gzip -9 bytes | |"
echo "|---|---:|---:|"
bytes=$(first_load)
row "whole page (one module: the first load before the split)" "$bytes"

# The results column and the side column's parts go; the run bar and the form stay.
cut_between '        <main class="layout">' '        <footer class="bottom">' '        <main class="layout">
            <div class="side">
                <SettingsForm state=state />
            </div>
        </main>
'
bytes=$(first_load)
row "form, run bar (buttons and compact verdict) and Run" "$bytes"

# The run bar, the Ctrl/Cmd+Enter shortcut and the return from managed login go; the form's submit
# still starts a Run.
edit src/ui/app.rs '        <RunBar state=state verdict=verdict details=details />
' ''
edit src/ui/app.rs '            state.start(Job::Run);
        } else if e.key() == "Escape" && state.is_running() {
            state.cancel();
' ''
edit src/ui/app.rs '    sign_in_view::resume(state, sign);
' ''
edit src/ui/app.rs '    let verdict = Memo::new(move |_| state.verdict());
' ''
bytes=$(first_load)
row "form and Run (its submit runs; no run bar, no results)" "$bytes"

edit src/ui/form.rs 'e.prevent_default(); state.start(Job::Run); }>' 'e.prevent_default(); }>'
bytes=$(first_load)
row "form alone (restored, validated, kept for the tab; no Run)" "$bytes"

python3 - "$tree/src/ui/app.rs" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
at = text.find("#[component]\npub fn App()")
if at < 0:
    sys.exit("first-screen-floor: no App component")
open(path, "w").write(text[:at] + '''#[component]
pub fn App() -> impl IntoView {
    let fields: Vec<RwSignal<String>> = (0..10).map(|_| RwSignal::new(String::new())).collect();
    view! {
        <header class="top"><h1>"Cognito API Tester"</h1></header>
        <form>
            {fields.into_iter().enumerate().map(|(i, f)| view! {
                <label>{format!("Field {i}")}<input prop:value=move || f.get() on:input=move |e| f.set(event_target_value(&e)) /></label>
                <p>{move || f.get().len()}</p>
            }).collect_view()}
        </form>
    }
}
''')
EOF
bytes=$(first_load)
row "Leptos alone (a header, ten inputs, a live count; the same stylesheet)" "$bytes"
