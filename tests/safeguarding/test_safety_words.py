"""Words after "I don't feel safe": too many are never cut or lost; an empty box is not thanked."""

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers.child import sign_in_directly
from tests.helpers.pages import PageFetcher
from voice.extensions import db
from voice.models import Alert

FORM = "main form[method=post]"


@pytest.fixture
def safety(app, client):
    with app.app_context():
        team = factories.team("Team W", duty_email="duty-w@voice.test")
        worker = factories.staff(team_=team, email="sw-w@voice.test", name="Wren Worker")
        kid = factories.child(worker=worker, ref="K-W1", first_name="Ash")
        db.session.commit()
        ref = kid.ref
    sign_in_directly(app, client, ref)
    page = PageFetcher(client)
    return page, page.submit(page.get("/chat"), selector="form.not-safe")


def _alert_words(app):
    with app.app_context():
        return db.session.scalar(select(Alert)).words


def test_too_many_words_stay_in_the_box_with_a_kind_line_and_nothing_is_cut(app, safety):
    page, told = safety
    words = "I am scared when he shouts. " * 150  # 4,200 letters and spaces
    refused = page.submit(told, {"words": words}, selector=FORM, status=400)
    assert "Your words are still in the box" in refused.text
    assert "already knows you don't feel safe" in refused.text
    assert refused.soup.select_one("textarea[name=words]").get_text().strip() == words.strip()
    assert "Thank you" not in refused.text
    assert _alert_words(app) is None  # nothing stored cut short

    first_part = words[:2000].strip()
    page.submit(refused, {"words": first_part}, selector=FORM)
    assert _alert_words(app) == first_part


def test_an_empty_box_says_nothing_was_added_not_thank_you(app, safety):
    page, told = safety
    empty = page.submit(told, {"words": "   "}, selector=FORM)
    assert "Thank you" not in empty.text
    assert "nothing was added" in empty.text and "already told you don't feel safe" in empty.text
    assert _alert_words(app) is None
    assert empty.soup.select_one("textarea[name=words]") is not None  # can still write, if they want

    thanked = page.submit(empty, {"words": "it happened again"}, selector=FORM)
    assert "Thank you. Your worker's team will see it." in thanked.text
    assert _alert_words(app) == "it happened again"
