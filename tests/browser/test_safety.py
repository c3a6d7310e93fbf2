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
def test_not_safe_on_a_phone_voice_does_not_know_says_nobody_was_told(new_phone, lang: str) -> None:
    phone = new_phone(lang, js=True)
    page = phone.page
    page.goto(phone.url(f"/?lang={lang}"))
    phone.audit.check(page, "landing")
    with page.expect_navigation():
        page.click("header form.not-safe button[type=submit]")
    assert page.url.endswith("/not-safe/nobody-told-yet"), page.url
    assert "0800 1111" in page.inner_text("main") and "999" in page.inner_text("main")
    phone.audit.check(page, "nobody-told-yet")
    phone.audit.assert_clean()


@pytest.mark.parametrize(("lang", "ref"), [("en", "C-1006"), ("ar", "C-1007")])
def test_not_safe_before_the_pin_on_the_childs_phone_raises_an_alert(new_phone, lang: str, ref: str) -> None:
    phone = new_phone(lang, js=lang == "ar")
    page = phone.page
    journeys.enrol(phone, ref, audit=False)
    with page.expect_navigation():
        page.click("footer form[action='/sign-out'] button[type=submit]")
    child_id = uuid.UUID(phone.server.sql("SELECT id FROM children WHERE ref = ?", ref)[0][0]).hex
    before = phone.server.sql("SELECT count(*) FROM alerts WHERE child_id = ?", child_id)[0][0]
    page.goto(phone.url("/sign-in"))
    with page.expect_navigation():
        page.click("header form.not-safe button[type=submit]")
    assert page.url.endswith("/safety"), page.url
    phone.audit.check(page, "safety-before-pin")
    sources = phone.server.sql("SELECT source FROM alerts WHERE child_id = ? ORDER BY raised_at", child_id)
    assert len(sources) == before + 1 and sources[-1] == ("button_pre_pin",)
    phone.audit.assert_clean()
