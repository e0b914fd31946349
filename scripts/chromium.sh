#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests
# (`make test`, `make e2e`) and the bench's phone row: installs the
# `chromium` package when it is missing, as scripts/pg.sh does for
# PostgreSQL (as root; otherwise it says what to install and fails).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "Chromium not found at /usr/bin/chromium: installing Debian's chromium package" >&2
if [ "$(id -u)" != 0 ]; then echo "run as root or install chromium yourself (apt-get install chromium)" >&2; exit 1; fi
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "chromium installed, but /usr/bin/chromium is still missing" >&2; exit 1; }
