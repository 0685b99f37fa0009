#!/usr/bin/env bash
# ctest entry: runs delivery_view.mjs, or exits 77 (skipped) with the reason when node, Chromium
# or the installed playwright-core is absent.
#   run.sh PATH/TO/multihook-mock SCREENSHOT.png
set -euo pipefail
here=$(dirname "$0")
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (Debian: apt-get install nodejs npm; then $here/install.sh)"
  exit 77
fi
if [[ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  echo "SKIP: Chromium is not installed (scripts/install-deps --browser)"
  exit 77
fi
if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  echo "SKIP: playwright-core is not installed (run $here/install.sh)"
  exit 77
fi
mkdir -p "$(dirname "$2")"
exec node "$here/delivery_view.mjs" "$@"
