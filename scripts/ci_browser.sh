#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/browser, Playwright for Python drives it
# through executable_path=/usr/bin/chromium). Installs the `chromium` package when it is
# missing; does nothing when it is there. Playwright's own browser downloads are never used.
#
#   bash scripts/ci_browser.sh        # then: CI=true make test (browser tests fail, not skip)
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing Debian's package" >&2
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version)" >&2
