#!/bin/sh
# Triage benchmark in Node (BENCHMARKS.md, "Triage"): builds the checker as
# it ships (no `authoring`, the release profile, wasm-bindgen --target
# nodejs, wasm-opt -Oz) into target/node-triage/, writes the data bundle
# beside it, and times 5,000 comments.
#
# Usage: bench/node-triage/run.sh [comments] [runs]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/target/node-triage"
cd "$root"
cargo build --lib --target wasm32-unknown-unknown --release --no-default-features
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/release/kefu.wasm
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$out/kefu_bg.wasm" -o "$out/kefu_bg.wasm"
cargo run --quiet --release --bin kefu -- data-bundle > "$out/kefu-data.json"
node bench/node-triage/bench.cjs "$out/kefu.js" "$@"
