"""Shared fixtures: one migrated database per test run, a clean slate per test.

The suite runs on SQLite by default and on PostgreSQL when ``VOICE_TEST_DATABASE_URL`` is
set. The schema always comes from the real Alembic migrations, never ``create_all()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.helpers import pages
from tests.helpers.database import triggers_lifted
from tests.routing.smtp_sink import smtp_server  # noqa: F401 - a real SMTP sink, for any test
from voice import create_app
from voice.extensions import db

BASE_OVERRIDES = {
    "VOICE_ENV": "test",
    "TESTING": True,
    "VOICE_BASE_URL": "http://voice.test",
    "SERVER_NAME": None,
}


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("VOICE_TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'voice-test.sqlite'}"


def _reset_schema(app: Flask) -> None:
    """Start from an empty database so the migrations really run from the beginning."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _database_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            **BASE_OVERRIDES,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "VOICE_INSTANCE_DIR": str(instance),
        }
    )
    _reset_schema(app)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _keep_the_keyring() -> Iterator[None]:
    """The data keyring is process-wide (the factory installs it): a test that builds another
    app, with production or wrong keys, must not leave its keys to the tests after it."""
    from voice import crypto

    saved = crypto._keyring
    yield
    crypto._keyring = saved


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    flask_app: Flask = request.getfixturevalue("app")
    with flask_app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn, triggers_lifted(conn):
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(text("PRAGMA foreign_keys=OFF"))
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as c:
        yield c


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def page(client: FlaskClient):
    """Fetch a page and parse it, checking the basics every page owes its readers."""
    return pages.PageFetcher(client)
