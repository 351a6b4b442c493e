#!/usr/bin/env bash
# Trunk's post_build hook. Trunk starts every hook of a stage at the same time, and both steps
# rewrite index.html, so they are one hook that runs them one after the other.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/minify-glue.sh"
bash "$here/externalise-boot.sh"
