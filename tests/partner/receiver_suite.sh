#!/usr/bin/env bash
# The scenario library against a partner-style receiver (signature_receiver.py: Python's standard
# library, not our C++ helpers) that verifies x-360dialog-signature.
#   receiver_suite.sh MULTIHOOK SCENARIOS_DIR right   # right secret: 0 failed, >= 8 passed, skips explained
#   receiver_suite.sh MULTIHOOK SCENARIOS_DIR wrong   # wrong secret: the rejected signature is named, exit 1
# Every wait is bounded.
set -euo pipefail
multihook="$1"
scenarios="$2"
mode="$3"
# shellcheck source=start_receiver.sh
source "$(dirname "$0")/start_receiver.sh"

secret="partner-secret-$$"
start_signature_receiver "$secret" --count-file "$dir/counts"
url="$receiver_url"

given="$secret"
[ "$mode" = wrong ] && given="not-$secret"
set +e
timeout 300 "$multihook" run --no-progress --receiver "main=$url" --secret "$given" \
  --junit "$dir/report.xml" "$scenarios" >"$dir/out" 2>"$dir/err"
rc=$?
set -e
cat "$dir/out" "$dir/err"

last=$(tail -n 1 "$dir/out")
[[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]] ||
  fail "the summary's last line is not 'N passed, N failed, N skipped': '$last'"
passed=${BASH_REMATCH[1]}
failed=${BASH_REMATCH[2]}
skipped=${BASH_REMATCH[3]}
read -r accepted rejected <"$dir/counts" || fail "the receiver counted no request"

# Each skip prints its reason on the next line; the JUnit report carries every skip.
skip_lines=$(grep -c '^SKIP  ' "$dir/out" || true)
reason_lines=$(grep -c '^      skipped: .' "$dir/out" || true)
[ "$skip_lines" = "$skipped" ] || fail "$skipped skipped but $skip_lines SKIP lines"
[ "$reason_lines" = "$skipped" ] || fail "$skipped skipped but $reason_lines reasons"
[ "$(grep -c '<skipped message="[^"]' "$dir/report.xml" || true)" = "$skipped" ] ||
  fail "the JUnit report does not carry $skipped skips with a message"

case "$mode" in
  right)
    [ "$rc" = 0 ] || fail "exit $rc, expected 0"
    [ "$failed" = 0 ] || fail "$failed failed, expected 0"
    [ "$passed" -ge 8 ] || fail "only $passed passed, expected at least 8"
    [ "$rejected" = 0 ] || fail "the receiver rejected $rejected signature(s)"
    [ "$accepted" -ge "$passed" ] || fail "the receiver accepted only $accepted request(s)"
    ;;
  wrong)
    [ "$rc" = 1 ] || fail "exit $rc, expected 1"
    [ "$failed" -ge 8 ] || fail "only $failed failed with a wrong secret, expected at least 8"
    [ "$accepted" = 0 ] || fail "the receiver accepted $accepted request(s) under a wrong secret"
    grep -q "receiver 'main' ($url) answered 401 to a signed notification: it rejected the x-360dialog-signature; is --secret the receiver's secret?" "$dir/out" ||
      fail "no failure says that the receiver rejected the signature"
    ;;
  *) fail "mode must be right or wrong, got '$mode'" ;;
esac
echo "ok: $passed passed, $failed failed, $skipped skipped; receiver accepted $accepted, rejected $rejected"
