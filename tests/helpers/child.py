"""Drive the child side like a plain HTML browser: follow links, fill forms, press buttons."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from tests.helpers.pages import Page, PageFetcher

PIN = "4826"


def demo(runner) -> dict:
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def enrol(page: PageFetcher, invite_url: str, pin: str = PIN) -> Page:
    """Open the invite link, press start, choose a PIN twice. Returns the first chat page."""
    welcome = page.get(urlsplit(invite_url).path)
    chosen = page.submit(welcome, selector="main form[method=post]")
    assert chosen.url == "/choose-pin"
    return page.submit(chosen, {"pin": pin, "pin_again": pin}, selector="main form[method=post]")


def start_chat(page: PageFetcher, start: Page, flow: str = "pre-review") -> Page:
    return page.submit(start, selector="main form.mode-choice", button=("flow", flow))


def answer_current(page: PageFetcher, chat: Page, *, text: str = "It's fine I guess") -> Page:
    form = chat.form("form.answer-form")
    replies = form.select("button[name=answer]")
    if replies:
        return page.submit(chat, selector="form.answer-form", button=("answer", replies[0]["value"]))
    boxes = form.select("input[type=checkbox][name=answer]")
    if boxes:
        return page.submit(chat, {"answer": boxes[0]["value"]}, selector="form.answer-form")
    return page.submit(chat, {"answer": text}, selector="form.answer-form")


def finish_chat(page: PageFetcher, chat: Page, *, text: str = "It's fine I guess", limit: int = 80) -> Page:
    """Answer every question (first option, or ``text``) until the chat ends."""
    for _ in range(limit):
        if chat.soup.select_one("form.answer-form") is None:
            return chat
        chat = answer_current(page, chat, text=text)
    raise AssertionError("the chat did not end")


def review_link(chat: Page) -> str:
    link = chat.soup.find("a", string=lambda s: s and "See my answers" in s)
    assert link is not None, "no link to the review page"
    return link["href"]


def sign_in_directly(app, client, child, *, pin: str = PIN):
    """Enrol a device for ``child`` and sign in, without the invite pages (for focused tests)."""
    from voice.auth.secrets import token_hash
    from voice.extensions import db
    from voice.models import Child, Device
    from voice.people import enrolment

    with app.app_context():
        child = db.session.merge(child) if not isinstance(child, str) else Child.by_ref(child)
        device_token = f"test-device-{child.ref}-{id(client)}"
        device = Device(child_id=child.id, token_hash=token_hash(device_token))
        db.session.add(device)
        db.session.flush()
        session_token = enrolment.set_pin(device, pin, pepper=app.config["VOICE_PIN_PEPPER"])
        device_id = device.id
    client.set_cookie("voice_device", device_token)
    client.set_cookie("voice_auth", session_token)
    return device_id
