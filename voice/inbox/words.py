"""Words for the codes staff would otherwise see: statuses, routing reasons, kinds, the
questions version. Used by staff pages and every export (issue 19: no codes on the page)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from voice.content import versions
from voice.content.translate import display_text

STATUSES = {
    "sent": _l("Unread"),
    "read": _l("Read, not answered"),
    "replied": _l("Answered"),
    "closed": _l("Closed"),
}

ROUTING_REASONS = {
    "allocated": _l("the allocated social worker"),
    "no_worker": _l("no social worker allocated, so the team manager"),
    "worker_away": _l("the social worker is away, so the team manager"),
    "no_worker_no_manager": _l("no social worker or manager available, so the duty inbox"),
    "worker_away_no_manager": _l("the social worker and manager are away, so the duty inbox"),
    "reallocated": _l("the newly allocated social worker"),
    "iro": _l("the IRO, by the routing rules"),
    "team_manager": _l("the team manager, by the routing rules"),
    "return_home_worker": _l("the return home interview worker, by the routing rules"),
    "designated_teacher": _l("the designated teacher, by the routing rules"),
    "virtual_school": _l("the virtual school contact, by the routing rules"),
    "no_contact": _l(
        "nobody set for this child by the routing rules, so the social worker (the team manager was told too)"
    ),
    "no_contact_no_worker": _l(
        "nobody set for this child by the routing rules and no social worker available, so the team manager"
    ),
    "no_contact_duty": _l(
        "nobody set for this child by the routing rules and nobody available, so the duty inbox"
    ),
}

KINDS = {
    "pre_review": _l("Before a review"),
    "question": _l("A question"),
    "scenario": _l("Something else to say"),
}

REPLY_KINDS = {"reply": _l("Reply"), "outcome": _l("Decision")}

SHARES = {
    "worker": _l("Shared with: social worker"),
    "worker_iro": _l("Shared with: social worker and IRO"),
    "review": _l("Shared with: read out at the review"),
}


def _word(table: dict, code: str | None) -> str:
    if code is None:
        return ""
    return str(table.get(code, code))


def status(code: str | None) -> str:
    return _word(STATUSES, code)


def routing_reason(code: str | None) -> str:
    return _word(ROUTING_REASONS, code)


def kind(code: str | None) -> str:
    return _word(KINDS, code)


def reply_kind(code: str | None) -> str:
    return _word(REPLY_KINDS, code)


def questions_version(code: str | None, flow_id: str | None = None) -> str:
    """ "v3:pre-review@1" -> "Get ready for my review, version 1 (content release 3)"."""
    if not code:
        return ""
    body = code.split(":", 1)[1] if ":" in code else code
    flow_part, _sep, flow_version = body.partition("@")
    flows = current_app.extensions.get("voice_content", {}).get("flows", {})
    flow = flows.get(flow_id or flow_part)
    title = flow.title if flow is not None else (flow_id or flow_part)
    release = versions.parse_version(code)
    if release is None:
        return _("%(title)s, version %(version)s", title=title, version=flow_version or "1")
    return _(
        "%(title)s, version %(version)s (content release %(release)d)",
        title=title,
        version=flow_version or "1",
        release=release,
    )


def share(code: str | None) -> str:
    return _word(SHARES, code)


def topic_title(topics: dict, topic_id: str | None) -> str:
    """A topic's title in the page's language (the same words the chat shows)."""
    topic = topics.get(topic_id or "other")
    if topic is None:
        return topic_id or ""
    return display_text(f"topic:{topic.id}:title", topic.title) if topic.title else ""
