#!/usr/bin/env bash
# Startup time (process start to first answered request, median of 20) and resident memory of
# the mock after N notifications through main + 3 extras (default journal), on loopback.
#   bench/memory_startup.sh [NOTIFICATIONS]      default 100000
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-100000}
preset=${MULTIHOOK_BENCH_PRESET:-release}
scripts/install-deps --bench
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target multihook-mock sink_receiver >/dev/null
mock=build/$preset/mock_server/app/multihook-mock
sink=build/$preset/bench/sink_receiver
dir=$(mktemp -d)
pids=()
line=""
pid=""
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

# Starts "$@" in the background with stdout on a FIFO; sets `line` to its first line (bounded
# wait) and `pid` to its process id. Runs in this shell, not a subshell, so `pids` is kept.
first_line() {
  local fifo="$dir/fifo.${#pids[@]}.$RANDOM"
  mkfifo "$fifo"
  "$@" >"$fifo" &
  pid=$!
  pids+=("$pid")
  exec {fd}<"$fifo"
  read -r -t 5 -u "$fd" line || { echo "no first line from $1" >&2; exit 1; }
}

times=()
for _ in $(seq 20); do
  start=$(date +%s%N)
  first_line "$mock" --port 0 --channel k
  curl -sf -o /dev/null "${line#multihook-mock listening on }/mock/health"
  times+=($(( ($(date +%s%N) - start) / 1000 )))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 10p)
echo "startup to first answered request: median ${median} us over 20 runs"

routes=()
for name in main crm analytics backup; do
  first_line "$sink"
  routes+=(--route "$name.example.com=${line#sink listening on }")
done
first_line "$mock" --port 0 --apply-delay 0 --channel mem-key --http-threads 16 "${routes[@]}"
base=${line#multihook-mock listening on }
mock_pid=$pid
K='D360-API-KEY: mem-key'
curl -sf -o /dev/null -H "$K" -X POST "$base/v1/configs/webhook" -d '{"url": "https://main.example.com/wa"}'
curl -sf -o /dev/null -H "$K" -X POST "$base/multi_webhook" -d '{"enabled": true, "destinations": [
  {"name": "crm", "url": "https://crm.example.com/wa"}, {"name": "analytics", "url": "https://analytics.example.com/wa"},
  {"name": "backup", "url": "https://backup.example.com/wa"}]}'
rss() { awk '/VmRSS/ {print $2}' "/proc/$mock_pid/status"; }
echo "RSS after start: $(rss) kB"

threads=2
cat >"$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"message": {"type": "text", "text": {"body": "memory run"}}}'
wrk.headers["D360-API-KEY"] = "mem-key"
wrk.headers["Content-Type"] = "application/json"
-- Counts accepted (202) notifications; on a 429 (--max-pending reached) this connection waits
-- 10 ms before its next request, as a client honouring Retry-After would, only sooner.
local accepted, backoff = 0, 0
delay = function() local d = backoff; backoff = 0; return d end
response = function(status, headers, body)
  if status == 202 then accepted = accepted + 1 elseif status == 429 then backoff = 10 end
  if accepted >= $total / $threads then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format("answers of 400 or more (429s, retried): %d\n", summary.errors.status))
end
LUA
source bench/cpu_steal.sh
steal_mark
wrk -t"$threads" -c8 -d60s -s "$dir/post.lua" "$base/mock/inbound" | grep '^answers of'
submitted=$(curl -sf "$base/mock/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["submitted"])')
# Wait (bounded) until every submitted notification reached its final state.
for _ in $(seq 600); do
  stats=$(curl -sf "$base/mock/stats")
  in_progress=$(printf '%s' "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["in_progress"])')
  [ "$in_progress" = 0 ] && break
  sleep 0.1
done
delivered=$(printf '%s' "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["delivered"])')
echo "notifications submitted: $submitted, delivered to main + 3 extras: $delivered"
echo "RSS after $submitted notifications: $(rss) kB"
steal_report
