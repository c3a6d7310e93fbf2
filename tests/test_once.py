"""The shared store-first insert (voice/once.py): one row for one form key, whoever posts it
and however the two posts cross. The journeys that use it have their own double-post tests
(tests/test_double_posts.py, tests/inbox/test_reply_twice.py, tests/child/test_answer_reply.py);
these pin down the edges every caller now relies on."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories
from voice import clock
from voice.extensions import db
from voice.models import Team
from voice.models.scenarios import MissingEpisode
from voice.once import earlier_post, store_once


@pytest.fixture
def people(app_ctx):
    worker = factories.staff("social_worker")
    child = factories.child(worker=worker)
    db.session.commit()
    return child, worker


def _episode(people, key: uuid.UUID | None) -> MissingEpisode:
    child, worker = people
    back = clock.now() - timedelta(hours=1)
    return MissingEpisode(
        child_id=child.id, returned_at=back, interview_due_at=back, recorded_by_id=worker.id, key=key
    )


def _team(name: str) -> Team:
    return Team(name=name, duty_email="duty@voice.test")


def _by_key(key: uuid.UUID) -> MissingEpisode | None:
    return db.session.scalar(select(MissingEpisode).where(MissingEpisode.key == key))


def _episodes() -> int:
    return db.session.scalar(select(func.count()).select_from(MissingEpisode))


def _teams_named(name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Team).where(Team.name == name))


def test_the_row_and_what_goes_with_it_are_stored_together(people):
    key = uuid.uuid4()
    row = _episode(people, key)
    stored = store_once(
        row, find_existing=lambda: _by_key(key), then=lambda: db.session.add(_team("with it"))
    )
    assert stored is row
    db.session.rollback()  # nothing is left waiting: it was committed
    assert _episodes() == 1 and _teams_named("with it") == 1


def test_a_second_row_with_the_same_key_gets_the_first_and_leaves_nothing_of_its_own(people):
    key = uuid.uuid4()
    first = store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    first_id = first.id
    # The second post raced past its look-up: only the unique key can stop it now.
    second = store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    assert second.id == first_id
    assert _episodes() == 1


def test_a_clash_made_by_what_goes_with_the_row_is_caught_at_the_commit(people):
    key = uuid.uuid4()
    first = store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    first_id = first.id

    def goes_with():
        db.session.add(_team("the loser's"))
        db.session.add(_episode(people, key))  # breaks the key only when it is written

    fresh = _episode(people, None)  # no key of its own: its own flush passes
    stored = store_once(fresh, find_existing=lambda: _by_key(key), then=goes_with)
    assert stored.id == first_id
    assert _episodes() == 1
    assert _teams_named("the loser's") == 0  # all that went with it was rolled back too


def test_a_clash_that_finds_nothing_is_not_hidden(people):
    key = uuid.uuid4()
    store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    with pytest.raises(IntegrityError):
        store_once(_episode(people, key), find_existing=lambda: None)
    assert _episodes() == 1  # and the session is usable again: rolled back, not left broken


def test_no_key_means_nothing_earlier_and_no_look_up(people):
    def never(_key):
        raise AssertionError("looked up a key that was not there")

    assert earlier_post(None, never, lambda _row: True) == (None, None)


def test_an_unknown_key_is_kept_for_the_new_row(people):
    key = uuid.uuid4()
    assert earlier_post(key, _by_key, lambda _row: True) == (None, key)


def test_the_same_persons_earlier_row_is_the_answer(people):
    key = uuid.uuid4()
    first = store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    _child, worker = people
    found, kept = earlier_post(key, _by_key, lambda row: row.recorded_by_id == worker.id)
    assert found is not None and found.id == first.id and kept == key


def test_someone_elses_key_is_never_answered_with_their_row_nor_reused(people):
    key = uuid.uuid4()
    store_once(_episode(people, key), find_existing=lambda: _by_key(key))
    assert earlier_post(key, _by_key, lambda _row: False) == (None, None)
