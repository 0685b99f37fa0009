#!/usr/bin/env bash
# `multihook sample TYPE --secret S --curl URL`, run through bash, delivers exactly the bytes that
# `multihook sample TYPE --secret S` prints as the body, with a signature that a receiver written
# apart from the mock (Python's hmac) accepts. Every type that `--help` lists is posted.
#   sample_curl_test.sh PATH/TO/multihook
set -euo pipefail
multihook=$1
secret="it's a secret; \$HOME \"quoted\""
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A receiver on an ephemeral port: stores each body as <path>.body and whether its signature
# verified as <path>.sig, answers 200 (verified) or 401; prints its port once listening.
cat >"$work/receiver.py" <<'PY'
import hashlib, hmac, http.server, os, sys
out_dir, secret = sys.argv[1], sys.argv[2].encode()
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get("x-360dialog-signature", "")
        ok = hmac.compare_digest(expected, got)
        name = os.path.join(out_dir, self.path.strip("/").replace(":", "_"))
        with open(name + ".body", "wb") as f: f.write(body)
        with open(name + ".sig", "w") as f:
            f.write(("ok" if ok else "bad") + " " + self.headers.get("Content-Type", "") + "\n")
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
mkdir "$work/got"
coproc RECEIVER { exec python3 -u "$work/receiver.py" "$work/got" "$secret"; }
server_pid=$RECEIVER_PID
read -r -t 20 -u "${RECEIVER[0]}" port || { echo "FAIL: the receiver did not start within 20 s"; exit 1; }

types=$("$multihook" sample --help | sed -n '/^Types:/,$p' | tail -n +2 | sed 's/^ *//')
[[ $(wc -l <<<"$types") -ge 18 ]] || { echo "FAIL: --help listed too few types: $types"; exit 1; }
failed=0
for type in $types; do
  file=${type//:/_}
  printed=$("$multihook" sample "$type" --secret "$secret")
  printf '%s' "${printed#*$'\n\n'}" >"$work/$file.expected"
  command=$("$multihook" sample "$type" --secret "$secret" --curl "http://127.0.0.1:$port/$type")
  bash -c "$command" || { echo "FAIL $type: curl exited $?"; failed=1; continue; }
  if ! cmp -s "$work/$file.expected" "$work/got/$file.body"; then
    echo "FAIL $type: the receiver got other bytes than the printed body"; failed=1
  elif [[ $(cat "$work/got/$file.sig") != "ok application/json" ]]; then
    echo "FAIL $type: receiver saw '$(cat "$work/got/$file.sig")'"; failed=1
  else
    echo "ok   $type ($(wc -c <"$work/$file.expected") bytes)"
  fi
done
exit $failed
