#!/usr/bin/env bash
# Idle memory (PSS of the app and its WebKit processes) and start-up time of
# the release Dauys app under Xvfb; see scripts/bench/app_memory.py.
#
#   scripts/bench/app_memory.sh                     # builds if needed, both states
#   DAUYS_BENCH_STATES=first-start scripts/bench/app_memory.sh
#   DAUYS_BENCH_SKIP_BUILD=1 scripts/bench/app_memory.sh   # use the last build
#
# Extra environment (e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1) reaches the app.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
"$ROOT/tests/e2e/setup.sh" >/dev/null
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
if [ -z "${DAUYS_BENCH_SKIP_BUILD:-}" ]; then
  "$ROOT/scripts/build-app.sh"
  cargo build -q -p dauys-server --manifest-path "$ROOT/Cargo.toml"
fi
export DAUYS_BENCH_APP="$ROOT/target-app/release/dauys-app"
export DAUYS_BENCH_SERVER="$ROOT/target/debug/dauys-server"
[ -x "$DAUYS_BENCH_APP" ] && [ -x "$DAUYS_BENCH_SERVER" ] || { echo "build missing"; exit 2; }

DISPLAY_NUM=${DAUYS_BENCH_DISPLAY:-$(( 80 + RANDOM % 9 ))}
Xvfb ":$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill "$XVFB" 2>/dev/null || true' EXIT
sleep 1
export DISPLAY=":$DISPLAY_NUM"
echo "app: $DAUYS_BENCH_APP ($(stat -c %s "$DAUYS_BENCH_APP") bytes); $(nproc) cores; $(uname -r)"
# One D-Bus session with an unlocked keyring (same password as tests/e2e/run.sh:
# the keyring file in ~/.local/share/keyrings is shared).
dbus-run-session -- sh -c '
  echo -n e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  python3 -u "$0"' "$ROOT/scripts/bench/app_memory.py" 2>&1 \
  | grep --line-buffered -v -E 'xdg-desktop-portal|pw\.conf|dbus-daemon|^$|SpiRegistry|max threads'
