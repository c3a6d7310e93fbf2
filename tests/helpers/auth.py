"""Signing in through the real forms."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.helpers.pages import PageFetcher


def sign_in_staff(page: PageFetcher, email: str, password: str = PASSWORD, *, status: int = 200):
    form_page = page.get("/staff/sign-in")
    return page.submit(
        form_page, {"email": email, "password": password}, selector="main form[method=post]", status=status
    )
