"""The "I don't feel safe" button, on every child page's header, in three languages.

Signed in, one tap raises an alert for the child's team and shows honest help with a box to
say more; not signed in, it shows the help page (nobody can be told who the child is).
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser import journeys

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "ref"), [("en", "C-1003"), ("bn", "C-1004"), ("ar", "C-1005")])
def test_not_safe_signed_in_raises_an_alert(new_phone, lang: str, ref: str) -> None:
    phone = new_phone(lang, js=lang != "bn")
    page = phone.page
    journeys.enrol(phone, ref, audit=False)
    child_id = uuid.UUID(phone.server.sql("SELECT id FROM children WHERE ref = ?", ref)[0][0]).hex
    before = phone.server.sql("SELECT count(*) FROM alerts WHERE child_id = ?", child_id)[0][0]

    with page.expect_navigation():
        page.click("header form.not-safe button[type=submit]")
    assert page.url.endswith("/safety"), page.url
    phone.audit.check(page, "safety-told")
    after = phone.server.sql("SELECT count(*) FROM alerts WHERE child_id = ?", child_id)[0][0]
    assert after == before + 1, "pressing the button did not raise an alert"

    page.fill("main form[method=post] textarea", "Someone at home shouts at me.")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "added=1" in page.url, page.url
    phone.audit.check(page, "safety-thanks")
    phone.audit.assert_clean()


@pytest.mark.parametrize("lang", ["en", "bn", "ar"])
def test_not_safe_without_signing_in_shows_help(new_phone, lang: str) -> None:
    phone = new_phone(lang, js=True)
    page = phone.page
    page.goto(phone.url(f"/?lang={lang}"))
    phone.audit.check(page, "landing")
    with page.expect_navigation():
        page.click("header form.not-safe button[type=submit]")
    assert page.url.endswith("/help"), page.url
    phone.audit.check(page, "help")
    phone.audit.assert_clean()
