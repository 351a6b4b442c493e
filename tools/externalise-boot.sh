#!/usr/bin/env bash
# Trunk post_build hook: move the inline <script type="module"> Trunk writes into
# index.html into its own content-hashed file, so a strict CSP (script-src 'self',
# no 'unsafe-inline') lets it run. Trunk issue #288 asks for this upstream.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}"
html="$dir/index.html"
# `type="module"`, or `type=module` once Trunk's release minification has rewritten the page.
script=$(perl -0ne 'print $1 if m{<script type="?module"?[^>]*>(.*?)</script>}s' "$html")
if [ -z "$script" ]; then
  echo "externalise-boot: no inline module script in $html (nothing to do)" >&2
  grep -q '<script[^>]*>[^<]' "$html" && { echo "externalise-boot: but an inline script is in $html" >&2; exit 1; }
  exit 0
fi
hash=$(printf '%s' "$script" | sha256sum | cut -c1-16)
name="boot-$hash.js"
printf '%s\n' "$script" > "$dir/$name"
public_url="${TRUNK_PUBLIC_URL:-/}"
NAME="$name" URL="$public_url" perl -0pi -e 's{<script type="?module"?[^>]*>.*?</script>}{<script type="module" src="$ENV{URL}$ENV{NAME}"></script>}s' "$html"
if grep -q '<script[^>]*>[^<]' "$html"; then
  echo "externalise-boot: an inline script is still in $html" >&2
  exit 1
fi
