#!/usr/bin/env bash
# Checks that every tool setup installs is there at its pinned version. Run at
# the end of `scripts/setup.sh`, and by `make test` (tests/setup.test.sh runs
# setup itself into an empty install root). Exit 1 naming each tool that is
# missing or at the wrong version.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
export PATH="$ROOT/bin:$PWD/node_modules/.bin:$PATH"

WASM_BINDGEN=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
GECKODRIVER=$(sed -n 's/^GECKODRIVER=//p' scripts/setup.sh)
CARGO_FUZZ=$(sed -n 's/^CARGO_FUZZ=//p' scripts/setup.sh)
bad=0
check() { # NAME WANT COMMAND...
  local name=$1 want=$2; shift 2
  local got
  got=$("$@" 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)*' | head -n1 || true)
  if [ -z "$got" ]; then
    echo "setup check: $name is missing ($*)" >&2; bad=1
  elif [ -n "$want" ] && [ "$got" != "$want" ]; then
    echo "setup check: $name is $got, want $want" >&2; bad=1
  else
    printf 'setup check: %-16s %s\n' "$name" "$got"
  fi
}
check wasm-bindgen "$WASM_BINDGEN" "$ROOT/bin/wasm-bindgen" --version
check geckodriver "$GECKODRIVER" "$ROOT/bin/geckodriver" --version
check cargo-fuzz "$CARGO_FUZZ" "$ROOT/bin/cargo-fuzz" --version
check nightly "" cargo +nightly --version
check chromium "" chromium --version
check chromedriver "" chromedriver --version
check firefox-esr "" firefox-esr --version
check wasm-opt "" wasm-opt --version
check web-ext "" web-ext --version
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { echo "setup check: the wasm32-unknown-unknown target is missing" >&2; bad=1; }
fc-list :lang=zh | grep -q . || { echo "setup check: no CJK font (fonts-noto-cjk)" >&2; bad=1; }
exit $bad
