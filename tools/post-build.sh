#!/usr/bin/env bash
# Trunk's post_build hook. Trunk starts every hook of a stage at the same time, and each step
# rewrites index.html, so they are one hook that runs them one after the other. The wasm is split
# first (`make dist` only: it replaces Trunk's wasm and glue), the loader pointed at the glue once
# the glue has its final name, and the page's own loader moved out last: its file is named after its
# text, which names the wasm and the glue.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/split-wasm.sh"
bash "$here/minify-glue.sh"
bash "$here/name-wasm.sh"
bash "$here/split-wasm.sh" link
bash "$here/externalise-boot.sh"
