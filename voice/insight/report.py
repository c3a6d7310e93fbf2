"""Every Insight figure for one audience and scope, in the order the pages show them.

Extension point: another part of Voice adds its own figures with ``register_provider`` (for
example the "purposeful visits" figure from the scenarios work, issue 27). A provider is a
function from a ``Scope`` to a list of ``Table``s; it must build its counts through
voice.insight.suppression like every table here, and it is shown to the audiences it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from voice.insight import council, equality, response, uptake, visits
from voice.insight.period import Period
from voice.insight.scope import Scope
from voice.insight.tables import Table, as_json

AUDIENCES = ("manager", "iro", "council")
Provider = Callable[[Scope], list[Table]]


@dataclass(frozen=True)
class ExtraProvider:
    name: str
    audiences: tuple[str, ...]
    provide: Provider


EXTRA_PROVIDERS: dict[str, ExtraProvider] = {}


def register_provider(name: str, provide: Provider, *, audiences: tuple[str, ...] = ("manager",)) -> None:
    """Add figures from elsewhere in Voice. Registering the same name again replaces it."""
    unknown = set(audiences) - set(AUDIENCES)
    if unknown:
        raise ValueError(f"unknown audiences {sorted(unknown)}")
    EXTRA_PROVIDERS[name] = ExtraProvider(name, tuple(audiences), provide)


def figures(scope: Scope, audience: str) -> list[Table]:
    """The tables one audience may see. Council tables hold aggregates only."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    tables: list[Table] = []
    if audience == "manager":
        held = uptake.held_reviews(scope)
        tables += [uptake.by_team_and_month(scope, held), response.by_worker(scope), response.alerts(scope)]
        tables += equality.tables(scope, held)
        tables += visits.table(scope)
    elif audience == "iro":
        held = uptake.held_reviews(scope)
        tables += [uptake.by_iro(scope, held), uptake.without_views(scope, held)]
    else:
        tables += council.council_tables(scope)
    for extra in EXTRA_PROVIDERS.values():
        if audience in extra.audiences:
            tables += extra.provide(scope)
    return tables


def as_document(period: Period, team_ids: tuple[int, ...] | None) -> dict[str, Any]:
    """Every figure for every audience, suppressed, as one JSON-ready document."""
    scope = Scope(period, team_ids)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "teams": list(team_ids) if team_ids is not None else "all",
        "notes": [str(n) for n in period.notes],
        "figures": {audience: [as_json(t) for t in figures(scope, audience)] for audience in AUDIENCES},
    }
