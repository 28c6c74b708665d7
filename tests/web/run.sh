#!/usr/bin/env bash
# The staff console in real headless Chromium (selenium + chromedriver),
# against a real `dauys-server --demo` on loopback, with the real `dauys`
# CLI as the resident's device. axe-core checks every console page in kk,
# ru and en; the main flows run again with JavaScript disabled.
# Screenshots and axe reports go to artifacts/web/.
#
# Installs what is missing: Debian's chromium and chromium-driver, axe-core
# and html-validate (npm, shared with tests/e2e), selenium and two Open311
# clients (pip).
#
#   tests/web/run.sh            # all scenarios
#   tests/web/run.sh loop       # only scenarios whose name contains "loop"
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E="$ROOT/tests/e2e"
ART="$ROOT/artifacts/web"
mkdir -p "$ART"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

missing=()
for p in chromium chromium-driver; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "[web] apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -f "$E2E/node_modules/axe-core/axe.min.js" ] && [ -x "$E2E/node_modules/.bin/html-validate" ] ||
  (cd "$E2E" && npm install --no-audit --no-fund --silent)
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q 'selenium>=4.20,<5' ||
  python3 -m pip install -q --break-system-packages 'selenium>=4.20,<5'
# Two existing Open311 clients from PyPI (tests/web/open311_clients.py).
python3 -m pip show -q georeport open311 >/dev/null 2>&1 ||
  python3 -m pip install -q 'georeport==0.3.1' 'open311==1.1' ||
  python3 -m pip install -q --break-system-packages 'georeport==0.3.1' 'open311==1.1'

cd "$ROOT"
cargo build -q -p dauys-server -p dauys-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug"
export DAUYS_WEB_SERVER="$BIN/dauys-server" DAUYS_WEB_CLI="$BIN/dauys" DAUYS_WEB_ARTIFACTS="$ART"
export DAUYS_WEB_AXE="$E2E/node_modules/axe-core/axe.min.js"
export DAUYS_WEB_HTML_VALIDATE="$E2E/node_modules/.bin/html-validate"
export DAUYS_WEB_PHOTO="$ROOT/crates/cli/tests/data/tiny.png"
exec python3 "$ROOT/tests/web/test_console.py" "$@"
