"""A Children in Care Council member suggests a change to the words in the content studio.

Sign in → studio home → all content → one item (with its phone preview) → "Change: …" →
type the new words and why → the saved idea, which shows the new words and the reason.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_council_member_proposes_an_edit(new_phone) -> None:
    phone = new_phone("en", js=True, label="studio-")
    page = phone.page
    member = phone.server.demo_data["council_members"][0]

    page.goto(phone.url("/staff/sign-in"))
    page.fill("input[name=email]", member["email"])
    page.fill("input[name=password]", member["password"])
    _go(page, "main form[method=post] button[type=submit]")
    assert "/studio" in page.url, f"a council member should land in the studio, not on {page.url}"
    phone.audit.check(page, "home", child=False)

    response = page.goto(phone.url("/studio/content"))
    assert response is not None and response.status == 200
    phone.audit.check(page, "content", child=False)

    assert page.locator("main a[href*='/studio/content/']").count() > 5, "the studio should list the content"
    _go(page, "main a[href*='/studio/content/'] >> nth=0")
    phone.audit.check(page, "item", child=False)

    assert page.locator("main a[href*='/propose/set']").count(), "an item should offer 'Change: …' links"
    _go(page, "main a[href*='/propose/set'] >> nth=0")
    phone.audit.check(page, "propose", child=False)

    form = "main form.propose-form"
    words = page.locator(f"{form} textarea:not([name=why]), {form} input[type=text]:not([name=why])").first
    current = words.input_value()
    assert current.strip(), "the change form should start from today's words"
    words.fill((current + " We will always listen to you.").strip())
    page.fill(f"{form} [name=why]", "Children on the council asked for this to be kinder.")
    _go(page, f"{form} button[type=submit]")
    assert "/propose/" not in page.url, f"the idea was not saved: {page.inner_text('main')[:500]}"
    assert "/studio/proposals/" in page.url
    saved = page.inner_text("main")
    assert "We will always listen to you." in saved
    assert "Children on the council asked for this to be kinder." in saved
    phone.audit.check(page, "proposal", child=False)
    phone.audit.assert_clean()
