#!/usr/bin/env python3
"""A partner's webhook receiver, written the way a partner would: Python's standard library only,
nothing of multihook. It verifies x-360dialog-signature as the provider documents it (lowercase
hex HMAC-SHA256 of the raw request body with the shared secret) and answers 200 when it matches,
401 otherwise (a missing header never matches).

    signature_receiver.py SECRET [--count-file FILE] [--no-verify]

--no-verify makes it the receiver a partner should not write: it answers 200 to everything, so
`multihook verify --secret` must catch it accepting forged notifications.

Listens on 127.0.0.1, port chosen by the kernel; the first line on stdout is
"listening on http://127.0.0.1:PORT". With --count-file it writes "ACCEPTED REJECTED" there after
every request. Stops on SIGTERM or SIGINT.
"""
import argparse
import hashlib
import hmac
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(secret, counts, lock, count_file, verify):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0") or "0")
            body = self.rfile.read(length)
            given = self.headers.get("x-360dialog-signature", "")
            expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
            ok = hmac.compare_digest(given.encode(), expected.encode()) or not verify
            with lock:
                counts[0 if ok else 1] += 1
                if count_file:
                    with open(count_file, "w") as f:
                        f.write("%d %d\n" % (counts[0], counts[1]))
            answer = b'{"ok":true}' if ok else b'{"error":"invalid signature"}'
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, fmt, *args):
            pass  # quiet: the harness reports what matters

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("secret")
    parser.add_argument("--count-file")
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    counts, lock = [0, 0], threading.Lock()
    handler = make_handler(args.secret.encode(), counts, lock, args.count_file,
                           not args.no_verify)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
