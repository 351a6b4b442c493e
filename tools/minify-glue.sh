#!/usr/bin/env bash
# Release builds only (called by tools/post-build.sh): minify wasm-bindgen's JS glue with terser.
# Trunk's own minifier gives up on it ("Failed to minify JS": it cannot parse the `as default`
# in the glue's export list) and ships it as written: 9.4 KB of the first load's gzip bytes,
# 7.2 KB minified. The minified file is then named after its own content (tools/content-name.sh),
# and the page's integrity for it is rewritten.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}"
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
root="$(cd "$(dirname "$0")/.." && pwd)"
# Only the pinned terser from the committed lockfile (make setup): another one would make other bytes.
# The version is tools/npm-tools/package.json's, its one home.
terser="$root/.tools/node_modules/.bin/terser"
want="terser $(node -p "require('$root/tools/npm-tools/package.json').dependencies.terser")"
if [ "$("$terser" --version 2>/dev/null)" != "$want" ]; then
  echo "minify-glue: $want is not in .tools/: run make setup (it installs it from tools/npm-tools/)" >&2
  exit 1
fi
html="$dir/index.html"
source "$(dirname "$0")/content-name.sh"
# The glue is the page's one <link rel=modulepreload>.
href=$(glue_href "$html")
old="${href##*/}"
if [ -z "$href" ] || [ ! -f "$dir/$old" ] || [[ "$old" != *.js ]]; then
  echo "minify-glue: no modulepreload glue found in $html" >&2
  exit 1
fi
"$terser" "$dir/$old" --module --compress --mangle --output "$dir/$old.min"
mv "$dir/$old.min" "$dir/$old"
new=$(content_name "$dir" "$old")
set_integrity "$dir" "$new"
