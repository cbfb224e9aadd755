#!/usr/bin/env python3
"""Checks the database against what the load generator was told.

For every payload sent (it may have been sent several times: CM's retries), with all its attempts:
  acknowledged-but-lost   some attempt got 200, and no row holds its bytes              must be 0 (I1)
  duplicate rows          more than one row holds its bytes                            must be 0 (I3)
  wrong id                a 200 named a row id that does not hold these bytes          must be 0
  seen_count out of range the row's seen_count is below the number of 200s, or above   must be 0
                          the number of attempts
  torn                    a stored row without its normalized row or its dispatch job  must be 0
  stored anyway           no attempt got 200, yet the row exists (an ambiguous commit:  allowed, reported
                          a 503 at the deadline or a cut after COMMIT; CM's retry is a duplicate)
  unacknowledged missing  no 200 and no row (CM retries it)                            allowed, reported

As a command, with the CSV written by loadgen.py:
    bench/chaos/checker.py --db postgresql://postgres@127.0.0.1:54329/mo_receiver attempts.csv
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict


def psql_binary() -> str:
    """bench/chaos/run exports MO_CHAOS_PSQL (found by scripts/lib.sh's pg_bindir)."""
    return os.environ.get("MO_CHAOS_PSQL") or shutil.which("psql") or sys.exit("set MO_CHAOS_PSQL to psql's path")


def sql(url: str, query: str, timeout: float = 60) -> list:
    """Rows of a query as lists of strings (psql, tab-separated, unaligned)."""
    out = subprocess.run([psql_binary(), url, "-X", "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", query],
                         capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return [line.split("\t") for line in out.stdout.splitlines() if line != ""]


class Sent:
    """What the checker needs of one payload: its identity and its attempts' answers."""

    def __init__(self, index, sha256, endpoint, method):
        self.index, self.sha256, self.endpoint, self.method = index, sha256, endpoint, method
        self.statuses = []  # int or None (cut)
        self.reply_ids = []


def from_attempts(attempts) -> dict:
    sent = {}
    for a in attempts:
        p = a.payload
        s = sent.setdefault((p.sha256, p.endpoint, p.method), Sent(p.index, p.sha256, p.endpoint, p.method))
        s.statuses.append(a.status)
        if a.status == 200 and a.reply_id is not None:
            s.reply_ids.append(int(a.reply_id))
    return sent


def check(url: str, sent: dict) -> dict:
    rows = defaultdict(list)  # (sha, endpoint, method) -> [(id, outcome, seen_count)]
    for sha, endpoint, method, ident, outcome, seen in sql(
            url, "SELECT encode(body_sha256, 'hex'), endpoint, method, id, outcome, seen_count FROM webhook_requests"):
        rows[(sha, endpoint, method)].append((int(ident), outcome, int(seen)))
    result = dict(payloads=len(sent), attempts=0, acked=0, acked_lost=0, duplicate_rows=0, wrong_id=0,
                  seen_count_bad=0, stored_anyway=0, unacked_missing=0, status_200=0, status_other=0, cut=0)
    examples = defaultdict(list)
    for key, s in sent.items():
        found = rows.get(key, [])
        acks = sum(1 for status in s.statuses if status == 200)
        result["attempts"] += len(s.statuses)
        result["status_200"] += acks
        result["status_other"] += sum(1 for status in s.statuses if status is not None and status != 200)
        result["cut"] += sum(1 for status in s.statuses if status is None)
        if acks:
            result["acked"] += 1
        if acks and not found:
            result["acked_lost"] += 1
            examples["acked_lost"].append(s.index)
        if len(found) > 1:
            result["duplicate_rows"] += len(found) - 1
            examples["duplicate_rows"].append(s.index)
        ids = {row[0] for row in found}
        if any(reply_id not in ids for reply_id in s.reply_ids):
            result["wrong_id"] += 1
            examples["wrong_id"].append(s.index)
        if len(found) == 1 and not (acks <= found[0][2] <= len(s.statuses)):
            result["seen_count_bad"] += 1
            examples["seen_count_bad"].append((s.index, acks, found[0][2], len(s.statuses)))
        if not acks and found:
            result["stored_anyway"] += 1
        if not acks and not found:
            result["unacked_missing"] += 1
            examples["unacked_missing"].append(s.index)
    result["rows"] = sum(len(v) for v in rows.values())
    result["unexpected_rows"] = sum(len(v) for k, v in rows.items() if k not in sent)
    # Each stored request has its normalized rows, and each of its items its dispatch job (written in the same
    # statement; completed jobs are kept by the scenarios' config, queue.completed_retention_hours).
    torn = sql(url, """
        SELECT count(*) FROM webhook_requests w
        WHERE w.outcome = 'stored' AND (
              (w.endpoint = 'mo' AND NOT EXISTS (
                  SELECT 1 FROM inbound_messages m WHERE m.request_id = w.id
                     AND EXISTS (SELECT 1 FROM jobs j WHERE j.unique_key LIKE 'dispatch:mo:' || m.id || ':%')))
           OR (w.endpoint = 'status' AND NOT EXISTS (
                  SELECT 1 FROM status_reports r WHERE r.request_id = w.id
                     AND EXISTS (SELECT 1 FROM jobs j WHERE j.unique_key LIKE 'dispatch:status:' || r.id || ':%')))
           OR (w.endpoint = 'event' AND NOT EXISTS (
                  SELECT 1 FROM events e WHERE e.request_id = w.id
                     AND EXISTS (SELECT 1 FROM jobs j WHERE j.unique_key LIKE 'dispatch:event:' || e.id || ':%'))))""")
    result["torn"] = int(torn[0][0])
    result["quarantined"] = int(sql(url, "SELECT count(*) FROM webhook_requests WHERE outcome <> 'stored'")[0][0])
    result["examples"] = {k: v[:5] for k, v in examples.items()}
    return result


VIOLATIONS = ("acked_lost", "duplicate_rows", "wrong_id", "seen_count_bad", "torn", "quarantined")


def violations(result: dict) -> list:
    return [f"{name}={result[name]} (e.g. {result['examples'].get(name, [])})" for name in VIOLATIONS if result[name]]


def main():
    parser = argparse.ArgumentParser(description="Check the database against a loadgen.py CSV.")
    parser.add_argument("--db", required=True, help="libpq URL of the daemon's database")
    parser.add_argument("csv", nargs="+", help="attempt CSVs (several: the first run and CM's retries)")
    args = parser.parse_args()
    endpoints = {"/mo": "mo", "/status": "status", "/events": "event"}
    sent = {}
    for path in args.csv:
        with open(path) as f:
            for row in csv.DictReader(f):
                key = (row["sha256"], endpoints[row["path"]], row["method"])
                s = sent.setdefault(key, Sent(int(row["index"]), *key))
                status = None if row["status"] == "cut" else int(row["status"])
                s.statuses.append(status)
                if status == 200 and row["id"]:
                    s.reply_ids.append(int(row["id"]))
    result = check(args.db, sent)
    print(json.dumps(result, indent=1))
    bad = violations(result)
    if bad:
        print("VIOLATED: " + "; ".join(bad), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
