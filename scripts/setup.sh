#!/usr/bin/env bash
# Installs what building and testing Kefu needs, when it is missing, and does
# nothing when it is there. Called by `make demo` and `make test` (via
# `make setup`); safe to run again. Needs root (or sudo) for Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

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

# wasm-bindgen-cli, pinned to the wasm-bindgen version in Cargo.lock: the CLI
# and the crate must agree exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 3 minutes)"
  cargo install -q wasm-bindgen-cli --version "=$want" --locked
fi

# geckodriver, for Firefox tests.
if ! command -v geckodriver >/dev/null && [ ! -x "$HOME/.cargo/bin/geckodriver" ]; then
  say "installing geckodriver"
  cargo install -q geckodriver --locked
fi

# npm packages (playwright-core, selenium-webdriver, binaryen, web-ext),
# exactly as package-lock.json pins them.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
