"""Whose figures: a period and a set of teams (None means every team)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import true

from voice.insight.period import Period


@dataclass(frozen=True)
class Scope:
    period: Period
    team_ids: tuple[int, ...] | None = None  # None: every team (head of service, council)

    def teams(self, column):
        """A filter on a team id column, or True when every team counts."""
        return column.in_(self.team_ids) if self.team_ids is not None else true()
