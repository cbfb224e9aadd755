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
    return extra >= 0, f"200s={ok_count(r)} deliveries={r['deliveries']} rows={r['new_rows']}" + note


def line(r):
    non200 = r["requests"] - ok_count(r) + r["socket_errors"]
    good, why = loss_check(r)
    return (f"{r['mode']:<13} {r['connections']:>5} {r['requests'] / r['duration_s']:>9.0f} {r['p50_ms']:>7.2f} "
            f"{r['p99_ms']:>7.2f} {r['p999_ms']:>8.2f} {non200:>8} {r['peak_rss_kb'] / 1024:>7.1f}MB "
            f"{wal_per_request(r):>8.0f} {r.get('queue_drain_s', 0):>7.1f}  {'ok' if good else 'FAIL'} ({why})")


def summary(path):
    runs = [json.loads(l) for l in open(path) if l.strip()]
    groups = {}
    for r in runs:
        groups.setdefault((r["mode"], r["connections"]), []).append(r)
    print()
    print("median over repeats")
    print(HEADER)
    med = {}
    for (mode, conns), rs in sorted(groups.items(), key=lambda kv: (["healthz", "ingest", "ingest-single", "batching", "single"].index(kv[0][0]), kv[0][1])):
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
        med[(mode, conns)] = m
        print(f"{mode:<13} {conns:>5} {m['rps']:>9.0f} {m['p50']:>7.2f} {m['p99']:>7.2f} {m['p999']:>8.2f} "
              f"{m['non200']:>8} {m['rss']:>7.1f}MB {m['wal']:>8.0f} {m['drain']:>7.1f}  {'ok' if m['loss_ok'] else 'FAIL'}")

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
