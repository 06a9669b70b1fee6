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
    # Wait for apt's lock: scripts/setup-postgres.sh may be installing at the same time.
    $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq ||
        echo "setup-chromium: apt-get update failed; trying with the package lists we have" >&2
    # fonts-dejavu-core: a font with Swedish letters (å ä ö) for readable screenshots.
    $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core >/dev/null
fi

# Debian's wrapper script prints a harmless shell warning on some machines; keep
# stdout (the version) and fail loudly if the browser itself does not run.
"$CHROMIUM" --version 2>/dev/null || {
    echo "setup-chromium: $CHROMIUM is installed but does not run" >&2
    exit 1
}
