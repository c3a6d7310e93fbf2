"""Two-way: a child answers a worker's reply in the same thread, and hears when one arrives.

The child's answer is stored encrypted, screened like every other free text, shown to the
worker as new; bad input gets a kind line and keeps the words; a double tap stores one answer.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text

from tests import factories
from tests.helpers.auth import sign_in_staff
from tests.helpers.child import PIN, sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice import clock
from voice.extensions import db
from voice.inbox import reading
from voice.models import Alert, Child, ChildReply, OutboxMessage, StaffMember, Submission

WORKER_SAYS = "Thanks for telling me. Shall we talk about your brother on Friday?"
CHILD_SAYS = "Yes please, after school is best"


@pytest.fixture
def client(app):
    """The child's phone. Not a ``with`` client: a staff client in the same test must not
    meet this one's kept request context (its session would not be saved)."""
    return app.test_client()


@pytest.fixture
def thread(app, client):
    """A signed-in child who sent something, and their worker's reply to it."""
    with app.app_context():
        team = factories.team()
        worker = factories.staff(team_=team, email="worker@voice.test", name="Sam Green")
        iro = factories.staff("iro", email="iro@voice.test", name="Ira Moss")
        child = factories.child(worker=worker, iro=iro)
        db.session.commit()
        ref = child.ref
    submission_id = send_for(app, ref, share="worker_iro")  # the IRO may read the answers
    with app.test_request_context():
        worker_ = db.session.get(StaffMember, _id_of("worker@voice.test"))
        reading.reply(worker_, _submission(submission_id), WORKER_SAYS)
    sign_in_directly(app, client, ref)
    return {"ref": ref, "submission_id": submission_id, "url": f"/messages/{submission_id}"}


def _id_of(email: str) -> int:
    return db.session.scalar(select(StaffMember.id).where(StaffMember.email == email))


def _submission(submission_id) -> Submission:
    return db.session.get(Submission, submission_id)


def _outbox(template: str):
    return select(OutboxMessage).where(OutboxMessage.template == template)


def _answers(app) -> list[ChildReply]:
    with app.app_context():
        return list(db.session.scalars(select(ChildReply)))


def _answer(page: PageFetcher, url: str, body: str, **kw):
    return page.submit(page.get(url), {"body": body}, selector="form.answer-reply", **kw)


def test_the_child_sees_new_reply_on_the_next_visit_until_they_open_it(client, thread):
    page = PageFetcher(client)
    chat = page.get("/chat")
    assert "New reply" in chat.text
    assert chat.soup.select_one(".new-reply-notice a")["href"] == thread["url"]
    mine = page.get("/messages")
    assert mine.soup.select_one(".message-list .badge").get_text() == "New reply"

    opened = page.get(thread["url"])
    assert WORKER_SAYS in opened.text
    assert opened.soup.select_one(".thread .new .badge") is not None  # marked new this once

    assert "New reply" not in page.get("/messages").text
    assert "New reply" not in page.get("/chat").text
    assert page.get(thread["url"]).soup.select_one(".thread .new") is None


def test_a_child_answers_a_reply_and_the_worker_sees_it_as_new(app, client, thread):
    page = PageFetcher(client)
    after = _answer(page, thread["url"], CHILD_SAYS)
    assert after.url == thread["url"]
    assert "Sent. Sam will see your answer." in after.text
    bubbles = [b.get_text(" ", strip=True) for b in after.soup.select(".thread li")]
    assert WORKER_SAYS in bubbles[0] and CHILD_SAYS in bubbles[1]  # one thread, in order
    assert after.soup.select_one(".safety-panel") is None

    with app.app_context():
        [answer] = db.session.scalars(select(ChildReply)).all()
        assert answer.body == CHILD_SAYS and not answer.concern
        raw = db.session.execute(text("SELECT body FROM child_replies")).scalar_one()
        assert CHILD_SAYS not in raw  # encrypted at rest
        mail = db.session.scalars(_outbox("child_replied")).all()
        assert [m.to_address for m in mail] == ["worker@voice.test"]
        assert CHILD_SAYS not in repr(mail[0].personalisation)

    staff = PageFetcher(app.test_client())
    sign_in_staff(staff, "worker@voice.test")
    inbox = staff.get("/staff/")
    row = inbox.soup.select_one("table.inbox tbody tr")
    assert "unread" in row["class"]
    assert "New answer from the child" in row.get_text()
    assert "1 unread" in inbox.text
    opened = staff.get(f"/staff/submissions/{thread['submission_id']}")
    assert CHILD_SAYS in opened.text
    again = staff.get("/staff/")
    assert "New answer from the child" not in again.text
    assert "0 unread" in again.text


def test_an_iro_who_did_not_write_in_the_thread_does_not_see_the_childs_answer(app, client, thread):
    _answer(PageFetcher(client), thread["url"], CHILD_SAYS)
    staff = PageFetcher(app.test_client())
    sign_in_staff(staff, "iro@voice.test")
    opened = staff.get(f"/staff/submissions/{thread['submission_id']}")
    assert "I would like more time with my brother" in opened.text  # they may read the answers
    assert CHILD_SAYS not in opened.text
    assert _answers(app)[0].read_at is None  # still new for the worker


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("   ", "There are no words to send yet."),
        ("I have a lot to say. " * 5000, "That is too long to send in one go"),  # about 100 KB
    ],
)
def test_empty_or_huge_answers_get_a_kind_line_and_keep_the_words(app, client, thread, body, says):
    page = PageFetcher(client)
    again = _answer(page, thread["url"], body, status=400)
    assert says in again.soup.select_one("form.answer-reply .error").get_text()
    assert again.soup.select_one("form.answer-reply textarea").get_text().strip() == body.strip()
    assert again.soup.select_one("form.answer-reply input[name=key]")["value"]
    assert _answers(app) == []


def test_a_worrying_answer_goes_through_safeguarding(app, client, thread):
    page = PageFetcher(client)
    after = _answer(page, thread["url"], "my stepdad hits me when nobody is home")
    assert after.soup.select_one(".safety-panel") is not None
    with app.app_context():
        [answer] = db.session.scalars(select(ChildReply)).all()
        assert answer.concern
        [alert] = db.session.scalars(select(Alert)).all()
        assert alert.source == "reply"
        assert str(alert.submission_id) == str(thread["submission_id"])
        assert "physical-harm" in alert.categories
        urgent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.urgent.is_(True))).all()
        assert urgent and all("hits" not in repr(m.personalisation) for m in urgent)


def test_a_double_tap_on_send_stores_one_answer(app, client, thread):
    page = PageFetcher(client)
    form_page = page.get(thread["url"])
    press = {"selector": "form.answer-reply", "follow": False, "status": 302}
    first = page.submit(form_page, {"body": CHILD_SAYS}, **press)
    second = page.submit(form_page, {"body": CHILD_SAYS}, **press)
    assert first.response.headers["Location"] == second.response.headers["Location"]
    assert len(_answers(app)) == 1
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.template == "child_replied")
            )
            == 1
        )


def test_another_child_cannot_answer_in_this_thread(app, thread):
    with app.app_context():
        other = factories.child(worker=db.session.get(StaffMember, _id_of("worker@voice.test")))
        db.session.commit()
        other_ref = other.ref
    with app.test_client() as theirs:
        sign_in_directly(app, theirs, other_ref)
        response = theirs.post(f"{thread['url']}/answer", data={"body": "hello", "key": uuid.uuid4().hex})
        assert response.status_code in (400, 404)  # no CSRF token, and not theirs either way
        page = PageFetcher(theirs)
        page.get(thread["url"], status=404)
    assert _answers(app) == []


def test_no_answer_box_before_anyone_has_written_back(app, client):
    with app.app_context():
        child = factories.child(worker=factories.staff(team_=factories.team()))
        db.session.commit()
        ref = child.ref
    submission_id = send_for(app, ref)
    sign_in_directly(app, client, ref)
    page = PageFetcher(client).get(f"/messages/{submission_id}")
    assert page.soup.select_one("form.answer-reply") is None
    assert "New reply" not in page.text


# ------------------------------------------------------------------------ a text about a reply


def _agree_to_texts(app, ref: str, mobile: str | None = "07700 900123", consent: bool = True) -> None:
    with app.app_context():
        child = Child.by_ref(ref)
        child.mobile, child.reply_texts_consent = mobile, consent
        db.session.commit()


def _worker_replies(app, submission_id) -> None:
    with app.test_request_context():
        worker = db.session.get(StaffMember, _id_of("worker@voice.test"))
        reading.reply(worker, _submission(submission_id), "Another note for you")


def test_a_content_free_text_says_there_is_a_reply_when_the_child_agreed(app, thread, fake_notify_texts):
    from voice.routing.outbox import deliver_due

    _agree_to_texts(app, thread["ref"])
    _worker_replies(app, thread["submission_id"])
    with app.app_context():
        [row] = db.session.scalars(_outbox("reply_waiting")).all()
        assert (row.channel, row.to_address) == ("notify", "+447700900123")  # E.164, as the import stores it
        assert deliver_due().dead == 0
    [post] = [p for p in fake_notify_texts.posts if "phone_number" in p]
    assert post["phone_number"] == "+447700900123"
    said = post["personalisation"]["body"]
    assert "http://voice.test/messages" in said
    assert "Another note" not in said and "Sam" not in said and "brother" not in said


def test_the_text_is_in_the_childs_own_language(app, thread, fake_notify_texts):
    from voice.routing.outbox import deliver_due

    _agree_to_texts(app, thread["ref"])
    with app.app_context():
        Child.by_ref(thread["ref"]).preferred_language = "pl"
        db.session.commit()
    _worker_replies(app, thread["submission_id"])
    with app.app_context():
        assert deliver_due().dead == 0
    [post] = [p for p in fake_notify_texts.posts if "phone_number" in p]
    said = post["personalisation"]["body"]
    assert "Masz nową wiadomość" in said and "http://voice.test/messages" in said
    assert "new message" not in said


@pytest.mark.parametrize(("mobile", "consent"), [("07700 900123", False), (None, True)])
def test_no_text_without_consent_or_a_number(app, thread, fake_notify_texts, mobile, consent):
    _agree_to_texts(app, thread["ref"], mobile, consent)
    _worker_replies(app, thread["submission_id"])
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.template == "reply_waiting")
            )
            == 0
        )


def test_the_childs_answers_and_text_settings_are_in_their_subject_access_bundle(app, client, thread):
    from datetime import date

    from voice.privacy import bundle

    _answer(PageFetcher(client), thread["url"], CHILD_SAYS)
    _agree_to_texts(app, thread["ref"])
    with app.app_context():
        found = bundle(Child.by_ref(thread["ref"]), received=date(2026, 12, 1))
    assert found["submissions"][0]["my_answers_to_replies"][0]["text"] == CHILD_SAYS
    assert found["child"]["mobile_for_reply_texts"] == "07700 900123"
    assert found["child"]["agreed_to_reply_texts"] is True


def test_the_child_turns_reply_texts_on_and_off_on_my_messages(app, client, thread):
    page = PageFetcher(client)
    mine = page.get("/messages")
    saved = page.submit(
        mine, {"agree": "y", "mobile": "07700 900123"}, selector="form[action$='/messages/texts']"
    )
    assert "We will text you" in saved.text
    with app.app_context():
        child = Child.by_ref(thread["ref"])
        assert (child.mobile, child.reply_texts_consent) == ("07700 900123", True)

    wrong = page.submit(
        saved, {"agree": "y", "mobile": "call me"}, selector="form[action$='/messages/texts']", status=400
    )
    assert "doesn't look like a mobile number" in wrong.text
    assert wrong.soup.select_one("input[name=mobile]")["value"] == "call me"  # kept to fix

    off = page.get("/messages")
    form = off.form("form[action$='/messages/texts']")
    form.find("input", attrs={"name": "agree"}).attrs.pop("checked", None)  # untick
    page.submit(off, selector="form[action$='/messages/texts']")
    with app.app_context():
        child = Child.by_ref(thread["ref"])
        assert (child.mobile, child.reply_texts_consent) == (None, False)  # the number is forgotten


# An answer typed as the session ends, or as the form's token runs out, comes back in the
# "Write back" box, unsent, and is stored once when the child presses Send again.

KEPT_WORDS = "Friday is good but can my sister come too? أختي 🙏"


def _box(page) -> str:
    # A browser drops the one newline WTForms puts after <textarea>; so does this.
    return page.soup.select_one("form.answer-reply textarea").get_text().removeprefix("\r\n")


def test_words_typed_as_the_session_ended_come_back_after_the_pin_and_are_sent_once(app, client, thread):
    page = PageFetcher(client)
    opened = page.get(thread["url"])
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(opened, {"body": KEPT_WORDS}, selector="form.answer-reply")
        assert pin_page.soup.select_one("input[name=pin]") is not None
        assert "what you typed is kept" in pin_page.text
        assert pin_page.soup.select_one("input[name=carry_kind]")["value"] == "reply"
        assert _answers(app) == []  # nothing sent while signed out

        back = page.submit(pin_page, {"pin": PIN}, selector="main form[method=post]")
        assert _box(back) == KEPT_WORDS
        assert "We kept what you typed" in back.text
        assert "no-store" in back.response.headers["Cache-Control"]
        assert _answers(app) == []

        page.submit(back, selector="form.answer-reply")
        page.submit(back, selector="form.answer-reply")  # a second tap on the same page
    answers = _answers(app)
    assert len(answers) == 1


def test_a_wrong_pin_keeps_carrying_the_answer(app, client, thread):
    page = PageFetcher(client)
    opened = page.get(thread["url"])
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(opened, {"body": KEPT_WORDS}, selector="form.answer-reply")
        wrong = page.submit(pin_page, {"pin": "9317"}, selector="main form[method=post]", status=400)
        assert wrong.soup.select_one("input[name=carry_answer]")["value"] == KEPT_WORDS
        back = page.submit(wrong, {"pin": PIN}, selector="main form[method=post]")
        assert _box(back) == KEPT_WORDS


def test_an_expired_token_gives_the_answer_back_to_a_post_from_our_own_page(app, client, thread):
    opened = PageFetcher(client).get(thread["url"])
    key = opened.soup.select_one("form.answer-reply input[name=key]")["value"]
    data = {"csrf_token": "run-out", "key": key, "body": KEPT_WORDS}
    response = client.post(f"{thread['url']}/answer", data=data, headers={"Origin": "http://localhost"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "We kept what you typed" in html and "أختي" in html
    assert f'value="{key}"' in html  # the same key, so Send again still stores one answer
    assert _answers(app) == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"}],
    ids=["no-origin", "other-origin", "cross-site"],
)
def test_a_post_from_another_site_cannot_put_words_in_the_answer_box(app, client, thread, headers):
    data = {"csrf_token": "forged", "body": "words from elsewhere"}
    response = client.post(f"{thread['url']}/answer", data=data, headers=headers)
    assert response.status_code == 400
    assert "words from elsewhere" not in response.get_data(as_text=True)
    assert _answers(app) == []


def test_carried_answer_words_only_open_the_childs_own_message(app, client, thread):
    """A PIN form whose hidden fields name someone else's message just opens the chat."""
    page = PageFetcher(client)
    opened = page.get(thread["url"])
    with time_machine.travel(clock.now() + timedelta(minutes=20), tick=False):
        pin_page = page.submit(opened, {"body": KEPT_WORDS}, selector="form.answer-reply")
        fields = {"carry_conversation": "00000000-0000-4000-8000-000000000000"}
        back = page.submit(pin_page, {"pin": PIN, **fields}, selector="main form[method=post]")
        assert KEPT_WORDS not in back.text
