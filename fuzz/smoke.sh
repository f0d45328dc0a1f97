#!/bin/sh
# A short run of each fuzz target (default 20 s each; FUZZ_SECONDS to
# change). Needs a nightly toolchain and cargo-fuzz (scripts/setup.sh
# installs both). Without them it says so and exits 3, which
# scripts/test.sh reports as a skip in its summary (and refuses in CI).
set -eu
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-20}"
if ! cargo +nightly --version >/dev/null 2>&1 || ! cargo +nightly fuzz --help >/dev/null 2>&1; then
    echo "fuzz smoke skipped: needs a nightly toolchain and cargo-fuzz (scripts/setup.sh installs them)"
    exit 3
fi
targets=$(cargo +nightly fuzz list)
for t in $targets; do
    cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10
done
echo "fuzz smoke: $(echo $targets | wc -w) targets, ${secs} s each, no failure"
