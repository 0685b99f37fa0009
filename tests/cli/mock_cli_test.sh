#!/usr/bin/env bash
# multihook-mock as a user meets it: --help, --version, bad options, the first stdout line, the
# demo channel, and a clean exit on SIGTERM. Every wait is bounded.
set -euo pipefail
mock="$1"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Read the whole text first: `grep -q` would stop reading at the first match, and the rest of a
# help longer than one stdio buffer would then meet a closed pipe (SIGPIPE, exit 141).
help=$("$mock" --help) || fail "--help exits $?"
[[ "$help" == "Usage: multihook-mock"* ]] || fail "--help does not print usage"
[ "$("$mock" --version)" = "multihook-mock 0.1.0" ] || fail "--version"

set +e
err=$("$mock" --port nope 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 2 ] || fail "bad option exits $rc, expected 2"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "bad option error is not one line: $err"
case "$err" in *"--port"*) ;; *) fail "error does not name the option: $err" ;; esac

dir=$(mktemp -d)
mkfifo "$dir/stdout"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT  # widened below
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
# --bind beyond loopback warns first that the control API has no authentication. The port is the
# first mock's, so the second never listens on a non-loopback address: it warns, then exits 1.
set +e
err=$(timeout 10 "$mock" --bind 0.0.0.0 --port "$port" 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 1 ] || fail "--bind 0.0.0.0 on a port in use exits $rc, expected 1 (stderr: $err)"
expected="multihook-mock: warning: --bind 0.0.0.0: the control API (/mock/*) has no authentication; anyone who can reach this address can read and change the mock's channels, options and routes
multihook-mock: port $port is in use"
[ "$err" = "$expected" ] || fail "--bind 0.0.0.0 stderr: '$err'"
# The first one still answers.
curl -sSf --max-time 5 "$base/mock/health" >/dev/null || fail "the first mock stopped answering"

kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
[ "$rc" = 0 ] || fail "SIGTERM exit status $rc, expected 0"

# Polls (bounded) until a command succeeds: wait_until SECONDS CMD...
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}
alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }
# Exits within 1 s: at most 20 polls of 50 ms on kill -0.
exits_within_1s() { local i; for i in $(seq 20); do dead "$1" && return 0; sleep 0.05; done; dead "$1"; }

# Starts a mock with the given options; sets mock_pid, base and mock_err (its stderr file).
start_mock() {
  local out="$dir/out.$#.$RANDOM"
  mkfifo "$out"
  mock_err="$dir/err.$RANDOM"
  "$mock" --port 0 --apply-delay 0 "$@" >"$out" 2>"$mock_err" &
  mock_pid=$!
  pids+=("$mock_pid")
  exec 4<"$out"
  local line=""
  read -r -t 5 -u 4 line || fail "no first line within 5 s"
  base=${line#multihook-mock listening on }
}
pids=()
trap 'for p in "${pids[@]}" "$pid"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT

# (a) A receiver that accepts and never answers holds one delivery in flight. The first SIGTERM
# says so and waits; the second ends the process within 1 s, with exit code 130.
python3 -u -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    print("accepted")
' >"$dir/silent.out" &
silent_pid=$!
pids+=("$silent_pid")
wait_until 5 grep -q '^[0-9]' "$dir/silent.out" || fail "the silent receiver did not start"
silent_port=$(head -1 "$dir/silent.out")
start_mock --channel k1 --timeout 30s --route "main.example.com=http://127.0.0.1:$silent_port"
curl -sSf --max-time 5 -H 'D360-API-KEY: k1' -H 'Content-Type: application/json' \
  -d '{"url": "https://main.example.com/hook"}' "$base/v1/configs/webhook" >/dev/null ||
  fail "main webhook not accepted"
curl -sSf --max-time 5 -H 'D360-API-KEY: k1' -H 'Content-Type: application/json' \
  -d '{"message": {"type": "text", "text": {"body": "hi"}}}' "$base/mock/inbound" >/dev/null ||
  fail "inbound not accepted"
wait_until 5 grep -q accepted "$dir/silent.out" || fail "the delivery did not reach the receiver"
kill -TERM "$mock_pid"
stopping="multihook-mock: stopping: 1 deliveries in flight, Ctrl-C again to quit now"
wait_until 5 grep -qxF "$stopping" "$mock_err" ||
  fail "no stopping line after SIGTERM; stderr: $(cat "$mock_err")"
alive "$mock_pid" || fail "the mock exited without waiting for its delivery in flight"
kill -TERM "$mock_pid"
exits_within_1s "$mock_pid" || fail "a second SIGTERM did not end the mock within 1 s"
set +e
wait "$mock_pid"; rc=$?
set -e
[ "$rc" = 130 ] || fail "exit status after a second SIGTERM is $rc, expected 130"
kill "$silent_pid" 2>/dev/null || true

# (b) A long-poll waiting up to 20 s does not hold a SIGTERM: the mock exits within ~2 s and the
# long-poll gets its (timed out) answer.
start_mock --channel k1
curl -sS --max-time 30 --trace-ascii "$dir/poll.trace" -o "$dir/poll.out" \
  "$base/mock/deliveries?min_count=1&timeout_ms=20000" &
poll_pid=$!
pids+=("$poll_pid")
wait_until 5 grep -qs "Send header" "$dir/poll.trace" || fail "the long-poll was not sent"
kill -TERM "$mock_pid"
wait_until 2 dead "$mock_pid" || fail "SIGTERM with a long-poll waiting: still running after 2 s"
set +e
wait "$mock_pid"; rc=$?
wait "$poll_pid"; poll_rc=$?
set -e
[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM with a long-poll waiting, expected 0"
[ "$poll_rc" = 0 ] || fail "the long-poll got no answer (curl exit $poll_rc)"
grep -q '"timed_out":true' "$dir/poll.out" || fail "long-poll answer: $(cat "$dir/poll.out")"

echo "mock CLI: all checks passed"
