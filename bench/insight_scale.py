"""(e) Insight and the team manager's inbox at 1,000, 100,000 and 1,000,000 submissions.

Rows go in with bench/seed.py's bulk inserts (5,000 a batch), then ``insight rebuild`` fills
the running counts from them (a bulk load bypasses the code that keeps them), then ANALYZE.
Over HTTP against one gunicorn worker: the manager's Insight page (their team, the last year),
one Insight CSV, and the manager's inbox. Median and p95 of ``REPEAT`` sequential requests.

The 1,000,000 run takes a while to load (several minutes on two shared cores), so the largest
size is ``BENCH_INSIGHT_MAX`` (default 1,000,000; ``--quick`` uses 100,000) and every load
step is logged with its time. PostgreSQL only: that is what a council at scale runs.
"""

from __future__ import annotations

import os
import subprocess
import time
from typing import Any

from bench import seed
from bench.common import fresh_database, gunicorn, log
from bench.scale import MANAGER, WORKER, _signed_in, _time

SIZES = (1_000, 100_000, 1_000_000)


def sizes(quick: bool = False) -> tuple[int, ...]:
    ceiling = int(os.environ.get("BENCH_INSIGHT_MAX", "100000" if quick else "1000000"))
    return tuple(s for s in SIZES if s <= ceiling) or (SIZES[0],)


def _rebuild(db) -> float:
    started = time.perf_counter()
    subprocess.run(
        [".venv/bin/flask", "--app", "voice", "insight", "rebuild"],
        env=db.env(),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def run_database(kind: str = "postgresql", chosen: tuple[int, ...] = SIZES) -> dict[str, Any]:
    log(f"insight scale on {kind}: sizes {chosen}")
    db = fresh_database(kind)
    people = seed.demo(db)
    password = people["staff"][0]["password"]
    results: dict[str, Any] = {"database": kind, "sizes": {}}
    for size in chosen:
        started = time.perf_counter()
        grown = seed.grow_submissions(db, size, keep_worker=WORKER)
        load_s = time.perf_counter() - started
        rebuild_s = _rebuild(db)
        seed.analyse(db)
        log(f"  {size:>9,}: loaded in {load_s:.0f} s, counts rebuilt in {rebuild_s:.0f} s")
        with gunicorn("voice.wsgi:app", db.env(), workers=1, name=f"voice-insight-{kind}") as base:
            manager = _signed_in(base, MANAGER, password)
            row = {
                "rows": grown,
                "load_seconds": round(load_s, 1),
                "rebuild_seconds": round(rebuild_s, 1),
                "insight_page": _time(manager, f"{base}/staff/insight"),
                "insight_csv": _time(manager, f"{base}/staff/insight/response_by_worker.csv"),
                "manager_inbox": _time(manager, f"{base}/staff/"),
            }
        results["sizes"][str(size)] = row
        log(
            f"  {size:>9,}: insight page {row['insight_page']['p50_ms']} ms "
            f"(p95 {row['insight_page']['p95_ms']}), "
            f"csv {row['insight_csv']['p50_ms']} ms, manager inbox {row['manager_inbox']['p50_ms']} ms"
        )
    return results


if __name__ == "__main__":
    import json
    import sys

    quick = "--quick" in sys.argv
    print(json.dumps(run_database("postgresql", sizes(quick)), indent=2))
