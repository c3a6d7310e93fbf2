"""The hashed lock: its fingerprint of pyproject.toml, and the check ``make`` runs before installing.

``make lock`` compiles ``requirements/lock.txt`` with uv (every runtime and dev package, pinned, with
hashes) and writes, as its first line, a fingerprint of what pyproject.toml asks for
(``requires-python``, ``dependencies`` and ``optional-dependencies``). ``make venv`` runs
``check``: when pyproject.toml has changed since the lock was made, it stops with one line
telling the developer to run ``make lock``, and nothing is installed from an unlocked range.

This file uses only the standard library, so it runs before the venv exists.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements" / "lock.txt"
MARK = "# pyproject-fingerprint: "


def fingerprint(pyproject: Path = PYPROJECT) -> str:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    asked = {
        "requires-python": project.get("requires-python"),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {
            name: sorted(deps) for name, deps in sorted(project.get("optional-dependencies", {}).items())
        },
    }
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


def recorded(lock: Path = LOCK) -> str | None:
    if not lock.exists():
        return None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(MARK):
            return line[len(MARK) :].strip()
    return None


def stamp(lock: Path = LOCK, pyproject: Path = PYPROJECT) -> None:
    """Put the fingerprint on the first line of a freshly compiled lock."""
    lines = [line for line in lock.read_text(encoding="utf-8").splitlines() if not line.startswith(MARK)]
    lock.write_text("\n".join([MARK + fingerprint(pyproject), *lines]) + "\n", encoding="utf-8")


def check(lock: Path = LOCK, pyproject: Path = PYPROJECT) -> str | None:
    """None when the lock matches pyproject.toml, else the one line to show."""
    if not lock.exists():
        return f"{lock.relative_to(ROOT)} is missing: run `make lock` to create it."
    if recorded(lock) != fingerprint(pyproject):
        return (
            "pyproject.toml's dependencies changed since requirements/lock.txt was made: "
            "run `make lock` (then commit the lock)."
        )
    return None


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "stamp":
        stamp()
        return 0
    problem = check()
    if problem:
        print(f"!! {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
