from sqlalchemy import select

from tests import factories
from tests.helpers.child import answer_current, sign_in_directly, start_chat
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import Child, Conversation


def test_language_from_query_cookie_and_browser(client):
    page = PageFetcher(client)
    assert page.get("/", headers={"Accept-Language": "bn,en;q=0.5"}).soup.html["lang"] == "bn"
    ar = page.get("/?lang=ar")
    assert ar.soup.html["lang"] == "ar" and ar.soup.html["dir"] == "rtl"
    assert page.get("/help").soup.html["lang"] == "ar"  # remembered
    assert page.get("/?lang=xx").soup.html["lang"] == "ar"  # unknown codes are ignored


def test_switching_language_mid_conversation_keeps_every_answer_and_is_remembered(app, client):
    with app.app_context():
        kid = factories.child(worker=factories.staff(team_=factories.team()))
        db.session.commit()
        ref = kid.ref
    sign_in_directly(app, client, ref)
    page = PageFetcher(client)
    chat = answer_current(page, answer_current(page, start_chat(page, page.get("/chat"))))
    with app.app_context():
        before = db.session.scalar(select(Conversation)).state["answers"]
    switched = page.submit(chat, selector="form.languages", button=("lang", "bn"))
    assert switched.soup.html["lang"] == "bn" and switched.url == chat.url
    with app.app_context():
        assert db.session.scalar(select(Conversation)).state["answers"] == before
        assert Child.by_ref(ref).preferred_language == "bn"


def test_staff_pages_stay_in_english(client):
    page = PageFetcher(client)
    assert page.get("/staff/sign-in?lang=ar", headers={"Accept-Language": "ar"}).soup.html["lang"] == "en"
