#!/usr/bin/env python3
"""Formats bench/run results: one line per run, a summary table with medians, ratios and target checks, and the
soak's memory curve. Exits 1 when a target or the no-loss check fails."""
import json
import statistics
import sys

HEADER = (f"{'mode':<13} {'conns':>5} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'p99.9 ms':>8} {'non-200':>8} {'peak RSS':>9} "
          f"{'WAL/req':>8} {'drain s':>7}  no-loss")


def wal_per_request(r):
    """WAL bytes PostgreSQL wrote per delivery, ingest and the jobs after it (measured once the queue drained)."""
    return r.get("wal_bytes", 0) / max(r["deliveries"], 1) if r["mode"] != "healthz" else 0


def ok_count(r):
    return r["status"].get("200", 0)


def loss_check(r):
    """Every 200 is a committed delivery (a new row or a seen_count bump): fewer deliveries than 200s would be an
    acknowledged request lost. More deliveries than 200s are fine: requests wrk cut off at the end of a run (or
    answered while wrk was stopping) still commit without wrk counting their 200; more than `connections` of them
    is unusual and flagged, but it is not a loss."""
    if r["mode"] == "healthz":
        return r["deliveries"] == 0, "no rows (as expected)" if r["deliveries"] == 0 else "rows written!"
    extra = r["deliveries"] - ok_count(r)
    note = "  LOST" if extra < 0 else "  (more unacknowledged commits than connections)" if extra > r["connections"] else ""
    good = extra >= 0
    if r["mode"] == "e2e":
        # Every stored item reached the sink at least once (a retried forward may reach it twice).
        unforwarded = r["items"] - r["forwarded"]
        good = good and unforwarded <= 0
        note += f" items={r['items']} forwarded={r['forwarded']} ({forwarded_per_second(r):.0f}/s)" + \
            ("  NOT FORWARDED" if unforwarded > 0 else "")
    return good, f"200s={ok_count(r)} deliveries={r['deliveries']} rows={r['new_rows']}" + note


def forwarded_per_second(r):
    """Items the sink received per second, from the start of the run until the queue had drained."""
    return r["forwarded"] / (r["duration_s"] + r.get("queue_drain_s", 0))


def line(r):
    if r["mode"] == "db-floor":
        return f"db-floor  batches of {r['batch']:<3} {r['messages_per_s']:>9.0f} messages/s {r['statement_ms']:>7.2f} ms per statement"
    non200 = r["requests"] - ok_count(r) + r["socket_errors"]
    good, why = loss_check(r)
    return (f"{r['mode']:<13} {r['connections']:>5} {r['requests'] / r['duration_s']:>9.0f} {r['p50_ms']:>7.2f} "
            f"{r['p99_ms']:>7.2f} {r['p999_ms']:>8.2f} {non200:>8} {r['peak_rss_kb'] / 1024:>7.1f}MB "
            f"{wal_per_request(r):>8.0f} {r.get('queue_drain_s', 0):>7.1f}  {'ok' if good else 'FAIL'} ({why})")


MODES = ["healthz", "ingest", "ingest-single", "batching", "single", "e2e"]


def summary(path):
    runs = [json.loads(l) for l in open(path) if l.strip()]
    floors = [r for r in runs if r["mode"] == "db-floor"]
    runs = [r for r in runs if r["mode"] != "db-floor"]
    groups = {}
    for r in runs:
        groups.setdefault((r["mode"], r["connections"]), []).append(r)
    print()
    print("median over repeats")
    print(HEADER)
    med = {}
    for (mode, conns), rs in sorted(groups.items(), key=lambda kv: (MODES.index(kv[0][0]), kv[0][1])):
        m = {
            "mode": mode, "connections": conns,
            "rps": statistics.median(r["requests"] / r["duration_s"] for r in rs),
            "p50": statistics.median(r["p50_ms"] for r in rs),
            "p99": statistics.median(r["p99_ms"] for r in rs),
            "p999": statistics.median(r["p999_ms"] for r in rs),
            "non200": sum(r["requests"] - ok_count(r) + r["socket_errors"] for r in rs),
            "rss": max(r["peak_rss_kb"] for r in rs) / 1024,
            "loss_ok": all(loss_check(r)[0] for r in rs),
            "wal": statistics.median(wal_per_request(r) for r in rs),
            "drain": statistics.median(r.get("queue_drain_s", 0) for r in rs),
        }
        if mode == "e2e":
            m["forwarded_per_s"] = statistics.median(forwarded_per_second(r) for r in rs)
        med[(mode, conns)] = m
        print(f"{mode:<13} {conns:>5} {m['rps']:>9.0f} {m['p50']:>7.2f} {m['p99']:>7.2f} {m['p999']:>8.2f} "
              f"{m['non200']:>8} {m['rss']:>7.1f}MB {m['wal']:>8.0f} {m['drain']:>7.1f}  {'ok' if m['loss_ok'] else 'FAIL'}"
              + (f"  forwarded {m['forwarded_per_s']:.0f}/s" if mode == "e2e" else ""))
    if floors:
        print()
        print("database floor (pgbench, 2 clients, no HTTP and no daemon: raw row, normalized row, dispatch job)")
        for batch in sorted({r["batch"] for r in floors}):
            rs = [r for r in floors if r["batch"] == batch]
            print(f"  batches of {batch:<3} {statistics.median(r['messages_per_s'] for r in rs):>9.0f} messages/s "
                  f"{statistics.median(r['statement_ms'] for r in rs):>7.2f} ms per statement")

    checks = []
    b64, s64, h64, i64, is64 = (med.get((m, 64)) for m in ("batching", "single", "healthz", "ingest", "ingest-single"))
    # Group commit against one transaction per request, on the same work: ingest alone, and the whole daemon.
    for name, batched, single in (("ingest / ingest-single", i64, is64), ("batching / single", b64, s64)):
        if batched and single:
            ratio = batched["rps"] / single["rps"]
            checks.append((f"{name} at 64 connections", ratio, ">= 3.0", ratio >= 3.0))
    for name, m in (("ingest", i64), ("batching", b64)):
        if m and h64:
            checks.append((f"{name} / healthz at 64 connections", m["rps"] / h64["rps"], ">= 0.3", m["rps"] / h64["rps"] >= 0.3))
        if m:
            checks.append((f"{name} p99 at 64 connections (ms)", m["p99"], "<= 5", m["p99"] <= 5.0))
    e8, e64 = med.get(("e2e", 8)), med.get(("e2e", 64))
    i8 = med.get(("ingest", 8))
    if e64 and i64:
        checks.append(("e2e / ingest at 64 connections", e64["rps"] / i64["rps"], ">= 0.7", e64["rps"] / i64["rps"] >= 0.7))
    if e64:
        checks.append(("e2e drain after the run at 64 (s)", e64["drain"], "< 1", e64["drain"] < 1.0))
    if e8:
        checks.append(("e2e p50 at 8 connections (ms)", e8["p50"], "<= 2.5", e8["p50"] <= 2.5))
        if i8:
            checks.append(("e2e / ingest at 8 connections", e8["rps"] / i8["rps"], ">= 0.8", e8["rps"] / i8["rps"] >= 0.8))
    b256 = med.get(("batching", 256))
    if b256:
        rss = max(m["rss"] for m in med.values() if m["mode"] != "healthz")
        checks.append(("peak RSS up to 256 connections (MB)", rss, "<= 64", rss <= 64))
    checks.append(("acknowledged but lost", 0 if all(m["loss_ok"] for m in med.values()) else 1, "== 0",
                   all(m["loss_ok"] for m in med.values())))
    print()
    print("targets")
    for name, value, target, good in checks:
        print(f"  {name:<40} {value:>8.2f}  {target:<7} {'PASS' if good else 'FAIL'}")
    return all(c[3] for c in checks)


def soak(path, result):
    samples = [tuple(map(int, l.split())) for l in open(path) if l.strip()]
    if len(samples) < 4:
        print("soak too short to judge (need at least 4 samples)")
        return False
    start = samples[0][0]
    warm = [s for s in samples if s[0] - start >= 60] or samples[len(samples) // 2:]
    base = warm[0][1]
    peak = max(s[1] for s in warm)
    growth = (peak - base) / base * 100
    r = json.loads(result) if result else None
    print()
    print("soak: RSS after warm-up (60 s) " + " ".join(f"{s[1] // 1024}" for s in warm) + " MB")
    if r:
        print(f"soak: {r['requests'] / r['duration_s']:.0f} req/s, p99 {r['p99_ms']:.2f} ms, non-200 {r['requests'] - ok_count(r)}")
    good = growth <= 10
    print(f"  {'RSS growth after warm-up (%)':<40} {growth:>8.2f}  {'<= 10':<7} {'PASS' if good else 'FAIL'}")
    return good


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--line"]:
        for l in sys.stdin:
            print(line(json.loads(l)), flush=True)
    elif args[:1] == ["--summary"]:
        sys.exit(0 if summary(args[1]) else 1)
    elif args[:1] == ["--soak"]:
        result = args[3] if len(args) > 3 and args[2] == "--soak-result" else None
        sys.exit(0 if soak(args[1], result) else 1)
    else:
        sys.exit(__doc__)
