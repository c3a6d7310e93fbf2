"""(c) 200 simulated children complete the conversation at the same time (locust, headless).

Bars: zero errors, zero lost or duplicated submissions (counted in the database afterwards),
p95 under 150 ms. The run is bounded in time; it stops early when every child has sent.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from typing import Any

from bench import seed
from bench.common import ROOT, TMP, fresh_database, gunicorn, log

CHILDREN = int(os.environ.get("BENCH_LOAD_CHILDREN", "200"))
# Seconds between taps. A child reads a short question and taps an answer: a few seconds
# (typing takes longer). 3-8 s is already brisk; "1,3" is the stress variant.
THINK = os.environ.get("BENCH_THINK", "3,8")


def _stats(prefix: str) -> dict[str, Any]:
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": float(row["Max Response Time"]),
                "rps": float(row["Requests/s"]),
            }
    return rows


def run_database(kind: str, *, limit: int, think: str) -> dict[str, Any]:
    log(f"load on {kind}: {CHILDREN} children, think time {think} s, at most {limit} s")
    db = fresh_database(kind)
    seed.demo(db)
    children = seed.enrolled_children(db, CHILDREN, prefix=f"L{kind[0].upper()}-")
    data = TMP / f"load-children-{kind}.json"
    data.write_text(json.dumps([c.as_dict() for c in children]))
    sent_file = TMP / f"load-sent-{kind}.json"
    sent_file.unlink(missing_ok=True)
    prefix = str(TMP / f"locust-{kind}")
    with gunicorn("voice.wsgi:app", db.env(), name=f"voice-load-{kind}") as voice:
        env = {**os.environ, "BENCH_CHILDREN": str(data), "BENCH_SENT": str(sent_file), "BENCH_THINK": think}
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(CHILDREN),
            "-r",
            "20",
            "-t",
            f"{limit}s",
            "--host",
            voice,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ]
        finished = subprocess.run(
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=limit + 120, check=False
        )
    stats = _stats(prefix)
    told = json.loads(sent_file.read_text()) if sent_file.exists() else {"sent": [], "failed": []}
    counted = seed.count_submissions(db, [c.ref for c in children])
    total = stats.get("Aggregated", {})
    result = {
        "database": kind,
        "children": CHILDREN,
        "think_seconds": think,
        "limit_seconds": limit,
        "locust_exit": finished.returncode,
        "endpoints": stats,
        "sent_by_children": len(told["sent"]),
        "failed_sends": len(told["failed"]),
        "in_database": counted,
        "lost": CHILDREN - counted["submissions"],
        "duplicated": counted["submissions"]
        - counted["conversations"]
        + counted["children_with_more_than_one"],
        "errors": total.get("failures", -1),
        "p95_ms": total.get("p95_ms"),
        "p50_ms": total.get("p50_ms"),
        "p99_ms": total.get("p99_ms"),
        "requests": total.get("requests"),
        "rps": total.get("rps"),
    }
    log(
        f"  {kind}: {result['requests']} requests, {result['errors']} errors, p50 {result['p50_ms']} "
        f"p95 {result['p95_ms']} p99 {result['p99_ms']} ms; sent {result['sent_by_children']}, "
        f"in database {counted['submissions']}, lost {result['lost']}, duplicated {result['duplicated']}"
    )
    if finished.returncode not in (0, 1):
        log(f"  locust said: {finished.stderr[-2000:]}")
    return result


def run(
    *, limit: int = 300, think: str = THINK, databases: tuple[str, ...] = ("postgresql", "sqlite")
) -> dict:
    return {kind: run_database(kind, limit=limit, think=think) for kind in databases}


if __name__ == "__main__":
    print(json.dumps(run(databases=("sqlite",)), indent=2))
