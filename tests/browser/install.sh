#!/usr/bin/env bash
# Installs playwright-core at the exact version of package-lock.json, for the ctest `browser: the
# delivery view in Chromium` (run.sh). It drives Debian's chromium (scripts/install-deps
# --browser); playwright-core downloads no browser, and no install script runs.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "install.sh: npm is not installed (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
npm ci --ignore-scripts --no-audit --no-fund
