#!/usr/bin/env bash
# End-to-end tests of the real built Dauys app (Tauri + WebKitWebDriver under
# Xvfb) against a real `dauys-server --demo` on loopback.
#
# Installs what is missing (apt packages, wasm target, trunk 0.21.14,
# wasm-bindgen-cli matching ui/Cargo.lock, tauri-driver, binaryen 132 and
# axe-core from npm, selenium from pip), builds the UI, then the app, then
# runs tests/e2e/test_app.py. Screenshots and logs go to artifacts/e2e/.
#
#   tests/e2e/run.sh                 # all scenarios
#   tests/e2e/run.sh -k scenario1    # only some (substring of the test name)
#   DAUYS_E2E_SKIP_BUILD=1 tests/e2e/run.sh   # reuse the last build
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="$ROOT/tests/e2e"
ART="$ROOT/artifacts/e2e"
mkdir -p "$ART"
export CARGO_TERM_COLOR=never
t0=$(date +%s)
log() { echo "[e2e $(( $(date +%s) - t0 ))s] $*"; }

# ---- tools ---------------------------------------------------------------
"$E2E/setup.sh"
export PATH="$E2E/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# ---- build ---------------------------------------------------------------
if [ -z "${DAUYS_E2E_SKIP_BUILD:-}" ]; then
  log "i18n check"
  CARGO_TARGET_DIR="$ROOT/target-ui" cargo test -q --manifest-path "$ROOT/tests/i18n/Cargo.toml" 2>&1 | tail -n 3
  log "building the UI (trunk)"
  (cd "$ROOT/ui" && CARGO_TARGET_DIR="$ROOT/target-ui" trunk build --release --public-url / 2>&1 | tail -n 3)
  log "building the app (tauri, release, custom-protocol)"
  CARGO_TARGET_DIR="$ROOT/target-app" cargo build --release --features custom-protocol \
    --manifest-path "$ROOT/src-tauri/Cargo.toml" 2>&1 | { grep -E '^(warning: unused|error|Finished)' || true; }
  log "building the server"
  cargo build -q -p dauys-server --manifest-path "$ROOT/Cargo.toml"
fi
APP="$ROOT/target-app/release/dauys-app"
SERVER="$ROOT/target/debug/dauys-server"
[ -x "$APP" ] && [ -x "$SERVER" ] || { echo "build missing: $APP / $SERVER"; exit 2; }

wasm=$(ls "$ROOT"/ui/dist/*.wasm | head -n1)
echo "ui wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip" | tee "$ART/sizes.txt"
echo "app binary: $(stat -c %s "$APP") bytes" | tee -a "$ART/sizes.txt"

# ---- run -----------------------------------------------------------------
DISPLAY_NUM=${DAUYS_E2E_DISPLAY:-$(( 90 + RANDOM % 9 ))}
# A tall screen: screenshots are taken from X (see x11_shot in test_app.py),
# full pages by growing the window, so it must fit on the screen.
SCREEN_H=3200
Xvfb ":$DISPLAY_NUM" -screen 0 1280x${SCREEN_H}x24 -nolisten tcp >"$ART/xvfb.log" 2>&1 &
XVFB=$!
cleanup() { kill "$XVFB" 2>/dev/null || true; }
trap cleanup EXIT
sleep 1
export DISPLAY=":$DISPLAY_NUM"
export DAUYS_E2E_APP="$APP" DAUYS_E2E_SERVER="$SERVER" DAUYS_E2E_ARTIFACTS="$ART" DAUYS_E2E_SCREEN_H="$SCREEN_H"
export DAUYS_E2E_AXE="$E2E/node_modules/axe-core/axe.min.js"
log "running scenarios"
set +e
# One D-Bus session for the driver, the app and an unlocked keyring.
# `timeout`: the scenarios have their own watchdog; this is the last resort
# that keeps a wedged session from holding CI (a normal run takes ~2 min).
timeout -k 30 "${DAUYS_E2E_TOTAL_TIMEOUT:-2400}" dbus-run-session -- sh -c '
  echo -n e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  python3 -u "$0" "$@"' "$E2E/test_app.py" "$@" 2>&1 | tee "$ART/e2e.log"
rc=${PIPESTATUS[0]}
set -e
log "done (exit $rc); artifacts in $ART"
exit "$rc"
