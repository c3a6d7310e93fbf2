"""The concern detector on messages written independently of it (not a test, not for tuning).

    .venv/bin/python bench/bench_detector_independent.py [DIRECTORY ...]

Reads every *.jsonl in each DIRECTORY (default tests/data/safeguarding-independent/, which now
holds Z4-Z13, spent after their measurement; earlier sets were folded into the corpus, and the
lead keeps new ones elsewhere until measured) and prints, per file and overall: recall (a concern
raised), recall counting "please read soon", the false-positive rate, how many ordinary messages
were marked "please read soon", each miss, and recall per category over all files.

Lines may use either format: ``{"text", "concern": bool, "category"}`` (the writers' format)
or the corpus format ``{"text", "categories": [...]}``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice.safeguarding.detector import Detector  # noqa: E402

SETS = ROOT / "tests" / "data" / "safeguarding-independent"


def _label(row: dict) -> tuple[bool, str]:
    if "categories" in row:
        return bool(row["categories"]), ",".join(row["categories"]) or "none"
    return bool(row["concern"]), str(row.get("category", ""))


def main(argv: list[str]) -> None:
    detector = Detector.from_directory(ROOT / "content" / "safeguarding")
    directories = [Path(a) for a in argv] or [SETS]
    total: Counter[str] = Counter()
    by_category: Counter[tuple[str, str]] = Counter()
    for path in sorted(p for d in directories for p in d.glob("*.jsonl")):
        counts: Counter[str] = Counter()
        notes = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            concern, category = _label(row)
            found = detector.check(row["text"])
            if concern:
                counts["concerns"] += 1
                by_category[(category, "concerns")] += 1
                if found.concern:
                    counts["raised"] += 1
                    by_category[(category, "raised")] += 1
                elif found.level == "uncertain":
                    counts["read_soon"] += 1
                    by_category[(category, "read_soon")] += 1
                    notes.append(f"  read soon ({category}): {row['text'][:110]}")
                else:
                    notes.append(f"  MISSED ({category}): {row['text'][:110]}")
            else:
                counts["ordinary"] += 1
                if found.concern:
                    counts["false_alarms"] += 1
                    notes.append(f"  false alarm ({', '.join(found.rules)}): {row['text'][:110]}")
                elif found.level == "uncertain":
                    counts["ordinary_read_soon"] += 1
        total.update(counts)
        _line(path.stem, counts)
        print("\n".join(notes))
    if not total:
        print("no *.jsonl sets found in", ", ".join(str(d) for d in directories))
        return
    _line("ALL", total)
    for category in sorted({c for c, _ in by_category}):
        n, raised = by_category[(category, "concerns")], by_category[(category, "raised")]
        soon = raised + by_category[(category, "read_soon")]
        print(f"  {category}: recall {raised}/{n} = {_rate(raised, n)}, with read soon {_rate(soon, n)}")


def _rate(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "-"


def _line(name: str, c: Counter[str]) -> None:
    print(f"{name}: recall {c['raised']}/{c['concerns']} = {_rate(c['raised'], c['concerns'])}, with 'please "
          f"read soon' {_rate(c['raised'] + c['read_soon'], c['concerns'])}; false alarms "
          f"{c['false_alarms']}/{c['ordinary']} = {_rate(c['false_alarms'], c['ordinary'])}; ordinary marked "
          f"'read soon' {_rate(c['ordinary_read_soon'], c['ordinary'])}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
