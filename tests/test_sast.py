"""THREATS 48, the SAST gate: bandit over voice/ at medium severity and above finds nothing
that a person has not looked at and justified on the line itself."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A finding is accepted only when its line names the same check and says why, e.g.
# a noqa naming S704 then ' - sanitised by nh3', or a nosec naming B704 then a reason.
JUSTIFIED = re.compile(r"#\s*(?:noqa:\s*S|nosec\s+B)(?P<number>\d{3})\s+-\s+\S.{5,}")


def _bandit_findings() -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "voice", "--severity-level", "medium", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, f"bandit gave no report: {result.stderr}"
    report = json.loads(result.stdout)
    assert not report["errors"], f"bandit could not read some files: {report['errors']}"
    return report["results"]


def _unjustified(finding: dict) -> bool:
    lines = (ROOT / finding["filename"]).read_text(encoding="utf-8").splitlines()
    line = lines[finding["line_number"] - 1]
    match = JUSTIFIED.search(line)
    return match is None or match["number"] != finding["test_id"][1:]


def test_bandit_finds_nothing_unjustified_at_medium_severity():
    findings = _bandit_findings()
    loose = [
        f"{f['filename']}:{f['line_number']} {f['test_id']} {f['issue_text']}"
        for f in findings
        if _unjustified(f)
    ]
    assert not loose, "bandit findings without a justified noqa/nosec on the line:\n" + "\n".join(loose)


def test_the_gate_would_catch_an_unjustified_finding(tmp_path):
    bare = {"filename": str(tmp_path / "x.py"), "line_number": 1, "test_id": "B704"}
    (tmp_path / "x.py").write_text("return Markup(html)  # noqa: S704\n", encoding="utf-8")
    assert _unjustified(bare)
    (tmp_path / "x.py").write_text("return Markup(html)  # noqa: S314 - other check\n", encoding="utf-8")
    assert _unjustified(bare)
    (tmp_path / "x.py").write_text("return Markup(html)  # noqa: S704 - escaped by Jinja\n", encoding="utf-8")
    assert not _unjustified(bare)
