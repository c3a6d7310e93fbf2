"""The hashed lock: installs come only from it, and a stale lock stops `make` with one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from scripts import lock

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_lock_matches_pyproject() -> None:
    assert lock.check() is None, lock.check()


def test_every_locked_package_is_pinned_with_a_hash() -> None:
    text = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 1)[1])
    packages = [entry for entry in entries if re.match(r"[a-z0-9]", entry)]
    assert len(packages) > 50
    for entry in packages:
        name = entry.split()[0]
        assert "==" in name, f"{name} is not pinned"
        assert "--hash=sha256:" in entry, f"{name} has no hash"


def _project(tmp_path: Path, dependency: str) -> Path:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        f'[project]\nname = "x"\nrequires-python = ">=3.11"\ndependencies = ["{dependency}"]\n',
        encoding="utf-8",
    )
    return pyproject


def test_a_changed_range_makes_the_lock_stale_with_one_clear_line(tmp_path: Path) -> None:
    pyproject = _project(tmp_path, "flask>=3.0,<4")
    locked = tmp_path / "lock.txt"
    locked.write_text("flask==3.1.3 \\\n    --hash=sha256:00\n", encoding="utf-8")
    lock.stamp(locked, pyproject)
    assert lock.check(locked, pyproject) is None

    _project(tmp_path, "flask>=3.1,<4")
    problem = lock.check(locked, pyproject)
    assert problem is not None
    assert "make lock" in problem
    assert "\n" not in problem


def test_the_check_make_runs_passes_on_the_committed_lock() -> None:
    """`make venv` runs this exact command before it installs anything."""
    result = subprocess.run(  # the real script, as make runs it, against a copy
        [sys.executable, "-c", "import sys; from scripts import lock; sys.exit(lock.main(['', 'check']))"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_an_old_python_is_told_clearly(tmp_path: Path) -> None:
    script = (ROOT / "scripts" / "python_version.py").read_text(encoding="utf-8")
    fake_root = tmp_path / "scripts"
    fake_root.mkdir()
    (fake_root / "python_version.py").write_text(script, encoding="utf-8")
    (tmp_path / ".python-version").write_text("9.99\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(fake_root / "python_version.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Voice needs Python 9.99 or newer" in result.stderr
