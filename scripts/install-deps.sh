#!/usr/bin/env bash
# Installs the Debian packages oauth-relay needs to build, test and run its demo.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail

packages=(
  libmicrohttpd-dev libssl-dev libsecret-1-dev libglib2.0-dev libcurl4-openssl-dev pkg-config
  gnome-keyring libsecret-tools dbus dbus-bin
  chromium chromium-driver python3 python3-venv curl tmux
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "oauth-relay needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
