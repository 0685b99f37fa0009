#!/usr/bin/env bash
# Installs the consumer library and TypeScript at the exact versions of package-lock.json, for
# the ctest `consumer: whatsapp-api-js accepts every notification` (run.sh). Neither package
# needs an install script.
exec "$(dirname "$0")/../support/npm_ci.sh" "$(dirname "$0")"
