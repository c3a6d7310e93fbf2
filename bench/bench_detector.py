"""Time the safeguarding concern detector, and print its held-out figures (not a test).

    .venv/bin/python bench/bench_detector.py          # timings
    .venv/bin/python bench/bench_detector.py --cv     # timings, then leave-one-source-out figures

Prints the load time of the phrase lists and classifier, milliseconds per message for the
phrase lists alone and for the whole detector (phrase lists + classifier + cannot-judge
checks) over the labelled corpus, and over a few long and hostile messages. The timings
are also written to bench/results/detector-timing.json; `--cv` recomputes the figures that
`make train-detector` writes to bench/results/detector-cv.md.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import train_detector  # noqa: E402
from voice.safeguarding.detector import Detector  # noqa: E402

TIMING = ROOT / "bench" / "results" / "detector-timing.json"


def _times(check, texts: list[str], rounds: int = 3) -> dict:
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            check(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "messages": len(texts) * rounds,
        "mean_ms": round(statistics.mean(timings), 3),
        "median_ms": round(statistics.median(timings), 3),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 3),
        "max_ms": round(timings[-1], 3),
    }


def main(argv: list[str]) -> None:
    phrases = ROOT / "content" / "safeguarding"
    start = time.perf_counter()
    detector = Detector.from_directory(phrases)
    load_ms = (time.perf_counter() - start) * 1000
    rules_only = Detector.from_directory(phrases, classifier=False)
    print(f"load phrase lists and classifier: {load_ms:.0f} ms")

    texts = [row.text for row in train_detector.load_corpus()]
    results = {
        "load_ms": round(load_ms),
        "corpus_whole_detector": _times(detector.check, texts),
        "corpus_phrase_lists_only": _times(rules_only.check, texts),
        "hostile": {},
    }
    for name in ("corpus_whole_detector", "corpus_phrase_lists_only"):
        r = results[name]
        print(
            f"{name} ({r['messages']} checks): mean {r['mean_ms']:.3f} ms, median {r['median_ms']:.3f} ms, "
            f"p99 {r['p99_ms']:.3f} ms, max {r['max_ms']:.3f} ms"
        )
    for name, text in [
        ("2 kB chatty message", "so today at school we had maths and then lunch " * 45),
        ("10 kB with emoji and zero-width", "my c\u200barer 😀 is fine 👨\u200d👩\u200d👧 " * 300),
        ("100 kB", "we went to the park and played football " * 2500),
        ("1 MB", "school was fine and we had chips " * 32_000),
        ("emoji only", "😢" * 50),
        ("another script", "আমি বাড়িতে নিরাপদ বোধ করি না " * 20),
    ]:
        start = time.perf_counter()
        result = detector.check(text)
        ms = (time.perf_counter() - start) * 1000
        results["hostile"][name] = {"ms": round(ms, 1), "level": result.level}
        print(f"{name}: {ms:.1f} ms ({result.level})")
    TIMING.parent.mkdir(parents=True, exist_ok=True)
    TIMING.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    if "--cv" in argv:
        print()
        print(train_detector.markdown(train_detector.cross_validate()))


if __name__ == "__main__":
    main(sys.argv[1:])
