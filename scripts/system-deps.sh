#!/usr/bin/env bash
# Debian packages Tỉnh Số needs outside Python: fonts and Pango for WeasyPrint, gettext for the
# translations, and (with --browser, what `make test` needs) Chromium for the browser tests, npm,
# which installs axe-core (package-lock.json) into node_modules/ with `npm ci`, and nginx and
# openssl for the test of the production front (deploy/nginx). Installs only what is missing.
set -euo pipefail
want=()
command -v msgfmt >/dev/null || want+=(gettext)
ldconfig -p 2>/dev/null | grep -q libpangoft2 || want+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/noto ] || want+=(fonts-noto-core)
[ -d /usr/share/fonts/truetype/dejavu ] || want+=(fonts-dejavu-core)
if [ "${1:-}" = "--browser" ]; then
  [ -x /usr/bin/chromium ] || want+=(chromium)
  command -v npm >/dev/null || want+=(npm)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || want+=(nginx-light)
  command -v openssl >/dev/null || want+=(openssl)
fi
if [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${want[*]} (run as root or install them with sudo apt-get)" >&2
    exit 1
  fi
  echo "Installing ${want[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
if [ "${1:-}" = "--browser" ]; then
  cd "$(dirname "$0")/.."
  [ node_modules/.package-lock.json -nt package-lock.json ] ||
    npm ci --no-audit --no-fund --loglevel=error
fi
