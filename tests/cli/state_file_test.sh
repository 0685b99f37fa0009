#!/usr/bin/env bash
# --state-file with the real binary: a restart (even after kill -9) keeps channels, the main
# webhook and the multi-webhook config, pending changes included; the file is 0600; a damaged
# file or an unusable folder stops the start with a clear error; without the flag nothing is
# written. Every wait is bounded.
set -euo pipefail
mock=$(realpath "$1")
dir=$(mktemp -d)
mock_pid=""
trap '[ -z "$mock_pid" ] || kill -9 "$mock_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start_mock ARGS...: starts `multihook-mock --port 0 ARGS...` and waits (at most 5 s) for its
# first line; sets mock_pid and base (http://127.0.0.1:PORT). Its stderr goes to $dir/mock.err.
start_mock() {
  local out="$dir/stdout.$RANDOM$RANDOM" line=""
  mkfifo "$out"
  "$mock" --port 0 --http-threads 4 "$@" >"$out" 2>"$dir/mock.err" &
  mock_pid=$!
  exec {mock_out}<"$out"
  rm -f "$out"
  read -r -t 5 -u "$mock_out" line ||
    fail "no first line within 5 s from $mock $*; stderr: $(cat "$dir/mock.err")"
  base=${line#multihook-mock listening on }
}

# kill_mock SIGNAL: ends the mock started last and waits for it.
kill_mock() {
  kill "-$1" "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  exec {mock_out}<&-
}

state="$dir/state.json"
key=(-H 'D360-API-KEY: k1')
json=(-H 'Content-Type: application/json')
args=(--channel k1:100000000000001 --state-file "$state")

# (a) Changes survive a kill -9; the file is created at the first change, mode 0600.
start_mock "${args[@]}" --apply-delay 0
[ ! -e "$state" ] || fail "the state file exists before any change"
curl -sSf --max-time 5 "${key[@]}" "${json[@]}" -d '{"url": "https://main.example.com/hook",
  "headers": {"Authorization": "Bearer main"}}' "$base/v1/configs/webhook" >/dev/null
curl -sSf --max-time 5 "${key[@]}" "${json[@]}" -d '{"enabled": true, "destinations": [
  {"name": "backup", "url": "https://backup.example.com/hook", "headers": {"X-Token": "t"}}]}' \
  "$base/multi_webhook" >/dev/null
channel=$(curl -sSf --max-time 5 -X POST "$base/mock/channels")  # a runtime channel, generated
multi=$(curl -sSf --max-time 5 "${key[@]}" "$base/multi_webhook")
main=$(curl -sSf --max-time 5 "${key[@]}" "$base/v1/configs/webhook")
channels=$(curl -sSf --max-time 5 "$base/mock/channels")
[[ "$multi" == *'"backup"'* ]] || fail "the multi-webhook config was not applied: $multi"
[ "$(stat -c %a "$state")" = 600 ] || fail "state file mode $(stat -c %a "$state"), expected 600"
[ ! -e "$state.tmp" ] || fail "a temp file was left behind"
kill_mock KILL

start_mock "${args[@]}" --apply-delay 0
[ "$(curl -sSf --max-time 5 "${key[@]}" "$base/multi_webhook")" = "$multi" ] ||
  fail "multi-webhook config after restart differs"
[ "$(curl -sSf --max-time 5 "${key[@]}" "$base/v1/configs/webhook")" = "$main" ] ||
  fail "main webhook after restart differs"
[ "$(curl -sSf --max-time 5 "$base/mock/channels")" = "$channels" ] ||
  fail "channels after restart differ (the runtime one was $channel)"
kill_mock TERM

# (b) A pending change keeps its due time: accepted with a 1 h delay, still pending after a
# restart, and applied by /mock/flush.
start_mock "${args[@]}" --apply-delay 1h
curl -sSf --max-time 5 "${key[@]}" "${json[@]}" -d '{"destinations": [
  {"name": "second", "url": "https://second.example.com/hook"}]}' -X PUT "$base/multi_webhook" \
  >/dev/null
kill_mock KILL
start_mock "${args[@]}" --apply-delay 1h
[ "$(curl -sSf --max-time 5 "${key[@]}" "$base/multi_webhook")" = "$multi" ] ||
  fail "the pending change applied early"
[ "$(curl -sSf --max-time 5 -X POST "$base/mock/flush")" = '{"applied":1}' ] ||
  fail "no pending change was restored"
[[ "$(curl -sSf --max-time 5 "${key[@]}" "$base/multi_webhook")" == *'"second"'* ]] ||
  fail "the restored pending change did not apply"
kill_mock TERM

# (c) A damaged or foreign file, or a folder that does not exist: exit 1, naming file and problem.
expect_start_error() {  # expect_start_error EXPECTED_STDERR ARGS...
  local expected=$1 err rc; shift
  set +e
  err=$(timeout 10 "$mock" --port 0 "$@" 2>&1 >/dev/null); rc=$?
  set -e
  [ "$rc" = 1 ] || fail "start with $* exits $rc, expected 1 (stderr: $err)"
  [ "$err" = "$expected" ] || fail "start error: '$err', expected '$expected'"
}
head -c 100 "$state" >"$dir/torn.json"
expect_start_error "multihook-mock: invalid_argument at --state-file $dir/torn.json: the file is not valid JSON (syntax error at byte 101)" \
  --state-file "$dir/torn.json"
echo '{"url": "https://x.example.com"}' >"$dir/other.json"
expect_start_error "multihook-mock: invalid_argument at --state-file $dir/other.json /format: not a multihook-mock state file (expected \"multihook-mock state\")" \
  --state-file "$dir/other.json"
expect_start_error "multihook-mock: failed_precondition at --state-file $dir/none/state.json: cannot use directory '$dir/none': No such file or directory" \
  --state-file "$dir/none/state.json"

# (d) Without the flag, nothing is written: the working folder stays empty.
mkdir "$dir/cwd"
(cd "$dir/cwd" && start_mock --channel k1 --apply-delay 0 &&
  curl -sSf --max-time 5 "${key[@]}" "${json[@]}" -d '{"url": "https://m.example.com/"}' \
    "$base/v1/configs/webhook" >/dev/null && kill_mock TERM)
[ -z "$(ls -A "$dir/cwd")" ] || fail "without --state-file the mock wrote: $(ls -A "$dir/cwd")"
echo "state file: restart, pending changes, errors and no-flag checks passed"
