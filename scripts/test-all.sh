#!/usr/bin/env bash
# Runs every test of Dauys. README's second command; CI runs it too.
# Installs what it needs when missing. Environment:
#   DAUYS_TEST_POSTGRES=postgres://…  also run the storage/API suite on PostgreSQL
#   DAUYS_SKIP_E2E=1                  skip the app's end-to-end tests
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="$root/../shared"
t0=$(date +%s)
# Each step says the time so far and the disk left (CI once ran out).
step() {
  printf '\n==> [%ss, %s free] %s\n' "$(( $(date +%s) - t0 ))" \
    "$(df -h . | awk 'NR==2 {print $4}')" "$*"
}

bash scripts/setup.sh
# One target dir for every script: nothing is built twice.
export CARGO_TARGET_DIR="$root/target"

step "format and lints"
cargo fmt --all -- --check
for m in ui src-tauri tests/i18n; do cargo fmt --manifest-path "$m/Cargo.toml" -- --check; done
cargo clippy --workspace --all-targets -- -D warnings

step "unit and integration tests (SQLite${DAUYS_TEST_POSTGRES:+ and PostgreSQL})"
cargo test --workspace

step "profile keys in the real OS keyring (Secret Service, private D-Bus session)"
bash crates/core/tests/keyring.sh

step "app strings: kk/ru/en bundles complete, every used id exists, no literals in UI code"
cargo test -q --manifest-path tests/i18n/Cargo.toml

step "tally against real elections"
if [ -d "$shared/pabulib" ]; then
  cargo run -q --release -p dauys-tally -- verify "$shared/pabulib"
else
  echo "SKIP: ../shared/pabulib is absent (it exists only beside the team's checkout)"
fi

if [ -x crates/tally/tests/pabulib_checker.sh ] || [ -f crates/tally/tests/pabulib_checker.sh ]; then
  step "pabulib-checker on files written by dauys-tally"
  bash crates/tally/tests/pabulib_checker.sh
fi

step "OpenAPI property test (schemathesis): no 5xx"
bash scripts/schemathesis.sh

step "the staff console in real Chromium (axe-core in kk/ru/en, flows without JavaScript)"
bash tests/web/run.sh

# The app's tools and build (~20 min cold) start now, in the background and
# at low priority, so they use the CPU the fuzzer and the shaped-network
# tests leave idle. (After schemathesis: its pip installs must not race
# the E2E setup's.) The E2E step waits for them.
# The Android type-check's tools first, in the foreground: apt and rustup
# must not run at the same time as the E2E setup's.
bash scripts/android-check.sh --install-only
e2e_build_pid=""
if [ -f tests/e2e/run.sh ] && [ "${DAUYS_SKIP_E2E:-}" != 1 ]; then
  mkdir -p artifacts
  step "building the app for the end-to-end tests (background; log: artifacts/e2e-build.log)"
  setsid -w nice -n 19 bash -c 'bash tests/e2e/setup.sh && bash scripts/build-app.sh' >artifacts/e2e-build.log 2>&1 &
  e2e_build_pid=$!
fi
# Background jobs run in their own process groups: stopped with everything
# in them if a step fails.
stop_background() {
  for pid in ${e2e_build_pid:-} ${android_pid:-}; do kill -- -"$pid" 2>/dev/null || true; done
}
trap stop_background EXIT

# The Android type-check (~8 min of CPU, mostly idle-time here too): in
# the background at low priority, waited for before the end.
mkdir -p artifacts
step "Android type-check of core and shell (background; log: artifacts/android-check.log)"
setsid -w nice -n 19 bash scripts/android-check.sh >artifacts/android-check.log 2>&1 &
android_pid=$!

if [ "${DAUYS_SKIP_FUZZ:-}" != 1 ]; then
  step "fuzz the pabulib parser (short run)"
  bash scripts/fuzz-short.sh crates/tally/fuzz parse
  step "fuzz push decoding and op parsing (short run)"
  bash scripts/fuzz-short.sh crates/proto/fuzz push
  step "fuzz the client applying pull responses (short run)"
  bash scripts/fuzz-short.sh crates/core/fuzz pull
fi

step "sync over shaped networks (netem: edge, gprs, flaky, partition)"
bash crates/cli/tests/netem.sh

if [ -f tests/e2e/run.sh ] && [ "${DAUYS_SKIP_E2E:-}" != 1 ]; then
  step "end-to-end: waiting for the app's build"
  if ! wait "$e2e_build_pid"; then
    tail -n 60 artifacts/e2e-build.log
    echo "the app's build failed (full log: artifacts/e2e-build.log)"; exit 1
  fi
  tail -n 3 artifacts/e2e-build.log
  step "end-to-end: the real app through WebDriver"
  DAUYS_E2E_SKIP_BUILD=1 bash tests/e2e/run.sh
  # After the E2E build: it installed the wasm target and built ui/dist,
  # which the shell embeds at compile time.
  step "lints of the UI (wasm) and the Tauri shell"
  (cd ui && CARGO_TARGET_DIR="$root/target-ui" cargo clippy -q --target wasm32-unknown-unknown \
    --all-targets -- -D warnings)
  CARGO_TARGET_DIR="$root/target-app" cargo clippy -q --manifest-path src-tauri/Cargo.toml \
    --features custom-protocol --all-targets -- -D warnings
fi

step "Android type-check: waiting for it"
if ! wait "$android_pid"; then
  tail -n 40 artifacts/android-check.log
  echo "the Android type-check failed (full log: artifacts/android-check.log)"; exit 1
fi
tail -n 1 artifacts/android-check.log

step "all tests passed"
