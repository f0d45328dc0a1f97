#!/bin/sh
# The whole path, side by side (issue 15; BENCHMARKS.md, "The whole path"):
# Kefu's command line against mint-filter and fastscan, each a whole process
# on the same 64k list and the same 140-character drafts from the real
# reviews. Builds the CLI twice (the release profile, built for the wasm's
# size, and the `cli` profile at opt-level 3), installs the npm peers
# (bench/node's package-lock.json), then runs bench.mjs.
#
# Usage: bench/whole/run.sh           (prints the table)
#        WRITE=1 bench/whole/run.sh   (and puts it in BENCHMARKS.md)
# Env: KEFU_SHARED_DATA (default ../shared/data), DRAFTS=20000, ROUNDS=3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/target/bench-whole"
export KEFU_SHARED_DATA="${KEFU_SHARED_DATA:-$root/../shared/data}"
mkdir -p "$out"
(cd "$here/../node" && { [ -d node_modules/mint-filter ] || npm ci --no-audit --no-fund; })
cd "$root"
cargo build --quiet --release --bin kefu
cp target/release/kefu "$out/kefu-release"
cargo build --quiet --profile cli --bin kefu
node "$here/bench.mjs" "$out" "$out/kefu-release" target/cli/kefu
