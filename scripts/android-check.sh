#!/usr/bin/env bash
# Type-checks the client core and the app shell for Android (aarch64):
# `cargo check`, no linking — these machines have no Android NDK or SDK,
# so nothing can be linked or packaged (README, Android, says what this
# does and does not prove). The C code that build scripts compile (bundled
# SQLite, ring) is compiled by Debian's clang for aarch64 with glibc's
# headers standing in for bionic's: enough to compile, not to link.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
if ! command -v clang >/dev/null || ! command -v llvm-ar >/dev/null || [ ! -d /usr/aarch64-linux-gnu/include ]; then
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq clang llvm libc6-dev-arm64-cross >/dev/null
fi
rustup target list --installed | grep -qx aarch64-linux-android || rustup target add aarch64-linux-android
# `--install-only`: tools only (test-all.sh installs them in the
# foreground: apt and rustup must not run twice at once).
[ "${1:-}" = "--install-only" ] && exit 0
export CC_aarch64_linux_android=clang
export AR_aarch64_linux_android=llvm-ar
export CFLAGS_aarch64_linux_android="--target=aarch64-linux-gnu -isystem /usr/aarch64-linux-gnu/include"
export CARGO_TARGET_DIR="${DAUYS_ANDROID_TARGET_DIR:-$root/target-android}"
echo "android: dauys-core without the desktop keyring"
cargo check -q --target aarch64-linux-android -p dauys-core --no-default-features
echo "android: the app shell (library with the mobile entry point)"
# The shell embeds ../ui/dist at compile time; an empty one is enough here.
mkdir -p ui/dist
[ -f ui/dist/index.html ] || echo '<!doctype html><title>Dauys</title>' > ui/dist/index.html
cargo check -q --target aarch64-linux-android --manifest-path src-tauri/Cargo.toml --lib
echo "android: type-check passed (core and shell, aarch64-linux-android)"
