#!/usr/bin/env bash
# Installs what building and testing Kefu needs, when it is missing, and does
# nothing when it is there. Called by `make demo` and `make test` (via
# `make setup`); safe to run again. Needs root (or sudo) for Debian packages.
#
# Every tool is pinned. A pinned tool is installed with `--locked` first; when
# the registry this machine reaches lags the tool's own lock file (it happened:
# webpki-roots 1.0.11 was missing), the install is retried without the lock,
# and setup says so. At the end each tool's version is checked against its pin
# (`scripts/check-setup.sh`), so a setup that "succeeded" with the wrong tool
# fails here and not twenty minutes later in a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The pins. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
GECKODRIVER=0.37.1
CARGO_FUZZ=0.13.2
# Where cargo installs the tools (CARGO_INSTALL_ROOT, as cargo itself reads it).
ROOT="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}"
export PATH="$ROOT/bin:$PATH"

# Debian packages: browsers and drivers for the tests and the demo, CJK fonts
# for screenshots, zip for the packages.
APT_PACKAGES=(chromium chromium-driver firefox-esr fonts-noto-cjk fonts-noto-color-emoji zip)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo_install CRATE VERSION BINARY: `--locked` first, then without the lock.
cargo_install() {
  local crate=$1 version=$2 bin=$3 toolchain=${4:-}
  local have
  have=$("$ROOT/bin/$bin" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)
  [ "$have" = "$version" ] && return 0
  say "installing $crate $version into $ROOT (a few minutes)"
  if cargo $toolchain install -q "$crate" --version "=$version" --locked --root "$ROOT" 2> target-setup.log; then
    rm -f target-setup.log
    return 0
  fi
  say "$crate $version did not install with its own lock file (the registry lags it):"
  grep -E '^error|locked to|failed to select' target-setup.log | head -n 5 | sed 's/^/setup:   /' || true
  say "retrying $crate $version without --locked (its dependencies resolved against this registry)"
  rm -f target-setup.log
  cargo $toolchain install -q "$crate" --version "=$version" --root "$ROOT"
}

cargo_install wasm-bindgen-cli "$WASM_BINDGEN" wasm-bindgen
cargo_install geckodriver "$GECKODRIVER" geckodriver

# Fuzzing: cargo-fuzz runs on the nightly toolchain that rustup provides.
if ! cargo +nightly --version >/dev/null 2>&1; then
  say "no nightly toolchain: installing one for the fuzz smoke"
  rustup toolchain install nightly --profile minimal
fi
cargo_install cargo-fuzz "$CARGO_FUZZ" cargo-fuzz

# npm packages (playwright-core, selenium-webdriver, binaryen, web-ext),
# exactly as package-lock.json pins them.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

scripts/check-setup.sh
