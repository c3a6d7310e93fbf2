"""Time the safeguarding concern detector (not a test).

    .venv/bin/python bench/bench_detector.py

Prints the load time of the phrase lists and milliseconds per message over
the evaluation set and over a few long and hostile messages.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from voice.safeguarding.detector import Detector

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    start = time.perf_counter()
    detector = Detector.from_directory(ROOT / "content" / "safeguarding")
    print(f"load phrase lists: {(time.perf_counter() - start) * 1000:.0f} ms")

    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "tests" / "data" / "safeguarding_eval.jsonl").read_text().splitlines()
        if line.strip()
    ]
    timings = []
    for _ in range(5):
        for text in texts:
            start = time.perf_counter()
            detector.check(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    print(
        f"eval messages ({len(texts)} x 5): mean {statistics.mean(timings):.3f} ms, "
        f"median {statistics.median(timings):.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)]:.3f} ms, max {timings[-1]:.3f} ms"
    )

    for name, text in [
        ("2 kB chatty message", "so today at school we had maths and then lunch " * 45),
        ("10 kB with emoji and zero-width", "my c\u200barer 😀 is fine 👨\u200d👩\u200d👧 " * 300),
        ("100 kB", "we went to the park and played football " * 2500),
        ("1 MB", "school was fine and we had chips " * 32_000),
    ]:
        start = time.perf_counter()
        detector.check(text)
        print(f"{name}: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
