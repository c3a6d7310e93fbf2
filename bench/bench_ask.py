"""Time the "Ask a question" matcher on the held-out questions.

A plain script, not a test: timings on shared machines are too noisy to gate CI.
Run: .venv/bin/python bench/bench_ask.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from voice.ask.matcher import load_matcher

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the questions")
    args = parser.parse_args()

    started = time.perf_counter()
    matcher = load_matcher(ROOT / "content")
    build_ms = (time.perf_counter() - started) * 1000

    lines = (ROOT / "tests/data/faq_heldout.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    cold = []
    for q in questions:  # first pass: spelling fixes are not cached yet
        t0 = time.perf_counter()
        matcher.match(q)
        cold.append((time.perf_counter() - t0) * 1000)
    warm = []
    for _ in range(args.repeat):
        for q in questions:
            t0 = time.perf_counter()
            matcher.match(q)
            warm.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    matcher.match("x " * 500_000)
    huge_ms = (time.perf_counter() - t0) * 1000

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    print(f"load content and build index: {build_ms:.1f} ms")
    print(
        f"{len(questions)} questions, first pass: mean {statistics.mean(cold):.3f} ms, "
        f"p95 {p95(cold):.3f} ms, max {max(cold):.3f} ms"
    )
    print(
        f"{len(warm)} matches, warm: mean {statistics.mean(warm):.3f} ms, "
        f"p95 {p95(warm):.3f} ms, max {max(warm):.3f} ms"
    )
    print(f"1 MB question: {huge_ms:.3f} ms")


if __name__ == "__main__":
    main()
