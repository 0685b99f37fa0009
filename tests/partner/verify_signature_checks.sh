#!/usr/bin/env bash
# `multihook verify --secret` against a partner-style receiver (signature_receiver.py: Python's
# standard library, not our C++ helpers):
#   verify_signature_checks.sh MULTIHOOK verifying       # refuses all three faults: exit 0
#   verify_signature_checks.sh MULTIHOOK non-verifying   # accepts them: exit 1, each one named
#   verify_signature_checks.sh MULTIHOOK off             # non-verifying, --no-signature-checks: exit 0
# Every wait is bounded.
set -euo pipefail
multihook="$1"
mode="$2"
# shellcheck source=start_receiver.sh
source "$(dirname "$0")/start_receiver.sh"

secret="partner-secret-$$"
receiver_args=(--count-file "$dir/counts")
verify_args=()
case "$mode" in
  verifying) ;;
  non-verifying) receiver_args+=(--no-verify) ;;
  off) receiver_args+=(--no-verify); verify_args+=(--no-signature-checks) ;;
  *) fail "mode must be verifying, non-verifying or off, got '$mode'" ;;
esac
start_signature_receiver "$secret" "${receiver_args[@]}"

set +e
timeout 120 "$multihook" verify "$receiver_url/webhook" --secret "$secret" --seed 11 \
  --json "$dir/report.json" ${verify_args[@]+"${verify_args[@]}"} >"$dir/out" 2>"$dir/err"
rc=$?
set -e
cat "$dir/out" "$dir/err"
read -r accepted rejected <"$dir/counts" || fail "the receiver counted no request"
cases=$("$multihook" verify --list-cases | wc -l)
summary=$(tail -n 1 "$dir/out")
faults=(signature.wrong signature.body_changed signature.missing)

case "$mode" in
  verifying)
    [ "$rc" = 0 ] || fail "exit $rc, expected 0"
    [[ "$summary" == "PASS: $cases/$cases cases passed;"* ]] || fail "summary: '$summary'"
    for name in "${faults[@]}"; do
      grep -q "^  PASS  $name " "$dir/out" || fail "no PASS line for $name"
    done
    [ "$rejected" = 3 ] || fail "the receiver rejected $rejected request(s), expected the 3 faults"
    [ "$accepted" = $((cases + 1)) ] || fail "the receiver accepted $accepted, expected $((cases + 1))"
    ;;
  non-verifying)
    [ "$rc" = 1 ] || fail "exit $rc, expected 1"
    for name in "${faults[@]}"; do
      grep -q "^  FAIL  $name  *200  *accepted: answered 200" "$dir/out" || fail "no FAIL line for $name"
    done
    [[ "$summary" == *"failed: accepted a bad signature: signature.wrong, signature.body_changed, signature.missing" ]] ||
      fail "the summary does not name the three accepted faults: '$summary'"
    python3 - "$dir/report.json" <<'PY' || fail "the JSON report does not name the three accepted faults"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["passed"] is False
assert report["accepted_signature_faults"] == ["signature.wrong", "signature.body_changed", "signature.missing"]
assert all(case["passed"] for case in report["cases"])
PY
    [ "$rejected" = 0 ] || fail "a receiver that does not verify rejected $rejected request(s)"
    ;;
  off)
    [ "$rc" = 0 ] || fail "exit $rc, expected 0"
    grep -q "^signature checks: off (--no-signature-checks)$" "$dir/out" || fail "no 'off' line"
    [ "$accepted" = $((cases + 1)) ] || fail "the receiver got $accepted request(s), expected $((cases + 1))"
    ;;
esac
echo "ok: $mode: exit $rc; receiver accepted $accepted, rejected $rejected"
