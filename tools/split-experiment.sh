#!/usr/bin/env bash
# What splitting the wasm would take off the first load, measured rather than guessed (issue 19).
# Not part of `make test` and nothing it builds ships: `make split-experiment` writes its figures
# to bench/wasm-split.md.
#
# Trunk 0.21 has no split step, and Leptos's `#[lazy]` is split by cargo-leptos. The same splitter
# is a crates.io crate with a command-line tool (wasm_split_cli_support, pinned below), so this
# runs the pipeline by hand on a copy of HEAD with bench/wasm-split.patch applied (four panels
# behind `#[lazy]`): cargo with `--emit-relocs` (the splitter follows relocations to tell which
# functions each part needs), the splitter, wasm-bindgen with `--keep-lld-exports` (the parts
# import the main module's table and stack pointer), then wasm-opt -Oz on every module. The
# baseline is HEAD as `make dist` builds it (no patch, no relocations, no splitter) through the
# same wasm-bindgen and wasm-opt steps. gzip -9, as the first-load budget counts.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
split_version=0.2.4
tools="$root/.tools/wasm-split"
splitter="$tools/bin/wasm-split-cli"
# cargo install returns at once when this version is already in .tools/wasm-split.
cargo install --quiet --locked wasm_split_cli_support --version "$split_version" --features build-binary \
  --root "$tools" >&2
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/src" HEAD
git -C "$work/src" apply "$root/bench/wasm-split.patch" || {
  echo "split-experiment: bench/wasm-split.patch no longer applies to HEAD (src/ui/app.rs changed): redo it" >&2
  exit 1
}
features=(--enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue)
# build <tree> <name> <out> [rustflags]: the release wasm of <tree>. One target dir per name: the
# trees are copies at other paths, and cargo would take one's build as fresh for the other.
build() {
  local target="$root/target/split-experiment/$2"
  (cd "$1" && CARGO_TARGET_DIR="$target" RUSTFLAGS="--cfg erase_components ${4:-}" \
    cargo build --locked --release --target wasm32-unknown-unknown --bin cognito-api-tester-web >&2)
  cp "$target/wasm32-unknown-unknown/release/cognito-api-tester-web.wasm" "$3"
}
# finish <in.wasm> <outdir>: wasm-bindgen then wasm-opt, as `make dist` would.
finish() {
  # wasm-opt warns that the relocations' linking section is not standard wasm; it drops it.
  wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name app --out-dir "$2" "$1" >&2
  wasm-opt -Oz "${features[@]}" "$2/app_bg.wasm" -o "$2/app_bg.wasm" 2>/dev/null
}
gz() { gzip -9c "$1" | wc -c; }

mkdir -p "$work/base" "$work/split" "$work/bound"
git worktree add --quiet --detach "$work/plain" HEAD
build "$work/plain" base "$work/base.wasm"
git worktree remove --force "$work/plain"
finish "$work/base.wasm" "$work/base"
build "$work/src" split "$work/split.wasm" "-C link-args=--emit-relocs"
"$splitter" "$work/split.wasm" "$work/split" --out-name app >&2
finish "$work/split/app.wasm" "$work/bound"
parts=()
for part in "$work/split"/split_*.wasm $(ls "$work/split"/chunk_*.wasm | sort -V); do
  wasm-opt -Oz "${features[@]}" "$part" -o "$part" 2>/dev/null
  parts+=("$part")
done

base_gz=$(gz "$work/base/app_bg.wasm")
main_gz=$(gz "$work/bound/app_bg.wasm")
loader_gz=$(gz "$work/split/__wasm_split.js")
echo "Written by \`make split-experiment\` (tools/split-experiment.sh) on $(date -u '+%Y-%m-%d %H:%M UTC') from $(git rev-parse --short HEAD)"
echo "with bench/wasm-split.patch applied; wasm_split_cli_support $split_version, $(wasm-bindgen --version), $(wasm-opt --version)."
echo
echo "| module | wasm bytes | gzip -9 |"
echo "|---|---:|---:|"
echo "| today's wasm, one module (same pipeline, no patch) | $(stat -c %s "$work/base/app_bg.wasm") | $base_gz |"
echo "| **main module once split** | $(stat -c %s "$work/bound/app_bg.wasm") | **$main_gz** |"
echo "| the splitter's loader (__wasm_split.js) | $(stat -c %s "$work/split/__wasm_split.js") | $loader_gz |"
total=0
for part in "${parts[@]}"; do
  size=$(gz "$part")
  total=$((total + size))
  echo "| part $(basename "$part" .wasm | sed -E 's/_[0-9]{6,}$//') | $(stat -c %s "$part") | $size |"
done
echo "| all parts together | | $total |"
echo
echo "The main module is $(( (base_gz - main_gz) * 100 / base_gz )) % smaller ($(( (base_gz - main_gz) / 1024 )) KB gzip);"
echo "the parts hold $(( total / 1024 )) KB gzip. \`split_*\` parts are the panels' own code, \`chunk_*\` code shared by some of them."
