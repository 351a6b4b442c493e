#!/usr/bin/env bash
# Release builds only (called by tools/post-build.sh): minify wasm-bindgen's JS glue with terser.
# Trunk's own minifier gives up on it ("Failed to minify JS": it cannot parse the `as default`
# in the glue's export list) and ships it as written: 9.4 KB of the first load's gzip bytes,
# 7.2 KB minified. Trunk named the file after the wasm cargo built, not after the glue's bytes,
# so the same name could hold other bytes (a new terser, say) while CloudFront keeps the old
# ones for a year: the minified file is renamed after its own content, and the page's href,
# import and integrity for it are rewritten.
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
# The glue is the page's one <link rel=modulepreload>; quotes are optional after Trunk's minification.
href=$(perl -0ne 'while (m{<link\b([^>]*)>}g) { my $a = $1; next unless $a =~ /rel="?modulepreload/; print $1 if $a =~ /href="?([^"\s>]+)/; last }' "$html")
old="${href##*/}"
if [ -z "$href" ] || [ ! -f "$dir/$old" ] || [[ "$old" != *.js ]]; then
  echo "minify-glue: no modulepreload glue found in $html" >&2
  exit 1
fi
"$terser" "$dir/$old" --module --compress --mangle --output "$dir/$old.min"
hash=$(sha256sum "$dir/$old.min" | cut -c1-16)
# Trunk's hash is a 64-bit number in hex without leading zeros: up to 16 digits.
new="$(printf '%s' "$old" | sed -E 's/-[0-9a-f]{1,16}\.js$//')-$hash.js"
mv "$dir/$old.min" "$dir/$new"
rm "$dir/$old"
sri="sha384-$(perl -MDigest::SHA=sha384_base64 -0777 -ne 'print sha384_base64($_)' "$dir/$new")"
# Every mention of the old name (the modulepreload link and the loader's import), then its integrity.
OLD="$old" NEW="$new" SRI="$sri" perl -0pi -e '
  s{\Q$ENV{OLD}\E}{$ENV{NEW}}g or die "minify-glue: $ENV{OLD} is not named in the page\n";
  s{(<link\b[^>]*?href="?[^"\s>]*\Q$ENV{NEW}\E"?[^>]*?integrity=)"?sha384-[A-Za-z0-9+/=]+"?}{$1$ENV{SRI}}
    or die "minify-glue: no integrity for $ENV{NEW}\n"' "$html"
