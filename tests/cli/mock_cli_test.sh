#!/usr/bin/env bash
# multihook-mock as a user meets it: --help, --version, bad options, the first stdout line, the
# demo channel, and a clean exit on SIGTERM. Every wait is bounded.
set -euo pipefail
mock="$1"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$mock" --help | grep -q '^Usage: multihook-mock' || fail "--help does not print usage"
[ "$("$mock" --version)" = "multihook-mock 0.1.0" ] || fail "--version"

set +e
err=$("$mock" --port nope 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 2 ] || fail "bad option exits $rc, expected 2"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "bad option error is not one line: $err"
case "$err" in *"--port"*) ;; *) fail "error does not name the option: $err" ;; esac

dir=$(mktemp -d)
mkfifo "$dir/stdout"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$mock" --port 0 --apply-delay 0 >"$dir/stdout" &
pid=$!
exec 3<"$dir/stdout"
first=""
read -r -t 5 -u 3 first || fail "no first line within 5 s"
[[ "$first" =~ ^multihook-mock\ listening\ on\ http://127\.0\.0\.1:[0-9]+$ ]] ||
  fail "unexpected first line: '$first'"
hints=""
while read -r -t 5 -u 3 line; do
  hints+="$line"$'\n'
  [[ "$line" == "Stop with Ctrl-C." ]] && break
done
base=${first#multihook-mock listening on }

body=$(curl -sS --max-time 5 -H 'D360-API-KEY: demo-key' "$base/multi_webhook")
[ "$body" = '{"enabled":false,"destinations":[]}' ] || fail "demo channel answered: $body"
[[ "$hints" == *"curl -s -H 'D360-API-KEY: demo-key'"* ]] || fail "demo mode prints no curl hints: $hints"

# A second mock on a port in use exits 1 and says so (no SO_REUSEPORT sharing).
port=${base##*:}
set +e
err=$(timeout 10 "$mock" --port "$port" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 1 ] || fail "a second mock on port $port exits $rc, expected 1 (stderr: $err)"
[ "$err" = "multihook-mock: port $port is in use" ] || fail "port in use message: '$err'"
# The first one still answers.
curl -sSf --max-time 5 "$base/mock/health" >/dev/null || fail "the first mock stopped answering"

kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" = 0 ] || fail "SIGTERM exit status $rc, expected 0"
echo "mock CLI: all checks passed"
