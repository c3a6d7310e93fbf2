"""Drive the studio through its pages, as a council member and the participation officer would."""

from __future__ import annotations

import re

from tests.helpers.pages import Page, PageFetcher


def propose_wording(
    page: PageFetcher, kind: str, item_id: str, field: str, words: str, *, status: int = 200
) -> Page:
    form = page.get(f"/studio/content/{kind}/{item_id}/propose/set?field={field}")
    return page.submit(
        form, {"value": words, "why": "Easier to read"}, selector="form.propose-form", status=status
    )


def proposal_id(proposal_page: Page) -> int:
    found = re.search(r"/studio/proposals/(\d+)", proposal_page.url)
    assert found, proposal_page.url
    return int(found.group(1))


def approve_and_publish(
    page: PageFetcher, number: int, *, replace_newer: bool = False, status: int = 200
) -> Page:
    shown = page.get(f"/studio/proposals/{number}")
    if shown.soup.select_one(f"form[action='/studio/proposals/{number}/approve']"):
        shown = page.submit(shown, selector=f"form[action='/studio/proposals/{number}/approve']")
    data = {"replace_newer": "y"} if replace_newer else {}
    return page.submit(shown, data, selector="form.publish-form", status=status)
