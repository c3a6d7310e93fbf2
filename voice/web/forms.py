"""Forms every wing may use."""

import uuid

from flask_wtf import FlaskForm


def posted_key(raw: str | None) -> uuid.UUID | None:
    """The key a staff form was shown with; None when missing or broken (no double-post guard)."""
    try:
        return uuid.UUID(raw or "")
    except ValueError:
        return None


class CsrfOnlyForm(FlaskForm):
    """For forms whose fields are built from content (chat answers): CSRF is still checked."""
