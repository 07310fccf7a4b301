#!/usr/bin/env bash
# Unpacks Debian trixie's docker-compose (a Compose v2 binary) into tools/compose-v2
# without installing it or any engine.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="tools/compose-v2"
[ -x "$dest/usr/libexec/docker/cli-plugins/docker-compose" ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
list=/etc/apt/sources.list.d/mifit-trixie-compose.list
tmp=$(mktemp -d)
mirror=$( (grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'; grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}') | grep -v security | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
echo "deb [trusted=yes] $mirror trixie main" | $SUDO tee "$list" >/dev/null
cleanup() { $SUDO rm -f "$list"; $SUDO apt-get update -qq >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
$SUDO apt-get update -qq -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=- >/dev/null
(cd "$tmp" && apt-get download -qq -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=- docker-compose/trixie >/dev/null)
mkdir -p "$dest"
dpkg -x "$tmp"/docker-compose_*.deb "$dest"
"$dest/usr/libexec/docker/cli-plugins/docker-compose" version
