#!/usr/bin/env bash
# Installs the npm packages of the folder DIR at the exact versions of its package-lock.json, with
# no install script run (nothing is downloaded besides the packages). Installs npm with apt when
# it is missing and this runs as root. Used by tests/consumer and tests/browser.
#   tests/support/npm_ci.sh DIR
set -euo pipefail
cd "$1"
if ! command -v npm >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "install.sh: npm is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
npm ci --ignore-scripts --no-audit --no-fund
