"""Ask a question on the independent held-out sets in tests/data/ask-independent/ (a report,
not a test, and not for tuning: see that folder's README).

    .venv/bin/python bench/bench_ask_independent.py [--show] [DIR]

Each file ``writer-<x>-<locale>.tsv`` is asked through that locale's matcher as the app builds
it (its own examples, English behind it), or the English matcher for ``en``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice.ask import evaluation as ev  # noqa: E402
from voice.ask.loader import matchers as build_matchers  # noqa: E402

SETS = ROOT / "tests" / "data" / "ask-independent"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each question answered wrongly")
    parser.add_argument("folder", nargs="?", type=Path, default=SETS, help="another folder of sets")
    args = parser.parse_args()
    matchers = build_matchers(ROOT / "content")
    for path in sorted(args.folder.glob("*.tsv")):
        locale = path.stem.split("-")[-1]
        matcher = matchers.get(locale) or matchers["en"]
        rows = ev.read_tsv(path, source=path.stem)
        print(f"{path.stem:14} {ev.measure(matcher, rows).line()}")
        if args.show:
            for row in rows:
                found = matcher.match(row.question)
                got = found.topic_id if found else None
                if got != row.topic:
                    print(f"   want {row.topic} got {got}: {row.question[:90]}")


if __name__ == "__main__":
    main()
