#!/usr/bin/env bash
# Installs the consumer library and TypeScript at the exact versions of package-lock.json, for
# the ctest `consumer: whatsapp-api-js accepts every notification` (run.sh).
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
# No install scripts run: neither package needs one, and nothing is downloaded besides them.
npm ci --ignore-scripts --no-audit --no-fund
