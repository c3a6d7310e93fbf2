"""A staff reply or decision posted twice (a double click, two tabs racing) is stored once."""

import threading

from sqlalchemy import func, select

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import AuditEvent, Reply


def _worker(app, world):
    page = PageFetcher(app.test_client())
    sign_in_staff(page, world["emails"]["sw_a1"])
    return page


def _replies(app, sid):
    with app.app_context():
        return list(db.session.scalars(select(Reply).where(Reply.submission_id == sid)))


def _fields(page, selector):
    form = page.form(selector)
    return {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}, form["action"]


def test_a_double_post_of_one_reply_form_stores_one_reply_and_both_land_on_the_thread(app, world):
    sid = send_for(app, world["kid_a"], text="Can I stay up later at weekends?")
    worker = _worker(app, world)
    read = worker.get(f"/staff/submissions/{sid}")
    words = {"reply-body": "I'll ask your carers about Saturday nights, Pip."}
    first = worker.submit(read, words, selector="form[action$='/reply']", follow=False, status=302)
    second = worker.submit(read, words, selector="form[action$='/reply']", follow=False, status=302)
    assert first.response.headers["Location"] == second.response.headers["Location"]
    assert first.response.headers["Location"].endswith(f"/staff/submissions/{sid}")
    assert [r.body for r in _replies(app, sid)] == [words["reply-body"]]
    with app.app_context():
        audited = select(func.count(AuditEvent.id)).where(AuditEvent.action == "submission.reply")
        assert db.session.scalar(audited) == 1

    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, world["kid_a"])
    assert child.get(f"/messages/{sid}").text.count("Saturday nights") == 1


def test_a_fresh_page_makes_a_second_reply_a_new_reply(app, world):
    sid = send_for(app, world["kid_a"])
    worker = _worker(app, world)
    for words in ("First thought.", "And one more thing."):
        read = worker.get(f"/staff/submissions/{sid}")
        worker.submit(read, {"reply-body": words}, selector="form[action$='/reply']")
    assert sorted(r.body for r in _replies(app, sid)) == ["And one more thing.", "First thought."]


def test_a_double_post_of_a_decision_stores_one_outcome(app, world):
    sid = send_for(app, world["kid_a"])
    worker = _worker(app, world)
    read = worker.get(f"/staff/submissions/{sid}")
    topic = read.soup.select_one("select[name=outcome-topic] option")["value"]
    words = {"outcome-topic": topic, "outcome-body": "You will see your brother every other Saturday."}
    for _ in range(2):
        worker.submit(read, words, selector="form[action$='/outcome']", follow=False, status=302)
    assert [(r.kind, r.body) for r in _replies(app, sid)] == [("outcome", words["outcome-body"])]


def test_a_refused_reply_keeps_its_key_so_the_corrected_post_is_stored_once(app, world):
    sid = send_for(app, world["kid_a"])
    worker = _worker(app, world)
    read = worker.get(f"/staff/submissions/{sid}")
    key = read.soup.select_one("form[action$='/reply'] input[name=reply-key]")["value"]
    refused = worker.submit(read, {"reply-body": "x" * 4001}, selector="form[action$='/reply']", status=400)
    assert refused.soup.select_one("form[action$='/reply'] input[name=reply-key]")["value"] == key
    for _ in range(2):
        worker.submit(refused, {"reply-body": "Shorter now."}, selector="form[action$='/reply']")
    assert [r.body for r in _replies(app, sid)] == ["Shorter now."]


def test_two_concurrent_posts_of_one_reply_form_store_exactly_one_reply(app, world):
    sid = send_for(app, world["kid_a"])
    worker = _worker(app, world)
    read = worker.get(f"/staff/submissions/{sid}")
    data, action = _fields(read, "form[action$='/reply']")
    data["reply-body"] = "Both tabs pressed Send at once."
    locations, barrier = [], threading.Barrier(2)

    def post():
        with app.test_client() as c:
            for name in ("voice_auth", "voice"):
                cookie = worker.client.get_cookie(name)
                if cookie is not None:
                    c.set_cookie(name, cookie.value)
            barrier.wait()
            locations.append(c.post(action, data=data).headers.get("Location"))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(locations) == 2 and locations[0] == locations[1]
    assert locations[0].endswith(f"/staff/submissions/{sid}")
    assert [r.body for r in _replies(app, sid)] == ["Both tabs pressed Send at once."]
