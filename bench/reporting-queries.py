#!/usr/bin/env python3
"""Runs every example query of docs/reporting.md and times it: the second half of bench/reporting.

    reporting-queries.py DOCS OUTPUT_DIR LIMIT_MS ROLE PSQL [PSQL ARGS...]

The ```sql blocks of DOCS that are not queries (the read-only role's grants) run first, as PSQL's user; the
queries then run as ROLE (the reporting role they create), as the documentation says reports should.
Every ```sql block of DOCS that is a query (starts with SELECT or WITH) runs once for its output (saved as
OUTPUT_DIR/NN.txt, psql's aligned format, as docs/reporting.md shows it), then three times timed with psql's
\\timing (client round trip). Prints query → rows → best of 3 in ms; exits 1 when a query fails or its best time
reaches LIMIT_MS.
"""
import pathlib
import re
import subprocess
import sys


def blocks(markdown):
    """The ```sql blocks as (is a query, text), in document order."""
    found = []
    for block in re.findall(r"^```sql\n(.*?)^```", markdown, flags=re.M | re.S):
        code = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("--")).strip()
        found.append((re.match(r"(?i)(select|with)\b", code) is not None, block.strip()))
    return found


def main():
    docs, out_dir, limit_ms, role, psql = (sys.argv[1], pathlib.Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4],
                                           sys.argv[5:])
    out_dir.mkdir(parents=True, exist_ok=True)
    every = blocks(pathlib.Path(docs).read_text(encoding="utf-8"))
    found = [text for is_query, text in every if is_query]
    if not found:
        sys.exit(f"{docs}: no ```sql query blocks")
    for is_query, text in every:
        if not is_query:
            subprocess.run(psql + ["-X", "-q", "-v", "ON_ERROR_STOP=1"], input=text, text=True, check=True)
    if role:
        psql = psql + ["-U", role]
    failed = False
    print(f"\n{'#':>2}  {'query':<48} {'rows':>6} {'best of 3 (ms)':>15}")
    for index, query in enumerate(found, start=1):
        output = out_dir / f"{index:02}.txt"
        script = (f"\\set ON_ERROR_STOP 1\n\\pset footer on\n\\o {output}\n{query}\n\\o /dev/null\n\\timing on\n"
                  + f"{query}\n" * 3)
        run = subprocess.run(psql + ["-X", "-q"], input=script, capture_output=True, text=True)
        label = " ".join(query.split())
        label = label if len(label) <= 48 else label[:45] + "..."
        if run.returncode != 0:
            print(f"{index:>2}  {label:<48} failed: {run.stderr.strip()}")
            failed = True
            continue
        times = [float(t) for t in re.findall(r"^Time: ([0-9.]+) ms", run.stdout, flags=re.M)]
        rows = re.search(r"^\((\d+) rows?\)$", output.read_text(encoding="utf-8"), flags=re.M)
        best = min(times)
        flag = "" if best < limit_ms else f"  >= {limit_ms:.0f} ms"
        failed = failed or best >= limit_ms
        print(f"{index:>2}  {label:<48} {rows.group(1) if rows else '?':>6} {best:>15.1f}{flag}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
