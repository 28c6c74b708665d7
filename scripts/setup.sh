#!/usr/bin/env bash
# Installs the build prerequisites of the Rust workspace when missing
# (Debian/Ubuntu). Idempotent and quick when everything is there.
set -euo pipefail
need=()
# libdbus-1-dev: the keyring crate talks to the Secret Service over D-Bus.
# dbus-x11 + gnome-keyring: the OS keyring test runs in a private D-Bus session.
for p in build-essential pkg-config libdbus-1-dev python3-pip dbus-x11 gnome-keyring; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi
command -v cargo >/dev/null || { echo "install Rust first: https://rustup.rs" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt
