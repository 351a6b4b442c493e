#!/usr/bin/env bash
# Called by tools/post-build.sh: names the wasm after its own bytes (tools/content-name.sh says why).
# Its integrity stays: the bytes do not change. Runs before the loader is moved out, so the loader's
# file is named after the new wasm name too.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run me as a Trunk post_build hook}"
source "$(dirname "$0")/content-name.sh"
shopt -s nullglob
wasm=("$dir"/cognito-api-tester-web-*_bg.wasm)
if [ "${#wasm[@]}" -ne 1 ]; then
  echo "name-wasm: expected one .wasm in $dir, found ${#wasm[@]}" >&2
  exit 1
fi
content_name "$dir" "${wasm[0]##*/}" > /dev/null
