"""Forms every wing may use."""

from flask_wtf import FlaskForm


class CsrfOnlyForm(FlaskForm):
    """For forms whose fields are built from content (chat answers): CSRF is still checked."""
