"""Data for the benchmarks, made quickly and through Voice's own code where it matters.

- ``enrolled_children``: children with an enrolled phone (device + PIN, through
  ``voice.people.enrolment``), signed in, and a conversation started (``voice.chat``): what a
  child has after opening their invite link. The benchmarks then drive only the web pages.
- ``grow_submissions``: bulk rows for the inbox-at-scale benchmark, inserted with SQL in
  batches (not through the web): children, reviews, submissions and their routing records.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from bench.common import Database

PIN = "4826"


@dataclass(frozen=True)
class EnrolledChild:
    ref: str
    conversation: str  # the chat page path
    cookie: str  # Cookie header value: device + signed-in session

    def as_dict(self) -> dict[str, str]:
        return {"ref": self.ref, "conversation": self.conversation, "cookie": self.cookie}


def app_for(db: Database):
    from voice import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": db.url, "VOICE_INSTANCE_DIR": str(db.instance)})


def demo(db: Database) -> dict[str, Any]:
    return json.loads(db.flask("demo", "--json"))


def enrolled_children(
    db: Database, count: int, *, prefix: str, flow: str = "pre-review", worker_email: str | None = None
) -> list[EnrolledChild]:
    """``count`` new children, each signed in on one phone with a conversation open."""
    from voice.auth.secrets import token_hash
    from voice.chat import conversations
    from voice.extensions import db as sa
    from voice.models import Child, Device, Review, StaffMember
    from voice.people import enrolment

    app = app_for(db)
    made: list[EnrolledChild] = []
    with app.test_request_context():
        workers = sa.session.scalars(select(StaffMember).where(StaffMember.role == "social_worker")).all()
        if worker_email:
            workers = [w for w in workers if w.email == worker_email]
        today = date.today()
        for number in range(count):
            worker = workers[number % len(workers)]
            child = Child(
                ref=f"{prefix}{number:05d}",
                first_name=f"Bench{number}",
                date_of_birth=date(2013, 5, 1),
                preferred_language="en",
                team_id=worker.team_id,
                social_worker_id=worker.id,
            )
            sa.session.add(child)
            sa.session.flush()
            sa.session.add(Review(child_id=child.id, due_on=today + timedelta(days=30)))
            device_token = f"bench-device-{uuid.uuid4().hex}"
            device = Device(child_id=child.id, token_hash=token_hash(device_token))
            sa.session.add(device)
            sa.session.flush()
            session_token = enrolment.set_pin(device, PIN, pepper=app.config["VOICE_PIN_PEPPER"])
            conversation = conversations.start(child, flow, language="en")
            made.append(
                EnrolledChild(
                    ref=child.ref,
                    conversation=f"/chat/{conversation.id}",
                    cookie=f"voice_device={device_token}; voice_auth={session_token}",
                )
            )
        sa.session.remove()
        sa.engine.dispose()
    return made


def count_submissions(db: Database, refs: list[str]) -> dict[str, int]:
    """Submissions from these children: how many, and from how many distinct conversations."""
    from voice.extensions import db as sa
    from voice.models import Child, Submission

    app = app_for(db)
    with app.app_context():
        ids = select(Child.id).where(Child.ref.in_(refs))
        total, conversations = sa.session.execute(
            select(func.count(Submission.id), func.count(func.distinct(Submission.conversation_id))).where(
                Submission.child_id.in_(ids)
            )
        ).one()
        per_child = (
            sa.session.execute(
                select(func.count(Submission.id))
                .where(Submission.child_id.in_(ids))
                .group_by(Submission.child_id)
            )
            .scalars()
            .all()
        )
        sa.session.remove()
        sa.engine.dispose()
    return {
        "submissions": int(total),
        "conversations": int(conversations),
        "children_with_more_than_one": sum(1 for n in per_child if n > 1),
    }


def grow_submissions(
    db: Database, target: int, *, keep_worker: str, caseload: int = 20, per_child: int = 5, seed: int = 7
) -> dict[str, int]:
    """Add rows until the submissions table holds ``target`` rows.

    The council grows; one worker's caseload does not. ``keep_worker`` gets ``caseload``
    children with ``per_child`` submissions each, once; every other new child belongs to other
    workers (spread over the two teams), as in a real council whose records pile up.
    """
    from voice import clock
    from voice.extensions import db as sa
    from voice.models import Child, Review, RoutingRecord, StaffMember, Submission, Team

    rng = random.Random(seed + target)
    app = app_for(db)
    with app.app_context():
        have = sa.session.scalar(select(func.count(Submission.id))) or 0
        mine = sa.session.scalar(select(StaffMember).where(StaffMember.email == keep_worker))
        teams = sa.session.scalars(select(Team).order_by(Team.id)).all()
        others = sa.session.scalars(
            select(StaffMember).where(StaffMember.role == "social_worker", StaffMember.id != mine.id)
        ).all()
        already_mine = (
            sa.session.scalar(
                select(func.count(Child.id)).where(Child.social_worker_id == mine.id, Child.ref.like("S-%"))
            )
            or 0
        )
        start = sa.session.scalar(select(func.count(Child.id)).where(Child.ref.like("S-%"))) or 0
        need = max(0, target - have)
        children, reviews, submissions, routes = [], [], [], []
        now = clock.now()
        number = start
        while need > 0:
            owner = mine if already_mine < caseload else None
            if owner is None:
                team = teams[number % len(teams)]
                pool = [w for w in others if w.team_id == team.id] or others
                owner = pool[number % len(pool)]
            else:
                already_mine += 1
            child_id = uuid.uuid4()
            children.append(
                {
                    "id": child_id,
                    "ref": f"S-{number:07d}",
                    "first_name": f"Scale{number}",
                    "date_of_birth": date(2012, 1 + number % 12, 1 + number % 28),
                    "preferred_language": "en",
                    "team_id": owner.team_id,
                    "social_worker_id": owner.id,
                    "created_at": now,
                }
            )
            reviews.append(
                {
                    "child_id": child_id,
                    "due_on": date.today() + timedelta(days=10 + number % 150),
                    "sequence": 1,
                }
            )
            for k in range(min(per_child, need)):
                sent = now - timedelta(days=rng.randint(0, 1800), minutes=rng.randint(0, 1440))
                submission_id = uuid.uuid4()
                status = rng.choices(["sent", "read", "replied"], weights=[1, 2, 7])[0]
                submissions.append(
                    {
                        "id": submission_id,
                        "conversation_id": None,
                        "child_id": child_id,
                        "review_id": None,
                        "kind": "pre_review",
                        "flow_id": "pre-review",
                        "content_version": "bench",
                        "language": "en",
                        "sent_at": sent,
                        "status": status,
                        "concern": rng.random() < 0.02,
                        "review_by": sent + timedelta(days=2),
                        "read_at": None if status == "sent" else sent + timedelta(hours=5),
                        "read_by_id": None if status == "sent" else owner.id,
                        "replied_at": sent + timedelta(days=1) if status == "replied" else None,
                        "reference": f"S{number:07d}{k:02d}",
                    }
                )
                routes.append(
                    {
                        "submission_id": submission_id,
                        "routed_to": f"staff:{owner.id}",
                        "recipient_kind": "staff",
                        "recipient_staff_id": owner.id,
                        "recipient_team_id": owner.team_id,
                        "reason": "allocated",
                        "current": True,
                        "routed_at": sent,
                    }
                )
                need -= 1
            number += 1
            if len(submissions) >= 5000 or need == 0:
                _flush(sa, Child, Review, Submission, RoutingRecord, children, reviews, submissions, routes)
        total = sa.session.scalar(select(func.count(Submission.id))) or 0
        mine_rows = (
            sa.session.scalar(
                select(func.count(Submission.id)).where(
                    Submission.child_id.in_(select(Child.id).where(Child.social_worker_id == mine.id))
                )
            )
            or 0
        )
        sa.session.remove()
        sa.engine.dispose()
    return {"submissions": int(total), "worker_submissions": int(mine_rows)}


def _flush(sa, child, review, submission, routing, *batches) -> None:
    children, reviews, submissions, routes = batches
    for model, rows in ((child, children), (review, reviews), (submission, submissions), (routing, routes)):
        if rows:
            sa.session.execute(insert(model.__table__), rows)
    sa.session.commit()
    for rows in batches:
        rows.clear()


def analyse(db: Database) -> None:
    """Fresh planner statistics after a bulk load, as a DBA would run."""
    from sqlalchemy import text

    from voice.extensions import db as sa

    app = app_for(db)
    with app.app_context():
        with sa.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        sa.engine.dispose()
