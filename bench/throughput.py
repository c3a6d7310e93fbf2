"""(a) Throughput and latency of a child's conversation turn and a worker's inbox, as a ratio
to a bare Flask app on the same gunicorn settings, measured side by side in the same run.

For each database: Voice and the bare app are both started (gunicorn, ``WORKERS`` sync
workers each); then, for each scenario, wrk runs against the bare app and straight after
against Voice, with the same threads, connections and duration. The ratio of the two is the
figure: absolute numbers on a shared two-core machine (wrk shares the cores) move a lot.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

from bench import seed
from bench.common import ROOT, TMP, fresh_database, gunicorn, log

WRK = ROOT / "bench" / "wrk"
CONNECTIONS = 16  # one wrk thread per connection: the turn script keeps per-connection state


def wrk(url: str, script: str, *args: str, seconds: int) -> dict[str, Any]:
    command = [
        "wrk",
        "-t",
        str(CONNECTIONS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK / script),
        url,
        "--",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            figures = json.loads(line[len("BENCH ") :])
            figures["errors_total"] = sum(figures["errors"].values())
            return figures
    raise RuntimeError(f"wrk gave no figures: {result.stdout}\n{result.stderr}")


def _staff_cookie(base: str, email: str, password: str) -> str:
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/staff/sign-in", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(f"{base}/staff/sign-in", data=form, timeout=30)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def run_database(kind: str, *, seconds: int) -> dict[str, Any]:
    log(f"throughput on {kind}: preparing a fresh database")
    db = fresh_database(kind)
    people = seed.demo(db)
    worker = next(p for p in people["staff"] if p["email"] == "sam.rivers@voice.example")
    # Something in the worker's inbox: the 7 demo children's and the bench children's sends
    # appear as the turn benchmark runs; 25 a page either way.
    # Four children per connection: a connection moves to its next child when a chat ends.
    children = seed.enrolled_children(db, CONNECTIONS * 4 + 1, prefix=f"T{kind[0].upper()}-")
    reader = children.pop()  # a child whose chat page is only read (GET): no state changes
    turn_data = TMP / f"turn-{kind}.tsv"
    turn_data.write_text("".join(f"{c.conversation}\t{c.cookie}\n" for c in children))

    results: dict[str, Any] = {"database": kind, "connections": CONNECTIONS, "seconds": seconds}
    with (
        gunicorn("bench.hello:app", db.env(), name=f"hello-{kind}") as hello,
        gunicorn("voice.wsgi:app", db.env(), name=f"voice-{kind}") as voice,
    ):
        inbox_cookie = _staff_cookie(voice, worker["email"], worker["password"])
        scenarios = [
            ("floor", "get.lua", ("/floor",)),
            ("chat_get", "get.lua", (reader.conversation, reader.cookie)),
            ("turn", "turn.lua", (str(turn_data), str(CONNECTIONS))),
            ("inbox", "get.lua", ("/staff/", inbox_cookie)),
        ]
        # warm both servers (imports, caches, connection pools) before anything is measured
        wrk(hello, "get.lua", "/", seconds=2)
        wrk(voice, "get.lua", reader.conversation, reader.cookie, seconds=2)
        for name, script, args in scenarios:
            base = wrk(hello, "get.lua", "/", seconds=seconds)
            # "floor" is the bare app's own database-backed page (bench/hello.py), not Voice
            got = wrk(hello if name == "floor" else voice, script, *args, seconds=seconds)
            got["ratio_to_hello"] = round(got["rps"] / base["rps"], 3) if base["rps"] else None
            results[name] = {"voice": got, "hello": base}
            log(
                f"  {kind} {name}: {got['rps']:.0f} req/s vs hello {base['rps']:.0f} req/s "
                f"= {got['ratio_to_hello']:.2f}; p50 {got['p50_ms']:.1f} p95 {got['p95_ms']:.1f} "
                f"p99 {got['p99_ms']:.1f} ms; errors {got['errors_total']}"
            )
    return results


def run(*, seconds: int = 10, databases: tuple[str, ...] = ("sqlite", "postgresql")) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install -y wrk)"}
    return {kind: run_database(kind, seconds=seconds) for kind in databases}


def main() -> None:
    print(json.dumps(run(seconds=5, databases=("sqlite",)), indent=2))


if __name__ == "__main__":
    main()
