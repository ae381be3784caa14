#!/usr/bin/env bash
# The README's test command: installs Debian's Chromium for the browser tests when it is
# missing, then runs the whole test suite on 2 workers (pytest-xdist: 11 min on 2 cores;
# pass pytest options through, e.g. -m "not slow", or -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ] || ! command -v chromedriver >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exec .venv/bin/python -m pytest -n 2 "$@"
