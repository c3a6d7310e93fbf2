"""`flask --app voice ask --jsonl [--lang LOCALE]`: the matcher on stdin, one question a line.

Writes one JSON object a line: {"question", "topic", "score", "confidence",
"alternatives"}, topic null when nothing fits (below the calibrated confidence).
"alternatives" are the topics a child is offered as "did you mean…", best first.
Every input line gets an output line (a blank one included), so outputs line up.
"""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from voice.ask.answers import matcher_for


@click.command("ask")
@click.option("--jsonl", is_flag=True, help="Write JSON lines (the stable interface).")
@click.option("--lang", "language", default="en", show_default=True, help="Locale the questions are in.")
@with_appcontext
def ask_command(jsonl: bool, language: str) -> None:
    """Match questions (one per line on stdin) to FAQ topics."""
    matcher = matcher_for(language)
    if matcher.language.code != language:
        click.echo(f"no matcher for {language!r} yet; using {matcher.language.code!r}", err=True)
    for raw in sys.stdin.buffer:
        question = raw.decode("utf-8", "replace").rstrip("\r\n")
        found = matcher.match_all(question, k=3)
        best = matcher.match(question)
        topic = best.topic_id if best is not None else None
        score = found[0].score if found else 0.0
        if jsonl:
            row = {
                "question": question,
                "topic": topic,
                "score": score,
                "confidence": found[0].confidence if found else 0.0,
                "alternatives": [m.topic_id for m in found if m.topic_id != topic],
            }
            line = json.dumps(row, ensure_ascii=False)
        else:
            line = f"{topic or '-'}\t{score:.3f}\t{question}"
        click.echo(line)
