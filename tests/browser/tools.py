"""The outside tools the browser suite drives: Chromium, the running app, the Nu HTML Checker.

Everything here binds to 127.0.0.1 and is stopped by the fixture that started it.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "artifacts"

# From TOOLING.md: what Debian's Chromium needs to run headless in a container, and nothing
# that phones home. A fresh --user-data-dir is added per launch.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A phone: iPhone 13 screen size (390×844 CSS px), touch, in Chromium. Scale 2 keeps the
# screenshots readable without making them huge.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("VOICE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, *, timeout: float, proc: subprocess.Popen | None = None, what: str = "server") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer at {url} within {timeout:.0f}s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class LiveServer:
    """Voice under gunicorn on a free port, with a fresh SQLite database and the demo data.

    The schema comes from ``flask db upgrade`` and the people from ``flask demo --json``: the
    same commands a developer runs. Each ``demo`` call mints fresh single-use invite links.
    """

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.db_path = workdir / "voice-browser.sqlite"
        self.log_path = workdir / "gunicorn.log"
        self.proc: subprocess.Popen | None = None
        self._log = None
        self._invites: dict[str, list[str]] = defaultdict(list)
        self._openers: dict[str, urllib.request.OpenerDirector] = {}
        self.demo_data: dict[str, Any] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("VOICE_")},
            "VOICE_ENV": "development",
            "VOICE_DATABASE_URL": f"sqlite:///{self.db_path}",
            "VOICE_INSTANCE_DIR": str(workdir / "instance"),
            "VOICE_BASE_URL": self.base_url,
            "FLASK_APP": "voice",
        }

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "voice", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        self.flask("db", "upgrade")
        self._log = self.log_path.open("wb")
        # One worker process with threads: the app loads once (it takes seconds), and the
        # tests are one phone at a time. The server boots while the demo data loads.
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--worker-class",
                "gthread",
                "--access-logfile",
                "-",
                "voice.wsgi:app",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.demo_data = self.demo()
        wait_for(f"{self.base_url}/healthz", timeout=90, proc=self.proc, what="gunicorn")

    def stop(self) -> None:
        stop(self.proc)
        if self._log is not None:
            self._log.close()

    def demo(self) -> dict[str, Any]:
        data = json.loads(self.flask("demo", "--json"))
        for child in data["children"]:
            self._invites[child["ref"]].append(child["invite_url"])
        return data

    def invite(self, ref: str) -> str:
        """A fresh, unused invite link for the demo child ``ref``: one from ``flask demo``
        while they last, then one minted by the child's worker on the staff pages (the way a
        worker sends a new link; much quicker than another ``flask demo``)."""
        if self._invites[ref]:
            return self._invites[ref].pop()
        worker = self.worker_of(ref)
        opener = self._staff_opener(worker["email"], worker["password"])
        child_id = uuid.UUID(self.sql("SELECT id FROM children WHERE ref = ?", ref)[0][0])
        page = opener.open(f"{self.base_url}/staff/children/{child_id}", timeout=30).read().decode()
        form = urllib.parse.urlencode({"csrf_token": _csrf(page)}).encode()
        page = opener.open(f"{self.base_url}/staff/children/{child_id}/invite", data=form, timeout=30)
        found = re.search(r'class="invite-link"><code>([^<]+)</code>', page.read().decode())
        assert found, "no invite link on the staff invite page"
        return html.unescape(found.group(1))

    def _staff_opener(self, email: str, password: str) -> urllib.request.OpenerDirector:
        if email not in self._openers:
            jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            opener = urllib.request.build_opener(jar)
            sign_in = f"{self.base_url}/staff/sign-in"
            page = opener.open(sign_in, timeout=30).read().decode()
            form = {"csrf_token": _csrf(page), "email": email, "password": password}
            opener.open(sign_in, data=urllib.parse.urlencode(form).encode(), timeout=30)
            self._openers[email] = opener
        return self._openers[email]

    def staff(self, role: str, *, email: str | None = None) -> dict[str, str]:
        for person in self.demo_data["staff"]:
            if (email and person["email"] == email) or (not email and person["role"] == role):
                return person
        raise LookupError(role)

    def worker_of(self, ref: str) -> dict[str, str]:
        child = next(c for c in self.demo_data["children"] if c["ref"] == ref)
        return self.staff("social_worker", email=child["allocated_worker"])

    def sql(self, query: str, *params: object) -> list[tuple]:
        import sqlite3

        conn = sqlite3.connect(self.db_path)
        try:
            return list(conn.execute(query, params))
        finally:
            conn.close()

    def discard_open_drafts(self, ref: str) -> None:
        """Delete a demo child's unsent conversations, so a journey that stops half way (to test
        one thing) does not send the next test that uses the child back to that draft."""
        import sqlite3

        conn = sqlite3.connect(self.db_path)
        try:
            with conn:
                conn.execute(
                    "DELETE FROM conversations WHERE status = 'open' AND child_id = "
                    "(SELECT id FROM children WHERE ref = ?)",
                    (ref,),
                )
        finally:
            conn.close()


class HtmlChecker:
    """The W3C Nu HTML Checker (vnu.jar) as one long-lived JVM on 127.0.0.1.

    One JVM for the whole session instead of one per page: it starts in the background while
    the app starts, and then checks a page in a few milliseconds.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.proc: subprocess.Popen | None = None
        self._ready = False

    def start(self) -> None:
        java = shutil.which("java")
        if java is None or not VNU_JAR.is_file():
            return
        self.proc = subprocess.Popen(
            [
                java,
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def available(self) -> bool:
        return self.proc is not None

    def check(self, html: str | bytes) -> list[dict[str, Any]]:
        """Errors and warnings for one document (info messages are dropped)."""
        if not self._ready:
            wait_for(f"http://127.0.0.1:{self.port}/", timeout=120, proc=self.proc, what="vnu")
            self._ready = True
        body = html.encode() if isinstance(html, str) else html
        request = urllib.request.Request(
            self.url, data=body, headers={"Content-Type": "text/html; charset=utf-8"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            messages = json.loads(response.read())["messages"]
        return [m for m in messages if m.get("type") == "error" or m.get("subType") == "warning"]

    def stop(self) -> None:
        stop(self.proc)
