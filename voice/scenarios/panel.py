"""What a child's staff page shows of the scenarios: the people the routing rules name for
this child, planned visits (with the day and the answer afterwards) and missing episodes
(with the 72-hour return home interview timescale)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from voice import clock
from voice.content import registry
from voice.content.flows import Flow
from voice.models import Child
from voice.models.scenarios import MissingEpisode, Visit
from voice.scenarios import missing, visits


@dataclass(frozen=True)
class Episode:
    episode: MissingEpisode
    due_at: datetime
    overdue: bool  # the 72 hours have passed and the child's chat has not been sent


@dataclass(frozen=True)
class Panel:
    visits: list[Visit]
    episodes: list[Episode]
    link_flows: list[Flow]  # scenarios a worker may send a link for


def for_child(child: Child) -> Panel:
    now = clock.now()
    episodes = [
        Episode(
            e,
            clock.as_utc(e.interview_due_at),
            clock.as_utc(e.interview_due_at) < now and e.submission_id is None,
        )
        for e in missing.for_child(child)
    ]
    flows = registry.get("flows")
    rules = registry.get("routing").scenarios
    return Panel(visits.for_child(child), episodes, [flows[r.flow] for r in rules if r.flow in flows])
