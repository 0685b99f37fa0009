#!/usr/bin/env bash
# Requests per second of GET /multi_webhook (authenticated, three destinations configured)
# against the Release build, measured with wrk on loopback. Also reports the time from start to
# the first accepted connection.
#   bench/config_api_wrk.sh [DURATION] [CONNECTIONS]     defaults: 5s 16
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5s}
connections=${2:-16}
scripts/install-deps --bench
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
mock=build/release/mock_server/app/multihook-mock

dir=$(mktemp -d)
mkfifo "$dir/stdout"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
start_ns=$(date +%s%N)
"$mock" --port 0 --apply-delay 0 --channel bench-key >"$dir/stdout" &
pid=$!
exec 3<"$dir/stdout"
read -r -t 5 -u 3 first || { echo "mock did not start" >&2; exit 1; }
base=${first#multihook-mock listening on }
curl -sf -o /dev/null "$base/mock/health"
ready_ns=$(date +%s%N)
echo "start to first answered request: $(( (ready_ns - start_ns) / 1000000 )) ms"

curl -sf -o /dev/null -H 'D360-API-KEY: bench-key' -X POST "$base/multi_webhook" -d '{
  "enabled": true,
  "destinations": [
    {"name": "crm", "url": "https://crm.example.com/hooks/wa", "headers": {"Authorization": "Bearer abc"}},
    {"name": "analytics", "url": "https://analytics.example.com/in"},
    {"name": "backup", "url": "https://backup.example.com/wa"}]}'
[ "$(curl -sf -H 'D360-API-KEY: bench-key' "$base/multi_webhook" | grep -o '"name"' | wc -l)" = 3 ] ||
  { echo "configuration did not apply" >&2; exit 1; }

echo "wrk -t1 -c$connections -d$duration --latency -H 'D360-API-KEY: bench-key' $base/multi_webhook"
source bench/cpu_steal.sh
steal_mark
wrk -t1 -c"$connections" -d"$duration" --latency -H 'D360-API-KEY: bench-key' "$base/multi_webhook"
steal_report
