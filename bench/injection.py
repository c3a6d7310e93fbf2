"""A live injection scan: sqlmap at level 3 over the child and staff forms (THREATS row 23).

    python -m bench.injection                 # every target, each bounded in time
    python -m bench.injection --quick         # level 1, two targets: what the test suite runs

Voice is served by gunicorn on 127.0.0.1 with a fresh demo database; a child phone is enrolled
and a social worker signed in through the real pages first, so sqlmap scans with real cookies and
fetches a fresh CSRF token before every request (``--csrf-token``/``--csrf-url``). Only
127.0.0.1 is ever targeted. A target is "clean" when sqlmap finds no injectable parameter and
the server answered no request with a 5xx.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from bench import common

PIN = "4826"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_FOUND = re.compile(
    r"(?:is vulnerable|appears to be .{0,60}injectable|sqlmap identified the following)", re.I
)


@dataclass(frozen=True)
class Target:
    name: str
    who: str  # "anonymous", "child" or "staff"
    path: str
    data: str | None = None  # a POST body; None for a GET with a query string
    form_page: str | None = None  # where the CSRF token comes from


TARGETS = (
    Target("staff sign-in", "anonymous", "/staff/sign-in", "email=a%40b.test&password=x", "/staff/sign-in"),
    Target("child PIN", "child-signed-out", "/sign-in", "pin=1234", "/sign-in"),
    Target("ask a question", "anonymous", "/rights/ask", "question=can+I+see+my+sister", "/rights/ask"),
    Target("staff inbox search", "staff", "/staff/?page=1&q=Sam&sort=urgent"),
    Target("staff alert filters", "staff", "/staff/alerts?team=1&state=all"),
    Target("studio proposals", "staff", "/studio/proposals?status=open&mine=1"),
)
QUICK = ("ask a question", "staff inbox search")


def _token(html: str) -> str:
    found = _TOKEN.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)


def _post_form(session: requests.Session, base: str, path: str, data: dict[str, str]) -> requests.Response:
    data = {**data, "csrf_token": _token(session.get(base + path, timeout=30).text)}
    return session.post(base + path, data=data, timeout=30)


def _staff(base: str, info: dict[str, Any]) -> requests.Session:
    worker = next(s for s in info["staff"] if s["role"] == "social_worker")
    session = requests.Session()
    signed_in = _post_form(
        session, base, "/staff/sign-in", {"email": worker["email"], "password": worker["password"]}
    )
    if "/staff/sign-in" in signed_in.url:
        raise RuntimeError("the demo social worker could not sign in")
    return session


def _child(base: str, info: dict[str, Any]) -> requests.Session:
    session = requests.Session()
    invite = urlsplit(info["children"][0]["invite_url"]).path
    _post_form(session, base, invite, {})
    chosen = _post_form(session, base, "/choose-pin", {"pin": PIN, "pin_again": PIN})
    if not chosen.url.endswith("/chat"):
        raise RuntimeError("the demo child could not choose a PIN")
    session.cookies.pop("voice_auth", None)  # signed out, phone kept: the PIN page is the form
    return session


def _sqlmap(
    base: str, target: Target, cookies: str, *, level: int, seconds: int, out: Path
) -> dict[str, Any]:
    args = [
        str(Path(sys.executable).with_name("sqlmap")), "--batch", f"--level={level}", "--risk=1",
        "--url", base + target.path, f"--output-dir={out}", "--flush-session", "--disable-coloring",
        "--time-sec=2", "--timeout=15", "--retries=1",
    ]  # fmt: skip
    if target.data is not None:
        args += [
            "--data",
            f"{target.data}&csrf_token=x",
            "--csrf-token=csrf_token",
            f"--csrf-url={base}{target.form_page}",
        ]
    if cookies:
        args += ["--cookie", cookies]
    started = time.monotonic()
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=seconds, check=False)
        output, finished = done.stdout + done.stderr, True
    except subprocess.TimeoutExpired as stopped:
        raw = stopped.stdout or b""
        output, finished = (raw.decode() if isinstance(raw, bytes) else raw), False
    return {
        "target": target.name,
        "who": target.who,
        "seconds": round(time.monotonic() - started, 1),
        "finished": finished,
        "requests": output.count("testing '"),
        "injectable": bool(_FOUND.search(output)),
        "found_lines": [line for line in output.splitlines() if _FOUND.search(line)][:5],
        "tail": output.strip().splitlines()[-3:],
    }


def _server_errors(log: Path) -> int:
    text = log.read_text(errors="replace") if log.exists() else ""
    return len(re.findall(r'" 5\d\d ', text))


def run(*, quick: bool = False, seconds_each: int | None = None) -> dict[str, Any]:
    if not Path(sys.executable).with_name("sqlmap").exists():
        raise RuntimeError("sqlmap is not installed: run make venv")
    level, seconds = (1, seconds_each or 90) if quick else (3, seconds_each or 240)
    database = common.fresh_database("sqlite")
    info = json.loads(database.flask("demo", "--json"))
    env = database.env()
    targets = [t for t in TARGETS if not quick or t.name in QUICK]
    results = []
    access = common.TMP / "injection-access.log"
    access.unlink(missing_ok=True)
    with common.gunicorn("voice.wsgi:app", env, workers=2, name="injection", access_log=access) as base:
        sessions = {"staff": _staff(base, info), "child-signed-out": _child(base, info)}
        for target in targets:
            session = sessions.get(target.who)
            cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items()) if session else ""
            common.log(f"sqlmap level {level} on {target.name} (at most {seconds} s)")
            out = common.TMP / "sqlmap"
            results.append(_sqlmap(base, target, cookies, level=level, seconds=seconds, out=out))
    errors = _server_errors(access)
    summary = {
        "level": level,
        "targets": results,
        "server_errors_5xx": errors,
        "injectable": [r["target"] for r in results if r["injectable"]],
    }
    summary["untested"] = [r["target"] for r in results if r["requests"] == 0]
    summary["clean"] = not summary["injectable"] and not summary["untested"] and errors == 0
    return summary


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="level 1 on two targets")
    parser.add_argument("--seconds", type=int, default=None, help="the bound for each target")
    args = parser.parse_args(argv)
    summary = run(quick=args.quick, seconds_each=args.seconds)
    for r in summary["targets"]:
        state = "INJECTABLE" if r["injectable"] else "clean" if r["requests"] else "NOT TESTED"
        common.log(f"{r['target']:<22} {state:<10} {r['seconds']:>6} s  {r['requests']} techniques tried")
        if not r["requests"]:
            common.log("   " + " / ".join(r["tail"]))
    common.log(f"5xx answers during the scan: {summary['server_errors_5xx']}")
    return summary


if __name__ == "__main__":
    sys.exit(0 if main()["clean"] else 1)
