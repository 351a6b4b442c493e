#!/usr/bin/env bash
# `make setup`: install what the build and the tests need, only what is missing,
# saying what it installs. Safe to run again and again. Needs root for apt-get.
set -uo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION=0.21.14

step() { printf '\n==> setup: %s\n' "$*"; }
fail() { printf '\nsetup FAILED at step "%s". %s\n' "$1" "$2" >&2; exit 1; }

# 1. The wasm target.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: wasm32-unknown-unknown target present"
else
  step "installing the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown || fail "wasm32 target" "rustup could not add the target."
fi

# 2. Debian packages: wasm-opt (binaryen), headless chromium and its driver.
missing=()
command -v wasm-opt >/dev/null || missing+=(binaryen)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: binaryen, chromium and chromium-driver present"
else
  step "installing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null || fail "apt packages" "No apt-get: install ${missing[*]} by hand."
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q || fail "apt-get update" "Check the network access to Debian's package mirrors."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" \
    || fail "apt-get install ${missing[*]}" "See the apt output above."
fi

# 3. Trunk, pinned: 0.22 needs a newer rustc than this machine's.
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  echo "setup: trunk $TRUNK_VERSION present"
else
  step "installing trunk $TRUNK_VERSION (takes several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked || fail "trunk" "cargo install trunk failed; see above."
fi

# 4. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock: Trunk and the
#    browser-test runner refuse any other. Its own lockfile names a crate version the
#    registry lacks, so no --locked here.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$wb_version" ] || fail "wasm-bindgen version" "Cargo.lock names no wasm-bindgen; run cargo generate-lockfile."
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb_version" ]; then
  echo "setup: wasm-bindgen-cli $wb_version present"
else
  step "installing wasm-bindgen-cli $wb_version (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$wb_version" --force \
    || fail "wasm-bindgen-cli" "cargo install wasm-bindgen-cli $wb_version failed; see above."
fi
echo "setup: everything is in place"
