"""The Insight counts: small running totals kept in the same transaction as each event.

One row per (day, team, worker, metric, key). ``day`` is the London day the figure belongs
to (for reads and replies: the day the item was sent, so a period's items carry their own
times). ``staff_id`` is 0 when no single worker is named. ``key`` refines the metric: a
time bucket for reads, replies and acknowledgements, a topic for decisions, an action for
alert actions. No child id and no words: nothing here can identify a child.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from voice.extensions import Model


class InsightCount(Model):
    __tablename__ = "insight_counts"
    # Figures ask for one metric, some teams and a range of days.
    __table_args__ = (Index("ix_insight_counts_metric_team_day", "metric", "team_id", "day"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
