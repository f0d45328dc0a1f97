#!/bin/sh
# Phrase-list benchmark in Node: Kefu's wasm build against mint-filter and
# fastscan on the same 64k-phrase list and text (BENCHMARKS.md, "Phrase
# lists"). Builds the wasm itself (cargo + wasm-bindgen --target nodejs +
# wasm-opt -Oz, as shipped) into target/bench-node/, then runs bench.mjs.
#
# Usage: bench/node/run.sh   (KEFU_SHARED_DATA defaults to ../shared/data)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/target/bench-node"
export KEFU_SHARED_DATA="${KEFU_SHARED_DATA:-$root/../shared/data}"

cd "$here"
[ -d node_modules/mint-filter ] || npm install --no-audit --no-fund

CARGO_TARGET_DIR="$out/cargo" cargo build --release --target wasm32-unknown-unknown \
    --manifest-path "$here/crate/Cargo.toml"
wasm="$out/cargo/wasm32-unknown-unknown/release/kefu_bench_wasm.wasm"
wasm-bindgen --target nodejs --out-dir "$out/pkg" "$wasm"
# The nodejs target is CommonJS; the repository's package.json says ESM.
echo '{"type": "commonjs"}' > "$out/pkg/package.json"
if [ -x node_modules/.bin/wasm-opt ]; then
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals \
        "$out/pkg/kefu_bench_wasm_bg.wasm" -o "$out/pkg/kefu_bench_wasm_bg.wasm"
fi
# The data bundle the extension ships beside the engine (folding tables …).
(cd "$root" && cargo run --quiet --release --bin kefu -- data-bundle) > "$out/pkg/kefu-data.json"
echo "wasm: $(wc -c < "$out/pkg/kefu_bench_wasm_bg.wasm") bytes, $(gzip -9c "$out/pkg/kefu_bench_wasm_bg.wasm" | wc -c) gzipped"
node --expose-gc "$here/bench.mjs" "$out/pkg/kefu_bench_wasm.js"
