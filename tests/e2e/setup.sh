#!/usr/bin/env bash
# Installs what the Dauys app build and its E2E tests need, only when missing
# or at the wrong version: apt packages, the wasm32 target, trunk 0.21.14,
# wasm-bindgen-cli matching ui/Cargo.lock, tauri-driver, binaryen 132 and
# axe-core (npm, in tests/e2e/node_modules), selenium (pip).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="$ROOT/tests/e2e"
log() { echo "[setup] $*"; }
APT_PKGS=(libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev build-essential pkg-config libssl-dev xvfb webkit2gtk-driver dbus-x11
  gnome-keyring imagemagick xdotool keyutils)
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for t in node npm python3; do command -v $t >/dev/null || { echo "need $t on PATH"; exit 2; }; done
rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

TOOLS_TARGET="$ROOT/target-tools"
# DAUYS_TOOLS_DEBUG=1 (CI's throwaway machines) builds the tools without
# optimisation: several minutes faster to install, fast enough for one run.
PROFILE=(); [ "${DAUYS_TOOLS_DEBUG:-}" = 1 ] && PROFILE=(--debug)
# The tools need no debug info (it would be gigabytes of disk).
export CARGO_PROFILE_DEV_DEBUG=false
if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  log "installing trunk 0.21.14 (~8 min)"
  CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install "${PROFILE[@]}" --locked trunk --version 0.21.14
fi
WBG=$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/ui/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG" ]; then
  log "installing wasm-bindgen-cli $WBG (~4 min)"
  # Not --locked: its lock pins a webpki-roots the registry does not serve.
  CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install "${PROFILE[@]}" wasm-bindgen-cli --version "$WBG" --force
fi
command -v tauri-driver >/dev/null || CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install "${PROFILE[@]}" --locked tauri-driver --version '^2'
# Installed into ~/.cargo/bin: their build directory is only disk now.
rm -rf "$TOOLS_TARGET"
[ -x "$E2E/node_modules/.bin/wasm-opt" ] && [ -f "$E2E/node_modules/axe-core/axe.min.js" ] ||
  (cd "$E2E" && npm install --no-audit --no-fund --silent)
# Debian's binaryen 108 silently breaks the wasm: use binaryen 132 from npm.
export PATH="$E2E/node_modules/.bin:$HOME/.cargo/bin:$PATH"
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q 'selenium>=4.20,<5'

