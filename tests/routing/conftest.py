"""Fixtures for the outbox: a real SMTP sink and a fake GOV.UK Notify speaking its HTTP API."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.routing.smtp_sink import free_port, smtp_server  # noqa: F401 - re-exported fixture

NOTIFY_SERVICE_ID = str(uuid.UUID(int=1))
NOTIFY_SECRET = str(uuid.UUID(int=2))
NOTIFY_API_KEY = f"voice_test-{NOTIFY_SERVICE_ID}-{NOTIFY_SECRET}"
NOTIFY_TEMPLATE_ID = str(uuid.UUID(int=3))

_ERROR_NAMES = {400: "BadRequestError", 403: "AuthError", 429: "RateLimitError", 500: "Exception"}


class FakeNotify:
    """Enough of Notify's v2 API: POST /v2/notifications/email and /sms, GET /v2/notifications.

    ``script`` holds what to answer the next POSTs with: an HTTP status to fail with,
    ``"timeout"`` (answer too late, having created nothing) or ``"slow"`` (create the
    notification, then answer too late: the case where a client timeout hides a success).
    """

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.url = server.url_for("").rstrip("/")
        self.posts: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self.lookups: list[str] = []
        self.notifications: dict[str, list[dict[str, Any]]] = {}
        self.script: list[int | str] = []
        self.late_by = 0.5  # seconds; the tests set the client timeout well below this
        self.hold: threading.Event | None = None
        self.received_post = threading.Event()
        self.lock = threading.Lock()
        server.expect_request("/v2/notifications/email", method="POST").respond_with_handler(self._post)
        server.expect_request("/v2/notifications/sms", method="POST").respond_with_handler(self._post)
        server.expect_request("/v2/notifications", method="GET").respond_with_handler(self._get)

    def fail_next(self, *actions: int | str) -> None:
        self.script.extend(actions)

    def _authorised(self, request: Request) -> bool:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, NOTIFY_SECRET, algorithms=["HS256"])
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == NOTIFY_SERVICE_ID

    def _post(self, request: Request) -> Response:
        body = request.get_data()
        data = json.loads(body)
        with self.lock:
            self.raw.append(body)
            self.posts.append(data)
            action = self.script.pop(0) if self.script else None
        self.received_post.set()
        if not self._authorised(request):
            return _error(403)
        if action == "timeout":
            time.sleep(self.late_by)
            return _error(500)
        if isinstance(action, int):
            return _error(action)
        created = self._create(data)
        if action == "slow":
            time.sleep(self.late_by)
        if self.hold is not None:
            self.hold.wait(10)
        return Response(json.dumps(created), status=201, content_type="application/json")

    def _create(self, data: dict[str, Any]) -> dict[str, Any]:
        notification = {
            "id": str(uuid.uuid4()),
            "reference": data.get("reference"),
            "email_address": data.get("email_address"),
            "phone_number": data.get("phone_number"),
            "type": "sms" if "phone_number" in data else "email",
            "status": "created",
            "template": {"id": data["template_id"], "version": 1, "uri": "x"},
            "content": {"subject": "", "body": "", "from_email": "voice@notify.test"},
            "uri": "x",
        }
        with self.lock:
            self.notifications.setdefault(str(data.get("reference")), []).append(notification)
        return notification

    def _get(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(403)
        reference = request.args.get("reference", "")
        with self.lock:
            self.lookups.append(reference)
            found = list(self.notifications.get(reference, []))
        payload = {"notifications": found, "links": {"current": f"{self.url}/v2/notifications"}}
        return Response(json.dumps(payload), status=200, content_type="application/json")

    def posts_for(self, outbox_id: uuid.UUID) -> list[dict[str, Any]]:
        return [p for p in self.posts if p.get("reference") == str(outbox_id)]


def _error(status: int) -> Response:
    name = _ERROR_NAMES.get(status, "Exception")
    payload = {"status_code": status, "errors": [{"error": name, "message": f"{name} from the fake"}]}
    return Response(json.dumps(payload), status=status, content_type="application/json")


@pytest.fixture(scope="session")
def _notify_server_process() -> Iterator[HTTPServer]:
    """A threaded server of our own, so a held request does not block the lookups. It lives
    for the session because stopping one takes half a second."""
    server = HTTPServer(host="127.0.0.1", port=free_port(), threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notify_server(_notify_server_process: HTTPServer) -> Iterator[HTTPServer]:
    yield _notify_server_process
    _notify_server_process.clear()


@pytest.fixture
def fake_notify(app: Flask, notify_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeNotify:
    """A fake Notify, with the app configured to use it as its channel for this test."""
    fake = FakeNotify(notify_server)
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_CHANNEL", "notify")
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_API_KEY", NOTIFY_API_KEY)
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_TEMPLATE_ID", NOTIFY_TEMPLATE_ID)
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_BASE_URL", fake.url)
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_TIMEOUT", 0.2)
    return fake


NOTIFY_SMS_TEMPLATE_ID = str(uuid.UUID(int=4))


@pytest.fixture
def fake_notify_texts(fake_notify: FakeNotify, app: Flask, monkeypatch: pytest.MonkeyPatch) -> FakeNotify:
    """The fake Notify, with a text (SMS) template set up too."""
    monkeypatch.setitem(app.config, "VOICE_NOTIFY_SMS_TEMPLATE_ID", NOTIFY_SMS_TEMPLATE_ID)
    return fake_notify
