"""A child's words copied into another row by someone with database access (issue 25).

The reader never sees the other child's (or other answer's) words and never gets an error page
with a traceback: the item says it cannot be shown, a security line is logged and an audit event
names the table, row and column. Where the page needs the value itself (a child's draft), a kind
page says so instead of a 500.
"""

from sqlalchemy import Text, select, type_coerce, update

from tests.helpers.auth import sign_in_staff
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import AuditEvent, Child, Conversation, SubmissionAnswer

CANNOT_BE_SHOWN = "This item cannot be shown: it failed a security check."


def _swap(table, key, column, first, second) -> None:
    raw = type_coerce(column, Text())
    a = db.session.scalar(select(raw).where(key == first))
    b = db.session.scalar(select(raw).where(key == second))
    for row, value in ((first, b), (second, a)):
        db.session.execute(update(table).where(key == row).values({column: type_coerce(value, Text())}))
    db.session.commit()


def test_a_staff_member_sees_cannot_be_shown_where_a_moved_answer_was(app, world, caplog):
    mine = send_for(app, world["kid_a"], text="Please can I see my nan on Sundays")
    theirs = send_for(app, world["kid_a"], text="I do not like the new school bus")
    with app.app_context():
        both = SubmissionAnswer.submission_id.in_((mine, theirs))
        answers = db.session.scalars(
            select(SubmissionAnswer).where(both, SubmissionAnswer.answer_text.is_not(None))
        )
        words = {a.id: a.answer_text for a in answers}
        ids = sorted(words)
        first = next(i for i in ids if "nan" in words[i])
        second = next(i for i in ids if "bus" in words[i])
        table = SubmissionAnswer.__table__
        _swap(table, table.c.id, table.c.answer_text, first, second)

    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, world["emails"]["sw_a1"])
    page = worker.get(f"/staff/submissions/{mine}")  # 200, checked by the fetcher
    assert CANNOT_BE_SHOWN in page.text
    assert page.text.count(CANNOT_BE_SHOWN) == 2  # in the summary and under its topic
    assert "school bus" not in page.text  # the moved-in words never show on the wrong record
    assert f"security: encrypted value in submission_answers.answer_text row {first}" in caplog.text
    with app.app_context():
        audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "field.unreadable")).all()
        assert {(e.object_type, e.object_id, e.purpose) for e in audited} >= {
            ("submission_answers", str(first), "answer_text")
        }
        assert all(e.actor_kind == "staff" and e.route == f"/staff/submissions/{mine}" for e in audited)


def test_a_child_whose_draft_was_swapped_gets_a_kind_page_not_an_error(app, world):
    with app.app_context():
        kids = [Child.by_ref(world["kid_a"]), Child.by_ref(world["kid_b"])]
        drafts = []
        for kid, said in zip(kids, ("about my room", "about my dog"), strict=True):
            conversation = Conversation(child_id=kid.id, flow_id="pre-review", content_version="test")
            conversation.state = {"said": said}
            db.session.add(conversation)
            db.session.flush()
            drafts.append(conversation.id)
        db.session.commit()
        table = Conversation.__table__
        _swap(table, table.c.id, table.c.state_encrypted, *drafts)

    child = PageFetcher(app.test_client())
    sign_in_directly(app, child.client, world["kid_a"])
    page = child.get(f"/chat/{drafts[0]}", status=422)
    assert page.h1 == "This cannot be shown"
    assert "my dog" not in page.text
    assert "call 999" in page.text  # the safety panel, as on every page that stops a child
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "field.unreadable"))
        assert (event.object_type, event.object_id, event.purpose) == (
            "conversations",
            drafts[0].hex,
            "state_encrypted",
        )
        assert event.actor_kind == "child"
