#!/usr/bin/env bash
# ctest entry: runs check.mjs, or exits 77 (skipped) with the reason when node or the installed
# packages are absent.
#   run.sh PATH/TO/multihook
set -euo pipefail
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (Debian: apt-get install nodejs npm; then tests/consumer/install.sh)"
  exit 77
fi
exec node "$(dirname "$0")/check.mjs" "$@"
