#!/usr/bin/env python3
"""Load generator for the chaos scenarios: sends distinct CM payloads with concurrency C and records, for every
attempt, what came back: 200, another status, or nothing ("cut": connection refused, reset, closed or timed out).

As a library: LoadGen(port, source, concurrency).run(stop) → list of Attempt; the checker (checker.py) compares
the attempts with the database. As a command (a quick manual run against a running daemon):

    bench/chaos/loadgen.py --port 8080 --n 5000 --c 16 --out attempts.csv
    bench/chaos/checker.py --db postgresql://postgres@127.0.0.1:54329/mo_receiver attempts.csv
"""
import argparse
import csv
import http.client
import json
import sys
import threading
import time
from dataclasses import dataclass
from typing import Optional

sys.path.insert(0, __import__("os").path.dirname(__file__))
from payloads import Payload, PayloadSource  # noqa: E402

CM_CLIENT = "31.169.56.10"  # inside CM's documented ranges; loopback is the trusted proxy in the chaos config


@dataclass
class Attempt:
    payload: Payload
    started: float  # time.monotonic()
    finished: float
    status: Optional[int]  # None: cut
    result: str  # the reply's "result" (stored, duplicate, quarantined) or the error for a cut
    reply_id: Optional[int]
    connection_reused: bool

    @property
    def kind(self) -> str:
        if self.status is None:
            return "cut"
        return "200" if self.status == 200 else "non-200"

    @property
    def seconds(self) -> float:
        return self.finished - self.started


class LoadGen:
    def __init__(self, port: int, source: PayloadSource, concurrency: int, prefix: str = "/cm",
                 timeout: float = 10.0, rate: Optional[float] = None, keep_alive: bool = True):
        self.port = port
        self.source = source
        self.concurrency = concurrency
        self.prefix = prefix
        self.timeout = timeout
        self.rate = rate  # requests per second over all threads, None = as fast as answered
        self.keep_alive = keep_alive
        self.attempts: list = []
        self.lock = threading.Lock()
        self.started = None
        self.sent = 0

    def _pace(self):
        if not self.rate:
            return
        with self.lock:
            due = self.started + self.sent / self.rate
            self.sent += 1
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def send(self, payload: Payload, connection=None):
        """One attempt; returns (Attempt, connection to reuse or None)."""
        reused = connection is not None
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"X-Forwarded-For": CM_CLIENT}
        if payload.content_type:
            headers["Content-Type"] = payload.content_type
        started = time.monotonic()
        try:
            if payload.method == "GET":
                connection.request("GET", payload.target(self.prefix), headers=headers)
            else:
                connection.request("POST", payload.target(self.prefix), body=payload.body, headers=headers)
            response = connection.getresponse()
            body = response.read()
            finished = time.monotonic()
            result, reply_id = "", None
            try:
                parsed = json.loads(body) if body else {}
                result, reply_id = parsed.get("result", ""), parsed.get("id")
            except ValueError:
                result = body[:60].decode(errors="replace")
            keep = self.keep_alive and not response.will_close
            if not keep:
                connection.close()
            return Attempt(payload, started, finished, response.status, result, reply_id, reused), (connection if keep else None)
        except (OSError, http.client.HTTPException) as error:
            finished = time.monotonic()
            connection.close()
            return Attempt(payload, started, finished, None, type(error).__name__ + ": " + str(error)[:80], None, reused), None

    def _worker(self, stop: threading.Event):
        connection = None
        while not stop.is_set():
            payload = self.source.next()
            if payload is None:
                break
            self._pace()
            attempt, connection = self.send(payload, connection)
            with self.lock:
                self.attempts.append(attempt)
            if attempt.status is None and stop.wait(0.05):  # a dead daemon refuses at once: do not spin
                break
        if connection is not None:
            connection.close()

    def run(self, stop: Optional[threading.Event] = None) -> list:
        """Sends until the source is exhausted or `stop` is set; returns the attempts."""
        stop = stop or threading.Event()
        self.started = time.monotonic()
        threads = [threading.Thread(target=self._worker, args=(stop,), daemon=True) for _ in range(self.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.attempts

    def start(self, stop: threading.Event) -> threading.Thread:
        """Runs in the background; join the returned thread, then read `attempts`."""
        thread = threading.Thread(target=self.run, args=(stop,), daemon=True)
        thread.start()
        return thread


def resend(port: int, payloads, concurrency: int = 8, prefix: str = "/cm") -> list:
    """CM's retry: sends each payload again (one attempt each) and returns the attempts."""
    pending = list(payloads)
    lock = threading.Lock()

    class Source:
        def next(self):
            with lock:
                return pending.pop() if pending else None

    return LoadGen(port, Source(), concurrency, prefix=prefix).run()


def write_csv(path: str, attempts) -> None:
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["index", "uid", "method", "path", "sha256", "status", "result", "id", "seconds"])
        for a in attempts:
            out.writerow([a.payload.index, a.payload.uid, a.payload.method, a.payload.path, a.payload.sha256,
                          a.status if a.status is not None else "cut", a.result, a.reply_id or "", f"{a.seconds:.4f}"])


def main():
    parser = argparse.ArgumentParser(description="Send N distinct CM payloads and record every answer.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--c", type=int, default=16)
    parser.add_argument("--prefix", default="/cm")
    parser.add_argument("--run", default=f"lg{int(time.time())}", help="a run id, kept in every payload")
    parser.add_argument("--rate", type=float, default=None, help="requests per second (default: as fast as answered)")
    parser.add_argument("--out", required=True, help="CSV of attempts, read by checker.py")
    args = parser.parse_args()
    attempts = LoadGen(args.port, PayloadSource(args.run, args.n), args.c, prefix=args.prefix, rate=args.rate).run()
    write_csv(args.out, attempts)
    counts = {}
    for a in attempts:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    print(json.dumps({"attempts": len(attempts), **counts}))


if __name__ == "__main__":
    main()
