#!/usr/bin/env bash
# README command 1: build the Dauys app and launch it against a local demo
# server with sample data. Installs what is missing (apt packages, the wasm
# target, trunk 0.21.14, wasm-bindgen-cli matching ui/Cargo.lock, binaryen 132).
#
#   scripts/run-demo.sh            # server on 127.0.0.1:8080, app window
#   DAUYS_DEMO_PORT=9000 scripts/run-demo.sh
# Without a display it starts Xvfb and saves a screenshot to artifacts/demo.png.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT=${DAUYS_DEMO_PORT:-8080}
DATA="$ROOT/data/demo"
mkdir -p "$DATA" "$ROOT/artifacts"

# Same tool set-up as the E2E run, without running the tests.
DAUYS_SETUP_ONLY=1 "$ROOT/tests/e2e/setup.sh"
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== building the UI, the app and the server"
(cd "$ROOT/ui" && CARGO_TARGET_DIR="$ROOT/target-ui" trunk build --release --public-url / 2>&1 | tail -n 2)
CARGO_TARGET_DIR="$ROOT/target-app" cargo build --release --features custom-protocol --manifest-path "$ROOT/src-tauri/Cargo.toml"
cargo build -p dauys-server --manifest-path "$ROOT/Cargo.toml"

echo "== demo server on http://127.0.0.1:$PORT (IINs below; one-time codes are printed as 'OTP <phone> <code>')"
"$ROOT/target/debug/dauys-server" --demo --listen "127.0.0.1:$PORT" --database "sqlite:$DATA/server.db" &
SERVER=$!
XVFB=""
cleanup() { kill "$SERVER" 2>/dev/null || true; [ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1280x800x24 -nolisten tcp & XVFB=$!
  export DISPLAY=:97
  ( sleep 8; import -window root "$ROOT/artifacts/demo.png" && echo "screenshot: artifacts/demo.png" ) &
fi
echo "== launching the app (close its window to stop)"
DAUYS_SERVER="http://127.0.0.1:$PORT" DAUYS_HOME="$DATA/app" \
  dbus-run-session -- "$ROOT/target-app/release/dauys-app"
