#!/usr/bin/env bash
# Install Debian's Chromium (and fonts) for the browser tests; safe to run again.
#
# Playwright's own browser download cannot work offline, so the tests drive
# /usr/bin/chromium from Debian instead. Prints the Chromium version on success.
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    else
        SUDO=""
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # fonts-dejavu-core: a font with Swedish letters (å ä ö) for readable screenshots.
    $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

"$CHROMIUM" --version
