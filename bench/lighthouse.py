"""(d) Lighthouse, mobile, on the landing page, a child's chat page and the rights explorer.

Lighthouse's default mobile run: a mid-range phone's screen, simulated slow 4G and a 4×
slower CPU. The chat page is opened signed in, with the child's cookies as an extra header.
Full reports are written to bench/results/tmp/lighthouse-<page>.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from typing import Any

from bench import seed
from bench.common import ROOT, TMP, fresh_database, gunicorn, log

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def lighthouse(url: str, name: str, *, cookie: str | None = None) -> dict[str, Any]:
    out = TMP / f"lighthouse-{name}.json"
    with tempfile.TemporaryDirectory(prefix="voice-lh-") as profile:
        command = [
            str(LIGHTHOUSE),
            url,
            "--form-factor=mobile",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--quiet",
            f"--chrome-flags={FLAGS} --user-data-dir={profile}",
        ]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
        done = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    if done.returncode != 0 or not out.exists():
        return {"error": (done.stderr or done.stdout)[-1500:]}
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = report["audits"]
    failing = sorted(
        f"{category}: {ref['id']}"
        for category in CATEGORIES
        for ref in report["categories"][category]["auditRefs"]
        if ref.get("weight", 0) > 0
        and (audits[ref["id"]].get("score") is not None)
        and audits[ref["id"]]["score"] < 1
    )
    metrics = {
        m: audits[m].get("displayValue")
        for m in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
        if m in audits
    }
    weight = audits.get("total-byte-weight", {}).get("numericValue")
    return {"scores": scores, "not_perfect": failing, "metrics": metrics, "bytes": weight}


def run() -> dict[str, Any]:
    if not LIGHTHOUSE.exists():
        return {"skipped": "lighthouse is not installed (make browser-deps)"}
    if not os.path.exists(CHROMIUM):
        return {"skipped": f"Chromium is not at {CHROMIUM}"}
    log("lighthouse: landing, chat and rights pages (mobile)")
    db = fresh_database("sqlite")
    seed.demo(db)
    child = seed.enrolled_children(db, 1, prefix="LH-")[0]
    results: dict[str, Any] = {}
    with gunicorn("voice.wsgi:app", db.env(), workers=2, name="voice-lighthouse") as base:
        for name, path, cookie in (
            ("landing", "/", None),
            ("chat", child.conversation, child.cookie),
            ("rights", "/rights", None),
        ):
            results[name] = lighthouse(f"{base}{path}", name, cookie=cookie)
            log(f"  {name}: {results[name].get('scores') or results[name]}")
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
