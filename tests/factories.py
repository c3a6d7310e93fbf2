"""Small factory functions with keyword defaults. They add and flush; tests commit if needed."""

from __future__ import annotations

import itertools
from datetime import date

from voice.auth.secrets import hash_password
from voice.extensions import db
from voice.models import Child, CouncilMember, StaffMember, Team

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)
_PW_HASH: dict[str, str] = {}


def _pw(password: str) -> str:
    if password not in _PW_HASH:
        _PW_HASH[password] = hash_password(password)
    return _PW_HASH[password]


def team(name: str | None = None, **kw) -> Team:
    n = next(_seq)
    obj = Team(name=name or f"Team {n}", duty_email=kw.pop("duty_email", f"duty{n}@voice.test"), **kw)
    db.session.add(obj)
    db.session.flush()
    return obj


def staff(
    role: str = "social_worker",
    *,
    team_: Team | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    **kw,
) -> StaffMember:
    n = next(_seq)
    obj = StaffMember(
        email=email or f"{role}{n}@voice.test",
        name=kw.pop("name", f"Alex Worker{n}"),
        role=role,
        team=team_,
        password_hash=_pw(password),
        **kw,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def council_member(*, email: str | None = None, password: str = PASSWORD) -> CouncilMember:
    n = next(_seq)
    obj = CouncilMember(
        email=email or f"council{n}@voice.test", name=f"Sky Member{n}", password_hash=_pw(password)
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def child(
    *,
    team_: Team | None = None,
    worker: StaffMember | None = None,
    iro: StaffMember | None = None,
    ref: str | None = None,
    **kw,
) -> Child:
    n = next(_seq)
    team_ = team_ or (worker.team if worker else None) or team()
    obj = Child(
        ref=ref or f"T-{n:05d}",
        first_name=kw.pop("first_name", f"Kid{n}"),
        date_of_birth=kw.pop("date_of_birth", date(2013, 5, 1)),
        team_id=team_.id,
        social_worker=worker,
        iro=iro,
        **kw,
    )
    db.session.add(obj)
    db.session.flush()
    return obj
