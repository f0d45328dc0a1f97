#!/usr/bin/env bash
# Every test of Kefu, in the order a failure is cheapest to read. Called by
# `make test` after `make setup dist`. Each step prints a header; the first
# failing step stops the run with its output.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export KEFU_SHARED_DATA="${KEFU_SHARED_DATA:-$(cd .. && pwd)/shared/data}"

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

step "shared data ($KEFU_SHARED_DATA)"
if [ ! -f "$KEFU_SHARED_DATA/real/labelled-comments.jsonl" ]; then
  echo "error: the shared data is missing at $KEFU_SHARED_DATA (set KEFU_SHARED_DATA); tests that read it cannot run" >&2
  exit 1
fi
echo ok

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

step "native tests"
cargo test --release --workspace

step "fuzz smoke: each fuzz target a few seconds (needs nightly and cargo-fuzz; skipped without them)"
# libFuzzer reports every new input it finds: kept in a file, shown on failure.
if FUZZ_SECONDS="${FUZZ_SECONDS:-10}" fuzz/smoke.sh > target/fuzz-smoke.log 2>&1; then
  grep -E "^Done|skipped" target/fuzz-smoke.log || true
else
  tail -n 60 target/fuzz-smoke.log
  echo "a fuzz target failed: the whole log is target/fuzz-smoke.log" >&2
  exit 1
fi

step "default lists: lint and examples"
cargo build --release --bin kefu
./target/release/kefu lists lint lists/*
./target/release/kefu lists test lists/*.toml

step "wasm size: the checker that runs in every page, within its 300 KiB budget"
size=$(gzip -9 -c extension/pkg/kefu_bg.wasm | wc -c)
echo "kefu_bg.wasm gzipped: $size bytes; budget 307200"
if [ "$size" -gt 307200 ]; then
  echo "OVER BUDGET by $(( (size - 307200 + 1023) / 1024 )) KiB: see BENCHMARKS.md, \"Wasm size\"" >&2
  exit 1
fi
echo "kefu_lists_bg.wasm (the list reader, loaded only to read lists) gzipped: $(gzip -9 -c extension/pkg/kefu_lists_bg.wasm | wc -c) bytes"

step "wasm boundary in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm

step "wasm boundary in headless Firefox"
GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test wasm

step "web-ext lint of dist/firefox"
web-ext lint --source-dir dist/firefox --self-hosted --warnings-as-errors --output text

step "the replica page's own tests (routes and data)"
node --test --test-concurrency=1 www/test/

step "end to end: the extension in Chromium and Firefox on the replica page"
node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/

echo
echo "all tests passed"
