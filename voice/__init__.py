"""Voice: a Flask service for children in care.

``create_app`` reads as the list of steps that build the app. Each step lives in its own
module; blueprints are imported inside the factory so importing ``voice`` stays cheap.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

# The modules whose ``@loader`` functions read content/ (voice/content/registry.py), in load order.
CONTENT_LOADERS = (
    "voice.content.pages",
    "voice.content.loaders",  # topics, flows, rights, faq
    "voice.safeguarding.loader",
    "voice.ask.loader",
    "voice.rights.loader",
    "voice.routing.rules",
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    register_config(app, overrides)
    register_extensions(app)
    register_content(app)
    register_blueprints(app)
    register_errors(app)
    register_templating(app)
    register_cli(app)
    return app


def register_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    from voice.config import settings_from_env

    app.config.update(settings_from_env())
    if overrides:
        app.config.update(overrides)
    app.instance_path = app.config["VOICE_INSTANCE_DIR"]
    if app.config["VOICE_ENV"] == "test":
        from voice.auth import secrets

        secrets.use_cheap_hashing_for_tests()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.getLogger("voice").setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    from voice import compression, crypto, database, i18n, security
    from voice.auth import oidc, web
    from voice.extensions import babel, csrf, db, migrate

    compression.init_app(app)  # first, so its after_request hooks run last
    crypto.install_keyring(
        app.config["VOICE_DATA_KEYS"], bound_fields_only=app.config["VOICE_BOUND_FIELDS_ONLY"]
    )
    database.install()
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    web.init_app(app)
    oidc.init_app(app)
    security.init_app(app)
    app.after_request(i18n.remember_lang_param)
    with app.app_context():
        crypto.verify_keys_against_database(db.engine, require_all=app.config["VOICE_ENV"] == "production")


def register_content(app: Flask) -> None:
    """Load and check ``content/``, then the live published version (both fail fast).

    Importing a module that holds ``@loader`` functions registers them. Then
    ``app.extensions["voice_content"]`` is a mapping that always answers with the *live*
    version's content (``voice.content.versions``), so every worker process serves newly
    published words on its next request.
    """
    from importlib import import_module

    from voice.content import versions

    for name in CONTENT_LOADERS:
        import_module(name)
    versions.install(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per wing, defined in its package (``voice/web/<wing>/__init__.py``); importing
    the views modules its ``VIEWS`` names adds their routes to it. Nothing else registers routes."""
    from importlib import import_module

    from voice.web import child, health, rights, staff, studio

    app.register_blueprint(health.bp)
    for wing in (staff, child, studio, rights):
        for name in wing.VIEWS:
            import_module(f"{wing.__name__}.{name}")
        app.register_blueprint(wing.bp)


def register_errors(app: Flask) -> None:
    from voice import errors

    errors.init_app(app)


def register_templating(app: Flask) -> None:
    from voice import templating

    templating.init_app(app)


def register_cli(app: Flask) -> None:
    from voice import cli

    cli.init_app(app)
