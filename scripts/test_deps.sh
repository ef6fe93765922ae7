#!/usr/bin/env bash
# Installs what the browser and proxy tests need: Debian's chromium, nginx and curl, and
# the playwright Python package in the project venv. Never downloads a browser build
# of its own (playwright drives /usr/bin/chromium). Idempotent: quick when all present.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${KEHOACH_PYTHON:-$here/.venv/bin/python}"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    # The package lists are only refreshed when apt cannot see a candidate.
    for pkg in "${missing[@]}"; do
        if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            $sudo apt-get update -qq >/dev/null
            break
        fi
    done
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts nginx on install; the tests run their own instances.
    if command -v systemctl >/dev/null && systemctl is-active -q nginx 2>/dev/null; then
        $sudo systemctl stop nginx || true
    fi
fi

if ! "$py" -c "import playwright" 2>/dev/null; then
    "$py" -m pip install -q playwright
fi
echo "test deps ok: $(/usr/bin/chromium --version 2>/dev/null | head -1); $(/usr/sbin/nginx -v 2>&1)"
