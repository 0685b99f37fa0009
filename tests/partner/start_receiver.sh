# Sourced by the partner tests. Gives them `fail MESSAGE`, a scratch folder $dir that is removed
# on exit, and start_signature_receiver, which starts signature_receiver.py in the background and
# reads its first line (bounded), so that a test never sleeps waiting for it:
#   start_signature_receiver SECRET [RECEIVER ARGS...]   sets $receiver_url; stopped on exit
fail() { echo "FAIL: $*" >&2; exit 1; }
receiver_pid=""
receiver_url=""
dir=$(mktemp -d)
trap '[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

start_signature_receiver() {
  local secret="$1" first="" here
  shift
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  mkfifo "$dir/receiver_stdout"
  python3 "$here/signature_receiver.py" "$secret" "$@" >"$dir/receiver_stdout" &
  receiver_pid=$!
  exec 3<"$dir/receiver_stdout"
  read -r -t 10 -u 3 first || fail "the receiver printed no first line within 10 s"
  [[ "$first" =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]] || fail "unexpected first line: '$first'"
  receiver_url="${BASH_REMATCH[1]}"
}
