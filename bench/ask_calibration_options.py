"""Which translated calibration? Options compared on tuning data only (issue 22, seventh and
eighth passes).

Criterion, the same for old and new questions: every `lang-tune/` question (the older batches
and the fresh native writers' batches alike) is measured with a calibration fitted without its
language and without any batch by the same writer in another language (the sixth- and
eighth-pass writers wrote several languages each; the engineer "askrtl" wrote ckb, ps and
fa_AF). Measured through the matcher the app uses (the language's own, English behind it),
pooled over all questions. "fresh" rows are the batches after `# Sixth pass` / `# Eighth pass`.

Options:
- `current`: fitted only on the older batches (what `bench_ask --fit` did before the eighth pass);
- `all`: fitted on every tuning question; `all C=10` is what `bench_ask --fit` does now;
- `all+length`: `all`, with the question's length (words, counted to 20) as one more input;
- `all+script`: `all`, with the threshold chosen per script (Arabic, Latin) on the training
  languages of that script; scripts with one language (bn, ti) keep the pooled threshold;
- `... threshold at most T`: the threshold lowered until the full fit answers "هل يمكنني رؤية
  أخي" (issue 22's reported "can I see my brother", a gate), to show what keeping it costs.
The full fit (all languages) of each option is printed with that question's confidence.

Each question's signals are computed once; the fits and the fallback to English are replayed
from them (checked against `bench.ask_languages` for `all C=10`).
Run:  .venv/bin/python -m bench.ask_calibration_options [--quick]   (about 5 minutes; 1 with --quick)
Nothing here reads held-out data: `lang/` and the English held-out sources are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from voice.ask import evaluation as ev
from voice.ask.loader import load_matcher

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SCRIPT = {
    "ar": "arab",
    "ckb": "arab",
    "fa_AF": "arab",
    "ps": "arab",
    "ur": "arab",
    "bn": "beng",
    "ti": "ethi",
}
LENGTH_CAP = 20
BATCH_HEADINGS = (
    "# Second batch",
    "# Out-of-scope",
    "# Tuning questions written",
    "# Sixth pass",
    "# Eighth pass",
)
BROTHER = "هل يمكنني رؤية أخي"


@dataclass
class Row:
    lang: str
    batch: str  # the section of the file it came from
    writer: str  # who wrote it, where known (else the batch)
    topic: str | None
    fresh: bool
    features: tuple[float, ...]  # own matcher, its best topic
    own_top: list[str]  # own matcher's top three
    gate: bool  # knows a word (what the matcher asks when the calibration weighs telling words)
    en_conf: float | None  # English's best confidence
    en_top: list[str]
    en_answer: str | None  # English's answer, or None
    length: float
    question: str = ""


def _sections(path: Path) -> list[tuple[str, str, bool, str | None, str]]:
    """(batch, writer, fresh?, topic, question) for each question line."""
    out, batch, writer, fresh = [], f"{path.stem}-1", f"{path.stem}-1", False
    n = 1
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if line.startswith(BATCH_HEADINGS):
                n += 1
                batch = writer = f"{path.stem}-{n}"
                if "askrtl" in line:
                    writer = "askrtl"
                found = re.search(r"native writer '(\w+)'", line)
                if found:
                    writer, fresh = f"w-{found.group(1)}", True
            continue
        if not line.strip():
            continue
        topic, question = line.split("\t", 1)
        out.append((batch, writer, fresh, None if topic.strip() == "-" else topic.strip(), question.strip()))
    return out


def rows() -> list[Row]:
    from voice.ask.loader import translated_matchers

    english = load_matcher(ROOT / "content")
    local = translated_matchers(ROOT / "content")
    out = []
    for path in sorted((DATA / "ask" / "lang-tune").glob("*.tsv")):
        m = local[path.stem]
        for batch, writer, fresh, topic, q in _sections(path):
            own = m.match_all(q, k=3)
            en = english.match_all(q, k=3)
            ans = english.match(q)
            out.append(
                Row(
                    path.stem,
                    batch,
                    writer,
                    topic,
                    fresh,
                    m.features(q) if own else (),
                    [x.topic_id for x in own],
                    m._knows_a_word(q),
                    en[0].confidence if en else None,
                    [x.topic_id for x in en],
                    ans.topic_id if ans else None,
                    float(len(q.split())),
                    q,
                )
            )
    return out


@dataclass(frozen=True)
class Cal:
    bias: float
    weights: tuple[float, ...]
    threshold: float
    by_script: tuple[tuple[str, float], ...] = ()

    def p(self, x: tuple[float, ...]) -> float:
        import math

        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def t(self, lang: str) -> float:
        return dict(self.by_script).get(SCRIPT.get(lang, "latn"), self.threshold)


def _x(r: Row, length: bool | int) -> tuple[float, ...]:
    cap = LENGTH_CAP if length is True else int(length)
    return (*r.features, min(r.length, cap) / cap) if length else r.features


def fit(
    train: list[Row], length: bool | int = False, per_script: bool = False, c: float = 1.0, cap: float = 1.0
) -> Cal:
    from sklearn.linear_model import LogisticRegression

    data = [r for r in train if r.own_top and r.gate]
    x = [_x(r, length) for r in data]
    y = [int(r.own_top[0] == r.topic) for r in data]
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    cal = Cal(float(model.intercept_[0]), tuple(float(w) for w in model.coef_[0]), 0.5)

    def thr(rs: list[Row]) -> float:
        d = [r for r in rs if r.own_top and r.gate]
        scored = [(cal.p(_x(r, length)), r.own_top[0] == r.topic, r.topic is not None) for r in d]
        return ev.best_threshold(scored, sum(1 for r in rs if r.topic), sum(1 for r in rs if r.topic is None))

    pooled = min(thr(train), cap)
    scripts = ()
    if per_script:
        langs = {r.lang for r in train}
        groups = {s for s in ("arab", "latn") if sum(SCRIPT.get(g, "latn") == s for g in langs) >= 2}
        scripts = tuple(
            (s, thr([r for r in train if SCRIPT.get(r.lang, "latn") == s])) for s in sorted(groups)
        )
    return Cal(cal.bias, cal.weights, pooled, scripts)


def outcome(r: Row, cal: Cal, length: bool | int = False) -> tuple[str | None, list[str]]:
    """(answer, top three) through the language's own matcher with English behind it."""
    own_conf = cal.p(_x(r, length)) if r.own_top else None
    own_answer = r.own_top[0] if r.own_top and r.gate and own_conf >= cal.t(r.lang) else None
    surer = r.en_conf is not None and (own_conf is None or r.en_conf > own_conf)
    if surer and (r.en_answer is not None or own_answer is None):
        return r.en_answer, r.en_top
    return own_answer, r.own_top


def figures(rs: list[Row], answers: list[tuple[str | None, list[str]]]) -> str:
    """The same line `evaluation.measure` prints, from replayed answers (answer, top three)."""
    on = [(r, a) for r, a in zip(rs, answers, strict=True) if r.topic]
    off = [a for r, a in zip(rs, answers, strict=True) if r.topic is None]
    n, m = max(len(on), 1), max(len(off), 1)
    return ev.Figures(
        on_topic=len(on),
        off_topic=len(off),
        top1=sum(a[0] == r.topic for r, a in on) / n,
        rank1=sum(bool(a[1]) and a[1][0] == r.topic for r, a in on) / n,
        top3=sum(r.topic in a[1] for r, a in on) / n,
        confident_wrong=sum(a[0] is not None for a in off) / m,
        declined_on_topic=sum(a[0] is None for r, a in on) / n,
    ).line()


OPTIONS = {
    "current": dict(old_only=True),
    "all": dict(),
    "all C=10": dict(c=10.0),
    "all+length": dict(length=True),
    "all+script": dict(per_script=True),
    "all+length+script": dict(length=True, per_script=True),
    "current+length": dict(old_only=True, length=True),
    "all+length (to 10 words)": dict(length=10),
    "all+length (to 40 words)": dict(length=40),
    # The threshold lowered until "can I see my brother" is answered by the full fit (the gate):
    "all, threshold at most 0.27": dict(cap=0.27),
    "all+length (to 10 words), threshold at most 0.24": dict(length=10, cap=0.24),
}
QUICK = ("all, threshold at most 0.27", "all+length (to 10 words), threshold at most 0.24")


def main() -> None:
    data = rows()
    langs = sorted({r.lang for r in data})
    import sys

    for name, opt in OPTIONS.items():
        if "--quick" in sys.argv and name not in QUICK:
            continue
        old_only = opt.pop("old_only", False)
        length = opt.get("length", False)
        answers: dict[int, tuple[str | None, list[str]]] = {}
        for lang in langs:
            writers = {r.writer for r in data if r.lang == lang}
            train = [
                r for r in data if r.lang != lang and r.writer not in writers and not (old_only and r.fresh)
            ]
            cal = fit(train, **opt)
            for i, r in enumerate(data):
                if r.lang == lang:
                    answers[i] = outcome(r, cal, length)
        full = fit([r for r in data if not (old_only and r.fresh)], **opt)
        brother = next(r for r in data if r.lang == "ar" and r.question == BROTHER)
        b_ans, _ = outcome(brother, full, length)
        print(f"{name}:")
        for label, keep in (
            ("ALL", lambda r: True),
            ("older", lambda r: not r.fresh),
            ("fresh", lambda r: r.fresh),
        ):
            idx = [i for i, r in enumerate(data) if keep(r)]
            print(f"  {label:6} {figures([data[i] for i in idx], [answers[i] for i in idx])}")
        right = [i for i, r in enumerate(data) if r.topic and answers[i][0] == r.topic]
        per = [f"{lang} {sum(data[i].lang == lang for i in right)}" for lang in langs]
        print(f"  answered right per language: {', '.join(per)}")
        print(
            f"  full fit: bias {full.bias:.3f} weights {[round(w, 3) for w in full.weights]} threshold "
            f"{full.threshold} {full.by_script}; 'can I see my brother' "
            f"p={full.p(_x(brother, length)):.2f} -> {b_ans}"
        )


if __name__ == "__main__":
    main()
