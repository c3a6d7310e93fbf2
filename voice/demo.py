"""Fictional demo data. Every name here is invented; none is a real child or member of staff.

``load`` is idempotent: it creates what is missing, never duplicates, and mints fresh
single-use invite links for every demo child on each call.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from voice import clock
from voice.auth.secrets import hash_password
from voice.extensions import db
from voice.models import Child, CouncilMember, Review, StaffMember, Team
from voice.people import invitations

DEMO_PASSWORD = "voice-demo-password"  # noqa: S105 - printed for local demos only

TEAMS = [
    {"name": "Riverside Children in Care Team", "duty_email": "duty.riverside@voice.example"},
    {"name": "Hilltop Children in Care Team", "duty_email": "duty.hilltop@voice.example"},
]

STAFF = [
    ("sam.rivers@voice.example", "Sam Rivers", "social_worker", 0),
    ("jo.marsh@voice.example", "Jo Marsh", "social_worker", 0),
    ("ola.bright@voice.example", "Ola Bright", "social_worker", 1),
    ("dee.holloway@voice.example", "Dee Holloway", "team_manager", 0),
    ("kit.lennox@voice.example", "Kit Lennox", "team_manager", 1),
    ("ravi.stone@voice.example", "Ravi Stone", "iro", None),
    ("morgan.vale@voice.example", "Morgan Vale", "duty", 0),
    ("nia.fairweather@voice.example", "Nia Fairweather", "participation_officer", None),
    ("ash.cole@voice.example", "Ash Cole", "admin", None),
    ("jules.harker@voice.example", "Jules Harker", "emergency_duty", None),
]

# Fictional placements: invented streets, and Ofcom's drama numbers (01632 960000-960999).
PLACEMENTS = {
    "C-1001": ("14 Lantern Row, Riverside, RV1 4QA", "01632 960101"),
    "C-1002": ("3 Heron Close, Riverside, RV2 7LB", "01632 960102"),
    "C-1004": ("27 Orchard Walk, Riverside, RV3 1XE", "01632 960104"),
    "C-1007": ("9 Millbrook Lane, Hilltop, HT5 2PW", "01632 960107"),
}

COUNCIL = [("tay.brookes@voice.example", "Tay Brookes"), ("remi.north@voice.example", "Remi North")]

# ref, first name, age in years, language, worker email, review in N days
CHILDREN = [
    ("C-1001", "Ayo", 12, "en", "sam.rivers@voice.example", 20),
    ("C-1002", "Bea", 9, "en", "sam.rivers@voice.example", 34),
    ("C-1003", "Caleb", 15, "en", "sam.rivers@voice.example", 12),
    ("C-1004", "Dara", 11, "bn", "jo.marsh@voice.example", 27),
    ("C-1005", "Ezra", 14, "ar", "jo.marsh@voice.example", 16),
    ("C-1006", "Fen", 10, "en", "jo.marsh@voice.example", 45),
    ("C-1007", "Gus", 13, "en", "ola.bright@voice.example", 22),
]


def _ensure_team(spec: dict[str, str]) -> Team:
    team = db.session.query(Team).filter_by(name=spec["name"]).one_or_none()
    if team is None:
        team = Team(**spec)
        db.session.add(team)
        db.session.flush()
    return team


def _ensure_staff(email: str, name: str, role: str, team: Team | None, pw_hash: str) -> StaffMember:
    person = StaffMember.by_email(email)
    if person is None:
        person = StaffMember(email=email, name=name, role=role, team=team, password_hash=pw_hash)
        db.session.add(person)
        db.session.flush()
    return person


def _ensure_child(spec: tuple, staff: dict[str, StaffMember], iro: StaffMember) -> Child:
    ref, name, age, lang, worker_email, review_days = spec
    address, phone = PLACEMENTS.get(ref, (None, None))
    child = Child.by_ref(ref)
    if child is not None:
        if child.placement_address is None and address is not None:
            child.placement_address, child.carer_phone = address, phone
        return child
    today = clock.now().date()
    worker = staff[worker_email]
    child = Child(
        ref=ref,
        first_name=name,
        date_of_birth=date(today.year - age, 3 + int(ref[-1]), 10),
        preferred_language=lang,
        team_id=worker.team_id,
        social_worker=worker,
        iro=iro,
        placement_address=address,
        carer_phone=phone,
    )
    child.reviews.append(Review(due_on=today + timedelta(days=review_days), sequence=3))
    db.session.add(child)
    db.session.flush()
    return child


def database_is_empty() -> bool:
    return db.session.query(StaffMember.id).first() is None


def is_demo_database() -> bool:
    return StaffMember.by_email(STAFF[0][0]) is not None


def load(*, base_url: str) -> dict[str, Any]:
    pw_hash = hash_password(DEMO_PASSWORD)
    teams = [_ensure_team(spec) for spec in TEAMS]
    staff = {
        email: _ensure_staff(email, name, role, teams[t] if t is not None else None, pw_hash)
        for email, name, role, t in STAFF
    }
    for team, manager in zip(teams, ("dee.holloway@voice.example", "kit.lennox@voice.example"), strict=True):
        team.manager = staff[manager]
    for email, name in COUNCIL:
        if CouncilMember.by_email(email) is None:
            db.session.add(CouncilMember(email=email, name=name, password_hash=pw_hash))
    iro = staff["ravi.stone@voice.example"]
    children = [_ensure_child(spec, staff, iro) for spec in CHILDREN]
    db.session.commit()

    return {
        "base_url": base_url,
        "sign_in_url": f"{base_url}/staff/sign-in",
        "children": [
            {
                "ref": c.ref,
                "name": c.first_name,
                "invite_url": invitations.mint_link(c, created_by=None),
                "allocated_worker": c.social_worker.email if c.social_worker else None,
            }
            for c in children
        ],
        "staff": [{"email": e, "password": DEMO_PASSWORD, "role": r, "name": n} for e, n, r, _ in STAFF],
        "council_members": [{"email": e, "password": DEMO_PASSWORD} for e, _ in COUNCIL],
    }


def describe(info: dict[str, Any]) -> str:
    lines = [
        "Voice demo data is ready (all names are fictional).",
        f"  Staff sign in:   {info['sign_in_url']}   password: {DEMO_PASSWORD}",
    ]
    lines += [f"    {s['role']:<22} {s['email']}" for s in info["staff"]]
    lines.append(f"  Council members sign in at the same page: {info['council_members'][0]['email']}")
    first = info["children"][0]
    lines.append(f"  A child's invite link ({first['name']}, {first['ref']}), single use:")
    lines.append(f"    {first['invite_url']}")
    return "\n".join(lines)
