"""No child content ever leaves by notification (SECURITY "Data"; THREATS 34).

A child is seeded with canary strings in every field a careless template might reach for,
then every kind of notification is rendered and delivered over both channels. The canaries
must appear nowhere: not in SMTP bytes, not in Notify request bodies, not in outbox rows, not
in the logs.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from tests import factories
from voice import clock
from voice.extensions import db
from voice.models import OutboxMessage, Submission, SubmissionAnswer
from voice.references import new_reference
from voice.routing import notifications
from voice.routing.notifications import KINDS, check_link, check_reference, enqueue, load_wording
from voice.routing.outbox import deliver_due

BASE = "http://voice.test"
CANARY_NAME = "Zebediah-CANARY"
CANARY_ANSWER = "CANARY-ANSWER-my-foster-carer-shouts-at-me"
CANARY_REF = "CANARY-REF-7731"
CANARY_DOB = date(2011, 2, 3)
CANARIES = [CANARY_NAME, "Zebediah", CANARY_ANSWER, CANARY_REF, CANARY_DOB.isoformat(), "03/02/2011"]
CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


def seed_child_with_canaries() -> Submission:
    worker = factories.staff()
    child = factories.child(worker=worker, first_name=CANARY_NAME, ref=CANARY_REF, date_of_birth=CANARY_DOB)
    submission = Submission(
        child_id=child.id,
        reference=new_reference("S"),
        review_by=clock.now() + timedelta(days=2),
        language="en",
    )
    submission.answers.append(
        SubmissionAnswer(
            position=1,
            node_id="how-are-things",
            topic="home",
            answer_type="free_text",
            question="How are things at home?",
            answer_text=CANARY_ANSWER,
            share="worker",
        )
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def notify_everything_about(submission: Submission) -> list[uuid.UUID]:
    """Every kind, as a careless caller would build it from the seeded records."""
    ids = []
    for kind in KINDS:
        message = enqueue(
            kind,
            to_address=submission.child.social_worker.email,
            reference=submission.reference,
            link=f"{BASE}/staff/submissions/{submission.id}",
            submission_id=submission.id,
        )
        ids.append(message.id)
    db.session.commit()
    return ids


def assert_no_canary(haystack: str | bytes, where: str) -> None:
    text_ = haystack.decode("utf-8", "replace") if isinstance(haystack, bytes) else haystack
    for canary in CANARIES:
        assert canary.lower() not in text_.lower(), f"{canary!r} leaked into {where}"


def outbox_rows_as_text() -> str:
    rows = db.session.execute(text("SELECT * FROM outbox_messages")).all()
    return repr(rows)


# ------------------------------------------------------------------------------- the wording


def test_every_registered_kind_has_checked_words_and_nothing_else():
    wording = load_wording(CONTENT_DIR / "notifications.yaml")
    assert set(wording.templates) == set(KINDS)
    for name, template in wording.templates.items():
        fields = set(re.findall(r"{(\w+)}", template.subject + template.body))
        assert fields <= notifications.PLACEHOLDERS, name
        assert "{link}" in template.body, name


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("Hello {child_name}: {link}", "placeholder {child_name} is not allowed"),
        ("{link.__class__} {link}", "placeholder {link.__class__} is not allowed"),
        ("{reference!r} {link}", "placeholder {reference} is not allowed"),
        ("{reference:>30} {link}", "placeholder {reference} is not allowed"),
        ("no link here {reference}", "body must include {link}"),
        ("{link} {", "expected '}'"),
    ],
)
def test_the_wording_loader_refuses_anything_but_the_three_placeholders(tmp_path, body, problem):
    entries = {name: {"subject": "Something new", "body": "{link}"} for name in KINDS}
    entries["new_submission"]["body"] = body
    path = tmp_path / "notifications.yaml"
    path.write_text(yaml.safe_dump({"service_name": "Voice", "notifications": entries}))
    with pytest.raises(ValueError, match=re.escape(problem)):
        load_wording(path)


@pytest.mark.parametrize(
    ("languages", "problem"),
    [
        ({"pl": "Cześć {child_name}: {link}"}, "placeholder {child_name} is not allowed"),
        ({"pl": "bez linku"}, "reply_waiting (pl): needs one short body"),
        ({"Polish": "{link}"}, "'languages' must map locale codes"),
    ],
)
def test_a_translated_text_obeys_the_same_rules(tmp_path, languages, problem):
    entries = {name: {"subject": "Something new", "body": "{link}"} for name in KINDS}
    texts = {"reply_waiting": {"body": "New in {service_name}: {link}", "languages": languages}}
    path = tmp_path / "notifications.yaml"
    path.write_text(yaml.safe_dump({"service_name": "Voice", "notifications": entries, "texts": texts}))
    with pytest.raises(ValueError, match=re.escape(problem)):
        load_wording(path)


def test_every_offered_language_has_its_reply_text(app):
    from voice import i18n

    with app.app_context():
        words = notifications.wording()
        offered = {loc.code for loc in i18n.locales()} - {"en"}
    assert len(offered) >= 8
    assert offered <= set(words.text_languages["reply_waiting"]), offered - set(
        words.text_languages["reply_waiting"]
    )
    assert words.text_for("reply_waiting", "xx") == words.texts["reply_waiting"]  # English when none


def test_the_wording_loader_wants_exactly_the_registered_kinds(tmp_path):
    entries = {name: {"subject": "Something new", "body": "{link}"} for name in KINDS}
    path = tmp_path / "notifications.yaml"
    path.write_text(yaml.safe_dump({"service_name": "Voice", "notifications": {**entries, "gossip": {}}}))
    with pytest.raises(ValueError, match="gossip not registered"):
        load_wording(path)
    del entries["urgent_alert"]
    path.write_text(yaml.safe_dump({"service_name": "Voice", "notifications": entries}))
    with pytest.raises(ValueError, match="no words for urgent_alert"):
        load_wording(path)


# ------------------------------------------------------------------------------ the checks


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/staff/",
        "http://voice.test.evil.example/staff/",  # starts with the base URL, other host
        "http://voice.test@evil.example/",
        "http://voice.testing/",
        "https://voice.test/staff/",  # other scheme
        "javascript:alert(1)",
        "http://voice.test/staff/\nBcc: everyone@example.org",
        "http://voice.test/staff/ Zebediah",
        "/staff/submissions/1",
        "",
    ],
)
def test_enqueue_refuses_a_link_that_does_not_point_here(app_ctx, link):
    with pytest.raises(ValueError, match="link must"):
        enqueue("new_submission", to_address="w@voice.test", reference="S-ABCD2345", link=link)


@pytest.mark.parametrize(
    "reference",
    [
        "S ABCD2345",
        "s-abcd2345",
        "Zebediah-CANARY",
        "ABC",
        "S-ABCD2345-TOO-LONG",
        "S-ABCD2345\n",
        "S_ABCD",
        "",
    ],
)
def test_enqueue_refuses_a_reference_outside_the_pattern(app_ctx, reference):
    with pytest.raises(ValueError, match="reference must"):
        enqueue("new_submission", to_address="w@voice.test", reference=reference, link=f"{BASE}/staff/")


def test_enqueue_refuses_a_childs_own_ref_as_the_reference(app_ctx):
    """A child's ref fits the pattern but identifies them; references must be random."""
    seed_child_with_canaries()
    with pytest.raises(ValueError, match="reference must not be a child's ref"):
        enqueue("new_submission", to_address="w@voice.test", reference=CANARY_REF, link=f"{BASE}/staff/")


@pytest.mark.parametrize(
    "address",
    [
        "w@voice.test\nBcc: x@evil.example",
        "Zebediah <w@voice.test>",
        "w@voice.test, x@evil.example",
        "nobody",
    ],
)
def test_enqueue_refuses_anything_but_one_plain_address(app_ctx, address):
    with pytest.raises(ValueError, match="to_address must"):
        enqueue("new_submission", to_address=address, reference="S-ABCD2345", link=f"{BASE}/staff/")


def test_enqueue_refuses_unknown_kinds_and_channels_and_takes_no_free_text(app_ctx):
    with pytest.raises(ValueError, match="unknown notification kind"):
        enqueue("gossip", to_address="w@voice.test", reference="S-ABCD2345", link=f"{BASE}/")
    with pytest.raises(ValueError, match="unknown notification channel"):
        enqueue(
            "new_submission", to_address="w@voice.test", reference="S-ABCD", link=f"{BASE}/", channel="sms"
        )
    with pytest.raises(TypeError):
        enqueue(  # type: ignore[call-arg]
            "new_submission", to_address="w@voice.test", reference="S-ABCD", link=f"{BASE}/", body="hi"
        )
    assert len(db.session.new) == 0


@given(st.text(max_size=20))
def test_a_reference_is_accepted_exactly_when_it_matches_the_pattern(reference):
    matches = re.fullmatch(r"[A-Z0-9-]{4,16}", reference) is not None
    try:
        check_reference(reference)
    except ValueError:
        assert not matches
    else:
        assert matches


@given(st.text(max_size=30))
def test_no_text_appended_to_the_base_url_can_leave_its_host(suffix):
    link = BASE + suffix
    try:
        check_link(link, BASE)
    except ValueError:
        return
    assert link == BASE or link.startswith(BASE + "/")


# ------------------------------------------------------------------------------- the canary


def test_every_kind_rendered_from_a_seeded_child_is_content_free(app_ctx):
    submission = seed_child_with_canaries()
    for message_id in notify_everything_about(submission):
        message = db.session.get(OutboxMessage, message_id)
        envelope = notifications.envelope_for(
            message.id, message.template, message.to_address, message.personalisation
        )
        assert set(envelope.personalisation) == {"reference", "link", "service_name"}
        assert_no_canary(envelope.subject + envelope.body + repr(envelope.personalisation), message.template)
        if notifications.KINDS[message.template].audience != "child":  # a child's text has none
            assert submission.reference in envelope.body
    assert_no_canary(outbox_rows_as_text(), "outbox rows")


def test_the_canary_is_nowhere_in_smtp_mail_rows_or_logs(app_ctx, smtp_server, caplog):
    submission = seed_child_with_canaries()
    ids = notify_everything_about(submission)
    with caplog.at_level(logging.DEBUG):
        assert deliver_due().sent == len(ids) == len(KINDS)

    assert len(smtp_server.messages) == len(KINDS)
    assert_no_canary(smtp_server.raw_bytes(), "SMTP messages")
    assert_no_canary(outbox_rows_as_text(), "outbox rows")
    assert_no_canary(caplog.text, "logs")


def test_the_canary_is_nowhere_in_notify_requests_rows_or_logs(app_ctx, fake_notify, caplog):
    submission = seed_child_with_canaries()
    ids = notify_everything_about(submission)
    fake_notify.fail_next(500)  # a failure's error text is stored too
    with caplog.at_level(logging.DEBUG):
        deliver_due()
        deliver_due(now=clock.now() + timedelta(hours=1))

    assert {p["reference"] for p in fake_notify.posts} == {str(i) for i in ids}
    assert_no_canary(b"\n".join(fake_notify.raw), "Notify request bodies")
    assert_no_canary(outbox_rows_as_text(), "outbox rows")
    assert_no_canary(caplog.text, "logs")
