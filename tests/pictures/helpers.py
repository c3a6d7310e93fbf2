"""Walking the picture journey with plain forms, for the picture tests."""

from __future__ import annotations

from tests.helpers.child import start_chat
from tests.helpers.pages import Page, PageFetcher

FORM = "main form.picture-form"
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00voice" * 200
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def png(width: int = 320, height: int = 320) -> bytes:
    return (
        PNG_HEADER
        + width.to_bytes(4, "big")
        + height.to_bytes(4, "big")
        + b"\x08\x02\x00\x00\x00"
        + b"\x00" * 64
    )


def start(client) -> tuple[PageFetcher, Page]:
    page = PageFetcher(client)
    hello = start_chat(page, page.get("/chat"), flow="all-about-me")
    return page, page.get(hello.soup.select_one("a.card.next")["href"])


def tap(page: PageFetcher, at: Page, value: str) -> Page:
    return page.submit(at, selector=FORM, button=("answer", value))


def question(at: Page) -> str:
    return at.soup.select_one("legend.picture-question").get_text(" ", strip=True)


def through(page: PageFetcher, at: Page, taps) -> Page:
    for value in taps:
        if isinstance(value, list):
            at = page.submit(at, {"answer": value}, selector=FORM)
        else:
            at = tap(page, at, value)
    return at


def to_the_change_question(client, *, helper: str = "just-me") -> tuple[PageFetcher, Page]:
    page, at = start(client)
    at = tap(page, at, helper)
    if helper != "just-me":
        at = page.submit(at, {"answer": "He used Makaton signs for most answers."}, selector=FORM)
    at = through(page, at, ["4", "3", "5", "4", "5", "4", "3", ["mum", "pet"], ["music", "outside"]])
    assert question(at) == "What would you change?"
    return page, at


def conversation_url(at: Page) -> str:
    return at.url.split("?")[0]
