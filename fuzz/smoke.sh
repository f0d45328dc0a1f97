#!/bin/sh
# A short run of each fuzz target (default 20 s each; FUZZ_SECONDS to
# change). Needs a nightly toolchain and cargo-fuzz; skips with a message
# when either is missing, so that a stable-only `make test` still passes.
set -eu
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo +nightly fuzz --help >/dev/null 2>&1; then
    echo "fuzz smoke skipped: needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)"
    exit 0
fi
for t in parse_list fold_match load_matcher tone triage json_boundary; do
    cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10
done
