#!/usr/bin/env bash
# The scenario library with --target against a multihook-mock started with its defaults: the
# runner sets each scenario's options at runtime (PATCH /mock/options) and restores them after,
# so nothing fails; what the mock cannot change at runtime is skipped with its reason.
#   target_default_mock.sh MULTIHOOK_MOCK MULTIHOOK SCENARIOS_DIR
# Every wait is bounded; the mock is stopped on exit.
set -euo pipefail
mock="$1"
multihook="$2"
scenarios="$3"
fail() { echo "FAIL: $*" >&2; exit 1; }

dir=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
mkfifo "$dir/stdout"
"$mock" --port 0 >"$dir/stdout" &
pid=$!
exec 3<"$dir/stdout"
first=""
read -r -t 10 -u 3 first || fail "the mock printed no first line within 10 s"
[[ "$first" =~ ^multihook-mock\ listening\ on\ (http://[^ ]+:[0-9]+)$ ]] ||
  fail "unexpected first line: '$first'"
base="${BASH_REMATCH[1]}"
cat <&3 >/dev/null &  # keep draining the mock's stdout so it never blocks on a full pipe

set +e
timeout 600 "$multihook" run --no-progress --target "$base" "$scenarios" >"$dir/out" 2>"$dir/err"
rc=$?
set -e
cat "$dir/out" "$dir/err"
last=$(tail -n 1 "$dir/out")
[[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]] ||
  fail "the summary's last line is not 'N passed, N failed, N skipped': '$last'"
[ "${BASH_REMATCH[2]}" = 0 ] || fail "${BASH_REMATCH[2]} failed against a default mock"
[ "${BASH_REMATCH[1]}" -ge 30 ] || fail "only ${BASH_REMATCH[1]} passed against a default mock"
[ "$rc" = 0 ] || fail "exit $rc, expected 0"
echo "ok: $last"
