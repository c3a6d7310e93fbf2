"""(b) The inbox and a worker's child list at 1,000, 10,000 and 100,000 submissions.

The submissions table grows with bulk SQL inserts (bench/seed.py: a council's records piling
up across many children and workers). The measured social worker keeps the same caseload
(20 children, about 100 submissions) at every size, as in life. We time, over HTTP against
one gunicorn worker (no queueing), the worker's inbox (first page, and page 3), their child
list, and, for contrast, their team manager's inbox, whose scope is the whole team and so
does grow with the table.
"""

from __future__ import annotations

import http.cookiejar
import re
import statistics
import time
import urllib.parse
import urllib.request
from typing import Any

from bench import seed
from bench.common import fresh_database, gunicorn, log

SIZES = (1_000, 10_000, 100_000)
WORKER = "sam.rivers@voice.example"
MANAGER = "dee.holloway@voice.example"
REPEAT = 30


def _signed_in(base: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/staff/sign-in", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(f"{base}/staff/sign-in", data=form, timeout=30)
    return opener


def _time(opener: urllib.request.OpenerDirector, url: str) -> dict[str, float]:
    for _ in range(3):  # warm caches
        opener.open(url, timeout=60).read()
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        with opener.open(url, timeout=60) as response:
            response.read()
            assert response.status == 200, (url, response.status)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
    }


def run_database(kind: str, sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    log(f"scale on {kind}: sizes {sizes}")
    db = fresh_database(kind)
    people = seed.demo(db)
    password = people["staff"][0]["password"]
    results: dict[str, Any] = {"database": kind, "sizes": {}}
    for size in sizes:
        started = time.perf_counter()
        grown = seed.grow_submissions(db, size, keep_worker=WORKER)
        seed.analyse(db)
        load_s = time.perf_counter() - started
        with gunicorn("voice.wsgi:app", db.env(), workers=1, name=f"voice-scale-{kind}") as base:
            worker = _signed_in(base, WORKER, password)
            manager = _signed_in(base, MANAGER, password)
            row = {
                "rows": grown,
                "load_seconds": round(load_s, 1),
                "worker_inbox": _time(worker, f"{base}/staff/"),
                "worker_inbox_page_3": _time(worker, f"{base}/staff/?page=3"),
                "worker_children": _time(worker, f"{base}/staff/children"),
                "manager_inbox": _time(manager, f"{base}/staff/"),
            }
        results["sizes"][str(size)] = row
        log(
            f"  {kind} {size:>7,}: worker inbox {row['worker_inbox']['p50_ms']} ms, page 3 "
            f"{row['worker_inbox_page_3']['p50_ms']} ms, children {row['worker_children']['p50_ms']} ms, "
            f"manager inbox {row['manager_inbox']['p50_ms']} ms (loaded in {load_s:.0f} s)"
        )
    first, last = (results["sizes"][str(s)] for s in (sizes[0], sizes[-1]))
    results["growth"] = {
        name: round(last[name]["p50_ms"] / first[name]["p50_ms"], 2)
        for name in ("worker_inbox", "worker_inbox_page_3", "worker_children", "manager_inbox")
    }
    return results


def run(databases: tuple[str, ...] = ("sqlite", "postgresql")) -> dict[str, Any]:
    return {kind: run_database(kind) for kind in databases}


if __name__ == "__main__":
    import json

    print(json.dumps(run(("sqlite",)), indent=2))
