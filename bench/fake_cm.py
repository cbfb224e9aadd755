#!/usr/bin/env python3
"""A fake of CM's send API for benchmarks: answers every POST as Accepted and appends one line per message to a
file: reference, recipient, arrival time (Unix seconds, the machine's clock). Loopback only. DELAY_MS (default 0)
holds every answer that long after the request was logged, so a sender can be killed while its request is in flight
(bench/chaos worker-kill).

    bench/fake_cm.py PORT OUTFILE [DELAY_MS]
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out = int(sys.argv[1]), open(sys.argv[2], "a", buffering=1)
delay = int(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0


class Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        messages = json.loads(body)["messages"]["msg"]
        answers = []
        for msg in messages:
            for to in msg["to"]:
                out.write(f"{msg['reference']} {to['number']} {arrived:.6f}\n")
                answers.append({"to": to["number"], "status": "Accepted", "reference": msg["reference"],
                                "parts": 1, "messageDetails": None, "messageErrorCode": 0})
        if delay:
            time.sleep(delay)
        reply = json.dumps({"details": f"Created {len(answers)} message(s)", "errorCode": 0,
                            "messages": answers}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Gateway).serve_forever()
