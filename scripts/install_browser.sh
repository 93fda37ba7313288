#!/usr/bin/env bash
# Install the headless browser the real-browser tests drive: Debian's Chromium and its matching chromedriver.
# Idempotent: does nothing when both are present. Needs root (apt-get); tools' own browser downloads
# (playwright install, the npm chromedriver package) do not work on our machines, so always use apt.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
    echo "install_browser: $("$CHROMIUM" --version 2>/dev/null) and chromedriver already installed"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "install_browser: $CHROMIUM or $CHROMEDRIVER is missing and this is not root." >&2
    echo "  As root run: apt-get update && apt-get install -y chromium chromium-driver fonts-liberation" >&2
    exit 1
fi

# Another apt/dpkg run (e.g. a provisioning step) may hold the lock: wait for it instead of failing.
APT_OPTS=(-o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
apt-get "${APT_OPTS[@]}" update
apt-get "${APT_OPTS[@]}" install -y chromium chromium-driver fonts-liberation

if [[ ! -x "$CHROMIUM" || ! -x "$CHROMEDRIVER" ]]; then
    echo "install_browser: apt-get finished but $CHROMIUM or $CHROMEDRIVER is still missing" >&2
    exit 1
fi
echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null)"
