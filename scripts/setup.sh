#!/usr/bin/env bash
# Installs what building Concord needs, skipping whatever is already there:
# the pinned Rust toolchain (with the wasm32 target), cargo-leptos and the
# wasm-bindgen CLI matching Cargo.lock. With `--test`, also Chromium, faketime,
# poppler and the end-to-end npm packages. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v rustup >/dev/null 2>&1; then
  echo "rustup is required (https://rustup.rs); install it and run this again." >&2
  exit 1
fi
export PATH="$HOME/.cargo/bin:$PATH"

# rust-toolchain.toml pins the toolchain; this installs it (and the wasm32
# target, rustfmt, clippy) on first use.
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (a few minutes, once)"
  # Its own release profile asks for fat LTO in one codegen unit, which
  # takes ~13 minutes on two cores; a build tool gains nothing from it that
  # a CI run would notice, so the install overrides both (and keeps -O1).
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  # Not --locked: its own lock file names a crate version no longer published.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The release build's wasm-opt. Without one on PATH, cargo-leptos downloads
# Binaryen from the web, which these machines cannot reach; Debian's
# binaryen (108) breaks hydration. Binaryen 123 from npm runs under Node;
# a small wrapper in ~/.cargo/bin puts it where cargo-leptos looks.
BINARYEN_VERSION=123.0.0
if ! wasm-opt --version 2>/dev/null | grep -q "version 123"; then
  if command -v npm >/dev/null 2>&1; then
    say "Installing wasm-opt (Binaryen $BINARYEN_VERSION, from npm)"
    tools="${CARGO_HOME:-$HOME/.cargo}/concord-tools/binaryen"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
    printf '#!/bin/sh\nexec node "%s/node_modules/binaryen/bin/wasm-opt" "$@"\n' "$tools" \
      > "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-opt"
    chmod +x "${CARGO_HOME:-$HOME/.cargo}/bin/wasm-opt"
  else
    echo "note: npm not found, so no wasm-opt: debug builds work, release builds need Node and npm." >&2
  fi
fi

if [ "${1:-}" = "--test" ]; then
  # Chromium for the journeys; faketime to run the suite with the calendar
  # moved ahead (scripts/test.sh's second pass).
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
  # poppler: the print journey reads the PDFs Chromium prints, and turns
  # their first pages into PNGs to look at.
  command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
  if [ -n "$missing" ]; then
    say "Installing from Debian:$missing"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq $missing >/dev/null
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing the end-to-end test packages"
    # Playwright must not download a browser: Debian's Chromium is used.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
