"""What several staff views look up first, shared so that they refuse alike: anything out of
this person's reach is "not found", and the refusal is audited."""

import uuid
from typing import NoReturn

from flask import abort, g, request

from voice import audit
from voice.extensions import db
from voice.models import Child
from voice.people import caseload


def not_found(object_type: str, object_id: uuid.UUID | int | None = None) -> NoReturn:
    """Record that this person asked for something out of their reach, then answer 404."""
    audit.record(
        "authz.denied", actor=g.staff, object_type=object_type, object_id=object_id, route=request.endpoint
    )
    db.session.commit()
    abort(404)


def child_or_404(child_id: uuid.UUID) -> Child:
    """A child this person may see (the domain audits a refusal); anyone else is not found."""
    child = caseload.child_in_scope(g.staff, child_id, route=request.endpoint)
    if child is None:
        abort(404)
    return child
