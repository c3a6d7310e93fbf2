"""A Children in Care Council member suggests a change to the words in the content studio.

Sign in → studio home → all content → one item (with its phone preview) → "Change: …" →
type the new words and why → the saved idea. Skipped, with the reason, while the studio's
editing pages are not there yet.
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
    if "/studio" not in page.url:
        pytest.skip(f"council members do not land in the studio yet (landed on {page.url})")
    phone.audit.check(page, "home", child=False)

    response = page.goto(phone.url("/studio/content"))
    if response is None or response.status == 404:
        pytest.skip("the studio has no content pages (/studio/content) yet")
    phone.audit.check(page, "content", child=False)

    items = page.locator("main a[href*='/studio/content/']")
    if not items.count():
        pytest.skip("the studio lists no content items yet")
    _go(page, "main a[href*='/studio/content/'] >> nth=0")
    phone.audit.check(page, "item", child=False)

    edits = page.locator("main a[href*='/propose/set']")
    if not edits.count():
        pytest.skip("the studio offers no 'change the words' link yet")
    _go(page, "main a[href*='/propose/set'] >> nth=0")
    phone.audit.check(page, "propose", child=False)

    form = "main form.propose-form"
    words = page.locator(f"{form} textarea:not([name=why]), {form} input[type=text]:not([name=why])").first
    current = words.input_value()
    words.fill((current + " We will always listen to you.").strip())
    page.fill(f"{form} [name=why]", "Children on the council asked for this to be kinder.")
    _go(page, f"{form} button[type=submit]")
    assert "/propose/" not in page.url, f"the idea was not saved: {page.inner_text('main')[:500]}"
    phone.audit.check(page, "proposal", child=False)
    phone.audit.assert_clean()
