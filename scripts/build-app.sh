#!/usr/bin/env bash
# Builds the UI (trunk, release) and then the Tauri app (release,
# custom-protocol) that embeds it. Tools: tests/e2e/setup.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
(cd "$ROOT/ui" && CARGO_TARGET_DIR="$ROOT/target-ui" trunk build --release --public-url / 2>&1 | tail -n 1)
# Tauri embeds ui/dist at compile time; build.rs watches it.
CARGO_TARGET_DIR="$ROOT/target-app" cargo build --release --features custom-protocol \
  --manifest-path "$ROOT/src-tauri/Cargo.toml" 2>&1 | { grep -E '^(warning|error)|Finished' || true; }
test -x "$ROOT/target-app/release/dauys-app"
