"""Exit, for the moment someone else picks up the phone: the session really ends, the browser is
told to forget what it kept, and nothing of the child's is reachable again without the PIN."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers.child import PIN
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import AuthSession

EXIT_URL = "https://www.bbc.co.uk/weather"


def _sessions(app) -> list[tuple[object, str | None]]:
    with app.app_context():
        return [(row.ended_at, row.end_reason) for row in db.session.scalars(select(AuthSession))]


def _press_exit(client, page):
    """Press Exit on a page the way a browser without JavaScript does: post its form."""
    form = page.soup.select_one("header form.exit-form")
    assert form is not None and form["data-exit"] == EXIT_URL
    return client.post(form["action"], data={"csrf_token": "stale"})


def test_exit_ends_the_session_clears_the_site_and_lands_on_the_neutral_site(app, client, kid):
    page = PageFetcher(client)
    mine = page.get("/messages")
    assert client.get_cookie("voice_auth") is not None

    left = _press_exit(client, mine)  # an old page's CSRF token must not stop Exit

    assert left.status_code == 303 and left.headers["Location"] == EXIT_URL
    assert left.headers["Clear-Site-Data"] == '"cache", "storage"'  # not "cookies": see views
    assert _sessions(app)[0][1] == "quick_exit"
    assert client.get_cookie("voice_auth") is None
    assert client.get_cookie("voice_device") is not None  # the PIN still works next time

    # Back, or typing the address: no child data, the PIN is asked for.
    again = client.get("/messages")
    assert again.status_code == 302 and again.headers["Location"] == "/sign-in"
    pin_page = page.get("/sign-in")
    assert pin_page.soup.select_one("input[name=pin]") is not None
    assert "What I sent" not in pin_page.text
    assert page.submit(pin_page, {"pin": PIN}, selector="main form[method=post]").url == "/chat"


def test_a_double_tap_on_exit_leaves_just_the_same(app, client, kid):
    page = PageFetcher(client)
    chat = page.get("/chat")
    first = _press_exit(client, chat)
    second = _press_exit(client, chat)
    for left in (first, second):
        assert left.status_code == 303 and left.headers["Location"] == EXIT_URL
        assert left.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert [reason for _ended, reason in _sessions(app)] == ["quick_exit"]
    assert client.get("/chat").status_code == 302


def test_exit_forgets_a_question_kept_in_the_signed_cookie(client, kid):
    page = PageFetcher(client)
    ask = page.get("/rights/ask")
    page.submit(
        ask, {"question": "can I see my brother Tobias at weekends"}, selector="main form.rights-ask-form"
    )
    assert "Tobias" in page.get("/rights/ask/answer").text
    _press_exit(client, ask)
    assert "Tobias" not in client.get("/rights/ask/answer", follow_redirects=True).get_data(as_text=True)


def test_exit_pressed_offline_ends_the_session_on_the_next_contact(app, client, kid):
    """child.js sets the exit mark before it tries the network; offline, the post never
    arrives. Whatever reaches Voice next (Back, a reload, opening it again) ends the session."""
    assert client.get("/chat").status_code == 200
    client.set_cookie("voice_exit", "1")
    back = client.get("/messages")
    assert back.status_code == 302 and back.headers["Location"] == "/sign-in"
    assert back.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get_cookie("voice_exit") is None  # gone, so it cannot end the next sign-in
    assert _sessions(app)[0][1] == "quick_exit"
    page = PageFetcher(client)
    assert page.submit(page.get("/sign-in"), {"pin": PIN}, selector="main form[method=post]").url == "/chat"
    assert client.get("/messages").status_code == 200


@pytest.mark.parametrize("url", ["/help", "/sign-in", "/rights", "/rights/ask", "/chat", "/messages"])
def test_child_pages_are_never_stored(client, kid, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_not_signed_in_child_pages_are_never_stored_either(client):
    for url in ("/", "/help", "/rights"):
        assert client.get(url).headers["Cache-Control"] == "no-store"


def test_the_exit_site_is_allowed_as_a_form_target_and_nothing_else_is(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' https://www.bbc.co.uk;" in csp + ";"


@pytest.mark.parametrize("url", ["/help", "/sign-in", "/rights", "/chat", "/messages"])
def test_exit_and_not_safe_and_the_menu_are_on_every_child_page(client, kid, url):
    soup = PageFetcher(client).get(url).soup
    header = soup.select_one("header.quick-bar")
    assert header.select_one("form.exit-form button") is not None
    assert header.select_one("form.not-safe button") is not None
    menu = {a["href"] for a in soup.select("nav.child-menu a")}
    assert {"/chat", "/messages", "/rights", "/rights/ask"} <= menu
