""" "You said, we did": what changed because of the council's proposals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from voice import audit
from voice.extensions import db
from voice.models import CouncilOutcome, Proposal
from voice.studio import people


def record(officer: Any, text: str, *, happened_on: date, proposal_ids: Iterable[int] = ()) -> CouncilOutcome:
    """Write down one outcome, linked to the proposals it came from. Commits."""
    if not people.can_publish(officer):
        raise PermissionError("only the participation officer records outcomes")
    wanted = set(proposal_ids)
    linked = list(db.session.scalars(select(Proposal).where(Proposal.id.in_(wanted)))) if wanted else []
    outcome = CouncilOutcome(
        text=text.strip(), happened_on=happened_on, recorded_by=people.key_of(officer), proposals=linked
    )
    db.session.add(outcome)
    db.session.flush()
    audit.record(
        "studio.outcome_recorded", actor=officer, object_type="council_outcome", object_id=outcome.id
    )
    db.session.commit()
    return outcome


def history() -> list[CouncilOutcome]:
    return list(
        db.session.scalars(
            select(CouncilOutcome).order_by(CouncilOutcome.happened_on.desc(), CouncilOutcome.id.desc())
        )
    )


def linkable_proposals() -> list[Proposal]:
    """Proposals an outcome can point to: the ones that were decided."""
    query = select(Proposal).where(Proposal.status.in_(("published", "approved", "sent_back")))
    return list(db.session.scalars(query.order_by(Proposal.id.desc())))
