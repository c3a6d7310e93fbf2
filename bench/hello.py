"""The yardstick: a bare Flask app served with exactly the same gunicorn settings as Voice.

Voice's figures are reported as a ratio to this app's ``/``, measured in the same run, because
absolute requests-per-second on a shared two-core machine move by tens of percent.

``/floor`` is a second reference: the least a database-backed page can cost here. It does
one indexed lookup in the benchmark's own database (the session-table lookup every signed-in
Voice page starts with) and renders a plain Jinja page of about the chat page's size. It
shows how much of the gap to ``/`` any real page pays before it does anything of its own.
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["VOICE_DATABASE_URL"]) if os.environ.get("VOICE_DATABASE_URL") else None

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><ol>
{% for n in items %}<li class="bubble"><p>Line {{ n }} of a page about the size of a chat page,
with a link to <a href="/item/{{ n }}">item {{ n }}</a> &amp; some escaped text.</p></li>
{% endfor %}</ol></main></body></html>"""


@app.get("/")
def hello() -> str:
    return "Hello, world!"


@app.get("/floor")
def floor() -> str:
    if engine is None:
        return "no database", 503
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM auth_sessions WHERE token_hash = :hash"), {"hash": "no-such-session"}
        ).first()
    return render_template_string(PAGE, title="Floor" if found is None else "Found", items=range(90))


@app.get("/healthz")
def healthz() -> str:
    return "ok"
