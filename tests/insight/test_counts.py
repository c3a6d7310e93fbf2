"""The running counts agree with a rebuild from the raw tables, after a scripted history."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.insight.conftest import MONDAY, play
from voice.extensions import db
from voice.insight import counts, rebuild, themes
from voice.models import InsightCount


def _totals(metric):
    return db.session.scalar(
        select(func.coalesce(func.sum(InsightCount.n), 0)).where(InsightCount.metric == metric)
    )


def test_running_counts_equal_a_rebuild_after_sends_reads_replies_decisions_and_alerts(app, world):
    play(app, world)
    with app.app_context():
        running = rebuild.stored()
        assert running == rebuild.recompute()
        assert _totals(counts.SENT) == 4
        assert _totals(counts.READ) == 3  # two opened, one read by being replied to
        assert _totals(counts.REPLIED) == 2
        assert _totals(counts.DECISION) == 2
        assert _totals(counts.REVIEW_DECISION) == 2
        assert _totals(counts.ALERT_RAISED) == 1
        assert _totals(counts.ALERT_ESCALATED) == 1
        assert _totals(counts.ALERT_ACKED) == 1
        assert _totals(counts.ALERT_ACTION) == 1
        assert _totals(themes.THEME) > 0 and _totals(themes.ARTICLE) > 0
        assert _totals(themes.REALLY_BAD) > 0  # the script taps the first face: "really bad"
        day = MONDAY.date()
        a1 = world["ids"]["sw_a1"]
        row = db.session.get(InsightCount, (day, world["team_a"], a1, counts.READ, "240"))
        assert row is not None and row.n == 2  # both read two hours after sending: within 4 hours
        assert rebuild.rebuild() == len(running)
        assert rebuild.stored() == running


def test_rebuild_command_puts_back_counts_that_were_lost(app, world, runner):
    play(app, world)
    with app.app_context():
        before = rebuild.stored()
        db.session.execute(InsightCount.__table__.delete())
        db.session.commit()
    result = runner.invoke(args=["insight", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rows" in result.output
    with app.app_context():
        assert rebuild.stored() == before
