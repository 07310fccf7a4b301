#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine: real InfluxDB 1.6.7 and
# VictoriaMetrics (integration tests), Chromium (status page browser test),
# docker-compose 1.29 + yamllint (stack validation), python3-gpxpy (GPX read-back test), a Compose v2 binary unpacked from
# Debian trixie (no engine is installed), then the npm packages (which bring Node 24).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
need=()
for pair in influxd:influxdb influx:influxdb-client victoria-metrics:victoria-metrics chromium:chromium docker-compose:docker-compose yamllint:yamllint; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
done
# The GPX read-back test reads exported files with an independent reader.
/usr/bin/python3 -c 'import gpxpy' >/dev/null 2>&1 || need+=(python3-gpxpy)
if [ ${#need[@]} -gt 0 ]; then
  # A mirror hiccup should not fail a fresh machine: three tries, a few seconds apart.
  for try in 1 2 3; do
    if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then break; fi
    [ "$try" -eq 3 ] && { echo "apt-get could not install: ${need[*]}" >&2; exit 1; }
    sleep $((try * 5))
  done
fi
bash scripts/install-compose-v2.sh || echo "warning: Compose v2 binary not available; the v2 compose check will be skipped" >&2
npm ci --no-audit --no-fund || { sleep 5; npm ci --no-audit --no-fund; }
