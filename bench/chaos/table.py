#!/usr/bin/env python3
"""Prints the results table of a chaos run (one JSON line per scenario, written by scenarios.py) as Markdown,
then the notes and violations. Exit status 1 when a scenario failed that is not an expected failure.

    bench/chaos/table.py RESULTS.jsonl [--expected-failures FILE]
"""
import json
import sys


def main():
    path = sys.argv[1]
    expected = {}
    if "--expected-failures" in sys.argv:
        with open(sys.argv[sys.argv.index("--expected-failures") + 1]) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, _, reason = line.strip().partition(" ")
                    expected[name] = reason.strip()
    with open(path) as f:
        results = [json.loads(line) for line in f if line.strip()]
    print("| scenario | runs | requests | 200 | acknowledged-but-lost | duplicate rows | non-200 stored anyway "
          "| recovery (s) | time (s) | result |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    failed = []
    for r in results:
        if r.get("skipped"):
            verdict = "SKIPPED (" + r["skipped"] + ")"
        elif r.get("violations"):
            if r["scenario"] in expected:
                verdict = "EXPECTED FAILURE (known daemon bug, below)"
            else:
                verdict = "FAIL"
                failed.append(r["scenario"])
        else:
            verdict = "pass" if r["scenario"] not in expected else "pass (listed as expected failure: remove it)"
        recovery = "" if r.get("recovery") is None else f"{r['recovery']:.2f}"
        print(f"| {r['scenario']} | {r.get('runs', '')} | {r.get('requests', '')} | {r.get('ok', '')} "
              f"| {r.get('acked_lost', '')} | {r.get('duplicates', '')} | {r.get('stored_anyway', '')} "
              f"| {recovery} | {r.get('seconds', '')} | {verdict} |")
    print()
    for r in results:
        for note in r.get("notes", []):
            print(f"- {r['scenario']}: {note}")
    for r in results:
        for violation in r.get("violations", []):
            tag = "EXPECTED" if r["scenario"] in expected else "VIOLATED"
            print(f"!! {tag} {r['scenario']}: {violation}")
    for r in results:
        if r.get("violations") and r["scenario"] in expected:
            print(f"\n!!!!! EXPECTED FAILURE, not counted against this run: {r['scenario']}\n!!!!! known daemon bug: "
                  f"{expected[r['scenario']]}\n!!!!! remove it from bench/chaos/expected-failures once fixed.")
        if r.get("skipped"):
            print(f"\n!!!!! SKIPPED, not tested by this run: {r['scenario']}: {r['skipped']}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
