# Cognito API Tester — every task a newcomer needs. `make help` lists them.
SHELL := /bin/bash
# .tools/ holds wasm-opt (binaryen from npm, see tools/setup.sh).
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# wasm-bindgen-test-runner finds chromedriver here (browser tests).
export CHROMEDRIVER ?= /usr/bin/chromedriver
# It gives chromedriver 5 s to listen by default, and never retries within that: a loaded CI
# machine once missed it. With 60 s it also restarts a driver that has not listened after 10 s.
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT ?= 60
WASM := --target wasm32-unknown-unknown
# Every cargo build of this workspace uses Cargo.lock as committed: a build that would change it fails instead.
LOCKED := --locked

.PHONY: screenshots help setup serve demo dist test lint test-native test-properties properties-explore fuzz test-deploy test-browser e2e deploy reference-stack clean

help:
	@echo "make demo          run the local Cognito emulator and the app (http://127.0.0.1:8080)"
	@echo "make test          install what is missing, then lint and run every test layer"
	@echo "make setup         install the toolchain pieces only (idempotent)"
	@echo "make serve         trunk serve on 127.0.0.1:8080 with the Trunk.toml proxy routes"
	@echo "make dist          release build into dist/ and its size report"
	@echo "make lint          cargo fmt --check and clippy (native and wasm32)"
	@echo "make test-native   core and emulator tests (cargo test)"
	@echo "make test-properties  property tests of the core, 10,000 cases each (proptest, release build)"
	@echo "make properties-explore  the property tests with a new random seed (not in make test)"
	@echo "make fuzz          fuzz the token decoder and Import/share parsing, FUZZ_SECONDS (60) per target (nightly, cargo-fuzz)"
	@echo "make test-deploy   deploy/ tests: cfn-lint, the CloudFront Function (node), deploy.sh against moto S3"
	@echo "make test-browser  browser-shell tests in headless chromium (wasm-bindgen-test)"
	@echo "make e2e           the release dist/ in headless chromium against the emulator"
	@echo "make screenshots   the README's pictures (PASS, diagnosed failure; 1280 and 360 px, light and dark) into docs/screenshots"
	@echo "make size-report   where the wasm's bytes are (twiggy: largest functions, by crate, dominators, generics) for the last make dist"
	@echo "make first-screen-floor   the smallest first load with the form on screen: builds with less and less of the page (~6 min)"
	@echo "make bench         measure the release dist/ in headless chromium (size, start-up, Run vs plain JS, 5 MB body, canary memory) into bench/RESULTS.md (~6 min)"
	@echo "make deploy BUCKET=name [PREFIX=folder] [PUBLIC_URL=url]   build and upload dist/ to S3 (AWS CLI)"
	@echo "make reference-stack DOMAIN_PREFIX=name [STACK=name] [BACKEND_URL=url]   deploy the seed's environment (deploy/reference-stack.yaml, AWS CLI)"

setup:
	@bash tools/setup.sh

serve: setup
	trunk serve --offline

demo: setup
	@bash tools/demo.sh

# The release build is split (src/ui/parts.rs, tools/split-wasm.sh): `--cfg wasm_split` makes the
# panels split points, --emit-relocs lets the splitter tell which code each part needs. RUSTFLAGS
# replaces .cargo/config.toml's list, so it repeats --cfg erase_components.
SPLIT_RUSTFLAGS := --cfg erase_components --cfg wasm_split -C link-args=--emit-relocs
dist: setup
	WASM_SPLIT=1 RUSTFLAGS="$(SPLIT_RUSTFLAGS)" trunk build --release --offline
	@bash tools/dist-report.sh dist

test: setup lint test-native test-properties test-deploy test-browser e2e
	@echo "make test: all layers passed"

lint:
	cargo fmt --all -- --check
	cargo clippy $(LOCKED) --workspace --all-targets -- -D warnings
	EMULATOR_URL=http://127.0.0.1:9292 cargo clippy $(LOCKED) -p cognito-api-tester $(WASM) --all-targets -- -D warnings

test-native:
	cargo test $(LOCKED) --workspace --exclude e2e

# tests/properties.rs with 10,000 cases per property. test-native already ran them with
# proptest's quick default (256, PROPTEST_CASES unset); this is the thorough pass. Release keeps
# it to seconds instead of minutes; overflow checks stay on, as in a debug build, so an
# arithmetic overflow fails the property instead of wrapping silently.
test-properties:
	PROPTEST_CASES=10000 CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true cargo test $(LOCKED) --release -p cognito-api-tester --test properties

# Not part of `make test`: the same properties with a new random seed each run, to find new cases.
# A failure prints the seed; keep the case as a plain regression test at the end of the file.
properties-explore:
	PROPTEST_RNG_SEED=random PROPTEST_CASES=10000 CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true cargo test $(LOCKED) --release -p cognito-api-tester --test properties

# libFuzzer through cargo-fuzz (nightly): each target in fuzz/fuzz_targets runs FUZZ_SECONDS,
# then fuzz/run.sh prints its executions and crashes. Corpus and crashes stay in fuzz/ (ignored).
FUZZ_SECONDS ?= 60
# Pinned, and built from its own complete Cargo.lock (--locked): a new release changes nothing here unasked.
CARGO_FUZZ_VERSION := 0.13.2
fuzz:
	@[ "$$(cargo fuzz --version 2>/dev/null)" = "cargo-fuzz $(CARGO_FUZZ_VERSION)" ] \
	  || cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked --force
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh

# The deploy tools' Python packages live in a venv, reinstalled only when deploy/requirements.txt changes.
# That file pins every package, dependencies included, with its hashes: pip refuses anything else (--require-hashes).
VENV := .tools/venv
test-deploy:
	@want=$$(sha256sum deploy/requirements.txt | cut -d' ' -f1); \
	if ! $(VENV)/bin/python -c '' 2>/dev/null; then \
	  echo "==> test-deploy: creating $(VENV)"; rm -rf $(VENV); \
	  python3 -m venv $(VENV) || { echo "test-deploy: python3 -m venv failed; make setup installs python3-venv" >&2; exit 1; }; \
	fi; \
	if [ "$$(cat $(VENV)/requirements.sha256 2>/dev/null)" != "$$want" ]; then \
	  echo "==> test-deploy: installing deploy/requirements.txt into $(VENV)"; \
	  $(VENV)/bin/pip install -q --disable-pip-version-check --require-hashes --only-binary :all: -r deploy/requirements.txt || exit 1; \
	  echo "$$want" > $(VENV)/requirements.sha256; \
	fi
	$(VENV)/bin/cfn-lint deploy/cloudfront.yaml
	$(VENV)/bin/cfn-lint deploy/reference-stack.yaml
	node --test deploy/tests/
	PYTHONDONTWRITEBYTECODE=1 $(VENV)/bin/python -m pytest -p no:cacheprovider -q deploy/tests

# The browser tests get real tokens from an emulator on 127.0.0.1:9292 (EMULATOR_URL).
test-browser:
	bash tools/with-emulator.sh cargo test $(LOCKED) -p cognito-api-tester $(WASM) --test browser --test browser_verify

e2e: dist
	cargo test $(LOCKED) -p e2e -- --test-threads=2
	@echo "Fault matrix (tests/e2e/tests/faults.rs):"; cat target/fault-matrix.md

# Not part of `make test`: retakes docs/screenshots from the release build against the emulator.
screenshots: dist
	cargo test $(LOCKED) -p e2e --test screenshots -- --ignored

# Not part of `make test`: twiggy on the wasm of the last `make dist`, before wasm-opt (names kept).
TWIGGY_VERSION := 0.8.0
.PHONY: size-report
size-report:
	@[ "$$(twiggy --version 2>/dev/null)" = "twiggy-opt $(TWIGGY_VERSION)" ] \
	  || cargo install twiggy --version $(TWIGGY_VERSION) --locked --force
	@test -f target/split/main_bg.wasm || $(MAKE) dist
	@bash tools/size-report.sh | tee bench/size-breakdown.md

# Not part of `make test`: how small the first load can get with the form on the first screen.
.PHONY: first-screen-floor
first-screen-floor: setup
	@mkdir -p target && bash tools/first-screen-floor.sh > target/first-screen-floor.md
	@mv target/first-screen-floor.md bench/first-screen-floor.md && cat bench/first-screen-floor.md

# Not part of `make test`. bench/profile.toml builds the bench (and the emulator it runs) optimised.
.PHONY: bench
bench: dist
	cargo run $(LOCKED) --config bench/profile.toml --profile bench-run -p bench

deploy:
	bash deploy/deploy.sh

# The seed's user pool, client, secret and API as one stack; its outputs fill the form.
STACK ?= cognito-api-tester-reference
reference-stack:
	@test -n "$(DOMAIN_PREFIX)" || { echo "make reference-stack DOMAIN_PREFIX=<unique-prefix> [STACK=$(STACK)] [BACKEND_URL=https://…]" >&2; exit 2; }
	aws cloudformation deploy --template-file deploy/reference-stack.yaml --stack-name $(STACK) \
	  --parameter-overrides DomainPrefix=$(DOMAIN_PREFIX) $(if $(BACKEND_URL),BackendUrl=$(BACKEND_URL))
	aws cloudformation describe-stacks --stack-name $(STACK) --query 'Stacks[0].Outputs' --output table

clean:
	cargo clean
	rm -rf dist
