#!/usr/bin/env bash
# Runs the README's shell snippets as written. Every ```sh block that follows a line
# `<!-- test: NAME -->` is run by bash in a fresh temporary folder that holds the checkout's
# scenarios/, in a session of its own, with the built multihook-mock and multihook first on PATH,
# M set to the address of a demo mock started here on a free port (the README's "with the demo
# running"), and R and WEBHOOK_SECRET set to a partner-style receiver (tests/partner, Python's
# standard library) that verifies x-360dialog-signature. A snippet passes when it exits 0 and
# leaves no process behind.
#   readme_test.sh README.md MOCK_BINARY MULTIHOOK_BINARY
set -euo pipefail
readme=$1 mock=$2 multihook=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
demo_pid="" receiver_pid=""
cleanup() {
  [[ -n "$demo_pid" ]] && kill "$demo_pid" 2>/dev/null || true
  [[ -n "$receiver_pid" ]] && kill "$receiver_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/bin"
ln -s "$(realpath "$mock")" "$work/bin/multihook-mock"
ln -s "$(realpath "$multihook")" "$work/bin/multihook"

# The demo, as `scripts/dev demo` runs it, but on a free port.
mkfifo "$work/demo.out"
"$mock" --port 0 >"$work/demo.out" &
demo_pid=$!
exec 3<"$work/demo.out"
read -r -t 10 -u 3 first || fail "the demo mock printed no first line within 10 s"
export M=${first#multihook-mock listening on }
cat <&3 >/dev/null &  # keep draining its hints

# The partner's receiver that the snippets aim at.
export WEBHOOK_SECRET=readme-secret
mkfifo "$work/receiver.out"
python3 "$(dirname "$0")/../partner/signature_receiver.py" "$WEBHOOK_SECRET" >"$work/receiver.out" &
receiver_pid=$!
exec 4<"$work/receiver.out"
read -r -t 10 -u 4 line || fail "the receiver printed no first line within 10 s"
export R=${line#listening on }
cat <&4 >/dev/null &

# Splits the README into one file per tested snippet: $work/snippets/NN-NAME.sh
mkdir "$work/snippets"
awk -v dir="$work/snippets" '
  /^<!-- test: [a-z0-9-]+ -->$/ { name = $3; armed = 1; next }
  armed && /^```sh$/ { n++; file = sprintf("%s/%02d-%s.sh", dir, n, name); inside = 1; armed = 0; next }
  inside && /^```$/ { inside = 0; close(file); next }
  inside { print > file; next }
  NF { armed = 0 }
' "$readme"
count=$(find "$work/snippets" -name '*.sh' | wc -l)
[[ "$count" -gt 0 ]] || fail "no '<!-- test: NAME -->' snippet found in $readme"

passed=0 failed=0
for snippet in "$work/snippets"/*.sh; do
  name=$(basename "$snippet" .sh)
  run="$work/run-$name"
  mkdir "$run"
  ln -s "$(realpath "$(dirname "$readme")/scenarios")" "$run/scenarios"
  set +e
  # A session of its own (its id is the pid written first), so that whatever the snippet leaves
  # running can be found afterwards.
  (cd "$run" && PATH="$work/bin:$PATH" setsid bash -c 'echo $$ >../sid-'"$name"'; exec timeout 120 bash -euo pipefail "$0"' \
     "$snippet" >"$run/out" 2>&1)
  rc=$?
  set -e
  sid=$(cat "$work/sid-$name")
  left=$(pgrep -s "$sid" || true)
  if [[ "$rc" != 0 ]]; then
    echo "FAIL snippet $name: exit $rc"; sed 's/^/    /' "$run/out"; failed=$((failed + 1))
  elif [[ -n "$left" ]]; then
    echo "FAIL snippet $name: left processes behind: $(ps -o pid=,args= -p "${left//$'\n'/,}")"
    kill $left 2>/dev/null || true
    failed=$((failed + 1))
  else
    echo "ok   snippet $name"; passed=$((passed + 1))
  fi
done
echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
