#!/usr/bin/env bash
# Runs dauys-core's OS keyring test (tests/keyring.rs; #[ignore]d in a plain
# `cargo test`) against a real Secret Service: a private D-Bus session with
# a throwaway gnome-keyring, unlocked with a dummy password, whose files live
# in a temporary directory (the user's own keyrings are not touched).
# Skips (exit 0) with a message when dbus-run-session or
# gnome-keyring-daemon is missing.
#
#   bash crates/core/tests/keyring.sh            # from anywhere in the repo
set -euo pipefail
cd "$(dirname "$0")/../../.."

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP dauys-core keyring test: $tool not found (Debian/Ubuntu: apt-get install dbus-x11 gnome-keyring)"
    exit 0
  fi
done

# Build outside the D-Bus session, so a build error reads as one.
cargo test -p dauys-core --test keyring --no-run

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/data" "$scratch/run"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
# Key files would hide a keyring failure: the test asserts the keyring was used.
unset DAUYS_KEYSTORE

dbus-run-session -- sh -c '
  set -e
  echo -n dauys-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  cargo test -p dauys-core --test keyring -- --ignored --nocapture
'
