# Cognito API Tester — every task a newcomer needs. `make help` lists them.
SHELL := /bin/bash
# .tools/ holds wasm-opt (binaryen from npm, see tools/setup.sh).
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# wasm-bindgen-test-runner finds chromedriver here (browser tests).
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := --target wasm32-unknown-unknown

.PHONY: help setup serve demo dist test lint test-native test-browser e2e clean

help:
	@echo "make demo          run the local Cognito emulator and the app (http://127.0.0.1:8080)"
	@echo "make test          install what is missing, then lint and run every test layer"
	@echo "make setup         install the toolchain pieces only (idempotent)"
	@echo "make serve         trunk serve on 127.0.0.1:8080 with the Trunk.toml proxy routes"
	@echo "make dist          release build into dist/ and its size report"
	@echo "make lint          cargo fmt --check and clippy (native and wasm32)"
	@echo "make test-native   core and emulator tests (cargo test)"
	@echo "make test-browser  browser-shell tests in headless chromium (wasm-bindgen-test)"
	@echo "make e2e           the release dist/ in headless chromium against the emulator"

setup:
	@bash tools/setup.sh

serve: setup
	trunk serve --offline

demo: setup
	@bash tools/demo.sh

dist: setup
	trunk build --release --offline
	@bash tools/dist-report.sh dist

test: setup lint test-native test-browser e2e
	@echo "make test: all layers passed"

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p cognito-api-tester $(WASM) --all-targets -- -D warnings

test-native:
	cargo test --workspace --exclude e2e

test-browser:
	cargo test -p cognito-api-tester $(WASM) --test browser

e2e: dist
	cargo test -p e2e -- --test-threads=2

clean:
	cargo clean
	rm -rf dist
