#!/usr/bin/env python3
"""--state-file under kill -9, with the real binary.

ITERATIONS times (default 200): start multihook-mock from the file the last one left, check that
it serves the state the file holds, let a writer thread change k1's main webhook in a loop (each
change rewrites the whole state, ~20 KB), and kill -9 the mock after a random number of
acknowledged changes, while the next one is in flight. The file must then be whole: it decodes,
and holds exactly the last acknowledged state or the one in flight (main webhook number LAST or
LAST+1), never a mix. Every wait is bounded; nothing sleeps.

    state_file_kill_test.py MOCK_BINARY [ITERATIONS]
"""
import http.client
import json
import os
import random
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time

CHANNELS = 40
PAD = "x" * 3000  # four headers of 3 KB on k1's main webhook
HEADERS = {"X-A": PAD, "X-B": PAD, "X-C": PAD, "X-D": PAD}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def start(mock, state):
    """Starts the mock on a free port; returns (process, host, port) once it listens (<= 10 s)."""
    args = [mock, "--port", "0", "--http-threads", "4", "--apply-delay", "0",
            "--state-file", state] + [f"--channel=k{i}" for i in range(1, CHANNELS + 1)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout=10):
        proc.kill()
        fail(f"no first line within 10 s; stderr: {proc.stderr.read().decode()}")
    line = proc.stdout.readline().decode().strip()
    prefix = "multihook-mock listening on http://"
    if not line.startswith(prefix):
        proc.kill()
        fail(f"unexpected first line {line!r}; stderr: {proc.stderr.read().decode()}")
    host, port = line[len(prefix):].rsplit(":", 1)
    return proc, host, int(port)


def request(host, port, method, path, body=None):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        headers = {"D360-API-KEY": "k1", "Content-Type": "application/json"}
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


class Writer(threading.Thread):
    """Sets main webhook number first, first+1, ... until a request fails (the mock died)."""

    def __init__(self, host, port, first):
        super().__init__(daemon=True)
        self.host, self.port, self.next = host, port, first
        self.acked = 0  # the last number acknowledged with 200
        self.count = 0
        self.changed = threading.Condition()

    def run(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        headers = {"D360-API-KEY": "k1", "Content-Type": "application/json"}
        while True:
            body = {"url": f"https://main.example.com/hook/{self.next}", "headers": HEADERS}
            try:
                conn.request("POST", "/v1/configs/webhook", body=json.dumps(body), headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                break
            if response.status != 200:
                break
            with self.changed:
                self.acked, self.count = self.next, self.count + 1
                self.changed.notify_all()
            self.next += 1
        with self.changed:
            self.changed.notify_all()
        conn.close()

    def wait_for(self, count, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count or not self.is_alive(),
                                         timeout=timeout) and self.count >= count


def number_in(state):
    """k1's main webhook number in the state file (0: none); fails unless the file is whole."""
    with open(state, "rb") as f:
        text = f.read()
    try:
        saved = json.loads(text)
    except ValueError as error:
        fail(f"the state file does not parse ({error}); {len(text)} bytes")
    if saved.get("format") != "multihook-mock state" or len(saved.get("channels", [])) != CHANNELS:
        fail(f"the state file is not a whole state: {text[:200]!r}")
    k1 = next(c for c in saved["channels"] if c["api_key"] == "k1")
    url = k1["main_webhook"]["url"]
    if url is None:
        return 0
    if k1["main_webhook"]["headers"] != HEADERS:
        fail("k1's main webhook headers are not the ones written")
    return int(url.rsplit("/", 1)[1])


def main():
    mock = os.path.realpath(sys.argv[1])
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(os.environ.get("KILL_TEST_SEED", time.time_ns()))
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        state = os.path.join(folder, "state.json")
        last = 0
        for i in range(1, iterations + 1):
            proc, host, port = start(mock, state)
            try:
                status, body = request(host, port, "GET", "/v1/configs/webhook")
                served = json.loads(body)["url"] if status == 200 else None
                expected = f"https://main.example.com/hook/{last}" if last else None
                if served != expected:
                    fail(f"iteration {i}: restarted with main webhook {served!r}, expected {expected!r}")
                writer = Writer(host, port, last + 1)
                writer.start()
                want = rng.randint(1, 6)
                if not writer.wait_for(want, timeout=20):
                    fail(f"iteration {i}: {want} changes not acknowledged within 20 s")
            finally:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
            writer.join(timeout=10)
            found = number_in(state)
            if found not in (writer.acked, writer.acked + 1):
                fail(f"iteration {i}: the file holds number {found}; acknowledged {writer.acked}")
            last = found
        proc, _, _ = start(mock, state)  # the last file, too, starts a mock
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    print(f"state file: {iterations} kill -9 during writes, no torn state "
          f"(last change {last}, {time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
