#!/usr/bin/env bash
# Installs Debian's chromium for the browser suite (tests/browser/), which drives it headless through
# playwright-core. Safe to run again: an installed chromium is left alone, and nothing is printed but errors and
# one closing line.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-chromium.sh: must run as root (it calls apt-get install)" >&2
    exit 1
fi

status=$(dpkg-query -W -f='${db:Status-Status}' chromium 2>/dev/null || true)
if [ "$status" != "installed" ]; then
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "install-chromium.sh: apt-get failed installing chromium" >&2
        exit 1
    fi
    rm -f "$log"
fi

command -v chromium >/dev/null || { echo "install-chromium.sh: chromium still missing after install" >&2; exit 1; }
echo "install-chromium.sh: $(chromium --version 2>/dev/null | head -n 1) ready"
