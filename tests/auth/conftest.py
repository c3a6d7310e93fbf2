"""Fixtures for sign-in tests: the second factor switched on, and a real SMTP sink."""

from tests.helpers.totp import totp_on  # noqa: F401 - re-exported fixture
from tests.routing.smtp_sink import smtp_server  # noqa: F401 - re-exported fixture
