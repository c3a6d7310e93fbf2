"""Entry point for gunicorn: ``gunicorn voice.wsgi:app``."""

from voice import create_app

app = create_app()
