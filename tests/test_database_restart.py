"""THREATS 47: PostgreSQL restarts (pg_ctl -m immediate) around a child's send. A private
server in a temporary directory is stopped after the store commits and, separately, just
before a send; after it comes back the same app carries on (pool_pre_ping), and the child's
words are there exactly once."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests import factories
from tests.conftest import BASE_OVERRIDES
from voice import create_app
from voice.chat import conversations, engine, sending
from voice.extensions import db
from voice.models import AuditEvent, Child, Conversation, Submission

PG_BIN = Path("/usr/lib/postgresql/15/bin")
WORDS = "I want to keep seeing my little sister on Saturdays"


def _bin(name: str) -> str | None:
    found = PG_BIN / name
    return str(found) if found.is_file() else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A throwaway cluster run as the postgres user when the tests run as root."""

    def __init__(self, root: Path, port: int) -> None:
        self.data, self.port = root / "data", port
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.root = root

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def init(self) -> None:
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    missing = [name for name in ("initdb", "pg_ctl") if _bin(name) is None]
    if missing:
        pytest.skip(f"PostgreSQL server binaries not installed: {missing}")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb refuses root")
    root = Path(tempfile.mkdtemp(prefix="voice-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PrivatePostgres(root, _free_port())
    server.init()
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(AssertionError):  # already stopped by the test
            server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _draft(app, ref: str) -> object:
    """A child's answered pre-review draft, committed, not yet sent."""
    with app.test_request_context():
        child = Child.by_ref(ref)
        conv = conversations.start(child, "pre-review", language="en")
        flow = conversations.flow_of(conv)
        state = conv.state
        while (node := engine.current_node(flow, state)) is not None and node.is_question:
            value = [WORDS] if node.answer == "text" else [node.options[0].id]
            state = engine.submit_answer(flow, state, node.id, value).state
        conv.state = state
        conv.sharing = {item.node_id: "worker" for item in engine.review_items(flow, state)}
        db.session.commit()
        return conv.id


def _send(app, conversation_id):
    with app.test_request_context():
        conv = db.session.get(Conversation, conversation_id)
        return sending.send(conv).id


def _stored(app, conversation_id) -> tuple[int, list[str | None], int]:
    with app.app_context():
        submissions = db.session.scalars(select(Submission).filter_by(conversation_id=conversation_id)).all()
        words = [a.answer_text for s in submissions for a in s.answers if a.answer_type == "text"]
        sent_events = db.session.scalar(select(func.count(AuditEvent.id)).filter_by(action="submission.sent"))
        return len(submissions), words, sent_events


def test_a_restart_around_a_send_neither_loses_nor_doubles_the_words(private_postgres, tmp_path):
    from flask_migrate import upgrade

    app = create_app(
        {
            **BASE_OVERRIDES,
            "SQLALCHEMY_DATABASE_URI": private_postgres.url,
            "VOICE_INSTANCE_DIR": str(tmp_path / "instance"),
        }
    )
    client = app.test_client()
    try:
        with app.app_context():
            upgrade()
            worker = factories.staff(team_=factories.team())
            factories.child(worker=worker, first_name="Ada", ref="A-0047")
            factories.child(worker=worker, first_name="Bo", ref="B-0047")
            db.session.commit()

        # 1. The store commits, then the server dies before the child sees the answer; the
        #    child (or the browser) presses send again once it is back.
        first = _draft(app, "A-0047")
        sent_id = _send(app, first)
        stored_before = _stored(app, first)
        assert stored_before[0] == 1 and stored_before[1] and set(stored_before[1]) == {WORDS}
        private_postgres.stop("immediate")
        assert client.get("/healthz").status_code == 503
        private_postgres.start()
        assert client.get("/healthz").status_code == 200  # same app, no restart
        assert _send(app, first) == sent_id
        assert _stored(app, first) == stored_before == (1, stored_before[1], 1)

        # 2. The server is down when the child presses send: nothing half-stored, the draft
        #    keeps the words, and sending again after the restart stores them once.
        second = _draft(app, "B-0047")
        private_postgres.stop("immediate")
        with pytest.raises(OperationalError):
            _send(app, second)
        private_postgres.start()
        assert _stored(app, second)[:2] == (0, [])
        _send(app, second)
        assert _send(app, second) is not None  # a double press after the restart
        count, words, sent_events = _stored(app, second)
        assert (count, words, sent_events) == (1, stored_before[1], 2)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
