#!/usr/bin/env bash
# Short fuzz run of one cargo-fuzz target (for CI):
#   scripts/fuzz-short.sh crates/tally/fuzz parse
# FUZZ_SECONDS (default 60). Needs a nightly-capable rustc: uses the
# nightly toolchain if installed, else RUSTC_BOOTSTRAP=1. The corpus is
# corpus/<target> in the fuzz crate (its seeds are committed).
set -euo pipefail
DIR="$1"
TARGET="$2"
SECS="${FUZZ_SECONDS:-60}"
cd "$DIR"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  TOOLCHAIN=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
mkdir -p "corpus/$TARGET"
cargo "${TOOLCHAIN[@]}" fuzz run "$TARGET" "corpus/$TARGET" -- \
  -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048
