"""Failures posted at the same moment all count, and none of them breaks (issue 25).

The counter was read, raised by one and written back: two wrong PINs at once could count as
one, and two first failures both inserted the key, so one of them hit the unique constraint
and the child saw an error page. Each thread here is a separate request with its own session
and connection, on the suite's database (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select

from voice.auth import throttle
from voice.extensions import db
from voice.models import AuthThrottle

THREADS = 8


def _all_at_once(app, work: Callable[[], object]) -> list[object]:
    """Run ``work`` in THREADS app contexts released together; returns results or errors."""
    gate = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def one(index: int) -> None:
        with app.app_context():
            try:
                gate.wait()
                results[index] = work()
                db.session.commit()
            except Exception as error:
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _row(app, key: str) -> AuthThrottle | None:
    with app.app_context():
        return db.session.scalar(select(AuthThrottle).where(AuthThrottle.key == key))


def test_first_failures_at_once_make_one_row_and_count_each(app):
    results = _all_at_once(app, lambda: throttle.record_failure("device:race-1", max_failures=100))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert _row(app, "device:race-1").failures == THREADS


def test_failures_crossing_the_limit_at_once_lock_exactly_once_per_run(app):
    # 8 failures with a limit of 4: two runs of four, so two locks, each taken by one request
    # (one audit event, one message to the worker), however the requests interleave.
    results = _all_at_once(
        app,
        lambda: throttle.record_failure(
            "device:race-2", max_failures=4, schedule=(throttle.timedelta(minutes=5),)
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum(isinstance(r, throttle.Lock) for r in results) == 2
    row = _row(app, "device:race-2")
    assert row.lock_level == 2 and row.failures == 0
    with app.app_context():
        assert throttle.current_lock("device:race-2") is not None


def test_address_failures_at_once_all_count(app):
    results = _all_at_once(app, lambda: throttle.count_address_failure("child-addr:race", ceiling=5))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results) == list(range(1, THREADS + 1))  # each saw its own place in the count
    with app.app_context():
        assert throttle.current_lock("child-addr:race") is not None  # the ceiling was reached


def test_a_lock_seen_before_the_failure_is_not_stale_after_it(app):
    """Values are read fresh from the database, never from a row the session loaded earlier."""
    with app.app_context():
        assert throttle.current_lock("device:race-3") is None
        for _ in range(3):
            throttle.record_failure("device:race-3", max_failures=3)
        assert throttle.current_lock("device:race-3") is not None
        assert throttle.failures("device:race-3") == 0
        throttle.clear("device:race-3")
        assert throttle.current_lock("device:race-3") is None
        db.session.commit()
