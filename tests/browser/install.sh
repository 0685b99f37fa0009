#!/usr/bin/env bash
# Installs playwright-core at the exact version of package-lock.json, for the ctest `browser: the
# delivery view in Chromium` (run.sh). It drives Debian's chromium (scripts/install-deps
# --browser); playwright-core downloads no browser, and no install script runs.
exec "$(dirname "$0")/../support/npm_ci.sh" "$(dirname "$0")"
