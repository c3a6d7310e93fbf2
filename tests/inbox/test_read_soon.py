""" "Please read soon": what the detector cannot judge is flagged for the worker, not alarmed,
not treated as ordinary; and the CLI keeps its fixed interface."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.helpers.auth import sign_in_staff
from tests.helpers.pages import PageFetcher
from tests.helpers.submissions import send_for
from voice.extensions import db
from voice.models import Alert, Submission


def _submission(app, sid) -> Submission:
    with app.app_context():
        s = db.session.get(Submission, sid)
        db.session.expunge(s)
        return s


def test_words_in_another_language_are_flagged_please_read_soon_with_no_alert(app, world):
    ordinary = _submission(app, send_for(app, world["kid_b"], text="I would like a bigger room"))
    sid = send_for(app, world["kid_a"], text="Tata mnie bije kiedy jest pijany i boję się wracać")
    s = _submission(app, sid)
    assert s.read_soon and not s.concern
    assert s.review_by < ordinary.review_by  # the next working day, sooner than the usual reminder
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 0

    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, world["emails"]["sw_a1"])
    inbox = worker.get("/staff/")
    [row] = inbox.soup.select("table.inbox tbody tr")
    assert "Please read soon" in row.text
    assert "Possible concern" not in row.text
    page = worker.get(row.select_one("a")["href"])
    assert "Please read soon." in page.text
    assert "This is not an alert" in page.text


def test_emoji_only_is_please_read_soon(app, world):
    s = _submission(app, send_for(app, world["kid_a"], text="😢😢😢"))
    assert s.read_soon and not s.concern


def test_ordinary_words_and_the_three_rights_questions_are_neither(app, world):
    for text in (
        "I would like more time with my brother",
        "will my parents still have a say in what happens to me",
        "can my social worker take me out so I can talk without my carers there",
        "I'm an asylum seeker, will I get sent back when I'm 18",
    ):
        s = _submission(app, send_for(app, world["kid_a"], text=text))
        assert not s.read_soon and not s.concern, text
    worker = PageFetcher(app.test_client())
    sign_in_staff(worker, world["emails"]["sw_a1"])
    assert "Please read soon" not in worker.get("/staff/").text


def test_a_concern_is_a_concern_not_read_soon(app, world):
    s = _submission(
        app, send_for(app, world["kid_a"], text="the older lads in my new unit said theyll do me in")
    )
    assert s.concern and not s.read_soon


def test_check_jsonl_keeps_its_fields_and_adds_level_and_explanation(app):
    runner = app.test_cli_runner()
    lines = [
        "my step dad hits me",
        "can i go to the cinema on friday",
        "😢😢😢",
        "can my social worker take me out so I can talk without my carers there",
    ]
    result = runner.invoke(args=["safeguarding", "check", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == lines
    assert [r["concern"] for r in rows] == [True, False, False, False]
    assert [r["level"] for r in rows] == ["concern", "none", "uncertain", "none"]
    assert rows[0]["categories"] == ["physical-harm"]
    assert rows[0]["explanation"][0].startswith("physical-harm:")
    assert rows[2]["reasons"] == ["no-words"]
