#!/usr/bin/env bash
# 60-second fuzz run of the client applying pull responses (for CI). Needs a nightly-capable
# rustc: uses the nightly toolchain if installed, else RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
SECS="${FUZZ_SECONDS:-60}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
mkdir -p corpus/pull
cargo "${TOOLCHAIN[@]}" fuzz run pull corpus/pull -- -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048
