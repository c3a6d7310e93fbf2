"""Proposals: a council member suggests a change, others discuss and vote, the participation
officer approves or sends it back, and publishing makes a new content version.

Statuses run open → approved → published, or to sent_back (with a reason) or withdrawn.

Two safety rules run through this module:

- **Nothing broken goes live.** A change is checked when it is proposed (so the member
  learns at once) and again when it is published, against the live content of that moment:
  every loader, the flow validator and the reading-age check.
- **Nobody's change is silently overwritten.** A proposal remembers the words it started
  from (``before_text``, in ``base_version``). If the live words differ when it is approved or
  published, that is a *conflict*: publishing stops until the officer has seen both and
  says so explicitly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from voice import audit, clock
from voice.content import versions
from voice.extensions import db
from voice.models import ContentVersion, Proposal, ProposalComment, ProposalVote
from voice.studio import checks, items, people

OP_LABELS = {
    "set": _l("New wording"),
    "add-option": _l("New answer button"),
    "add-example": _l("New way a child might ask"),
    "move": _l("Change the order of questions"),
    "add-question": _l("New question"),
    "add-faq": _l("New question and answer"),
}
STATUS_LABELS = {
    "open": _l("Waiting for a decision"),
    "approved": _l("Approved: ready to publish"),
    "published": _l("Live: children see this"),
    "sent_back": _l("Sent back"),
    "withdrawn": _l("Withdrawn"),
}


class ProposalError(ValueError):
    """Why something can't be done, as lines a person can act on."""

    def __init__(self, problems: list[str], *, conflict: Conflict | None = None):
        self.problems = problems
        self.conflict = conflict
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Conflict:
    live_version: int
    live_text: str
    message: str


@dataclass(frozen=True)
class Check:
    """The result of trying a change on the live content."""

    tree: dict[str, str]
    before: str
    after: str
    problems: list[str] = field(default_factory=list)
    readability: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- trying a change


def try_change(kind_name: str, item_id: str, change: Mapping[str, Any]) -> Check:
    """Apply ``change`` to the live content and check the result; never stores anything."""
    kind = items.kind(kind_name)
    if kind is None:
        raise ProposalError(["There is no such kind of content."])
    tree = versions.live_tree()
    try:
        before = kind.snapshot(tree, item_id, change)
        new_tree = kind.apply(tree, item_id, change)
        after = kind.snapshot(new_tree, _target_id(item_id, change), change)
    except items.ChangeError as error:
        raise ProposalError([_sentence(str(error))]) from None
    if new_tree == tree:
        raise ProposalError(["That is the same as the words children see now."])
    problems = versions.store().check(new_tree)
    return Check(new_tree, before, after, problems, checks.readability_problems(tree, new_tree))


def _target_id(item_id: str, change: Mapping[str, Any]) -> str:
    return str(change["topic"]["id"]) if change.get("op") == "add-faq" else item_id


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


# --------------------------------------------------------------------------- proposing


def propose(
    author: Any, kind_name: str, item_id: str, change: Mapping[str, Any], why: str | None
) -> Proposal:
    """Store a proposal, or raise :class:`ProposalError` saying why the change would break
    the content. Commits."""
    check = try_change(kind_name, item_id, change)
    if check.problems:
        raise ProposalError(
            ["This change would break the content, so it can't be proposed:", *check.problems]
        )
    op = str(change.get("op"))
    proposal = Proposal(
        item_kind=kind_name,
        item_id=_target_id(item_id, change)[:160],
        field=str(change.get("field") or op)[:64],
        before_text=check.before,
        proposed_text=check.after,
        why=(why or "").strip() or None,
        author=people.key_of(author),
        status="open",
        base_version=versions.live_ref().id,
    )
    proposal.change = dict(change)
    db.session.add(proposal)
    db.session.flush()
    audit.record("studio.proposed", actor=author, object_type="proposal", object_id=proposal.id)
    db.session.commit()
    return proposal


def open_for_item(kind_name: str, item_id: str, *, excluding: int | None = None) -> list[Proposal]:
    """Proposals still in play for one item: shown as "someone else is changing this too"."""
    query = select(Proposal).where(
        Proposal.item_kind == kind_name,
        Proposal.item_id == item_id,
        Proposal.status.in_(("open", "approved")),
    )
    return [p for p in db.session.scalars(query.order_by(Proposal.id)) if p.id != excluding]


def listing(status: str | None = None, author: str | None = None) -> list[Proposal]:
    query = select(Proposal).options(selectinload(Proposal.votes)).order_by(Proposal.id.desc())
    if status:
        query = query.where(Proposal.status == status)
    if author:
        query = query.where(Proposal.author == author)
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    found = dict.fromkeys(STATUS_LABELS, 0)
    for status in db.session.scalars(select(Proposal.status)):
        found[status] = found.get(status, 0) + 1
    return found


# --------------------------------------------------------------------------- discussing


def comment(proposal: Proposal, person: Any, body: str) -> ProposalComment:
    """Add a comment. Commits."""
    found = ProposalComment(proposal_id=proposal.id, author=people.key_of(person), body=body.strip())
    db.session.add(found)
    db.session.commit()
    return found


def vote(proposal: Proposal, person: Any, agree: bool) -> None:
    """One vote per person; voting again changes it. Commits."""
    key = people.key_of(person)
    existing = db.session.scalar(
        select(ProposalVote).where(ProposalVote.proposal_id == proposal.id, ProposalVote.voter == key)
    )
    if existing is None:
        db.session.add(ProposalVote(proposal_id=proposal.id, voter=key, agree=agree))
    else:
        existing.agree = agree
    db.session.commit()


def my_vote(proposal: Proposal, person: Any) -> bool | None:
    key = people.key_of(person)
    return next((v.agree for v in proposal.votes if v.voter == key), None)


def withdraw(proposal: Proposal, person: Any) -> None:
    """The author (or the officer) takes a proposal back. Commits."""
    if people.key_of(person) != proposal.author and not people.can_publish(person):
        raise ProposalError(["Only the person who proposed this can withdraw it."])
    if proposal.status not in ("open", "approved", "sent_back"):
        raise ProposalError([f"This proposal is {STATUS_LABELS[proposal.status].lower()}."])
    proposal.touch_decision(people.key_of(person), "withdrawn")
    audit.record("studio.withdrawn", actor=person, object_type="proposal", object_id=proposal.id)
    db.session.commit()


# --------------------------------------------------------------------------- deciding


def conflict_of(proposal: Proposal) -> Conflict | None:
    """Has the item changed since the proposal was written? Cheap: reads the live files."""
    live = versions.live_ref()
    if live.id == proposal.base_version:
        return None
    kind = items.kind(proposal.item_kind)
    tree = versions.tree_for(live)
    try:
        current = kind.snapshot(tree, proposal.item_id, proposal.change) if kind else None
    except items.ChangeError:
        current = None
    if current == proposal.before_text:
        return None
    return Conflict(
        live_version=live.id,
        live_text=current or "",
        message=(
            f"Someone changed this since the proposal was written (it was written on version "
            f"{proposal.base_version}; version {live.id} is live now). Publishing it would replace "
            "their words. Compare the words below before you decide."
        ),
    )


def _require_officer(person: Any) -> None:
    if not people.can_publish(person):
        raise ProposalError(["Only the participation officer can do this."])


def approve(proposal: Proposal, officer: Any) -> None:
    """The officer agrees this should go live. Nobody approves their own proposal: a change
    always needs a second person before children see it. Commits."""
    _require_officer(officer)
    if proposal.status != "open":
        raise ProposalError([f"This proposal is {STATUS_LABELS[proposal.status].lower()}."])
    if proposal.author == people.key_of(officer):
        raise ProposalError(["You wrote this proposal, so someone else needs to approve it."])
    proposal.touch_decision(people.key_of(officer), "approved")
    audit.record("studio.approved", actor=officer, object_type="proposal", object_id=proposal.id)
    db.session.commit()


def send_back(proposal: Proposal, officer: Any, reason: str) -> None:
    _require_officer(officer)
    if proposal.status not in ("open", "approved"):
        raise ProposalError([f"This proposal is {STATUS_LABELS[proposal.status].lower()}."])
    proposal.touch_decision(people.key_of(officer), "sent_back")
    proposal.sent_back_reason = reason.strip()
    audit.record("studio.sent_back", actor=officer, object_type="proposal", object_id=proposal.id)
    db.session.commit()


def publish(
    proposal: Proposal, officer: Any, *, note: str | None = None, replace_newer: bool = False
) -> ContentVersion:
    """Make an approved proposal live as a new content version. Commits.

    Refused, with the reasons, when the result would break any content or be too hard to
    read, or when the item changed since the proposal was written and the officer has not
    said to replace the newer words (``replace_newer``).
    """
    _require_officer(officer)
    if proposal.status != "approved":
        raise ProposalError(["Approve this proposal before publishing it."])
    conflict = conflict_of(proposal)
    if conflict is not None and not replace_newer:
        raise ProposalError([conflict.message], conflict=conflict)
    live = versions.live_ref()
    check = try_change(proposal.item_kind, proposal.item_id, proposal.change)
    problems = check.problems + check.readability
    if problems:
        raise ProposalError(["This can't be published yet:", *problems])
    try:
        version = versions.create_version(
            check.tree,
            based_on=live.id,
            kind="publish",
            by=people.key_of(officer),
            note=(note or "").strip() or f"Proposal {proposal.id}: {OP_LABELS.get(proposal.op, proposal.op)}",
            proposal_id=proposal.id,
        )
    except versions.VersionRace:
        raise ProposalError(["Someone published a change at the same moment. Please try again."]) from None
    proposal.status = "published"
    proposal.published_version = version.id
    proposal.decided_at = proposal.decided_at or clock.now()
    audit.record("studio.published", actor=officer, object_type="content_version", object_id=version.id)
    db.session.commit()
    return version


# --------------------------------------------------------------------------- showing


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed", "added"
    text: str


_TOKEN = re.compile(r"\s+|[^\s]+")


def diff(before: str, after: str) -> list[Segment]:
    """Word-by-word differences, for a before/after view (templates escape the text)."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    if matcher.ratio() < 0.4:  # mostly rewritten: word by word would be confetti
        return [s for s in (Segment("removed", before), Segment("added", after)) if s.text]
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new[j1:j2])))
    return segments


def describe(proposal: Proposal) -> str:
    """A one-line summary for lists: "New wording · Question · pre-review/home-feel"."""
    kind = items.kind(proposal.item_kind)
    what = OP_LABELS.get(proposal.op, proposal.op)
    return f"{what} · {kind.label if kind else proposal.item_kind} · {proposal.item_id}"
