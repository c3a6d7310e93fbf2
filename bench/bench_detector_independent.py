"""The concern detector on messages written independently of it (not a test, not for tuning).

    .venv/bin/python bench/bench_detector_independent.py

Reads tests/data/safeguarding-independent/*.jsonl and prints, per set and overall: recall (a
concern raised), recall counting "please read soon", the false-positive rate, and each miss.
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


def main() -> None:
    detector = Detector.from_directory(ROOT / "content" / "safeguarding")
    total: Counter[str] = Counter()
    for path in sorted(SETS.glob("*.jsonl")):
        counts: Counter[str] = Counter()
        notes = []
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found = detector.check(row["text"])
            if row["concern"]:
                counts["concerns"] += 1
                if found.concern:
                    counts["raised"] += 1
                elif found.level == "uncertain":
                    counts["read_soon"] += 1
                    notes.append(f"  read soon ({row['category']}): {row['text'][:110]}")
                else:
                    notes.append(f"  MISSED ({row['category']}): {row['text'][:110]}")
            else:
                counts["ordinary"] += 1
                if found.concern:
                    counts["false_alarms"] += 1
                    notes.append(f"  false alarm: {row['text'][:110]}")
        total.update(counts)
        _line(path.stem, counts)
        print("\n".join(notes))
    _line("ALL", total)


def _line(name: str, c: Counter[str]) -> None:
    recall = c["raised"] / c["concerns"]
    with_soon = (c["raised"] + c["read_soon"]) / c["concerns"]
    fpr = c["false_alarms"] / c["ordinary"]
    print(f"{name}: recall {c['raised']}/{c['concerns']} = {recall:.3f}, with 'please read soon' "
          f"{with_soon:.3f}; false alarms {c['false_alarms']}/{c['ordinary']} = {fpr:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
