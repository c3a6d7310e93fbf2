"""THREATS row 31, the places tests/test_crypto.py does not reach: a canary sent by a child is
absent from a full dump of the database (``pg_dump`` on PostgreSQL, SQLite's own dump), from a
backup copy of the file, and from an error page and the logs when the answer post crashes."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
from urllib.parse import urlsplit, urlunsplit

from tests.child.test_chat import chat_at_text_question
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.chat import engine

CANARY = "CANARY-5d1e-orange-okapi"


def _dump(database_url: str, tmp_path) -> bytes:
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        source = sqlite3.connect(path)
        backup = sqlite3.connect(tmp_path / "backup.sqlite")
        source.backup(backup)  # what a nightly SQLite backup does
        dumped = "\n".join(source.iterdump()).encode()
        source.close()
        backup.close()
        return dumped + (tmp_path / "backup.sqlite").read_bytes()
    parts = urlsplit(database_url.replace("postgresql+psycopg://", "postgresql://"))
    url = urlunsplit(parts)
    out = subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True, timeout=120)
    return out.stdout


def test_the_canary_is_in_no_dump_or_backup(app, kid, database_url, tmp_path):
    send_for(app, kid, text=f"my words {CANARY}")
    dumped = _dump(database_url, tmp_path)
    assert len(dumped) > 10_000  # a real dump, with the schema and rows in it
    assert b"submission" in dumped
    assert CANARY.encode() not in dumped


def test_a_crash_while_posting_the_canary_shows_and_logs_none_of_it(app, client, kid, monkeypatch, caplog):
    page = PageFetcher(client)
    chat = chat_at_text_question(page)

    def broken(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(engine, "submit_answer", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    form = chat.form("form.answer-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]") if i.get("name")}
    with caplog.at_level(logging.DEBUG):
        response = client.post(form.get("action") or chat.url, data={**fields, "answer": CANARY})
    assert response.status_code == 500
    assert CANARY not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert any("unhandled error" in r.getMessage() for r in caplog.records)
    assert CANARY not in caplog.text
