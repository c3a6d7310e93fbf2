"""Shared plumbing for the benchmarks: databases, servers, ports, results.

Everything listens on 127.0.0.1 and every run is bounded in time. Servers are stopped by the
context managers that start them, even when a benchmark fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"  # gitignored: databases, logs, wrk data files
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
# One database a run: set BENCH_PG_DB when several runs share a server.
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "voice_bench")

# One gunicorn setting for Voice and for the bare Flask app, so the ratio compares like with like.
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 90.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


@dataclass
class Database:
    """A fresh database for one benchmark: SQLite in bench/results/tmp, or voice_bench on PostgreSQL."""

    kind: str  # "sqlite" or "postgresql"
    url: str = ""
    instance: Path = field(default_factory=lambda: TMP / "instance")

    def env(self) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("VOICE_")},
            "VOICE_ENV": "development",
            "VOICE_DATABASE_URL": self.url,
            "VOICE_INSTANCE_DIR": str(self.instance),
            "VOICE_BASE_URL": "http://127.0.0.1:5000",  # gunicorn() sets the real port
            "FLASK_APP": "voice",
        }

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "voice", *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result.stdout


def fresh_database(kind: str) -> Database:
    TMP.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = TMP / "voice-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = Database("sqlite", f"sqlite:///{path}")
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        host = PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0]
        db = Database("postgresql", f"postgresql+psycopg://{host}/{PG_BENCH_DB}")
    db.instance.mkdir(parents=True, exist_ok=True)
    db.flask("db", "upgrade")
    return db


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def gunicorn(
    app: str,
    env: dict[str, str],
    *,
    workers: int = WORKERS,
    name: str = "server",
    threads: int = 1,
    access_log: Path | None = None,
) -> Iterator[str]:
    """Serve ``app`` (``module:attr``) with gunicorn on a free port; yields the base URL."""
    port = free_port()
    logfile = (TMP / f"{name}.log").open("wb")
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    if access_log is not None:  # status codes only: '"METHOD path" status'
        args += ["--access-logfile", str(access_log), "--access-logformat", '"%(m)s %(U)s" %(s)s pid=%(p)s']
    if threads > 1:
        args += ["--threads", str(threads), "--worker-class", "gthread"]
    proc = subprocess.Popen(
        [*args, app],
        env={**env, "VOICE_BASE_URL": f"http://127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        logfile.close()


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gunicorn_workers": WORKERS,
        "wrk": shutil.which("wrk") is not None,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def save(results: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    results.setdefault("machine", {})["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    path = RESULTS / "latest.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return path
