#!/usr/bin/env bash
# Called by tools/post-build.sh in builds made with `--cfg wasm_split` (`make dist` sets
# WASM_SPLIT=1 and the flags): splits the wasm so the panels the first screen does not need
# (src/ui/parts.rs) load after the form is drawn (issue 19).
#
# Trunk 0.21 has no split step. Leptos's own splitter (cargo-leptos uses it) is the crates.io crate
# wasm_split_cli_support, installed by tools/setup.sh into .tools/wasm-split. Trunk has already run
# wasm-bindgen and wasm-opt on the whole module; this redoes both on the split one:
#   `split`: the splitter on cargo's wasm (built with --emit-relocs: it follows relocations to tell
#            which functions each part needs), wasm-bindgen with --keep-lld-exports (the parts import
#            the main module's table and stack pointer), wasm-opt on every module. The main module and
#            glue replace Trunk's under Trunk's names (minify-glue.sh and name-wasm.sh name them after
#            their content next); each part is named after its content.
#   `link`:  once the glue is minified, names the splitter's loader and points the glue and the
#            loader at each other.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}"
[ "${WASM_SPLIT:-}" = 1 ] || exit 0
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/tools/content-name.sh"
html="$dir/index.html"
say() { echo "split-wasm: $*" >&2; }
public_url="${TRUNK_PUBLIC_URL:-/}"

if [ "${1:-}" = link ]; then
  glue="$(glue_href "$html")"
  glue="${glue##*/}"
  loader="$dir/__wasm_split.js"
  [ -f "$loader" ] && [ -f "$dir/$glue" ] || { say "no __wasm_split.js and $glue in $dir"; exit 1; }
  # The loader and the glue import each other, so neither can be named after its final bytes alone.
  # The loader is named after both as they are before they name each other: that pair decides the
  # glue's final bytes (the loader's name put in), so the glue's name, so the loader's final bytes.
  # A name never holds other bytes (deploy caches it for a year).
  name="split-$(cat "$loader" "$dir/$glue" | sha256sum | cut -c1-16).js"
  # Only the import statements: the same string is also the wasm's import module name, a key to keep.
  NAME="$name" perl -0pi -e 's{(\bfrom\s*)(["'\''])\./__wasm_split\.js\2}{$1"./$ENV{NAME}"}g
    or die "split-wasm: the glue does not import the loader\n"' "$dir/$glue"
  glue=$(content_name "$dir" "$glue")
  set_integrity "$dir" "$glue"
  GLUE="$glue" perl -0pi -e 's{(["'\''])\./cognito-api-tester-web-[0-9a-f]+\.js\1}{"./$ENV{GLUE}"}g
    or die "split-wasm: the loader does not import the glue\n"' "$loader"
  mv "$loader" "$dir/$name"
  # Fetched with the glue, not after it (one round trip less before the form), with an integrity
  # like the glue's (the page's own import of it then uses the checked copy).
  sri=$(sri_of "$dir/$name")
  URL="$public_url" NAME="$name" SRI="$sri" perl -0pi -e 's{(<link\b[^>]*rel="?modulepreload[^>]*>)}{$1<link crossorigin href="$ENV{URL}$ENV{NAME}" integrity="$ENV{SRI}" rel=modulepreload>}
    or die "split-wasm: no modulepreload in the page\n"' "$html"
  exit 0
fi

splitter="$root/.tools/wasm-split/bin/wasm-split-cli"
[ -x "$splitter" ] || { say "$splitter is missing: run make setup"; exit 1; }
input="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown/release/cognito-api-tester-web.wasm"
[ -f "$input" ] || { say "no $input: the release wasm was not built"; exit 1; }
href="$(glue_href "$html")"
glue="${href##*/}"
stem="${glue%.js}"
[ -f "$dir/$glue" ] && [ -f "$dir/${stem}_bg.wasm" ] || { say "no $glue and ${stem}_bg.wasm in $dir"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$splitter" "$input" "$work/split" --out-name "$stem" >/dev/null
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name "$stem" --out-dir "$work/bound" \
  "$work/split/$stem.wasm"
if [ -d "$work/bound/snippets" ]; then
  say "wasm-bindgen wrote snippets (inline JS): this step does not copy them; add that before using one"
  exit 1
fi
# As Trunk runs it (data-wasm-opt="z"), with the features wasm-bindgen's output uses, and the same
# binaryen (Trunk.toml pins 132: Debian's 108 breaks the externref table). wasm-opt warns that the
# relocations' linking section is not standard wasm (it drops it, which is what we want) and that the
# splitter's name sections hold a subsection it does not know (names only; -Oz drops them anyway);
# any other message is shown.
wasm_opt="$root/.tools/node_modules/.bin/wasm-opt"
[ "$("$wasm_opt" --version 2>/dev/null)" = "wasm-opt version 132 (version_132)" ] \
  || { say "$wasm_opt is not binaryen 132: run make setup"; exit 1; }
features=(--enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)
opt() {
  "$wasm_opt" -Oz "${features[@]}" "$1" -o "$2" 2> "$work/opt.log" || { cat "$work/opt.log" >&2; return 1; }
  grep -v -E '^warning: (linking section is present|unknown name subsection)' "$work/opt.log" >&2 || true
}
opt "$work/bound/${stem}_bg.wasm" "$dir/${stem}_bg.wasm"
# make size-report reads the main module as wasm-bindgen wrote it (names kept, before wasm-opt).
mkdir -p "$root/target/split"
cp "$work/bound/${stem}_bg.wasm" "$root/target/split/main_bg.wasm"
cp "$work/bound/$stem.js" "$dir/$glue"
# The wasm preload's integrity: Trunk's was for its own bytes.
set_integrity "$dir" "${stem}_bg.wasm"

loader="$work/split/__wasm_split.js"
[ -f "$loader" ] || { say "the splitter wrote no __wasm_split.js"; exit 1; }
parts=0
for part in "$work/split"/*.wasm; do
  name="${part##*/}"
  [ "$name" = "$stem.wasm" ] && continue
  opt "$part" "$work/opt.wasm"
  base="${name%.wasm}"
  new="part-${base//_/-}-$(sha256sum "$work/opt.wasm" | cut -c1-16).wasm"
  mv "$work/opt.wasm" "$dir/$new"
  OLD="$name" NEW="$new" perl -0pi -e 's{"\./\Q$ENV{OLD}\E"}{"./$ENV{NEW}"}g
    or die "split-wasm: the loader does not name $ENV{OLD}\n"' "$loader"
  parts=$((parts + 1))
done
[ "$parts" -gt 0 ] || { say "the splitter made no parts: was the build made without --cfg wasm_split?"; exit 1; }
"$root/.tools/node_modules/.bin/terser" "$loader" --module --compress --mangle --output "$dir/__wasm_split.js"
say "$parts parts"
