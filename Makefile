# Kefu's entry point for people and CI. The two commands of the README:
#   make demo   set up, build, open the replica page with the extension
#   make test   set up, build, run every test
# Other targets: setup, wasm, dist, cli, lint, playground, bench, fuzz, clean.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

WASM_RAW := target/wasm32-unknown-unknown/release/kefu.wasm
PKG := extension/pkg
WASM_FEATURES := --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue

.PHONY: setup wasm dist cli demo test lint playground bench fuzz clean

setup:
	@scripts/setup.sh

# The engine, two builds of the core into extension/pkg (cargo → wasm-bindgen
# --target web → wasm-opt): the checker that runs for every page (kefu.js,
# kefu_bg.wasm: no list reader, within the 300 KiB budget) and the list
# reader for the options page, the registry and the playground (kefu_lists.js,
# kefu_lists_bg.wasm: feature `authoring`). Their data: kefu-data.json.
wasm:
	cargo build --lib --target wasm32-unknown-unknown --release --no-default-features
	rm -rf target/pkg-raw && mkdir -p target/pkg-raw $(PKG)
	cp $(WASM_RAW) target/pkg-raw/kefu.wasm
	cargo build --lib --target wasm32-unknown-unknown --release
	cp $(WASM_RAW) target/pkg-raw/kefu_lists.wasm
	for m in kefu kefu_lists; do \
	  wasm-bindgen --target web --no-typescript --out-dir target/pkg-raw target/pkg-raw/$$m.wasm && \
	  wasm-opt -Oz $(WASM_FEATURES) target/pkg-raw/$${m}_bg.wasm -o $(PKG)/$${m}_bg.wasm && \
	  cp target/pkg-raw/$$m.js $(PKG)/$$m.js || exit 1; \
	done
	cargo run --quiet --release --bin kefu -- data-bundle > $(PKG)/kefu-data.json
	@gzip -9 -c $(PKG)/kefu_bg.wasm | wc -c | awk -v raw=$$(wc -c < $(PKG)/kefu_bg.wasm) \
	  '{ printf "kefu_bg.wasm (the checker): %d bytes, %d bytes gzipped (%.1f KiB of the 300 KiB budget)\n", raw, $$1, $$1 / 1024 }'
	@printf 'kefu_lists_bg.wasm (the list reader, loaded when a list is read): %d bytes gzipped\n' $$(gzip -9 -c $(PKG)/kefu_lists_bg.wasm | wc -c)
	@printf 'kefu-data.json (data beside the engine): %d bytes gzipped\n' $$(gzip -9 -c $(PKG)/kefu-data.json | wc -c)

dist: wasm
	node scripts/build-dist.mjs

cli:
	cargo build --release --bin kefu

demo: setup dist
	node scripts/demo.mjs

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	web-ext lint --source-dir dist/firefox --self-hosted --warnings-as-errors

test: setup dist
	scripts/test.sh

# The compliance playground (www/playground) on http://127.0.0.1:8090/.
playground: wasm
	node www/playground/serve.mjs --port 8090

# Benchmarks: criterion natively, then the wasm build in Node beside the npm
# peers (see BENCHMARKS.md).
bench:
	KEFU_SHARED_DATA=$${KEFU_SHARED_DATA:-$(CURDIR)/../shared/data} cargo bench
	bench/node/run.sh
	bench/node-triage/run.sh
	KEFU_SHARED_DATA=$${KEFU_SHARED_DATA:-$(CURDIR)/../shared/data} bench/whole/run.sh

# Fuzzing (needs the nightly toolchain and cargo-fuzz): a short smoke of
# every target; FUZZ_SECONDS=1800 for the long runs.
fuzz:
	fuzz/smoke.sh

clean:
	rm -rf target dist $(PKG) tests/out
