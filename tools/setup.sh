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

# 2. Debian packages: headless chromium and its driver; node and npm for wasm-opt and terser.
missing=()
command -v npm >/dev/null || missing+=(nodejs npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# make test-deploy makes a venv for the AWS CLI, moto and cfn-lint; Debian's python3 needs python3-venv for that.
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: chromium, chromium-driver, npm and python3-venv present"
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
#    browser-test runner refuse any other. No --locked here: its own Cargo.lock (0.2.130) names
#    webpki-roots 1.0.11, which the registry does not serve (`cargo fetch --locked` in the crate fails).
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$wb_version" ] || fail "wasm-bindgen version" "Cargo.lock names no wasm-bindgen; run cargo generate-lockfile."
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb_version" ]; then
  echo "setup: wasm-bindgen-cli $wb_version present"
else
  step "installing wasm-bindgen-cli $wb_version (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$wb_version" --force \
    || fail "wasm-bindgen-cli" "cargo install wasm-bindgen-cli $wb_version failed; see above."
fi
# 5. wasm-opt from binaryen 132 (npm package; pure wasm, runs on node) and terser (minifies
#    wasm-bindgen's JS glue in release builds, tools/minify-glue.sh) into .tools/.
#    Debian's binaryen 108 corrupts wasm-bindgen 0.2.130 output: it points the exported
#    externref table at the funcref table, and the app dies at start.
#    From the committed tools/npm-tools/package-lock.json (exact version and sha512 of every package) with
#    `npm ci --ignore-scripts`: nothing else is resolved and no package script runs.
BINARYEN_MAJOR=132
lock=tools/npm-tools/package-lock.json
if [ "$(.tools/node_modules/.bin/wasm-opt --version 2>/dev/null)" = "wasm-opt version $BINARYEN_MAJOR (version_$BINARYEN_MAJOR)" ] \
  && [ -x .tools/node_modules/.bin/terser ] && cmp -s "$lock" .tools/package-lock.json; then
  echo "setup: wasm-opt $BINARYEN_MAJOR and terser present"
else
  step "installing wasm-opt (binaryen) and terser from $lock into .tools/"
  mkdir -p .tools
  cp tools/npm-tools/package.json "$lock" .tools/ || fail "npm tools" "could not copy tools/npm-tools/ into .tools/."
  npm ci --prefix .tools --ignore-scripts --no-audit --no-fund \
    || fail "npm tools" "npm ci in .tools/ failed; see above."
fi
# 6. axe-core for the e2e accessibility checks, pinned by tests/e2e/axe/package-lock.json.
AXE_DIR=tests/e2e/axe
axe_want=$(node -p "require('./$AXE_DIR/package.json').dependencies['axe-core']" 2>/dev/null)
axe_have=$(node -p "require('./$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)
if [ -n "$axe_want" ] && [ "$axe_want" = "$axe_have" ]; then
  echo "setup: axe-core $axe_have present"
else
  step "installing axe-core (tests/e2e/axe, npm ci)"
  npm ci --prefix "$AXE_DIR" --ignore-scripts --no-audit --no-fund \
    || fail "axe-core" "npm ci in $AXE_DIR failed; see above."
fi
# 7. Leptos's wasm splitter (the one cargo-leptos runs), for `make dist` (tools/split-wasm.sh), pinned.
SPLIT_VERSION=0.2.4
if grep -qs "wasm_split_cli_support $SPLIT_VERSION " .tools/wasm-split/.crates.toml \
  && [ -x .tools/wasm-split/bin/wasm-split-cli ]; then
  echo "setup: wasm-split-cli $SPLIT_VERSION present"
else
  step "installing wasm-split-cli $SPLIT_VERSION (cargo install wasm_split_cli_support) into .tools/wasm-split"
  cargo install --locked wasm_split_cli_support --version "$SPLIT_VERSION" --features build-binary \
    --root .tools/wasm-split --force || fail "wasm-split-cli" "cargo install wasm_split_cli_support failed; see above."
fi
echo "setup: everything is in place"
