"""Tuning figures for the translated languages, from tuning data only (issue 22, sixth pass).

- leave one language out: the shared calibration is fitted on every other language's
  `lang-tune/` questions (those `bench_ask --fit` uses) and the left-out language is measured
  on all of its own, through the matcher the app uses (its own, with English behind it). A
  language is never scored by a calibration fitted on its own questions.
- five-fold over each language's example phrasings: one example in five held back, the
  matcher built from the rest, and is the held-back one's topic ranked first? Ranking only,
  thousands of questions; tells matcher designs apart where `lang-tune/` is near 100%.
- `--file PATH`: a new tuning batch (`<topic>\\t<question>`), measured with the matcher as it
  is, before it joins `lang-tune/` (the honest figure for that batch).

Run:  .venv/bin/python -m bench.ask_languages [--folds] [--only ar ckb] [--file x.tsv]
Nothing here is held-out data: `lang/` and the English held-out sources are never read.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from voice.ask import evaluation as ev
from voice.ask.fallback import FallbackMatcher
from voice.ask.loader import load_matcher
from voice.ask.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _local() -> dict[str, Matcher]:
    from voice.ask.loader import translated_matchers

    return translated_matchers(ROOT / "content")


def leave_one_language_out(only: list[str] | None = None) -> dict[str, ev.Figures]:
    english = load_matcher(ROOT / "content")
    local = _local()
    tune = {k: v for k, v in ev.load_language_questions(DATA, "lang-tune").items() if k in local}
    out = {}
    for lang in sorted(tune):
        if only and lang not in only:
            continue
        fitted = ev.fit_pooled(
            [(local[o], qs) for o, qs in tune.items() if o != lang], use=ev.TRANSLATED_FEATURES
        )
        own = ev.with_calibration(local[lang], fitted)
        out[lang] = ev.measure(FallbackMatcher(own, english), tune[lang])
    return out


def five_fold(only: list[str] | None = None, folds: int = 5) -> dict[str, tuple[int, int]]:
    """(ranked first, asked) per language over held-back example phrasings."""
    out = {}
    for lang, m in sorted(_local().items()):
        if only and lang not in only:
            continue
        hit = asked = 0
        for fold in range(folds):
            kept, held = [], []
            for topic in m.topics:
                ex = list(topic.examples)
                keep = tuple(e for i, e in enumerate(ex) if i % folds != fold)
                held += [(topic.id, e) for i, e in enumerate(ex) if i % folds == fold and len(ex) > 1]
                kept.append(dataclasses.replace(topic, examples=keep or topic.examples))
            built = Matcher(kept, {}, language=lang, protected=[t.answer for t in kept])
            for topic_id, question in held:
                ranked = built.match_all(question, k=1)
                hit += bool(ranked) and ranked[0].topic_id == topic_id
                asked += 1
        out[lang] = (hit, asked)
    return out


def batch(path: Path, lang: str) -> ev.Figures:
    from voice.ask.loader import matchers

    return ev.measure(matchers(ROOT / "content")[lang], ev.read_tsv(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", metavar="CODE")
    parser.add_argument("--folds", action="store_true", help="also five-fold over example phrasings")
    parser.add_argument("--file", type=Path, help="measure one new tuning batch (needs --only CODE)")
    args = parser.parse_args()
    if args.file:
        print(f"{args.file.name}: {batch(args.file, args.only[0]).line()}")
        return
    figures = leave_one_language_out(args.only)
    for lang, f in figures.items():
        print(f"  {lang:5} {f.line()}")
    print(f"  {'POOLED':5} {ev.pool(figures.values()).line()}")
    if args.folds:
        total = [0, 0]
        for lang, (hit, asked) in five_fold(args.only).items():
            total[0] += hit
            total[1] += asked
            print(f"  five-fold {lang:5} ranked first {hit / asked:.1%} ({hit}/{asked})")
        print(f"  five-fold ALL   ranked first {total[0] / max(total[1], 1):.1%}")


if __name__ == "__main__":
    main()
