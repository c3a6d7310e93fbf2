"""A real SMTP server for tests (aiosmtpd), which records what it receives and can be told to
refuse or to go away. Fake the boundary once, here, rather than mocking the sending code.

Use the ``smtp_server`` fixture (re-export it from your conftest with
``from tests.routing.smtp_sink import smtp_server  # noqa: F401``); it points the app's
``VOICE_SMTP_HOST`` and ``VOICE_SMTP_PORT`` at the sink for the length of one test.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


class _Handler:
    """aiosmtpd hooks. ``refusal`` is an SMTP reply such as "451 4.3.0 Try again later"."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.sink.refusal and self.sink.refuse_at == "RCPT":
            return self.sink.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.sink.refusal and self.sink.refuse_at == "DATA":
            return self.sink.refusal
        raw = envelope.original_content or envelope.content
        with self.sink.lock:
            self.sink.received.append(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(raw)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """An SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self, port: int | None = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.received: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.refusal: str | None = None
        self.refuse_at = "RCPT"
        self._controller: Controller | None = None

    # ---- control
    def start(self) -> SmtpSink:
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=5)
            self._controller.start()
        return self

    def stop(self) -> None:
        """Go away: connections are refused until ``start`` is called again."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, reply: str = "451 4.3.0 Try again later", *, at: str = "RCPT") -> None:
        """Answer every RCPT (or DATA) with ``reply``: 4xx is temporary, 5xx final."""
        self.refusal, self.refuse_at = reply, at

    def accept(self) -> None:
        self.refusal = None

    # ---- what arrived
    @property
    def messages(self) -> list[ReceivedMail]:
        with self.lock:
            return list(self.received)

    def raw_bytes(self) -> bytes:
        return b"\n".join(m.raw for m in self.messages)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    """A started ``SmtpSink``, with the app's SMTP settings pointing at it (and SMTP chosen as
    the channel) for this test."""
    with SmtpSink() as sink:
        monkeypatch.setitem(app.config, "VOICE_SMTP_HOST", sink.host)
        monkeypatch.setitem(app.config, "VOICE_SMTP_PORT", sink.port)
        monkeypatch.setitem(app.config, "VOICE_SMTP_TIMEOUT", 2)
        monkeypatch.setitem(app.config, "VOICE_SMTP_STARTTLS", False)
        monkeypatch.setitem(app.config, "VOICE_SMTP_USER", "")
        monkeypatch.setitem(app.config, "VOICE_NOTIFY_CHANNEL", "smtp")
        yield sink
