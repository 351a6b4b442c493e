#!/usr/bin/env bash
# Trunk post_build hook, release builds only: minify wasm-bindgen's JS glue with terser.
# Trunk's own minifier gives up on it ("Failed to minify JS": it cannot parse `export default`)
# and ships it as written: 9.4 KB of the first load's gzip bytes, 7.1 KB minified. The file
# keeps its name (Trunk hashes the wasm for it); its integrity in index.html is rewritten.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}"
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
root="$(cd "$(dirname "$0")/.." && pwd)"
terser="$root/.tools/node_modules/.bin/terser"
[ -x "$terser" ] || terser="$(command -v terser || true)"
if [ -z "$terser" ]; then
  echo "minify-glue: terser is missing: run make setup (it installs it into .tools/)" >&2
  exit 1
fi
html="$dir/index.html"
# The glue is the page's one <link rel=modulepreload>; quotes are optional after Trunk's minification.
href=$(perl -0ne 'while (m{<link\b([^>]*)>}g) { my $a = $1; next unless $a =~ /rel="?modulepreload/; print $1 if $a =~ /href="?([^"\s>]+)/; last }' "$html")
file="$dir/${href##*/}"
if [ -z "$href" ] || [ ! -f "$file" ]; then
  echo "minify-glue: no modulepreload glue found in $html" >&2
  exit 1
fi
"$terser" "$file" --module --compress --mangle --output "$file.min"
mv "$file.min" "$file"
sri="sha384-$(perl -MDigest::SHA=sha384_base64 -0777 -ne 'print sha384_base64($_)' "$file")"
HREF="$href" SRI="$sri" perl -0pi -e '
  s{(<link\b[^>]*?href="?\Q$ENV{HREF}\E"?[^>]*?integrity=)"?sha384-[A-Za-z0-9+/=]+"?}{$1$ENV{SRI}}
    or die "minify-glue: no integrity for $ENV{HREF}\n"' "$html"
